"""Tracking outages: days the website's tag recorded nothing, and what it did not record.

An *outage day* has rows in the data (ad platforms still counted spend, clicks...) but every
tracked measure (:data:`reportkit.core.measures.TRACKED_MEASURES`: visits, conversions,
revenue...) sums to 0 over the day, while other days of the same calendar month recorded
tracked traffic. A day without any row is a *missing* day, not an outage: nothing is known
about it, so nothing is estimated.

The estimate (:data:`METHOD`): each tracked measure of each source x channel x campaign on an
outage day is the average of that key's value on the same weekday's recorded days of the same
calendar month (a key without a row on such a day counts 0 for it); when the month has no such
weekday recorded, the average of all its recorded days. A count (every tracked measure but
revenue) is estimated in whole units: each run of consecutive outage days has its total rounded
and shared among its day x key rows by largest remainder (:func:`whole_units`), so channel and
campaign estimates are whole and add up to the run's rounded total; revenue stays as computed. :func:`adjusted` returns the facts with
the outage days filled this way, so every grain (period, channel, scoped goal, day) can be read
recorded and adjusted from one frame.
"""

from __future__ import annotations

import pandas as pd

import numpy as np

from reportkit.core.i18n import N_
from reportkit.core.measures import CURRENCY_MEASURES, KEY_COLUMNS, TRACKED_MEASURES

METHOD = N_("each untracked day is estimated as the average of the same weekday's recorded days "
            "in the same calendar month, channel by channel, counts in whole units")  # English; _(METHOD) where shown


def whole_units(values: pd.Series) -> pd.Series:
    """Largest-remainder rounding: whole numbers that add up to the rounded total (half up).
    Each value gets its floor; the units left over go to the largest fractional parts (ties:
    the first in order). [0.33, 0.67, 1.67] (total 2.67 -> 3): floors 0, 0, 1 and 2 units
    left over for the parts .67 and .67 -> [0, 1, 2]."""
    if values.empty:
        return values
    raw = values.astype("float64").fillna(0.0)
    floors = np.floor(raw + 1e-9)
    total = np.floor(raw.sum() + 0.5 + 1e-9)
    left = int(total - floors.sum())
    if left > 0:
        frac = (raw - floors).to_numpy()
        order = np.argsort(-frac, kind="stable")[:left]
        floors.iloc[order] += 1.0
    return floors


def tracked(facts: pd.DataFrame) -> list[str]:
    """The tracked measures this data has."""
    return [m for m in TRACKED_MEASURES if m in facts.columns]


def outage_days(facts: pd.DataFrame) -> pd.DatetimeIndex:
    """Days with rows whose tracked measures all sum to 0, in a month that recorded some."""
    names = tracked(facts)
    if not names or facts.empty:
        return pd.DatetimeIndex([])
    per_day = facts.groupby("date")[names].sum(min_count=1).fillna(0).sum(axis=1)
    month = per_day.index.to_period("M")
    month_total = per_day.groupby(month).transform("sum")
    return pd.DatetimeIndex(per_day.index[(per_day == 0) & (month_total > 0)])


def _recorded_days(facts: pd.DataFrame, outages: pd.DatetimeIndex) -> pd.DatetimeIndex:
    days = pd.DatetimeIndex(facts["date"].unique())
    return days.difference(outages).sort_values()


def estimate_rows(facts: pd.DataFrame, outages: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """One row per outage day x key: the tracked measures estimated (see the module doc)."""
    outages = outage_days(facts) if outages is None else outages
    names = tracked(facts)
    if not len(outages) or not names:
        return pd.DataFrame(columns=[*KEY_COLUMNS, *names])
    keys = [c for c in KEY_COLUMNS if c != "date"]
    recorded = _recorded_days(facts, outages)
    frames = []
    for day in outages:
        in_month = recorded[(recorded.year == day.year) & (recorded.month == day.month)]
        same = in_month[in_month.day_of_week == day.day_of_week]
        basis = same if len(same) else in_month
        if not len(basis):
            continue
        part = facts[facts["date"].isin(basis)]
        est = (part.groupby(keys, observed=True)[names].sum(min_count=1).fillna(0) / len(basis))
        est = est.reset_index()
        est.insert(0, "date", day)
        frames.append(est)
    if not frames:
        return pd.DataFrame(columns=[*KEY_COLUMNS, *names])
    out = pd.concat(frames, ignore_index=True)
    counts = [n for n in names if n not in CURRENCY_MEASURES]
    for first, last in spans(out["date"].unique()):
        run = (out["date"] >= first) & (out["date"] <= last)
        for name in counts:
            out.loc[run, name] = whole_units(out.loc[run, name]).to_numpy()
    return out


def adjusted(facts: pd.DataFrame, estimates: pd.DataFrame | None = None) -> pd.DataFrame:
    """The facts with each outage day's tracked measures replaced by their estimate (rows
    for keys that recorded nothing that day are added; their other measures stay empty)."""
    estimates = estimate_rows(facts) if estimates is None else estimates
    if estimates.empty:
        return facts
    names = tracked(facts)
    keys = list(KEY_COLUMNS)
    days = estimates["date"].unique()
    on_days = facts[facts["date"].isin(days)].drop(columns=names)
    filled = on_days.merge(estimates, on=keys, how="outer")
    for col in ("source", "channel", "campaign"):
        filled[col] = filled[col].astype("string")
    rest = facts[~facts["date"].isin(days)]
    out = pd.concat([rest, filled[list(facts.columns)]], ignore_index=True)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def spans(days) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of consecutive days as (first, last)."""
    stamps = sorted(pd.Timestamp(d) for d in days)
    runs: list[list[pd.Timestamp]] = []
    for d in stamps:
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return [(a, b) for a, b in runs]
