"""HTML for the work sections. Every text from the input files is escaped and isolated here
(:func:`reportkit.present.text.user_text`); a section
without data returns "" so the notebook shows nothing (not even its heading)."""

from __future__ import annotations

import re
from html import escape

from reportkit.present.text import user_text
from reportkit.work.sections import goal_name


def _hours(h: float) -> str:
    return f"{h:,.1f} h"


def _day(d) -> str:
    return f"{d:%-d}&nbsp;{d:%b}&nbsp;{d:%Y}"   # a date never breaks across lines


def _link(title: str, link: str | None) -> str:
    """The deliverable's title, linked only to an http(s) address (the loader checks it too)."""
    if link and re.match(r"^https?://", link, flags=re.IGNORECASE):
        return f'<a href="{escape(link, quote=True)}" rel="noopener noreferrer">{user_text(title)}</a>'
    return user_text(title)


def _item(i) -> str:
    parts = [f'<span class="rk-task">{user_text(i.task)}</span>']
    if i.deliverable or i.link:
        parts.append(f'<span class="rk-deliverable">deliverable: {_link(i.deliverable or "link", i.link)}</span>')
    if i.result:
        parts.append(f'<span class="rk-result">result: {user_text(i.result)}</span>')
    return f'<li data-hours="{i.hours:g}">' + " · ".join(parts) + "</li>"


def _items(items) -> str:
    """List items; routine entries repeated without deliverable or result are shown once,
    with how often and the hours (e.g. four weekly reviews)."""
    routine: dict[str, list] = {}
    for i in items:
        if not (i.deliverable or i.link or i.result):
            routine.setdefault(i.task, []).append(i)
    html, shown = [], set()
    for i in items:
        same = routine.get(i.task, [])
        if len(same) < 2 or i not in same:
            html.append(_item(i))
        elif i.task not in shown:
            shown.add(i.task)
            hours = sum(s.hours for s in same)
            html.append(f'<li data-hours="{hours:g}"><span class="rk-task">{user_text(i.task)}</span> '
                        f'({len(same)} times, {_hours(hours)})</li>')
    return "".join(html)


def what_we_did(report) -> str:
    done = report.work.done
    if done is None:
        return ""
    html = ['<h2 id="what-we-did">What we did</h2>']
    for g in done.goals:
        html.append(f'<h3 class="rk-goal-work" data-goal="{escape(g.goal_id)}">{user_text(g.name)} '
                    f'<small>({_hours(g.hours)})</small></h3><ul class="rk-work">'
                    + _items(g.items) + "</ul>")
    if done.a_tasks:
        html.append("<h3>Other important work</h3><ul class=\"rk-work\">"
                    + _items(done.a_tasks) + "</ul>")
    if done.b_count:
        html.append(f'<p class="rk-minor" data-field="b_tasks">Plus {done.b_count} minor '
                    f'task{"s" if done.b_count != 1 else ""} ({_hours(done.b_hours)}).</p>')
    rows = "".join(f'<tr><th scope="row">{user_text(g.name)}</th><td class="num">{_hours(g.hours)}</td></tr>'
                   for g in done.goals)
    other = done.total_hours - done.goal_hours
    share = "n/a" if done.goal_share is None else f"{done.goal_share * 100:.0f}%"
    html.append('<div class="rk-table-wrap"><table class="rk-table rk-hours"><thead><tr><th>Time spent</th>'
                f'<th>hours</th></tr></thead><tbody>{rows}'
                f'<tr><th scope="row">Other work</th><td class="num">{_hours(other)}</td></tr>'
                f'<tr><th scope="row">Total</th><td class="num" data-field="total_hours">'
                f'{_hours(done.total_hours)}</td></tr></tbody></table></div>'
                f'<p class="rk-share" data-field="goal_share">{share} of our time went to work on your goals.</p>')
    return "".join(html)


def _text_table(css: str, headers: tuple[str, ...], rows: str) -> str:
    """A left-aligned table that scrolls on a phone; ``rows`` is already-escaped HTML."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-text {css}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')


def plan_items(report) -> list:
    """The plan without the client's to-dos that are also action items: those are said once,
    in "What we need from you"."""
    asked = {a.action.item.casefold() for a in report.work.actions or []}
    return [p for p in report.work.plan or [] if not (p.owner == "client" and p.task.casefold() in asked)]


def next_period(report) -> str:
    plan = report.work.plan
    if not plan:
        return ""
    owner = {"us": "us", "client": user_text(report.cfg.client_name)}
    plan = plan_items(report)
    rows = "".join(
        f'<tr><td>{user_text(p.task)}</td><td>{owner[p.owner]}</td><td>{_day(p.due)}</td>'
        f'<td>{user_text(p.deliverable)}</td>'
        f'<td>{user_text(goal_name(p.goal, report.work.goal_names)) if p.goal else ""}</td></tr>'
        for p in plan)
    return ('<h2 id="next-period">Next period</h2>'
            + _text_table("rk-plan", ("What", "Who", "By", "Deliverable", "Goal"), rows))


def needs_from_you(report) -> str:
    actions = report.work.actions
    if not actions:
        return ""
    rows = "".join(
        f'<tr class="{"overdue" if a.overdue else "open"}"><td>{user_text(a.action.item)}</td>'
        f'<td>{user_text(a.action.why)}</td><td>{_day(a.action.due)}</td>'
        f'<td class="{"bad" if a.overdue else ""}">{escape(a.when())}</td></tr>'
        for a in actions)
    return ('<h2 id="what-we-need-from-you">What we need from you</h2>'
            + _text_table("rk-actions", ("What", "Why", "By", "Status"), rows))


def communication(report) -> str:
    c = report.work.communication
    if c is None:
        return ""
    html = ['<h2 id="communication-log">Communication log</h2>']
    # c.flags (contact lapsed, follow-up missed) are for the agency: sidecar agency_alerts
    if c.interactions:
        rows = "".join(
            f'<tr><td>{_day(i.date)}{" " + i.time.strftime("%H:%M") if i.time else ""}</td>'
            f'<td>{escape(i.channel)}</td><td>{user_text(i.participants)}</td>'
            f'<td>{user_text(i.summary)}</td></tr>' for i in c.interactions)
        html.append(_text_table("rk-contacts", ("When", "How", "Who", "About"), rows))
    else:
        html.append("<p>No calls, meetings or e-mails were logged in this period.</p>")
    if c.decisions:
        html.append("<h3>Decisions</h3><ul>" + "".join(f"<li>{_day(d)}: {user_text(t)}</li>"
                                                      for d, t in c.decisions) + "</ul>")
    if c.open_issues:
        html.append("<h3>Open issues</h3><ul>" + "".join(
            f"<li>{user_text(i.issue)} (raised {_day(i.date)})</li>" for i in c.open_issues) + "</ul>")
    if c.resolved_issues:
        html.append("<h3>Resolved issues</h3><ul>" + "".join(
            f"<li>{user_text(i.issue)} (raised {_day(i.date)}, resolved {_day(i.resolved_on)}"
            + (f": {user_text(i.resolution)}" if i.resolution else "") + ")</li>"
            for i in c.resolved_issues) + "</ul>")
    nxt = f"Next scheduled contact: {_day(c.next_contact)}." if c.next_contact else \
        "No next contact is scheduled yet."
    html.append(f'<p class="rk-next-contact">{nxt}</p>')
    return "".join(html)
