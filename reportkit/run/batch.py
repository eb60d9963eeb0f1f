"""Many clients at once: one fresh process per client, in parallel, locally or on Dask.

``run_batch(files, ...)`` reads every params file (a file that does not validate fails at
once, exit status 2), then renders each client in its own worker process:

* engine ``fast`` (default): the parent has imported pandas, matplotlib, seaborn and
  reportkit once; each client is a forked child that executes the notebook in-process
  (:mod:`reportkit.run.engine`) and exports it, then exits. Nothing survives a client.
* engine ``kernel``: the same child runs papermill with a real Jupyter kernel.

The parent enforces a wall-clock limit per report (the engine enforces the per-cell limit),
kills a hung worker with everything it started (kernels included), records a worker that
died (killed, out of memory) as failed with the reason, and goes on with the others.
``reports/<period>/manifest.json`` is merged and rewritten atomically (under a lock) after
the batch -- also when it was stopped by Ctrl-C, SIGTERM or SIGHUP, for the clients that
finished; then :func:`after_batch` is called once per period folder. A client whose inputs
are unchanged since its last successful run is skipped (:mod:`reportkit.run.inputs`).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reportkit import config as _config
from reportkit.errors import ConfigError, ReportkitError
from reportkit.contracts.manifest import ManifestEntry
from reportkit.deliver.manifest import entry_for, read_manifest, write_manifest
from reportkit.paths import finish_swaps, project_root
from reportkit.run.render import RenderResult
from reportkit.run.workers import (CELL_TIMEOUT_S, DEFAULT_ENGINE, ENGINES, REPORT_TIMEOUT_S,  # noqa: F401
                                   STOP_SIGNALS, Job, short_error, run_dask, run_local)


@dataclass
class BatchResult:
    results: list[RenderResult]
    manifests: list[Path]
    interrupted: int | None = None                   # the signal that stopped the batch
    problems: list[str] = field(default_factory=list)  # manifests or overviews not written

    @property
    def exit_code(self) -> int:
        """0 all ok; 2 when every failure is bad input; 1 when any other failure (or a
        manifest could not be written); 128 + the signal when the batch was stopped."""
        if self.interrupted is not None:
            return 128 + int(self.interrupted)
        failed = [r for r in self.results if r.status != "ok"]
        if self.problems and not failed:
            return 1
        if not failed:
            return 0
        return 2 if all(r.exit_code == 2 for r in failed) else 1


def after_batch(period_dir: Path) -> None:
    """Called once per ``reports/<period>`` folder after its manifest is written.

    The single place where follow-up work on a finished batch hooks in: the delivery ledger
    (each new or changed report recorded, held or awaiting review) and the agency overview.
    """
    from reportkit.deliver.approval import sync
    from reportkit.deliver.overview import write_overview
    sync(period_dir)
    write_overview(period_dir)


# ---------------------------------------------------------------- planning and manifest

OUTPUT_EXTS = ("html", "ipynb", "json")
UNCHANGED = "inputs unchanged since its last successful run"


def _has_outputs(out: Path, period_key: str, client_id: str) -> bool:
    folder = out / period_key
    return all((folder / f"{client_id}.{ext}").is_file() for ext in OUTPUT_EXTS)


def _read_failure(path: Path, error: BaseException) -> RenderResult:
    """A params file that could not be read or validated: a failed result, the batch goes on."""
    if isinstance(error, ReportkitError):
        text, code = short_error(error), getattr(error, "exit_code", 2)
    else:  # anything else reading one file (out of memory, a bug) stops that file only
        text, code = short_error(f"{path}: could not be read: {type(error).__name__}: {error}"), 1
    return RenderResult(Path(path).stem, str(Path(path).resolve()), "failed", 0.0, error=text, exit_code=code)


def _duplicates(loaded: list[tuple[Path, object, dict]]) -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {}
    for path, cfg, _ in loaded:
        files.setdefault(cfg.client_id, []).append(path)
    return {cid: paths for cid, paths in files.items() if len(paths) > 1}


def _load(path: Path, period: str | None, as_of) -> tuple[object, dict]:
    """A params file's config with the batch's period/as_of over its own (resolved once,
    here: :mod:`reportkit.config.overrides`), and the overrides the workers get."""
    from reportkit.config import overrides as _overrides
    values = _config.read_params(path)
    fixed = _overrides.resolve(values, period, as_of)
    return _config.validate(_overrides.apply(values, fixed), where=str(path)), fixed


def plan(files: list[Path], out: Path, resume: bool = False, force: bool = False,
         period: str | None = None, as_of=None, **job_options):
    """Read every params file: (jobs to run, failed results for unreadable params, skipped entries).

    ``period``/``as_of`` override every client's (``reportkit run --period``). A client is
    skipped when its last run succeeded, its outputs exist and the hash of its inputs
    (:func:`reportkit.run.inputs.inputs_hash`, over the config with the overrides applied)
    is the one that run recorded; ``force=True`` renders every client. ``resume`` is the
    same test (kept for the CLI's ``--resume``): a stale output is never taken as done. Two
    params files with one ``client_id`` would write the same outputs: both fail (bad input)
    and neither runs."""
    from reportkit.run.inputs import inputs_hash
    from reportkit.run.render import default_notebook
    jobs, failed, skipped, loaded = [], [], [], []
    for path in files:
        try:
            loaded.append((Path(path), *_load(Path(path), period, as_of)))
        except (Exception, RecursionError) as error:  # noqa: BLE001 - one bad file never stops the batch
            failed.append(_read_failure(Path(path), error))
    twins = _duplicates(loaded)
    for cid, paths in twins.items():
        for path in paths:
            others = ", ".join(str(p) for p in paths if p != path)
            failed.append(_read_failure(path, ConfigError(
                f"{path}: key 'client_id'", f"{cid!r} is also the client_id of {others}: both would "
                "write the same report files, so neither is run",
                "give each client its own client_id (it names the output files)")))
    notebook = Path(job_options.get("notebook") or default_notebook())
    previous: dict[str, dict[str, ManifestEntry]] = {}
    for path, cfg, fixed in loaded:
        if cfg.client_id in twins:
            continue
        key = cfg.periods().key
        if key not in previous:
            finish_swaps(out / key)  # an output set a killed run left half-swapped is completed
            previous[key] = {c.client_id: c for c in read_manifest(out / key).clients}
        params = str(path.resolve())
        try:
            digest = inputs_hash(cfg, notebook)
        except OSError:  # an input that cannot be read: the render names it
            digest = None
        entry = previous[key].get(cfg.client_id)
        if (not force and digest is not None and entry is not None and entry.status == "ok"
                and entry.inputs == digest and _has_outputs(out, key, cfg.client_id)):
            skipped.append((key, entry.model_copy(update={"skipped": UNCHANGED, "params": params})))
            continue
        jobs.append(Job(params=params, out=str(out), client_id=cfg.client_id, period_key=key,
                        overrides=fixed, inputs=digest, **job_options))
    return jobs, failed, skipped


# ---------------------------------------------------------------- signals

class Interrupted(BaseException):
    """The batch was asked to stop (Ctrl-C, SIGTERM, SIGHUP)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)


