"""Data checks whose findings the report states in its data notes (soft findings).

Hard failures (unreadable dates, negative measures, duplicate keys) stop the client in
``reportkit.core.facts.normalize``; what is found here still lets the report run but is said plainly.
"""

from __future__ import annotations

import pandas as pd

from reportkit.analysis import outages as _outages
from reportkit.core import facts as _facts
from reportkit.core import formatting as fmt
from reportkit.core.i18n import _, ngettext
from reportkit.core.measures import KEY_COLUMNS
from reportkit.core.periods import ReportPeriods

ESTIMATE_WORDS = {"sessions": "count", "conversions": "count", "transactions": "count",
                  "revenue": "currency"}  # the measures an outage's estimate names, and their units


def _estimated(measure: str, amount: float, text: str) -> str:
    """'10,879 visits': the estimate of one measure, in the form its number takes."""
    n = fmt.plural_count(amount)
    if measure == "sessions":
        return ngettext("{n} visit", "{n} visits", n).format(n=text)
    if measure == "conversions":
        return ngettext("{n} conversion", "{n} conversions", n).format(n=text)
    if measure == "transactions":
        return ngettext("{n} order", "{n} orders", n).format(n=text)
    return _("{n} revenue").format(n=text)


def _day_list(days) -> list[str]:
    return [pd.Timestamp(d).date().isoformat() for d in days]


def _spans(days: list[str]) -> str:
    """'13–15 Oct 2026' style text for runs of consecutive ISO dates (in the current locale)."""
    if not days:
        return ""
    stamps = [pd.Timestamp(d) for d in days]
    runs, start = [], stamps[0]
    for prev, cur in zip(stamps, stamps[1:] + [None]):
        if cur is None or (cur - prev).days != 1:
            runs.append(fmt.day_span(start.date(), prev.date()))
            start = cur
    return ", ".join(runs)


def outage_list(estimates: pd.DataFrame, periods: ReportPeriods) -> list[dict]:
    """``data_quality.outages``: each run of untracked days inside a compared period, with the
    estimate of what was not recorded (per tracked measure) and how it was estimated."""
    out = []
    names = [c for c in estimates.columns if c not in KEY_COLUMNS]
    for name in ("current", "previous", "yoy"):
        rng = getattr(periods, name)
        part = _facts.between(estimates, rng.start, rng.end) if len(estimates) else estimates
        if part.empty:
            continue
        for first, last in _outages.spans(part["date"].unique()):
            run = part[(part["date"] >= first) & (part["date"] <= last)]
            out.append({"period": name, "start": first.date().isoformat(), "end": last.date().isoformat(),
                        "days": (last - first).days + 1, "measures": names,
                        "estimate": {m: round(float(run[m].sum()), 2) for m in names},
                        "method": _outages.METHOD})
    return out



def estimate_words(outage: dict, currency: str) -> str:
    """'about 10,879 visits, 1,233 conversions and €19,637 revenue' for one outage."""
    parts = [_estimated(m, outage["estimate"][m], fmt.value(outage["estimate"][m], unit, currency))
             for m, unit in ESTIMATE_WORDS.items() if outage["estimate"].get(m)]
    return _("about {estimate}").format(estimate=fmt.join_words(parts))


def check(facts: pd.DataFrame, periods: ReportPeriods, data, kpis, missing_measures,
          estimates: pd.DataFrame | None = None, currency: str = "EUR") -> dict:
    findings: list[dict] = []
    out: dict = {"source": data.origin, "rows_total": int(len(facts)),
                 "data_from": None, "data_to": None, "missing_days": {}, "zero_traffic_days": {},
                 "missing_measures": list(missing_measures)}
    estimates = _outages.estimate_rows(facts) if estimates is None else estimates
    out["outages"] = outage_list(estimates, periods)
    outage = set(pd.DatetimeIndex(estimates["date"].unique())) if len(estimates) else set()
    if len(facts):
        out["data_from"] = facts["date"].min().date().isoformat()
        out["data_to"] = facts["date"].max().date().isoformat()
    for name in ("current", "previous", "yoy"):
        rng = getattr(periods, name)
        part = _facts.between(facts, rng.start, rng.end)
        expected = pd.date_range(rng.start, rng.end, freq="D")
        missing = expected.difference(pd.DatetimeIndex(part["date"].unique()))
        out["missing_days"][name] = _day_list(missing)
        # days the tag recorded nothing (one rule: reportkit.analysis.outages)
        zero = sorted(d for d in outage if rng.start <= d.date() <= rng.end)
        out["zero_traffic_days"][name] = _day_list(zero)
        if name == "current":
            out["rows_in_period"] = int(len(part))
    label = {"current": periods.current.label(), "previous": periods.previous.label(),
             "yoy": periods.yoy.label()}
    for name in ("current", "previous", "yoy"):
        days = out["missing_days"][name]
        if days and len(days) == getattr(periods, name).days:
            findings.append({"level": "warning", "period": name,
                             "message": _("There is no data at all for {period}, so comparisons "
                                          "with it are not possible.").format(period=label[name])})
        elif days:
            findings.append({"level": "warning", "period": name,
                             "message": ngettext(
                                 "{n} day of {period} has no data ({days}): totals for that period "
                                 "are incomplete.",
                                 "{n} days of {period} have no data ({days}): totals for that period "
                                 "are incomplete.", len(days)).format(
                                     n=len(days), period=label[name], days=_spans(days))})
        zero = out["zero_traffic_days"][name]
        if zero:
            runs = [o for o in out["outages"] if o["period"] == name]
            est = "; ".join(estimate_words(o, currency) for o in runs if o["estimate"])
            if est:
                message = ngettext(
                    "Website tracking recorded no visits on {n} day of {period} ({days}), while the "
                    "days around it had traffic: most likely a tracking outage. Visits and conversions "
                    "for that day are missing; we estimate {estimate} were not recorded ({method}). "
                    "Changes and goals count that estimate; the recorded figures are shown as they are.",
                    "Website tracking recorded no visits on {n} days of {period} ({days}), while the "
                    "days around them had traffic: most likely a tracking outage. Visits and conversions "
                    "for those days are missing; we estimate {estimate} were not recorded ({method}). "
                    "Changes and goals count that estimate; the recorded figures are shown as they are.",
                    len(zero))
            else:
                message = ngettext(
                    "Website tracking recorded no visits on {n} day of {period} ({days}), while the "
                    "days around it had traffic: most likely a tracking outage. Visits and conversions "
                    "for that day are missing.",
                    "Website tracking recorded no visits on {n} days of {period} ({days}), while the "
                    "days around them had traffic: most likely a tracking outage. Visits and conversions "
                    "for those days are missing.", len(zero))
            findings.append({"level": "warning", "period": name,
                             "message": message.format(n=len(zero), period=label[name], days=_spans(zero),
                                                       estimate=est, method=_(_outages.METHOD))})
    if missing_measures:
        findings.append({"level": "info", "period": "all",
                         "message": _("The data has no {measures}: KPIs that need them are shown "
                                      "as n/a.").format(measures=", ".join(missing_measures))})
    if any(not k.daily for k in kpis) and data.users_for(periods.current) is None:
        findings.append({"level": "info", "period": "current",
                         "message": _("Users are not available for this exact period (users cannot be "
                                      "added up from days or channels), so the users KPI is left out.")})
    findings += getattr(data, "findings", [])   # what the source itself reported (GA4 sampling...)
    out["pulls"] = getattr(data, "pulls", [])   # API pulls behind the data, and when they were made
    out["findings"] = findings
    out["status"] = "warning" if any(f["level"] == "warning" for f in findings) else "ok"
    return out
