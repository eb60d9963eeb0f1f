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
``reports/<period>/manifest.json`` is rewritten atomically after the batch; then
:func:`after_batch` is called once per period folder.
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from reportkit import config as _config
from reportkit.errors import ReportkitError
from reportkit.contracts.manifest import ManifestEntry
from reportkit.deliver.manifest import entry_for, read_manifest, write_manifest
from reportkit.paths import project_root
from reportkit.run.render import RenderResult
from reportkit.run.workers import (CELL_TIMEOUT_S, DEFAULT_ENGINE, ENGINES, REPORT_TIMEOUT_S, Job,  # noqa: F401
                                   short_error, run_dask, run_local)


@dataclass
class BatchResult:
    results: list[RenderResult]
    manifests: list[Path]

    @property
    def exit_code(self) -> int:
        """0 all ok; 2 when every failure is bad input; 1 when any other failure."""
        failed = [r for r in self.results if r.status != "ok"]
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

def _has_outputs(out: Path, period_key: str, client_id: str) -> bool:
    folder = out / period_key
    return all((folder / f"{client_id}.{ext}").is_file() for ext in ("html", "ipynb", "json"))


def plan(files: list[Path], out: Path, resume: bool = False, period: str | None = None,
         as_of=None, **job_options):
    """Read every params file: (jobs to run, failed results for unreadable params, skipped entries).

    ``period``/``as_of`` override every client's (``reportkit run --period``); a relative
    period is resolved here, once (:mod:`reportkit.config.overrides`)."""
    from reportkit.config import overrides as _overrides
    jobs, failed, skipped = [], [], []
    previous: dict[str, dict[str, ManifestEntry]] = {}
    for path in files:
        try:
            values = _config.read_params(path)
            fixed = _overrides.resolve(values, period, as_of)
            cfg = _config.validate(_overrides.apply(values, fixed), where=str(path))
        except ReportkitError as error:
            failed.append(RenderResult(Path(path).stem, str(Path(path).resolve()), "failed", 0.0,
                                       error=short_error(error), exit_code=getattr(error, "exit_code", 2)))
            continue
        key = cfg.periods().key
        if key not in previous:
            previous[key] = {c.client_id: c for c in read_manifest(out / key).clients}
        entry = previous[key].get(cfg.client_id)
        if resume and _has_outputs(out, key, cfg.client_id) and (entry is None or entry.status == "ok"):
            skipped.append((key, entry or _entry_from_files(out, key, cfg.client_id, str(Path(path).resolve()))))
            continue
        jobs.append(Job(params=str(Path(path).resolve()), out=str(out), client_id=cfg.client_id, period_key=key,
                        overrides=fixed, **job_options))
    return jobs, failed, skipped


def _entry_from_files(out: Path, key: str, client_id: str, params: str) -> ManifestEntry:
    folder = out / key
    outputs = {ext: str(folder / f"{client_id}.{ext}") for ext in ("html", "ipynb", "json")}
    return entry_for(RenderResult(client_id, params, "ok", 0.0, outputs))


# ---------------------------------------------------------------- the batch

def status_line(result: RenderResult) -> str:
    if result.status == "ok":
        return f"ok      {result.client_id:<24} {result.duration_s:6.1f}s  {result.outputs.get('html', '')}"
    return f"FAILED  {result.client_id:<24} {result.duration_s:6.1f}s  {result.error}"


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
              progress: bool | None = None, pdf: bool = False, period: str | None = None,
              as_of=None) -> BatchResult:
    """Render every params file; one client's failure never stops the others.

    ``period`` (a month YYYY-MM or last-month, last_quarter, month_to_date) and ``as_of``
    (a date) override every client's for this batch."""
    import tqdm as _tqdm
    from tqdm import tqdm

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    os.environ.setdefault("REPORTKIT_ROOT", str(project_root()))
    out = Path(out).resolve()
    workers = max(1, workers or os.cpu_count() or 1)
    jobs, results, skipped = plan([Path(f) for f in files], out, resume, period=period, as_of=as_of, engine=engine,
                                  notebook=str(Path(notebook).resolve()) if notebook else None,
                                  cell_timeout_s=cell_timeout_s, report_timeout_s=report_timeout_s,
                                  pdf=pdf)
    _tqdm.tqdm.monitor_interval = 0  # no monitor thread: the parent stays single-threaded to fork
    bar = tqdm(total=len(jobs) + len(results), desc="reports", unit="client", file=sys.stderr,
               disable=(not progress) if progress is not None else None)
    if skipped:
        _say(bar, f"skipped {len(skipped)} client(s) whose last run succeeded and whose outputs exist (--resume)")
    for result in results:
        _say(bar, status_line(result))
        bar.update(1)

    def on_done(result: RenderResult) -> None:
        results.append(result)
        _say(bar, status_line(result))
        bar.update(1)

    try:
        if scheduler or dask_local:
            gc.enable()  # off while the command started (reportkit.entry)
            run_dask(jobs, workers, scheduler, on_done)
        else:
            run_local(jobs, workers, on_done)
    finally:
        bar.close()

    by_period: dict[str, list[ManifestEntry]] = {key: [entry] for key, entry in skipped}
    period_of = {job.client_id: job.period_key for job in jobs}
    unplaced = []
    for result in results:
        entry = entry_for(result)
        key = period_of.get(result.client_id)
        if key is None:
            unplaced.append(entry)  # params that did not validate: no period known
        else:
            by_period.setdefault(key, []).append(entry)
    for key in by_period:  # listed in every period of this batch (none if no period is known)
        by_period[key].extend(unplaced)
    manifests = []
    for key, entries in sorted(by_period.items()):
        manifests.append(write_manifest(out / key, entries))
        after_batch(out / key)
    return BatchResult(results, manifests)
