"""Sources: one module per source, one registry keyed by ``source.type`` in params.

A source is a function ``load(cfg, periods) -> SourceData``. Adding a source is one
module with a ``@register("name")`` function plus its params model in ``config.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from ..periods import DateRange

LOADERS: dict[str, Callable] = {}


@dataclass
class SourceData:
    facts: pd.DataFrame                       # canonical fact table (facts.normalize)
    users: pd.DataFrame | None = None         # period-level users: columns start, end, users
    origin: str = ""                          # plain words: where the data came from
    notes: list[str] = field(default_factory=list)  # data notes for the report

    def users_for(self, period: DateRange) -> float | None:
        """Users for exactly this range, or None (users cannot be summed from smaller ranges)."""
        if self.users is None or self.users.empty:
            return None
        match = self.users[(self.users["start"] == pd.Timestamp(period.start))
                           & (self.users["end"] == pd.Timestamp(period.end))]
        return None if match.empty else float(match["users"].iloc[0])


def register(name: str):
    def wrap(fn):
        LOADERS[name] = fn
        return fn
    return wrap


def load(cfg, periods) -> SourceData:
    # Imports register the built-in sources; kept here so importing the package stays cheap.
    from . import demo, files  # noqa: F401
    return LOADERS[cfg.source.type](cfg, periods)
