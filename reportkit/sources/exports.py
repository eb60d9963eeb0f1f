"""Exports as they come: CSV (any encoding and separator), Excel and Parquet.

``{type: file, path: ..., preset: google_ads | meta_ads | ga4_export | search_console}`` or a
generic mapping (``columns``, ``date_format``/``dayfirst``, ``thousands``, ``decimal``,
``skip_rows``, ``channel``). Header lines before the table are skipped (found by looking
for the date column), '#' comment lines and total rows are dropped
(:mod:`reportkit.sources.export_rows`), numbers lose their currency symbols and thousands
separators, "12.5%" becomes 0.125, and "--" means empty. Dates are read in one format per
column, never guessed (:mod:`reportkit.sources.export_dates`). Rows finer than a day x
campaign are summed to it. A mapped column that is not in the file, or two columns for one
fact column, are errors. Errors name the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from reportkit.core.i18n import _
from reportkit.core.delimited import read_text, separator
from reportkit.paths import resolve_path
from reportkit.errors import DataError
from reportkit.core.facts import normalize
from reportkit.sources.checks import check_no_future, latest_allowed
from reportkit.sources.export_dates import read_dates
from reportkit.sources.export_rows import is_total, sum_to_grain, total_note
from reportkit.sources.registry import Source, SourceData
from reportkit.sources.presets import GENERIC, PRESETS, Preset
from reportkit.core.lazy import lazy

pd = lazy("pandas")

KEYS = ("date", "channel", "campaign")
TEXT_COLUMNS = KEYS + ("campaign_type", "currency_code", "source")
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet")
EMPTY = {"", "--", "-", "—", "n/a", "N/A", "nan", "None"}
SYMBOLS_RE = re.compile(r"[€$£¥\s\u00a0]|\b[A-Z]{3}\b")
NOT_DAILY = {"week": "week", "month": "month", "quarter": "quarter", "year": "year",
             "day of week": "day of the week", "week (mon - sun)": "week", "week (sun - sat)": "week"}


def _norm(name) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().lower()


@dataclass
class ExportTable:
    """What was read from one export, before the values are parsed."""

    frame: pd.DataFrame                  # the mapped columns, named as fact columns
    names: dict[str, str]                # fact column -> export column
    lines: list[int]                     # the file line of each row
    header: list[str] = field(default_factory=list)   # every export column
    raw: list[tuple] = field(default_factory=list)    # every cell of each row
    used: set[int] = field(default_factory=set)       # indices of the mapped columns
    totals: list[int] = field(default_factory=list)   # lines of total rows skipped

    def ignored(self) -> list[str]:
        return [str(h) for i, h in enumerate(self.header)
                if i not in self.used and h is not None and str(h).strip()]


def _sheet(path: Path, src, preset: Preset, where: str):
    """The sheet to read: the params' ``sheet``, else the preset's (Search Console: Dates or
    Chart), else the first."""
    if src.sheet is not None:
        return src.sheet
    if not preset.sheets:
        return 0
    names = pd.ExcelFile(path).sheet_names
    for wanted in preset.sheets:
        match = next((n for n in names if _norm(n) == _norm(wanted)), None)
        if match is not None:
            return match
    raise DataError(where, f"no sheet named {' or '.join(repr(s) for s in preset.sheets)} "
                    f"(sheets: {', '.join(names)})", "set sheet: to the sheet with one row per day")


def _read_rows(path: Path, src, preset: Preset, where: str) -> list[tuple[int, list]]:
    """(line number, cells) for every line of a CSV or the sheet of a workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = pd.read_excel(path, sheet_name=_sheet(path, src, preset, where), header=None,
                              dtype=object)
        return [(i + 1, [None if pd.isna(v) else v for v in r]) for i, r in
                enumerate(table.itertuples(index=False))]
    text = read_text(path)
    rows, reader = [], csv.reader(io.StringIO(text), delimiter=separator(text))
    try:
        for cells in reader:
            rows.append((reader.line_num, cells))
    except csv.Error as error:  # a field over the csv module's limit, a stray NUL
        raise DataError(f"{path}: line {reader.line_num + 1}", f"cannot be read as CSV: {error}",
                        "export the file again; a cell this large or with a NUL byte is a broken export") from None
    return rows


def _lookup(table: dict[str, str], key: str) -> str | None:
    target = table.get(key)
    if target is None:
        target = next((v for k, v in table.items() if k.endswith("(*)")
                       and re.fullmatch(re.escape(k[:-3]) + r"\(.+\)", key)), None)
    return target


