"""Sources: where a client's facts come from, one self-registering unit per source.

Each module here defines one :class:`~reportkit.sources.registry.Source` subclass (its params
and its loader); :func:`load` reads a client's one ``source`` or merges its several
``sources``, checks the facts and returns :class:`SourceData`. :func:`pull` fills the DuckDB
warehouse ahead of a run.
"""

from __future__ import annotations

from reportkit.sources.checks import check_budget_lines, check_kpi_measures, check_no_future, latest_allowed
from reportkit.sources.merge import load_many
from reportkit.sources.registry import Source, SourceData, discover  # noqa: F401

__all__ = ["Source", "SourceData", "discover", "last_loaded", "load", "pull"]

_last: tuple | None = None   # (config as JSON, periods, data) of the latest load in this process


def load(cfg, periods, refresh: bool = False) -> SourceData:
    """The client's facts: its one ``source``, or its several ``sources`` merged.

    ``refresh=True`` makes API sources (GA4) pull again instead of using the warehouse cache.
    """
    if cfg.sources:
        data = load_many(cfg, periods, refresh)
    else:
        data = cfg.source.load(cfg, periods, refresh=refresh)
    check_no_future(data.facts, latest_allowed(cfg), data.origin)
    check_kpi_measures(cfg, data)
    check_budget_lines(cfg, data.facts)
    global _last
    _last = (cfg.model_dump(mode="json"), periods, data)
    return data


def last_loaded(cfg, periods) -> SourceData | None:
    """The facts this process loaded last, if that load was for this very config and these
    periods (the report the in-process engine has just built), else None: the facts file
    written after a run then holds exactly the facts the report was computed from, without
    reading the sources again."""
    same = _last is not None and _last[1] == periods and _last[0] == cfg.model_dump(mode="json")
    return _last[2] if same else None


def pull(cfg, refresh: bool = False) -> dict:
    """Fill the warehouse for one client (``reportkit pull``): {client_id, pulled, cached, rows,
    origin, calls, pulls}; ``calls``: API calls made now, ``pulls``: the pull records (with
    each one's calls and the quota the platform reported).

    Sources that are not API pulls (demo, files) have nothing to cache: pulled = cached = 0.
    """
    data = load(cfg, cfg.periods(), refresh=refresh)
    return {"client_id": cfg.client_id, "pulled": sum(not p["cached"] for p in data.pulls),
            "cached": sum(bool(p["cached"]) for p in data.pulls), "rows": len(data.facts),
            "origin": data.origin, "calls": sum(int(p.get("calls") or 0) for p in data.pulls),
            "pulls": data.pulls}
