"""Goals: progress, pacing, forecast, status and milestones, against hand-computed figures."""

from datetime import date, timedelta

import pandas as pd
import pytest

from reportkit import config
from reportkit.errors import ConfigError
from reportkit.core.metrics import REGISTRY
from reportkit.config.goals import Goal
from reportkit.analysis.goals import evaluate, reach_status, stay_status


def _days(first: date, n: int, **measures) -> list[dict]:
    return [{"date": pd.Timestamp(first + timedelta(days=i)), "channel": "Organic Search",
             "campaign": "(not set)", **{k: (v[i] if isinstance(v, list) else v) for k, v in measures.items()}}
            for i in range(n)]


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows)


def _goal(**kw) -> Goal:
    base = {"id": "g", "name": "A goal"}
    base.update(kw)
    return Goal.model_validate(base)


# --- cumulative goal, half of a 30-day month elapsed ------------------------------------

HALF_MONTH = _days(date(2026, 4, 1), 15, revenue=10.0)  # 10 a day for 1..15 April: 150


def test_half_elapsed_month_without_history_falls_back_to_straight_line():
    goal = _goal(kpi="revenue", measure="cumulative", start="2026-04-01", deadline="2026-04-30", target=400)
    fig = evaluate(goal, REGISTRY["revenue"], _frame(HALF_MONTH), date(2026, 4, 15)).figures
    assert fig["value"] == 150
    assert fig["share_elapsed"] == pytest.approx(0.5)        # 15 of 30 days
    assert fig["expected_now"] == pytest.approx(200)          # 400 * 0.5
    assert fig["forecast"] == pytest.approx(300)              # 150 / 0.5
    assert fig["required"]["per_day"] == pytest.approx(250 / 15)   # (400 - 150) / 15 days left
    assert fig["required"]["current_per_day"] == pytest.approx(10)
    assert fig["progress"] == pytest.approx(150 / 400)
    assert fig["gap"] == pytest.approx(250)
    assert "straight line" in fig["pacing_method"] and "no seasonal" in fig["pacing_method"]
    # shortfall against pace 200 - 150 = 50 > 10% of 400 = 40, forecast 300 < 400: behind
    assert fig["status"] == "behind"
    loose = goal.model_copy(update={"tolerance": 0.2})       # 50 <= 20% of 400 = 80: at risk
    assert evaluate(loose, REGISTRY["revenue"], _frame(HALF_MONTH), date(2026, 4, 15)).figures["status"] == "at_risk"


def test_seasonal_pacing_uses_last_years_shape():
    # April 2025: 5 a day for 15 days (75), then 15 a day for 15 days (225): 300 in all,
    # so by 15 April last year 75 / 300 = 25% of the month had come in.
    last_year = _days(date(2025, 4, 1), 15, revenue=5.0) + _days(date(2025, 4, 16), 15, revenue=15.0)
    goal = _goal(kpi="revenue", measure="cumulative", start="2026-04-01", deadline="2026-04-30",
                 baseline="same_period_last_year", target="+33.3333333333%")
    fig = evaluate(goal, REGISTRY["revenue"], _frame(last_year + HALF_MONTH), date(2026, 4, 15)).figures
    assert fig["baseline"] == pytest.approx(300)
    assert fig["target"] == pytest.approx(400)                # 300 * 4/3
    assert fig["expected_now"] == pytest.approx(100)          # 400 * 25%
    assert fig["forecast"] == pytest.approx(600)              # 150 / 25%
    assert fig["pacing_method"].startswith("seasonal")
    assert fig["status"] == "on_track"                        # 150 >= 100


# --- monthly goal with a previous-quarter baseline and milestones -------------------------

def _monthly_sessions(values: dict[str, int]) -> pd.DataFrame:
    return _frame([{"date": pd.Timestamp(f"{m}-01"), "channel": "Organic Search", "campaign": "x",
                    "sessions": v} for m, v in values.items()]
                  + [{"date": pd.Timestamp("2026-01-05"), "channel": "Direct", "campaign": "x",
                      "sessions": 999}])  # out of scope: must not count


QUARTER = {"2026-01": 100, "2026-02": 110, "2026-03": 120, "2026-04": 125}


