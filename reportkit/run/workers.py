"""Worker processes: one fresh process per client, with limits, and nothing left behind.

The parent imports the libraries once (:data:`PRELOAD`, :func:`warm_up`) and forks a child
per client (:class:`_Running`), which renders it (:func:`render_job`) and sends back a
:class:`~reportkit.run.render.RenderResult`. The parent enforces the wall-clock limit, kills a
hung child with everything it started (a kernel included) and turns a child that died
into a failed result with the reason. :func:`run_isolated` is the same for one client
(a Dask task); :func:`run_local` and :func:`run_dask` run many.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from reportkit.run.render import RenderResult

ENGINES = {"fast": "reportkit-inprocess", "kernel": None}
DEFAULT_ENGINE = "fast"
REPORT_TIMEOUT_S = 600
CELL_TIMEOUT_S = 300
KERNEL_START_ATTEMPTS = 3
ERROR_CHARS = 600
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Imported once by the parent before it forks: what every child would import again. The
# sources' modules come from the registry (a new source needs no entry here).
PRELOAD = ["pandas", "matplotlib", "seaborn", "psutil", "reportkit.notebook", "reportkit.run.engine",
           "reportkit.run.render", "reportkit.sources", "reportkit.sources.merge", "reportkit.sources.checks",
           "reportkit.sources.warehouse", "reportkit.story.goal_summary"]
PRELOAD_OPTIONAL = ["pyarrow.pandas_compat"]  # pandas imports it on first use of Arrow types


@dataclass
class Job:
    """One client to render: everything a worker needs, picklable."""

    params: str
    out: str
    client_id: str
    period_key: str
    engine: str = DEFAULT_ENGINE
    notebook: str | None = None
    cell_timeout_s: float = CELL_TIMEOUT_S
    report_timeout_s: float = REPORT_TIMEOUT_S
    pdf: bool = False
    overrides: dict | None = None   # the batch's resolved period/as_of (reportkit.config.overrides)
    inputs: str | None = None     # the hash of what makes this client's outputs (reportkit.run.inputs)


def short_error(text: str) -> str:
    text = str(text).strip()
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS - 1] + "…"


def _is_kernel_start_race(error: BaseException) -> bool:
    """Kernel-start races of parallel runs (papermill #239, #511): worth another attempt."""
    text = f"{type(error).__name__}: {error}"
    return ("Kernel didn't respond" in text or "Address already in use" in text
            or "Kernel died before replying" in text)


def render_job(job: Job) -> RenderResult:
    """Render one client in this process (the worker side); never raises."""
    from reportkit.run.render import render_client
    if job.engine == "fast":
        from reportkit.run.engine import register
        register()
    started = time.perf_counter()
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return render_client(job.params, out=job.out, notebook=job.notebook,
                                 cell_timeout_s=job.cell_timeout_s, engine=ENGINES[job.engine],
                                 pdf=job.pdf, overrides=job.overrides, inputs=job.inputs)
        except Exception as error:  # anything render_client did not turn into a result
            if job.engine == "kernel" and attempt < KERNEL_START_ATTEMPTS and _is_kernel_start_race(error):
                continue
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            detail += _keep_failed_notebook(job, os.getpid())
            return RenderResult(job.client_id, job.params, "failed", time.perf_counter() - started,
                                error=f"{job.client_id}: unexpected error: {detail}", exit_code=1)


def _kill_descendants(pid: int) -> None:
    import psutil
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


def _child_main(job: Job, conn, runtime_dir: str | None = None) -> None:
    os.setsid()  # its own process group: the parent can kill it with all it started
    # One report, then exit: the cycle collector only costs time here (~5 %; the peak
    # memory of a demo report grew by ~5 MB of ~200 MB without it).
    gc.disable()
    for signum in STOP_SIGNALS:  # the parent's handlers are the parent's: a child just stops
        signal.signal(signum, signal.SIG_DFL)
    if runtime_dir:  # the kernel's connection file (it holds the kernel's key) goes here
        os.environ["JUPYTER_RUNTIME_DIR"] = runtime_dir
    try:
        result = render_job(job)
        result.error = short_error(result.error) if result.error else None
        conn.send(result)
    finally:
        conn.close()
        _kill_descendants(os.getpid())  # a kernel left behind by a failing start, if any


def _kill_tree(proc) -> None:
    _kill_descendants(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.join(10)


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        why = " (killed, or out of memory)" if -exitcode == signal.SIGKILL else ""
        return f"worker process died: signal {name}{why}"
    return f"worker process died without a result (exit status {exitcode})"


def _keep_failed_notebook(job: Job, pid: int) -> str:
    """Move the scratch notebook of a killed worker to <client_id>.failed.ipynb (when it is a
    readable notebook) and remove the worker's other scratch files."""
    from reportkit.run.render import keep_failed
    folder = Path(job.out) / job.period_key
    scratch = folder / f".{job.client_id}.{pid}.running.ipynb"
    _remove_staged(job, pid)
    failed = folder / f"{job.client_id}.failed.ipynb"
    return f"\n  failed notebook kept at: {failed}" if keep_failed(scratch, failed) else ""


def _remove_staged(job: Job, pid: int) -> None:
    folder = Path(job.out) / job.period_key
    for path in folder.glob(f".{job.client_id}.*.{pid}.new"):
        path.unlink(missing_ok=True)


def discard_scratch(job: Job, pid: int) -> None:
    """Remove every scratch file of a worker stopped by an interruption (nothing is kept)."""
    folder = Path(job.out) / job.period_key
    (folder / f".{job.client_id}.{pid}.running.ipynb").unlink(missing_ok=True)
    _remove_staged(job, pid)


def _mp_context():
    """fork from a single-threaded parent (cheapest); forkserver when threads run (Dask)."""
    if threading.active_count() == 1 and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([*PRELOAD, "reportkit.run.warm"])
    # forkserver reads __main__.__spec__ to prepare each child. In an IPython shell (the
    # in-process engine's, an analyst's kernel) __main__ is the user module, and the shell's
    # reset deletes every name in it, __spec__ too; None is what a script's __main__ has.
    main = sys.modules.get("__main__")
    if main is not None and not hasattr(main, "__spec__"):
        main.__spec__ = None
    return ctx


class _Running:
    def __init__(self, job: Job, ctx):
        self.job, self.started = job, time.monotonic()
        self.recv, send = ctx.Pipe(duplex=False)
        self.runtime_dir = tempfile.mkdtemp(prefix="reportkit-kernel-") if job.engine == "kernel" else None
        self.proc = ctx.Process(target=_child_main, args=(job, send, self.runtime_dir),
                                name=f"reportkit:{job.client_id}")
        self.proc.start()
        send.close()
        self.deadline = self.started + job.report_timeout_s
        self.result: RenderResult | None = None

    def collect(self) -> None:
        try:
            if self.result is None and self.recv.poll():
                self.result = self.recv.recv()
        except (EOFError, OSError):
            pass

    def remove_runtime_dir(self) -> None:
        if self.runtime_dir:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def stop(self) -> None:
        """Interrupted: kill the worker and all it started, and leave none of its files."""
        _kill_tree(self.proc)
        self.recv.close()
        self.remove_runtime_dir()
        discard_scratch(self.job, self.proc.pid)

    def finish(self, timed_out: bool = False) -> RenderResult:
        job, pid = self.job, self.proc.pid
        if timed_out:
            _kill_tree(self.proc)
        else:
            self.collect()
            self.proc.join(10)
            if self.proc.is_alive():
                _kill_tree(self.proc)
        self.recv.close()
        self.remove_runtime_dir()
        elapsed = time.monotonic() - self.started
        if self.result is not None and not timed_out:
            return self.result
        if timed_out:
            reason = f"exceeded the wall-clock limit of {job.report_timeout_s:g} s per report"
        else:
            reason = _death_reason(self.proc.exitcode)
        reason += _keep_failed_notebook(job, pid)
        return RenderResult(job.client_id, job.params, "failed", elapsed,
                            error=f"{job.client_id}: {reason}", exit_code=1)


def run_isolated(job: Job) -> RenderResult:
    """Render one client in a fresh child process with the wall-clock limit (used by Dask tasks)."""
    if multiprocessing.current_process().daemon:
        return RenderResult(job.client_id, job.params, "failed", 0.0, exit_code=1, error=(
            f"{job.client_id}: this Dask worker is daemonic and cannot start a worker process\n"
            "  fix: start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False (or --no-nanny)"))
    running = _Running(job, _mp_context())
    ready = wait([running.proc.sentinel], timeout=job.report_timeout_s)
    return running.finish(timed_out=not ready)


def warm_up() -> None:
    """Pay once, in the parent, what every forked child would pay again: imports, font
    loading, regex and template-loader caches. Nothing client-specific is touched."""
    import nbformat
    from matplotlib.figure import Figure

    from reportkit.analysis import benchmarks
    from reportkit.present import charts, page
    from reportkit.run import engine
    from reportkit.run import export
    from reportkit.sources import registry
    for name in [*PRELOAD, *registry.modules()]:
        __import__(name)
    for name in PRELOAD_OPTIONAL:
        try:
            __import__(name)
        except ImportError:
            pass
    engine.register()  # imports papermill's engines (and nbclient): ~0.1 s a child need not pay
    engine.get_shell()  # the IPython shell (empty namespace) every child runs its notebook in
    import matplotlib
    with matplotlib.rc_context():  # the theme is restored: children start from the defaults
        charts.apply_theme()
        fig = Figure(figsize=(2, 1))
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], label="warm-up")
        ax.set_title("warm-up")
        ax.legend()
        charts.chart_layout.fit(fig)
        charts.to_svg(fig)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## warm-up\n\n*text*"),
        nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": "<p>x</p>", "text/plain": "x"})])])
    export.exporter().from_notebook_node(nb, resources={"reportkit_csp": page.CSP, "reportkit_title": "",
                                                         "reportkit_accent": "#000000", "reportkit_footer": ""})
    benchmarks.load_published()  # the published benchmark tables, read once for every child
    # What the parent holds now is shared with every forked child: freezing it keeps the
    # children's garbage collector from walking (and copying) those pages again.
    gc.freeze()