@contextmanager
def stop_on_signals():
    """SIGINT, SIGTERM and SIGHUP stop the batch the same way: :class:`Interrupted` is raised
    in the parent, whose clean-up kills every worker with what it started (kernels, Chromium)
    and removes their scratch files; the manifest then lists every client that finished."""
    def _raise(signum, frame):
        raise Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {signum: signal.signal(signum, _raise) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum in saved:  # while the manifest is written, a second signal is ignored
            signal.signal(signum, signal.SIG_IGN)
        _saved.update(saved)


_saved: dict = {}


def _restore_signals() -> None:
    """The handlers :func:`stop_on_signals` replaced, back (once the manifest is written)."""
    while _saved:
        signum, handler = _saved.popitem()
        signal.signal(signum, handler)


# ---------------------------------------------------------------- the batch

def status_line(result: RenderResult) -> str:
    if result.status == "ok":
        return f"ok      {result.client_id:<24} {result.duration_s:6.1f}s  {result.outputs.get('html', '')}"
    return f"FAILED  {result.client_id:<24} {result.duration_s:6.1f}s  {result.error}"


class _NoBar:
    """The progress bar's stand-in when there is nothing to render: lines go to stdout."""

    def write(self, line: str) -> None:
        print(line, flush=True)

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _say(bar, line: str) -> None:
    """A status line on stdout. A reader that went away (``reportkit run ... | head``) stops
    the lines, never the batch: the reports and the manifest are still written."""
    try:
        bar.write(line)
    except (BrokenPipeError, ValueError):
        pass


def run_batch(files: list[Path | str], out: str | Path = "reports", workers: int | None = None,
              engine: str = DEFAULT_ENGINE, resume: bool = False, notebook: str | None = None,
              cell_timeout_s: float = CELL_TIMEOUT_S, report_timeout_s: float = REPORT_TIMEOUT_S,
              scheduler: str | None = None, dask_local: bool = False,
              progress: bool | None = None, pdf: bool = False, force: bool = False,
              period: str | None = None, as_of=None) -> BatchResult:
    """Render every params file; one client's failure never stops the others.

    ``period`` (a month YYYY-MM or last-month, last_quarter, month_to_date) and ``as_of``
    (a date) override every client's for this batch. Clients whose inputs are unchanged
    since their last successful run are skipped (``force=True`` renders all). Ctrl-C,
    SIGTERM or SIGHUP stop the batch: the manifest still lists every client that finished,
    and :attr:`BatchResult.interrupted` is set."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    os.environ.setdefault("REPORTKIT_ROOT", str(project_root()))
    out = Path(out).resolve()
    workers = max(1, workers or os.cpu_count() or 1)
    jobs, results, skipped = plan([Path(f) for f in files], out, resume, force, period=period, as_of=as_of,
                                  engine=engine,
                                  notebook=str(Path(notebook).resolve()) if notebook else None,
                                  cell_timeout_s=cell_timeout_s, report_timeout_s=report_timeout_s,
                                  pdf=pdf)
    if jobs or results:
        import tqdm as _tqdm
        from tqdm import tqdm
        _tqdm.tqdm.monitor_interval = 0  # no monitor thread: the parent stays single-threaded to fork
        bar = tqdm(total=len(jobs) + len(results), desc="reports", unit="client", file=sys.stderr,
                   disable=(not progress) if progress is not None else None)
    else:  # every client skipped: nothing to show progress of (and tqdm not imported)
        bar = _NoBar()
    if skipped:
        _say(bar, f"skipped {len(skipped)} client(s) whose inputs are unchanged since their last "
                  "successful run (--force renders them again)")
    for result in results:
        _say(bar, status_line(result))
        bar.update(1)

    def on_done(result: RenderResult) -> None:
        results.append(result)
        _say(bar, status_line(result))
        bar.update(1)

    interrupted = None
    try:
        with stop_on_signals():
            if scheduler or dask_local:
                gc.enable()  # off while the command started (reportkit.entry)
                run_dask(jobs, workers, scheduler, on_done)
            else:
                run_local(jobs, workers, on_done)
    except (Interrupted, KeyboardInterrupt) as stop:
        interrupted = getattr(stop, "signum", signal.SIGINT)
    finally:
        bar.close()

    try:
        manifests, problems = _record(out, jobs, results, skipped)
    finally:
        _restore_signals()
    batch = BatchResult(results, manifests, interrupted=interrupted, problems=problems)
    if interrupted is not None:
        done = {r.client_id for r in results}
        left = [job.client_id for job in jobs if job.client_id not in done]
        print(f"INTERRUPTED by {signal.Signals(interrupted).name}: {len(results)} client(s) finished and are "
              f"in the manifest; {len(left)} not rendered ({', '.join(left[:10])}"
              f"{', ...' if len(left) > 10 else ''}), their earlier reports are unchanged. Run the same command "
              "again to finish: unchanged clients are skipped.", file=sys.stderr)
    for problem in problems:
        print(f"ERROR   {problem}", file=sys.stderr)
    return batch


def _record(out: Path, jobs: list[Job], results: list[RenderResult], skipped) -> tuple[list[Path], list[str]]:
    """Write each period's manifest and overview; what cannot be written is returned as a message."""
    by_period: dict[str, list[ManifestEntry]] = {}
    for key, entry in skipped:
        by_period.setdefault(key, []).append(entry)
    job_of = {job.client_id: job for job in jobs}
    unplaced = []
    for result in results:
        job = job_of.get(result.client_id)
        entry = entry_for(result, job.inputs if job else None)
        if job is None:
            unplaced.append(entry)  # params that did not validate: no period known
        else:
            by_period.setdefault(job.period_key, []).append(entry)
    for key in by_period:  # listed in every period of this batch (none if no period is known)
        by_period[key].extend(unplaced)
    manifests, problems = [], []
    for key, entries in sorted(by_period.items()):
        folder = out / key
        rendered = any(not entry.skipped for entry in entries)
        try:
            manifests.append(write_manifest(folder, entries))
            if rendered or not (folder / "index.html").is_file():  # nothing new: the overview stands
                after_batch(folder)
        except OSError as error:
            problems.append(f"{folder}: could not write the manifest or the overview: "
                            f"{error.strerror or error}\n  fix: free space on that disk or make the folder "
                            "writable, then run the same command again (finished reports are kept; "
                            "their clients are skipped)")
    return manifests, problems
