"""The warehouse: a DuckDB file that caches every API pull.

A pull is keyed by client, source (e.g. ``ga4:123456``), query (a name plus a hash of
the request) and date range, and stored with the time it was pulled. A cached pull is
reused when its data was already final when pulled (the range ended more than
``FINAL_AFTER`` before the pull: GA4 data is not final for ~48 h), or when it is younger
than ``fresh_hours``; otherwise it is pulled again, so the most recent days are re-pulled.

DuckDB lets one process at a time open a file for writing. Every access here takes an
exclusive ``fcntl`` lock on ``<file>.lock``, opens the database, does its work in one
transaction and closes it again, so concurrent runs for different clients queue for a
few milliseconds instead of failing or corrupting the file.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from reportkit.core.measures import ADDITIVE_MEASURES, PERIOD_MEASURES
from reportkit.paths import file_lock, resolve_path

FINAL_AFTER = timedelta(days=3)   # range end + 3 days: GA4's ~48 h plus the property time zone
VALUE_COLUMNS = (*ADDITIVE_MEASURES, *PERIOD_MEASURES)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS pulls (
    client_id VARCHAR, source VARCHAR, query VARCHAR, start_date DATE, end_date DATE,
    pulled_at TIMESTAMP, final BOOLEAN, row_count BIGINT, columns VARCHAR, meta VARCHAR,
    PRIMARY KEY (client_id, source, query, start_date, end_date));
CREATE TABLE IF NOT EXISTS pull_rows (
    client_id VARCHAR, source VARCHAR, query VARCHAR, start_date DATE, end_date DATE,
    date DATE, channel VARCHAR, campaign VARCHAR,
    {", ".join(f"{c} DOUBLE" for c in VALUE_COLUMNS)});
""" + "".join(f"ALTER TABLE pull_rows ADD COLUMN IF NOT EXISTS {c} DOUBLE;\n" for c in VALUE_COLUMNS)


@dataclass(frozen=True)
class PullKey:
    client_id: str
    source: str
    query: str
    start: date
    end: date

    def params(self) -> list:
        return [self.client_id, self.source, self.query, self.start, self.end]


@dataclass
class Pull:
    key: PullKey
    frame: pd.DataFrame        # date, channel, campaign + the query's value columns
    pulled_at: datetime        # UTC, naive
    final: bool
    meta: dict                 # source metadata (findings, quota) to report again from cache


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def is_final(end: date, pulled_at: datetime) -> bool:
    return pulled_at >= datetime.combine(end, datetime.min.time()) + FINAL_AFTER


class Warehouse:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def connect(self):
        """An open connection, held under the cross-process lock, inside one transaction."""
        import duckdb
        with file_lock(self.lock_path):
            con = duckdb.connect(str(self.path))
            try:
                con.execute(SCHEMA)
                con.execute("BEGIN TRANSACTION")
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                con.close()

    def get(self, key: PullKey) -> Pull | None:
        with self.connect() as con:
            head = con.execute("SELECT pulled_at, final, columns, meta FROM pulls WHERE client_id=? "
                               "AND source=? AND query=? AND start_date=? AND end_date=?",
                               key.params()).fetchone()
            if head is None:
                return None
            pulled_at, final, columns, meta = head
            columns = json.loads(columns)
            frame = con.execute(
                f"SELECT {', '.join(['date', 'channel', 'campaign', *columns])} FROM pull_rows "
                "WHERE client_id=? AND source=? AND query=? AND start_date=? AND end_date=? "
                "ORDER BY date, channel, campaign", key.params()).df()
        frame["date"] = pd.to_datetime(frame["date"])
        return Pull(key, frame, pulled_at, bool(final), json.loads(meta))

    def put(self, key: PullKey, frame: pd.DataFrame, meta: dict,
            pulled_at: datetime | None = None, final: bool | None = None) -> Pull:
        """Store (replace) one pull. ``frame`` has date/channel/campaign and value columns.

        ``final``: the source's own word on whether the data can still change (Search
        Console's ``dataState``); it can only make a pull less final than the delay rule.
        """
        pulled_at = pulled_at or utcnow()
        columns = [c for c in VALUE_COLUMNS if c in frame.columns]
        rows = pd.DataFrame({"client_id": key.client_id, "source": key.source, "query": key.query,
                             "start_date": pd.Timestamp(key.start), "end_date": pd.Timestamp(key.end)},
                            index=frame.index)
        for col in ("date", "channel", "campaign"):
            rows[col] = frame[col] if col in frame.columns else None
        for col in VALUE_COLUMNS:
            rows[col] = frame[col].astype("float64") if col in frame.columns else None
        rows["date"] = pd.to_datetime(rows["date"])
        for col in ("channel", "campaign"):
            rows[col] = rows[col].astype(object)
        final = is_final(key.end, pulled_at) and final is not False
        with self.connect() as con:
            con.execute("DELETE FROM pulls WHERE client_id=? AND source=? AND query=? AND "
                        "start_date=? AND end_date=?", key.params())
            con.execute("DELETE FROM pull_rows WHERE client_id=? AND source=? AND query=? AND "
                        "start_date=? AND end_date=?", key.params())
            con.register("new_rows", rows)
            names = ", ".join(["client_id", "source", "query", "start_date", "end_date", "date",
                               "channel", "campaign", *VALUE_COLUMNS])
            # By name: a warehouse made by an older version has the newer columns at the end.
            con.execute(f"INSERT INTO pull_rows ({names}) SELECT {names} FROM new_rows")
            con.unregister("new_rows")
            con.execute("INSERT INTO pulls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [*key.params(), pulled_at, final, len(frame), json.dumps(columns),
                         json.dumps(meta, default=str)])
        return Pull(key, frame, pulled_at, final, meta)

    def summary(self) -> pd.DataFrame:
        """One row per cached pull (for ``reportkit pull`` and for tests)."""
        with self.connect() as con:
            return con.execute("SELECT client_id, source, query, start_date, end_date, pulled_at, "
                               "final, row_count FROM pulls ORDER BY ALL").df()


def usable(pull: Pull | None, fresh_hours: float, now: datetime | None = None) -> bool:
    """True when a cached pull may be used instead of calling the API."""
    if pull is None:
        return False
    if pull.final:
        return True
    return (now or utcnow()) - pull.pulled_at < timedelta(hours=fresh_hours)


def open_for(cfg) -> Warehouse:
    return Warehouse(resolve_path(cfg.warehouse.path))
