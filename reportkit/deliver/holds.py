"""Why a report must not go out unseen: the automatic holds, read from its sidecar.

A report is held (``reportkit review`` lists it; ``--all-clean`` does not approve it; a person
may still approve it by name) when:

- its data has a hard data-quality finding (a warning: days without data, a tracking outage,
  a period with no data) — and, where the sidecar has them, each outage in the period
  (``data_quality.outages``);
- a comparison is marked not comparable (``kpis.<key>.comparable_previous`` / ``_yoy`` false,
  with the sidecar's reason);
- its data is not final yet: an API pull of the period made before the data settled
  (``data_quality.pulls[].final`` false: GA4 data changes for ~48 h after a day);
- the last run of the report failed (the report in the folder is an earlier one);
- a headline KPI moved by at least ``review.max_change`` of params against the previous period.
"""

from __future__ import annotations

from reportkit.core import formatting as fmt

WHICH = {"previous": "the previous period", "yoy": "the same period last year"}
QUALITY = "data quality"   # how a reason from a data-quality finding starts


def _warnings(dq: dict) -> list[str]:
    out = []
    for finding in dq.get("findings") or []:
        if isinstance(finding, dict) and finding.get("level") == "warning":
            out.append(f"{QUALITY} ({finding.get('period', 'all')}): {finding.get('message', '')}")
    for outage in dq.get("outages") or []:
        if isinstance(outage, dict) and outage.get("period") == "current":
            measures = ", ".join(outage.get("measures") or []) or "data"
            out.append(f"outage in the period: {outage.get('start')} to {outage.get('end')} "
                       f"({outage.get('days')} day(s)) without {measures}")
    return out


def _not_comparable(kpis: dict) -> list[str]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for key, kpi in (kpis or {}).items():
        if not isinstance(kpi, dict):
            continue
        for which in ("previous", "yoy"):
            if kpi.get(f"comparable_{which}") is False:
                reason = kpi.get(f"not_comparable_{which}") or "marked not comparable"
                grouped.setdefault((which, str(reason)), []).append(kpi.get("label") or key)
    return [f"not comparable with {WHICH[which]}: {', '.join(labels)} ({reason})"
            for (which, reason), labels in grouped.items()]


def _not_final(dq: dict) -> list[str]:
    late = [p for p in dq.get("pulls") or []
            if isinstance(p, dict) and p.get("period") == "current" and p.get("final") is False]
    if not late:
        return []
    when = max(str(p.get("pulled_at")) for p in late)
    return [f"data not final yet: {late[0].get('source', 'the source')} data for the period was pulled "
            f"{when}, before it settles (GA4 changes for ~48 h); run again, then review"]


def _moves(kpis: dict, max_change: float | None) -> list[str]:
    if max_change is None:
        return []
    out = []
    for key, kpi in (kpis or {}).items():
        change = kpi.get("change_previous") if isinstance(kpi, dict) else None
        if change is not None and abs(change) >= max_change:
            out.append(f"large move: {kpi.get('label') or key} {fmt.change(change)} against the previous "
                       f"period (review.max_change is {fmt.change(max_change).lstrip('+')})")
    return out


def reasons(sidecar: dict, run_status: str = "ok", max_change: float | None = None) -> list[str]:
    """Every reason to hold the report (empty: clean), in the order a reviewer reads them."""
    dq = sidecar.get("data_quality") or {}
    kpis = sidecar.get("kpis") or {}
    found = []
    if run_status != "ok":
        found.append("the last run failed: the report in the folder is from an earlier run")
    found += _warnings(dq) + _not_comparable(kpis) + _not_final(dq) + _moves(kpis, max_change)
    return list(dict.fromkeys(found))   # the same text once
