"""A DuckDB file per client of its canonical facts, for analysts' SQL while reports run.

``data/facts/<client_id>.duckdb`` holds table ``facts`` — one row per date, channel,
campaign and source, one column per measure, from all the client's sources (files, the
demo, API pulls through the warehouse), exactly the fact table its report is computed from —
and views ``current``, ``previous`` and ``yoy`` of the report's three ranges.

Readers never block a pull or a run: the file is written under a temporary name and moved
into place (``os.replace``), so a connection held open keeps reading the copy it opened and
the next one sees the new copy; pulls and runs never open these files.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from reportkit import sources
from reportkit.paths import resolve_path

FACTS_DIR = "data/facts"


def facts_path(client_id: str) -> Path:
    return resolve_path(f"{FACTS_DIR}/{client_id}.duckdb")


def write(cfg, refresh: bool = False) -> tuple[Path, int]:
    """Write the client's facts file; return its path and row count."""
    periods = cfg.periods()
    data = None if refresh else sources.last_loaded(cfg, periods)
    facts = (data or sources.load(cfg, periods, refresh=refresh)).facts.copy()
    facts.insert(0, "client_id", cfg.client_id)
    target = facts_path(cfg.client_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    scratch.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(scratch)) as con:
            con.register("frame", facts)
            con.execute("CREATE TABLE facts AS SELECT * REPLACE (CAST(date AS DATE) AS date) FROM frame")
            for name in ("current", "previous", "yoy"):
                r = getattr(periods, name)
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM facts "
                            f"WHERE date BETWEEN DATE '{r.start.isoformat()}' AND DATE '{r.end.isoformat()}'")
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return target, len(facts)
