"""The source registry: a source is one pydantic class, its params and its loader together.

A module in ``reportkit/sources/`` defines a subclass of :class:`Source` whose ``type``
field is a ``Literal`` (the value params use, ``source: {type: demo}``) and whose
:meth:`Source.load` returns :class:`SourceData`. Defining the class registers it; the
params union (:func:`params_union`), the error-key tags and the batch's preload list are
built from the registry, so adding a source is adding one file.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import typing
from pathlib import Path
from dataclasses import dataclass, field
from typing import Annotated, Union

from pydantic import BaseModel, ConfigDict, Field

from reportkit.core.periods import DateRange
from reportkit.core.lazy import lazy

pd = lazy("pandas")

_REGISTRY: dict[str, type["Source"]] = {}
# modules of this package that hold machinery, not sources
_NOT_SOURCES = {"registry", "merge", "warehouse", "checks", "presets", "export_dates", "export_rows",
                "quota", "pulling"}


@dataclass
class SourceData:
    facts: pd.DataFrame                       # canonical fact table (core.facts.normalize)
    users: pd.DataFrame | None = None         # period-level users: columns start, end, users
    origin: str = ""                          # plain words: where the data came from
    # Source-reported data-quality findings (GA4 sampling, thresholding, quota...), in the
    # shape of analysis.quality findings: {"level": "info"|"warning", "period": ..., "message": ...}
    findings: list[dict] = field(default_factory=list)
    # One entry per cached/pulled query: {"source", "query", "start", "end", "pulled_at", "cached"}
    pulls: list[dict] = field(default_factory=list)
    # What a file source read: per file, the columns used (export -> fact column) and ignored
    columns: list[str] = field(default_factory=list)

    def users_for(self, period: DateRange) -> float | None:
        """Users for exactly this range, or None (users cannot be summed from smaller ranges)."""
        if self.users is None or self.users.empty:
            return None
        match = self.users[(self.users["start"] == pd.Timestamp(period.start))
                           & (self.users["end"] == pd.Timestamp(period.end))]
        return None if match.empty else float(match["users"].iloc[0])


class Source(BaseModel):
    """Params every source accepts; a subclass with a ``type: Literal[...]`` is a source."""

    model_config = ConfigDict(extra="forbid")

    owns: list[str] | None = Field(None, description="With several sources: the measures this "
                                   "source supplies (e.g. [cost, clicks, impressions]); the same "
                                   "measure from another source is dropped, never added twice")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs):
        """Register a subclass whose ``type`` is a one-name Literal (pydantic calls this once
        the subclass's fields are built)."""
        super().__pydantic_init_subclass__(**kwargs)
        names = typing.get_args(cls.model_fields["type"].annotation) if "type" in cls.model_fields else ()
        if len(names) != 1:
            raise TypeError(f"{cls.__name__}.type must be a Literal of one name, e.g. Literal['demo']")
        name = names[0]
        if name in _REGISTRY and _REGISTRY[name].__qualname__ != cls.__qualname__:
            raise TypeError(f"source type {name!r} is registered twice: {_REGISTRY[name].__name__} "
                            f"and {cls.__name__}")
        _REGISTRY[name] = cls

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        """The facts for the client ``cfg`` over ``periods``; ``refresh=True`` makes an API
        source pull again instead of using the warehouse cache (files are always read)."""
        raise NotImplementedError


@functools.cache
def _import_source_modules() -> None:
    """Import each module of ``reportkit.sources`` once: defining a source's class registers it."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name not in _NOT_SOURCES:
            importlib.import_module(f"{__package__}.{info.name}")


def discover() -> dict[str, type[Source]]:
    """Every source, ``type`` -> class, in a stable order."""
    _import_source_modules()
    return dict(sorted(_REGISTRY.items()))


def types() -> list[str]:
    """The ``type`` names params may use."""
    return list(discover())


def modules() -> list[str]:
    """The modules that define the sources (the batch preloads them before forking)."""
    return list(dict.fromkeys(cls.__module__ for cls in discover().values()))


def params_union():
    """The annotation of a ``source`` param: any registered source, told apart by ``type``."""
    classes = tuple(discover().values())
    return Annotated[Union[classes], Field(discriminator="type")]
