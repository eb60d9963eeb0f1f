"""What the client wants, against what happened: goals, drivers, budget, benchmarks.

``assess(measured)`` computes the four parts once per report (the sidecar keys ``goals``,
``drivers``, ``budget`` and ``benchmarks``) from what :func:`reportkit.analysis.comparisons.measure`
computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportkit.core.i18n import _
from reportkit.analysis import benchmarks as _benchmarks
from reportkit.analysis import budget as _budget
from reportkit.analysis import channel_costs
from reportkit.analysis import drivers as _drivers
from reportkit.analysis import goals
from reportkit.analysis import outages
from reportkit.core.facts import between
from reportkit.core.periods import month_end, shift_year


@dataclass(frozen=True)
class Assessment:
    now: date                                          # the last day the goals count
    goals: list = field(default_factory=list)          # goals.GoalResult, priority order
    drivers: list = field(default_factory=list)
    budget: dict = field(default_factory=dict)
    benchmarks: list = field(default_factory=list)


def goal_now(measured) -> date:
    """The last day the goals count: the report period's end, or the last day of data."""
    end = measured.periods.current.end
    data_to = measured.data_quality.get("data_to")
    return min(end, date.fromisoformat(data_to)) if data_to else end


def assess(measured) -> Assessment:
    cfg, p, facts = measured.cfg, measured.periods, measured.facts
    now = goal_now(measured)
    ly_prev = between(facts, shift_year(p.previous.start, -1), shift_year(p.previous.end, -1))
    keys = list(dict.fromkeys([g.kpi for g in cfg.goals] + [k.key for k in measured.chartable]))
    budget = {}
    if cfg.budget is not None or "cost" in facts.columns:
        registry = cfg.registry()
        budget = _budget.evaluate(cfg, facts, p.current.start, p.current.end, now, registry)
        data_to = measured.data_quality.get("data_to")
        if data_to and date.fromisoformat(data_to) > p.current.end:
            last = date.fromisoformat(data_to)
            budget["month_to_date"] = _budget.evaluate(cfg, facts, last.replace(day=1),
                                                       month_end(last), last, registry)
        # paid channels whose cost per result (a KPI of the report) is far above the others'
        # (this period, untracked days estimated, like the paid-channel figures of the cards)
        budget["costly_channels"] = channel_costs.far_above(measured.adjusted_slices["current"],
                                                              measured.chartable, registry)
    return Assessment(
        now=now, goals=_goals(cfg, facts, now),
        drivers=_drivers.explain(measured, measured.slices, ly_prev, cfg.material_change, keys),
        budget=budget, benchmarks=_benchmarks.evaluate(measured))


def _goals(cfg, facts, now) -> list:
    """Goals judged on the facts with untracked days estimated (a tracking outage is not
    underperformance); each goal also says what was recorded and how much is the estimate."""
    filled = outages.adjusted(facts)
    results = goals.evaluate_all(cfg, filled, now)
    if filled is facts:
        return results
    for result, raw in zip(results, goals.evaluate_all(cfg, facts, now)):
        value, recorded = result.figures.get("value"), raw.figures.get("value")
        if value is not None and recorded is not None and abs(value - recorded) > 1e-9:
            result.figures["recorded_value"] = recorded
            result.figures["untracked_estimate"] = value - recorded
            result.figures["untracked_method"] = _(outages.METHOD)
    return results
