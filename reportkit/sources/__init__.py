"""Sources: one module per source, one registry keyed by ``source.type`` in params.

A source is a function ``load(cfg, periods) -> SourceData``. Adding a source is one
module with a ``@register("name")`` function plus its params model in ``config.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from reportkit.core.periods import DateRange

LOADERS: dict[str, Callable] = {}


@dataclass
class SourceData:
    facts: pd.DataFrame                       # canonical fact table (facts.normalize)
    users: pd.DataFrame | None = None         # period-level users: columns start, end, users
    origin: str = ""                          # plain words: where the data came from
    notes: list[str] = field(default_factory=list)  # data notes for the report
    # Source-reported data-quality findings (GA4 sampling, thresholding, quota...), in the
    # shape of quality.check findings: {"level": "info"|"warning", "period": ..., "message": ...}
    findings: list[dict] = field(default_factory=list)
    # One entry per cached/pulled query: {"source", "query", "start", "end", "pulled_at", "cached"}
    pulls: list[dict] = field(default_factory=list)

    def users_for(self, period: DateRange) -> float | None:
        """Users for exactly this range, or None (users cannot be summed from smaller ranges)."""
        if self.users is None or self.users.empty:
            return None
        match = self.users[(self.users["start"] == pd.Timestamp(period.start))
                           & (self.users["end"] == pd.Timestamp(period.end))]
        return None if match.empty else float(match["users"].iloc[0])


def register(name: str, cached: bool = False):
    """Register a loader; ``cached=True`` loaders take ``refresh=`` and use the warehouse."""
    def wrap(fn):
        fn.cached = cached
        LOADERS[name] = fn
        return fn
    return wrap


def load(cfg, periods, refresh: bool = False) -> SourceData:
    """The client's facts: its one ``source``, or its several ``sources`` merged.

    ``refresh=True`` makes API sources (GA4) pull again instead of using the warehouse cache.
    """
    # Imports register the built-in sources; kept here so importing the package stays cheap.
    from reportkit.sources import demo
    from reportkit.sources import exports
    from reportkit.sources import canonical_csv as files
    from reportkit.sources import ga4  # noqa: F401
    from reportkit.sources.checks import check_no_future, latest_allowed
    if getattr(cfg, "sources", None):
        from reportkit.sources.merge import load_many
        data = load_many(cfg, periods, refresh)
    else:
        data = load_one(cfg, cfg.source, periods, refresh)
    check_no_future(data.facts, latest_allowed(cfg), data.origin)
    return data


def load_one(cfg, source, periods, refresh: bool = False) -> SourceData:
    """One source's data; loaders read ``cfg.source``, so they get a copy pointing at ``source``."""
    if source is not cfg.source:
        cfg = cfg.model_copy(update={"source": source})
    loader = LOADERS[source.type]
    if getattr(loader, "cached", False):
        return loader(cfg, periods, refresh=refresh)
    return loader(cfg, periods)
