"""Time the goals/drivers/budget/benchmarks step (reportkit.analysis.assessment.build) per demo client.

    .venv/bin/python benchmarks/plan_build.py
"""

import time

from reportkit import config as config
from reportkit.core import facts
from reportkit.analysis import assessment as plans
from reportkit import report

CLIENTS = ["acme_outdoor", "northwind_b2b", "daily_gazette"]
RUNS = 5

for client in CLIENTS:
    rep = report.build(config.load(f"params/{client}.yaml"))
    p = rep.periods
    slices = {"current": facts.between(rep.facts, p.current.start, p.current.end),
              "previous": facts.between(rep.facts, p.previous.start, p.previous.end)}
    start = time.perf_counter()
    for _ in range(RUNS):
        plans.build(rep, slices)
    plan_s = (time.perf_counter() - start) / RUNS
    start = time.perf_counter()
    for _ in range(RUNS):
        report.build(rep.cfg)
    build_s = (time.perf_counter() - start) / RUNS
    print(f"{client:15s} rows {len(rep.facts):6d}  report.build {build_s:.3f}s  of which plans.build {plan_s:.3f}s")
