"""Rows of an export that are not one day x campaign: total rows and finer-grained rows.

Total and summary rows ("Total", "Grand total", "Totals", "Gesamt", with the label in any
column, named or not, and no date) are skipped and said so. Rows finer than the fact grain
(per ad, age, gender, placement, device: several rows per date x campaign that differ in a
column the mapping does not use) are summed to it, and said so. Rows identical in every
column are a true duplicate, and rows that no unused column tells apart are a second row
for the same day: both are errors.
"""

from __future__ import annotations

import re

from reportkit.core import formatting as fmt
from reportkit.core.i18n import _, ngettext
from reportkit.core.measures import ADDITIVE_MEASURES
from reportkit.errors import DataError
from reportkit.core.lazy import lazy

pd = lazy("pandas")

TOTAL_RE = re.compile(r"^\s*(grand\s+)?totals?\b|^\s*gesamt(summe|ergebnis)?\b|^\s*summe\b",
                      re.IGNORECASE)
GRAIN = ("date", "source", "channel", "campaign")


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() in (
        "", "--", "-", "—")


def is_total(cells: list, date_index: int) -> bool:
    """A total row: a total label in some cell, and no single date in the date column."""
    if not any(isinstance(c, str) and TOTAL_RE.match(c) for c in cells):
        return False
    day = cells[date_index] if date_index < len(cells) else None
    if hasattr(day, "strftime") or isinstance(day, (int, float)) and not _blank(day):
        return False
    text = "" if _blank(day) else str(day)
    return not re.search(r"\d", text) or TOTAL_RE.match(text) is not None or " - " in text


def total_note(file: str, lines: list[int]) -> dict:
    where = ", ".join(str(n) for n in lines[:5]) + (" ..." if len(lines) > 5 else "")
    return {"level": "info", "period": "all",
            "message": ngettext("{file}: {n} total row (line {lines}) skipped; the report adds up "
                                "the rows itself.",
                                "{file}: {n} total rows (lines {lines}) skipped; the report adds up "
                                "the rows itself.", len(lines)).format(file=file, n=len(lines), lines=where)}


def sum_to_grain(frame: pd.DataFrame, raw: list[tuple], lines: list[int], header: list[str],
                 used: set[int], allow: bool, where: str, file: str, hint: str):
    """(frame at the fact grain, note or None): see the module docstring.

    ``raw`` holds every cell of each row (for the true-duplicate test), ``used`` the column
    indices the mapping reads; ``allow=False`` (params ``sum_rows: false``) refuses summing.
    """
    keys = [c for c in GRAIN if c in frame.columns]
    repeated = frame.duplicated(keys, keep=False)
    if not repeated.any():
        return frame, None
    cells = pd.DataFrame([list(r) for r in raw]).astype("string")
    same = cells.duplicated(keep="first")
    if same.any():
        i = int(same.to_numpy().nonzero()[0][0])
        j = next(k for k in range(i) if cells.iloc[k].equals(cells.iloc[i]))
        raise DataError(f"{where}: line {lines[i]}", f"repeats line {lines[j]} exactly (every column "
                        "the same): a row counted twice", "remove the repeated row from the export")
    # rows finer than the grain differ in a column the mapping does not use (Ad name, Age...)
    unused = [c for c in cells.columns if c not in used]
    untold = pd.concat([frame[keys].astype("string").reset_index(drop=True),
                        cells[unused].reset_index(drop=True)], axis=1).duplicated()
    if untold.any() or not allow:
        i = int((untold if untold.any() else frame.duplicated(keys)).to_numpy().nonzero()[0][0])
        key = ", ".join(f"{c}={frame[c].iloc[i]:%Y-%m-%d}" if c == "date" else f"{c}={frame[c].iloc[i]}"
                        for c in keys)
        why = ("no other column tells the rows apart" if untold.any() else "sum_rows: false is set")
        raise DataError(f"{where}: line {lines[i]}", f"a second row for {key} ({why})",
                        "each day and campaign must appear once: export at campaign level by day"
                        + (f" ({hint})" if hint else "")
                        + ("" if untold.any() else ", or remove sum_rows: false to add such rows up"))
    measures = [c for c in frame.columns if c in ADDITIVE_MEASURES]
    summed = (frame.groupby(keys, sort=False, dropna=False)[measures].sum(min_count=1)
              .reset_index())
    split = _split_by(cells[repeated.to_numpy()], frame[repeated], keys, header, used)
    finer = "campaign" if "campaign" in keys else "channel" if frame["channel"].nunique() > 1 else None
    grain = {None: _("day"), "campaign": _("day × campaign"), "channel": _("day × channel")}[finer]
    fill = dict(file=file, rows=fmt.number(len(frame)), split=split, summed=fmt.number(len(summed)), grain=grain)
    message = (_("{file}: {rows} rows (split by {split}) summed to {summed} {grain} rows.") if split
               else _("{file}: {rows} rows summed to {summed} {grain} rows.")).format(**fill)
    return summed, {"level": "info", "period": "all", "message": message}


def _split_by(cells: pd.DataFrame, frame: pd.DataFrame, keys: list[str], header: list[str],
              used: set[int]) -> str:
    """The unused columns whose values differ between rows of the same date x campaign."""
    group = frame[keys].astype("string").agg("|".join, axis=1).to_numpy()
    names = []
    for index in cells.columns:
        name = str(header[index]).strip() if index < len(header) and header[index] is not None else ""
        if index in used or not name:
            continue
        if cells[index].groupby(group).nunique(dropna=False).max() > 1:
            names.append(name)
    return ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
