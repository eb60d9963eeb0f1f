"""Why a KPI moved: who contributed, mix against rate, normal variation, season, anomalies.

- Additive KPIs (sessions, revenue...): the change split by channel (or campaign); the
  parts add up exactly to the total change.
- Ratio KPIs (conversion rate, CPC...): with weights w = each channel's share of the
  denominator and rates r = each channel's own ratio, the change of the total ratio
  R = sum(w * r) splits exactly into a *mix* effect sum((w1 - w0) * r0) (the denominator
  shifted between channels) and a *rate* effect sum(w1 * (r1 - r0)) (channels did better
  or worse). A channel absent before takes the old overall ratio as its r0. Numerator in
  channels with no denominator at all (revenue from unpaid channels in ROAS) is a third
  part, ``other``; mix + rate + other = the change, exactly.
- Normal variation: a Welch test of the two periods' daily values, each divided by its
  weekday's mean (so a weekly cycle is not taken for noise); |z| < 2 is within the
  day-to-day variation of those weeks, reported as such rather than as a win or loss.
"""

from __future__ import annotations

import math

import pandas as pd

from reportkit.core import metrics
from reportkit.core.metrics import _combine_frame

Z_NORMAL = 2.0  # |z| below this: within normal day-to-day variation


def _sums(frame: pd.DataFrame, by: str, kpi) -> pd.DataFrame:
    names = sorted(kpi.measures & set(frame.columns))
    return frame.groupby(by, observed=True)[names].sum(min_count=1) if names else pd.DataFrame()


def contributions(cur: pd.DataFrame, prev: pd.DataFrame, kpi, by: str = "channel") -> list[dict]:
    """Change of an additive KPI per group: ``[{group, current, previous, change}]``,
    largest absolute change first; the changes sum to the total change."""
    now = kpi.evaluate_frame(_sums(cur, by, kpi)) if len(cur) else pd.Series(dtype=float)
    before = kpi.evaluate_frame(_sums(prev, by, kpi)) if len(prev) else pd.Series(dtype=float)
    groups = now.index.union(before.index)
    now, before = now.reindex(groups).fillna(0.0), before.reindex(groups).fillna(0.0)
    rows = [{by: str(g), "current": float(now[g]), "previous": float(before[g]),
             "change": float(now[g] - before[g])} for g in groups if now[g] or before[g]]
    return sorted(rows, key=lambda r: -abs(r["change"]))


def mix_rate(cur: pd.DataFrame, prev: pd.DataFrame, kpi, by: str = "channel") -> dict | None:
    """Split the change of a ratio KPI into mix and rate effects by group (see module doc).

    Returns ``{"total", "mix", "rate", "groups": [{group, weight, previous_weight, rate,
    previous_rate, mix, rate_effect}]}`` or None when either period's ratio is undefined.
    """
    s1, s0 = _sums(cur, by, kpi), _sums(prev, by, kpi)
    if s1.empty or s0.empty:
        return None
    groups = s1.index.union(s0.index)
    s1, s0 = s1.reindex(groups).fillna(0.0), s0.reindex(groups).fillna(0.0)
    n1, d1 = _combine_frame(kpi._num, s1), _combine_frame(kpi._den, s1)
    n0, d0 = _combine_frame(kpi._num, s0), _combine_frame(kpi._den, s0)
    if d1.sum() == 0 or d0.sum() == 0:
        return None
    r_total1, r_total0 = n1.sum() / d1.sum(), n0.sum() / d0.sum()
    w1, w0 = d1 / d1.sum(), d0 / d0.sum()
    r1 = (n1 / d1.where(d1 != 0))
    r0 = (n0 / d0.where(d0 != 0)).fillna(r_total0)   # a new channel: old overall rate
    mix = (w1 - w0) * r0
    rate = (w1 * (r1 - r0)).fillna(0.0)              # w1 = 0 where r1 is undefined
    # numerator in groups without any denominator (revenue from channels with no ad cost):
    # part of the total ratio, but neither mix nor rate
    other = n1.where(d1 == 0, 0.0) / d1.sum() - n0.where(d0 == 0, 0.0) / d0.sum()
    rows = [{by: str(g), "weight": float(w1[g]), "previous_weight": float(w0[g]),
             "rate": None if pd.isna(r1[g]) else float(r1[g]), "previous_rate": float(r0[g]),
             "mix": float(mix[g]), "rate_effect": float(rate[g]), "other": float(other[g])}
            for g in groups if w1[g] or w0[g] or other[g]]
    rows.sort(key=lambda r: -abs(r["mix"] + r["rate_effect"] + r["other"]))
    return {"total": float(r_total1 - r_total0), "mix": float(mix.sum()), "rate": float(rate.sum()),
            "other": float(other.sum()), "groups": rows}


def normal_variation(cur_daily: list[float], prev_daily: list[float]) -> dict:
    """Welch z of the mean daily value, this period against the previous one.

    ``within`` is True when |z| < 2: the change is no larger than the day-to-day
    variation of the two periods would produce by chance. None when either period has
    fewer than 3 days or no variation at all.
    """
    a = [float(x) for x in cur_daily if x is not None and not math.isnan(float(x))]
    b = [float(x) for x in prev_daily if x is not None and not math.isnan(float(x))]
    if len(a) < 3 or len(b) < 3:
        return {"z": None, "within": None}
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((x - ma) ** 2 for x in a) / (len(a) - 1)
    vb = sum((x - mb) ** 2 for x in b) / (len(b) - 1)
    se = math.sqrt(va / len(a) + vb / len(b))
    if se == 0:
        return {"z": None, "within": None}
    z = (ma - mb) / se
    return {"z": z, "within": abs(z) < Z_NORMAL}


