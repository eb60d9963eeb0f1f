"""Budget: spend against budget, pacing to the period end, over/under with a tolerance.

The budget of a period is the sum of its months' budgets, each month prorated by the
days of it inside the period (a calendar-month period gets exactly that month's budget).
Pacing is a straight line: spend so far / days elapsed x days in the period.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from reportkit.core.facts import between
from reportkit.core import metrics
from reportkit.core.i18n import N_
from reportkit.core.periods import month_end

FINANCIAL_KPIS = ("cpc", "cpa", "roas", "romi")
BUDGET_OK = ("on_budget",)                 # pace statuses: on_budget, over, under, no_budget
BUDGET_OFF = ("over", "under")
BUDGET_WORDS = {"on_budget": N_("on budget"), "over": N_("over budget"), "under": N_("under budget"),
                "no_budget": N_("no budget set")}  # English; translated where the client sees them


def month_budget(budget, month: str, part: str | None = None, name: str | None = None) -> float | None:
    """The budget of calendar month ``YYYY-MM`` (for a channel / campaign when named)."""
    if part == "channel":
        return budget.channels.get(name)
    if part == "campaign":
        return budget.campaigns.get(name)
    return budget.months.get(month, budget.monthly)


def period_budget(budget, start: date, end: date, part=None, name=None) -> float | None:
    """Sum of month budgets over start..end, each prorated by its days inside the range."""
    total, day = 0.0, start
    while day <= end:
        last = min(month_end(day), end)
        amount = month_budget(budget, f"{day:%Y-%m}", part, name)
        if amount is None:
            return None
        total += amount * ((last - day).days + 1) / month_end(day).day
        day = last + pd.Timedelta(days=1).to_pytimedelta()
    return total


def pace(spend: float, budget: float | None, days_elapsed: int, days_total: int,
         tolerance: float) -> dict:
    """Spend against budget; projection to the period end at the current daily pace.

    share_used and the projected over/under share are None when the budget is 0 or
    unknown (a share of nothing is undefined); status is then 'over' when anything was
    spent against a zero budget, else 'no_budget'.
    """
    projected = spend / days_elapsed * days_total if days_elapsed else None
    out = {"spend": spend, "budget": budget, "days_elapsed": days_elapsed, "days_total": days_total,
           "projected": projected, "share_used": None, "projected_vs_budget": None,
           "expected_by_now": None, "status": "no_budget"}
    if budget is None:
        return out
    out["expected_by_now"] = budget * days_elapsed / days_total if days_total else None
    if budget == 0:
        out["status"] = "over" if spend > 0 else "on_budget"
        return out
    out["share_used"] = spend / budget
    rel = projected / budget - 1 if projected is not None else None
    out["projected_vs_budget"] = rel
    if rel is None:
        out["status"] = "on_budget"
    elif rel > tolerance:
        out["status"] = "over"
    elif rel < -tolerance:
        out["status"] = "under"
    else:
        out["status"] = "on_budget"
    return out


def _spend(facts: pd.DataFrame, start: date, end: date, column: str | None = None, name=None) -> float:
    if "cost" not in facts.columns:
        return 0.0
    part = between(facts, start, end)
    if column:
        part = part[part[column] == name]
    return float(part["cost"].sum())


def evaluate(cfg, facts: pd.DataFrame, start: date, end: date, through: date, registry: dict) -> dict:
    """Budget figures for start..end with data counted through ``through`` (mid-period
    runs project to the end). Includes daily cumulative spend for the chart."""
    budget = cfg.budget
    through = min(through, end)
    elapsed = max(0, (through - start).days + 1)
    total = (end - start).days + 1
    spend = _spend(facts, start, through)
    out = {"start": start.isoformat(), "end": end.isoformat(), "through": through.isoformat(),
           "tolerance": budget.tolerance if budget else None,
           **pace(spend, period_budget(budget, start, end) if budget else None, elapsed, total,
                  budget.tolerance if budget else 0.0)}
    parts = []
    for column, names in (("channel", budget.channels if budget else {}),
                          ("campaign", budget.campaigns if budget else {})):
        for name in names:
            b = period_budget(budget, start, end, column, name)
            parts.append({"kind": column, "name": name,
                          **pace(_spend(facts, start, through, column, name), b, elapsed, total,
                                 budget.tolerance)})
    out["parts"] = parts
    part = between(facts, start, through)
    kpis = [registry[k] for k in FINANCIAL_KPIS if k in registry]
    values = metrics.compute(part, kpis) if len(part) else {k.key: None for k in kpis}
    out["financial"] = {k.key: {"label": k.label, "value": values[k.key], "unit": k.unit,
                                "explain": k.explain} for k in kpis}
    if "cost" in part.columns and len(part):
        daily = part.groupby("date")["cost"].sum().reindex(
            pd.date_range(start, through, freq="D"), fill_value=0.0).cumsum()
        out["cumulative"] = [[d.date().isoformat(), float(v)] for d, v in daily.items()]
    else:
        out["cumulative"] = []
    return out
