"""Sentences both summaries use (the goal-led one and the KPI one): the work we delivered
and what we wait for from the client, and the tracking-gap caveat. Each is written once."""

from __future__ import annotations

from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _, ngettext
from reportkit.story.figures import Sentence


def work_sentence(s: Sentence, side: dict) -> str | None:
    """One sentence from the work sections of the sidecar: the most important delivered work
    (goal work in goal order, the item with the most hours; else an A-task). None without one."""
    work, parts = side.get("work") or {}, []
    found = None
    for gi, goal in enumerate(work.get("goals") or []):
        done = [(item["hours"], j) for j, item in enumerate(goal["items"]) if item.get("deliverable") or item.get("result")]
        if done:
            found = (["work", "goals", gi, "items", max(done)[1]], ["work", "goals", gi, "name"])
            break
    if found is None:
        done = [(item["hours"], j) for j, item in enumerate(work.get("a_tasks") or [])
                if item.get("deliverable") or item.get("result")]
        if done:
            found = (["work", "a_tasks", max(done)[1]], None)
    if found:
        path, goal_path = found
        item = side
        for key in path:
            item = item[key]
        field = "deliverable" if item.get("deliverable") else "task"
        fields = {"item": s.fig(item[field], path + [field], "text"), "goal": None, "result": None}
        if goal_path:
            goal = side
            for key in goal_path:
                goal = goal[key]
            fields["goal"] = s.fig(goal, goal_path, "text")
        if item.get("result"):
            fields["result"] = s.fig(item["result"], path + ["result"], "text")
        text = (_("We delivered \u201c{item}\u201d for our goal \u201c{goal}\u201d ({result}).") if fields["goal"] and fields["result"]
                else _("We delivered \u201c{item}\u201d for our goal \u201c{goal}\u201d.") if fields["goal"]
                else _("We delivered \u201c{item}\u201d ({result}).") if fields["result"]
                else _("We delivered \u201c{item}\u201d."))
        parts.append(text.format(**fields))
    # the client's overdue items are said once, on the first screen (story.first_screen.ask)
    # and in "What we need from you", not here as well
    return " ".join(parts) if parts else None


# what an estimate is said in, most telling first
GAP_MEASURES = (("revenue", "currency"), ("transactions", "count"), ("conversions", "count"), ("sessions", "count"))


def _estimated(measure: str, text: str, count, conversion_word: str) -> str:
    """'€19,637 revenue', '236 orders': an estimate of one measure in words."""
    n = fmt.plural_count(count)
    if measure == "revenue":
        return _("{n} revenue").format(n=text)
    if measure == "transactions":
        return ngettext("{n} order", "{n} orders", n).format(n=text)
    if measure == "sessions":
        return ngettext("{n} visit", "{n} visits", n).format(n=text)
    return _("{n} {conversions}").format(n=text, conversions=conversion_word)


def data_gap_sentence(s: Sentence, data_quality: dict, period: str, conversion_word: str = "conversions") -> str | None:
    """The tracking-gap sentence, with the number: what the untracked days of this period (or
    of the previous one) did not record, and that changes and goals count that estimate."""
    outages = data_quality.get("outages") or []
    for name in ("current", "previous"):
        runs = [(i, o) for i, o in enumerate(outages) if o["period"] == name]
        if not runs:
            continue
        i, o = runs[0]
        P = ["data_quality", "outages", i]
        when = (_("on {date}").format(date=s.fig(o["start"], P + ["start"], "date")) if o["start"] == o["end"] else
                _("from {start} to {end}").format(start=s.fig(o["start"], P + ["start"], "date"),
                                                  end=s.fig(o["end"], P + ["end"], "date")))
        shown = [(m, unit) for m, unit in GAP_MEASURES if o["estimate"].get(m)]
        if "transactions" in dict(shown):
            shown = [x for x in shown if x[0] != "conversions"]
        shown = shown[:2]
        what = fmt.join_words([_estimated(m, s.fig(o["estimate"][m], P + ["estimate", m], "value:" + unit),
                                          o["estimate"][m], conversion_word) for m, unit in shown])
        fill = dict(when=when, what=what, period=period_name(period))
        if name == "current":
            text = (_("Tracking recorded nothing {when} this {period}: we estimate about {what} went unrecorded, "
                      "so the recorded figures are understated; our comparisons and goals count that estimate, "
                      "not a fall in performance.") if len(runs) == 1 else
                    _("Tracking recorded nothing {when}, among other days, this {period}: we estimate about {what} "
                      "went unrecorded, so the recorded figures are understated; our comparisons and goals count "
                      "that estimate, not a fall in performance."))
            return text.format(**fill)
        text = (_("Tracking recorded nothing {when} in the previous {period}: we estimate about {what} went "
                  "unrecorded then, and compare against that estimate so the gap does not inflate this {period}'s "
                  "changes.") if len(runs) == 1 else
                _("Tracking recorded nothing {when}, among other days, in the previous {period}: we estimate about "
                  "{what} went unrecorded then, and compare against that estimate so the gap does not inflate this "
                  "{period}'s changes."))
        return text.format(**fill)
    gaps = data_quality["zero_traffic_days"]
    if gaps.get("current"):
        n = s.fig(gaps["current"], ["data_quality", "zero_traffic_days", "current"], "len")
        text = ngettext("Tracking recorded no visits on {n} day this {period}, so visit-based figures are "
                        "understated; see the data notes.",
                        "Tracking recorded no visits on {n} days this {period}, so visit-based figures are "
                        "understated; see the data notes.", len(gaps["current"]))
        return text.format(n=n, period=period_name(period))
    if gaps.get("previous"):
        n = s.fig(gaps["previous"], ["data_quality", "zero_traffic_days", "previous"], "len")
        text = ngettext("Tracking recorded no visits on {n} day of the previous {period}, which makes this "
                        "{period}'s rise in visit-based figures look larger than it is.",
                        "Tracking recorded no visits on {n} days of the previous {period}, which makes this "
                        "{period}'s rise in visit-based figures look larger than it is.", len(gaps["previous"]))
        return text.format(n=n, period=period_name(period))
    return None


