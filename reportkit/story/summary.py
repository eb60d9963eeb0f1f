"""Plain-language sentences built only from computed figures, in the "we" voice.

Every number in a sentence is formatted from a value that is also in the sidecar.
"""

from __future__ import annotations

from reportkit.core import formatting as fmt
from reportkit.core.metrics import verdict
from reportkit.work.sections import summary_sentences as _work_sentences


def _figure_text(fig, currency: str) -> str:
    return fmt.value(fig.value, fig.kpi.unit, currency)


def _movement(report, fig) -> str:
    p = report.periods
    parts = []
    if fig.change_previous is not None:
        parts.append(f"{fmt.change_words(fig.change_previous)} on {p.previous.label()}")
    if fig.change_yoy is not None:
        parts.append(f"{fmt.change_words(fig.change_yoy)} on {p.yoy.label()}")
    return " and ".join(parts)


def summary(report) -> list[str]:
    """3-5 sentences: the main figure, what went well, what did not, data caveats.

    With goals in params the summary leads with them (:mod:`reportkit.story.goal_summary`).
    """
    if getattr(report, "plan", None) is not None and report.plan.goals:
        from reportkit.story import goal_summary as narrative
        sentences, report.plan.summary_figures = narrative.summary(report)
        if sentences:
            return sentences
    cur = report.cfg.currency
    period = report.periods.current.label()
    headline = [f for f in report.headline if f.value is not None]
    if not headline:
        return [f"We have no data for {period} yet, so this report cannot show results."]
    lead = headline[0]
    moved = _movement(report, lead)
    sentences = [f"In {period} our {lead.kpi.label.lower()} came to {_figure_text(lead, cur)}"
                 + (f", {moved}." if moved else ".")]

    # The lead figure is already told; the next sentences pick from the others.
    ranked = [(f, verdict(f.kpi, f.change_previous)) for f in headline[1:]]
    good = sorted((f for f, v in ranked if v == "good"), key=lambda f: -abs(f.change_previous))
    bad = sorted((f for f, v in ranked if v == "bad"), key=lambda f: -abs(f.change_previous))
    prev = report.periods.previous.label()
    if good:
        f = good[0]
        sentences.append(f"What went well: {f.kpi.label.lower()} improved to {_figure_text(f, cur)} "
                         f"({fmt.change(f.change_previous)} on {prev}).")
    if bad:
        f = bad[0]
        sentences.append(f"What needs attention: {f.kpi.label.lower()} moved the wrong way, to "
                         f"{_figure_text(f, cur)} ({fmt.change(f.change_previous)} on {prev}); "
                         f"we explain why below.")
    if not good and not bad:
        sentences.append(f"Our headline figures held steady against {prev}.")
    gaps = report.data_quality["zero_traffic_days"]
    if gaps.get("current"):
        sentences.append(f"Tracking recorded no visits on {len(gaps['current'])} day(s) this period, "
                         f"so visit-based figures are understated; see the data notes.")
    elif gaps.get("previous"):
        sentences.append(f"Tracking recorded no visits on {len(gaps['previous'])} day(s) of {prev}, "
                         f"which makes this month's rise in visit-based figures look larger than it "
                         f"is; see the data notes.")
    extra = _work_sentences(getattr(report, "work", None), room=max(1, 5 - len(sentences)))
    return sentences[:5 - len(extra)] + extra
