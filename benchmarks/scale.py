"""Scale: a 1,000,000-row fact table loads, validates and aggregates for a report.

    .venv/bin/python benchmarks/scale.py [--rows N] [--format parquet|csv]

Writes a synthetic canonical fact table (N rows: days x channels x campaigns) once under
data/bench/, then, in a fresh child process so that peak memory is the report's alone,
times ``report.build`` on it: read the file, validate (types, negatives, duplicate keys,
future dates), data-quality checks, KPIs for the period / previous / last year, by
channel and by day. Target (issue 5): under 10 s and 1.5 GB on a 2-core machine.
The last line is ``rows=<n> seconds=<s> peak_mb=<m>``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = ["Organic Search", "Paid Search", "Paid Social", "Email", "Direct", "Referral",
            "Display", "Organic Social"]


def write_table(path: Path, rows: int, fmt: str) -> None:
    """A deterministic table: 800 days x (channels x campaigns) combos, `rows` rows in all."""
    combos = max(1, rows // 800)
    days = pd.date_range("2024-08-28", periods=-(-rows // combos), freq="D")
    rng = np.random.default_rng(7)
    channel = np.array([CHANNELS[i % len(CHANNELS)] for i in range(combos)])
    campaign = np.array([f"campaign {i:04d}" for i in range(combos)])
    n = len(days) * combos
    frame = pd.DataFrame({
        "date": np.repeat(days.values, combos)[:rows],
        "source": "bench",
        "channel": np.tile(channel, len(days))[:rows],
        "campaign": np.tile(campaign, len(days))[:rows],
    })
    sessions = rng.poisson(40, n)[:rows]
    clicks = rng.poisson(12, n)[:rows]
    frame["sessions"] = sessions.astype("float64")
    frame["engaged_sessions"] = np.floor(sessions * 0.6)
    frame["pageviews"] = sessions * 2.0
    frame["conversions"] = rng.binomial(sessions, 0.02).astype("float64")
    frame["transactions"] = frame["conversions"]
    frame["revenue"] = np.round(frame["conversions"] * 80.0, 2)
    frame["clicks"] = clicks.astype("float64")
    frame["impressions"] = clicks * 30.0
    frame["cost"] = np.round(clicks * 0.9, 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
        frame.to_csv(path, index=False)


def measure(path: Path, fmt: str) -> None:
    """Build the report on ``path`` and print the figures (run in a child process)."""
    from reportkit import config
    from reportkit import report
    source = ({"type": "csv", "path": str(path)} if fmt == "csv" else
              {"type": "file", "path": str(path)})
    cfg = config.validate({"client_id": "bench", "client_name": "Bench", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR", "as_of": "2026-11-10",
                           "source": source})
    started = time.perf_counter()
    built = report.build(cfg)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
    print(f"format={fmt} revenue={built.figures['revenue'].value:,.0f} "
          f"channels={len(built.channels)} days={len(built.daily)}", file=sys.stderr)
    print(f"rows={len(built.facts)} seconds={seconds:.2f} peak_mb={peak_mb:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure), args.format)
        return
    path = ROOT / "data" / "bench" / f"facts_{args.rows}.{args.format}"
    if not path.is_file():
        write_table(path, args.rows, args.format)
    env = {**os.environ, "REPORTKIT_ROOT": str(ROOT)}
    child = subprocess.run([sys.executable, __file__, "--measure", str(path), "--format", args.format],
                           env=env, capture_output=True, text=True)
    sys.stderr.write(child.stderr)
    if child.returncode:
        sys.exit(child.returncode)
    print(f"file={path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.0f} MB)")
    print(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
