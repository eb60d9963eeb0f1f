"""HTML for the work sections. Every text from the input files is escaped and isolated here
(:func:`reportkit.present.text.user_text`); a section
without data returns "" so the notebook shows nothing (not even its heading)."""

from __future__ import annotations

import re
from html import escape

from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _, ngettext
from reportkit.present.text import user_text
from reportkit.work.sections import goal_name

# How a contact happened (the communication log's channel column), as the client reads it.
CONTACT_CHANNELS = {"call": N_("call"), "email": N_("email"), "meeting": N_("meeting"), "chat": N_("chat")}


def _contact_channel(channel: str) -> str:
    return _(CONTACT_CHANNELS[channel]) if channel in CONTACT_CHANNELS else channel


def _hours(h: float) -> str:
    return fmt.hours(h)


def _day(d) -> str:
    return escape(fmt.day(d)).replace(" ", "&nbsp;")   # a date never breaks across lines


def _link(title: str, link: str | None) -> str:
    """The deliverable's title, linked only to an http(s) address (the loader checks it too)."""
    if link and re.match(r"^https?://", link, flags=re.IGNORECASE):
        return f'<a href="{escape(link, quote=True)}" rel="noopener noreferrer">{user_text(title)}</a>'
    return user_text(title)


def _item(i) -> str:
    parts = [f'<span class="rk-task">{user_text(i.task)}</span>']
    if i.deliverable or i.link:
        parts.append('<span class="rk-deliverable">' + _("deliverable: {deliverable}").format(
            deliverable=_link(i.deliverable or _("link"), i.link)) + '</span>')
    if i.result:
        parts.append('<span class="rk-result">' + _("result: {result}").format(result=user_text(i.result))
                     + '</span>')
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
            times = ngettext("({n} time, {hours})", "({n} times, {hours})", len(same)).format(
                n=len(same), hours=_hours(hours))
            html.append(f'<li data-hours="{hours:g}"><span class="rk-task">{user_text(i.task)}</span> '
                        f'{times}</li>')
    return "".join(html)


def what_we_did(report) -> str:
    done = report.work.done
    if done is None:
        return ""
    html = ['<h2 id="what-we-did">' + _("What we did") + '</h2>']
    for g in done.goals:
        html.append(f'<h3 class="rk-goal-work" data-goal="{escape(g.goal_id)}">{user_text(g.name)} '
                    f'<small>({_hours(g.hours)})</small></h3><ul class="rk-work">'
                    + _items(g.items) + "</ul>")
    if done.a_tasks:
        html.append("<h3>" + _("Other important work") + '</h3><ul class="rk-work">'
                    + _items(done.a_tasks) + "</ul>")
    if done.b_count:
        minor = ngettext("Plus {n} minor task ({hours}).", "Plus {n} minor tasks ({hours}).",
                         done.b_count).format(n=done.b_count, hours=_hours(done.b_hours))
        html.append(f'<p class="rk-minor" data-field="b_tasks">{minor}</p>')
    rows = "".join(f'<tr><th scope="row">{user_text(g.name)}</th><td class="num">{_hours(g.hours)}</td></tr>'
                   for g in done.goals)
    other = done.total_hours - done.goal_hours
    share = fmt.undefined() if done.goal_share is None else fmt.percent(done.goal_share, 0)
    spent, hours, other_work, total = _("Time spent"), _("hours"), _("Other work"), _("Total")
    html.append('<div class="rk-table-wrap"><table class="rk-table rk-hours"><thead><tr>'
                f'<th>{spent}</th><th>{hours}</th></tr></thead><tbody>{rows}'
                f'<tr><th scope="row">{other_work}</th><td class="num">{_hours(other)}</td></tr>'
                f'<tr><th scope="row">{total}</th><td class="num" data-field="total_hours">'
                f'{_hours(done.total_hours)}</td></tr></tbody></table></div>'
                '<p class="rk-share" data-field="goal_share">'
                + _("{share} of our time went to work on your goals.").format(share=share) + '</p>')
    return "".join(html)


