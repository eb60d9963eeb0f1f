"""HTML of the first screen: the headline sentence, the goal status chips, the KPI cards with
spend against budget, the top risk, the one thing we need from the client, and the summary.
The sentences come from :mod:`reportkit.story.first_screen`; all text is escaped here."""

from __future__ import annotations

from html import escape

from reportkit.analysis.budget import BUDGET_WORDS
from reportkit.core import formatting as fmt
from reportkit.core.i18n import _
from reportkit.present.analysis import STATUS_CLASS, _day
from reportkit.present.results import SPEND_CLASS, cards
from reportkit.present.text import sentence_html, user_text
from reportkit.story import first_screen as story_first_screen


def _chip_figures(g: dict, cur: str) -> str:
    """'€210,317 of €635,535 by 31 Dec 2026' (a reach goal) or '6.59, line 5.00' (stay above/below)."""
    unit = g["unit"]
    fields = {"value": fmt.value(g.get("value"), unit, cur), "target": fmt.value(g.get("target"), unit, cur),
              "deadline": _day(g["deadline"])}
    if g["kind"] == "reach":
        return _("{value} of {target} by {deadline}").format(**fields)
    return _("{value}, line {target}").format(**fields)


def goal_chips(report) -> str:
    """One chip per goal, in priority order: its status word, name, value now and target
    (the goals at a glance; each goal in full is in the appendix)."""
    cur = report.cfg.currency
    chips = "".join(
        f'<li class="rk-chip {STATUS_CLASS.get(g.figures["status"], "flat")}" data-goal="{escape(g.figures["id"])}">'
        f'<span class="rk-chip-status" data-field="status">{escape(g.figures["status_words"])}</span> '
        f'<span class="rk-chip-name">{user_text(g.figures["name"])}</span> '
        f'<span class="rk-chip-figures" data-field="value">{escape(_chip_figures(g.figures, cur))}</span></li>'
        for g in report.analysis.goals)
    goals = escape(_("Goals"))
    return f'<ul class="rk-chips" aria-label="{goals}">{chips}</ul>' if chips else ""


def budget_card(report) -> str:
    """Spend against budget: spent, the budget, the share used and its status (on/over/under)."""
    b, cur = report.analysis.budget or {}, report.cfg.currency
    if report.cfg.budget is None or not b or b.get("budget") is None:
        return ""
    colour = SPEND_CLASS.get(b["status"], "flat")
    used = fmt.share(b.get("share_used"))
    note = _("of {budget} budget, {used} used").format(budget=fmt.money(b["budget"], cur), used=used)
    status = _(BUDGET_WORDS[b["status"]]) if b["status"] in BUDGET_WORDS else ""
    if b.get("projected_vs_budget") is not None and b["days_elapsed"] < b["days_total"]:
        status = _("{status}, heading for {projected} ({off})").format(
            status=status, projected=fmt.money(b["projected"], cur), off=fmt.change(b["projected_vs_budget"]))
    elif b.get("projected_vs_budget") is not None:
        status = _("{status} ({off})").format(status=status, off=fmt.change(b["projected_vs_budget"]))
    label = escape(_("Ad spend against budget"))
    return (f'<div class="rk-card rk-budget-card" data-kpi="budget"><div class="rk-card-label">{label}</div>'
            f'<div class="rk-card-value" data-field="spend">{escape(fmt.money(b["spend"], cur))}</div>'
            f'<div class="rk-card-note rk-note" data-field="budget">{escape(note)}</div>'
            f'<div class="rk-card-chg {colour}" data-field="status">{escape(status)}</div></div>')


def callouts(report) -> str:
    fs = report.first_screen
    boxes = []
    if fs.get("top_risk"):
        title = escape(_("Top risk"))
        boxes.append(f'<div class="rk-callout rk-risk"><div class="rk-callout-title">{title}</div>'
                     f'<p data-field="top_risk">{sentence_html(fs["top_risk"], fs["figures"].get("top_risk"))}</p></div>')
    if fs.get("ask"):
        title = escape(_("What we need from you first"))
        boxes.append(f'<div class="rk-callout rk-ask"><div class="rk-callout-title">{title}</div>'
                     f'<p data-field="ask">{sentence_html(fs["ask"], fs["figures"].get("ask"))}</p></div>')
    return f'<div class="rk-callouts">{"".join(boxes)}</div>' if boxes else ""


def first_screen(report) -> str:
    shown = (report.summary if report.cfg.layout == "full" else
             story_first_screen.summary_shown(report.summary, report.summary_figures))
    figures = dict(zip(report.summary, report.summary_figures or [[]] * len(report.summary)))
    sentences = "".join(f"<li>{sentence_html(s, figures.get(s))}</li>" for s in shown)
    fs = report.first_screen
    return (f'<div class="rk-first"><p class="rk-headline" data-field="headline">'
            f'{sentence_html(fs["headline"], fs["figures"].get("headline"))}</p>' + goal_chips(report)
            + f'<div class="rk-cards">{cards(report)}{budget_card(report)}</div>' + callouts(report)
            + (f'<ul class="rk-summary">{sentences}</ul>' if sentences else "") + '</div>')