def test_monthly_reach_goal_progress_pacing_trend_and_milestones():
    goal = _goal(kpi="sessions", scope={"channel": "Organic Search"}, start="2026-04-01",
                 deadline="2026-06-30", baseline="previous_quarter", target="+30%",
                 milestones=[{"date": "2026-04-30", "target": "+10%"},
                             {"date": "2026-05-31", "target": "+20%"}])
    fig = evaluate(goal, REGISTRY["sessions"], _monthly_sessions(QUARTER), date(2026, 4, 30)).figures
    assert fig["baseline"] == pytest.approx(110)              # (100 + 110 + 120) / 3 months
    assert fig["target"] == pytest.approx(143)                # 110 * 1.3
    assert fig["value"] == 125 and fig["value_month"] == "2026-04"
    assert fig["expected_now"] == pytest.approx(121)          # 110 + 33 * 1/3 of the months
    assert fig["progress"] == pytest.approx(15 / 33)          # (125 - 110) / (143 - 110)
    assert fig["gap"] == pytest.approx(18)
    # slope of 100, 110, 120, 125 at x = 0..3: 42.5 / 5 = 8.5 a month; 125 + 2 * 8.5 = 142
    assert fig["forecast"] == pytest.approx(142)
    assert "trend" in fig["forecast_method"]
    assert fig["required"]["per_month"] == pytest.approx(9)  # (143 - 125) / 2 months
    # 125 >= 121 is on pace, but the forecast 142 is below the 143 target: at risk, not on track
    assert fig["status"] == "at_risk"
    first, second = fig["milestones"]
    assert first["state"] == "hit" and first["value"] == 125 and first["target"] == pytest.approx(121)
    assert second["state"] == "upcoming" and second["next"] is True
    assert second["target"] == pytest.approx(132) and second["distance"] == pytest.approx(7)
    assert second["days_to_go"] == 31


def test_missed_milestone():
    goal = _goal(kpi="sessions", scope={"channel": "Organic Search"}, start="2026-04-01",
                 deadline="2026-06-30", target=143, milestones=[{"date": "2026-04-30", "target": 130}])
    fig = evaluate(goal, REGISTRY["sessions"], _monthly_sessions(QUARTER), date(2026, 4, 30)).figures
    assert fig["milestones"][0]["state"] == "missed" and fig["milestones"][0]["value"] == 125


def test_deadline_already_past():
    data = _monthly_sessions({**QUARTER, "2026-05": 200})
    missed = _goal(kpi="sessions", scope={"channel": "Organic Search"}, start="2026-02-01",
                   deadline="2026-04-30", target=130)
    fig = evaluate(missed, REGISTRY["sessions"], data, date(2026, 5, 31)).figures
    # judged on April (the deadline's month), not on May's 200: 125 < 130
    assert fig["value_month"] == "2026-04" and fig["status"] == "missed"
    hit = missed.model_copy(update={"target": 120.0})
    assert evaluate(hit, REGISTRY["sessions"], data, date(2026, 5, 31)).figures["status"] == "achieved"


def test_stay_below_goal_respects_polarity():
    # CPC = cost / clicks: April 150 / 100 = 1.50, May 210 / 100 = 2.10
    data = _frame([{"date": pd.Timestamp("2026-04-10"), "channel": "Paid Search", "campaign": "x",
                    "cost": 150.0, "clicks": 100},
                   {"date": pd.Timestamp("2026-05-10"), "channel": "Paid Search", "campaign": "x",
                    "cost": 210.0, "clicks": 100}])
    goal = _goal(kpi="cpc", kind="stay_below", start="2026-04-01", deadline="2026-05-31", target=2.0)
    april = evaluate(goal, REGISTRY["cpc"], data, date(2026, 4, 30)).figures
    assert april["value"] == pytest.approx(1.5) and april["direction"] == "down"
    assert april["status"] == "on_track"      # 1.50 <= 2.00, 0.50 from the line > margin 0.20
    may = evaluate(goal, REGISTRY["cpc"], data, date(2026, 5, 31)).figures
    assert may["status"] == "missed"          # deadline reached and May's 2.10 > 2.00


def test_reach_goal_on_a_lower_is_better_kpi():
    # cost per lead from 50 down to 40: 45 is half-way; after half the time the pace is 45
    assert reach_status(45, 40, 45, 40, "down", 1.0, False) == "on_track"   # on pace, forecast 40
    assert reach_status(45, 40, 45, 45, "down", 1.0, False) == "at_risk"    # on pace, forecast 45 > 40
    # met before the deadline: a monthly value is not final, the forecast decides
    assert reach_status(39, 40, 45, 45, "down", 1.0, False) == "at_risk"    # met early, forecast 45 > 40
    assert reach_status(39, 40, 45, 39, "down", 1.0, False) == "on_track"   # met early, forecast holds
    assert reach_status(39, 40, 45, 45, "down", 1.0, False, reached_is_final=True) == "achieved"
    assert reach_status(47, 40, 45, 44, "down", 1.0, False) == "behind"    # 2 off pace > 1, forecast 44 > 40
    assert reach_status(47, 40, 45, 40, "down", 1.0, False) == "at_risk"   # forecast reaches 40
    assert reach_status(41, 40, 45, 41, "down", 1.0, True) == "missed"


