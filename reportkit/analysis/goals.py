"""Goals and milestones: value now, progress, pacing, forecast, status, required run-rate.

A goal is measured one of two ways (``Goal.measure``):

- ``monthly``: the KPI of each calendar month (a ratio of that month's sums). The value
  now is the last complete month up to the report's end; the target applies to the
  month that contains the deadline. Pacing is the straight line from the baseline (at
  the start) to the target (at the deadline), by months elapsed.
- ``cumulative``: the total from ``start`` to date (additive KPIs only). Pacing is the
  share of the target due by now: last year's shape of the same window when a full year
  of history covers it (seasonal pacing), else the share of days elapsed.

Statuses: ``achieved``, ``on_track``, ``at_risk``, ``behind``, ``missed`` (and
``not_started`` before the start). Every function here is pure: facts in, numbers out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from reportkit.core.facts import between
from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _
from reportkit.core import metrics
from reportkit.errors import ConfigError
from reportkit.core.periods import month_end, shift_year
from reportkit.analysis.goal_rules import (margin, meets, progress, reach_status, seasonal_share,  # noqa: F401 (re-exported)
                     stay_status, straight_line, trend_per_month, value_between)
from reportkit.config.goals import Goal, parse_relative

GOAL_OK = ("achieved", "on_track")            # statuses that need no attention
GOAL_OFF = ("at_risk", "behind", "missed")      # statuses the agency overview flags
STATUS_WORDS = {"achieved": N_("achieved"), "on_track": N_("on track"), "at_risk": N_("at risk"),
                "behind": N_("behind"), "missed": N_("missed"), "not_started": N_("not started")}
MET_EARLY_WORDS = N_("on track — target already met")   # on_track, target met before the deadline
# The named baselines as the report says them (translated where shown: _(BASELINE_WORDS[name])).
BASELINE_WORDS = {"previous_month": N_("previous month"), "previous_quarter": N_("previous quarter"),
                  "trailing_12_months": N_("trailing 12 months"),
                  "same_period_last_year": N_("same period last year")}


# --- small pure helpers ------------------------------------------------------------

def scoped(facts: pd.DataFrame, scope: dict | None, where: str | None = None) -> pd.DataFrame:
    """Rows matching every ``column: value`` (or list of values) of ``scope``.

    With ``where`` (a goal), a column the data lacks, or a value that matches no row in
    the whole history (almost always a typo), is a ConfigError naming the known values.
    """
    if not scope:
        return facts
    mask = pd.Series(True, index=facts.index)
    for column, wanted in scope.items():
        if column not in facts.columns:
            raise ConfigError(f"{where or 'scope'}: scope '{column}'", "the data has no such column",
                              f"use one of: {', '.join(c for c in facts.columns if facts[c].dtype == object)}")
        values = wanted if isinstance(wanted, list) else [wanted]
        hit = facts[column].isin(values)
        if where and len(facts) and not hit.any():
            known = ", ".join(sorted(map(str, facts[column].dropna().unique()))[:20])
            raise ConfigError(f"{where}: scope {column}: {wanted}", "no row of the data has that value",
                              f"use one of: {known}")
        mask &= hit
    return facts[mask]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    """First day of the month ``n`` months after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(a: date, b: date) -> int:
    """Whole calendar months from a's month to b's month (b - a)."""
    return (b.year - a.year) * 12 + b.month - a.month


def monthly_values(facts: pd.DataFrame, kpi, first: date, last: date) -> dict[date, float | None]:
    """KPI per calendar month from first's month to last's month (month start -> value)."""
    first, stop = month_start(first), month_end(last)
    part = between(facts, first, stop)
    by_month = {}
    if len(part):
        part = part.assign(_month=part["date"].dt.to_period("M"))
        table = metrics.compute_by(part, "_month", [kpi])[kpi.key]
        by_month = {p.start_time.date(): (None if pd.isna(v) else float(v)) for p, v in table.items()}
    out, m = {}, first
    while m <= last:
        out[m] = by_month.get(m)
        m = add_months(m, 1)
    return out


