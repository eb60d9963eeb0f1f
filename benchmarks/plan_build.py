"""Time the goals/drivers/budget/benchmarks step (reportkit.analysis.assessment.assess) per demo client.

    .venv/bin/python benchmarks/plan_build.py
"""

import time

from reportkit import config, report, sources
from reportkit.analysis.assessment import assess
from reportkit.analysis.comparisons import measure

CLIENTS = ["acme_outdoor", "northwind_b2b", "daily_gazette"]
RUNS = 5

for client in CLIENTS:
    cfg = config.load(f"params/{client}.yaml")
    measured = measure(cfg, sources.load(cfg, cfg.periods()))
    start = time.perf_counter()
    for _ in range(RUNS):
        assess(measured)
    plan_s = (time.perf_counter() - start) / RUNS
    start = time.perf_counter()
    for _ in range(RUNS):
        report.build(cfg)
    build_s = (time.perf_counter() - start) / RUNS
    print(f"{client:15s} rows {len(measured.facts):6d}  report.build {build_s:.3f}s  of which assess {plan_s:.3f}s")
