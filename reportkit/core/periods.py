"""Reporting periods and their comparison periods (the periods contract).

- ``period="2026-10"``: the calendar month; previous = the previous calendar month;
  yoy = the same month one year earlier.
- ``start``/``end``: an inclusive date range; previous = the same number of days
  immediately before; yoy = the same dates one year earlier (29 Feb -> 28 Feb).
  ``compare`` chooses the previous period of a range instead (:data:`COMPARE_RULES`):
  ``previous_days`` (the default), ``previous_month`` / ``previous_quarter`` (the calendar
  month / quarter before the one the range starts in), ``last_year`` (the same dates a year
  earlier), or an explicit ``DateRange``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from reportkit.core import formatting

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of calendar dates."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"range ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        """The number of days, both ends included (1 Oct–31 Oct is 31)."""
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict:
        """``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}`` (the sidecar's shape)."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def label(self) -> str:
        """'October 2026' for a calendar month, else '1 Oct 2026 – 15 Oct 2026' (in the
        current locale: :mod:`reportkit.core.formatting`)."""
        if self.start.day == 1 and self.end == month_end(self.start):
            return formatting.month(self.start)
        return formatting.date_range(self.start, self.end)


@dataclass(frozen=True)
class ReportPeriods:
    """The report's three ranges: ``current`` (the period reported), ``previous`` (what it is
    compared with: the previous month, or a range's ``compare:`` rule), ``yoy`` (the same dates a
    year earlier); ``key`` names the output folder. Every range is a whole, inclusive
    :class:`DateRange`; a range with no data is still a range (its figures are None)."""

    current: DateRange
    previous: DateRange
    yoy: DateRange
    key: str  # 'YYYY-MM' for a month, 'START_END' for a range: the reports/<key>/ folder

    def as_dict(self) -> dict:
        return {"period": self.current.as_dict(), "previous": self.previous.as_dict(),
                "yoy": self.yoy.as_dict()}


def month_end(day: date) -> date:
    """The last day of ``day``'s calendar month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shift_year(day: date, years: int) -> date:
    """The same date ``years`` later (negative: earlier); 29 Feb maps to 28 Feb."""
    target = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(target):
        return date(target, 2, 28)
    return day.replace(year=target)


def month_range(year: int, month: int) -> DateRange:
    """The calendar month as a range (1st to last day)."""
    first = date(year, month, 1)
    return DateRange(first, month_end(first))


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-10"`` -> ``(2026, 10)``; anything else is a ValueError showing the form."""
    match = MONTH_RE.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"period {text!r} is not a month written as YYYY-MM, e.g. 2026-10")
    return int(match.group(1)), int(match.group(2))


def for_month(text: str) -> ReportPeriods:
    """A month (``"2026-10"``) against the previous calendar month and the same month a year
    earlier; key ``"2026-10"``."""
    year, month = parse_month(text)
    current = month_range(year, month)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return ReportPeriods(current, month_range(prev_year, prev_month), month_range(year - 1, month),
                         key=f"{year:04d}-{month:02d}")


