"""Each KPI against the periods it is compared with, by channel and by day.

:func:`measure` is the first step of a report: the facts sliced into the three periods
(docs/architecture.md, "Periods"), every KPI computed for each as a ratio of sums, the
tables by channel and by day, and the data-quality findings. What follows (goals, drivers,
budget, benchmarks, the story) reads the :class:`Measured` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reportkit.analysis import quality
from reportkit.core import metrics
from reportkit.core.facts import between
from reportkit.core.measures import PERIOD_MEASURES
from reportkit.core.metrics import KPI
from reportkit.core.periods import ReportPeriods

HEADLINE_COUNT = 4  # KPIs on the first screen


@dataclass
class KpiFigures:
    kpi: KPI
    value: float | None
    previous: float | None
    yoy: float | None

    @property
    def change_previous(self):
        return metrics.relative_change(self.value, self.previous)

    @property
    def change_yoy(self):
        return metrics.relative_change(self.value, self.yoy)

    def as_dict(self) -> dict:
        k = self.kpi
        return {"label": k.label, "value": self.value, "previous": self.previous, "yoy": self.yoy,
                "change_previous": self.change_previous, "change_yoy": self.change_yoy,
                "abs_change_previous": metrics.absolute_change(self.value, self.previous),
                "abs_change_yoy": metrics.absolute_change(self.value, self.yoy),
                "unit": k.unit, "better": k.better, "explain": k.explain,
                "formula": k.numerator + (f" / ({k.denominator})" if k.denominator else "")}


@dataclass(frozen=True)
class Measured:
    """The facts of one client, sliced into the periods, with every KPI computed."""

    cfg: object                   # the ClientConfig
    periods: ReportPeriods
    facts: pd.DataFrame
    slices: dict                  # "current", "previous", "yoy" -> the facts of that range
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
    kpis = cfg.selected_kpis()
    missing = sorted({m for k in kpis for m in k.measures} - set(facts.columns) - set(PERIOD_MEASURES))
    slices = {name: between(facts, r.start, r.end)
              for name, r in (("current", periods.current), ("previous", periods.previous),
                              ("yoy", periods.yoy))}
    values = {name: metrics.compute(frame, kpis, {"users": data.users_for(getattr(periods, name))})
              for name, frame in slices.items()}
    figures = {k.key: KpiFigures(k, values["current"][k.key], values["previous"][k.key],
                                 values["yoy"][k.key]) for k in kpis}
    daily_kpis = [k for k in kpis if k.daily]
    return Measured(
        cfg=cfg, periods=periods, facts=facts, slices=slices, kpis=kpis, figures=figures,
        channels=_channel_table(slices["current"], slices["previous"], daily_kpis),
        daily=_daily_table(slices["current"], slices["previous"], periods, daily_kpis),
        data_quality=quality.check(facts, periods, data, kpis, missing), origin=data.origin)


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
    return ExtraKpis(_daily_table(s["current"], s["previous"], p, kpis),
                     _channel_table(s["current"], s["previous"], kpis), figures)


def _channel_table(cur: pd.DataFrame, prev: pd.DataFrame, kpis: list[KPI]) -> pd.DataFrame:
    now = metrics.compute_by(cur, "channel", kpis)
    before = metrics.compute_by(prev, "channel", kpis).add_suffix("_previous")
    table = now.join(before, how="outer")
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
