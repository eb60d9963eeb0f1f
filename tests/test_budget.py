"""Budget pacing, against hand-computed figures."""

from datetime import date, timedelta

import pandas as pd
import pytest

from reportkit.analysis import budget as bud
from reportkit.core.metrics import REGISTRY
from reportkit.config.goals import Budget


class _Cfg:
    def __init__(self, **kw):
        self.budget = Budget.model_validate(kw)


def _spend(per_day, days=15, channel="Paid Search"):
    return pd.DataFrame([{"date": pd.Timestamp(date(2026, 4, 1) + timedelta(days=i)), "channel": channel,
                          "campaign": "x", "cost": per_day, "clicks": 10, "conversions": 1,
                          "revenue": 4 * per_day} for i in range(days)])


def test_half_elapsed_month_projects_to_the_end():
    # 100 a day for 15 of April's 30 days: 1,500 spent; 1,500 / 15 * 30 = 3,000 projected
    out = bud.evaluate(_Cfg(monthly=3000), _spend(100.0), date(2026, 4, 1), date(2026, 4, 30),
                       date(2026, 4, 15), REGISTRY)
    assert out["spend"] == 1500 and out["budget"] == 3000
    assert out["share_used"] == pytest.approx(0.5)
    assert out["expected_by_now"] == pytest.approx(1500)      # 3,000 * 15/30
    assert out["projected"] == pytest.approx(3000)
    assert out["status"] == "on_budget"
    assert out["cumulative"][-1] == ["2026-04-15", 1500.0]
    # financial KPIs from the sums: CPC 1,500 / 150 clicks = 10; ROAS 6,000 / 1,500 = 4
    assert out["financial"]["cpc"]["value"] == pytest.approx(10)
    assert out["financial"]["roas"]["value"] == pytest.approx(4)
    assert out["financial"]["romi"]["value"] == pytest.approx(3)   # (6,000 - 1,500) / 1,500


def test_overspend_beyond_tolerance():
    # 120 a day: 1,800 by the 15th, 3,600 projected: +20 % > 5 % tolerance
    out = bud.evaluate(_Cfg(monthly=3000), _spend(120.0), date(2026, 4, 1), date(2026, 4, 30),
                       date(2026, 4, 15), REGISTRY)
    assert out["projected_vs_budget"] == pytest.approx(0.2) and out["status"] == "over"
    # 97 a day: 2,910 projected, -3 %: within 5 %
    out = bud.evaluate(_Cfg(monthly=3000), _spend(97.0), date(2026, 4, 1), date(2026, 4, 30),
                       date(2026, 4, 15), REGISTRY)
    assert out["status"] == "on_budget"


def test_zero_budget_has_no_share():
    out = bud.pace(spend=50.0, budget=0.0, days_elapsed=10, days_total=30, tolerance=0.05)
    assert out["share_used"] is None and out["projected_vs_budget"] is None
    assert out["status"] == "over"
    assert bud.pace(0.0, 0.0, 10, 30, 0.05)["status"] == "on_budget"
    assert bud.pace(10.0, None, 10, 30, 0.05)["status"] == "no_budget"


def test_period_budget_prorates_months_and_overrides():
    b = Budget.model_validate({"monthly": 3000, "months": {"2026-05": 6200}})
    # 16-30 April: 3,000 * 15/30 = 1,500; 1-15 May: 6,200 * 15/31 = 3,000
    assert bud.period_budget(b, date(2026, 4, 16), date(2026, 5, 15)) == pytest.approx(4500)


def test_channel_budgets():
    facts = pd.concat([_spend(100.0), _spend(50.0, channel="Paid Social")])
    out = bud.evaluate(_Cfg(monthly=4500, channels={"Paid Social": 1000}), facts, date(2026, 4, 1),
                       date(2026, 4, 30), date(2026, 4, 15), REGISTRY)
    social = out["parts"][0]
    # 50 * 15 = 750 spent of 1,000; projected 1,500: +50 %
    assert social["spend"] == 750 and social["projected"] == pytest.approx(1500)
    assert social["status"] == "over"
