"""GA4 response metadata in plain words: the data-quality findings of a GA4 pull.

Each finding has the shape of ``reportkit.analysis.quality.check`` findings (level, period, message) plus
``source: "ga4"`` and a ``kind`` tests and the sidecar can rely on.
"""

from __future__ import annotations

RESTRICTION_TYPES = {1: "cost", 2: "revenue"}   # RestrictedMetricType: COST_DATA, REVENUE_DATA
PERIOD_WORDS = {"current": "this period", "previous": "the previous period", "yoy": "last year"}
QUERY_WORDS = {"traffic": "visits and conversions", "ads": "ad cost and clicks", "users": "users"}


def _finding(kind: str, level: str, period: str, message: str) -> dict:
    return {"level": level, "period": period, "message": message, "source": "ga4", "kind": kind}


def findings_for(src, currency: str, job_metas: list[tuple[object, dict]]) -> list[dict]:
    """Findings for (job, meta) pairs, one per distinct problem (not one per request)."""
    out: dict[tuple, dict] = {}

    def add(key, finding):
        out.setdefault(key, finding)

    for job, meta in job_metas:
        if not meta:
            continue
        when, what = PERIOD_WORDS.get(job.period, job.period), QUERY_WORDS.get(job.query, job.query)
        for s in meta.get("sampling", [])[:1]:
            share = s["samples_read"] / s["sampling_space"] if s["sampling_space"] else None
            pct = f" ({share:.1%})" if share is not None else ""
            add(("sampling", job.period), _finding(
                "sampling", "warning", job.period,
                f"Google Analytics sampled the data of {when}: figures are estimates from "
                f"{s['samples_read']:,} of {s['sampling_space']:,} sessions{pct}."))
        if meta.get("subject_to_thresholding"):
            add(("thresholding",), _finding(
                "thresholding", "warning", job.period,
                "Google Analytics withheld some rows with small numbers to protect user privacy "
                "(thresholding): small channels or campaigns may be missing or undercounted."))
        if meta.get("data_loss_from_other_row") and job.query != "users":
            add(("other_row",), _finding(
                "other_row", "warning", job.period,
                "Google Analytics grouped rare channel or campaign values into a row called "
                "\"(other)\": some campaigns are not shown by name, although totals are complete."))
        property_currency = meta.get("currency_code")
        if property_currency and property_currency != currency:
            add(("currency",), _finding(
                "currency", "warning", "all",
                f"The Google Analytics property reports money in {property_currency}, but this report "
                f"is in {currency}: revenue and cost figures are in {property_currency}, not converted."))
        zone = meta.get("time_zone")
        if zone and src.time_zone and zone != src.time_zone:
            add(("time_zone",), _finding(
                "time_zone", "warning", "all",
                f"The Google Analytics property counts days in the {zone} time zone, not "
                f"{src.time_zone} as expected: days start and end at different hours."))
        for r in meta.get("restricted_metrics", []):
            kinds = " and ".join(RESTRICTION_TYPES.get(t, "some") for t in r["types"]) or "some"
            add(("restricted", r["metric"]), _finding(
                "schema_restriction", "warning", "all",
                f"Our access to this Google Analytics property hides {kinds} data "
                f"({r['metric']}): those figures are missing from this report."))
        if meta.get("row_count") == 0 and job.query == "traffic":
            add(("empty", job.period), _finding(
                "empty", "warning", job.period, f"Google Analytics returned no {what} for {when}."))
        if meta.get("row_count") == 0 and job.query == "ads" and job.period == "current":
            add(("no_ads",), _finding(
                "no_ads", "info", job.period,
                f"Google Analytics has no ad cost for {when} (no Google Ads link or cost-data "
                "import on the property): cost comes from another source or is shown as n/a."))
    quota = _quota(job_metas)
    if quota:
        latest = next(m["quota"] for _, m in reversed(job_metas) if m and m.get("quota"))
        add(("quota",), {**_finding("quota", "info", "all", quota), "property_quota": latest})
    return list(out.values())


def _quota(job_metas) -> str | None:
    """The latest property-quota status seen in these pulls, in words."""
    latest = next((m["quota"] for _, m in reversed(job_metas) if m and m.get("quota")), None)
    if not latest:
        return None
    parts = [f"{latest[key]['remaining']:,} tokens left {words}"
             for key, words in (("tokens_per_day", "today"), ("tokens_per_hour", "this hour"))
             if key in latest]
    return ("Google Analytics quota after this pull: " + ", ".join(parts) + ".") if parts else None
