"""Batch throughput: the naive loop, the batch runner and the floor, on the same 8 clients.

    .venv/bin/python benchmarks/batch.py [--clients 8] [--workers N] [--engine fast|kernel] [--repeat 3]

* naive: per client, the ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``
  CLI, one client after another (what an operator would script by hand);
* batch: ``reportkit run <the 8 params files>`` as one CLI process (its own start-up and
  imports included), default engine and workers unless given;
* floor: the same computations and charts in this warm Python process, no notebook:
  ``report.build`` + every ``rk.show_*`` call of the template notebook (each chart as SVG,
  each HTML fragment) + the sidecar JSON, one client after another on one core. ``floor_s_per_report`` divides that by the cores the
  batch may use (``min(workers, cores)``): the floor of a perfectly parallel run on this
  machine, so ``overhead_vs_floor`` = batch / that is never flattered by parallelism.

The 8 clients are csv clients reading the three demo CSVs (distinct client_ids). The
machine may be shared: run it when quiet, and compare figures from the same run only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO = ["acme_outdoor", "northwind_b2b", "daily_gazette"]


def make_params(folder: Path, count: int, prefix: str = "bench", own_facts: bool = False) -> list[Path]:
    """``count`` csv clients cycling through the demo clients' params and data; with
    ``own_facts`` each reads its own copy of the demo CSV (so one client's data can change)."""
    import shutil

    from reportkit.sources.demo import ensure_demo_data
    files = []
    for i in range(count):
        demo = DEMO[i % len(DEMO)]
        facts, users = ensure_demo_data(demo)
        if own_facts:
            facts = shutil.copyfile(facts, folder / f"facts{i}.csv")
        values = yaml.safe_load((ROOT / "params" / f"{demo}.yaml").read_text())
        values["client_id"] = f"{prefix}{i}_{demo}"
        values["source"] = {"type": "csv", "path": str(facts), "users_path": str(users)}
        path = folder / f"{values['client_id']}.yaml"
        path.write_text(yaml.safe_dump(values))
        files.append(path)
    return files


def run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def naive(files: list[Path], out: Path) -> float:
    out.mkdir(parents=True)
    started = time.perf_counter()
    for path in files:
        target = out / f"{path.stem}.ipynb"
        run([str(BIN / "papermill"), "notebooks/client_report.ipynb", str(target), "-f", str(path),
             "--no-progress-bar"])
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)])
    return time.perf_counter() - started


def batch(files: list[Path], out: Path, workers: int | None, engine: str) -> float:
    cmd = [str(BIN / "reportkit"), "run", *map(str, files), "--out", str(out), "--engine", engine]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    run(cmd)
    return time.perf_counter() - started


def notebook_calls() -> list[str]:
    """The ``rk.show_*`` functions the template notebook calls, in order."""
    import re

    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / "client_report.ipynb", as_version=4)
    return [name for cell in nb.cells if cell.cell_type == "code"
            for name in re.findall(r"\brk\.(show_\w+)\(report\)", cell.source)]


def floor(files: list[Path]) -> float:
    import contextlib
    import io
    import json

    import reportkit.notebook as rk
    from reportkit import config
    from reportkit import report
    calls = [getattr(rk, name) for name in notebook_calls()]
    config.load(files[0])  # imports done before the clock starts: a warm process
    started = time.perf_counter()
    for path in files:
        rep = report.build(config.load(path))
        # outside IPython, display() only prints a repr: the charts and HTML are still made
        with contextlib.redirect_stdout(io.StringIO()):
            for show in calls:
                show(rep)
        json.dumps(rep.sidecar().to_json(), default=str)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="default: the batch's default (cores)")
    parser.add_argument("--engine", default="fast")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of naive, batch and floor, one after another; the figures are "
                             "each one's median (a shared machine's speed drifts by tens of percent)")
    parser.add_argument("--skip-naive", action="store_true", help="(for quick checks; prints no speed-up)")
    args = parser.parse_args()
    os.environ.setdefault("REPORTKIT_ROOT", str(ROOT))
    cores = os.cpu_count() or 1
    parallel = min(args.workers or cores, cores, args.clients)
    tmp = Path(tempfile.mkdtemp(prefix="reportkit-bench-"))
    try:
        files = make_params(tmp / "params", args.clients) if (tmp / "params").mkdir() is None else []
        n = len(files)
        print(f"clients={n} cores={cores} batch_workers={args.workers or cores} engine={args.engine} "
              f"repeat={args.repeat} load_average={os.getloadavg()[0]:.2f}")
        rounds = []
        for r in range(args.repeat):
            naive_s = None if args.skip_naive else naive(files, tmp / f"naive{r}") / n
            batch_s = batch(files, tmp / f"batch{r}", args.workers, args.engine) / n
            floor_1core = floor(files) / n
            rounds.append((naive_s, batch_s, floor_1core))
            if args.repeat > 1:
                print(f"round={r + 1} " + (f"naive={naive_s:.3f} " if naive_s else "") +
                      f"batch={batch_s:.3f} floor_1core={floor_1core:.3f} " +
                      (f"speedup_vs_naive={naive_s / batch_s:.2f} " if naive_s else "") +
                      f"overhead_vs_floor={batch_s / (floor_1core / parallel):.2f}")
        naive_s = None if args.skip_naive else statistics.median(r[0] for r in rounds)
        batch_s = statistics.median(r[1] for r in rounds)
        floor_1core = statistics.median(r[2] for r in rounds)
        floor_s = floor_1core / parallel
        if naive_s is not None:
            print(f"naive_s_per_report={naive_s:.3f}")
        print(f"batch_s_per_report={batch_s:.3f}")
        print(f"floor_1core_s_per_report={floor_1core:.3f}")
        print(f"floor_s_per_report={floor_s:.3f}   (one-core floor / {parallel} cores)")
        print(f"load_average_after={os.getloadavg()[0]:.2f}")
        overhead = batch_s / floor_s
        print(f"overhead_vs_floor_1core={batch_s / floor_1core:.2f}   (batch / one-core floor)")
        if naive_s is not None:
            speedup = naive_s / batch_s
            print(f"speedup_vs_naive={speedup:.2f}")
            print(f"overhead_vs_floor={overhead:.2f}")
            print(f"speedup_vs_naive={speedup:.2f} overhead_vs_floor={overhead:.2f}")
        else:
            print(f"overhead_vs_floor={overhead:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
