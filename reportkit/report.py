"""A client's report: every figure the notebook shows, computed without a notebook.

``build(cfg)`` reads like the pipeline: load the sources, measure the KPIs against the
comparison periods, assess goals, drivers, budget and benchmarks, read the work behind the
numbers, write the story; the :class:`Report` is made once, from all of them.
``Report.sidecar()`` is the sidecar contract (:mod:`reportkit.contracts.sidecar`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd

from reportkit import sources
from reportkit.analysis.assessment import Assessment, assess
from reportkit.analysis.comparisons import HEADLINE_COUNT, KpiFigures, measure
from reportkit.config import ClientConfig
from reportkit.contracts.sidecar import Sidecar
from reportkit.core.metrics import KPI
from reportkit.core.periods import ReportPeriods
from reportkit.story.summary import summary
from reportkit.work import sections as work_sections


@dataclass(frozen=True)
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
    work: work_sections.WorkSections
    analysis: Assessment          # goals, drivers, budget, benchmarks
    summary: list[str]
    summary_figures: list | None  # per summary sentence: the figures typed into it

    @property
    def headline(self) -> list[KpiFigures]:
        return [self.figures[k.key] for k in self.kpis[:HEADLINE_COUNT]]

    @property
    def chartable(self) -> list[KPI]:
        """KPIs that exist at the day and channel grain (users do not)."""
        return [k for k in self.kpis if k.daily]

    def sidecar(self) -> Sidecar:
        cfg, a = self.cfg, self.analysis
        return Sidecar(
            client_id=cfg.client_id, client_name=cfg.client_name,
            business_model=cfg.business_model, currency=cfg.currency,
            **self.periods.as_dict(), period_key=self.periods.key,
            kpis={key: fig.as_dict() for key, fig in self.figures.items()},
            channels=_records(self.channels), summary=self.summary,
            goals=[g.figures for g in a.goals], benchmarks=a.benchmarks, budget=a.budget,
            drivers=a.drivers, summary_figures=self.summary_figures,
            data_quality=self.data_quality, source=self.origin, **self.work.sidecar(),
            agency=cfg.agency.model_dump(),
            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.reset_index().astype(object).where(frame.reset_index().notna(), None)
    return clean.to_dict(orient="records")


def build(cfg: ClientConfig) -> Report:
    measured = measure(cfg, sources.load(cfg, cfg.periods()))
    work = work_sections.build(cfg, measured.periods)
    analysis = assess(measured)
    sentences, figures = summary(measured, analysis, work)
    return Report(cfg=cfg, periods=measured.periods, facts=measured.facts, kpis=measured.kpis,
                  figures=measured.figures, channels=measured.channels, daily=measured.daily,
                  data_quality=measured.data_quality, origin=measured.origin, work=work,
                  analysis=analysis, summary=sentences, summary_figures=figures)
