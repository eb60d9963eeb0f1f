"""End to end: the work sections through the real notebook (papermill + nbconvert) and the CLI."""

import json
import re
import subprocess
import sys

import pytest
import yaml

from reportkit.run.render import render_client

pytestmark = pytest.mark.slow  # the real notebook end to end in a Jupyter kernel, and the CLI in subprocesses

ORDER = ["Summary", "What we did", "Results", "Next period", "What we need from you",
         "Communication log", "Data notes"]
WORK_SECTIONS = ["What we did", "Next period", "What we need from you", "Communication log"]


def heading_positions(html: str) -> dict:
    found = {}
    for name in ORDER:
        m = re.search(rf"<h2[^>]*>{re.escape(name)}", html)
        if m:
            found[name] = m.start()
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory, small_facts_module):
    """A client with all four work files (one per format), and a copy with a malformed log."""
    tmp = tmp_path_factory.mktemp("work")
    (tmp / "log.csv").write_text(
        "date,task,hours,goal,importance,deliverable,link,result\n"
        "2024-03-04,Feed <rebuild>,6,,A,Feed v2,https://x.example/feed?a=1&b=2,More products in ads\n"
        "2024-03-05,Tidy names,1.5,,B,,,\n"
        "2024-03-06,Call prep,0.5,,B,,,\n")
    (tmp / "plan.yaml").write_text("- {task: Launch spring sale, owner: us, due: 2024-04-15, deliverable: Sale ads}\n"
                                   "- {task: Send photos, owner: client, due: 2024-04-12}\n")
    (tmp / "actions.csv").write_text("item,why,due,status\nApprove budget,Ads start 1 Apr,2024-04-09,open\n"
                                     "Old request,,2024-03-01,done\n")
    (tmp / "comms.yaml").write_text(
        "- date: 2024-03-12\n  time: '10:00'\n  channel: call\n  participants: Lena & Tom\n"
        "  summary: Monthly review\n  decisions: [Move budget to Shopping]\n"
        "  issue: Returns counted in revenue\n")
    base = {"client_id": "workco", "client_name": "Work Co", "business_model": "ecommerce",
            "period": "2024-03", "currency": "EUR", "as_of": "2024-04-10",
            "source": {"type": "csv", "path": str(small_facts_module)},
            "work": {"log": str(tmp / "log.csv"), "plan": str(tmp / "plan.yaml"),
                     "action_items": str(tmp / "actions.csv"), "communication": str(tmp / "comms.yaml")}}
    (tmp / "workco.yaml").write_text(yaml.safe_dump(base))
    (tmp / "bad_log.csv").write_text("date,task,hours,goal,importance,deliverable,link,result\n"
                                     "2024-03-04,Feed,6,,A,,,\n2024-03-05,Tidy,-1.5,,B,,,\n")
    bad = {**base, "client_id": "badco", "work": {**base["work"], "log": str(tmp / "bad_log.csv")}}
    (tmp / "badco.yaml").write_text(yaml.safe_dump(bad))
    bare = {k: v for k, v in base.items() if k != "work"} | {"client_id": "bareco"}
    (tmp / "bareco.yaml").write_text(yaml.safe_dump(bare))
    return tmp


@pytest.fixture(scope="module")
def small_facts_module(tmp_path_factory):
    # same rows as conftest.small_facts (a function-scoped fixture), for module-scoped renders
    path = tmp_path_factory.mktemp("facts") / "facts.csv"
    path.write_text(
        "date,channel,campaign,sessions,conversions,transactions,revenue,impressions,clicks,cost\n"
        "2024-03-01,Paid Search,A,100,5,5,500,1000,50,100\n"
        "2024-03-02,Paid Search,A,10,1,1,50,100,10,100\n"
        "2024-03-01,Organic Search,,200,4,0,0,,,\n"
        "2024-02-10,Paid Search,A,50,2,2,200,400,20,40\n")
    return path


@pytest.fixture(scope="module")
def rendered(project):
    out = project / "out"
    result = render_client(project / "workco.yaml", out=out)
    assert result.status == "ok", result.error
    return out / "2024-03"


