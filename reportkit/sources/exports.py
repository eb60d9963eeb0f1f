"""Exports as they come: CSV (any encoding Google Ads uses), Excel and Parquet.

``{type: file, path: ..., preset: google_ads | meta_ads | ga4_export}`` or a generic
mapping (``columns``, ``date_format``/``dayfirst``, ``thousands``, ``decimal``,
``skip_rows``, ``channel``). Header lines before the table are skipped (found by looking
for the date column), '#' comment lines and trailing "Total" rows are dropped, numbers
lose their currency symbols and thousands separators, "12.5%" becomes 0.125, and "--"
means empty. Errors name the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field

from reportkit.paths import resolve_path
from reportkit.errors import DataError
from reportkit.core.facts import normalize
from reportkit.sources.checks import check_no_future, latest_allowed
from reportkit.sources.registry import Source, SourceData
from reportkit.sources.presets import GENERIC, PRESETS, Preset

KEYS = ("date", "channel", "campaign")
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet")
EMPTY = {"", "--", "-", "—", "n/a", "N/A", "nan", "None"}
TOTAL_RE = re.compile(r"^\s*(grand\s+)?totals?\b", re.IGNORECASE)
SYMBOLS_RE = re.compile(r"[€$£¥\s\u00a0]|\b[A-Z]{3}\b")


def _norm(name) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().lower()


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):   # Google Ads "CSV for Excel": UTF-16, tabs
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _read_rows(path: Path, sheet) -> list[tuple[int, list]]:
    """(line number, cells) for every non-blank line of a CSV or the sheet of a workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
        return [(i + 1, [None if pd.isna(v) else v for v in r]) for i, r in
                enumerate(table.itertuples(index=False))]
    text = _read_text(path)
    sample = "\n".join(line for line in text.splitlines()[:30] if not line.startswith("#"))
    delimiter = max(",;\t", key=sample.count)
    rows, reader = [], csv.reader(io.StringIO(text), delimiter=delimiter)
    for cells in reader:
        rows.append((reader.line_num, cells))
    return rows


def _match(header: list, preset: Preset, columns: dict[str, str]) -> dict[int, tuple[str, str]]:
    """{column index: (fact column, export column)} for the columns the mapping knows."""
    wanted = {_norm(k): v for k, v in {**preset.columns, **columns}.items()}
    fallback = {_norm(k): v for k, v in preset.alternatives.items()}
    found: dict[int, tuple[str, str]] = {}
    for i, name in enumerate(header):
        key = _norm(name)
        target = wanted.get(key)
        if target is None:
            target = next((v for k, v in wanted.items() if k.endswith("(*)")
                           and re.fullmatch(re.escape(k[:-3]) + r"\(.+\)", key)), None)
        if target is not None and target not in {t for t, _ in found.values()}:
            found[i] = (target, str(name))
    for i, name in enumerate(header):
        target = fallback.get(_norm(name))
        if target and target not in {t for t, _ in found.values()}:
            found[i] = (target, str(name))
    return found


def _locate_header(rows, preset: Preset, columns: dict, skip_rows: int | None, where: str):
    candidates = rows if skip_rows is None else [r for r in rows if r[0] > skip_rows][:1]
    for index, (line, cells) in enumerate(candidates):
        if cells and str(cells[0]).startswith("#"):
            continue
        found = _match(cells, preset, columns)
        if "date" in {t for t, _ in found.values()}:
            start = rows.index((line, cells)) + 1
            return line, cells, found, rows[start:]
    names = [k for k, v in {**preset.columns, **columns, **preset.alternatives}.items() if v == "date"]
    raise DataError(where, "no header line with a date column found" +
                    (f" (looked for {', '.join(repr(n) for n in names)})" if names else ""),
                    preset.hint if names else "map the date column, e.g. columns: {Datum: date}")


def _table(path: Path, src, preset: Preset, where: str) -> tuple[pd.DataFrame, dict, list[int]]:
    """(frame with fact column names, {fact column: export column}, line number of each row)."""
    if path.suffix.lower() == ".parquet":
        raw = pd.read_parquet(path)
        found = _match(list(raw.columns), preset, src.columns)
        frame = raw.iloc[:, list(found)].copy()
        frame.columns = [t for t, _ in found.values()]
        return frame, {t: n for t, n in found.values()}, list(range(1, len(raw) + 1))
    rows = _read_rows(path, src.sheet)
    _, header, found, body = _locate_header(rows, preset, src.columns, src.skip_rows, where)
    data, lines = [], []
    for line, cells in body:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            if data:
                break          # a blank line ends the table (GA4 appends other tables after it)
            continue
        if str(cells[0]).startswith("#"):
            continue
        data.append([cells[i] if i < len(cells) else None for i in found])
        lines.append(line)
    frame = pd.DataFrame(data, columns=[t for t, _ in found.values()], dtype=object)
    return frame, {t: n for t, n in found.values()}, lines


