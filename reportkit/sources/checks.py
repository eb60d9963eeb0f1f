"""Hard checks on a client's fact table that need the client's context (today, as_of).

``reportkit.core.facts.normalize`` already refuses unreadable dates, non-numeric and negative measures
and duplicate keys. Here: no dates in the future, the measures of the KPIs the params
name, and budget lines that match the data. Findings that still let a report run
(missing days, tracking outages) are ``reportkit.analysis.quality.check``'s.
"""

from __future__ import annotations

from datetime import date, timedelta

from reportkit.core import kpi_fit
from reportkit.core.measures import PERIOD_MEASURES
from reportkit.errors import ConfigError, DataError
from reportkit.core.lazy import lazy

pd = lazy("pandas")

TIME_ZONE_SLACK = timedelta(days=1)   # a property a few hours ahead of this machine


def latest_allowed(cfg) -> date:
    """The last date a fact row may have: today (or a later as_of) plus a day of slack."""
    today = date.today()
    return max(today, cfg.as_of or today) + TIME_ZONE_SLACK


def check_no_future(facts: pd.DataFrame, latest: date, where: str,
                    lines: list[int] | None = None) -> None:
    """Raise DataError naming the first row dated after ``latest``.

    ``lines``: the file line of each row, when the caller knows them; otherwise the row
    is named by its date, channel and campaign.
    """
    if facts.empty or "date" not in facts.columns:
        return
    future = (facts["date"] > pd.Timestamp(latest)).to_numpy()
    if not future.any():
        return
    i = int(future.nonzero()[0][0])
    row = facts.iloc[i]
    label = (f"line {lines[i]}" if lines is not None else
             f"row {row.get('channel', '')} / {row.get('campaign', '')}")
    raise DataError(f"{where}: {label}, column 'date'",
                    f"{row['date']:%Y-%m-%d} is in the future ({int(future.sum())} row(s) after "
                    f"{latest - TIME_ZONE_SLACK:%Y-%m-%d})",
                    "check the export's dates; day-first dates (31-08-2023) need dayfirst: true "
                    "or date_format: '%d-%m-%Y'")


def check_kpi_measures(cfg, data) -> None:
    """A KPI the params name (``kpis:``, ``custom_kpis``, a goal's ``kpi``) needs its measures in the data:
    raise ConfigError naming the KPI, the measure and the source. (A default KPI the data
    cannot compute is left out with a data note instead: ``reportkit.core.kpi_fit``.)"""
    have = kpi_fit.available_measures(data.facts, data.users)
    registry = cfg.registry()
    for key in cfg.kpi_keys():
        if key not in cfg.explicit_kpi_keys():
            continue
        # users come per period from the source; when a pull has none for the period the
        # report says so in its data notes (analysis.quality), as before
        absent = [m for m in kpi_fit.missing(registry[key], have) if m not in PERIOD_MEASURES]
        if absent:
            what = "custom_kpis" if key not in (cfg.kpis or []) else "kpis"
            raise ConfigError(f"params: key '{what}', KPI '{key}'",
                              f"needs {' and '.join(absent)}, which {data.origin or 'the source'} "
                              f"does not have (it has: {', '.join(sorted(have)) or 'no measures'})",
                              f"remove '{key}' from {what}, or add a source that carries "
                              f"{' and '.join(absent)} (sources: [...])")
    for goal in getattr(cfg, "goals", None) or []:
        absent = kpi_fit.missing(registry[goal.kpi], have)
        if absent:
            raise ConfigError(f"params: key 'goals', goal '{goal.id}'",
                              f"its KPI '{goal.kpi}' needs {' and '.join(absent)}, which "
                              f"{data.origin or 'the source'} does not have",
                              "set the goal on a KPI the data has, or add a source that carries "
                              f"{' and '.join(absent)} (sources: [...])")


def check_budget_lines(cfg, facts: pd.DataFrame) -> None:
    """Every budget line for a channel or campaign names one that is in the data; a line
    that matches nothing would silently show "no spend"."""
    budget = getattr(cfg, "budget", None)
    if budget is None:
        return
    for part, column in (("channels", "channel"), ("campaigns", "campaign")):
        names = getattr(budget, part)
        present = set(facts[column].astype("string").dropna()) if column in facts.columns else set()
        for name in names:
            if name not in present:
                listed = ", ".join(sorted(present)[:12]) + (", ..." if len(present) > 12 else "")
                raise ConfigError(f"params: key 'budget.{part}.{name}'",
                                  f"no {column} {name!r} in the data ({column}s in the data: "
                                  f"{listed or 'none'})",
                                  f"write the {column} exactly as the export names it, or remove the line")


def check_period_has_data(facts: pd.DataFrame, current, where: str) -> None:
    """Raise DataError when the report period has no fact row at all (a header-only file, a
    period wholly before the data or after it): such a report would be all "n/a" and replace
    a good one. A period with *some* days missing still runs (the quality findings say so)."""
    if not facts.empty and "date" in facts.columns:
        dates = facts["date"]
        inside = (dates >= pd.Timestamp(current.start)) & (dates <= pd.Timestamp(current.end))
        if inside.any():
            return
        span = f"the data runs from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    else:
        span = "the data has no rows (only a header, or nothing)"
    raise DataError(where, f"no data for the report period {current.start:%Y-%m-%d} to {current.end:%Y-%m-%d}: "
                    f"{span}", "check period (or start/end) in the params file, or export the data "
                    "again so that it covers the period")
