"""Files already in the canonical fact schema (CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reportkit.config import resolve_path
from reportkit.errors import DataError
from reportkit.core.facts import normalize
from reportkit.sources import SourceData, register


def read_facts_csv(path: Path, default_source: str = "csv") -> pd.DataFrame:
    if not path.is_file():
        raise DataError(str(path), "data file not found", "check source.path in the params file")
    try:
        frame = pd.read_csv(path, dtype={"channel": "string", "campaign": "string", "source": "string"})
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(str(path), f"cannot be read as CSV: {error}", "export it again as UTF-8 CSV") from None
    return normalize(frame, str(path), default_source)


def read_users_csv(path: Path) -> pd.DataFrame:
    """Period-level users: one row per range with columns start, end, users."""
    if not path.is_file():
        raise DataError(str(path), "users file not found", "check source.users_path, or remove it")
    frame = pd.read_csv(path)
    missing = {"start", "end", "users"} - set(frame.columns)
    if missing:
        raise DataError(str(path), f"missing column(s) {', '.join(sorted(missing))}",
                        "the users file needs columns start,end,users")
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col], errors="coerce")
        if frame[col].isna().any():
            row = int(frame[col].isna().to_numpy().nonzero()[0][0])
            raise DataError(f"{path}: row {row + 1}, column '{col}'", "not a date", "write dates as YYYY-MM-DD")
    return frame


@register("csv")
def load_csv(cfg, periods) -> SourceData:
    path = resolve_path(cfg.source.path)
    users = read_users_csv(resolve_path(cfg.source.users_path)) if cfg.source.users_path else None
    return SourceData(read_facts_csv(path), users, origin=f"CSV file {path.name}")