def parse_numbers(values: pd.Series, thousands: str | None, decimal: str) -> tuple[pd.Series, pd.Series]:
    """(floats, bad mask). Cells already numeric (Excel, Parquet) are taken as they are."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64"), pd.Series(False, index=values.index)
    out = pd.Series(float("nan"), index=values.index, dtype="float64")
    is_num = values.map(lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool))
    if is_num.all():
        return values.astype("float64"), pd.Series(False, index=values.index)
    out[is_num] = values[is_num].astype("float64")
    text = values[~is_num].map(lambda v: "" if v is None else str(v).strip())
    empty = text.isin(EMPTY)
    pct = text.str.endswith("%")
    clean = text.str.replace(SYMBOLS_RE, "", regex=True).str.rstrip("%")
    if thousands:
        clean = clean.str.replace(thousands, "", regex=False)
    if decimal != ".":
        clean = clean.str.replace(decimal, ".", regex=False)
    parsed = pd.to_numeric(clean.where(~empty), errors="coerce")
    parsed = parsed.where(~pct, parsed / 100)
    out[~is_num] = parsed
    bad = pd.Series(False, index=values.index)
    bad[~is_num] = (parsed.isna() & ~empty).to_numpy(dtype=bool)  # a Series here warns under pandas 2.2
    return out, bad


def _fail(where, lines, mask, export_col, problem, fix):
    i = int(mask.to_numpy().nonzero()[0][0])
    raise DataError(f"{where}: line {lines[i]}, column '{export_col}'", problem(i), fix)


def read_export(path: Path, src, currency: str | None = None, latest=None) -> pd.DataFrame:
    """A canonical fact frame from one export (see the module docstring)."""
    where = str(path)
    if not path.is_file():
        raise DataError(where, "data file not found", "check source.path in the params file")
    if path.suffix.lower() not in SUFFIXES:
        raise DataError(where, f"cannot read {path.suffix or 'files without an extension'}",
                        "save it as .csv, .xlsx or .parquet")
    preset = PRESETS.get(src.preset, GENERIC)
    frame, names, lines = _table(path, src, preset, where)
    missing = [c for c in preset.required if c not in frame.columns]
    if missing:
        raise DataError(where, f"no column for {', '.join(missing)}", preset.hint or
                        "map it with columns: {export name: fact name}")
    keep = ~_total_rows(frame).to_numpy()
    frame, lines = frame[keep].reset_index(drop=True), [n for n, k in zip(lines, keep) if k]
    frame["date"] = _dates(frame["date"], src, preset, where, lines, names["date"])
    if "date_end" in frame.columns:   # Meta without a Day breakdown: one row per whole range
        ends = _dates(frame.pop("date_end"), src, preset, where, lines, names["date_end"])
        if names["date"] != "Day" and (ends != frame["date"]).any():
            _fail(where, lines, ends != frame["date"], names["date"],
                  lambda i: "rows cover several days; daily rows are needed", preset.hint)
    for col in [c for c in frame.columns if c not in KEYS + ("campaign_type", "currency_code", "source")]:
        values, bad = parse_numbers(frame[col], src.thousands or preset.thousands, src.decimal)
        if bad.any():
            _fail(where, lines, bad, names[col], lambda i: f"{frame[col].iloc[i]!r} is not a number",
                  "correct the cell; if numbers are written like 1.234,50 set thousands: \".\" and decimal: \",\"")
        negative = values < 0
        if negative.any():
            _fail(where, lines, negative, names[col], lambda i: f"negative value {values.iloc[i]}",
                  f"{col} cannot be negative; correct the export")
        frame[col] = values
    if latest is not None:
        check_no_future(frame, latest, where, lines)
    _check_currency(frame, names, currency, where, lines)
    frame = _channels(frame, src, preset)
    if src.source_name or "source" not in frame.columns:
        frame["source"] = src.source_name or preset.name
    frame = frame.drop(columns=[c for c in ("campaign_type", "currency_code") if c in frame.columns])
    _check_duplicates(frame, where, lines)
    return normalize(frame, where, default_source=frame["source"].iloc[0] if len(frame) else "file")


def _total_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows that are totals: no date, and a "Total"/"Grand total" label in a key column."""
    total = pd.Series(False, index=frame.index)
    if pd.api.types.is_datetime64_any_dtype(frame["date"]):
        return total
    date_text = frame["date"].astype("string").fillna("").str.strip()
    candidates = ~date_text.str.match(r"^\d")
    if candidates.any():
        labels = frame.loc[candidates, [c for c in KEYS if c in frame.columns]].astype("string").fillna("")
        total[candidates] = labels.apply(lambda col: col.str.match(TOTAL_RE)).any(axis=1)
    return total


