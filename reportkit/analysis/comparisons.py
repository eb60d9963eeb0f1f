"""Each KPI against the periods it is compared with, by channel and by day.

:func:`measure` is the first step of a report: the facts sliced into the three periods
(docs/architecture.md, "Periods"), every KPI computed for each as a ratio of sums, the
tables by channel and by day, and the data-quality findings. What follows (goals, drivers,
budget, benchmarks, the story) reads the :class:`Measured` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reportkit.analysis import outages, quality
from reportkit.core import kpi_fit, metrics
from reportkit.core.facts import between
from reportkit.core.i18n import _, ngettext
from reportkit.core.measures import PERIOD_MEASURES, TRACKED_MEASURES
from reportkit.core.metrics import KPI
from reportkit.core.periods import ReportPeriods

HEADLINE_COUNT = 4  # KPIs on the first screen
PERIODS = ("current", "previous", "yoy")
# A comparison is fair when both periods have data on every day for the KPI's measures,
# untracked days (outages) aside, and those are estimated and at most this share of the period
# (docs/architecture.md, "Coverage and fair comparisons").
MAX_ESTIMATED_SHARE = 0.25


def coverage(frame: pd.DataFrame, days: int, kpi: KPI, outage_set: set) -> dict:
    """Days of one period with data for ``kpi``'s measures, days expected, and days whose
    tracked measures are an estimate (outage days, for a KPI that reads tracked measures)."""
    names = sorted(kpi.measures - set(PERIOD_MEASURES))
    present = [n for n in names if n in frame.columns]
    if names and len(present) < len(names):
        seen: set = set()
    else:
        rows = frame[frame[present].notna().any(axis=1)] if present else frame
        seen = set(pd.DatetimeIndex(rows["date"].unique()))
    touched = bool(kpi.measures & (set(TRACKED_MEASURES) | set(PERIOD_MEASURES)))
    estimated = seen & outage_set if touched else set()
    return {"days_with_data": len(seen - estimated), "days_expected": days,
            "days_estimated": len(estimated)}


def _fair(cov: dict, kpi: KPI) -> bool:
    if cov["days_with_data"] + cov["days_estimated"] != cov["days_expected"]:
        return False
    if cov["days_estimated"] and not kpi.daily:  # users cannot be estimated from days
        return False
    return cov["days_estimated"] <= MAX_ESTIMATED_SHARE * cov["days_expected"]


def _unfair_reason(cov: dict, kpi: KPI, this_period: bool) -> str:
    """'no data', '20 of 31 days', '3 of 31 days untracked' (with 'this period' when it is the
    current period that falls short), in the current language."""
    total, covered = cov["days_expected"], cov["days_with_data"] + cov["days_estimated"]
    if covered == 0:
        return _("no data this period") if this_period else _("no data")
    if covered != total:
        return (ngettext("{n} of {total} day this period", "{n} of {total} days this period", total)
                if this_period else ngettext("{n} of {total} day", "{n} of {total} days", total)
                ).format(n=covered, total=total)
    return (ngettext("{n} of {total} day untracked this period", "{n} of {total} days untracked this period",
                     total) if this_period else
            ngettext("{n} of {total} day untracked", "{n} of {total} days untracked", total)
            ).format(n=cov["days_estimated"], total=total)


@dataclass
class KpiFigures:
    """One KPI in the three periods: ``value``/``previous``/``yoy`` as recorded; ``adjusted``
    the same with untracked days estimated (None when no period has any); ``coverage`` per
    period. A change is computed between the adjusted values, and only when the comparison is
    fair (``not_comparable`` holds the reason otherwise, and the change is None)."""

    kpi: KPI
    value: float | None
    previous: float | None
    yoy: float | None
    coverage: dict | None = None
    adjusted: dict | None = None
    paid: dict | None = None      # blended cost per result: the same over paid channels only


    def _adj(self, name: str):
        if self.adjusted is not None:
            return self.adjusted[name]
        return {"current": self.value, "previous": self.previous, "yoy": self.yoy}[name]

    def not_comparable(self, against: str) -> str | None:
        """Why the comparison with ``against`` ('previous' or 'yoy') is not fair; None if it is."""
        if self.coverage is None:
            return None
        cur, other = self.coverage["current"], self.coverage[against]
        if not _fair(other, self.kpi):
            return _unfair_reason(other, self.kpi, False)
        if not _fair(cur, self.kpi):
            return _unfair_reason(cur, self.kpi, True)
        return None

    def _change(self, against: str, how):
        if self.not_comparable(against) is not None:
            return None
        return how(self._adj("current"), self._adj(against))

    @property
    def change_previous(self):
        """Relative change on the previous period as a fraction (0.05 = +5 %), between the
        adjusted values; None when either is undefined, the previous is 0, or the comparison
        is not fair (:meth:`not_comparable`)."""
        return self._change("previous", metrics.relative_change)

    @property
    def change_yoy(self):
        """As :attr:`change_previous`, against the same period a year earlier."""
        return self._change("yoy", metrics.relative_change)

    def counts_estimate(self, against: str) -> bool:
        """Does the change against ``against`` ('previous' or 'yoy') count an estimate for
        untracked days, of this period or that one? Never when it is not comparable (no change
        is stated then)."""
        return bool(self.coverage) and self.not_comparable(against) is None and bool(
            self.coverage["current"]["days_estimated"] or self.coverage[against]["days_estimated"])

    @property
    def estimated(self) -> bool:
        """True when a figure of a compared period includes an estimate for untracked days."""
        return bool(self.coverage) and any(self.coverage[p]["days_estimated"] for p in PERIODS)

    def as_dict(self) -> dict:
        k = self.kpi
        return {"label": k.label, "value": self.value, "previous": self.previous, "yoy": self.yoy,
                "change_previous": self.change_previous, "change_yoy": self.change_yoy,
                "abs_change_previous": self._change("previous", metrics.absolute_change),
                "abs_change_yoy": self._change("yoy", metrics.absolute_change),
                "unit": k.unit, "better": k.better, "explain": k.explain,
                "formula": k.numerator + (f" / ({k.denominator})" if k.denominator else ""),
                "coverage": self.coverage, "adjusted": self.adjusted,
                "comparable_previous": self.not_comparable("previous") is None,
                "comparable_yoy": self.not_comparable("yoy") is None,
                "not_comparable_previous": self.not_comparable("previous"),
                "not_comparable_yoy": self.not_comparable("yoy"),
                **({"paid": self.paid} if self.paid is not None else {})}


@dataclass(frozen=True)
class Measured:
    """The facts of one client, sliced into the periods, with every KPI computed.

    ``facts`` is the tidy fact table of every source: one row per date × source × channel ×
    campaign; ``date`` a pandas datetime (a day in the client's time zone), ``source``,
    ``channel``, ``campaign`` text, and one float column per measure the data has (counts;
    ``revenue`` and ``cost`` in ``cfg.currency``); NaN where a source does not record a measure,
    never 0 for "unknown". Users are not in it (not additive): they come per period.
    ``slices`` are the same rows per range ("current", "previous", "yoy").
    ``figures``: KPI key -> :class:`KpiFigures` (value, previous, yoy in the KPI's unit, rates
    as fractions; None when undefined; ``change_previous``/``change_yoy`` relative, as fractions,
    None when undefined or not comparable). ``daily`` and ``channels``: KPI values by day and by
    channel (columns ``<key>`` and ``<key>_previous``; NaN when undefined)."""

    cfg: object                   # the ClientConfig
    periods: ReportPeriods
    facts: pd.DataFrame
    slices: dict                  # "current", "previous", "yoy" -> the facts of that range
    adjusted_slices: dict         # the same with untracked (outage) days estimated
    kpis: list[KPI]
    figures: dict[str, KpiFigures]
    channels: pd.DataFrame        # KPIs by channel, current and previous period
    daily: pd.DataFrame           # KPIs by day: current and previous period, aligned by day
    data_quality: dict
    origin: str

    @property
    def headline(self) -> list[KpiFigures]:
        return [self.figures[k.key] for k in self.kpis[:HEADLINE_COUNT]]

    @property
    def chartable(self) -> list[KPI]:
        """KPIs that exist at the day and channel grain (users do not)."""
        return [k for k in self.kpis if k.daily]


def measure(cfg, data) -> Measured:
    """Slice ``data`` (the client's SourceData) into the periods and compute every KPI."""
    periods = cfg.periods()
    facts = data.facts
    fitted = kpi_fit.for_client(cfg, facts, data.users)
    kpis = fitted.kpis
    missing = sorted({m for k in kpis for m in k.measures} - set(facts.columns) - set(PERIOD_MEASURES))
    ranges = {name: getattr(periods, name) for name in PERIODS}
    outage = outages.outage_days(facts)
    estimates = outages.estimate_rows(facts, outage)
    filled = outages.adjusted(facts, estimates)
    slices = {name: between(facts, r.start, r.end) for name, r in ranges.items()}
    adjusted = {name: between(filled, r.start, r.end) for name, r in ranges.items()}
    users = {name: {"users": data.users_for(r)} for name, r in ranges.items()}
    values = {name: metrics.compute(frame, kpis, users[name]) for name, frame in slices.items()}
    adj_values = {name: metrics.compute(frame, kpis, users[name]) for name, frame in adjusted.items()}
    outage_set = set(outage)
    figures = {}
    for k in kpis:
        cov = {name: coverage(slices[name], ranges[name].days, k, outage_set) for name in PERIODS}
        adj = ({name: adj_values[name][k.key] for name in PERIODS}
               if any(c["days_estimated"] for c in cov.values()) else None)
        figures[k.key] = KpiFigures(k, values["current"][k.key], values["previous"][k.key],
                                    values["yoy"][k.key], coverage=cov, adjusted=adj)
    for k in kpis:
        figures[k.key].paid = _paid(adjusted["current"], k)
    daily_kpis = [k for k in kpis if k.daily]
    return Measured(
        cfg=cfg, periods=periods, facts=facts, slices=slices, adjusted_slices=adjusted, kpis=kpis,
        figures=figures,
        channels=_channel_table(slices["current"], slices["previous"], daily_kpis,
                                adjusted["current"], adjusted["previous"]),
        daily=_daily_table(slices["current"], slices["previous"], periods, daily_kpis),
        data_quality=_with_note(quality.check(facts, periods, data, kpis, missing, estimates,
                                              cfg.currency), fitted.note()),
        origin=data.origin)


@dataclass(frozen=True)
class ExtraKpis:
    daily: pd.DataFrame
    channels: pd.DataFrame
    figures: dict


def measure_kpis(measured: "Measured", kpis: list[KPI]) -> ExtraKpis:
    """Daily and channel tables and period figures of KPIs the client did not select (an
    analyst's chart), from the same slices and rules as the report's own."""
    s, p = measured.slices, measured.periods
    values = {name: metrics.compute(s[name], kpis) for name in ("current", "previous", "yoy")}
    figures = {k.key: KpiFigures(k, values["current"][k.key], values["previous"][k.key], values["yoy"][k.key])
               for k in kpis}
    a = measured.adjusted_slices
    return ExtraKpis(_daily_table(s["current"], s["previous"], p, kpis),
                     _channel_table(s["current"], s["previous"], kpis, a["current"], a["previous"]), figures)


def _with_note(data_quality: dict, note: str | None) -> dict:
    """The data notes with the KPI-fit note first (what was left out for want of a measure)."""
    if note:
        data_quality["findings"].insert(0, {"level": "info", "period": "all", "message": note})
    return data_quality


def _paid(cur: pd.DataFrame, kpi: KPI) -> dict | None:
    """For a cost-per-result KPI (cost over a result every channel has): the value over the
    channels the data says are paid (those with spend), and per paid channel."""
    if kpi.numerator != "cost" or not kpi.denominator or "cost" in kpi.denominator:
        return None
    paid = metrics.paid_channels(cur)
    if not paid:
        return None
    part = cur[cur["channel"].isin(paid)]
    by = metrics.compute_by(part, "channel", [kpi])[kpi.key]
    return {"channels": paid, "value": metrics.compute(part, [kpi])[kpi.key],
            "by_channel": {str(c): (None if pd.isna(v) else float(v)) for c, v in by.items()}}


def _channel_table(cur: pd.DataFrame, prev: pd.DataFrame, kpis: list[KPI],
                   adj_cur: pd.DataFrame, adj_prev: pd.DataFrame) -> pd.DataFrame:
    """Recorded values by channel; ``<kpi>_change`` is the change with untracked days estimated
    (the same rule as the KPI figures: the recorded change would count the gap as a loss)."""
    now = metrics.compute_by(cur, "channel", kpis)
    before = metrics.compute_by(prev, "channel", kpis).add_suffix("_previous")
    table = now.join(before, how="outer")
    a_now, a_before = metrics.compute_by(adj_cur, "channel", kpis), metrics.compute_by(adj_prev, "channel", kpis)
    for k in kpis:
        change = (a_now[k.key] - a_before[k.key]) / a_before[k.key].abs().where(a_before[k.key] != 0)
        table[f"{k.key}_change"] = change.reindex(table.index) if len(a_before) else None
    if "sessions" in now.columns:  # only when sessions is one of the KPIs
        total = cur["sessions"].sum()
        table["share_of_sessions"] = now["sessions"] / total if total else None
    first = kpis[0].key
    return table.sort_values(first, ascending=False, na_position="last")


def _daily_table(cur: pd.DataFrame, prev: pd.DataFrame, periods: ReportPeriods,
                 kpis: list[KPI]) -> pd.DataFrame:
    """One row per day of the current period, with the same day-number of the previous one."""
    def by_day(frame, start, days):
        table = metrics.compute_by(frame, "date", kpis)
        table = table.reindex(pd.date_range(start, periods=days, freq="D"))
        return table.reset_index(drop=True)
    days = periods.current.days
    now = by_day(cur, periods.current.start, days)
    before = by_day(prev, periods.previous.start, days).add_suffix("_previous")
    out = now.join(before)
    out.insert(0, "date", pd.date_range(periods.current.start, periods.current.end, freq="D"))
    return out
