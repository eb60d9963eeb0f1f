"""A client's report: every figure the notebook shows, computed without a notebook.

``build(cfg)`` reads like the pipeline: load the sources, measure the KPIs against the
comparison periods, assess goals, drivers, budget and benchmarks, read the work behind the
numbers, write the story; the :class:`Report` is made once, from all of them.
``Report.sidecar()`` is the sidecar contract (:mod:`reportkit.contracts.sidecar`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timezone

import pandas as pd

from reportkit import sources
from reportkit.sources.checks import check_period_has_data
from reportkit.analysis.assessment import Assessment, assess
from reportkit.analysis.comparisons import Measured, measure
from reportkit.config import ClientConfig
from reportkit.contracts.sidecar import Sidecar
from reportkit.core import i18n
from reportkit.story.alerts import agency_alerts
from reportkit.story.first_screen import first_screen
from reportkit.story.summary import summary
from reportkit.work import sections as work_sections


@dataclass(frozen=True)
class Report(Measured):
    """What :class:`Measured` holds (facts, periods, KPI figures, tables, data quality), and
    what was made of it: the work sections, the assessment and the summary."""

    work: work_sections.WorkSections
    analysis: Assessment          # goals, drivers, budget, benchmarks
    summary: list[str]
    summary_figures: list | None  # per summary sentence: the figures typed into it
    first_screen: dict            # headline, top risk, the one ask (reportkit.story.first_screen)

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
            agency=cfg.agency.model_dump(), agency_alerts=agency_alerts(self),
            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            first_screen=self.first_screen, layout=cfg.layout, locale=cfg.locale)


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.reset_index().astype(object).where(frame.reset_index().notna(), None)
    return clean.to_dict(orient="records")


def build(cfg: ClientConfig) -> Report:
    """The client's report, its words, numbers and dates in ``cfg.locale``."""
    with i18n.using(cfg.locale):
        return _build(cfg)


def _build(cfg: ClientConfig) -> Report:
    data = sources.load(cfg, cfg.periods())
    check_period_has_data(data.facts, cfg.periods().current, f"{cfg.client_id}: {data.origin}")
    measured = measure(cfg, data)
    work = work_sections.build(cfg, measured.periods)
    analysis = assess(measured)
    sentences, figures = summary(measured, analysis, work)
    parts = {f.name: getattr(measured, f.name) for f in fields(Measured)}
    return Report(**parts, work=work, analysis=analysis, summary=sentences, summary_figures=figures,
                  first_screen=first_screen(measured, analysis, work))