def baseline_range(ref: str, goal: Goal) -> tuple[date, date]:
    """The date range a named baseline refers to (always before the goal's start)."""
    s = goal.start
    if ref == "previous_month":
        first = add_months(s, -1)
        return first, month_end(first)
    if ref == "previous_quarter":
        q_first = date(s.year, 3 * ((s.month - 1) // 3) + 1, 1)
        first = add_months(q_first, -3)
        return first, month_end(add_months(first, 2))
    if ref == "trailing_12_months":
        first = add_months(month_start(s), -12)
        return first, month_end(add_months(first, 11))
    if ref == "same_period_last_year":
        return shift_year(goal.start, -1), shift_year(goal.deadline, -1)
    raise ValueError(ref)


def baseline_value(goal: Goal, kpi, facts: pd.DataFrame, data_from: date | None) -> tuple[float | None, str]:
    """(baseline, how it was found). Monthly goals compare like with like: an additive KPI's
    baseline over several months is the average month; a ratio is the ratio of the sums."""
    if goal.baseline is None:
        return None, _("no baseline given")
    if isinstance(goal.baseline, (int, float)):
        return float(goal.baseline), _("given in params")
    start, end = baseline_range(goal.baseline, goal)
    words = _(BASELINE_WORDS.get(goal.baseline, goal.baseline.replace("_", " ")))
    if data_from is None or pd.Timestamp(start) < pd.Timestamp(data_from):
        return None, _("{baseline} ({start} to {end}) is not covered by the data").format(
            baseline=words, start=fmt.day(start), end=fmt.day(end))
    value = value_between(facts, kpi, start, end)
    if value is not None and goal.measure == "monthly" and kpi.additive:
        months = months_between(start, end) + 1
        value = value / months
        if months > 1:
            return value, _("{baseline} (average month of {months}), {start} to {end}").format(
                baseline=words, months=months, start=fmt.day(start), end=fmt.day(end))
    return value, _("{baseline}, {start} to {end}").format(baseline=words, start=fmt.day(start), end=fmt.day(end))


def resolve_target(target, baseline: float | None) -> float | None:
    if isinstance(target, (int, float)):
        return float(target)
    if baseline is None:
        return None
    return baseline * (1 + parse_relative(target))


def direction_of(goal: Goal, kpi, baseline: float | None, target: float | None) -> str:
    """'up' or 'down': which way the value must go (or stay) to meet the target."""
    if goal.kind == "stay_above":
        return "up"
    if goal.kind == "stay_below":
        return "down"
    if baseline is not None and target is not None and target != baseline:
        return "up" if target > baseline else "down"
    return "up" if kpi.better == "higher" else "down"


def gap_days(facts: pd.DataFrame, start: date, end: date) -> int:
    """Days of start..end with no rows, or with rows but zero sessions (a tracking outage)."""
    part = between(facts, start, end)
    days = (end - start).days + 1
    if "sessions" not in part.columns:
        return days - part["date"].nunique()
    per_day = part.groupby("date")["sessions"].sum()
    return days - int((per_day > 0).sum())


@dataclass
class GoalResult:
    """One goal, evaluated: ``figures`` go to the sidecar, ``series`` feed the chart."""

    goal: Goal
    kpi: object
    figures: dict
    series: dict = field(default_factory=dict)


def _round(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def evaluate(goal: Goal, kpi, facts: pd.DataFrame, now: date) -> GoalResult:
    """Evaluate ``goal`` on ``facts`` (all history) as of ``now`` (last day of data counted)."""
    facts = scoped(facts, goal.scope, where=f"goal '{goal.id}'")
    data_from = facts["date"].min().date() if len(facts) else None
    baseline, baseline_note = baseline_value(goal, kpi, facts, data_from)
    target = resolve_target(goal.target, baseline)
    direction = direction_of(goal, kpi, baseline, target)
    deadline_passed = now >= goal.deadline
    fig = {"id": goal.id, "name": goal.name, "kpi": kpi.key, "label": kpi.label, "unit": kpi.unit,
           "better": kpi.better, "kind": goal.kind, "measure": goal.measure, "scope": goal.scope,
           "start": goal.start.isoformat(), "deadline": goal.deadline.isoformat(),
           "baseline": baseline, "baseline_source": baseline_note, "target": target,
           "direction": direction, "as_of": now.isoformat()}
    if now < goal.start:
        fig.update(status="not_started", status_words=_(STATUS_WORDS["not_started"]), value=None,
                   progress=None, gap=None, expected_now=None,
                   forecast=None, forecast_method=None, pacing_method=None, required=None,
                   milestones=_milestones(goal, kpi, facts, baseline, None, now, direction))
        return GoalResult(goal, kpi, fig)
    if goal.measure == "cumulative":
        _cumulative(goal, kpi, facts, now, baseline, target, direction, deadline_passed, fig)
    else:
        _monthly(goal, kpi, facts, now, baseline, target, direction, deadline_passed, fig)
    fig["data_gaps"] = _gaps(goal, facts, fig, now)
    fig["last_quarter_growth"] = last_quarter_growth(facts, kpi, goal.start)
    series = fig.pop("_series")
    fig["milestones"] = _milestones(goal, kpi, facts, baseline, fig["value"], now, direction,
                                    series.get("at"))
    _agree_with_milestones(fig)
    met_early = fig["status"] == "on_track" and goal.kind == "reach" and meets(fig["value"], fig["target"], direction)
    fig["status_words"] = _(MET_EARLY_WORDS) if met_early else _(STATUS_WORDS[fig["status"]])
    return GoalResult(goal, kpi, fig, series)


def _agree_with_milestones(fig: dict) -> None:
    """Milestone and goal verdicts agree: a goal whose latest passed milestone was missed is at
    risk at best; a milestone hit while the goal is off its pace says so (``note``)."""
    passed = [m for m in fig["milestones"] if m["state"] in ("hit", "missed")]
    if not passed or fig["status"] in ("achieved", "missed", "not_started"):
        return
    last = passed[-1]
    if last["state"] == "missed" and fig["status"] == "on_track":
        fig["status"] = "at_risk"
        fig["status_reason"] = _("the milestone of {date} was missed").format(date=last["date"])
    for m in passed:
        if m["state"] == "hit" and fig["status"] in ("at_risk", "behind"):
            m["note"] = _("hit, but the goal is behind the pace it needs by now")


def _cumulative(goal, kpi, facts, now, baseline, target, direction, deadline_passed, fig):
    through = min(now, goal.deadline)
    value = value_between(facts, kpi, goal.start, through) or 0.0
    days_total = (goal.deadline - goal.start).days + 1
    days_done = (through - goal.start).days + 1
    days_left = (goal.deadline - through).days
    share_time = days_done / days_total
    ly_share = seasonal_share(facts, kpi, goal.start, through, goal.deadline)
    if ly_share is not None:
        share, pacing = ly_share, _("seasonal: last year {share} of the same window's total had come "
                                    "in by {date}").format(share=fmt.percent(ly_share, 1),
                                                           date=fmt.day(shift_year(through, -1)))
    else:
        share, pacing = share_time, _("straight line: share of days elapsed (no full year of "
                                      "history for this window, so no seasonal pacing)")
    expected = target * share if target is not None else None
    if share > 0:
        forecast = value / share
        method = (_("last year's shape of the same window") if ly_share is not None
                  else _("current daily pace continued to the deadline"))
    else:
        forecast, method = None, _("not enough of the window has passed")
    per_day_now = value / days_done if days_done else None
    required = ((target - value) / days_left) if (target is not None and days_left > 0) else None
    allowed = margin(goal.tolerance, target, 0.0)   # a running total starts at 0
    status = (reach_status(value, target, expected, forecast, direction, allowed, deadline_passed,
                           reached_is_final=kpi.additive and direction == "up")
              if goal.kind == "reach" else
              stay_status([value], value, target, forecast, direction, allowed, deadline_passed))
    cum = _daily_cumulative(facts, kpi, goal.start, through)
    fig.update(value=value, progress=progress(value, 0.0, target), gap=_gap(target, value),
               expected_now=_round(expected), pacing_method=pacing, share_elapsed=share_time,
               forecast=_round(forecast), forecast_method=method, status=status,
               required={"per_day": _round(required), "current_per_day": _round(per_day_now),
                         "days_left": days_left})
    path = [(goal.start - timedelta(days=1), 0.0), (goal.deadline, target)]
    ahead = [(through, value), (goal.deadline, forecast)] if forecast is not None else []
    if ly_share is not None and target is not None:
        # the target path and forecast follow last year's running total of the same window
        ly = _daily_cumulative(facts, kpi, shift_year(goal.start, -1), shift_year(goal.deadline, -1))
        total = ly[-1][1]
        ly_now = ly_share * total
        path = [(goal.start - timedelta(days=1), 0.0)] + [
            (d + (goal.start - shift_year(goal.start, -1)), target * v / total) for d, v in ly]
        if forecast is not None and total > ly_now:
            ahead = [(d + (goal.start - shift_year(goal.start, -1)),
                      value + (forecast - value) * (v - ly_now) / (total - ly_now))
                     for d, v in ly if d >= shift_year(through, -1)]
    fig["_series"] = {"at": lambda d: value_between(facts, kpi, goal.start, d), "actual": cum,
                      "path": path, "forecast": ahead}


def _daily_cumulative(facts, kpi, start, end) -> list[tuple[date, float]]:
    part = between(facts, start, end)
    if part.empty:
        return []
    daily = metrics.compute_by(part, "date", [kpi])[kpi.key].fillna(0).cumsum()
    return [(d.date(), float(v)) for d, v in daily.items()]


def _monthly(goal, kpi, facts, now, baseline, target, direction, deadline_passed, fig):
    last_full = month_start(now) if now == month_end(now) else add_months(now, -1)
    deadline_month = month_start(goal.deadline)
    value_month = min(last_full, deadline_month)
    history = monthly_values(facts, kpi, goal.start, month_end(value_month)) if value_month >= goal.start else {}
    value = history.get(value_month)
    months_total = months_between(goal.start, deadline_month) + 1
    months_done = max(0, months_between(goal.start, value_month) + 1)
    months_left = months_between(value_month, deadline_month)
    share = months_done / months_total
    expected = straight_line(baseline, target, share) if baseline is not None and target is not None else None
    pacing = (_("straight line from the baseline to the target by months elapsed")
              if expected is not None else _("no baseline, so no pacing line"))
    ly_now = value_between(facts, kpi, shift_year(value_month, -1), month_end(shift_year(value_month, -1)))
    ly_end = value_between(facts, kpi, shift_year(deadline_month, -1), month_end(shift_year(deadline_month, -1)))
    before = monthly_values(facts, kpi, add_months(value_month, -5), month_end(value_month))
    slope = trend_per_month(list(before.values()))
    if months_left == 0:
        forecast, method = value, _("the deadline month is the latest month")
    elif value is not None and ly_now and ly_end is not None:
        forecast = value * ly_end / ly_now
        method = _("last year's shape: {deadline_month} was {factor} times {value_month}").format(
            deadline_month=fmt.month(shift_year(deadline_month, -1)), factor=fmt.number(ly_end / ly_now, 2),
            value_month=fmt.month(shift_year(value_month, -1)))
    elif value is not None and slope is not None:
        forecast = value + slope * months_left
        method = _("trend of the last months continued (no year of history for seasonality)")
    else:
        forecast, method = value, _("current level held (too little history for a trend)")
    required = (target - value) / months_left if (target is not None and value is not None and months_left) else None
    if value_month < goal.start:
        status = "not_started"  # no complete month since the start yet
    elif goal.kind == "reach":
        status = reach_status(value, target, expected, forecast, direction,
                              margin(goal.tolerance, target, baseline), deadline_passed)
    else:
        status = stay_status(list(history.values()), value, target, forecast, direction,
                             margin(goal.tolerance, target, baseline), deadline_passed)
    fig.update(value=value, value_month=value_month.strftime("%Y-%m"),
               progress=progress(value, baseline, target), gap=_gap(target, value),
               expected_now=_round(expected), pacing_method=pacing, share_elapsed=share,
               forecast=_round(forecast), forecast_method=method, status=status,
               required={"per_month": _round(required), "trend_per_month": _round(slope),
                         "months_left": months_left},
               history={m.strftime("%Y-%m"): v for m, v in history.items()})
    path = ([(add_months(goal.start, -1), baseline), (deadline_month, target)]
            if baseline is not None else [(deadline_month, target)])
    shown = monthly_values(facts, kpi, add_months(goal.start, -6), month_end(value_month))
    fig["_series"] = {"at": lambda d: value_between(facts, kpi, month_start(d), month_end(d)),
                      "actual": [(m, v) for m, v in shown.items()], "path": path,
                      "forecast": [(value_month, value), (deadline_month, forecast)]
                      if forecast is not None and months_left else []}


def last_quarter_growth(facts: pd.DataFrame, kpi, start: date) -> float | None:
    """How the KPI moved over the three months before ``start`` against the three before
    those (per day for sums, so 92 and 90 days compare): the goal's own benchmark."""
    windows = [(add_months(start, -6), add_months(start, -3) - timedelta(days=1)),
               (add_months(start, -3), start - timedelta(days=1))]
    if not len(facts) or facts["date"].min() > pd.Timestamp(windows[0][0]):
        return None
    values = []
    for first, last in windows:
        v = value_between(facts, kpi, first, last)
        if v is not None and kpi.additive:
            v = v / ((last - first).days + 1)
        values.append(v)
    return metrics.relative_change(values[1], values[0])


def _gaps(goal, facts, fig, now) -> dict:
    """Days without data or visits in the baseline range and in what the value covers."""
    out = {}
    if isinstance(goal.baseline, str) and fig["baseline"] is not None:
        out["baseline"] = gap_days(facts, *baseline_range(goal.baseline, goal))
    if fig.get("value_month"):
        first = date.fromisoformat(fig["value_month"] + "-01")
        out["value"] = gap_days(facts, first, month_end(first))
    elif goal.measure == "cumulative":
        out["value"] = gap_days(facts, goal.start, min(now, goal.deadline))
    return out


def _gap(target, value):
    return None if target is None or value is None else target - value


def _milestones(goal, kpi, facts, baseline, value_now, now, direction, at=None) -> list[dict]:
    out, next_done = [], False
    for m in sorted(goal.milestones, key=lambda m: m.date):
        target = resolve_target(m.target, baseline)
        item = {"date": m.date.isoformat(), "label": m.label, "target": target}
        if m.date <= now and at is not None:
            value = at(m.date)
            item.update(state="hit" if meets(value, target, direction) else "missed", value=value)
        else:
            distance = _gap(target, value_now)
            # left to go in the goal's direction: <= 0 means the milestone is already met
            to_go = None if distance is None else (distance if direction == "up" else -distance)
            item.update(state="upcoming", value=None, next=not next_done, distance=distance,
                        to_go=to_go, met_already=None if to_go is None else to_go <= 0,
                        days_to_go=(m.date - now).days)
            next_done = True
        out.append(item)
    return out


def evaluate_all(cfg, facts: pd.DataFrame, now: date) -> list[GoalResult]:
    reg = cfg.registry()
    return [evaluate(goal, reg[goal.kpi], facts, now) for goal in cfg.goals]
