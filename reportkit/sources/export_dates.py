"""Dates in exports: read in one format per column, never guessed.

A column in ISO form (2026-10-01, 2026/10/01), YYYYMMDD or an Excel date cell is read as
it is. Numbers with a separator (01/10/2026, 01.10.26) are day first when some day is
above 12 (31/10/2026), month first when some month position is (10/31/2026); when no value
tells (01/10/2026 could be 1 Oct or 10 Jan) the column is refused unless ``dayfirst`` or
``date_format`` says which. Two shapes in one column are an error naming lines of each.
"""

from __future__ import annotations

import re

from reportkit.errors import DataError
from reportkit.core.lazy import lazy

pd = lazy("pandas")

_ISO = re.compile(r"^\d{4}([-/.])\d{1,2}\1\d{1,2}(?:[ T][\d:.+Z-]*)?$")
_COMPACT = re.compile(r"^\d{8}$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
FIX = "set date_format: (e.g. '%d/%m/%Y' for 31/08/2026) or dayfirst: true"


def _shape(text: str) -> str:
    """A name for how a date is written: 'YYYY-MM-DD', 'YYYYMMDD', 'NN/NN/YYYY', 'text'..."""
    if _ISO.match(text):
        return f"YYYY{_ISO.match(text).group(1)}MM{_ISO.match(text).group(1)}DD"
    if _COMPACT.match(text):
        return "YYYYMMDD"
    match = _NUMERIC.match(text)
    if match:
        sep, year = match.group(2), "YYYY" if len(match.group(4)) == 4 else "YY"
        return f"NN{sep}NN{sep}{year}"
    return "text" if re.search(r"[A-Za-z]", text) else "other"


def _lines_of(mask, lines: list[int], limit: int = 3) -> str:
    picked = [str(lines[i]) for i in mask.to_numpy().nonzero()[0][:limit]]
    more = int(mask.sum()) - len(picked)
    return ", ".join(picked) + (f" and {more} more" if more > 0 else "")


def read_dates(values: pd.Series, fmt: str | None, dayfirst: bool, where: str,
               lines: list[int], export_col: str) -> pd.Series:
    """Timestamps for a date column (see the module docstring); DataError names the line."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
    text = values.map(lambda v: v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else
                      ("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()))
    text = text.astype("string")
    if not fmt:
        fmt = _format(text, dayfirst, where, lines, export_col)
    if fmt == "text":
        parsed = pd.to_datetime(text, dayfirst=dayfirst, errors="coerce", format="mixed")
    else:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    bad = parsed.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        shown = fmt if fmt not in ("ISO8601", "text") else None
        raise DataError(f"{where}: line {lines[i]}, column '{export_col}'",
                        f"{text.iloc[i]!r} is not a date" + (f" in the format {shown}" if shown else ""),
                        FIX)
    return parsed


def _format(text: pd.Series, dayfirst: bool, where: str, lines: list[int], export_col: str) -> str:
    """The one format of the column, or DataError (mixed shapes, ambiguous or contradictory)."""
    shapes = text.map(_shape)
    filled = text != ""
    kinds = list(dict.fromkeys(shapes[filled]))
    place = f"{where}: column '{export_col}'"
    if len(kinds) > 1:
        parts = [f"{k} on line{'s' if (shapes == k).sum() > 1 else ''} {_lines_of(shapes == k, lines)}"
                 for k in kinds]
        raise DataError(place, "mixed date formats in one column: " + "; ".join(parts),
                        "export the column in one date format, or set date_format: to the one "
                        "that is right (the other lines are then named)")
    kind = kinds[0] if kinds else "other"
    if kind.startswith("YYYY") and kind != "YYYYMMDD":
        return "ISO8601" if kind == "YYYY-MM-DD" else f"%Y{kind[4]}%m{kind[4]}%d"
    if kind == "YYYYMMDD":
        return "%Y%m%d"
    if kind in ("text", "other"):
        return "text"
    sep, year = kind[2], "%Y" if kind.endswith("YYYY") else "%y"
    parts = text[filled].str.extract(_NUMERIC)
    first, second = parts[0].astype(int), parts[2].astype(int)
    day_first, month_first = f"%d{sep}%m{sep}{year}", f"%m{sep}%d{sep}{year}"
    if dayfirst:
        if (second > 12).any():
            i = (second > 12).reindex(text.index, fill_value=False)
            raise DataError(f"{where}: line {_lines_of(i, lines, 1)}, column '{export_col}'",
                            f"{text[i].iloc[0]!r} cannot be day first ({second[second > 12].iloc[0]} "
                            "is not a month), but dayfirst: true is set",
                            f"remove dayfirst, or set date_format: '{month_first}'")
        return day_first
    if (first > 12).any() and (second > 12).any():
        a = (first > 12).reindex(text.index, fill_value=False)
        b = (second > 12).reindex(text.index, fill_value=False)
        raise DataError(place, f"mixed date orders in one column: day first on line "
                        f"{_lines_of(a, lines)} ({text[a].iloc[0]}), month first on line "
                        f"{_lines_of(b, lines)} ({text[b].iloc[0]})",
                        "export the column in one date format")
    if (first > 12).any():
        return day_first
    if (second > 12).any():
        return month_first
    sample = text[filled].iloc[0]
    raise DataError(place, f"the dates are ambiguous: no day is above 12, so {sample!r} could be "
                    "day first or month first", f"say which: dayfirst: true (day first, "
                    f"'{day_first}') or date_format: '{month_first}' (month first)")
