"""Build a client's report: every figure the notebook shows, computed without a notebook.

``build(cfg)`` reads like the pipeline: load the source, slice the periods, compute the
KPIs, break them down, check the data, write the story. ``Report.sidecar()`` is the
JSON contract of ARCHITECTURE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import pandas as pd

from reportkit.core import facts as _facts
from reportkit.core import metrics
from reportkit.analysis import assessment as plans
from reportkit.analysis import quality
from reportkit import sources
from reportkit.story import summary as story
from reportkit.work import sections as worklog
from reportkit.config import ClientConfig
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


@dataclass
class Report:
    cfg: ClientConfig
    periods: ReportPeriods
    facts: pd.DataFrame
    kpis: list[KPI]
    figures: dict[str, KpiFigures]
    channels: pd.DataFrame        # KPIs by channel, current and previous period
    daily: pd.DataFrame           # KPIs by day: current and previous period, aligned by day
    data_quality: dict
    origin: str
    summary: list[str] = field(default_factory=list)
    work: worklog.WorkSections = field(default_factory=worklog.WorkSections)
    plan: "plans.Plan | None" = None  # goals, drivers, budget, benchmarks (reportkit.analysis.assessment)

    @property
    def headline(self) -> list[KpiFigures]:
        return [self.figures[k.key] for k in self.kpis[:HEADLINE_COUNT]]

    @property
    def chartable(self) -> list[KPI]:
        """KPIs that exist at the day and channel grain (users do not)."""
        return [k for k in self.kpis if k.daily]

    def sidecar(self) -> dict:
        cfg = self.cfg
        return {
            "client_id": cfg.client_id, "client_name": cfg.client_name,
            "business_model": cfg.business_model, "currency": cfg.currency,
            **self.periods.as_dict(), "period_key": self.periods.key,
            "kpis": {key: fig.as_dict() for key, fig in self.figures.items()},
            "channels": _records(self.channels),
            "summary": self.summary,
            "goals": [], "benchmarks": [], "budget": {},
            **(self.plan.sidecar() if self.plan else {}),
            "data_quality": self.data_quality,
            "source": self.origin,
            **self.work.sidecar(),
            "agency": cfg.agency.model_dump(),
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.reset_index().astype(object).where(frame.reset_index().notna(), None)
    return clean.to_dict(orient="records")


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


def build(cfg: ClientConfig) -> Report:
    periods = cfg.periods()
    data = sources.load(cfg, periods)
    facts = data.facts
    kpis = cfg.selected_kpis()
    missing = sorted({m for k in kpis for m in k.measures}
                     - set(facts.columns) - set(PERIOD_MEASURES))
    slices = {name: _facts.between(facts, r.start, r.end)
              for name, r in (("current", periods.current), ("previous", periods.previous),
                              ("yoy", periods.yoy))}
    values = {name: metrics.compute(frame, kpis, {"users": data.users_for(getattr(periods, name))})
              for name, frame in slices.items()}
    figures = {k.key: KpiFigures(k, values["current"][k.key], values["previous"][k.key],
                                 values["yoy"][k.key]) for k in kpis}
    at_day_grain = [k for k in kpis if k.daily]
    report = Report(
        cfg=cfg, periods=periods, facts=facts, kpis=kpis, figures=figures,
        channels=_channel_table(slices["current"], slices["previous"], at_day_grain),
        daily=_daily_table(slices["current"], slices["previous"], periods, at_day_grain),
        data_quality=quality.check(facts, periods, data, kpis, missing),
        origin=data.origin, work=worklog.build(cfg, periods))
    report.plan = plans.build(report, slices)
    report.summary = story.summary(report)
    return report
