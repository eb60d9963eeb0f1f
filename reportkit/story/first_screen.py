"""The first screen's three sentences: the headline (how did we do), the top risk and the one
thing we need from the client. Each is one whole template with named placeholders; every number
is typed through :meth:`Sentence.fig` with the sidecar path it comes from.

Rules (one home each):
- headline: with goals that have a value, how many are on track (or reached) of those started,
  then the lead KPI with its change on the previous period (counting the estimate for untracked
  days, as the changes do); without goals, the lead KPI alone.
- top risk, first that applies: the highest-priority goal behind, missed or at risk; spend off
  its budget beyond the tolerance; a paid channel returning less than it cost; a headline KPI
  that moved the wrong way by at least ``material_change``. None when nothing applies.
- ask: the client's most overdue action item, else the one due first. None without items.
- the summary under them (``layout: compact``): the sentences the first screen does not say
  already, :func:`summary_shown` (a goal's sentence is its chip; the work sentence is the
  "What we did" lines just below). ``layout: full`` shows the whole summary.
"""

from __future__ import annotations

from reportkit.core import formatting as fmt
from reportkit.core.i18n import _, in_sentence, ngettext
from reportkit.core.metrics import verdict
from reportkit.story.figures import Sentence

RISKY = ("missed", "behind", "at_risk")


def _kpi_path(key: str, field: str) -> list:
    return ["kpis", key, field]


def goal_counts(goals: list[dict]) -> dict:
    """Of the goals that have started and have a value: how many are on track or reached, and
    how many need attention (at risk, behind or missed)."""
    started = [g for g in goals if g.get("value") is not None and g["status"] != "not_started"]
    good = sum(g["status"] in ("achieved", "on_track") for g in started)
    return {"goals_started": len(started), "goals_on_track": good, "goals_needing_attention": len(started) - good}


def headline(s: Sentence, measured, goals: list[dict]) -> str:
    """'In October 2026 we are on track with 2 of 3 goals; revenue came to €210,317 (counting
    our estimate for 3 untracked days), up 11.1% on September 2026.'"""
    p = measured.periods
    period, previous = p.current.label(), p.previous.label()
    lead = next((f for f in measured.headline if f.value is not None), None)
    started = [g for g in goals if g.get("value") is not None and g["status"] != "not_started"]
    goal_part, goal_text = None, None
    if started:
        counts = goal_counts(goals)
        n_good, n_total = counts["goals_on_track"], counts["goals_started"]
        template = (_("all {total} of our goals are on track") if n_good == n_total else
                    _("none of our {total} goals is on track yet") if not n_good else
                    _("{good} of our {total} goals is on track and {rest} need attention") if n_good == 1 else
                    _("{good} of our {total} goals are on track and {rest} needs attention") if n_total - n_good == 1
                    else _("{good} of our {total} goals are on track and {rest} need attention"))
        # only the counts the sentence says are typed (and recorded)
        goal_part = {k: s.fig(counts[name], ["first_screen", name], "text")
                     for k, name in (("good", "goals_on_track"), ("total", "goals_started"),
                                     ("rest", "goals_needing_attention")) if "{" + k + "}" in template}
        goal_text = template.format(**goal_part)
    if lead is None:
        if goal_part:
            return _("In {period}, {goals}; we have no data for our headline figures yet.").format(period=period, goals=goal_text)
        return _("We have no data for {period} yet, so this report cannot show results.").format(period=period)
    key = lead.kpi.key
    days = lead.coverage["current"]["days_estimated"] if lead.coverage else 0
    if days and lead.adjusted and lead.adjusted.get("current") is not None:
        value = s.fig(lead.adjusted["current"], ["kpis", key, "adjusted", "current"], f"value:{lead.kpi.unit}")
        days_text = s.fig(days, ["kpis", key, "coverage", "current", "days_estimated"], "value:count")
    else:
        value, days_text = s.fig(lead.value, _kpi_path(key, "value"), f"value:{lead.kpi.unit}"), None
    fields = {"period": period, "previous": previous, "kpi": in_sentence(lead.kpi.label), "value": value,
              "days": days_text, "goals": goal_text}
    reason = lead.not_comparable("previous")
    if lead.change_previous is not None:
        fields["change"] = s.fig(lead.change_previous, _kpi_path(key, "change_previous"), "change_words")
    if goal_part:
        if "change" in fields and days_text:
            text = ngettext("In {period}, {goals}; {kpi} came to {value} (counting our estimate for {days} "
                            "untracked day), {change} on {previous}.",
                            "In {period}, {goals}; {kpi} came to {value} (counting our estimate for {days} "
                            "untracked days), {change} on {previous}.", days)
        elif "change" in fields:
            text = _("In {period}, {goals}; {kpi} came to {value}, {change} on {previous}.")
        else:
            text = _("In {period}, {goals}; {kpi} came to {value}.")
    elif "change" in fields and days_text:
        text = ngettext("In {period}, our {kpi} came to {value} (counting our estimate for {days} untracked "
                        "day), {change} on {previous}.",
                        "In {period}, our {kpi} came to {value} (counting our estimate for {days} untracked "
                        "days), {change} on {previous}.", days)
    elif "change" in fields:
        text = _("In {period}, our {kpi} came to {value}, {change} on {previous}.")
    elif reason:
        fields["reason"] = reason
        text = _("In {period}, our {kpi} came to {value}; we cannot compare it with {previous} ({reason}).")
    else:
        text = _("In {period}, our {kpi} came to {value}.")
    return text.format(**fields)


