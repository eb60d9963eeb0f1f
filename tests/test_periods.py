from datetime import date

import pytest

from reportkit.core import periods


def test_month_compares_with_previous_month_and_same_month_last_year():
    p = periods.for_month("2026-10")
    assert (p.current.start, p.current.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (p.previous.start, p.previous.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert (p.yoy.start, p.yoy.end) == (date(2025, 10, 1), date(2025, 10, 31))
    assert p.key == "2026-10"


def test_january_goes_back_to_december_of_the_year_before():
    p = periods.for_month("2026-01")
    assert (p.previous.start, p.previous.end) == (date(2025, 12, 1), date(2025, 12, 31))


def test_months_of_different_lengths():
    p = periods.for_month("2026-03")
    assert p.current.days == 31 and p.previous.days == 28      # Feb 2026 has 28 days
    p = periods.for_month("2024-03")
    assert p.previous.end == date(2024, 2, 29) and p.previous.days == 29


def test_leap_february_yoy_is_the_whole_february_before():
    p = periods.for_month("2024-02")
    assert (p.yoy.start, p.yoy.end) == (date(2023, 2, 1), date(2023, 2, 28))


def test_range_compares_with_same_length_before_and_same_dates_last_year():
    p = periods.for_range(date(2026, 10, 1), date(2026, 10, 15))
    assert (p.previous.start, p.previous.end) == (date(2026, 9, 16), date(2026, 9, 30))
    assert (p.yoy.start, p.yoy.end) == (date(2025, 10, 1), date(2025, 10, 15))
    assert p.key == "2026-10-01_2026-10-15"


def test_range_ending_on_29_february_maps_to_28_february():
    p = periods.for_range(date(2024, 2, 20), date(2024, 2, 29))
    assert (p.yoy.start, p.yoy.end) == (date(2023, 2, 20), date(2023, 2, 28))
    assert (p.previous.start, p.previous.end) == (date(2024, 2, 10), date(2024, 2, 19))


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "Oct 2026", "2026/10"])
def test_bad_month_text(bad):
    with pytest.raises(ValueError, match="YYYY-MM"):
        periods.for_month(bad)


def test_range_labels():
    assert periods.for_month("2026-10").current.label() == "October 2026"
    assert periods.DateRange(date(2026, 10, 1), date(2026, 10, 15)).label() == "1 Oct 2026 – 15 Oct 2026"


# --- relative periods (a schedule's "the month just closed") ---------------------------------

def test_last_month_across_a_year_boundary():
    # as of 3 Jan 2027 the month just closed is December 2026 (previous: Nov 2026, yoy: Dec 2025)
    p = periods.resolve_as_of("last_month", None, None, date(2027, 1, 3))
    assert p.key == "2026-12"
    assert (p.current.start, p.current.end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (p.previous.start, p.yoy.start) == (date(2026, 11, 1), date(2025, 12, 1))
    assert periods.resolve_relative("last-month", date(2026, 12, 2)) == ("2026-11", None, None)


def test_last_quarter_and_month_to_date():
    # as of 3 Jan 2027 the last quarter is Q4 2026: 1 Oct - 31 Dec; as of 15 May: Q1 (Jan-Mar)
    assert periods.resolve_relative("last_quarter", date(2027, 1, 3)) == (None, date(2026, 10, 1), date(2026, 12, 31))
    assert periods.resolve_relative("last_quarter", date(2026, 5, 15)) == (None, date(2026, 1, 1), date(2026, 3, 31))
    # month to date ends the day before as_of (the last complete day): 1-14 May
    assert periods.resolve_relative("month_to_date", date(2026, 5, 15)) == (None, date(2026, 5, 1), date(2026, 5, 14))
    with pytest.raises(ValueError, match="no complete day"):
        periods.resolve_relative("month_to_date", date(2026, 5, 1))


def test_check_period_names_the_forms_it_accepts():
    assert periods.check_period("last_month") == "last_month"
    with pytest.raises(ValueError, match="last_month, last_quarter, month_to_date"):
        periods.check_period("lastmonth")
