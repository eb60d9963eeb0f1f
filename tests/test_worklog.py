"""The work behind the numbers: loaders, sections and summary sentences, checked by hand."""

from datetime import date

import pytest

from reportkit import config
from reportkit import report
from reportkit.work import sections as worklog
from reportkit.present import work as worklog_view
from reportkit.errors import ConfigError, DataError
from reportkit.story import first_screen
from reportkit.story.figures import Sentence
from reportkit.story.sentences import work_sentence
from reportkit.work.files import ActionItem, Contact, WorkItem

OCT = (date(2026, 10, 1), date(2026, 10, 31))

WORK_CSV = """date,task,hours,goal,importance,deliverable,link,result
2026-09-30,Before the period,5,g2,,,,
2026-10-01,Feed rebuild,6,g2,,Feed v2,https://x.example/feed,+600 variants
2026-10-02,Bid review,1.5,g1,,,,
2026-10-03,Landing page,2.5,g1,A,New page,,Form completion 18% to 27%
2026-10-10,Tracking fix,3,,A,Fix,,Purchases recorded again
2026-10-11,Tidy names,1,,b,,,
2026-10-12,Call prep,0.5,,B,,,
2026-10-31,Last day,2,g3,,,,
2026-11-01,After the period,4,g1,,,,
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- What we did --------------------------------------------------------------------------
def test_goal_work_grouped_in_goal_order_with_hours_by_hand(tmp_path):
    items = worklog.load_work_log(write(tmp_path, "log.csv", WORK_CSV), {"g1", "g2", "g3"})
    done = worklog.what_we_did(items, *OCT, goal_order=["g1", "g2", "g3"],
                               names={"g1": "More leads", "g2": "Grow revenue"})
    assert [g.goal_id for g in done.goals] == ["g1", "g2", "g3"]           # client's order
    assert [g.name for g in done.goals] == ["More leads", "Grow revenue", "G3"]
    assert [i.task for i in done.goals[0].items] == ["Bid review", "Landing page"]  # A on goal work stays under the goal
    # 30 Sep and 1 Nov are outside October.
    # g1 = 1.5 + 2.5 = 4; g2 = 6; g3 = 2
    assert [g.hours for g in done.goals] == [4.0, 6.0, 2.0]
    assert [i.task for i in done.a_tasks] == ["Tracking fix"]
    # B: "Tidy names" 1 h + "Call prep" 0.5 h  (importance is case-insensitive)
    assert (done.b_count, done.b_hours) == (2, 1.5)
    # goal 4 + 6 + 2 = 12; total 12 + 3 (A) + 1.5 (B) = 16.5; share 12 / 16.5 = 0.72727...
    assert done.goal_hours == 12.0 and done.total_hours == 16.5
    assert done.goal_share == pytest.approx(0.727272727)
    side = done.as_dict()
    assert side["b_tasks"] == {"count": 2, "hours": 1.5}
    assert side["goals"][1]["items"][0]["link"] == "https://x.example/feed"


def test_goals_without_declared_order_follow_first_appearance(tmp_path):
    items = worklog.load_work_log(write(tmp_path, "log.csv", WORK_CSV))  # no goal check
    done = worklog.what_we_did(items, *OCT)
    assert [g.goal_id for g in done.goals] == ["g2", "g1", "g3"]
    assert done.goals[0].name == "G2"


def test_no_work_in_the_period_hides_the_section(tmp_path):
    items = worklog.load_work_log(write(tmp_path, "log.csv", WORK_CSV))
    assert worklog.what_we_did(items, date(2026, 12, 1), date(2026, 12, 31)) is None


def test_zero_hours_gives_an_undefined_share():
    items = [WorkItem(date(2026, 10, 5), "Quick check", 0.0, goal="g1")]
    done = worklog.what_we_did(items, *OCT)
    assert done.total_hours == 0 and done.goal_share is None


def test_yaml_work_log_reads_like_csv(tmp_path):
    yml = write(tmp_path, "log.yaml", """
- date: 2026-10-01
  task: Feed rebuild
  hours: 6
  goal: g2
  deliverable: Feed v2
  link: https://x.example/feed
  result: +600 variants
