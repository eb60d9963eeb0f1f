"""Sentences both summaries use (the goal-led one and the KPI one): the work we delivered
and what we wait for from the client, and the tracking-gap caveat. Each is written once."""

from __future__ import annotations

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
        text = ("We delivered \u201c{item}\u201d for our goal \u201c{goal}\u201d ({result})" if fields["goal"] and fields["result"]
                else "We delivered \u201c{item}\u201d for our goal \u201c{goal}\u201d" if fields["goal"]
                else "We delivered \u201c{item}\u201d ({result})" if fields["result"]
                else "We delivered \u201c{item}\u201d")
        parts.append(text.format(**fields))
    # the client's overdue items are said once, on the first screen (story.first_screen.ask)
    # and in "What we need from you", not here as well
    return "; ".join(parts) + "." if parts else None


# what an estimate is said in, most telling first
GAP_MEASURES = (("revenue", "revenue", "currency"), ("transactions", "orders", "count"),
                ("conversions", "conversions", "count"), ("sessions", "visits", "count"))


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
        when = (s.fig(o["start"], P + ["start"], "date") if o["start"] == o["end"] else
                f"{s.fig(o['start'], P + ['start'], 'date')} to {s.fig(o['end'], P + ['end'], 'date')}")
        shown = [(m, word, unit) for m, word, unit in GAP_MEASURES if o["estimate"].get(m)]
        if "transactions" in dict((m, 1) for m, _, _ in shown):
            shown = [x for x in shown if x[0] != "conversions"]
        shown = shown[:2]
        what = " and ".join(f"{s.fig(o['estimate'][m], P + ['estimate', m], 'value:' + unit)} "
                            f"{conversion_word if m == 'conversions' else word}" for m, word, unit in shown)
        where = f"this {period}" if name == "current" else f"the previous {period}"
        more = "" if len(runs) == 1 else ", among other days"
        if name == "current":
            return (f"Tracking recorded nothing from {when}{more} {where}: we estimate about {what} went "
                    f"unrecorded, so the recorded figures are understated; our comparisons and goals "
                    f"count that estimate, not a fall in performance.")
        return (f"Tracking recorded nothing from {when}{more} in {where}: we estimate about {what} went "
                f"unrecorded then, and compare against that estimate so the gap does not inflate "
                f"this {period}'s changes.")
    gaps = data_quality["zero_traffic_days"]
    if gaps.get("current"):
        n = s.fig(gaps["current"], ["data_quality", "zero_traffic_days", "current"], "len")
        text = ("Tracking recorded no visits on 1 day this {period}, so visit-based figures are "
                "understated; see the data notes." if len(gaps["current"]) == 1 else
                "Tracking recorded no visits on {n} days this {period}, so visit-based figures are "
                "understated; see the data notes.")
        return text.format(n=n, period=period)
    if gaps.get("previous"):
        n = s.fig(gaps["previous"], ["data_quality", "zero_traffic_days", "previous"], "len")
        text = ("Tracking recorded no visits on 1 day of the previous {period}, which makes this "
                "{period}'s rise in visit-based figures look larger than it is." if len(gaps["previous"]) == 1 else
                "Tracking recorded no visits on {n} days of the previous {period}, which makes this "
                "{period}'s rise in visit-based figures look larger than it is.")
        return text.format(n=n, period=period)
    return None


def _one(label: str) -> str:
    """'Leads' -> 'lead', 'Sign-ups' -> 'sign-up': one of a result, for 'per …'."""
    word = label.lower()
    return word[:-1] if word.endswith("s") else word


def period_word(periods) -> str:
    """'month' for a calendar-month report (its key is 'YYYY-MM'), else 'period'."""
    return "month" if len(periods.key) == 7 else "period"


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
        word = "over" if budget["status"] == "over" else "under"
        text = f"we spent {spend} against a budget of {amount} ({off}, {word} budget"
        worst = [(j, p) for j, p in enumerate(budget.get("parts") or [])
                 if p.get("status") == budget["status"] and p.get("projected_vs_budget") is not None]
        if worst:
            j, p = max(worst, key=lambda jp: abs(jp[1]["projected_vs_budget"]))
            text += (f"; {s.fig(p['name'], P + ['parts', j, 'name'], 'text')} "
                     f"{s.fig(p['projected_vs_budget'], P + ['parts', j, 'projected_vs_budget'], 'change')}")
        parts.append(text + ")")
    losing = [(i, c) for i, c in enumerate(channels)
              if c.get("roas") is not None and c.get("cost") and c["roas"] < 1]
    for i, c in losing[:2]:
        name = s.fig(c["channel"], ["channels", i, "channel"], "text")
        roas = s.fig(c["roas"], ["channels", i, "roas"], "value:ratio")
        parts.append(f"{name} returned less than it cost (return on ad spend {roas})")
    named = {c["channel"] for _, c in losing[:2]}
    costly = [(j, c) for j, c in enumerate(budget.get("costly_channels") or []) if c["channel"] not in named]
    for j, c in costly[:1]:   # the rule: analysis.channel_costs (far above the other paid channels)
        P = ["budget", "costly_channels", j]
        parts.append("{channel} cost {value} per {result}, {ratio} times the {others} of the other paid "
                     "channels together".format(
                         channel=s.fig(c["channel"], P + ["channel"], "text"),
                         value=s.fig(c["value"], P + ["value"], "value:currency"),
                         result=_one(c["result_label"]), ratio=s.fig(c["ratio"], P + ["ratio"], "value:ratio"),
                         others=s.fig(c["others"], P + ["others"], "value:currency")))
    if not parts:
        return None
    text = "; ".join(parts)
    return "On the money side, " + text + "."
