"""Files already in the canonical fact schema (CSV, separated by ``,``, ``;`` or tabs)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Literal

from pydantic import Field

from reportkit.core.i18n import _
from reportkit.paths import resolve_path
from reportkit.errors import DataError
from reportkit.core.delimited import read_text, separator
from reportkit.core.facts import normalize
from reportkit.sources.registry import Source, SourceData
from reportkit.core.lazy import lazy

pd = lazy("pandas")


def read_facts_csv(path: Path, default_source: str = "csv") -> pd.DataFrame:
    if not path.is_file():
        raise DataError(str(path), "data file not found", "check source.path in the params file")
    try:
        text = read_text(path)  # UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252
        if not text.strip():
            raise DataError(str(path), "the data file is empty", "export the data again (a header row "
                            "and one row per day, channel and campaign)")
        frame = pd.read_csv(io.StringIO(text), sep=separator(text),
                            dtype={"channel": "string", "campaign": "string", "source": "string"})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, csv.Error) as error:
        raise DataError(str(path), f"cannot be read as CSV: {str(error)[:300]}",
                        "export it again as a UTF-8 CSV") from None
    return normalize(frame, str(path), default_source)


def read_users_csv(path: Path) -> pd.DataFrame:
    """Period-level users: one row per range with columns start, end, users."""
    if not path.is_file():
        raise DataError(str(path), "users file not found", "check source.users_path, or remove it")
    text = read_text(path)
    frame = pd.read_csv(io.StringIO(text), sep=separator(text))
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


class CsvSource(Source):
    """A CSV already in the canonical fact schema (docs/architecture.md, "Fact table")."""

    type: Literal["csv"]
    path: str = Field(description="Facts CSV in the canonical schema, relative to the project root")
    users_path: str | None = Field(None, description="Optional CSV with start,end,users rows")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        path = resolve_path(self.path)
        users = read_users_csv(resolve_path(self.users_path)) if self.users_path else None
        return SourceData(read_facts_csv(path), users, origin=_("CSV file {name}").format(name=path.name))
