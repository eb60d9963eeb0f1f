"""A report that never misleads: each rule on hand-built facts (arithmetic by hand in the
comments), then a truth audit over every demo report."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import pytest

from reportkit import config, report
from reportkit.analysis.goal_rules import margin, reach_status, stay_status
from reportkit.analysis.goals import evaluate
from reportkit.config.goals import Goal
from reportkit.core.metrics import REGISTRY
from reportkit.present import analysis as analysis_view
from reportkit.present import results
from reportkit.present import work as work_view

HEAD = "date,channel,campaign,sessions,conversions,transactions,revenue,impressions,clicks,cost\n"


def _csv(tmp_path, days: list[date], outage: set[date] = frozenset(), name="facts.csv"):
    """One paid channel: every day 100 sessions, 2 orders, €1,000 revenue, 50 clicks, €100 cost;
    an outage day keeps its clicks and cost but records 0 sessions, orders and revenue."""
    lines = []
    for d in days:
        tracked = "0,0,0,0" if d in outage else "100,2,2,1000"
        lines.append(f"{d.isoformat()},Paid Search,A,{tracked},500,50,100\n")
    path = tmp_path / name
    path.write_text(HEAD + "".join(lines))
    return path


def _span(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def _build(path, **period):
    return report.build(config.validate({
        "client_id": "t", "client_name": "T", "business_model": "ecommerce", "currency": "EUR",
        "kpis": ["sessions", "revenue", "roas", "cost", "cpa"],
        "source": {"type": "csv", "path": str(path)}, **period}))


# Current 2 Mar - 15 Mar 2026 (14 days, Mon - Sun twice); previous 16 Feb - 1 Mar 2026.
RANGE = {"start": "2026-03-02", "end": "2026-03-15"}
PREVIOUS_AND_CURRENT = _span(date(2026, 2, 16), 28)


def test_outage_in_the_current_period_is_estimated_and_is_not_a_fall(tmp_path):
    r = _build(_csv(tmp_path, PREVIOUS_AND_CURRENT, outage={date(2026, 3, 10)}), **RANGE)
    s = r.figures["sessions"]
    # recorded: 13 days x 100 = 1,300; Tuesday 10 Mar estimated from March's other recorded
    # Tuesday (3 Mar: 100) -> adjusted 1,400; previous 14 x 100 = 1,400 -> change 0, not -7.1 %
    assert s.value == 1300 and s.adjusted["current"] == 1400
    assert s.coverage["current"] == {"days_with_data": 13, "days_expected": 14, "days_estimated": 1}
    assert s.change_previous == pytest.approx(0.0)
    # ROAS: recorded 13,000 / 1,400 = 9.29 (-7.1 % on 10.00); with the day estimated 14,000 / 1,400 = 10
    roas = r.figures["roas"]
    assert roas.value == pytest.approx(13000 / 1400)
    assert roas.change_previous == pytest.approx(0.0)
    # cost is not a tracked measure: its comparison is untouched (14 x 100 both periods)
    assert r.figures["cost"].adjusted is None and r.figures["cost"].change_previous == pytest.approx(0.0)
    out = r.data_quality["outages"]
    assert [(o["period"], o["start"], o["end"], o["days"]) for o in out] == [
        ("current", "2026-03-10", "2026-03-10", 1)]
    assert out[0]["estimate"]["revenue"] == pytest.approx(1000) and "same weekday" in out[0]["method"]
    # one plain sentence with the number; no "down" anywhere in the story
    gap = [t for t in r.summary if t.startswith("Tracking recorded nothing")]
    assert len(gap) == 1 and "€1,000 revenue" in gap[0] and "not a fall in performance" in gap[0]
    assert not any("down" in t for t in r.summary)
    # the card shows the recorded value and what it is with the day estimated
    cards = results.summary(r)
    assert "€14,000 with the 1 untracked day estimated" in cards


def test_outage_in_the_previous_period_does_not_inflate_the_change(tmp_path):
    r = _build(_csv(tmp_path, PREVIOUS_AND_CURRENT, outage={date(2026, 2, 17)}), **RANGE)
    s = r.figures["sessions"]
    # previous recorded 1,300 (+7.7 % would be claimed); Tuesday 17 Feb estimated from 24 Feb (100)
    assert s.previous == 1300 and s.adjusted["previous"] == 1400
    assert s.change_previous == pytest.approx(0.0)
    side = r.sidecar().to_json()
    assert side["kpis"]["sessions"]["change_previous"] == pytest.approx(0.0)
    assert side["data_quality"]["outages"][0]["period"] == "previous"
    assert any("does not inflate" in t for t in r.summary)


def test_a_comparison_period_with_no_rows_is_not_comparable_and_nothing_held_steady(tmp_path):
    r = _build(_csv(tmp_path, _span(date(2026, 3, 2), 14)), **RANGE)
    s = r.figures["sessions"]
    assert s.coverage["previous"]["days_with_data"] == 0
    assert s.change_previous is None and s.not_comparable("previous") == "no data"
    side = r.sidecar().to_json()["kpis"]["sessions"]
    assert side["comparable_previous"] is False and side["abs_change_previous"] is None
    text = " ".join(r.summary)
    assert "held steady" not in text
    assert "not comparable with 16 Feb 2026 – 1 Mar 2026 (no data)" in text
    assert "not comparable (no data)" in results.summary(r)
    assert "not comparable (no data)" in results.kpi_table(r)


def test_one_day_of_28_is_not_comparable_on_card_table_summary_and_why(tmp_path):
    # March 2026 full, February 2026 (28 days) only on 1 Feb... 1 day: 100 sessions
    path = _csv(tmp_path, [date(2026, 2, 10)] + _span(date(2026, 3, 1), 31))
    r = _build(path, period="2026-03")
    s = r.figures["sessions"]
    # 3,100 against 100 would read "up 3000.0%"
    assert s.coverage["previous"] == {"days_with_data": 1, "days_expected": 28, "days_estimated": 0}
    assert s.change_previous is None and s.not_comparable("previous") == "1 of 28 days"
    assert "not comparable (1 of 28 days)" in results.summary(r)
    assert "not comparable (1 of 28 days)" in results.kpi_table(r)
    assert "not comparable with February 2026 (1 of 28 days)" in r.summary[0]
    assert "%" not in r.summary[0].split("came to")[1]
    why = analysis_view.why(r)
    assert "Sessions, not comparable (1 of 28 days)" in why and "No KPI moved" not in why


def test_goal_met_early_with_a_failing_forecast_is_at_risk_not_achieved():
    # monthly target 120 met by 130 before the deadline; the forecast for the deadline is 100
    assert reach_status(130, 120, 110, 100, "up", 2.0, False) == "at_risk"
    assert reach_status(130, 120, 110, 125, "up", 2.0, False) == "on_track"
    # at the deadline the test is met: achieved; a reached cumulative total is final
    assert reach_status(130, 120, 110, 100, "up", 2.0, True) == "achieved"
    assert reach_status(130, 120, 110, 100, "up", 2.0, False, reached_is_final=True) == "achieved"


def _sessions(values: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame([{"date": pd.Timestamp(f"{m}-01"), "channel": "Organic Search", "campaign": "x",
                          "sessions": v} for m, v in values.items()])


def test_met_early_reads_on_track_target_already_met_and_a_passed_milestone_has_its_sign():
    facts = _sessions({"2026-01": 100, "2026-02": 110, "2026-03": 120, "2026-04": 150})
    goal = Goal.model_validate({"id": "g", "name": "G", "kpi": "sessions", "start": "2026-04-01",
                                "deadline": "2026-06-30", "baseline": "previous_quarter",
                                "target": "+30%",
                                "milestones": [{"date": "2026-05-31", "target": "+20%"}]})
    fig = evaluate(goal, REGISTRY["sessions"], facts, date(2026, 4, 30)).figures
    # baseline (100 + 110 + 120) / 3 = 110, target 143; April 150 >= 143 before the deadline;
    # forecast: least-squares slope of 100, 110, 120, 150 at x = 0..3: 80 / 5 = 16 a month
    # -> 150 + 2 x 16 = 182 >= 143
    assert fig["target"] == pytest.approx(143) and fig["forecast"] == pytest.approx(182)
    assert fig["status"] == "on_track" and fig["status_words"] == "on track — target already met"
    # the May milestone 110 x 1.2 = 132 is already passed by 150: 18 above it, not "18 to go"
    m = fig["milestones"][0]
    assert m["target"] == pytest.approx(132) and m["to_go"] == pytest.approx(-18) and m["met_already"]


def test_a_missed_milestone_caps_the_goal_at_risk():
    facts = _sessions({"2026-01": 100, "2026-02": 110, "2026-03": 120, "2026-04": 125, "2026-05": 140})
    goal = Goal.model_validate({"id": "g", "name": "G", "kpi": "sessions", "start": "2026-04-01",
                                "deadline": "2026-06-30", "baseline": "previous_quarter", "target": 141,
                                "milestones": [{"date": "2026-04-30", "target": 130}]})
    fig = evaluate(goal, REGISTRY["sessions"], facts, date(2026, 5, 31)).figures
    # May 140 is on the straight line (110 + 31 x 2/3 = 130.7) and the forecast meets 141, but
    # April's 125 missed its milestone of 130: at risk, and the reason says so
    assert fig["milestones"][0]["state"] == "missed"
    assert fig["status"] == "at_risk" and "milestone" in fig["status_reason"]


def test_a_forecast_on_the_line_is_not_on_track():
    # one tolerance rule: 0.1 x |target - baseline|, or x |target| without a baseline
    assert margin(0.1, 5.0, None) == pytest.approx(0.5)
    assert margin(0.1, 143.0, 110.0) == pytest.approx(3.3)
    # ROAS 6.0 above the line of 5.0, forecast 5.01: within 0.5 of the line -> at risk
    assert stay_status([6.0], 6.0, 5.0, 5.01, "up", 0.5, False) == "at_risk"
    assert stay_status([6.0], 6.0, 5.0, 5.6, "up", 0.5, False) == "on_track"


def test_usd_benchmark_for_a_gbp_client_keeps_its_dollar_sign(root):
    r = report.build(config.load(root / "params" / "northwind_b2b.yaml"))
    html = analysis_view.benchmarks(r)
    usd = [c for b in r.analysis.benchmarks for c in b["comparisons"]
           if c["kind"] == "industry" and c.get("currency") == "USD"]
    assert usd, "northwind compares against USD figures"
    for c in usd:
        assert f'${c["value"]:,.2f}' in html
        assert f'£{c["value"]:,.2f}' not in html and f'€{c["value"]:,.2f}' not in html


# --- truth audit over every demo report --------------------------------------------------

AGENCY_MARKERS = ("Our last contact", "we should get in touch", "follow-up planned", "year n/a",
                  "Low confidence", "not recorded in our notes")


@pytest.fixture(scope="module", params=["acme_outdoor", "northwind_b2b", "daily_gazette"])
def demo(request, root):
    r = report.build(config.load(root / "params" / f"{request.param}.yaml"))
    html = "".join([results.header(r), results.summary(r), results.kpi_table(r), results.channel_table(r),
                    results.data_notes(r), analysis_view.goals(r), analysis_view.why(r),
                    analysis_view.benchmarks(r), analysis_view.budget(r), work_view.what_we_did(r),
                    work_view.next_period(r), work_view.needs_from_you(r), work_view.communication(r)])
    return r, r.sidecar().to_json(), html


def test_audit_no_change_is_stated_where_the_sidecar_says_not_comparable(demo):
    r, side, html = demo
    for key, k in side["kpis"].items():
        for against in ("previous", "yoy"):
            if not k[f"comparable_{against}"]:
                assert k[f"change_{against}"] is None and k[f"abs_change_{against}"] is None
                cell = re.search(rf'data-kpi="{key}" data-field="change_{against}">([^<]*)<', html)
                assert cell and cell.group(1).startswith("not comparable"), (key, against)
    for d in side["drivers"]:
        assert side["kpis"][d["kpi"]]["comparable_previous"]


def test_audit_every_status_word_agrees_with_its_rule(demo):
    r, side, _ = demo
    for i, g in enumerate(side["goals"]):
        deadline_passed = date.fromisoformat(g["as_of"]) >= date.fromisoformat(g["deadline"])
        if g["status"] == "achieved":
            assert deadline_passed or (g["measure"] == "cumulative" and g["direction"] == "up")
        if g["status"] == "on_track" and g["kind"] == "reach" and g["forecast"] is not None:
            assert (g["forecast"] >= g["target"]) if g["direction"] == "up" else (g["forecast"] <= g["target"])
        passed = [m for m in g["milestones"] if m["state"] in ("hit", "missed")]
        if passed and passed[-1]["state"] == "missed":
            assert g["status"] not in ("on_track", "achieved")
        for m in g["milestones"]:
            if m.get("to_go") is not None and m["to_go"] <= 0:
                assert m["met_already"]
        told = [t for t in side["summary"] if t.startswith("Our") and f"({g['name']})" in t]
        if told:   # a goal's sentence uses its status words (achieved reads "already reached")
            assert g["status_words"] in told[0] or g["status"] == "achieved"


def test_audit_no_agency_marker_in_the_client_copy(demo):
    r, side, html = demo
    text = html + " ".join(side["summary"])
    for marker in AGENCY_MARKERS:
        assert marker not in text, marker


@pytest.mark.slow
def test_audit_the_exported_demo_reports_hold_no_agency_marker(root, tmp_path):
    """The real thing: the demo reports executed by papermill and exported by nbconvert."""
    from reportkit.run.batch import run_batch
    params = [root / "params" / f"{c}.yaml" for c in ("acme_outdoor", "northwind_b2b", "daily_gazette")]
    assert run_batch(params, out=tmp_path, progress=False).exit_code == 0
    pages = sorted(p for p in tmp_path.glob("*/*.html") if p.name != "index.html")
    assert len(pages) == 3
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for marker in AGENCY_MARKERS:
            assert marker not in text, (path.name, marker)
        assert "held steady" not in text or "not comparable" not in text
    overview = (pages[0].parent / "index.html").read_text(encoding="utf-8")
    # the cockpit shows the agency's alerts per client (from the sidecars' agency_alerts)
    assert "Agency alerts are for the agency only" in overview and "we should get in touch" in overview


def test_money_is_in_the_story_and_spend_is_coloured_by_budget(root):
    r = report.build(config.load(root / "params" / "northwind_b2b.yaml"))
    b = r.analysis.budget
    # spend 55,278.92 against 50,000: 55,278.92 / 50,000 - 1 = +10.6 %, over (tolerance 5 %);
    # Paid Social 25,033.23 / 20,000 - 1 = +25.2 %
    assert b["status"] == "over"
    money = [t for t in r.summary if t.startswith("On the money side")]
    # Paid Social: 25,033.23 / 48 leads = £521.53 per lead; the other paid channels together
    # (757.72 + 29,487.97) / (6 + 211) = 30,245.69 / 217 = £139.38; 521.53 / 139.38 = 3.74 > 2
    assert money == ["On the money side, we spent £55,279 against a budget of £50,000 (+10.6%, over "
                     "budget; Paid Social +25.2%); Paid Social cost £521.53 per lead, 3.74 times the "
                     "£139.38 of the other paid channels together."]
    cards = results.summary(r)
    spend_card = cards.split('data-kpi="cost"')[1].split('class="rk-card"')[0]
    assert 'rk-card-chg bad" title="over budget"' in spend_card
    acme = report.build(config.load(root / "params" / "acme_outdoor.yaml"))
    # acme's Paid Social: ROAS 0.82 (< 1) is named; its spend is on budget: neutral, not red
    assert any("Paid Social returned less than it cost (return on ad spend 0.82)" in t for t in acme.summary)
    # its cost per conversion is also far above (€72.99 against €27.31, 2.67 times): the
    # channel is named once, for the return below 1
    assert [c["channel"] for c in acme.analysis.budget["costly_channels"]] == ["Paid Social"]
    assert not any("times the" in t for t in acme.summary)
    # spend +12.4 % on September, on budget (99.7 % used): grey in the KPI table, not red
    assert '<td class="chg flat" data-kpi="cost" data-field="change_previous">▲' in results.kpi_table(acme)


def test_blended_cost_per_lead_is_labelled_blended_and_paid_is_shown_beside_it(tmp_path, small_facts):
    r = report.build(config.validate({
        "client_id": "t", "client_name": "T", "business_model": "leadgen", "period": "2024-03",
        "currency": "GBP", "kpis": ["conversions", "cpa", "cost"],
        "source": {"type": "csv", "path": str(small_facts)}}))
    cpa = r.figures["cpa"]
    # March: cost 100 + 100 = 200 (Paid Search only); leads 5 + 1 paid + 4 organic = 10
    assert cpa.kpi.label == "Cost per lead (blended)" and cpa.value == pytest.approx(200 / 10)
    # the data says Paid Search is paid (it has spend): 200 / 6 = £33.33 per paid lead
    assert cpa.paid["channels"] == ["Paid Search"] and cpa.paid["value"] == pytest.approx(200 / 6)
    assert r.sidecar().to_json()["kpis"]["cpa"]["paid"]["value"] == pytest.approx(200 / 6)
    assert "paid channels only: £33.33 (Paid Search £33.33)" in results.kpi_table(r)
    # organic search clicks are never labelled as ad clicks
    assert REGISTRY["organic_clicks"].label == "Organic search clicks"
    assert "ad" not in REGISTRY["organic_clicks"].explain.lower().split()


def test_sections_say_when_they_have_no_content(tmp_path, small_facts):
    from reportkit.present import content
    r = report.build(config.validate({
        "client_id": "t", "client_name": "T", "business_model": "ecommerce", "period": "2024-03",
        "currency": "EUR", "source": {"type": "csv", "path": str(small_facts)}}))
    # no goals and no budget in params: those sections have nothing to say
    assert content.sections_with_content(r)["goals"] is False
    assert content.sections_with_content(r)["budget"] is False


def test_the_summary_promises_only_what_follows(root):
    values = config.read_params(root / "params" / "acme_outdoor.yaml")
    goal = values["goals"][0]
    values = {k: v for k, v in values.items() if k not in ("budget", "work")}
    values = {**values, "goals": [goal], "material_change": 10.0, "kpis": ["revenue", "transactions", "sessions"]}
    r = report.build(config.validate(values))
    # one goal, no budget, no ROAS, nothing moved 1000 %: no sentence without a number is
    # added to fill the summary up, and none promises a budget or what moved
    assert r.summary and all(any(c.isdigit() for c in t) for t in r.summary)
    assert not any("budget" in t or "moved" in t for t in r.summary)
    assert not r.analysis.drivers


def test_count_estimates_are_whole_units_that_add_up_to_the_rounded_total():
    from reportkit.analysis.outages import estimate_rows, whole_units
    # [1/3, 2/3, 5/3]: total 8/3 = 2.67 -> 3; floors 0, 0, 1 leave 2 units for the largest
    # fractional parts (.67 of B and .67 of C) -> 0, 1, 2 (sum 3)
    assert whole_units(pd.Series([1 / 3, 2 / 3, 5 / 3])).tolist() == [0, 1, 2]
    # [2.5, 2.5]: total 5, floors 2 + 2 leave 1 unit; a tie goes to the first -> 3, 2
    assert whole_units(pd.Series([2.5, 2.5])).tolist() == [3, 2]
    # Tuesdays of March 2026: 3, 17 and 24 recorded, 10 Mar an outage (cost only, nothing tracked)
    rows = []
    recorded = {"A": [(10, 1, 10.0), (10, 0, 0.0), (11, 0, 0.0)],     # (sessions, conversions, revenue)
                "B": [(5, 1, 20.0), (5, 1, 20.0), (5, 0, 0.0)],
                "C": [(1, 2, 30.0), (1, 2, 30.0), (2, 1, 30.0)]}
    for ch, values in recorded.items():
        for day, (sessions, conv, rev) in zip((3, 17, 24), values):
            rows.append((f"2026-03-{day:02d}", ch, sessions, conv, rev, 5.0))
        rows.append(("2026-03-10", ch, 0, 0, 0.0, 5.0))
    facts = pd.DataFrame(rows, columns=["date", "channel", "sessions", "conversions", "revenue", "cost"])
    facts["date"] = pd.to_datetime(facts["date"])
    facts.insert(1, "source", "csv")
    facts.insert(3, "campaign", "x")
    est = estimate_rows(facts).set_index("channel")
    # conversions: A (1+0+0)/3 = .33, B (1+1+0)/3 = .67, C (2+2+1)/3 = 1.67 -> 0, 1, 2 (total 3)
    assert est["conversions"].tolist() == [0, 1, 2]
    # sessions: A 31/3 = 10.33, B 15/3 = 5, C 4/3 = 1.33; total 16.67 -> 17; floors 10 + 5 + 1 = 16,
    # the one unit left goes to the first of the tied .33 parts (A) -> 11, 5, 1
    assert est["sessions"].tolist() == [11, 5, 1]
    # revenue is money, not a count: A 10/3 = 3.33, B 40/3 = 13.33, C 90/3 = 30 as computed
    assert est["revenue"].tolist() == pytest.approx([10 / 3, 40 / 3, 30.0])


def _paid_facts(rows):
    facts = pd.DataFrame(rows, columns=["channel", "cost", "conversions"])
    facts.insert(0, "date", pd.Timestamp("2026-03-02"))
    return facts


def test_a_channel_whose_cost_per_result_is_far_above_the_others_is_found():
    from reportkit.analysis.channel_costs import FAR_ABOVE, far_above
    cpa = REGISTRY["cpa"]
    facts = _paid_facts([("Paid Search", 1000.0, 20), ("Paid Social", 900.0, 6),
                         ("Display", 100.0, 4), ("Organic Search", 0.0, 100)])
    found = far_above(facts, [cpa, REGISTRY["cpc"], cpa], REGISTRY)
    # Paid Social 900 / 6 = 150; the other paid channels (1,000 + 100) / (20 + 4) = 45.83:
    # 150 / 45.83 = 3.27 > 2. Paid Search 50 against (900 + 100) / 10 = 100: no; Display 25
    # against 1,900 / 26 = 73.08: no. Organic Search has no spend: not a paid channel. CPC is
    # not a cost per result; cpa is judged once.
    assert [(f["channel"], f["kpi"], f["result_label"], f["result_one"]) for f in found] == \
        [("Paid Social", "cpa", "Conversions", "conversion")]
    assert found[0]["value"] == pytest.approx(150) and found[0]["others"] == pytest.approx(1100 / 24)
    assert found[0]["ratio"] == pytest.approx(150 / (1100 / 24))
    # exactly twice is not "more than twice": A 200 / 2 = 100 against B 100 / 2 = 50
    assert FAR_ABOVE == 2.0
    assert far_above(_paid_facts([("A", 200.0, 2), ("B", 100.0, 2)]), [cpa]) == []
    # 201 / 2 = 100.5 > 2 x 50: named
    assert [f["channel"] for f in far_above(_paid_facts([("A", 201.0, 2), ("B", 100.0, 2)]), [cpa])] == ["A"]
    # one paid channel: nothing to compare; the others without results: undefined, not named
    assert far_above(_paid_facts([("A", 900.0, 1), ("Organic", 0.0, 50)]), [cpa]) == []
    assert far_above(_paid_facts([("A", 900.0, 1), ("B", 100.0, 0)]), [cpa]) == []


def test_the_money_sentence_names_the_costly_channel_with_its_figures():
    from reportkit.story.figures import Sentence
    from reportkit.story.sentences import money_sentence
    budget = {"status": "on_budget", "costly_channels": [
        {"kpi": "cpa", "label": "Cost per sign-up (blended)", "result": "conversions",
         "result_label": "Sign-ups", "result_one": "sign-up", "channel": "Paid Social", "value": 12.5, "others": 2.5, "ratio": 5.0}]}
    s = Sentence("USD")
    # 12.50 / 2.50 = 5.00 times
    assert money_sentence(s, budget, []) == ("On the money side, Paid Social cost $12.50 per sign-up, "
                                             "5.00 times the $2.50 of the other paid channels together.")
    assert [f["path"] for f in s.figures] == [["budget", "costly_channels", 0, k]
                                              for k in ("channel", "value", "ratio", "others")]
    # a channel already named for a return below 1 is not named twice
    channels = [{"channel": "Paid Social", "roas": 0.5, "cost": 100.0}]
    assert "times the" not in money_sentence(Sentence("USD"), budget, channels)
