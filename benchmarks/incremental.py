"""Incremental runs: a second ``reportkit run`` on unchanged inputs, and with one client's data
changed, against the first run, in one run of this script.

    .venv/bin/python benchmarks/incremental.py [--clients 8] [--workers N]

* first: ``reportkit run <the N params files>`` into an empty folder (every client renders);
* unchanged: the same command again (every client is skipped: its inputs' hash matches);
* one changed: one client's facts CSV gets one more row; the same command again (exactly
  that client renders, the script checks which);
* startup: ``reportkit --help``, the command's start-up and imports alone.

Each is one CLI process, its start-up and imports included. Prints the times and the ratios
first / unchanged (target: at least 20 at 8 clients) and first / one changed. The clients are
csv clients, each reading its own copy of a demo CSV. The machine may be shared: compare
figures from the same run only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from batch import make_params  # the same demo-based csv clients as the batch benchmark

ROOT = Path(__file__).resolve().parents[1]


def timed_run(files: list[Path], out: Path, workers: int | None) -> tuple[float, str]:
    cmd = [str(Path(sys.executable).parent / "reportkit"), "run", *map(str, files), "--out", str(out)]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def rendered(stdout: str) -> list[str]:
    return sorted(line.split()[1] for line in stdout.splitlines() if line.startswith("ok "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reportkit-incremental-") as tmp:
        tmp = Path(tmp)
        files = make_params(tmp, args.clients, prefix="inc", own_facts=True)
        out = tmp / "reports"
        first, log = timed_run(files, out, args.workers)
        assert len(rendered(log)) == args.clients, log
        unchanged, log = timed_run(files, out, args.workers)
        assert rendered(log) == [], log
        facts = tmp / "facts0.csv"
        lines = facts.read_text().splitlines()
        # one more row: the last row's campaign renamed, so the file stays free of duplicate keys
        head = lines[0].split(",")
        row = lines[-1].split(",")
        row[head.index("campaign")] = "incremental benchmark"
        facts.write_text("\n".join(lines + [",".join(row)]) + "\n")
        changed, log = timed_run(files, out, args.workers)
        assert rendered(log) == [files[0].stem], log
        started = time.perf_counter()  # the command's start-up alone: what an all-skipped run cannot avoid
        subprocess.run([str(Path(sys.executable).parent / "reportkit"), "--help"], capture_output=True, cwd=ROOT)
        startup = time.perf_counter() - started
    print(json.dumps({"clients": args.clients, "first_s": round(first, 2), "unchanged_s": round(unchanged, 2),
                      "one_changed_s": round(changed, 2),
                      "startup_s": round(startup, 2), "unchanged_minus_startup_s": round(unchanged - startup, 2), "first_vs_unchanged": round(first / unchanged, 1),
                      "first_vs_one_changed": round(first / changed, 1)}, indent=1))


if __name__ == "__main__":
    main()
