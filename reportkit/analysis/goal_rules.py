"""Pacing and status rules for goals: pure functions of numbers (and, for seasonal
pacing, of last year's facts). :mod:`reportkit.analysis.goals` applies them to a goal."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from reportkit.core.facts import between
from reportkit.core import metrics
from reportkit.core.periods import shift_year


def value_between(facts: pd.DataFrame, kpi, start: date, end: date) -> float | None:
    """The KPI over start..end (inclusive) as a ratio of sums; None when nothing to divide."""
    part = between(facts, start, end)
    if part.empty:
        return None
    return metrics.compute(part, [kpi])[kpi.key]


def meets(value: float | None, target: float | None, direction: str) -> bool | None:
    """Is ``value`` at or past ``target`` in ``direction`` ('up' or 'down')? None if unknown."""
    if value is None or target is None:
        return None
    return value >= target if direction == "up" else value <= target


def straight_line(baseline: float, target: float, share: float) -> float:
    """Expected value after ``share`` (0..1) of the time on the line baseline -> target."""
    return baseline + (target - baseline) * share


def progress(value, baseline, target) -> float | None:
    """Share of the way from baseline to target (0 = at baseline, 1 = at target)."""
    if value is None or baseline is None or target is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


def trend_per_month(values: list[float]) -> float | None:
    """Least-squares slope per month over up to the last six monthly values (3 needed)."""
    points = [v for v in values if v is not None][-6:]
    if len(points) < 3:
        return None
    slope, _ = np.polyfit(np.arange(len(points), dtype=float), np.asarray(points, dtype=float), 1)
    return float(slope)


def margin(tolerance: float, target: float | None, baseline: float | None) -> float:
    """The one tolerance rule of every goal kind: ``tolerance`` x |target - baseline|, or
    x |target| when there is no baseline (a cumulative goal's baseline is 0)."""
    if target is None:
        return 0.0
    return tolerance * abs(target - (baseline if baseline is not None else 0.0))


def clears(value: float | None, target: float | None, direction: str, margin_: float) -> bool | None:
    """Is ``value`` past ``target`` by more than ``margin_``? A forecast on the line (within the
    margin) does not clear it. None if unknown."""
    if value is None or target is None:
        return None
    return value > target + margin_ if direction == "up" else value < target - margin_


def reach_status(value, target, expected, forecast, direction, shortfall_allowed: float,
                 deadline_passed: bool, reached_is_final: bool = False) -> str:
    """Status of a 'reach' goal (``shortfall_allowed`` is :func:`margin`).

    - past the deadline: achieved or missed (``value`` is the value at the deadline);
    - target met before the deadline: achieved when reaching it is final (a cumulative total
      of an additive KPI cannot fall back); otherwise on track ("target already met") when
      the forecast for the deadline still meets the target, at risk when it does not;
    - on track when the value meets the pace and the forecast meets the target;
    - at risk when on pace but the forecast fails the target (the forecast decides the risk),
      or off pace but the forecast meets the target or the shortfall against the pace is
      within ``shortfall_allowed``;
    - behind otherwise.
    """
    if value is None or target is None:
        return "behind" if not deadline_passed else "missed"
    if deadline_passed:
        return "achieved" if meets(value, target, direction) else "missed"
    forecast_ok = meets(forecast, target, direction)
    if meets(value, target, direction):
        if reached_is_final:
            return "achieved"
        return "at_risk" if forecast_ok is False else "on_track"
    on_pace = expected is None or meets(value, expected, direction)
    if on_pace and forecast_ok is not False:
        return "on_track"
    if on_pace or forecast_ok or abs(expected - value) <= shortfall_allowed:
        return "at_risk"
    return "behind"


def stay_status(history: list[float | None], value, target, forecast, direction,
                margin_: float, deadline_passed: bool) -> str:
    """Status of a 'stay above/below' goal from every checked value since the start
    (``margin_`` is :func:`margin`).

    Past the deadline: achieved when every check met the line, else missed. Before it:
    behind when the latest value breaks the line; at risk when an earlier check broke it,
    the latest is within the margin of the line, or the forecast does not clear the line by
    the margin (a forecast on the line is not on track); else on track.
    """
    checks = [meets(v, target, direction) for v in history if v is not None]
    if deadline_passed:
        return "achieved" if checks and all(checks) else "missed"
    if value is None or not meets(value, target, direction):
        return "behind"
    if (not all(checks) or not clears(value, target, direction, margin_)
            or clears(forecast, target, direction, margin_) is False):
        return "at_risk"
    return "on_track"


def seasonal_share(facts: pd.DataFrame, kpi, start: date, now: date, deadline: date) -> float | None:
    """Share of last year's same-window total that had accrued by the same date; None when
    last year's window is not fully in the data or totals nothing."""
    ly_start, ly_now, ly_end = shift_year(start, -1), shift_year(now, -1), shift_year(deadline, -1)
    if facts.empty or facts["date"].min() > pd.Timestamp(ly_start) or facts["date"].max() < pd.Timestamp(ly_end):
        return None
    whole = value_between(facts, kpi, ly_start, ly_end)
    done = value_between(facts, kpi, ly_start, ly_now)
    if not whole or done is None:
        return None
    return done / whole