- {date: "2026-10-11", task: Tidy names, hours: 1, importance: b}
""")
    csv_items = worklog.load_work_log(write(tmp_path, "log.csv", WORK_CSV))
    yaml_items = worklog.load_work_log(yml)
    assert yaml_items[0] == csv_items[1] and yaml_items[1] == csv_items[5]


# --- What we need from you: overdue around the report date ----------------------------------
def test_overdue_is_relative_to_the_report_date():
    today = date(2026, 11, 21)
    actions = [ActionItem("tomorrow", date(2026, 11, 22)), ActionItem("today", date(2026, 11, 21)),
               ActionItem("yesterday", date(2026, 11, 20)), ActionItem("long ago", date(2026, 11, 1)),
               ActionItem("finished", date(2026, 11, 1), status="done")]
    out = worklog.needs_from_client(actions, today)
    assert [o.action.item for o in out] == ["long ago", "yesterday", "today", "tomorrow"]
    # 21 Nov - 1 Nov = 20 days; - 20 Nov = 1; today 0; tomorrow -1
    assert [o.days_overdue for o in out] == [20, 1, 0, -1]
    assert [o.overdue for o in out] == [True, True, False, False]
    assert [o.when() for o in out] == ["overdue by 20 days", "overdue by 1 day", "due today", "due in 1 day"]


def test_action_items_loader_defaults_to_open(tmp_path):
    path = write(tmp_path, "a.csv", "item,why,due,status\nSend photos,For the ads,2026-11-25,\n"
                                    "Old one,,2026-10-01,DONE\n")
    items = worklog.load_action_items(path)
    assert [(a.item, a.status, a.why) for a in items] == [("Send photos", "open", "For the ads"),
                                                         ("Old one", "done", None)]


# --- Communication summary ------------------------------------------------------------------
def contact(d, **kw):
    return Contact(date=d, channel=kw.pop("channel", "call"), summary=kw.pop("summary", "talk"), **kw)


def test_communication_summary_by_hand():
    today = date(2026, 11, 21)
    contacts = [
        contact(date(2026, 9, 20), issue="Old issue", resolution="fixed", resolved_on=date(2026, 10, 2)),
        contact(date(2026, 10, 2), decisions=("Shift budget", "Launch jackets"), follow_up=date(2026, 10, 16)),
        contact(date(2026, 10, 16), issue="Tracking outage", resolved_on=date(2026, 10, 16)),
        contact(date(2026, 10, 29), issue="Returns in revenue", follow_up=date(2026, 11, 26)),
        contact(date(2026, 11, 13)),
        contact(date(2026, 12, 1), summary="not happened yet", follow_up=date(2026, 11, 23)),
    ]
    c = worklog.communication_summary(contacts, *OCT, today)
    assert [i.date.day for i in c.interactions] == [2, 16, 29]
    assert c.decisions == [(date(2026, 10, 2), "Shift budget"), (date(2026, 10, 2), "Launch jackets")]
    assert [i.issue for i in c.open_issues] == ["Returns in revenue"]
    assert [i.issue for i in c.resolved_issues] == ["Old issue", "Tracking outage"]  # resolved 2 and 16 Oct
    assert c.last_contact == date(2026, 11, 13) and c.days_since_contact == 8   # 21 - 13
    assert c.next_contact == date(2026, 11, 26)   # the 1 Dec entry (and its follow-up) is ignored
    assert c.missed_follow_ups == [] and c.flags == []  # the 16 Oct follow-up happened on 16 Oct


@pytest.mark.parametrize("last_day, stale", [(7, False), (6, True)])
def test_stale_contact_flag_after_14_days(last_day, stale):
    # 21 Nov - 7 Nov = 14 days: not stale yet; 21 Nov - 6 Nov = 15 days: stale
    c = worklog.communication_summary([contact(date(2026, 11, last_day))], *OCT, date(2026, 11, 21))
    assert bool(c.flags) is stale
    if stale:
        assert "15 days ago" in c.flags[0]


def test_missed_follow_up_is_flagged():
    today = date(2026, 11, 21)
    contacts = [contact(date(2026, 11, 10), follow_up=date(2026, 11, 20)),   # nothing since: missed
                contact(date(2026, 11, 12), follow_up=date(2026, 11, 21))]   # today: not passed yet
    c = worklog.communication_summary(contacts, *OCT, today)
    assert c.missed_follow_ups == [date(2026, 11, 20)]
    assert c.flags == ["The follow-up planned for 20 Nov 2026 has not happened yet."]
    assert c.next_contact == date(2026, 11, 21)
    assert c.interactions == []  # nothing in October, the section still shows the flags


def test_communication_loader_splits_decisions_and_reads_times(tmp_path):
    path = write(tmp_path, "c.csv",
                 "date,time,channel,participants,summary,decisions,issue,resolution,resolved_on,follow_up\n"
                 '2026-10-06,9:30,E-mail,"Priya, Jonas",Priorities,Focus on demos; Stop display,,,,2026-10-20\n')
    (c,) = worklog.load_communication(path)
    assert (c.channel, c.time.strftime("%H:%M"), c.decisions) == ("email", "09:30", ("Focus on demos", "Stop display"))
    assert c.follow_up == date(2026, 10, 20)


# --- Summary sentences ---------------------------------------------------------------------
def _work_sentence(work):
    return work_sentence(Sentence("EUR"), work.sidecar())


def test_summary_sentences_pick_first_goal_delivery_the_ask_the_overdue_item(tmp_path):
    items = worklog.load_work_log(write(tmp_path, "log.csv", WORK_CSV))
    done = worklog.what_we_did(items, *OCT, goal_order=["g1", "g2"], names={"g1": "More leads"})
    actions = worklog.needs_from_client([ActionItem("Approve budget", date(2026, 11, 12)),
                                         ActionItem("Send photos", date(2026, 11, 25))], date(2026, 11, 21))
    work = worklog.WorkSections(done=done, actions=actions, goal_names={"g1": "More leads"})
    # g1 is the first goal; its delivered item is the landing page (the bid review has none);
    # of the two open items only the one due 12 Nov is overdue on 21 Nov
    assert _work_sentence(work) == (
        "We delivered \u201cNew page\u201d for our goal \u201cMore leads\u201d (Form completion 18% to 27%).")
    # the overdue item is the first screen's ask (21 Nov - 12 Nov = 9 days overdue)
    side = work.sidecar()
    assert side["action_items"][0]["days_overdue"] == 9
    assert first_screen.ask(Sentence("EUR"), side) == "\u201cApprove budget\u201d: due 12 Nov 2026, 9 days overdue."
    assert _work_sentence(worklog.WorkSections()) is None


def test_summary_falls_back_to_a_tasks_then_nothing():
    done = worklog.what_we_did([WorkItem(date(2026, 10, 3), "Tag fix", 2, importance="A", result="Tags work"),
                                WorkItem(date(2026, 10, 4), "Tidy", 1, importance="B", result="tidy")], *OCT)
    assert _work_sentence(worklog.WorkSections(done=done)) == "We delivered \u201cTag fix\u201d (Tags work)."


# --- Errors: file, row, column, problem and fix -------------------------------------------
HEAD = "date,task,hours,goal,importance,deliverable,link,result\n"
GOOD = "2026-10-01,Feed rebuild,6,g1,,,,\n"


@pytest.mark.parametrize("row, column, problem, fix", [
    ("2026-13-01,Feed,6,g1,,,,", "date", "'2026-13-01' is not a date", "YYYY-MM-DD"),
    ("01/10/2026,Feed,6,g1,,,,", "date", "'01/10/2026' is not a date", "YYYY-MM-DD"),
    (",Feed,6,g1,,,,", "date", "missing date date", "YYYY-MM-DD"),
    ("2026-10-02,Feed,6,grow_sales,,,,", "goal", "unknown goal 'grow_sales'; known goals: g1, g2",
     "use a goal id from the params file's goals"),
    ("2026-10-02,Feed,-2,g1,,,,", "hours", "negative hours (-2)", "hours worked are 0 or more"),
    ("2026-10-02,Feed,two,g1,,,,", "hours", "hours 'two' is not a number", "e.g. 2.5"),
    ("2026-10-02,Feed,,g1,,,,", "hours", "missing hours", "e.g. 2.5"),
    ("2026-10-02,,6,g1,,,,", "task", "missing task", "describe the task"),
    ("2026-10-02,Feed,6,,C,,,", "importance", "importance 'C' is not one of: A, B", "A: skipping it would hurt"),
    ("2026-10-02,Feed,6,,,,,", "importance", "work outside the goals needs an importance", "set importance to A"),
    ("2026-10-02,Feed,6,g1,,Report,javascript:alert(1),", "link",
     "link 'javascript:alert(1)' is not an http(s) address", "https://"),
])
def test_work_log_errors_name_file_row_column_and_fix(tmp_path, row, column, problem, fix):
    path = write(tmp_path, "work_log.csv", HEAD + GOOD + row + "\n")
    with pytest.raises(DataError) as caught:
        worklog.load_work_log(path, {"g1", "g2"})
    text = str(caught.value)
    assert text.startswith(f"{path}: row 2 (line 3), column '{column}': {problem}")
    assert "\n  fix: " in text and fix in text.split("fix: ", 1)[1]
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("loader, text, where, problem", [
    (worklog.load_plan, "task,owner,due\nLaunch,agency,2026-11-20\n", "row 1 (line 2), column 'owner'",
     "owner 'agency' is not one of: client, us"),
    (worklog.load_plan, "task,owner,due\nLaunch,us,\n", "row 1 (line 2), column 'due'", "missing due date"),
    (worklog.load_plan, "task,owner,due,goal\nLaunch,us,2026-11-20,nope\n", "row 1 (line 2), column 'goal'",
     "unknown goal 'nope'"),
    (worklog.load_action_items, "item,due,status\nPhotos,2026-11-25,waiting\n", "row 1 (line 2), column 'status'",
     "status 'waiting' is not one of: done, open"),
    (worklog.load_action_items, "item,due\n,2026-11-25\n", "row 1 (line 2), column 'item'", "missing item"),
    (worklog.load_communication, "date,channel,summary\n2026-10-02,fax,Sent it\n", "row 1 (line 2), column 'channel'",
     "channel 'fax' is not one of: call, chat, email, meeting"),
    (worklog.load_communication, "date,channel,summary,time\n2026-10-02,call,Talk,25:00\n",
     "row 1 (line 2), column 'time'", "'25:00' is not a time"),
    (worklog.load_communication, "date,channel,summary,issue,resolved_on\n2026-10-02,call,Talk,Bug,2026-10-01\n",
     "row 1 (line 2), column 'resolved_on'", "resolved on 2026-10-01 before it was raised on 2026-10-02"),
    (worklog.load_communication, "date,channel,summary,hours\n2026-10-02,call,Talk,2\n",
     "row 1 (line 2), column 'hours'", "unknown column"),
    (worklog.load_work_log, HEAD + "2026-10-01,Feed, tags,6,g1,,,,\n", "row 1 (line 2), column '#9'",
     "9 cells for 8 columns"),
])
def test_other_inputs_errors(tmp_path, loader, text, where, problem):
    path = write(tmp_path, "input.csv", text)
    args = (path, {"g1"}) if loader in (worklog.load_plan, worklog.load_work_log) else (path,)
    with pytest.raises(DataError) as caught:
        loader(*args)
    assert str(caught.value).startswith(f"{path}: {where}: {problem}"), str(caught.value)
    assert "fix: " in str(caught.value)


def test_yaml_errors_name_the_entry(tmp_path):
    path = write(tmp_path, "c.yaml", "- date: 2026-10-02\n  channel: call\n  summary: ok\n"
                                     "- date: 2026-10-03\n  channel: call\n  summary: Talk\n  time: 10:30\n")
    with pytest.raises(DataError, match=r"c.yaml: row 2, column 'time': time was read as the number 630"
                                        r"\n  fix: put the time in quotes"):
        worklog.load_communication(path)
    not_a_list = write(tmp_path, "p.yaml", "task: Launch\n")
    with pytest.raises(DataError, match="p.yaml: the plan must be a YAML list of entries"):
        worklog.load_plan(not_a_list)
    broken = write(tmp_path, "b.yaml", "- task: [unclosed\n")
    with pytest.raises(DataError, match="b.yaml: is not valid YAML at line"):
        worklog.load_plan(broken)


def test_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(DataError, match=r"nowhere.csv: work log file not found\n  fix: check the path under work:"):
        worklog.load_work_log(tmp_path / "nowhere.csv")
    with pytest.raises(DataError, match=r"log.xlsx: unsupported file type '.xlsx'"):
        worklog.load_work_log(write(tmp_path, "log.xlsx", "x"))


def test_empty_files_give_hidden_sections(tmp_path):
    assert worklog.load_work_log(write(tmp_path, "log.csv", HEAD)) == []
    assert worklog.load_plan(write(tmp_path, "plan.yaml", "# nothing planned yet\n")) == []


# --- Params and the report ----------------------------------------------------------------
BASE = {"client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "period": "2024-03", "currency": "EUR", "as_of": "2024-04-10"}


def test_work_params_are_optional_and_strict(small_facts):
    cfg = config.validate({**BASE, "source": {"type": "csv", "path": str(small_facts)}})
    assert cfg.work.log is None and cfg.work.communication is None
    with pytest.raises(ConfigError, match=r"key 'work.logs': unknown key"):
        config.validate({**BASE, "work": {"logs": "x.csv"}})


def test_report_without_work_files_hides_every_section(small_facts):
    built = report.build(config.validate({**BASE, "source": {"type": "csv", "path": str(small_facts)}}))
    side = built.sidecar().to_json()
    assert (side["work"], side["plan"], side["action_items"], side["communication"]) == (None, [], [], None)
    for show in (worklog_view.what_we_did, worklog_view.next_period, worklog_view.needs_from_you,
                 worklog_view.communication):
        assert show(built) == ""


def test_report_summary_ends_with_the_work_sentences(tmp_path, small_facts):
    log = write(tmp_path, "log.csv", HEAD + "2024-03-05,Feed rebuild,6,,A,Feed v2,,More products in ads\n")
    actions = write(tmp_path, "a.csv", "item,due\nApprove budget,2024-04-09\n")
    built = report.build(config.validate({**BASE, "source": {"type": "csv", "path": str(small_facts)},
                                          "work": {"log": str(log), "action_items": str(actions)}}))
    assert 3 <= len(built.summary) <= 5
    # 10 Apr - 9 Apr = 1 day overdue
    assert built.summary[-1] == "We delivered \u201cFeed v2\u201d (More products in ads)."
    # the overdue item is said once, as the first screen's ask (not in the summary too)
    assert built.first_screen["ask"] == "\u201cApprove budget\u201d: due 9 Apr 2024, 1 day overdue."
    assert built.sidecar().to_json()["action_items"][0]["days_overdue"] == 1


def test_views_escape_every_text_and_only_link_http(tmp_path, small_facts):
    log = write(tmp_path, "log.csv", HEAD + '2024-03-05,<script>x</script>,6,,A,"Feed ""v2"" <b>",'
                                            'https://x.example/?a=1&b="2",<i>ok</i>\n')
    plan = write(tmp_path, "plan.csv", "task,owner,due\n<img src=x>,client,2024-04-20\n")
    built = report.build(config.validate({**BASE, "client_name": "A & B",
                                          "source": {"type": "csv", "path": str(small_facts)},
                                          "work": {"log": str(log), "plan": str(plan)}}))
    html = worklog_view.what_we_did(built) + worklog_view.next_period(built)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;img src=x&gt;" in html
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in html
    assert "<td>A &amp; B</td>" in html   # the client owns the task: shown by name


def test_routine_work_is_shown_once_with_count_and_hours(tmp_path, small_facts):
    log = write(tmp_path, "log.csv", HEAD + "2024-03-04,Weekly review,1.5,,A,,,\n"
                                            "2024-03-05,Tag fix,2,,A,,,Tags work\n"
                                            "2024-03-11,Weekly review,1.5,,A,,,\n"
                                            "2024-03-18,Weekly review,1,,A,,,\n")
    built = report.build(config.validate({**BASE, "source": {"type": "csv", "path": str(small_facts)},
                                          "work": {"log": str(log)}}))
    html = worklog_view.what_we_did(built)
    # 1.5 + 1.5 + 1 = 4 h in three entries, listed once before the tag fix (first seen on 4 Mar)
    assert html.count("Weekly review") == 1 and "Weekly review</span> (3 times, 4.0 h)" in html
    assert html.index("Weekly review") < html.index("Tag fix")
    assert '<td class="num" data-field="total_hours">6.0 h</td>' in html   # 4 + 2


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_csv_are_read(tmp_path, sep):
    # a spreadsheet in a European locale saves ';'; "Unicode text" saves tabs. The comma in
    # the quoted why stays inside its cell.
    path = write(tmp_path, "a.csv", sep.join(["item", "due", "why"]) + "\n"
                 + sep.join(["Photos", "2026-11-25", '"For the shop, and the feed"']) + "\n")
    items = worklog.load_action_items(path)
    assert items == [ActionItem(item="Photos", due=date(2026, 11, 25), why="For the shop, and the feed")]


def test_build_checks_goal_ids_once_params_declare_goals(tmp_path):
    """ClientConfig gains ``goals`` (items with .id and .name) in another branch; build uses them
    for the order, the names and the goal-id check. A plain object stands in for that config."""
    from types import SimpleNamespace

    from reportkit.config import WorkFiles
    from reportkit.core.periods import resolve

    log = write(tmp_path, "log.csv", WORK_CSV)
    goals = [SimpleNamespace(id="g3", name="Grow organic"), SimpleNamespace(id="g1", name="More leads"),
             SimpleNamespace(id="g2", name="Grow revenue")]
    cfg = SimpleNamespace(goals=goals, work=WorkFiles(log=str(log)), report_date=lambda: date(2026, 11, 21))
    work = worklog.build(cfg, resolve("2026-10", None, None))
    assert [(g.goal_id, g.name, g.hours) for g in work.done.goals] == [
        ("g3", "Grow organic", 2.0), ("g1", "More leads", 4.0), ("g2", "Grow revenue", 6.0)]
    cfg.goals = goals[:2]   # g2 is no longer a goal: every row is checked, also outside the period
    with pytest.raises(DataError, match=r"log.csv: row 1 \(line 2\), column 'goal': unknown goal 'g2'; "
                                        r"known goals: g1, g3"):
        worklog.build(cfg, resolve("2026-10", None, None))
