"""The goal-led summary: 3-5 plain sentences in the "we" voice, about the client's goals.

Every number is typed through :meth:`Sentence.fig`, which records the text together with
the sidecar path of the value it was formatted from (and how it was formatted), so a test
can prove that no number appears in the summary that is not in the sidecar.
"""

from __future__ import annotations

from reportkit.analysis.goals import STATUS_WORDS
from reportkit.contracts.sidecar import GoalFigures
from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _, in_sentence
from reportkit.story.figures import Sentence
from reportkit.story.sentences import data_gap_sentence, money_sentence, period_name, period_word, work_sentence

GOAL_SENTENCES = 3
# A goal sentence opens with which goal it is: whole phrases, as ordinals agree with "goal"
ORDINALS = (N_("Our first goal ({name}):"), N_("Our second goal ({name}):"), N_("Our third goal ({name}):"))


def _goal_sentence(s: Sentence, i: int, g: GoalFigures) -> str | None:
    unit = g.unit
    P = ["goals", i]
    name = s.fig(g.name, P + ["name"], "text")
    kpi = in_sentence(g.label)
    if g.scope:
        where = [s.fig(v, P + ["scope", k], "text") for k, v in g.scope.items() if isinstance(v, str)]
        kpi = (_("{kpi} from {where}").format(kpi=kpi, where=fmt.join_words(where)) if where
               else _("{kpi} (scoped)").format(kpi=kpi))
    status = g.status
    if g.value is None:
        return None
    value = s.fig(g.value, P + ["value"], f"value:{unit}")
    if getattr(g, "untracked_estimate", None) is not None:
        if unit in ("count", "currency"):
            value = _("{value} (of which about {estimate} is our estimate for the days tracking recorded "
                      "nothing)").format(value=value, estimate=s.fig(g.untracked_estimate, P + ["untracked_estimate"],
                                                                     f"abs:{unit}"))
        else:
            value = _("{value} with the days tracking recorded nothing estimated ({recorded} as recorded)").format(
                value=value, recorded=s.fig(g.recorded_value, P + ["recorded_value"], f"value:{unit}"))
    target = s.fig(g.target, P + ["target"], f"value:{unit}") if g.target is not None else fmt.undefined()

    def deadline_text():  # typed (and recorded) only where a sentence uses it
        return s.fig(g.deadline, P + ["deadline"], "date")
    when = (_("in {month}").format(month=s.fig(getattr(g, "value_month", None), P + ["value_month"], "month"))
            if g.measure == "monthly" else _("since {date}").format(date=s.fig(g.start, P + ["start"], "date")))
    fill = dict(intro=_(ORDINALS[min(i, len(ORDINALS) - 1)]).format(name=name), kpi=kpi, value=value,
                when=when, target=target, status=g.status_words)
    if status == "achieved":
        if g.measure == "monthly" and g.forecast is not None and g.forecast != g.value and not (
                g.forecast >= g.target if g.direction == "up" else g.forecast <= g.target):
            return _("{intro} we have already reached it; {kpi} came to {value} {when}, against a target of "
                     "{target}, though our forecast for {deadline} is {forecast}, below the target.").format(
                deadline=deadline_text(), forecast=s.fig(g.forecast, P + ["forecast"], f"value:{unit}"), **fill)
        return _("{intro} we have already reached it; {kpi} came to {value} {when}, against a target of "
                 "{target}.").format(**fill)
    met = g.target is not None and (g.value >= g.target if g.direction == "up" else g.value <= g.target)
    if g.kind == "reach" and met and status in ("on_track", "at_risk"):
        if g.forecast is not None and g.measure == "monthly":
            more = dict(deadline=deadline_text(), forecast=s.fig(g.forecast, P + ["forecast"], f"value:{unit}"))
            if status == "at_risk":
                return _("{intro} we are {status}; {kpi} came to {value} {when}, against a target of {target}; "
                         "our forecast for {deadline} is {forecast}, below the target, so the target is not yet "
                         "secure.").format(**more, **fill)
            return _("{intro} we are {status}; {kpi} came to {value} {when}, against a target of {target}; "
                     "our forecast for {deadline} is {forecast}.").format(**more, **fill)
        return _("{intro} we are {status}; {kpi} came to {value} {when}, against a target of {target}.").format(**fill)
    if status == "missed":
        return _("{intro} we missed it; {kpi} came to {value} against a target of {target} by {deadline}.").format(
            deadline=deadline_text(), **fill)
    if status == "not_started":
        return None
    if g.kind != "reach":
        above = g.kind == "stay_above"
        if status == "on_track":
            return (_("{intro} we are on track; {kpi} was {value} {when}, above the line of {target}.") if above else
                    _("{intro} we are on track; {kpi} was {value} {when}, below the line of {target}.")).format(**fill)
        if status == "at_risk":
            return _("{intro} at risk; {kpi} was {value} {when}, close to the line of {target} or past it "
                     "earlier in the period.").format(**fill)
        return (_("{intro} we are behind; {kpi} was {value} {when}, not above the line of {target}.") if above else
                _("{intro} we are behind; {kpi} was {value} {when}, not below the line of {target}.")).format(**fill)
    expected = (s.fig(g.expected_now, P + ["expected_now"], f"value:{unit}")
                if g.expected_now is not None else None)
    if status == "on_track":
        if expected:
            return _("{intro} we are on track; {kpi} came to {value} {when}, against {expected} expected by now "
                     "on the way to {target} by {deadline}.").format(expected=expected, deadline=deadline_text(), **fill)
        return _("{intro} we are on track; {kpi} came to {value} {when} on the way to {target} by "
                 "{deadline}.").format(deadline=deadline_text(), **fill)
    forecast = (s.fig(g.forecast, P + ["forecast"], f"value:{unit}") if g.forecast is not None else None)
    on_pace = g.expected_now is None or (g.value >= g.expected_now if g.direction == "up"
                                         else g.value <= g.expected_now)
    fill.update(expected=expected, forecast=forecast, deadline=deadline_text(),
                status=_(STATUS_WORDS[status if status == "at_risk" else "behind"]))
    if expected and on_pace:
        text = (_("{intro} we are {status}; {kpi} came to {value} {when}, ahead of the {expected} expected by "
                  "now, but we forecast {forecast} against the {target} target by {deadline}.") if forecast else
                _("{intro} we are {status}; {kpi} came to {value} {when}, ahead of the {expected} expected by "
                  "now, but the target is {target} by {deadline}."))
    elif expected:
        text = (_("{intro} we are {status}; {kpi} came to {value} {when}, short of the {expected} expected by "
                  "now; we forecast {forecast} against the {target} target by {deadline}.") if forecast else
                _("{intro} we are {status}; {kpi} came to {value} {when}, short of the {expected} expected by "
                  "now; the target is {target} by {deadline}."))
    else:
        text = (_("{intro} we are {status}; {kpi} came to {value} {when}; we forecast {forecast} against the "
                  "{target} target by {deadline}.") if forecast else
                _("{intro} we are {status}; {kpi} came to {value} {when}; the target is {target} by {deadline}."))
    return text.format(**fill)


