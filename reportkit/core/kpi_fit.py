"""Which KPIs a client's data can compute: the KPI set fits the data.

A default KPI (from the business model) whose measures the data does not have is left out,
and said so in the data notes; KPIs for measures the data has but no kept KPI uses (ad
spend in an ad-platform export, organic clicks in a Search Console export) are shown
instead. A KPI the params ask for by name whose measures are missing is an error
(``reportkit.sources.checks.check_kpi_measures``), never a silent "n/a".
"""

from __future__ import annotations

from dataclasses import dataclass

from reportkit.core.formatting import join_words
from reportkit.core.i18n import ngettext
from reportkit.core.measures import ADDITIVE_MEASURES, KEY_COLUMNS, PERIOD_MEASURES
from reportkit.core.metrics import KPI
from reportkit.core.lazy import lazy

pd = lazy("pandas")

# Shown when the business model's defaults leave a measure of the data unused, in this order.
FOR_THE_DATA = ("organic_clicks", "organic_impressions", "organic_ctr", "avg_position",
                "cost", "impressions", "clicks", "ctr", "cpc", "sessions", "pageviews")


def available_measures(facts: pd.DataFrame, users: pd.DataFrame | None = None) -> set[str]:
    """The measures the data has: a measure column (or another numeric column) the source
    carries, and ``users`` when the source supplies period users."""
    # a column the source carries (even when blank for this range: that is a gap, said in
    # the data notes, not a missing measure), and extra numeric columns a custom KPI may use
    have = {c for c in facts.columns if c not in KEY_COLUMNS and (c in ADDITIVE_MEASURES or
            pd.api.types.is_numeric_dtype(facts[c]))}
    if users is not None and not users.empty and "users" in PERIOD_MEASURES:
        have.add("users")
    return have


def missing(kpi: KPI, have: set[str]) -> list[str]:
    """The measures of ``kpi`` the data does not have, sorted."""
    return sorted(kpi.measures - have)


@dataclass(frozen=True)
class KpiFit:
    kpis: list[KPI]           # the KPIs the report shows, in order
    left_out: list[KPI]       # defaults the data cannot compute
    added: list[KPI]          # shown instead, for measures no kept KPI uses
    absent: list[str]         # the measures the left-out KPIs need and the data lacks

    def note(self) -> str | None:
        """The data note saying what was left out and why, or None when nothing was."""
        if not self.left_out:
            return None
        text = ngettext("The data has no {measures}, so {kpis} is left out of the KPIs",
                        "The data has no {measures}, so {kpis} are left out of the KPIs",
                        len(self.left_out)).format(measures=join_words(self.absent, "or"),
                                                   kpis=join_words([k.label for k in self.left_out]))
        if self.added:
            text += ngettext("; {kpis} is shown instead", "; {kpis} are shown instead",
                             len(self.added)).format(kpis=join_words([k.label for k in self.added]))
        return text + "."


def fit(keys: list[str], registry: dict[str, KPI], have: set[str], explicit: set[str]) -> KpiFit:
    """The KPIs of ``keys`` the data can compute (see the module docstring).

    ``explicit``: keys the params name (``kpis:``, ``custom_kpis``); they are kept as they
    are (their missing measures are a validation error, checked where the data is loaded).
    """
    kept = [registry[k] for k in keys if k in explicit or not missing(registry[k], have)]
    left_out = [registry[k] for k in keys if registry[k] not in kept]
    added: list[KPI] = []
    if left_out:
        used = set().union(*(k.measures for k in kept)) if kept else set()
        for key in FOR_THE_DATA:
            kpi = registry[key]
            if kpi in kept or missing(kpi, have) or not (kpi.measures - used):
                continue
            added.append(kpi)
    absent = sorted(set().union(*(k.measures for k in left_out)) - have) if left_out else []
    return KpiFit(kept + added, left_out, added, absent)


def for_client(cfg, facts: pd.DataFrame, users: pd.DataFrame | None) -> KpiFit:
    """The fit of a client's KPI keys (``cfg``: a ClientConfig) to its data."""
    return fit(cfg.kpi_keys(), cfg.registry(), available_measures(facts, users), cfg.explicit_kpi_keys())
