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


def reach_status(value, target, expected, forecast, direction, shortfall_allowed: float,
                 deadline_passed: bool) -> str:
    """Status of a 'reach' goal.

    - past the deadline: achieved or missed (``value`` is the value at the deadline);
    - achieved when the value already meets the target;
    - on track when the value meets where the pacing says it should be by now;
    - at risk when it does not, but the forecast still meets the target or the shortfall
      against the pace is within ``shortfall_allowed`` (an absolute amount);
    - behind otherwise.
    """
    if value is None or target is None:
        return "behind" if not deadline_passed else "missed"
    if deadline_passed:
        return "achieved" if meets(value, target, direction) else "missed"
    if meets(value, target, direction):
        return "achieved"
    if expected is None or meets(value, expected, direction):
        return "on_track"
    shortfall = abs(expected - value)
    if meets(forecast, target, direction) or shortfall <= shortfall_allowed:
        return "at_risk"
    return "behind"


def stay_status(history: list[float | None], value, target, forecast, direction,
                margin: float, deadline_passed: bool) -> str:
    """Status of a 'stay above/below' goal from every checked value since the start.

    Past the deadline: achieved when every check met the line, else missed. Before it:
    behind when the latest value breaks the line; at risk when an earlier check broke it,
    the latest is within ``margin`` of the line, or the forecast breaks it; else on track.
    """
    checks = [meets(v, target, direction) for v in history if v is not None]
    if deadline_passed:
        return "achieved" if checks and all(checks) else "missed"
    if value is None or not meets(value, target, direction):
        return "behind"
    if not all(checks) or abs(value - target) < margin or meets(forecast, target, direction) is False:
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
