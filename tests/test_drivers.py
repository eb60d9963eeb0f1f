"""Why it moved: contributions, mix and rate, normal variation, seasonality, anomalies."""

import pandas as pd
import pytest

from reportkit.analysis.drivers import (anomalies, contributions, mix_rate, normal_variation, seasonal,
                               weekday_adjusted)
from reportkit.core.metrics import REGISTRY


def _rows(spec):
    return pd.DataFrame([{"date": pd.Timestamp("2026-10-01"), "channel": ch, "campaign": "x",
                          "sessions": s, "conversions": c} for ch, s, c in spec])


def test_contributions_sum_to_the_total_change():
    prev = _rows([("A", 100, 0), ("B", 100, 0), ("C", 0, 0)])
    cur = _rows([("A", 150, 0), ("B", 80, 0), ("D", 20, 0)])
    parts = contributions(cur, prev, REGISTRY["sessions"])
    by = {p["channel"]: p["change"] for p in parts}
    assert by == {"A": 50, "B": -20, "D": 20}       # D is new: 20 - 0; C (0 both times) left out
    assert sum(by.values()) == 250 - 200                        # total change, exactly
    assert parts[0]["channel"] == "A"                           # largest first


def test_mix_and_rate_on_two_channels():
    # before: A 10/100 = 0.10, B 2/100 = 0.02, overall 12/200 = 0.06, weights 0.5 / 0.5
    # after:  A 5/50 = 0.10,   B 6/150 = 0.04, overall 11/200 = 0.055, weights 0.25 / 0.75
    # mix  = (0.25 - 0.5) * 0.10 + (0.75 - 0.5) * 0.02 = -0.025 + 0.005 = -0.020
    # rate = 0.25 * (0.10 - 0.10) + 0.75 * (0.04 - 0.02) = 0.015;  mix + rate = -0.005
    out = mix_rate(_rows([("A", 50, 5), ("B", 150, 6)]), _rows([("A", 100, 10), ("B", 100, 2)]),
                   REGISTRY["conversion_rate"])
    assert out["total"] == pytest.approx(-0.005)
    assert out["mix"] == pytest.approx(-0.020)
    assert out["rate"] == pytest.approx(0.015)
    b = next(g for g in out["groups"] if g["channel"] == "B")
    assert b["mix"] == pytest.approx(0.005) and b["rate_effect"] == pytest.approx(0.015)


def test_mix_and_rate_with_a_new_channel():
    # before: A 10/100 = 0.10 only. after: A 10/100, C 2/100: overall 12/200 = 0.06.
    # C takes the old overall 0.10 as its earlier rate:
    # mix = (0.5 - 1) * 0.10 + (0.5 - 0) * 0.10 = 0;  rate = 0.5 * (0.02 - 0.10) = -0.04
    out = mix_rate(_rows([("A", 100, 10), ("C", 100, 2)]), _rows([("A", 100, 10)]),
                   REGISTRY["conversion_rate"])
    assert out["mix"] == pytest.approx(0.0) and out["rate"] == pytest.approx(-0.04)
    assert out["total"] == pytest.approx(-0.04)


def test_mix_rate_undefined_without_a_denominator():
    assert mix_rate(_rows([("A", 0, 1)]), _rows([("A", 100, 10)]), REGISTRY["conversion_rate"]) is None


def test_a_change_inside_normal_variation_is_labelled_so():
    # +25 % on the mean (10 against 8), but the days swing a lot:
    # var now = (4 + 4 + 16 + 16) / 3 = 40/3; var before = (1 + 1 + 9 + 9) / 3 = 20/3
    # se = sqrt(40/3/4 + 20/3/4) = sqrt(5) = 2.236; z = 2 / 2.236 = 0.894 < 2
    out = normal_variation([12, 8, 14, 6], [9, 7, 11, 5])
    assert out["z"] == pytest.approx(2 / 5 ** 0.5) and out["within"] is True
    # steady days: var 2/3 each, se = sqrt(1/3) = 0.577, z = 10 / 0.577 = 17.3: a real change
    out = normal_variation([20, 21, 19, 20], [10, 11, 9, 10])
    assert out["z"] == pytest.approx(10 / (1 / 3) ** 0.5) and out["within"] is False
    assert normal_variation([1, 2], [1, 2, 3])["within"] is None    # too few days to say


def test_seasonality_and_anomalies():
    assert seasonal(0.10, 0.08) is True        # last year rose 8 %: at least half of 10 %
    assert seasonal(0.10, 0.02) is False       # rose, but much less
    assert seasonal(-0.10, 0.08) is False      # opposite way
    assert seasonal(0.10, None) is None
    dq = {"zero_traffic_days": {"current": ["2026-10-13", "2026-10-14", "2026-10-15"], "previous": []},
          "missing_days": {"current": [], "previous": []}}
    assert anomalies(dq) == [{"period": "current", "kind": "zero_traffic_days", "days": 3,
                              "first": "2026-10-13", "last": "2026-10-15"}]


def test_weekday_cycle_is_not_taken_for_noise():
    # two weeks each, weekdays 100 and weekends 20; "now" is 10 % up on every day.
    days0 = pd.date_range("2026-09-07", periods=14, freq="D")   # starts on a Monday
    days1 = pd.date_range("2026-10-05", periods=14, freq="D")
    base = [100.0 if d.day_of_week < 5 else 20.0 for d in days0]
    prev = pd.Series(base, index=days0)
    cur = pd.Series([v * 1.1 for v in base], index=days1)
    # raw days swing 20..110, so the 10 % rise would pass as noise ...
    assert normal_variation(cur.tolist(), prev.tolist())["within"] is True
    # ... divided by the weekday mean (weekday 105, weekend 21) every day of "now" is
    # 1.1/1.05 = 1.0476 and of "before" 1/1.05 = 0.9524: no spread, a certain change
    now, before = weekday_adjusted(cur, prev)
    assert now[0] == pytest.approx(110 / 105) and now[5] == pytest.approx(22 / 21)
    assert before[0] == pytest.approx(100 / 105)


def test_mix_rate_keeps_numerator_from_channels_without_a_denominator():
    # ROAS = revenue / cost. before: Paid 300 / 100 = 3, Organic 100 revenue, no cost: 400 / 100 = 4
    # after: Paid 400 / 100 = 4, Organic 200: 600 / 100 = 6.  mix 0 (all cost on Paid both times),
    # rate 1 * (4 - 3) = 1, other 200/100 - 100/100 = 1: 0 + 1 + 1 = 2 = 6 - 4
    def frame(paid, organic):
        return pd.DataFrame([{"date": pd.Timestamp("2026-10-01"), "channel": "Paid", "revenue": paid, "cost": 100.0},
                             {"date": pd.Timestamp("2026-10-01"), "channel": "Organic", "revenue": organic,
                              "cost": 0.0}])
    out = mix_rate(frame(400.0, 200.0), frame(300.0, 100.0), REGISTRY["roas"])
    assert out["total"] == pytest.approx(2)
    assert (out["mix"], out["rate"], out["other"]) == (pytest.approx(0), pytest.approx(1), pytest.approx(1))
