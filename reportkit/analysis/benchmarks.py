"""Benchmarks: published industry figures (data/benchmarks/*.csv), the client's own
history (same period last year, last quarter's average month, trailing-12-month median)
and custom values from params. Each comparison says above/below and whether that is
better or worse for the KPI (polarity).
"""

from __future__ import annotations

import statistics
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reportkit.core.facts import between
from reportkit.core import metrics
from reportkit.core.i18n import _
from reportkit.paths import BENCHMARKS, kit_path
from reportkit.errors import DataError
from reportkit.core.periods import month_end
from reportkit.analysis.goals import add_months, monthly_values, scoped, value_between

COLUMNS = ("industry", "channel", "kpi", "value", "unit", "currency", "statistic", "year",
           "data_window", "region", "source", "source_url", "caveat")
ALL = "All industries"


def load_published(folder: Path | None = None) -> pd.DataFrame:
    """Every row of data/benchmarks/*.csv (the project's own folder, else the packaged
    tables); a file missing a column is a DataError.

    The files are read once per process while none of them changes (keyed by each file's
    path, size and modification time): a batch's parent reads them for all its workers."""
    folder = Path(folder or kit_path(BENCHMARKS))
    stats = [(path, path.stat()) for path in sorted(folder.glob("*.csv"))]
    return _read_published(tuple((str(p), st.st_size, st.st_mtime_ns) for p, st in stats)).copy()


@lru_cache(maxsize=4)
def _read_published(stamp: tuple) -> pd.DataFrame:
    frames = []
    for name, _, _ in stamp:
        path = Path(name)
        frame = pd.read_csv(path, dtype={"year": "Int64"}, keep_default_na=False, na_values=[""])
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise DataError(str(path), f"benchmark file lacks column(s) {', '.join(missing)}",
                            f"use the columns {', '.join(COLUMNS)}")
        frame["file"] = path.name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*COLUMNS, "file"])


def compare(kpi, value, benchmark) -> dict:
    """Difference and verdict (polarity-aware) of ``value`` against ``benchmark``."""
    if value is None or benchmark is None:
        return {"diff": None, "relative": None, "position": None, "verdict": "none"}
    rel = metrics.relative_change(value, benchmark)
    position = "above" if value > benchmark else "below" if value < benchmark else "equal"
    return {"diff": value - benchmark, "relative": rel, "position": position,
            "verdict": metrics.verdict(kpi.better, rel) if rel is not None else "none"}


def own_history(facts: pd.DataFrame, kpi, period_start, yoy_value) -> list[dict]:
    """Same period last year, last quarter's average month, trailing-12-month median."""
    out = [{"kind": "own", "key": "same_period_last_year", "label": _("Same period last year"),
            "value": yoy_value}]
    q_first = add_months(period_start, -3)
    q = value_between(facts, kpi, q_first, month_end(add_months(period_start, -1)))
    if q is not None and kpi.additive:
        q = q / 3
    covered = len(facts) and facts["date"].min() <= pd.Timestamp(q_first)
    out.append({"kind": "own", "key": "last_quarter", "label": _("Last 3 months, average month")
                if kpi.additive else _("Last 3 months"), "value": q if covered else None})
    first = add_months(period_start, -12)
    months = monthly_values(facts, kpi, first, month_end(add_months(period_start, -1)))
    values = [v for v in months.values() if v is not None]
    full = len(facts) and facts["date"].min() <= pd.Timestamp(first) and len(values) == 12
    out.append({"kind": "own", "key": "trailing_12_month_median", "label": _("12-month median"),
                "value": statistics.median(values) if full else None})
    return out


def client_ready(row) -> bool:
    """A published row may go into a client's report only with a year and without a
    low-confidence caveat; the others are for the agency (``agency_alerts``)."""
    caveat = row.get("caveat") if hasattr(row, "get") else None
    year = row.get("year") if hasattr(row, "get") else None
    undated = year is None or (not isinstance(year, (int,)) and pd.isna(year))
    return not undated and not (isinstance(caveat, str) and caveat.lower().startswith("low confidence"))


def withheld(report, table: pd.DataFrame | None = None) -> list[dict]:
    """Rows that would match the report's KPIs but are not client-ready (see :func:`client_ready`)."""
    table = load_published() if table is None else table
    out = []
    for kpi in report.chartable:
        for row in published_for(table, kpi.key, report.cfg.industry, report.cfg.business_model,
                                 ready=False):
            out.append({**row, "label": row["industry"]})
    return out


def published_for(table: pd.DataFrame, kpi_key: str, industry: str | None, business_model: str,
                  ready: bool = True) -> list[dict]:
    """The latest row for the client's industry and the latest 'All industries' row, per channel
    (``ready=False``: the rows left out because they are not client-ready)."""
    rows = table[table["kpi"] == kpi_key]
    keep = rows.apply(client_ready, axis=1) if len(rows) else pd.Series(dtype=bool)
    rows = rows[keep] if ready else rows[~keep] if len(rows) else rows
    if "business_model" in rows.columns:
        rows = rows[rows["business_model"].isna() | (rows["business_model"] == business_model)]
    picked = []
    for ind in [i for i in (industry, ALL) if i]:
        part = rows[rows["industry"] == ind]
        if part.empty:
            continue
        part = part.sort_values("year", ascending=False, na_position="last")
        for _, row in part.drop_duplicates("channel").iterrows():
            picked.append({k: (None if pd.isna(row[k]) else row[k]) for k in COLUMNS})
    return picked


def evaluate(report, table: pd.DataFrame | None = None) -> list[dict]:
    """One entry per KPI of the report (day grain), with its benchmarks compared."""
    cfg = report.cfg
    table = load_published() if table is None else table
    out = []
    for kpi in report.chartable:
        fig = report.figures[kpi.key]
        comparisons = own_history(report.facts, kpi, report.periods.current.start, fig.yoy)
        for c in comparisons:
            c.update(compare(kpi, fig.value, c["value"]))
        for row in published_for(table, kpi.key, cfg.industry, cfg.business_model):
            channel = row["channel"]
            mine = fig.value
            if channel:
                cur = between(report.facts, report.periods.current.start, report.periods.current.end)
                part = scoped(cur, {"channel": channel})
                mine = metrics.compute(part, [kpi])[kpi.key] if len(part) else None
            if mine is None:
                continue  # the client has no such channel: nothing to compare
            item = {"kind": "industry", "key": f"{row['industry']} {row['year'] or ''}".strip(),
                    "label": f"{row['industry']}, {row['statistic']}" + (f" ({channel})" if channel else ""),
                    "client_value": mine, **row, "year": None if row["year"] is None else int(row["year"])}
            if kpi.unit == "currency" and row["currency"] and row["currency"] != cfg.currency:
                item.update(diff=None, relative=None, position=None, verdict="none",
                            note=_("in {currency}, not comparable with {client_currency} figures; "
                                   "shown for orientation only").format(currency=row["currency"],
                                                                        client_currency=cfg.currency))
            else:
                item.update(compare(kpi, mine, row["value"]))
            comparisons.append(item)
        for b in cfg.benchmarks:
            if b.kpi == kpi.key:
                comparisons.append({"kind": "custom", "key": b.label, "label": b.label, "value": b.value,
                                    "source": b.source, "year": b.year, **compare(kpi, fig.value, b.value)})
        out.append({"kpi": kpi.key, "label": kpi.label, "unit": kpi.unit, "better": kpi.better,
                    "value": fig.value, "comparisons": comparisons})
    return out