def _goal_risk(s: Sentence, i: int, g: dict) -> str:
    P = ["goals", i]
    unit = g["unit"]
    fields = {"goal": s.fig(g["name"], P + ["name"], "text"), "status": g["status_words"]}
    if g["status"] == "missed":
        fields.update(value=s.fig(g["value"], P + ["value"], f"value:{unit}"),
                      target=s.fig(g["target"], P + ["target"], f"value:{unit}"))
        return _("“{goal}” was missed: it came to {value} against a target of {target}.").format(**fields)
    short = (g.get("expected_now") is not None and g.get("value") is not None and
             (g["value"] < g["expected_now"] if g["direction"] == "up" else g["value"] > g["expected_now"]))
    if g["kind"] == "reach" and short and g.get("target") is not None:
        fields.update(value=s.fig(g["value"], P + ["value"], f"value:{unit}"),
                      expected=s.fig(g["expected_now"], P + ["expected_now"], f"value:{unit}"),
                      target=s.fig(g["target"], P + ["target"], f"value:{unit}"),
                      deadline=s.fig(g["deadline"], P + ["deadline"], "date"))
        return (_("“{goal}” is {status}: {value} now, short of the {expected} expected by now on the way "
                "to {target} by {deadline}.")).format(**fields)
    if g["kind"] == "reach" and g.get("forecast") is not None and g.get("target") is not None:
        fields.update(forecast=s.fig(g["forecast"], P + ["forecast"], f"value:{unit}"),
                      target=s.fig(g["target"], P + ["target"], f"value:{unit}"),
                      deadline=s.fig(g["deadline"], P + ["deadline"], "date"))
        return (_("“{goal}” is {status}: we forecast {forecast} by {deadline}, against a target of "
                "{target}.")).format(**fields)
    fields.update(value=s.fig(g["value"], P + ["value"], f"value:{unit}"),
                  target=s.fig(g["target"], P + ["target"], f"value:{unit}") if g.get("target") is not None else fmt.undefined())
    return _("“{goal}” is {status}: it stands at {value} against a target of {target}.").format(**fields)