def period_word(periods) -> str:
    """'month' for a calendar-month report (its key is 'YYYY-MM'), else 'period' (a key:
    :func:`period_name` says it in the report's language)."""
    return "month" if len(periods.key) == 7 else "period"


PERIOD_NAMES = {"month": N_("month"), "period": N_("period")}


def period_name(word: str) -> str:
    """The report's period in words, in the current language: 'month' / 'Monat' / 'месец'."""
    return _(PERIOD_NAMES.get(word, word))


def money_sentence(s: Sentence, budget: dict, channels: list[dict]) -> str | None:
    """Money the client should hear about: spend over or under the budget beyond its tolerance
    (with the channel furthest off), any paid channel whose return on ad spend is below 1, and
    a paid channel whose cost per result is far above the others' (``budget["costly_channels"]``).
    None when none applies."""
    parts = []
    if budget and budget.get("status") in ("over", "under") and budget.get("projected_vs_budget") is not None:
        P = ["budget"]
        spend = s.fig(budget["spend"], P + ["spend"], "value:currency")
        amount = s.fig(budget["budget"], P + ["budget"], "value:currency")
        off = s.fig(budget["projected_vs_budget"], P + ["projected_vs_budget"], "change")
        over = budget["status"] == "over"
        fill = dict(spend=spend, budget=amount, off=off)
        worst = [(j, p) for j, p in enumerate(budget.get("parts") or [])
                 if p.get("status") == budget["status"] and p.get("projected_vs_budget") is not None]
        if worst:
            j, p = max(worst, key=lambda jp: abs(jp[1]["projected_vs_budget"]))
            fill.update(part=s.fig(p["name"], P + ["parts", j, "name"], "text"),
                        part_off=s.fig(p["projected_vs_budget"], P + ["parts", j, "projected_vs_budget"], "change"))
            text = (_("we spent {spend} against a budget of {budget} ({off}, over budget; {part} {part_off})") if over
                    else _("we spent {spend} against a budget of {budget} ({off}, under budget; {part} {part_off})"))
        else:
            text = (_("we spent {spend} against a budget of {budget} ({off}, over budget)") if over
                    else _("we spent {spend} against a budget of {budget} ({off}, under budget)"))
        parts.append(text.format(**fill))
    losing = [(i, c) for i, c in enumerate(channels)
              if c.get("roas") is not None and c.get("cost") and c["roas"] < 1]
    for i, c in losing[:2]:
        name = s.fig(c["channel"], ["channels", i, "channel"], "text")
        roas = s.fig(c["roas"], ["channels", i, "roas"], "value:ratio")
        parts.append(_("{channel} returned less than it cost (return on ad spend {roas})").format(channel=name, roas=roas))
    named = {c["channel"] for _i, c in losing[:2]}
    costly = [(j, c) for j, c in enumerate(budget.get("costly_channels") or []) if c["channel"] not in named]
    for j, c in costly[:1]:   # the rule: analysis.channel_costs (far above the other paid channels)
        P = ["budget", "costly_channels", j]
        parts.append(_("{channel} cost {value} per {result}, {ratio} times the {others} of the other paid "
                       "channels together").format(
                         channel=s.fig(c["channel"], P + ["channel"], "text"),
                         value=s.fig(c["value"], P + ["value"], "value:currency"),
                         result=c["result_one"], ratio=s.fig(c["ratio"], P + ["ratio"], "value:ratio"),
                         others=s.fig(c["others"], P + ["others"], "value:currency")))
    if not parts:
        return None
    return _("On the money side, {items}.").format(items="; ".join(parts))
