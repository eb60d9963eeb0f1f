"""The report's figures on a tiny fact table, checked against arithmetic done by hand."""

import pytest

from reportkit import config
from reportkit import report


def make_cfg(small_facts, **extra):
    values = {"client_id": "testco", "client_name": "Test <Co>", "business_model": "ecommerce",
              "period": "2024-03", "currency": "EUR",
              "source": {"type": "csv", "path": str(small_facts),
                         "users_path": str(small_facts.parent / "users.csv")},
              "kpis": ["sessions", "users", "conversion_rate", "cpc", "roas", "cpa", "aov", "romi",
                       "ctr", "cost", "conversions"], **extra}
    return config.validate(values)


def test_figures_by_hand(small_facts):
    r = report.build(make_cfg(small_facts))
    k = {key: f for key, f in r.figures.items()}
    # March 2024: sessions 100 + 10 + 200 = 310; conversions 5 + 1 + 4 = 10
    assert k["sessions"].value == 310
    assert k["conversion_rate"].value == pytest.approx(10 / 310)
    # paid rows only carry cost/clicks: CPC = (100 + 100) / (50 + 10) = 3.333 (mean of daily = 6)
    assert k["cpc"].value == pytest.approx(200 / 60)
    assert k["roas"].value == pytest.approx(550 / 200)
    assert k["cpa"].value == pytest.approx(200 / 10)
    assert k["aov"].value == pytest.approx(550 / 6)
    assert k["romi"].value == pytest.approx((550 - 200) / 200)
    assert k["ctr"].value == pytest.approx(60 / 1100)
    assert k["users"].value == 250
    # February 2024 (previous): sessions 50, CPC 40 / 20 = 2.0
    assert k["sessions"].previous == 50
    # February has data on 1 day (10 Feb) of 29, March on 2 of 31: not a fair comparison, so
    # no change is stated (it would read +520%) and the reason names the shorter period first
    assert k["sessions"].coverage["previous"] == {"days_with_data": 1, "days_expected": 29,
                                                  "days_estimated": 0}
    assert k["sessions"].coverage["current"]["days_with_data"] == 2
    assert k["sessions"].change_previous is None
    assert k["sessions"].not_comparable("previous") == "1 of 29 days"
    assert k["cpc"].previous == pytest.approx(2.0)
    assert k["users"].previous is None                      # no users row for February
    # March 2023 (yoy): only organic, 100 sessions, 0 conversions
    assert k["conversion_rate"].yoy == 0.0
    assert k["cpc"].yoy is None and k["cost"].yoy is None   # no paid rows at all: undefined
    assert k["conversions"].change_yoy is None              # base 0: change undefined


def test_sidecar_contract(small_facts):
    side = report.build(make_cfg(small_facts)).sidecar().to_json()
    assert side["period"] == {"start": "2024-03-01", "end": "2024-03-31"}
    assert side["previous"] == {"start": "2024-02-01", "end": "2024-02-29"}
    assert side["yoy"] == {"start": "2023-03-01", "end": "2023-03-31"}
    for key in ("client_id", "client_name", "currency", "kpis", "goals", "benchmarks", "budget",
                "data_quality", "generated_at"):
        assert key in side
    cpc = side["kpis"]["cpc"]
    assert set(cpc) >= {"value", "previous", "yoy", "change_previous", "change_yoy", "unit", "better"}
    assert cpc["better"] == "lower" and cpc["unit"] == "currency"
    # the previous period has 1 of 29 days: not comparable, so no change (contract: null)
    assert cpc["change_previous"] is None and cpc["abs_change_previous"] is None
    assert cpc["comparable_previous"] is False and cpc["not_comparable_previous"] == "1 of 29 days"
    # March 2023 has a row on 1 day, but no cost or clicks at all: 0 of 31 days for CPC
    assert cpc["coverage"]["yoy"]["days_with_data"] == 0 and cpc["not_comparable_yoy"] == "no data"
    assert cpc["change_yoy"] is None


def test_range_period_has_no_users_and_says_why(small_facts):
    r = report.build(make_cfg(small_facts, period=None, start="2024-03-01", end="2024-03-15"))
    assert r.figures["users"].value is None
    assert any("Users are not available" in f["message"] for f in r.data_quality["findings"])


def test_missing_days_are_reported(small_facts):
    dq = report.build(make_cfg(small_facts)).data_quality
    assert len(dq["missing_days"]["current"]) == 31 - 2   # only 1 and 2 March have rows


def test_channel_table_is_ratio_of_sums(small_facts):
    r = report.build(make_cfg(small_facts))
    assert r.channels.loc["Paid Search", "cpc"] == pytest.approx(200 / 60)
    assert r.channels.loc["Paid Search", "sessions"] == 110
