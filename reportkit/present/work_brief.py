"""The main part's short work sections (``layout: compact``): what we did, one line per goal
with its deliverables and results, and the plan as what, who and by when. The full sections
(:mod:`reportkit.present.work`) are in the appendix. All text from the files is escaped here."""

from __future__ import annotations

from html import escape

from reportkit.core import formatting as fmt
from reportkit.core.i18n import _
from reportkit.present.work import _day, plan_items

PER_GOAL = 1   # deliverables named per goal in the main part


def _delivered(items) -> str:
    shown = [i for i in items if i.deliverable or i.result][:PER_GOAL]
    return "; ".join(
        (_("{what}: {result}") if i.result else "{what}").format(what=escape(i.deliverable or i.task),
                                                               result=escape(i.result or ""))
        for i in shown)


def what_we_did(report) -> str:
    done = report.work.done
    if done is None:
        return ""
    rows = []
    for g in done.goals:
        work = _delivered(g.items)
        hours = escape(fmt.hours(g.hours))
        rows.append(f'<li data-goal="{escape(g.goal_id)}"><strong>{escape(g.name)}</strong> ({hours})'
                    + (f": {work}" if work else "") + "</li>")
    other = _delivered(done.a_tasks)
    if other:
        rows.append("<li>" + escape(_("{work}: {items}")).format(
            work="<strong>" + escape(_("Other important work")) + "</strong>", items=other) + "</li>")
    share = ("" if done.goal_share is None else
             '<p class="rk-share" data-field="goal_share">' + escape(_(
                 "{share} of our {hours} went to work on your goals; every task is in the appendix.").format(
                     share=fmt.share(done.goal_share), hours=fmt.hours(done.total_hours))) + "</p>")
    return ('<h2 id="what-we-did">' + escape(_("What we did")) + '</h2><ul class="rk-work">' + "".join(rows)
            + "</ul>" + share)


def next_period(report) -> str:
    plan = plan_items(report)
    if not plan:
        return ""
    owner = {"us": escape(_("us")), "client": escape(report.cfg.client_name)}
    what, who, by = escape(_("What")), escape(_("Who")), escape(_("By"))
    rows = "".join(f'<tr><th scope="row">{escape(p.task)}</th><td class="text" data-label="{who}">{owner[p.owner]}</td>'
                   f'<td class="text" data-label="{by}">{_day(p.due)}</td></tr>' for p in plan)
    return ('<h2 id="next-period">' + escape(_("Next period")) + '</h2><div class="rk-table-wrap">'
            '<table class="rk-table rk-text rk-plan rk-stack">'
            f'<thead><tr><th>{what}</th><th>{who}</th><th>{by}</th></tr></thead><tbody>{rows}</tbody></table></div>')