def _previous_quarter(start: date) -> DateRange:
    first_month = 3 * ((start.month - 1) // 3) + 1       # the quarter the range starts in
    year, month = (start.year - 1, 10) if first_month == 1 else (start.year, first_month - 3)
    return DateRange(date(year, month, 1), month_end(date(year, month + 2, 1)))


def _previous_month(start: date) -> DateRange:
    year, month = (start.year - 1, 12) if start.month == 1 else (start.year, start.month - 1)
    return month_range(year, month)


COMPARE_RULES = {
    "previous_days": lambda c: DateRange(c.start - timedelta(days=c.days), c.start - timedelta(days=1)),
    "previous_month": lambda c: _previous_month(c.start),
    "previous_quarter": lambda c: _previous_quarter(c.start),
    "last_year": lambda c: DateRange(shift_year(c.start, -1), shift_year(c.end, -1)),
}


def for_range(start: date, end: date, compare: "str | DateRange | None" = None) -> ReportPeriods:
    """An inclusive ``start``–``end`` range. ``compare`` chooses the previous range: a name of
    :data:`COMPARE_RULES` (None: ``previous_days``, the same number of days just before;
    ``previous_month``/``previous_quarter``: the calendar month/quarter before the one the
    range starts in; ``last_year``: the same dates a year earlier) or an explicit
    :class:`DateRange`. ``yoy`` is always the same dates a year earlier (29 Feb -> 28 Feb);
    key ``"START_END"``. An unknown rule is a ValueError listing the rules.

    >>> for_range(date(2026, 7, 1), date(2026, 9, 30), "previous_quarter").previous.as_dict()
    {'start': '2026-04-01', 'end': '2026-06-30'}"""
    current = DateRange(start, end)
    if isinstance(compare, DateRange):
        previous = compare
    elif compare is None or compare in COMPARE_RULES:
        previous = COMPARE_RULES[compare or "previous_days"](current)
    else:
        raise ValueError(f"compare {compare!r} is not one of: {', '.join(COMPARE_RULES)} (or {{start, end}})")
    yoy = DateRange(shift_year(start, -1), shift_year(end, -1))
    return ReportPeriods(current, previous, yoy, key=f"{start.isoformat()}_{end.isoformat()}")


def resolve(period: str | None = None, start: date | None = None,
            end: date | None = None, compare: "str | DateRange | None" = None) -> ReportPeriods:
    """Periods from either a month (``period``) or an explicit ``start``/``end`` range
    (``compare``: how a range's previous period is chosen, see :data:`COMPARE_RULES`)."""
    if period and (start or end):
        raise ValueError("give either period (YYYY-MM) or start/end, not both")
    if period:
        if compare is not None:
            raise ValueError("compare: applies to a start/end range; a month is compared with the previous month")
        return for_month(period)
    if start and end:
        return for_range(start, end, compare)
    raise ValueError("no reporting period: set period: YYYY-MM, or start: and end:")


# --- relative periods: a schedule's "the month just closed" ------------------------------
# One home for them: ``period: last_month`` in params and ``reportkit run --period last-month``
# both resolve here, against an explicit as-of date (the report's date), never the clock.
RELATIVE = ("last_month", "last_quarter", "month_to_date")


def relative_name(text: str | None) -> str | None:
    """'last_month' for 'last_month' or 'last-month' (any case); None when ``text`` is not one."""
    name = str(text or "").strip().lower().replace("-", "_")
    return name if name in RELATIVE else None


def check_period(text: str) -> str:
    """``text`` when it is a month (YYYY-MM) or a relative period; else a ValueError with the fix."""
    if relative_name(text):
        return text
    try:
        parse_month(text)
    except ValueError:
        raise ValueError(f"period {text!r} is not a month written as YYYY-MM (e.g. 2026-10) nor "
                         f"one of {', '.join(RELATIVE)}") from None
    return text


def resolve_relative(name: str, as_of: date) -> tuple[str | None, date | None, date | None]:
    """A relative period as (month 'YYYY-MM', None, None) or (None, start, end), as of ``as_of``.

    - last_month: the calendar month before ``as_of``'s month (as of 2027-01-03: 2026-12);
    - last_quarter: the calendar quarter before ``as_of``'s quarter (as of 2027-01-03:
      2026-10-01 to 2026-12-31);
    - month_to_date: the first of ``as_of``'s month to the day before ``as_of`` (the last
      complete day); on the 1st there is no complete day yet, which is an error.
    """
    kind = relative_name(name)
    if kind == "last_month":
        year, month = (as_of.year - 1, 12) if as_of.month == 1 else (as_of.year, as_of.month - 1)
        return f"{year:04d}-{month:02d}", None, None
    if kind == "last_quarter":
        first_month = 3 * ((as_of.month - 1) // 3) + 1          # this quarter's first month
        start = date(as_of.year - 1, 10, 1) if first_month == 1 else date(as_of.year, first_month - 3, 1)
        return None, start, month_end(date(start.year, start.month + 2, 1))
    if kind == "month_to_date":
        if as_of.day == 1:
            raise ValueError(f"month_to_date as of {as_of} has no complete day yet (it ends the day "
                             "before as_of): use last_month, or a later as_of")
        return None, as_of.replace(day=1), as_of - timedelta(days=1)
    raise ValueError(f"{name!r} is not a relative period; use one of {', '.join(RELATIVE)}")


def resolve_as_of(period: str | None, start: date | None, end: date | None, as_of: date,
                  compare: "str | DateRange | None" = None) -> ReportPeriods:
    """:func:`resolve`, with a relative ``period`` resolved as of ``as_of`` first."""
    if period and relative_name(period):
        if start or end:
            raise ValueError("give either period or start/end, not both")
        period, start, end = resolve_relative(period, as_of)
    return resolve(period, start, end, compare)