def _match(header: list, preset: Preset, columns: dict[str, str]):
    """({column index: (fact column, export column)}, [conflicts]) for the columns the
    mapping knows. The params' ``columns`` win over the preset's; two export columns for
    one fact column from the same mapping are a conflict: (fact column, [export columns])."""
    found: dict[int, tuple[str, str]] = {}
    conflicts = []
    for mine_is, layer in (("columns", {_norm(k): v for k, v in columns.items()}),
                           ("preset", {_norm(k): v for k, v in preset.columns.items()})):
        taken = {t for t, _ in found.values()}
        mine: dict[str, list[int]] = {}
        for i, name in enumerate(header):
            target = None if i in found or name is None else _lookup(layer, _norm(name))
            if target is not None and target not in taken:
                mine.setdefault(target, []).append(i)
        for target, where in mine.items():
            if len(where) > 1:
                conflicts.append((target, [str(header[i]) for i in where], mine_is))
            found[where[0]] = (target, str(header[where[0]]))
    fallback = {_norm(k): v for k, v in preset.alternatives.items()}
    for i, name in enumerate(header):
        target = fallback.get(_norm(name))
        if target and i not in found and target not in {t for t, _ in found.values()}:
            found[i] = (target, str(name))
    return dict(sorted(found.items())), conflicts


def _widest(rows) -> list:
    """The line most likely to be the header: the widest of the first lines."""
    first = [cells for _, cells in rows[:30] if cells and not str(cells[0]).startswith("#")]
    return max(first, key=lambda c: sum(1 for v in c if v not in (None, "")), default=[])


def _columns_list(cells) -> str:
    return ", ".join(repr(str(c)) for c in cells if c not in (None, "")) or "none"


def _locate_header(rows, preset: Preset, columns: dict, skip_rows: int | None, where: str):
    candidates = rows if skip_rows is None else [r for r in rows if r[0] > skip_rows][:1]
    for line, cells in candidates:
        if cells and str(cells[0]).startswith("#"):
            continue
        found, conflicts = _match(cells, preset, columns)
        if "date" in {t for t, _ in found.values()}:
            for target, names, layer in conflicts:
                raise DataError(f"{where}: line {line}", f"columns {' and '.join(repr(n) for n in names)} "
                                f"are both mapped to {target}" + (" by the preset" if layer == "preset" else ""),
                                f"say which one counts: columns: {{'{names[0]}': {target}}}" if layer == "preset"
                                else f"keep one of them under columns: (remove '{names[1]}: {target}')")
            present = {_norm(c) for c in cells if c is not None}
            for name in columns:
                if not any(_lookup({_norm(name): "x"}, p) for p in present):
                    raise DataError(f"{where}: line {line}", f"the mapped column {name!r} is not in the "
                                    f"file; its columns are: {_columns_list(cells)}",
                                    "correct the name under columns: (case and spaces do not matter), "
                                    "or remove the mapping")
            start = rows.index((line, cells)) + 1
            return line, cells, found, rows[start:]
    widest = _widest(rows)
    period = next((NOT_DAILY[_norm(c)] for c in widest if c is not None and _norm(c) in NOT_DAILY), None)
    if period and preset is not GENERIC:   # a platform's export by week: say how to get days
        raise DataError(where, f"the export has one row per {period}, not per day",
                        f"export it again by day: {preset.hint}")
    mapped = [k for k, v in columns.items() if v == "date"]
    if mapped:
        raise DataError(where, f"the mapped date column {mapped[0]!r} is not in the file; the columns "
                        f"are: {_columns_list(widest)}", "correct the name under columns: (case and "
                        "spaces do not matter)")
    names = [k for k, v in {**preset.columns, **preset.alternatives}.items() if v == "date"]
    looked = f" (looked for {', '.join(repr(n) for n in names)})" if names else ""
    raise DataError(where, f"no header line with a date column found{looked}; the columns are: "
                    f"{_columns_list(widest)}",
                    preset.hint if names and not columns else
                    "map the date column, e.g. columns: {Datum: date}")


def _table(path: Path, src, preset: Preset, where: str) -> ExportTable:
    """The mapped table of one export, with every cell kept (see :class:`ExportTable`)."""
    if path.suffix.lower() == ".parquet":
        raw = pd.read_parquet(path)
        found, _ = _match(list(raw.columns), preset, src.columns)
        frame = raw.iloc[:, list(found)].copy()
        frame.columns = [t for t, _ in found.values()]
        return ExportTable(frame, {t: n for t, n in found.values()}, list(range(2, len(raw) + 2)),
                           [str(c) for c in raw.columns], list(raw.itertuples(index=False, name=None)),
                           set(found))
    rows = _read_rows(path, src, preset, where)
    _, header, found, body = _locate_header(rows, preset, src.columns, src.skip_rows, where)
    date_index = next(i for i, (t, _) in found.items() if t == "date")
    table = ExportTable(pd.DataFrame(), {t: n for t, n in found.values()}, [], list(header),
                        used=set(found))
    data = []
    for line, cells in body:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            if data:
                break          # a blank line ends the table (GA4 appends other tables after it)
            continue
        if str(cells[0]).startswith("#"):
            continue
        if is_total(cells, date_index):
            table.totals.append(line)
            continue
        data.append([cells[i] if i < len(cells) else None for i in found])
        table.raw.append(tuple(cells))
        table.lines.append(line)
    table.frame = pd.DataFrame(data, columns=[t for t, _ in found.values()], dtype=object)
    return table

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


@dataclass
class Export:
    """One export read into the fact table, and what the reading did."""

    facts: pd.DataFrame
    notes: list[dict]                    # data notes: total rows skipped, rows summed
    used: dict[str, str]                 # export column -> fact column
    ignored: list[str]                   # export columns the mapping does not use