def run_local(jobs: list[Job], workers: int, on_done) -> None:
    if not jobs:
        return
    if any(job.engine == "fast" for job in jobs):
        warm_up()
    gc.enable()  # off while the command started (reportkit.entry); what warm_up froze stays out of it
    ctx = _mp_context()
    pending, running = deque(jobs), {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                item = _Running(pending.popleft(), ctx)
                running[item.proc.sentinel] = item
            now = time.monotonic()
            timeout = max(0.0, min(item.deadline for item in running.values()) - now)
            # a child sends its small result, then exits: waiting on its exit is enough
            ready = set(wait(list(running), timeout=timeout))
            now = time.monotonic()
            for sentinel, item in list(running.items()):
                if sentinel in ready or item.deadline <= now:
                    del running[sentinel]
                    on_done(item.finish(timed_out=sentinel not in ready and item.deadline <= now))
    finally:
        for item in running.values():  # interrupted: leave nothing behind
            item.stop()
        gc.unfreeze()  # warm_up froze the parent's objects for the children's sake only
        if ctx.get_start_method() == "forkserver":
            _stop_forkserver()


def _stop_forkserver() -> None:
    """Stop the forkserver a local batch started (a threaded parent): it must not outlive the
    batch. ``_stop`` is private (the standard library's own tests use it) and exists in 3.8+."""
    from multiprocessing import forkserver
    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        stop()


def run_dask(jobs: list[Job], workers: int, scheduler: str | None, on_done) -> None:
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        # workers must not be daemonic: each task starts a child process per client
        with dask.config.set({"distributed.worker.daemon": False}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            futures = {client.submit(run_isolated, job, key=f"reportkit-{job.client_id}-{i}", pure=False): job
                       for i, job in enumerate(jobs)}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    on_done(future.result())
                except Exception as error:  # the task itself failed (worker lost, ...)
                    on_done(RenderResult(job.client_id, job.params, "failed", 0.0,
                                         error=f"{job.client_id}: dask task failed: {short_error(error)}",
                                         exit_code=1))
    finally:
        if cluster is not None:
            cluster.close()