def test_sections_appear_in_the_domain_order(rendered):
    html = (rendered / "workco.html").read_text()
    pos = heading_positions(html)
    assert list(pos) == ORDER, pos
    assert sorted(pos.values()) == list(pos.values())


def test_work_sections_show_the_files_escaped(rendered):
    html = (rendered / "workco.html").read_text()
    assert "Feed &lt;rebuild&gt;" in html and "<rebuild>" not in html
    assert '<a href="https://x.example/feed?a=1&amp;b=2" rel="noopener noreferrer">Feed v2</a>' in html
    assert "Plus 2 minor tasks (2.0 h)." in html          # 1.5 h + 0.5 h
    assert "0% of our time went to work on your goals." in html  # no goal work: 0 / 8 h
    assert "Lena &amp; Tom" in html and "Move budget to Shopping" in html
    assert "overdue by 1 day" in html and "Old request" not in html   # 10 Apr - 9 Apr; done is hidden
    assert "Returns counted in revenue" in html
    # last contact 12 Mar, report written 10 Apr: 29 days -- a warning for the agency, so it is
    # in the sidecar's agency_alerts (the cockpit shows it), never in the client's page
    assert "29 days ago" not in html
    side = json.loads((rendered / "workco.json").read_text())
    assert any(a["kind"] == "contact" and "29 days ago (12 Mar 2024)" in a["message"]
               for a in side["agency_alerts"]), side["agency_alerts"]


def test_sidecar_has_the_work_sections(rendered):
    side = json.loads((rendered / "workco.json").read_text())
    # total 6 (A) + 1.5 + 0.5 (B) = 8 h; no goal work
    assert side["work"]["total_hours"] == 8.0 and side["work"]["goal_share"] == 0.0
    assert side["work"]["b_tasks"] == {"count": 2, "hours": 2.0}
    assert [p["task"] for p in side["plan"]] == ["Send photos", "Launch spring sale"]  # by due date
    assert side["action_items"] == [{"item": "Approve budget", "why": "Ads start 1 Apr", "due": "2024-04-09",
                                     "status": "open", "overdue": True, "days_overdue": 1}]
    assert side["communication"]["open_issues"] == [{"issue": "Returns counted in revenue", "raised": "2024-03-12"}]
    assert side["communication"]["days_since_contact"] == 29
    assert side["summary"][-1] == "We delivered \u201cFeed v2\u201d (More products in ads)."
    # the overdue item is said once: the first screen's ask (10 Apr - 9 Apr = 1 day overdue)
    assert side["first_screen"]["ask"] == "\u201cApprove budget\u201d: due 9 Apr 2024, 1 day overdue. Ads start 1 Apr."


def test_without_work_files_the_sections_are_hidden(project):
    result = render_client(project / "bareco.yaml", out=project / "out")
    assert result.status == "ok", result.error
    html = (project / "out" / "2024-03" / "bareco.html").read_text()
    for name in WORK_SECTIONS:
        assert name not in heading_positions(html)
    assert {"Summary", "Results", "Data notes"} <= set(heading_positions(html))


def test_malformed_row_fails_that_client_only_with_exit_2(project, root):
    out = project / "cli-out"
    run = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", str(project / "badco.yaml"),
                          str(project / "bareco.yaml"), "--out", str(out)],
                         capture_output=True, text=True, cwd=root, timeout=600)
    assert run.returncode == 2, run.stdout + run.stderr
    text = run.stdout + run.stderr
    assert f"{project / 'bad_log.csv'}: row 2 (line 3), column 'hours': negative hours (-1.5)" in text
    assert "fix: hours worked are 0 or more" in text
    assert not (out / "2024-03" / "badco.html").exists()
    assert (out / "2024-03" / "bareco.html").is_file()       # the other client is unaffected


def test_validate_checks_the_work_files(project, root):
    run = subprocess.run([sys.executable, "-m", "reportkit.cli", "validate", str(project / "badco.yaml"),
                          str(project / "workco.yaml")], capture_output=True, text=True, cwd=root, timeout=300)
    assert run.returncode == 2
    assert "column 'hours': negative hours (-1.5)" in run.stderr
    assert f"ok      {project / 'workco.yaml'}" in run.stdout