def top_risk(s: Sentence, measured, analysis, channels: list[dict]) -> str | None:
    """The one risk the client should know about first (rules in the module docstring)."""
    goals = [g.figures for g in analysis.goals]
    for status in RISKY:
        for i, g in enumerate(goals):
            if g["status"] == status and g.get("value") is not None:
                return _goal_risk(s, i, g)
    b = analysis.budget or {}
    if b.get("status") in ("over", "under") and b.get("projected_vs_budget") is not None:
        fields = {"off": s.fig(abs(b["projected_vs_budget"]), ["budget", "projected_vs_budget"], "abs:percent"),
                  "spend": s.fig(b["spend"], ["budget", "spend"], "value:currency"),
                  "budget": s.fig(b["budget"], ["budget", "budget"], "value:currency")}
        text = (_("We are heading {off} over the ad budget: {spend} spent against {budget}.") if b["status"] == "over"
                else _("We are heading {off} under the ad budget: {spend} spent against {budget}."))
        return text.format(**fields)
    for i, c in enumerate(channels):
        if c.get("roas") is not None and c.get("cost") and c["roas"] < 1:
            return (_("{channel} returned less than it cost: {roas} in revenue for each 1 spent on its ads.")
                    .format(channel=s.fig(c["channel"], ["channels", i, "channel"], "text"),
                            roas=s.fig(c["roas"], ["channels", i, "roas"], "value:ratio")))
    threshold = measured.cfg.material_change
    for f in measured.headline:
        if f.change_previous is not None and abs(f.change_previous) >= threshold and \
                verdict(f.kpi.better, f.change_previous) == "bad":
            return (_("{kpi} moved the wrong way: {change} on {previous}, to {value}.")
                    .format(kpi=f.kpi.label,
                            change=s.fig(f.change_previous, _kpi_path(f.kpi.key, "change_previous"), "change_words"),
                            previous=measured.periods.previous.label(),
                            value=s.fig(f.value, _kpi_path(f.kpi.key, "value"), f"value:{f.kpi.unit}")))
    return None


def ask(s: Sentence, side: dict) -> str | None:
    """The one thing we need from the client: the most overdue action item, else the next due."""
    items = [(i, a) for i, a in enumerate(side.get("action_items") or []) if a.get("status", "open") != "done"]
    if not items:
        return None
    overdue = [(i, a) for i, a in items if a.get("overdue")]
    i, a = (max(overdue, key=lambda ia: ia[1].get("days_overdue") or 0) if overdue
            else min(items, key=lambda ia: ia[1]["due"] or "9999"))
    P = ["action_items", i]
    fields = {"item": s.fig(a["item"], P + ["item"], "text"),
              "due": s.fig(a["due"], P + ["due"], "date") if a.get("due") else None,
              "why": s.fig(a["why"], P + ["why"], "text").rstrip(".") if a.get("why") else None}
    if overdue:
        fields["days"] = s.fig(a["days_overdue"], P + ["days_overdue"], "value:count")
        n = a["days_overdue"]
        text = (ngettext("“{item}”: due {due}, {days} day overdue. {why}.",
                         "“{item}”: due {due}, {days} days overdue. {why}.", n) if fields["why"]
                else ngettext("“{item}”: due {due}, {days} day overdue.", "“{item}”: due {due}, {days} days overdue.", n))
    elif fields["due"]:
        text = _("“{item}”, by {due}. {why}.") if fields["why"] else _("“{item}”, by {due}.")
    else:
        text = _("“{item}”. {why}.") if fields["why"] else "“{item}”."
    return text.format(**fields)


SAID_ELSEWHERE = ("goals", "work")   # sidecar fields the compact first screen's chips and work lines show


def summary_shown(sentences: list[str], figures: list | None) -> list[str]:
    """The summary sentences of the compact first screen: each but those whose every figure
    comes from a goal or the work log (said once, by the goal chips and "What we did"). A
    sentence without figure paths (the KPI-led summary) is always shown."""
    if not figures or len(figures) != len(sentences):
        return list(sentences)
    return [text for text, figs in zip(sentences, figures)
            if not figs or not all(f["path"] and f["path"][0] in SAID_ELSEWHERE for f in figs)]


def first_screen(measured, analysis, work) -> dict:
    """``{"headline", "top_risk", "ask", "figures"}`` for the sidecar's ``first_screen``:
    the three sentences (None where nothing applies) and, per sentence, the figures typed into it."""
    from reportkit.story.goal_summary import _channel_records
    side = work.sidecar()
    out, figures = {}, {}
    for name, write in (("headline", lambda s: headline(s, measured, [g.figures for g in analysis.goals])),
                        ("top_risk", lambda s: top_risk(s, measured, analysis, _channel_records(measured))),
                        ("ask", lambda s: ask(s, side))):
        s = Sentence(measured.cfg.currency)
        out[name] = fmt.sentence(write(s))
        figures[name] = s.figures
    return {**out, **goal_counts([g.figures for g in analysis.goals]), "figures": figures}
