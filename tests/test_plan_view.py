"""Goals / why / benchmarks / budget HTML: escaped, and built from a tiny hand-checked table."""

import pytest

from reportkit import config
from reportkit.present import analysis as plan_view
from reportkit import report


@pytest.fixture()
def tiny(small_facts):
    # small_facts (conftest): March 2024 Paid Search 100 + 10 sessions, cost 100 + 100;
    # Organic Search 200 sessions; February 50 sessions, cost 40. A budget line must match a
    # channel of the data: "<Paid> Search" has one row in 2022, outside every compared period.
    with open(small_facts, "a") as facts:
        facts.write("2022-01-03,<Paid> Search,B,1,0,0,0,10,1,5\n")
    cfg = config.validate({
        "client_id": "testco", "client_name": "Test", "business_model": "ecommerce", "period": "2024-03",
        "currency": "EUR", "source": {"type": "csv", "path": str(small_facts)},
        "industry": "<Sports & Recreation>",
        "goals": [{"id": "g1", "name": "<script>alert(1)</script> visits", "kpi": "sessions",
                   "scope": {"channel": "Paid Search"}, "measure": "cumulative", "start": "2024-03-01", "deadline": "2024-05-31",
                   "baseline": 50, "target": "+100%",
                   "milestones": [{"date": "2024-04-30", "target": 80, "label": "<i>April</i>"}]},
                  {"id": "g2", "name": "Named baseline", "kpi": "sessions", "start": "2024-03-01",
                   "scope": {"channel": "Paid Search"},
                   "deadline": "2024-05-31", "baseline": "previous_month", "target": "+10%"}],
        "budget": {"monthly": 400, "channels": {"<Paid> Search": 100}},
        "benchmarks": [{"kpi": "cpa", "value": 2.0, "label": "<em>Portfolio</em>"}]})
    return report.build(cfg)


def test_goal_figures_on_the_tiny_table(tiny):
    g = tiny.analysis.goals[0].figures
    # Paid Search, running total: baseline 50; +100 % = 100; 1-2 March 100 + 10 = 110 >= 100
    assert g["baseline"] == 50 and g["target"] == 100 and g["value"] == 110
    assert g["status"] == "achieved"
    assert g["milestones"][0]["state"] == "upcoming" and g["milestones"][0]["distance"] == -30  # 80 - 110
    # Paid Search data starts on 10 February, so 'previous month' (all of February) is not covered:
    # no baseline, so no relative target, and the report says why
    g2 = tiny.analysis.goals[1].figures
    assert g2["baseline"] is None and g2["target"] is None
    assert "not covered by the data" in g2["baseline_source"]
    # a monthly goal with data only to 2 March has no complete month yet
    assert g2["value"] is None and g2["status"] == "not_started"


def test_budget_on_the_tiny_table(tiny):
    b = tiny.analysis.budget
    # the data ends on 2 March: 100 + 100 = 200 spent of 400 (half used) in 2 of 31 days,
    # so the pace projects 200 / 2 * 31 = 3,100: over budget
    assert b["spend"] == 200 and b["share_used"] == pytest.approx(0.5)
    assert b["days_elapsed"] == 2 and b["projected"] == pytest.approx(3100)
    assert b["status"] == "over"
    assert b["parts"][0]["spend"] == 0                          # no channel of that name


def test_every_text_from_params_is_escaped(tiny):
    html = (plan_view.goals(tiny) + plan_view.why(tiny) + plan_view.benchmarks(tiny)
            + plan_view.budget(tiny))
    for raw in ("<script>", "<i>April</i>", "<Sports", "<em>Portfolio", "<Paid>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; visits" in html
    assert "&lt;i&gt;April&lt;/i&gt;" in html and "&lt;Paid&gt; Search" in html
    assert "&lt;em&gt;Portfolio&lt;/em&gt;" in html
