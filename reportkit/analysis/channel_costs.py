"""Cost per result by paid channel: a paid channel whose cost per result is far above the others.

The rule, in one place: a *cost-per-result KPI* is ad spend over a count of results
(``cost / conversions`` or ``cost / transactions``, :data:`RESULT_MEASURES`). Each paid channel
(one with spend, :func:`reportkit.core.metrics.paid_channels`) is compared with the other paid
channels together, as a ratio of sums (their spend / their results). A channel is *far above*
when it has results and its cost per result is more than :data:`FAR_ABOVE` times theirs, and
the other paid channels have results. With fewer than two paid channels there is nothing to
compare. A channel with spend but no results has no cost per result (undefined): it is never
named here (its return on ad spend or the budget says it).
"""

from __future__ import annotations

import pandas as pd

from reportkit.core import metrics

FAR_ABOVE = 2.0                                  # more than twice the other paid channels' cost per result
RESULT_MEASURES = ("conversions", "transactions")


def is_cost_per_result(kpi) -> bool:
    """True for ad spend divided by one count of results (conversions or orders)."""
    return (kpi.numerator.strip() == "cost" and bool(kpi.denominator)
            and kpi.denominator.strip() in RESULT_MEASURES)


def far_above(facts: pd.DataFrame, kpis, registry: dict | None = None) -> list[dict]:
    """Per cost-per-result KPI of ``kpis`` (first occurrence of a key), the paid channels whose
    cost per result is more than :data:`FAR_ABOVE` times that of the other paid channels
    together: ``{kpi, label, result, result_label, result_one, channel, value, others, ratio}``
    (the result measure's label from ``registry``, e.g. "Leads", and one of it, "lead"), the
    largest ratio first."""
    paid = metrics.paid_channels(facts)
    if len(paid) < 2:
        return []
    part = facts[facts["channel"].isin(paid)]
    out, seen = [], set()
    for kpi in kpis:
        if kpi.key in seen or not is_cost_per_result(kpi):
            continue
        seen.add(kpi.key)
        result = kpi.denominator.strip()
        if result not in part.columns:
            continue
        sums = part.groupby("channel", observed=True)[["cost", result]].sum(min_count=1).fillna(0.0)
        total_cost, total_results = float(sums["cost"].sum()), float(sums[result].sum())
        for channel, row in sums.iterrows():
            cost, results = float(row["cost"]), float(row[result])
            other_cost, other_results = total_cost - cost, total_results - results
            if results <= 0 or other_results <= 0 or other_cost <= 0:
                continue
            value, others = cost / results, other_cost / other_results
            if value > FAR_ABOVE * others:
                measure = registry.get(result) if registry else None
                label, one = (measure.label, measure.one_of) if measure else (result, result)
                out.append({"kpi": kpi.key, "label": kpi.label, "result": result, "result_label": label,
                            "result_one": one,
                            "channel": str(channel),
                            "value": value, "others": others, "ratio": value / others})
    return sorted(out, key=lambda x: -x["ratio"])
