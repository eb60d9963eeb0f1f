"""The goal-led summary: every number in it is a sidecar figure, formatted."""

import json
import re

import pytest

from reportkit import config
from reportkit import report
from reportkit.story.figures import format_figure


@pytest.fixture(scope="module", params=["acme_outdoor", "northwind_b2b", "daily_gazette"])
def built(request, root):
    rep = report.build(config.load(root / "params" / f"{request.param}.yaml"))
    return rep, json.loads(json.dumps(rep.sidecar().to_json(), default=str))


def _at(side, path):
    for key in path:
        side = side[key]
    return side


def test_every_number_in_the_summary_is_in_the_sidecar(built):
    _, side = built
    assert 3 <= len(side["summary"]) <= 5
    assert len(side["summary_figures"]) == len(side["summary"])
    for sentence, figures in zip(side["summary"], side["summary_figures"]):
        rest = sentence
        for f in figures:
            assert format_figure(_at(side, f["path"]), f["format"], side["currency"]) == f["text"], f
            assert f["text"] in sentence
            rest = rest.replace(f["text"], "", 1)
        assert not re.search(r"\d", rest), (sentence, rest)   # no number typed in by hand


def test_summary_leads_with_the_goals_in_priority_order(built):
    rep, side = built
    told = [g for g in side["goals"][:3] if any(f"({g['name']})" in t for t in side["summary"])]
    assert told == side["goals"][:len(told)] and told      # the first goals, none skipped
    for i, goal in enumerate(told):
        assert f"({goal['name']})" in side["summary"][i]
        assert goal["status_words"] in side["summary"][i] or goal["status"] == "achieved"


def test_pacing_arithmetic_from_the_sidecar(built):
    _, side = built
    organic = next(g for g in side["goals"] if g["id"] == "grow_organic")
    # monthly goal, October is month 1 of its months: the straight line is at 1/n of the way
    months = {"2026-12-31": 3, "2027-03-31": 6}[organic["deadline"]]
    b, t = organic["baseline"], organic["target"]
    assert organic["expected_now"] == pytest.approx(b + (t - b) / months)
    assert organic["progress"] == pytest.approx((organic["value"] - b) / (t - b))


def test_goals_that_have_not_started_leave_the_kpi_summary(root):
    values = config.read_params(root / "params" / "acme_outdoor.yaml") | {"period": "2024-09"}
    rep = report.build(config.validate(values))
    assert all(g.figures["status"] == "not_started" for g in rep.analysis.goals)
    assert rep.summary and rep.summary[0].startswith("In September 2024 our revenue came to")
    assert rep.sidecar().to_json()["summary_figures"] is None      # not recorded: the KPI summary's figures


def test_summary_names_delivered_work_and_the_first_screen_the_overdue_item_once(built):
    # every demo client has goal work with a deliverable and an overdue client action item;
    # the most overdue one is the first screen's ask, and the summary does not repeat it
    _, side = built
    sentence = next(s for s in side["summary"] if s.startswith("We delivered"))
    overdue = sorted((a for a in side["action_items"] if a["overdue"]), key=lambda a: -a["days_overdue"])
    quoted = f"\u201c{overdue[0]['item']}\u201d"
    assert overdue and side["first_screen"]["ask"].startswith(quoted)
    assert f"{overdue[0]['days_overdue']} days overdue" in side["first_screen"]["ask"]
    assert not any(quoted in s for s in side["summary"])
    told = [g for g in side["goals"][:3] if any(f"({g['name']})" in t for t in side["summary"])]
    assert side["summary"].index(sentence) == len(told)   # right after the goals
