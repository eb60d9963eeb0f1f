"""The goal-led summary: 3-5 plain sentences in the "we" voice, about the client's goals.

Every number is typed through :meth:`Sentence.fig`, which records the text together with
the sidecar path of the value it was formatted from (and how it was formatted), so a test
can prove that no number appears in the summary that is not in the sidecar.
"""

from __future__ import annotations

from reportkit.contracts.sidecar import GoalFigures
from reportkit.story.figures import Sentence
from reportkit.story.sentences import data_gap_sentence, money_sentence, period_word, work_sentence

GOAL_SENTENCES = 3
ORDINALS = ("Our first", "Our second", "Our third")


def _goal_sentence(s: Sentence, i: int, g: GoalFigures) -> str | None:
    unit = g.unit
    P = ["goals", i]
    name = s.fig(g.name, P + ["name"], "text")
    label = g.label.lower()
    if g.scope:
        where = [s.fig(v, P + ["scope", k], "text") for k, v in g.scope.items() if isinstance(v, str)]
        label += f" from {', '.join(where)}" if where else " (scoped)"
    status = g.status
    if g.value is None:
        return None
    value = s.fig(g.value, P + ["value"], f"value:{unit}")
    if getattr(g, "untracked_estimate", None) is not None:
        if unit in ("count", "currency"):
            value += (f" (of which about {s.fig(g.untracked_estimate, P + ['untracked_estimate'], f'abs:{unit}')} "
                      f"is our estimate for the days tracking recorded nothing)")
        else:
            value += (f" with the days tracking recorded nothing estimated "
                      f"({s.fig(g.recorded_value, P + ['recorded_value'], f'value:{unit}')} as recorded)")
    target = s.fig(g.target, P + ["target"], f"value:{unit}") if g.target is not None else "n/a"
    def deadline_text():  # typed (and recorded) only where a sentence uses it
        return s.fig(g.deadline, P + ["deadline"], "date")
    when = (f"in {s.fig(getattr(g, 'value_month', None), P + ['value_month'], 'month')}" if g.measure == "monthly"
            else f"since {s.fig(g.start, P + ['start'], 'date')}")
    intro = f"{ORDINALS[min(i, len(ORDINALS) - 1)]} goal ({name}):"
    if status == "achieved":
        text = f"{intro} we have already reached it; {label} came to {value} {when}, against a target of {target}"
        if g.measure == "monthly" and g.forecast is not None and g.forecast != g.value and not (
                g.forecast >= g.target if g.direction == "up" else g.forecast <= g.target):
            forecast = s.fig(g.forecast, P + ["forecast"], f"value:{unit}")
            text += f", though our forecast for {deadline_text()} is {forecast}, below the target"
        return text + "."
    met = g.target is not None and (g.value >= g.target if g.direction == "up" else g.value <= g.target)
    if g.kind == "reach" and met and status in ("on_track", "at_risk"):
        text = f"{intro} we are {g.status_words}; {label} came to {value} {when}, against a target of {target}"
        if g.forecast is not None and g.measure == "monthly":
            forecast = s.fig(g.forecast, P + ["forecast"], f"value:{unit}")
            text += (f"; our forecast for {deadline_text()} is {forecast}"
                     + (", below the target, so the target is not yet secure" if status == "at_risk" else ""))
        return text + "."
    if status == "missed":
        return f"{intro} we missed it; {label} came to {value} against a target of {target} by {deadline_text()}."
    if status == "not_started":
        return None
    if g.kind != "reach":
        side = "above" if g.kind == "stay_above" else "below"
        if status == "on_track":
            return f"{intro} we are on track; {label} was {value} {when}, {side} the line of {target}."
        if status == "at_risk":
            return (f"{intro} at risk; {label} was {value} {when}, close to the line of "
                    f"{target} or past it earlier in the period.")
        return f"{intro} we are behind; {label} was {value} {when}, not {side} the line of {target}."
    expected = (s.fig(g.expected_now, P + ["expected_now"], f"value:{unit}")
                if g.expected_now is not None else None)
    if status == "on_track":
        return (f"{intro} we are on track; {label} came to {value} {when}"
                + (f", against {expected} expected by now" if expected else "")
                + f" on the way to {target} by {deadline_text()}.")
    forecast = (s.fig(g.forecast, P + ["forecast"], f"value:{unit}") if g.forecast is not None else None)
    words = "at risk" if status == "at_risk" else "behind"
    on_pace = g.expected_now is None or (g.value >= g.expected_now if g.direction == "up"
                                         else g.value <= g.expected_now)
    return (f"{intro} we are {words}; {label} came to {value} {when}"
            + ((f", ahead of the {expected} expected by now, but" if on_pace else
                f", short of the {expected} expected by now;") if expected else ";")
            + (f" we forecast {forecast} against the {target} target by {deadline_text()}." if forecast
               else f" the target is {target} by {deadline_text()}."))


