"""The main part's short work sections (``layout: compact``): what we did, one line per goal
with its deliverables and results, and the plan as what, who and by when. The full sections
(:mod:`reportkit.present.work`) are in the appendix. All text from the files is escaped here."""

from __future__ import annotations

from html import escape

from reportkit.core import formatting as fmt
from reportkit.present.work import _day, plan_items

PER_GOAL = 1   # deliverables named per goal in the main part


def _delivered(items) -> str:
    shown = [i for i in items if i.deliverable or i.result][:PER_GOAL]
    return "; ".join(
        ("{what}: {result}" if i.result else "{what}").format(what=escape(i.deliverable or i.task),
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
        rows.append(f"<li><strong>Other important work</strong>: {other}</li>")
    share = ("" if done.goal_share is None else
             '<p class="rk-share" data-field="goal_share">{share} of our {hours} went to work on your goals; '
             'every task is in the appendix.</p>'.format(share=fmt.share(done.goal_share),
                                                        hours=escape(fmt.hours(done.total_hours))))
    return '<h2 id="what-we-did">What we did</h2><ul class="rk-work">' + "".join(rows) + "</ul>" + share


def next_period(report) -> str:
    plan = plan_items(report)
    if not plan:
        return ""
    owner = {"us": "us", "client": escape(report.cfg.client_name)}
    rows = "".join(f'<tr><th scope="row">{escape(p.task)}</th><td class="text" data-label="Who">{owner[p.owner]}</td>'
                   f'<td class="text" data-label="By">{_day(p.due)}</td></tr>' for p in plan)
    return ('<h2 id="next-period">Next period</h2><div class="rk-table-wrap"><table class="rk-table rk-text rk-plan rk-stack">'
            f'<thead><tr><th>What</th><th>Who</th><th>By</th></tr></thead><tbody>{rows}</tbody></table></div>')
