"""Hard checks on a client's fact table that need the client's context (today, as_of).

``reportkit.core.facts.normalize`` already refuses unreadable dates, non-numeric and negative measures
and duplicate keys. Here: no dates in the future. Findings that still let a report run
(missing days, tracking outages) are ``reportkit.analysis.quality.check``'s.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from reportkit.errors import DataError

TIME_ZONE_SLACK = timedelta(days=1)   # a property a few hours ahead of this machine


def latest_allowed(cfg) -> date:
    """The last date a fact row may have: today (or a later as_of) plus a day of slack."""
    today = date.today()
    return max(today, cfg.as_of or today) + TIME_ZONE_SLACK


def check_no_future(facts: pd.DataFrame, latest: date, where: str,
                    lines: list[int] | None = None) -> None:
    """Raise DataError naming the first row dated after ``latest``.

    ``lines``: the file line of each row, when the caller knows them; otherwise the row
    is named by its date, channel and campaign.
    """
    if facts.empty or "date" not in facts.columns:
        return
    future = (facts["date"] > pd.Timestamp(latest)).to_numpy()
    if not future.any():
        return
    i = int(future.nonzero()[0][0])
    row = facts.iloc[i]
    label = (f"line {lines[i]}" if lines is not None else
             f"row {row.get('channel', '')} / {row.get('campaign', '')}")
    raise DataError(f"{where}: {label}, column 'date'",
                    f"{row['date']:%Y-%m-%d} is in the future ({int(future.sum())} row(s) after "
                    f"{latest - TIME_ZONE_SLACK:%Y-%m-%d})",
                    "check the export's dates; day-first dates (31-08-2023) need dayfirst: true "
                    "or date_format: '%d-%m-%Y'")


def check_period_has_data(facts: pd.DataFrame, current, where: str) -> None:
    """Raise DataError when the report period has no fact row at all (a header-only file, a
    period wholly before the data or after it): such a report would be all "n/a" and replace
    a good one. A period with *some* days missing still runs (the quality findings say so)."""
    if not facts.empty and "date" in facts.columns:
        dates = facts["date"]
        inside = (dates >= pd.Timestamp(current.start)) & (dates <= pd.Timestamp(current.end))
        if inside.any():
            return
        span = f"the data runs from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    else:
        span = "the data has no rows (only a header, or nothing)"
    raise DataError(where, f"no data for the report period {current.start:%Y-%m-%d} to {current.end:%Y-%m-%d}: "
                    f"{span}", "check period (or start/end) in the params file, or export the data "
                    "again so that it covers the period")
