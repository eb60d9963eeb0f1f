import pandas as pd
import pytest

from reportkit.core import metrics
from reportkit.core.metrics import KPI, REGISTRY


def frame(**cols):
    return pd.DataFrame(cols)


def test_every_contract_kpi_is_registered_with_its_formula():
    expected = {"sessions": ("sessions", None), "users": ("users", None),
                "pageviews": ("pageviews", None), "engaged_sessions": ("engaged_sessions", None),
                "engagement_rate": ("engaged_sessions", "sessions"),
                "conversions": ("conversions", None), "conversion_rate": ("conversions", "sessions"),
                "transactions": ("transactions", None), "revenue": ("revenue", None),
                "aov": ("revenue", "transactions"), "impressions": ("impressions", None),
                "clicks": ("clicks", None), "ctr": ("clicks", "impressions"), "cost": ("cost", None),
                "cpc": ("cost", "clicks"), "cpa": ("cost", "conversions"), "roas": ("revenue", "cost"),
                "romi": ("revenue - cost", "cost"),
                "organic_clicks": ("organic_clicks", None),
                "organic_impressions": ("organic_impressions", None),
                "organic_ctr": ("organic_clicks", "organic_impressions"),
                "avg_position": ("position_sum", "organic_impressions")}
    assert {k: (v.numerator, v.denominator) for k, v in REGISTRY.items()} == expected
    assert REGISTRY["cpc"].better == "lower" and REGISTRY["roas"].better == "higher"
    assert REGISTRY["conversion_rate"].unit == "percent" and REGISTRY["cost"].unit == "currency"
    assert REGISTRY["avg_position"].better == "lower"


def test_average_search_position_is_weighted_by_impressions():
    # Two days: position 2.0 over 100 impressions and 10.0 over 300: (200 + 3000) / 400 = 8.0,
    # not the plain mean of 6.0.
    facts = frame(organic_impressions=[100.0, 300.0], position_sum=[200.0, 3000.0],
                  organic_clicks=[10.0, 6.0])
    out = metrics.compute(facts, [REGISTRY["avg_position"], REGISTRY["organic_ctr"]])
    assert out == {"avg_position": 8.0, "organic_ctr": 16 / 400}


def test_cpc_is_ratio_of_sums_not_mean_of_daily_ratios():
    # day 1: 10 / 5 = 2.00, day 2: 100 / 10 = 10.00 -> mean 6.00, true CPC 110 / 15 = 7.333...
    df = frame(cost=[10.0, 100.0], clicks=[5.0, 10.0])
    out = metrics.compute(df, [REGISTRY["cpc"]])
    assert out["cpc"] == pytest.approx(110 / 15)
    assert out["cpc"] != pytest.approx(6.0)


def test_conversion_rate_and_roas_and_romi_from_sums():
    df = frame(sessions=[100, 300], conversions=[10, 2], revenue=[500.0, 100.0], cost=[100.0, 100.0])
    out = metrics.compute(df, [REGISTRY[k] for k in ("conversion_rate", "roas", "romi")])
    assert out["conversion_rate"] == pytest.approx(12 / 400)   # 0.03, not mean(0.1, 0.00667)
    assert out["roas"] == pytest.approx(3.0)                     # 600 / 200
    assert out["romi"] == pytest.approx(2.0)                     # (600 - 200) / 200


def test_zero_denominator_is_undefined_not_zero_or_infinity():
    df = frame(cost=[0.0], clicks=[0.0], revenue=[50.0], sessions=[0], conversions=[0])
    out = metrics.compute(df, [REGISTRY[k] for k in ("cpc", "roas", "conversion_rate", "cpa")])
    assert out == {"cpc": None, "roas": None, "conversion_rate": None, "cpa": None}


def test_zero_numerator_is_a_real_zero():
    out = metrics.compute(frame(sessions=[100], conversions=[0]), [REGISTRY["conversion_rate"]])
    assert out["conversion_rate"] == 0.0


def test_missing_measure_is_undefined():
    out = metrics.compute(frame(sessions=[10]), [REGISTRY["revenue"], REGISTRY["aov"]])
    assert out == {"revenue": None, "aov": None}


def test_blank_measure_column_is_undefined_not_zero():
    out = metrics.compute(frame(cost=[float("nan")], clicks=[float("nan")]), [REGISTRY["cost"]])
    assert out["cost"] is None


def test_users_come_from_the_period_never_summed_from_rows():
    df = frame(users=[40, 50], sessions=[60, 70])  # a daily users column must be ignored
    assert metrics.compute(df, [REGISTRY["users"]], {"users": 75})["users"] == 75
    assert metrics.compute(df, [REGISTRY["users"]])["users"] is None


def test_compute_by_channel_is_ratio_of_each_groups_sums():
    df = frame(channel=["A", "A", "B"], cost=[10.0, 100.0, 0.0], clicks=[5.0, 10.0, 0.0])
    out = metrics.compute_by(df, "channel", [REGISTRY["cpc"]])
    assert out.loc["A", "cpc"] == pytest.approx(110 / 15)
    assert pd.isna(out.loc["B", "cpc"])


def test_custom_kpi_expression():
    kpi = KPI("margin_per_order", "Margin per order", "revenue - cost", "transactions", unit="currency")
    out = metrics.compute(frame(revenue=[300.0, 100.0], cost=[50.0, 50.0], transactions=[2, 2]), [kpi])
    assert out["margin_per_order"] == pytest.approx(75.0)      # (400 - 100) / 4


@pytest.mark.parametrize("bad", ["", "revenue cost", "revenue * cost", "1revenue"])
def test_bad_expressions_are_rejected(bad):
    with pytest.raises(ValueError):
        metrics.parse_expression(bad)


def test_relative_and_absolute_change():
    assert metrics.relative_change(4.2, 3.9) == pytest.approx(0.0769, abs=1e-4)
    assert metrics.relative_change(5, 0) is None
    assert metrics.relative_change(None, 3) is None
    assert metrics.absolute_change(4.2, 3.9) == pytest.approx(0.3)


def test_verdict_respects_polarity():
    assert metrics.verdict(REGISTRY["cpc"].better, -0.10) == "good"
    assert metrics.verdict(REGISTRY["cpc"].better, 0.10) == "bad"
    assert metrics.verdict(REGISTRY["revenue"].better, 0.10) == "good"
    assert metrics.verdict(REGISTRY["revenue"].better, 0.001) == "flat"
    assert metrics.verdict(REGISTRY["revenue"].better, None) == "none"


def test_business_model_wording():
    reg = metrics.registry_for("leadgen")
    # spend over every lead (organic and direct too): labelled blended, never "what one lead costs"
    assert reg["cpa"].label == "Cost per lead (blended)" and reg["conversions"].label == "Leads"
    assert metrics.registry_for("ecommerce")["cpa"].label == "Cost per acquisition (blended)"