def _why_sentence(s: Sentence, drivers: list, goal_kpis: list[str], period: str) -> str | None:
    for j, d in enumerate(drivers):
        if d["kpi"] not in goal_kpis:
            continue
        P = ["drivers", j]
        fill = dict(kpi=in_sentence(d["label"]), period=period_name(period),
                    change=s.fig(d["change"], P + ["change"], "change"))
        if d.get("estimated"):
            fill["change"] = _("{change} (with the untracked days estimated)").format(change=fill["change"])
        if d["variation"]["within"]:
            return _("Overall {kpi} moved {change} on the previous {period}, which is within normal day-to-day "
                     "variation, so we do not read it as a real change yet.").format(**fill)
        seasonal = bool(d["seasonal"])
        if d["method"] == "contribution" and d.get("by_channel"):
            top = d["by_channel"][0]
            k = next(i for i, row in enumerate(d["by_channel"]) if row is top)
            fill.update(amount=s.fig(top["change"], P + ["by_channel", k, "change"], f"abs:{d['unit']}"),
                        channel=s.fig(top["channel"], P + ["by_channel", k, "channel"], "text"))
            if top["change"] > 0:
                text = (_("Overall {kpi} moved {change} on the previous {period} much as it did last year at this "
                          "time; {channel} added {amount}, the largest part of that change.") if seasonal else
                        _("Overall {kpi} moved {change} on the previous {period}; {channel} added {amount}, the "
                          "largest part of that change."))
            else:
                text = (_("Overall {kpi} moved {change} on the previous {period} much as it did last year at this "
                          "time; {channel} took away {amount}, the largest part of that change.") if seasonal else
                        _("Overall {kpi} moved {change} on the previous {period}; {channel} took away {amount}, "
                          "the largest part of that change."))
            return text.format(**fill)
        mr = d.get("mix_rate")
        if mr:
            causes = {N_("channels doing better or worse (rate)"): mr["rate"],
                      N_("traffic shifting between channels (mix)"): mr["mix"],
                      N_("channels outside the ratio's base, such as unpaid channels"): mr.get("other", 0.0)}
            cause = max(causes, key=lambda k: abs(causes[k]))
            text = (_("Overall {kpi} moved {change} on the previous {period} much as it did last year at this time, "
                      "mostly from {cause}.") if seasonal else
                    _("Overall {kpi} moved {change} on the previous {period}, mostly from {cause}."))
            return text.format(cause=_(cause), **fill)
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
                                              in_sentence(measured.cfg.registry()["conversions"].label)),
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
