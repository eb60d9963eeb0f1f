"""GA4 response metadata in plain words: the data-quality findings of a GA4 pull.

Each finding has the shape of ``reportkit.analysis.quality.check`` findings (level, period, message) plus
``source: "ga4"`` and a ``kind`` tests and the sidecar can rely on.
"""

from __future__ import annotations

from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _

# English words, translated where a message is made (_(...)): the client reads these notes
RESTRICTION_TYPES = {1: N_("cost"), 2: N_("revenue")}   # RestrictedMetricType: COST_DATA, REVENUE_DATA
PERIOD_WORDS = {"current": N_("this period"), "previous": N_("the previous period"), "yoy": N_("last year")}
QUERY_WORDS = {"traffic": N_("visits and conversions"), "ads": N_("ad cost and clicks"), "users": N_("users")}


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
        when, what = _(PERIOD_WORDS.get(job.period, job.period)), _(QUERY_WORDS.get(job.query, job.query))
        for s in meta.get("sampling", [])[:1]:
            share = s["samples_read"] / s["sampling_space"] if s["sampling_space"] else None
            fill = dict(period=when, read=fmt.number(s["samples_read"]), space=fmt.number(s["sampling_space"]))
            add(("sampling", job.period), _finding(
                "sampling", "warning", job.period,
                _("Google Analytics sampled the data of {period}: figures are estimates from "
                  "{read} of {space} sessions ({share}).").format(share=fmt.percent(share, 1), **fill)
                if share is not None else
                _("Google Analytics sampled the data of {period}: figures are estimates from "
                  "{read} of {space} sessions.").format(**fill)))
        if meta.get("subject_to_thresholding"):
            add(("thresholding",), _finding(
                "thresholding", "warning", job.period,
                _("Google Analytics withheld some rows with small numbers to protect user privacy "
                  "(thresholding): small channels or campaigns may be missing or undercounted.")))
        if meta.get("data_loss_from_other_row") and job.query != "users":
            add(("other_row",), _finding(
                "other_row", "warning", job.period,
                _("Google Analytics grouped rare channel or campaign values into a row called "
                  "\"(other)\": some campaigns are not shown by name, although totals are complete.")))
        property_currency = meta.get("currency_code")
        if property_currency and property_currency != currency:
            add(("currency",), _finding(
                "currency", "warning", "all",
                _("The Google Analytics property reports money in {theirs}, but this report "
                  "is in {currency}: revenue and cost figures are in {theirs}, not converted.").format(
                    theirs=property_currency, currency=currency)))
        zone = meta.get("time_zone")
        if zone and src.time_zone and zone != src.time_zone:
            add(("time_zone",), _finding(
                "time_zone", "warning", "all",
                _("The Google Analytics property counts days in the {zone} time zone, not "
                  "{expected} as expected: days start and end at different hours.").format(
                    zone=zone, expected=src.time_zone)))
        for r in meta.get("restricted_metrics", []):
            kinds = fmt.join_words([_(RESTRICTION_TYPES.get(t, N_("some"))) for t in r["types"]]) or _("some")
            add(("restricted", r["metric"]), _finding(
                "schema_restriction", "warning", "all",
                _("Our access to this Google Analytics property hides {kinds} data "
                  "({metric}): those figures are missing from this report.").format(kinds=kinds, metric=r["metric"])))
        if meta.get("row_count") == 0 and job.query == "traffic":
            add(("empty", job.period), _finding(
                "empty", "warning", job.period,
                _("Google Analytics returned no {what} for {period}.").format(what=what, period=when)))
        if meta.get("row_count") == 0 and job.query == "ads" and job.period == "current":
            add(("no_ads",), _finding(
                "no_ads", "info", job.period,
                _("Google Analytics has no ad cost for {period} (no Google Ads link or cost-data "
                  "import on the property): cost comes from another source or is shown as n/a.").format(period=when)))
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
    parts = [words.format(n=fmt.number(latest[key]["remaining"]))
             for key, words in (("tokens_per_day", _("{n} tokens left today")),
                                ("tokens_per_hour", _("{n} tokens left this hour")))
             if key in latest]
    return (_("Google Analytics quota after this pull: {quota}.").format(quota=", ".join(parts))
            if parts else None)
