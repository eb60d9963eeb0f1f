"""The canonical fact table: one row per date x channel x campaign (x source).

Only additive measures live here (docs/architecture.md, "Fact table"). :func:`normalize` turns any
source's frame into that shape and applies the hard checks; a failure names the file,
the row and the column.
"""

from __future__ import annotations

from reportkit.errors import DataError
from reportkit.core.measures import ADDITIVE_MEASURES, KEY_COLUMNS, NOT_SET, UNKNOWN_CHANNEL
from reportkit.core.lazy import lazy

pd = lazy("pandas")


CONTROL_CHARS = "[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]"  # and bidi overrides
MAX_VALUE = 1e15  # no daily marketing figure comes near it; 1e308 would overflow every sum


def normalize(frame: pd.DataFrame, where: str, default_source: str = "csv") -> pd.DataFrame:
    """A validated copy in the canonical schema. Unknown extra columns are kept.

    Hard checks (raise DataError): a ``date`` column of valid dates (datetimes or ISO text), numeric measures,
    no negative measures, no duplicate date x source x channel x campaign keys.
    Row numbers in messages are 1-based data rows (the header is row 0).
    """
    df = frame.copy()
    if "date" not in df.columns:
        raise DataError(where, "no 'date' column", "name the date column 'date' (YYYY-MM-DD)")
    # ISO only: 01/10/2026 could be 1 Oct or 10 Jan, and a date is never guessed (file
    # exports with other formats are read by sources.export_dates before they get here)
    parsed = pd.to_datetime(df["date"], errors="coerce", format="ISO8601")
    bad = parsed.isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"{where}: row {row + 1}, column 'date'",
                        f"{df['date'].iloc[row]!r} is not a date", "write dates as YYYY-MM-DD")
    df["date"] = parsed.dt.normalize()
    if "source" not in df.columns:
        df["source"] = default_source
    for col in ("channel", "campaign"):
        if col not in df.columns:
            df[col] = NOT_SET if col == "campaign" else UNKNOWN_CHANNEL
        df[col] = df[col].astype("string").fillna(NOT_SET if col == "campaign" else UNKNOWN_CHANNEL)
    df["source"] = df["source"].astype("string")
    for col in ("channel", "campaign", "source"):  # names go into headings, tables and chart SVGs
        bad = df[col].str.contains(CONTROL_CHARS, regex=True, na=False)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(f"{where}: row {row + 1}, column '{col}'",
                            f"{str(df[col].iloc[row])[:80]!r} contains a control character",
                            "remove it from the export (retype the name)")
    for col in ADDITIVE_MEASURES:
        if col not in df.columns:
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna() & df[col].notna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(f"{where}: row {row + 1}, column '{col}'",
                            f"{df[col].iloc[row]!r} is not a number",
                            "leave the cell empty when unknown, or write a plain number like 1234.5")
        negative = values < 0
        if negative.any():
            row = int(negative.to_numpy().nonzero()[0][0])
            raise DataError(f"{where}: row {row + 1}, column '{col}'",
                            f"negative value {values.iloc[row]}", f"{col} cannot be negative; correct the export")
        huge = values.abs() > MAX_VALUE  # inf, or so large that sums overflow and JSON refuses them
        if huge.any():
            row = int(huge.to_numpy().nonzero()[0][0])
            raise DataError(f"{where}: row {row + 1}, column '{col}'",
                            f"value {values.iloc[row]:g} is out of range (at most {MAX_VALUE:g})",
                            "correct the export: the cell holds a wrong or garbled number")
        df[col] = values.astype("float64")
    dupes = df.duplicated(list(KEY_COLUMNS), keep="first")
    if dupes.any():
        row = int(dupes.to_numpy().nonzero()[0][0])
        key = ", ".join(f"{c}={df[c].iloc[row]}" for c in KEY_COLUMNS)
        raise DataError(f"{where}: row {row + 1}", f"duplicate row for {key}",
                        "each date x source x channel x campaign must appear once: remove or sum the duplicates")
    return df.sort_values(list(KEY_COLUMNS), kind="stable").reset_index(drop=True)


def between(facts: pd.DataFrame, start, end) -> pd.DataFrame:
    """Rows with start <= date <= end (dates inclusive)."""
    dates = facts["date"]
    return facts[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]
