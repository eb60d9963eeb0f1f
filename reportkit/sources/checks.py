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