def _dates(values: pd.Series, src, preset: Preset, where: str, lines: list[int], export_col: str):
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
    fmt = src.date_format or preset.date_format
    first = values.dropna().iloc[0] if values.notna().any() else None
    if hasattr(first, "strftime"):     # Excel date cells
        text = values.map(lambda v: v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else
                          ("" if v is None else str(v).strip()))
        fmt = "%Y-%m-%d"
    else:
        text = values.astype("string").fillna("").str.strip()
    if fmt:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    elif src.dayfirst:
        parsed = pd.to_datetime(text, dayfirst=True, errors="coerce", format="mixed")
    else:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        _fail(where, lines, bad, export_col, lambda i: f"{text.iloc[i]!r} is not a date"
              + (f" in the format {fmt}" if fmt else ""),
              "set date_format: (e.g. '%d-%m-%Y' for 31-08-2023) or dayfirst: true")
    return parsed


def _check_currency(frame, names, currency, where, lines):
    for col, export_col in names.items():
        match = re.search(r"\(([A-Z]{3})\)\s*$", export_col)
        if match and currency and match.group(1) != currency:
            raise DataError(f"{where}: column '{export_col}'", f"money is in {match.group(1)}, "
                            f"the report is in {currency}", "export in the client's currency, or "
                            "correct currency: in the params")
    if "currency_code" in frame.columns and currency:
        other = frame["currency_code"].astype("string").str.strip().fillna(currency) != currency
        if other.any():
            _fail(where, lines, other, names["currency_code"],
                  lambda i: f"currency {frame['currency_code'].iloc[i]!r}, the report is in {currency}",
                  "export this account in the client's currency, or correct currency: in the params")


def _channels(frame: pd.DataFrame, src, preset: Preset) -> pd.DataFrame:
    if src.channel:
        frame["channel"] = src.channel
    elif "channel" not in frame.columns:
        default = preset.channel or "(unknown)"
        if preset.channel_by and preset.channel_by[0] in frame.columns:
            col, table = preset.channel_by
            frame["channel"] = frame[col].map(lambda v: table.get(_norm(v), default))
        else:
            frame["channel"] = default
    return frame


def _check_duplicates(frame: pd.DataFrame, where: str, lines: list[int]):
    cols = [c for c in ("date", "source", "channel", "campaign") if c in frame.columns]
    dupes = frame.duplicated(cols)
    if dupes.any():
        i = int(dupes.to_numpy().nonzero()[0][0])
        key = ", ".join(f"{c}={frame[c].iloc[i]:%Y-%m-%d}" if c == "date" else f"{c}={frame[c].iloc[i]}"
                        for c in cols)
        raise DataError(f"{where}: line {lines[i]}", f"a second row for {key}",
                        "each day and campaign must appear once: export at campaign level, by day")


class FileSource(Source):
    """A CSV, Parquet or Excel export, read through a preset or a column mapping."""

    type: Literal["file"]
    path: str = Field(description="The export, relative to the project root (.csv, .parquet, .xlsx)")
    preset: Literal["google_ads", "meta_ads", "ga4_export"] | None = Field(
        None, description="Mapping for a known export; keys below override it")
    columns: dict[str, str] = Field(default_factory=dict, description="Rename: export column -> "
                                    "fact column (date, channel, campaign, sessions, cost, ...)")
    date_format: str | None = Field(None, description="strftime format, e.g. '%d-%m-%Y'; default: "
                                    "ISO or the preset's")
    dayfirst: bool = Field(False, description="Read ambiguous dates as day first (31/08/2023)")
    thousands: str | None = Field(None, description="Thousands separator in numbers, e.g. ','")
    decimal: str = Field(".", description="Decimal mark in numbers: '.' or ','")
    skip_rows: int | None = Field(None, ge=0, description="Lines before the header; default: "
                                  "found by looking for the date column")
    sheet: str | int = Field(0, description="Excel sheet name or index")
    channel: str | None = Field(None, description="Channel for every row when the file has none")
    source_name: str | None = Field(None, description="Value of the 'source' column; default: "
                                    "the preset name, else 'file'")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        path = resolve_path(self.path)
        facts = read_export(path, self, cfg.currency, latest_allowed(cfg))
        label = {"google_ads": "Google Ads export", "meta_ads": "Meta Ads export",
                 "ga4_export": "GA4 export"}.get(self.preset, "file")
        return SourceData(facts, None, origin=f"{label} {path.name}")
