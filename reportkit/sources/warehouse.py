"""The warehouse: a DuckDB file that caches every API pull.

A pull is keyed by client, source (e.g. ``ga4:123456``), query (a name plus a hash of
the request) and date range, and stored with the time it was pulled. A cached pull is
reused when its data was already final when pulled (the range ended more than
``FINAL_AFTER`` before the pull: GA4 data is not final for ~48 h), or when it is younger
than ``fresh_hours``; otherwise it is pulled again, so the most recent days are re-pulled.

Readers never break a pull or a run. DuckDB lets a file be open either by one writer or by
any number of read-only readers, so a notebook holding ``duckdb.connect(path, read_only=True)``
would block a writer for as long as it stays open. reportkit therefore never opens the file
itself for writing:

* a read (:meth:`Warehouse.connect`, the default) opens the current file read-only, which
  any number of other read-only readers share;
* a write (``connect(write=True)``, used by :meth:`Warehouse.put`) takes an exclusive
  ``fcntl`` lock on ``<file>.lock`` (writers of every process queue there for a few
  milliseconds), copies the file to a private scratch file beside it, writes the copy in one
  transaction, checkpoints it and moves it over the file (``os.replace``). A reader that had
  the old file open keeps reading that copy until it reconnects; the next one sees the new.

A process that holds the file open *for writing* (``duckdb.connect(path)`` without
``read_only=True``) does block reportkit: after :data:`BUSY_WAIT_S` of retries this is a
:class:`~reportkit.errors.SourceError` naming the file, the process and the fix, never a
traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from reportkit.core.measures import ADDITIVE_MEASURES, PERIOD_MEASURES
from reportkit.errors import SourceError
from reportkit.paths import file_lock, resolve_path, scratch_path

FINAL_AFTER = timedelta(days=3)   # range end + 3 days: GA4's ~48 h plus the property time zone
VALUE_COLUMNS = (*ADDITIVE_MEASURES, *PERIOD_MEASURES)
BUSY_WAIT_S = 10.0   # how long to retry while another process holds the file open for writing

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
    def connect(self, write: bool = False):
        """A connection inside one transaction: read-only on the current file (``write=False``;
        None when there is no warehouse yet), or on a private copy that replaces the file
        when the block ends without an error (``write=True``, under the cross-process lock)."""
        if not write:
            if not self.path.is_file():
                yield None
                return
            with _opened(self.path, read_only=True) as con:
                yield con
            return
        with file_lock(self.lock_path):
            # a scratch copy exists only while its writer holds the lock: any found now was
            # left by a writer that was killed
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                _remove(stale)
            scratch = scratch_path(self.path)
            try:
                if self.path.is_file():
                    # copied while a read-only connection holds it: no writer can be changing
                    # it (one outside reportkit makes _opened fail with a clear message); a WAL
                    # left by a writer that died goes with it, to be folded into the copy
                    with _opened(self.path, read_only=True):
                        shutil.copyfile(self.path, scratch)
                        if _wal(self.path).is_file():
                            shutil.copyfile(_wal(self.path), _wal(scratch))
                with _opened(scratch, read_only=False, checkpoint=True) as con:
                    con.execute(SCHEMA)
                    yield con
                if _wal(scratch).exists():    # never move a file whose changes are not all in it
                    raise RuntimeError(f"DuckDB left {_wal(scratch)} after a checkpoint")
                _fsync(scratch)
                os.replace(scratch, self.path)
                _remove(_wal(self.path))     # folded into the new file already
            finally:
                _remove(scratch)

    def get(self, key: PullKey) -> Pull | None:
        with self.connect() as con:
            if con is None:
                return None
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
        with self.connect(write=True) as con:
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
            if con is None:
                return pd.DataFrame(columns=["client_id", "source", "query", "start_date", "end_date",
                                             "pulled_at", "final", "row_count"])
            return con.execute("SELECT client_id, source, query, start_date, end_date, pulled_at, "
                               "final, row_count FROM pulls ORDER BY ALL").df()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    _wal(path).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


@contextmanager
def _opened(path: Path, read_only: bool, checkpoint: bool = False):
    """A DuckDB connection to ``path`` inside one transaction (committed when the block ends
    without an error; then, with ``checkpoint``, every change written into the file itself). While another process holds the file open for writing, retried for
    :data:`BUSY_WAIT_S`, then a :class:`SourceError` that says which process and what to do."""
    import duckdb
    deadline = time.monotonic() + BUSY_WAIT_S
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                holder = str(error).split("Conflicting lock is held in", 1)[-1].strip()
                raise SourceError(
                    f"the warehouse {path}", f"another process holds it open for writing ({holder})",
                    "close that connection, or open the file read-only "
                    "(duckdb.connect(path, read_only=True)): readers never block reportkit; "
                    "better still, query the facts files (reportkit facts)") from None
            time.sleep(0.2)
    try:
        con.execute("BEGIN TRANSACTION")
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        if checkpoint:
            con.execute("CHECKPOINT")
    finally:
        con.close()


def usable(pull: Pull | None, fresh_hours: float, now: datetime | None = None) -> bool:
    """True when a cached pull may be used instead of calling the API."""
    if pull is None:
        return False
    if pull.final:
        return True
    return (now or utcnow()) - pull.pulled_at < timedelta(hours=fresh_hours)


def open_for(cfg) -> Warehouse:
    return Warehouse(resolve_path(cfg.warehouse.path))