def read_export(path: Path, src, currency: str | None = None, latest=None) -> pd.DataFrame:
    """A canonical fact frame from one export (see the module docstring)."""
    return read(path, src, currency, latest).facts


def read(path: Path, src, currency: str | None = None, latest=None) -> Export:
    """One export as facts, with its data notes and the columns used and ignored."""
    where = str(path)
    if not path.is_file():
        raise DataError(where, "data file not found", "check source.path in the params file")
    if path.suffix.lower() not in SUFFIXES:
        raise DataError(where, f"cannot read {path.suffix or 'files without an extension'}",
                        "save it as .csv, .xlsx or .parquet")
    preset = PRESETS.get(src.preset, GENERIC)
    table = _table(path, src, preset, where)
    frame, names, lines = table.frame, table.names, table.lines
    missing = [c for c in preset.required if c not in frame.columns]
    if missing:
        raise DataError(where, f"no column for {', '.join(missing)}; the columns are: "
                        f"{_columns_list(table.header)}",
                        preset.hint or "map it with columns: {export name: fact name}")
    fmt = src.date_format or preset.date_format
    frame["date"] = read_dates(frame["date"], fmt, src.dayfirst, where, lines, names["date"])
    if "date_end" in frame.columns:   # Meta without a Day breakdown: one row per whole range
        ends = read_dates(frame.pop("date_end"), fmt, src.dayfirst, where, lines, names["date_end"])
        if names["date"] != "Day" and (ends != frame["date"]).any():
            _fail(where, lines, ends != frame["date"], names["date"],
                  lambda i: "rows cover several days; daily rows are needed", preset.hint)
    for col in [c for c in frame.columns if c not in TEXT_COLUMNS]:
        values, bad = parse_numbers(frame[col], src.thousands or preset.thousands, src.decimal)
        if bad.any():
            _fail(where, lines, bad, names[col], lambda i: f"{frame[col].iloc[i]!r} is not a number",
                  "correct the cell; if numbers are written like 1.234,50 set thousands: \".\" and decimal: \",\"")
        negative = values < 0
        if negative.any():
            _fail(where, lines, negative, names[col], lambda i: f"negative value {values.iloc[i]}",
                  f"{col} cannot be negative; correct the export")
        frame[col] = values
    frame = _position_sum(frame, names, where)
    if latest is not None:
        check_no_future(frame, latest, where, lines)
    _check_currency(frame, names, currency, where, lines)
    frame = _channels(frame, src, preset)
    if src.source_name or "source" not in frame.columns:
        frame["source"] = src.source_name or preset.name
    frame = frame.drop(columns=[c for c in ("campaign_type", "currency_code") if c in frame.columns])
    notes = [total_note(path.name, table.totals)] if table.totals else []
    frame, summed = sum_to_grain(frame, table.raw, lines, table.header, table.used, src.sum_rows,
                                 where, path.name, preset.hint)
    notes += [summed] if summed else []
    facts = normalize(frame, where, default_source=frame["source"].iloc[0] if len(frame) else "file")
    return Export(facts, notes, {n: t for t, n in names.items()}, table.ignored())


def _position_sum(frame: pd.DataFrame, names: dict, where: str) -> pd.DataFrame:
    """Search Console's average position per row becomes position x impressions, so that the
    average position of any group is a ratio of sums (core.measures, position_sum)."""
    if "position" not in frame.columns:
        return frame
    if "organic_impressions" not in frame.columns:
        raise DataError(f"{where}: column '{names['position']}'", "an average position needs the "
                        "impressions it averages over", "map the impressions column to organic_impressions")
    frame["position_sum"] = frame.pop("position") * frame["organic_impressions"]
    return frame


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


class FileSource(Source):
    """A CSV, Parquet or Excel export, read through a preset or a column mapping."""

    type: Literal["file"]
    path: str = Field(description="The export, relative to the project root (.csv, .parquet, .xlsx)")
    preset: Literal["google_ads", "meta_ads", "ga4_export", "search_console"] | None = Field(
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
    sheet: str | int | None = Field(None, description="Excel sheet name or index; default: the "
                                    "preset's (search_console: Dates, or Chart), else the first")
    channel: str | None = Field(None, description="Channel for every row when the file has none")
    source_name: str | None = Field(None, description="Value of the 'source' column; default: "
                                    "the preset name, else 'file'")
    sum_rows: bool = Field(True, description="Rows that share a date and campaign (an export per "
                           "ad, age, gender, placement or device) are summed, with a data note; "
                           "false: such rows are an error")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        path = resolve_path(self.path)
        export = read(path, self, cfg.currency, latest_allowed(cfg))
        label = _(PRESETS[self.preset].label) if self.preset else _("file")
        used = ", ".join(f"{n} → {t}" for n, t in export.used.items())
        return SourceData(export.facts, None, origin=_("{source} {file}").format(source=label, file=path.name), findings=export.notes,
                          columns=[f"{path.name}: used {used}; ignored: "
                                   f"{', '.join(export.ignored) or 'none'}"])