def _text_table(css: str, headers: tuple[str, ...], rows: str) -> str:
    """A left-aligned table that scrolls on a phone; ``rows`` is already-escaped HTML."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-text {css}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')


SAME_TODO = 0.75   # share of words two to-dos due the same day must share to be one


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def same_todo(task: str, due, action) -> bool:
    """Is a plan item the client owns the same to-do as an action item? The same words, or
    due the same day with at least :data:`SAME_TODO` of their words in common ("Review the
    lead scoring rules with the sales team" and "… with your sales team": 8 of 9)."""
    if task.casefold() == action.item.casefold():
        return True
    a, b = _words(task), _words(action.item)
    return due == action.due and bool(a | b) and len(a & b) / len(a | b) >= SAME_TODO


def plan_items(report) -> list:
    """The plan without the client's to-dos that are also action items: those are said once,
    in "What we need from you"."""
    actions = [a.action for a in report.work.actions or []]
    return [p for p in report.work.plan or []
            if not (p.owner == "client" and any(same_todo(p.task, p.due, a) for a in actions))]


def next_period(report) -> str:
    plan = report.work.plan
    if not plan:
        return ""
    owner = {"us": _("us"), "client": user_text(report.cfg.client_name)}
    plan = plan_items(report)
    rows = "".join(
        f'<tr><td>{user_text(p.task)}</td><td>{owner[p.owner]}</td><td>{_day(p.due)}</td>'
        f'<td>{user_text(p.deliverable)}</td>'
        f'<td>{user_text(goal_name(p.goal, report.work.goal_names)) if p.goal else ""}</td></tr>'
        for p in plan)
    return ('<h2 id="next-period">' + _("Next period") + '</h2>'
            + _text_table("rk-plan", (_("What"), _("Who"), _("By"), _("Deliverable"), _("Goal")), rows))


def needs_from_you(report) -> str:
    actions = report.work.actions
    if not actions:
        return ""
    rows = "".join(
        f'<tr class="{"overdue" if a.overdue else "open"}"><td>{user_text(a.action.item)}</td>'
        f'<td>{user_text(a.action.why)}</td><td>{_day(a.action.due)}</td>'
        f'<td class="{"bad" if a.overdue else ""}">{escape(a.when())}</td></tr>'
        for a in actions)
    return ('<h2 id="what-we-need-from-you">' + _("What we need from you") + '</h2>'
            + _text_table("rk-actions", (_("What"), _("Why"), _("By"), _("Status")), rows))


def communication(report) -> str:
    c = report.work.communication
    if c is None:
        return ""
    html = ['<h2 id="communication-log">' + _("Communication log") + '</h2>']
    # c.flags (contact lapsed, follow-up missed) are for the agency: sidecar agency_alerts
    if c.interactions:
        rows = "".join(
            f'<tr><td>{_day(i.date)}{" " + i.time.strftime("%H:%M") if i.time else ""}</td>'
            f'<td>{escape(_contact_channel(i.channel))}</td><td>{user_text(i.participants)}</td>'
            f'<td>{user_text(i.summary)}</td></tr>' for i in c.interactions)
        html.append(_text_table("rk-contacts", (_("When"), _("How"), _("Who"), _("About")), rows))
    else:
        html.append("<p>" + _("No calls, meetings or e-mails were logged in this period.") + "</p>")
    if c.decisions:
        html.append("<h3>" + _("Decisions") + "</h3><ul>" + "".join(f"<li>{_day(d)}: {user_text(t)}</li>"
                                                               for d, t in c.decisions) + "</ul>")
    if c.open_issues:
        html.append("<h3>" + _("Open issues") + "</h3><ul>" + "".join(
            "<li>" + _("{issue} (raised {date})").format(issue=user_text(i.issue), date=_day(i.date)) + "</li>"
            for i in c.open_issues) + "</ul>")
    if c.resolved_issues:
        html.append("<h3>" + _("Resolved issues") + "</h3><ul>" + "".join(
            "<li>" + (_("{issue} (raised {date}, resolved {resolved}: {resolution})") if i.resolution
                      else _("{issue} (raised {date}, resolved {resolved})")).format(
                issue=user_text(i.issue), date=_day(i.date), resolved=_day(i.resolved_on),
                resolution=user_text(i.resolution or "")) + "</li>"
            for i in c.resolved_issues) + "</ul>")
    nxt = (_("Next scheduled contact: {date}.").format(date=_day(c.next_contact)) if c.next_contact
           else _("No next contact is scheduled yet."))
    html.append(f'<p class="rk-next-contact">{nxt}</p>')
    return "".join(html)