def test_stay_above_statuses():
    assert stay_status([5.5, 6.0], 6.0, 5.0, 6.0, "up", 0.5, False) == "on_track"
    assert stay_status([4.5, 6.0], 6.0, 5.0, 6.0, "up", 0.5, False) == "at_risk"   # broke once
    assert stay_status([5.5, 5.2], 5.2, 5.0, 5.2, "up", 0.5, False) == "at_risk"   # 0.2 from line < 0.5
    assert stay_status([5.5, 4.9], 4.9, 5.0, 4.9, "up", 0.5, False) == "behind"
    assert stay_status([5.5, 6.0], 6.0, 5.0, 6.0, "up", 0.5, True) == "achieved"


def test_goal_params_errors_name_the_key():
    base = {"client_id": "x", "client_name": "X", "business_model": "ecommerce", "period": "2026-10",
            "currency": "EUR"}
    goal = {"id": "g", "name": "G", "kpi": "revnue", "start": "2026-10-01", "deadline": "2026-12-31",
            "target": 5}
    with pytest.raises(ConfigError, match="unknown KPI 'revnue'"):
        config.validate({**base, "goals": [goal]})
    with pytest.raises(ConfigError, match="relative.*baseline"):
        config.validate({**base, "goals": [{**goal, "kpi": "revenue", "target": "+30%"}]})
    with pytest.raises(ConfigError, match="goals.0.target"):
        config.validate({**base, "goals": [{**goal, "kpi": "revenue", "target": "lots"}]})
    with pytest.raises(ConfigError, match="cumulative goal needs an additive KPI"):
        config.validate({**base, "goals": [{**goal, "kpi": "roas", "measure": "cumulative"}]})


def test_data_gaps_in_baseline_and_value_are_counted():
    # March: 31 days with 10 sessions except 3 zero days (an outage); April: 30 days, 1 missing
    march = _days(date(2026, 3, 1), 31, sessions=[0 if 12 <= i <= 14 else 10 for i in range(31)])
    april = _days(date(2026, 4, 1), 29, sessions=12)
    goal = _goal(kpi="sessions", start="2026-04-01", deadline="2026-06-30", baseline="previous_month",
                 target="+10%")
    fig = evaluate(goal, REGISTRY["sessions"], _frame(march + april), date(2026, 4, 30)).figures
    assert fig["baseline"] == 280                       # 28 days x 10
    assert fig["data_gaps"] == {"baseline": 3, "value": 1}


def test_budget_and_benchmark_params_errors():
    base = {"client_id": "x", "client_name": "X", "business_model": "ecommerce", "period": "2026-10",
            "currency": "EUR"}
    with pytest.raises(ConfigError, match="budget.months.*not written as YYYY-MM"):
        config.validate({**base, "budget": {"monthly": 10, "months": {"2026-13": 5}}})
    with pytest.raises(ConfigError, match="budget.monthly"):
        config.validate({**base, "budget": {"monthly": -1}})
    with pytest.raises(ConfigError, match="benchmark for unknown KPI 'cpx'"):
        config.validate({**base, "benchmarks": [{"kpi": "cpx", "value": 1, "label": "x"}]})


def test_baseline_typo_is_named():
    base = {"client_id": "x", "client_name": "X", "business_model": "ecommerce", "period": "2026-10",
            "currency": "EUR"}
    goal = {"id": "g", "name": "G", "kpi": "revenue", "start": "2026-10-01", "deadline": "2026-12-31",
            "target": 5, "baseline": "previous_quater"}
    with pytest.raises(ConfigError, match="goals.0.baseline.*'previous_quater' is neither a number nor one of"):
        config.validate({**base, "goals": [goal]})


def test_scope_that_matches_nothing_is_a_config_error():
    goal = _goal(kpi="sessions", scope={"channel": "Organic Serach"}, start="2026-04-01",
                 deadline="2026-06-30", target=143)
    with pytest.raises(ConfigError, match="(?s)goal .g.: scope channel: Organic Serach.*use one of: Direct, Organic Search"):
        evaluate(goal, REGISTRY["sessions"], _monthly_sessions(QUARTER), date(2026, 4, 30))


def test_last_quarter_growth_is_the_goals_benchmark():
    # Oct-Dec 2025 (92 days): 920 sessions, 10 a day; Jan-Mar 2026 (90 days): 990, 11 a day: +10 %
    rows = [{"date": pd.Timestamp("2025-10-01"), "channel": "Organic Search", "campaign": "x", "sessions": 920},
            {"date": pd.Timestamp("2026-01-01"), "channel": "Organic Search", "campaign": "x", "sessions": 990},
            {"date": pd.Timestamp("2026-04-01"), "channel": "Organic Search", "campaign": "x", "sessions": 400}]
    goal = _goal(kpi="sessions", start="2026-04-01", deadline="2026-06-30", target=500)
    fig = evaluate(goal, REGISTRY["sessions"], _frame(rows), date(2026, 4, 30)).figures
    assert fig["last_quarter_growth"] == pytest.approx(0.10)
