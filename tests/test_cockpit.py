"""The agency cockpit (deliver/overview.py) at 1,000 synthetic clients: grouped by what needs
doing first, under 2 MB, no sideways scrolling at 1280 px in headless Chromium; the ledger's
states, refused recipients and the agency-only alerts on it."""

from __future__ import annotations

import json
import re

import pytest

from reportkit.deliver.overview import GROUPS, collect, write_overview

N = 1000
PAGE_BUDGET = 2_000_000   # bytes
OCT = {"start": "2026-10-01", "end": "2026-10-31"}
# client i's state: 20 failed runs, 30 send problems, 100 held, 200 awaiting review,
# 150 approved, 500 sent -- 1,000 in all
PLAN = [("failed", 20), ("send_problem", 30), ("held", 100), ("awaiting_review", 200), ("approved", 150),
        ("sent", 500)]


def _state(i: int) -> str:
    for state, n in PLAN:
        if i < n:
            return state
        i -= n
    raise AssertionError


def _kpi(label, change, better="higher", value=12345.678, unit="currency"):
    return {"label": label, "value": value, "previous": value / 1.1, "yoy": value / 1.2, "change_previous": change,
            "change_yoy": 0.2, "abs_change_previous": 1.0, "abs_change_yoy": 2.0, "better": better, "unit": unit,
            "explain": "An explanation of the KPI for the reader, a sentence long.", "formula": "a / b"}


def _goal(n, status):
    return {"id": f"g{n}", "name": f"Grow organic search visits by 30% by the end of the quarter ({n})",
            "kpi": "sessions", "label": "Sessions", "unit": "count", "kind": "reach", "measure": "monthly",
            "scope": None, "start": "2026-10-01", "deadline": "2026-12-31", "target": 1000.0, "direction": "up",
            "status": status, "status_words": status.replace("_", " "), "value": 900.0, "expected_now": 950.0,
            "forecast": 990.0}


def _sidecar(i: int, state: str) -> dict:
    cid = f"client_{i:04d}"
    findings = [{"level": "warning", "period": "current",
                 "message": "Website tracking recorded no visits on 3 day(s) of October 2026 (13–15 Oct 2026), "
                            "while the days around them had traffic: most likely a tracking outage."}] \
        if state == "held" else []
    side = {"client_id": cid, "client_name": f"Client <{i:04d}> & Sons Outdoor Equipment", "business_model": "ecommerce",
            "currency": "EUR", "period": OCT, "previous": {"start": "2026-09-01", "end": "2026-09-30"},
            "yoy": {"start": "2025-10-01", "end": "2025-10-31"}, "period_key": "2026-10",
            "kpis": {"revenue": _kpi("Revenue", 0.05 + (i % 7) / 100), "cost": _kpi("Ad spend", 0.12, "lower"),
                     "roas": _kpi("Return on ad spend", -0.03, unit="ratio")},
            "channels": [], "summary": ["A summary sentence."] * 3,
            "goals": [_goal(1, "behind" if i % 3 else "on_track"), _goal(2, "achieved"), _goal(3, "at_risk")],
            "budget": {"status": "over" if i % 5 == 0 else "on_budget", "share_used": 1.08 if i % 5 == 0 else 0.97},
            "source": "test",
            "data_quality": {"status": "warning" if findings else "ok", "source": "test", "data_from": None,
                             "data_to": None, "findings": findings},
            "communication": {"days_since_contact": 20 if i % 4 == 0 else 5, "last_contact": "2026-10-31",
                              "missed_follow_ups": ["2026-11-06"] if i % 6 == 0 else []},
            "action_items": [{"item": "Approve the Black Friday discount levels", "due": "2026-11-12",
                              "status": "open", "overdue": i % 2 == 0, "days_overdue": 9}],
            "agency": {"name": "Northstar Digital", "logo": None, "accent_color": "#1f5fa8"},
            "generated_at": "2026-11-21T08:00:00+00:00"}
    if i % 10 == 3:   # the truth issue's agency alerts, when the sidecar has them, replace the fallback
        side["agency_alerts"] = [{"kind": "benchmark", "message": "CPA is in the worst quartile of the portfolio"}]
    return side


def _ledger_lines(cid: str, state: str) -> list[dict]:
    h = f"hash-{cid}"
    lines = [{"at": "2026-11-21T08:00:00+00:00", "client_id": cid, "state": "rendered", "hash": h}]
    if state == "held":
        lines.append({"client_id": cid, "state": "held", "hash": h, "reasons": [
            "data quality (current): tracking outage", "large move: Revenue +62.0% against the previous period"]})
    else:
        lines.append({"client_id": cid, "state": "awaiting_review", "hash": h})
    if state in ("approved", "sent", "send_problem"):
        lines.append({"at": "2026-12-02T09:00:00+00:00", "client_id": cid, "state": "approved", "hash": h,
                      "by": "Dana"})
    if state in ("sent", "send_problem"):
        lines.append({"client_id": cid, "state": "sending", "message_id": f"<{cid}@x>"})
        refused = {"cfo@example.com": "550 5.1.1 mailbox unavailable"} if state == "send_problem" else {}
        lines.append({"at": "2026-12-03T06:00:00+00:00", "client_id": cid, "state": "sent",
                      "message_id": f"<{cid}@x>", "to": [f"marketing@{cid}.example"], "refused": refused})
    return lines


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cockpit") / "2026-10"
    folder.mkdir()
    entries, lines = [], []
    for i in range(N):
        state = _state(i)
        side = _sidecar(i, state)
        cid = side["client_id"]
        (folder / f"{cid}.json").write_text(json.dumps(side))
        (folder / f"{cid}.html").write_text("<html></html>")
        entries.append({"client_id": cid, "params": f"/p/{cid}.yaml", "status": "failed" if state == "failed" else "ok",
                        "duration_s": 1.0, "outputs": {}, "error": "data/x.csv: row 12: negative spend"
                        if state == "failed" else None})
        if state != "failed":
            lines += _ledger_lines(cid, state)
    (folder / "manifest.json").write_text(json.dumps({"period": "2026-10", "generated_at": "2026-11-21T08:00:00+00:00",
                                                      "clients": entries}))
    (folder / "ledger.jsonl").write_text("".join(json.dumps({"at": "2026-11-21T08:00:00+00:00", **l}) + "\n"
                                                 for l in lines))
    return write_overview(folder)