def _why_sentence(s: Sentence, drivers: list, goal_kpis: list[str], period: str) -> str | None:
    for j, d in enumerate(drivers):
        if d["kpi"] not in goal_kpis:
            continue
        P = ["drivers", j]
        label = d["label"].lower()
        change = s.fig(d["change"], P + ["change"], "change")
        if d.get("estimated"):
            change += " (with the untracked days estimated)"
        if d["variation"]["within"]:
            return (f"Overall {label} moved {change} on the previous {period}, which is within normal "
                    f"day-to-day variation, so we do not read it as a real change yet.")
        seasonal = " much as it did last year at this time" if d["seasonal"] else ""
        if d["method"] == "contribution" and d.get("by_channel"):
            top = d["by_channel"][0]
            k = next(i for i, row in enumerate(d["by_channel"]) if row is top)
            amount = s.fig(top["change"], P + ["by_channel", k, "change"], f"abs:{d['unit']}")
            verb = "added" if top["change"] > 0 else "took away"
            channel = s.fig(top["channel"], P + ["by_channel", k, "channel"], "text")
            return (f"Overall {label} moved {change} on the previous {period}{seasonal}; "
                    f"{channel} {verb} {amount}, the largest part of that change.")
        mr = d.get("mix_rate")
        if mr:
            causes = {"channels doing better or worse (rate)": mr["rate"],
                      "traffic shifting between channels (mix)": mr["mix"],
                      "channels outside the ratio's base, such as unpaid channels": mr.get("other", 0.0)}
            cause = max(causes, key=lambda k: abs(causes[k]))
            return f"Overall {label} moved {change} on the previous {period}{seasonal}, mostly from {cause}."
    return None


def _channel_records(measured) -> list[dict]:
    """The channel rows as the sidecar writes them (the paths a sentence records point there)."""
    frame = measured.channels.reset_index()
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def summary(measured, analysis, work) -> tuple[list[str], list[list[dict]] | None]:
    """Sentences and, per sentence, the figures typed into it (text, sidecar path, format).

    ``([], None)`` when no goal has a value yet (all start later): the caller falls back
    to the KPI summary.
    """
    side_goals = [GoalFigures.model_validate(g.figures) for g in analysis.goals]
    cur = measured.cfg.currency
    period = period_word(measured.periods)
    # After the goals, in order of what the client can act on: the work we delivered and
    # what we are waiting for from them, a tracking gap that changes the figures, money
    # (budget off beyond tolerance, channels returning less than they cost), then the
    # largest move. These must be said: the goal sentences make room for them.
    must: list[tuple[str, list]] = []
    for write in (lambda s: work_sentence(s, work.sidecar()),
                  lambda s: data_gap_sentence(s, measured.data_quality, period,
                                              measured.cfg.registry()["conversions"].label.lower()),
                  lambda s: money_sentence(s, analysis.budget, _channel_records(measured))):
        s = Sentence(cur)
        text = write(s)
        if text:
            must.append((text, s.figures))
    room = max(1, min(GOAL_SENTENCES, 5 - len(must)))
    out: list[tuple[str, list]] = []
    for i, g in enumerate(side_goals):
        if len(out) == room:
            break
        s = Sentence(cur)
        text = _goal_sentence(s, i, g)
        if text:
            out.append((text, s.figures))
    out += must
    s = Sentence(cur)
    why = _why_sentence(s, analysis.drivers, [g.kpi for g in side_goals], period)
    if why:
        out.append((why, s.figures))
    if not any(g.value is not None and g.status != "not_started" for g in side_goals):
        return [], None  # no goal has a value yet: the KPI summary says more
    out = out[:5]
    return [t for t, _ in out], [f for _, f in out]
