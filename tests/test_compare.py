"""compare: the previous period of a custom range, chosen per client."""

from datetime import date

import pytest

from reportkit import config
from reportkit.core.periods import DateRange, for_range
from reportkit.errors import ConfigError

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


@pytest.mark.parametrize("compare, previous", [
    (None, DateRange(date(2026, 3, 31), date(2026, 6, 30))),             # 92 days before 1 Jul
    ("previous_days", DateRange(date(2026, 3, 31), date(2026, 6, 30))),
    ("previous_quarter", DateRange(date(2026, 4, 1), date(2026, 6, 30))),  # Q2, not 31 Mar-30 Jun
    ("previous_month", DateRange(date(2026, 6, 1), date(2026, 6, 30))),
    ("last_year", DateRange(date(2025, 7, 1), date(2025, 9, 30))),
    (DateRange(date(2026, 1, 1), date(2026, 3, 31)), DateRange(date(2026, 1, 1), date(2026, 3, 31))),
])
def test_the_previous_period_of_q3(compare, previous):
    assert for_range(*Q3, compare).previous == previous
    assert for_range(*Q3, compare).yoy == DateRange(date(2025, 7, 1), date(2025, 9, 30))


def test_the_quarter_before_q1_is_last_years_q4():
    assert for_range(date(2026, 2, 1), date(2026, 2, 28), "previous_quarter").previous == \
        DateRange(date(2025, 10, 1), date(2025, 12, 31))


def _params(root, **over):
    values = config.read_params(root / "params" / "acme_outdoor.yaml")
    values.pop("period", None)
    return {**values, "start": "2026-07-01", "end": "2026-09-30", **over}


def test_compare_in_params(root):
    cfg = config.validate(_params(root, compare="previous_quarter"))
    assert cfg.periods().previous == DateRange(date(2026, 4, 1), date(2026, 6, 30))
    cfg = config.validate(_params(root, compare={"start": "2026-01-01", "end": "2026-03-31"}))
    assert cfg.periods().previous == DateRange(date(2026, 1, 1), date(2026, 3, 31))


def test_a_bad_compare_is_named(root):
    with pytest.raises(ConfigError, match="compare"):
        config.validate(_params(root, compare="previous_week"))
    values = {**config.read_params(root / "params" / "acme_outdoor.yaml"), "compare": "last_year"}
    with pytest.raises(ConfigError, match="compare: applies to a start/end range"):
        config.validate(values)