def weekday_adjusted(cur: pd.Series, prev: pd.Series) -> tuple[list[float], list[float]]:
    """Daily values (indexed by date) divided by their weekday's mean over both periods.

    Weekly cycles (quiet weekends for B2B) are not noise: left in, they would make every
    change look like normal variation. A weekday whose mean is 0 is left out.
    """
    both = pd.concat([cur, prev])
    means = both.groupby(pd.DatetimeIndex(both.index).day_of_week).mean()

    def adjust(series):
        days = pd.DatetimeIndex(series.index).day_of_week
        factor = means.reindex(days).to_numpy()
        return [float(v) / f for v, f in zip(series.to_numpy(), factor) if f and not pd.isna(f)]
    return adjust(cur), adjust(prev)


def seasonal(change: float | None, last_year_change: float | None) -> bool | None:
    """Did last year move the same way over the same months, at least half as much?"""
    if change is None or last_year_change is None or change == 0:
        return None
    return (change > 0) == (last_year_change > 0) and abs(last_year_change) >= abs(change) / 2


def anomalies(data_quality: dict) -> list[dict]:
    """Data gaps that overlap the two compared periods (from the data-quality check)."""
    out = []
    for period in ("current", "previous"):
        for kind in ("zero_traffic_days", "missing_days"):
            days = data_quality.get(kind, {}).get(period) or []
            if days:
                out.append({"period": period, "kind": kind, "days": len(days),
                            "first": days[0], "last": days[-1]})
    return out


def _daily(frame: pd.DataFrame, kpi) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype=float)
    return metrics.compute_by(frame, "date", [kpi])[kpi.key].dropna()


def gap_effect(fig) -> float | None:
    """How much the untracked days moved the *recorded* change (recorded change minus the
    change with those days estimated), in the KPI's unit: the gap as its own driver."""
    if not fig.adjusted:
        return None
    recorded = metrics.absolute_change(fig.value, fig.previous)
    adjusted = metrics.absolute_change(fig.adjusted["current"], fig.adjusted["previous"])
    if recorded is None or adjusted is None:
        return None
    return recorded - adjusted


def explain(report, slices: dict[str, pd.DataFrame], last_year_previous: pd.DataFrame,
            threshold: float, keys: list[str] | None = None) -> list[dict]:
    """One entry per KPI that moved at least ``threshold`` (relative) on the previous period.

    The change is the fair one (untracked days estimated, see
    :class:`reportkit.analysis.comparisons.KpiFigures`), split on the facts with those days
    estimated; what the untracked days did to the recorded figures is its own part, ``gap``
    (never a channel, mix or rate effect). The day-to-day variation leaves untracked days out.
    """
    out = []
    anomaly = anomalies(report.data_quality)
    outage = set(pd.DatetimeIndex(d for p in ("current", "previous")
                                  for d in report.data_quality.get("zero_traffic_days", {}).get(p, [])))
    adjusted = getattr(report, "adjusted_slices", None) or slices
    for key in keys or [k.key for k in report.chartable]:
        fig = report.figures.get(key)
        if fig is None or fig.change_previous is None or abs(fig.change_previous) < threshold:
            continue
        kpi = fig.kpi
        if not kpi.daily:
            continue
        cur, prev = adjusted["current"], adjusted["previous"]
        daily_cur, daily_prev = _daily(slices["current"], kpi), _daily(slices["previous"], kpi)
        daily_cur = daily_cur[~daily_cur.index.isin(list(outage))]
        daily_prev = daily_prev[~daily_prev.index.isin(list(outage))]
        ly_prev = metrics.compute(last_year_previous, [kpi])[kpi.key] if len(last_year_previous) else None
        ly_change = metrics.relative_change(fig.yoy, ly_prev)
        entry = {"kpi": key, "label": kpi.label, "unit": kpi.unit, "better": kpi.better,
                 "value": fig.value, "previous": fig.previous, "change": fig.change_previous,
                 "abs_change": fig.as_dict()["abs_change_previous"],
                 "verdict": metrics.verdict(kpi.better, fig.change_previous),
                 "variation": normal_variation(*weekday_adjusted(daily_cur, daily_prev)),
                 "estimated": fig.estimated, "gap": gap_effect(fig),
                 "last_year_change": ly_change, "seasonal": seasonal(fig.change_previous, ly_change),
                 "anomalies": anomaly}
        if kpi.additive:
            entry["method"] = "contribution"
            entry["by_channel"] = contributions(cur, prev, kpi, "channel")
            if "campaign" in cur.columns:
                entry["by_campaign"] = contributions(cur, prev, kpi, "campaign")[:5]
        else:
            entry["method"] = "mix_rate"
            entry["denominator"] = kpi.denominator
            entry["mix_rate"] = mix_rate(cur, prev, kpi, "channel")
        out.append(entry)
    return out
