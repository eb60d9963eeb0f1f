"""The report's summary: 3-5 plain sentences in the "we" voice, built only from computed figures.

With goals in params the summary leads with them (:mod:`reportkit.story.goal_summary`);
otherwise it leads with the headline KPIs (here). Every number in a sentence is formatted
from a value that is also in the sidecar.
"""

from __future__ import annotations

from reportkit.core import formatting as fmt
from reportkit.core.i18n import _, in_sentence
from reportkit.core.metrics import verdict
from reportkit.story import goal_summary
from reportkit.story.figures import Sentence
from reportkit.story.goal_summary import _channel_records
from reportkit.story.sentences import data_gap_sentence, money_sentence, period_word, work_sentence


def _figure_text(fig, currency: str) -> str:
    return fmt.value(fig.value, fig.kpi.unit, currency)


def _movement(periods, fig) -> str:
    p = periods
    parts = []
    for change, name, rng in ((fig.change_previous, "previous", p.previous), (fig.change_yoy, "yoy", p.yoy)):
        reason = fig.not_comparable(name)
        if change is not None:
            parts.append(_("{change} on {period}").format(change=fmt.change_words(change), period=rng.label()))
        elif reason:
            parts.append(_("not comparable with {period} ({reason})").format(period=rng.label(), reason=reason))
    return fmt.join_words(parts)


def _conversion_word(measured) -> str:
    return in_sentence(measured.cfg.registry()["conversions"].label)


def with_numbers(sentences: list[str], figures: list | None) -> tuple[list[str], list | None]:
    """Only the sentences that carry a number (a digit): a summary sentence without one says
    nothing the sections below do not say better."""
    keep = [i for i, text in enumerate(sentences) if any(c.isdigit() for c in text)]
    return [fmt.sentence(sentences[i]) for i in keep], (None if figures is None else
                                          [figures[i] for i in keep] if len(figures) == len(sentences) else figures)


def summary(measured, analysis, work) -> tuple[list[str], list[list[dict]] | None]:
    """(sentences, the figures typed into each): the goal-led summary when the client has goals
    with a value, else 3-5 sentences on the headline KPIs (figures ``[]``; ``None`` when the
    goal-led summary had nothing to say yet). At most five, each carrying a number."""
    return with_numbers(*_summary(measured, analysis, work))


def _summary(measured, analysis, work) -> tuple[list[str], list[list[dict]] | None]:
    figures: list | None = []
    if analysis.goals:
        sentences, figures = goal_summary.summary(measured, analysis, work)
        if sentences:
            return sentences, figures
    cur = measured.cfg.currency
    periods = measured.periods
    period = periods.current.label()
    headline = [f for f in measured.headline if f.value is not None]
    if not headline:
        return [_("We have no data for {period} yet, so this report cannot show results.").format(period=period)], figures
    lead = headline[0]
    moved = _movement(periods, lead)
    fill = dict(period=period, kpi=in_sentence(lead.kpi.label), value=_figure_text(lead, cur), moved=moved)
    sentences = [(_("In {period} our {kpi} came to {value}, {moved}.") if moved else
                  _("In {period} our {kpi} came to {value}.")).format(**fill)]

    # The lead figure is already told; the next sentences pick from the others.
    ranked = [(f, verdict(f.kpi.better, f.change_previous)) for f in headline[1:]]
    good = sorted((f for f, v in ranked if v == "good"), key=lambda f: -abs(f.change_previous))
    bad = sorted((f for f, v in ranked if v == "bad"), key=lambda f: -abs(f.change_previous))
    prev = periods.previous.label()
    if good:
        f = good[0]
        sentences.append(_("What went well: {kpi} improved to {value} ({change} on {previous}).").format(
            kpi=in_sentence(f.kpi.label), value=_figure_text(f, cur), change=fmt.change(f.change_previous), previous=prev))
    if bad:
        f = bad[0]
        explained = any(d["kpi"] == f.kpi.key for d in analysis.drivers)
        fill = dict(kpi=in_sentence(f.kpi.label), value=_figure_text(f, cur), change=fmt.change(f.change_previous),
                    previous=prev)
        sentences.append((_("What needs attention: {kpi} moved the wrong way, to {value} ({change} on {previous}); "
                            "we explain why below.") if explained else
                          _("What needs attention: {kpi} moved the wrong way, to {value} ({change} on "
                            "{previous}).")).format(**fill))
    flat = [f for f, v in ranked if v == "flat"] + ([lead] if verdict(lead.kpi.better, lead.change_previous) == "flat" else [])
    unfair = [f for f in headline if f.not_comparable("previous")]
    if not good and not bad and flat:
        sentences.append(_("Our headline figures held steady against {previous}.").format(previous=prev) if not unfair
                         else _("The headline figures we can compare held steady against {previous}; {unfair}.").format(
                             previous=prev, unfair=", ".join(
                                 _("{kpi} is not comparable ({reason})").format(kpi=in_sentence(f.kpi.label),
                                                                                reason=f.not_comparable("previous"))
                                 for f in unfair)))
    if not good and not bad and not flat and len(headline) > 1:
        # nothing to compare with: the lead sentence says why; the figures stand on their own
        sentences.append(_("Our other headline figures this period: {figures}.").format(figures=", ".join(
            _("{kpi} {value}").format(kpi=in_sentence(f.kpi.label), value=_figure_text(f, cur)) for f in headline[1:])))
    gap = data_gap_sentence(Sentence(cur), measured.data_quality, period_word(periods),
                            _conversion_word(measured))
    if gap:
        sentences.append(gap)
    money = money_sentence(Sentence(cur), analysis.budget, _channel_records(measured))
    if money:
        sentences.insert(1, money)   # money comes right after the lead figure
    done = work_sentence(Sentence(cur), work.sidecar())
    extra = [done] if done else []
    return sentences[:5 - len(extra)] + extra, figures
