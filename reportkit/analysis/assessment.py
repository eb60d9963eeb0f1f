"""What the client wants, against what happened: goals, drivers, budget, benchmarks.

``build(report, slices)`` computes the four parts once per report; ``Plan.sidecar()``
gives the sidecar keys ``goals``, ``drivers``, ``budget`` and ``benchmarks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from reportkit.analysis import benchmarks as _benchmarks
from reportkit.analysis import budget as _budget
from reportkit.analysis import drivers as _drivers
from reportkit.core import facts as _facts
from reportkit.analysis import goals as targets
from reportkit.core.periods import month_end, shift_year


@dataclass
class Plan:
    now: date
    goals: list = field(default_factory=list)          # targets.GoalResult, priority order
    drivers: list = field(default_factory=list)
    budget: dict = field(default_factory=dict)
    benchmarks: list = field(default_factory=list)
    summary_figures: list = field(default_factory=list)  # per summary sentence: text, path, format

    def sidecar(self) -> dict:
        return {"goals": [g.figures for g in self.goals], "drivers": self.drivers,
                "budget": self.budget, "benchmarks": self.benchmarks,
                "summary_figures": self.summary_figures}


def goal_now(report) -> date:
    """The last day the goals count: the report period's end, or the last day of data."""
    end = report.periods.current.end
    data_to = report.data_quality.get("data_to")
    return min(end, date.fromisoformat(data_to)) if data_to else end


def build(report, slices: dict[str, pd.DataFrame]) -> Plan:
    cfg, p = report.cfg, report.periods
    now = goal_now(report)
    plan = Plan(now=now)
    plan.goals = targets.evaluate_all(cfg, report.facts, now)
    ly_prev = _facts.between(report.facts, shift_year(p.previous.start, -1), shift_year(p.previous.end, -1))
    goal_keys = [g.kpi for g in cfg.goals]
    keys = list(dict.fromkeys(goal_keys + [k.key for k in report.chartable]))
    plan.drivers = _drivers.explain(report, slices, ly_prev, cfg.material_change, keys)
    if cfg.budget is not None or "cost" in report.facts.columns:
        registry = cfg.registry()
        plan.budget = _budget.evaluate(cfg, report.facts, p.current.start, p.current.end, now, registry)
        data_to = report.data_quality.get("data_to")
        if data_to and date.fromisoformat(data_to) > p.current.end:
            last = date.fromisoformat(data_to)
            plan.budget["month_to_date"] = _budget.evaluate(cfg, report.facts, last.replace(day=1),
                                                            month_end(last), last, registry)
    plan.benchmarks = _benchmarks.evaluate(report)
    return plan