def test_1000_clients_grouped_by_what_needs_doing_first_and_under_2_mb(big):
    html = big.read_text()
    size = len(html.encode("utf-8"))
    assert size < PAGE_BUDGET, f"the cockpit is {size:,} bytes"
    groups = re.findall(r'<(?:section|details) class="rk-group" id="g-([a-z_]+)">', html)
    assert groups == [state for state, _ in PLAN] == list(GROUPS)   # failed first ... sent last
    for state, n in PLAN:
        title = GROUPS[state][0]
        assert f"{title} ({n})" in html
    rows = re.findall(r'<tr data-client="client_(\d+)"', html)
    assert len(rows) == N
    order = [_state(int(i)) for i in rows]
    assert order == sorted(order, key=[s for s, _ in PLAN].index)      # every row in its group's place
    assert '<details class="rk-group" id="g-sent">' in html             # 500 sent: folded


def test_the_rows_say_state_who_when_refused_and_agency_alerts(big):
    rows, _ = collect(big.parent)
    by = {r.client_id: r for r in rows}
    html = big.read_text()
    row = lambda cid: re.search(rf'<tr data-client="{cid}".*?</tr>', html).group(0)   # noqa: E731
    failed = row("client_0000")
    assert "negative spend" in failed and 'rk-badge failed' in failed
    refused = row("client_0020")                                        # the first send problem
    assert "refused cfo@example.com: 550 5.1.1 mailbox unavailable" in refused
    held = row("client_0050")
    assert "held" in held and "large move: Revenue +62.0%" in held and "tracking outage" in held
    sent = row("client_0500")
    assert "sent 2026-12-03 06:00 UTC to marketing@client_0500.example" in sent
    assert "approved by Dana 2026-12-02 09:00 UTC" in sent
    # i = 500: days since contact 20 > 14, i % 6 != 0: no missed follow-up; overdue to-do (i even)
    assert [k for k, _ in by["client_0500"].alerts()] == ["contact", "overdue_todo"]
    assert "last contact 20 days ago" in sent and "client to-do 9 days overdue" in sent
    assert by["client_0503"].alerts() == [("benchmark", "CPA is in the worst quartile of the portfolio")]
    assert "Client &lt;0500&gt; &amp; Sons" in sent and "<0500>" not in html


@pytest.mark.slow
def test_1000_clients_fit_1280_px_without_sideways_scrolling(big, artifacts):
    from browser import browser, open_page, screenshot
    with browser() as b:
        page, log = open_page(b, big, 1280, 900)
        try:
            assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
            widest = page.evaluate("Math.max(...[...document.querySelectorAll('.rk-table-wrap')]"
                                   ".map(w => w.scrollWidth - w.clientWidth))")
            assert widest <= 0, f"a table scrolls sideways by {widest}px"
            assert page.locator("tbody tr").count() == N
            assert log.console_errors == [] and log.outside_requests() == []
            page.set_viewport_size({"width": 1280, "height": 900})
            screenshot(page, artifacts, "cockpit-1000-1280")
        finally:
            page.close()


def test_review_of_a_folder_with_a_failed_run_exits_1_and_lists_it_first(tmp_path, root):
    import subprocess
    import sys
    folder = tmp_path / "2026-10"
    folder.mkdir()
    side = _sidecar(1, "held")
    (folder / "client_0001.json").write_text(json.dumps(side))
    (folder / "client_0001.html").write_text("<html></html>")
    (folder / "manifest.json").write_text(json.dumps({"period": "2026-10", "generated_at": "", "clients": [
        {"client_id": "client_0001", "params": "/p/none.yaml", "status": "ok", "duration_s": 1.0, "outputs": {},
         "error": None},
        {"client_id": "zz_broken", "params": "/p/zz.yaml", "status": "failed", "duration_s": 0.1, "outputs": {},
         "error": "data/x.csv: row 12: negative spend"}]}))
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "review", "--period", "2026-10", "--out",
                           str(tmp_path)], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("2 client(s): 1 failed, 1 held")
    assert lines[1].startswith("FAILED") and "zz_broken" in lines[1]
    assert lines[2] == "    run: data/x.csv: row 12: negative spend"
    assert any(line.startswith("HELD") and "client_0001" in line for line in lines)
    assert "    hold: data quality (current): Website tracking recorded no visits" in proc.stdout
