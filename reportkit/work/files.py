"""Reading the four work inputs (work log, plan, action items, communication log).

Each input is a CSV file (one header row; separated by ``,``, ``;`` or tabs) or a YAML file (a list of mappings), chosen by
the file's extension. Every row is validated; the first problem raises a
:class:`~reportkit.errors.DataError` naming the file, the row and the column, what is
wrong and how to fix it. Rows are numbered from 1 (the first data row); for CSV the
line in the file is given too, for editors that show line numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable, Iterable

from reportkit.config import load_yaml
from reportkit.config.load import BAD_CHARS
from reportkit.core.delimited import separator
from reportkit.errors import DataError

DATE_FIX = "write dates as YYYY-MM-DD, e.g. 2026-10-14"
CHANNELS = {"call": "call", "phone": "call", "email": "email", "e-mail": "email",
            "meeting": "meeting", "chat": "chat"}


# --- records ------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkItem:
    """One line of the work log: what we did on a day, for which goal, with what result."""

    date: date
    task: str
    hours: float
    goal: str | None = None          # goal id, or None for work outside the goals
    importance: str | None = None    # "A" (skipping it would hurt) or "B" (minor); non-goal work
    deliverable: str | None = None
    link: str | None = None          # http(s) only
    result: str | None = None


@dataclass(frozen=True)
class PlanItem:
    """One task planned for the next period."""

    task: str
    owner: str                       # "us" or "client"
    due: date
    deliverable: str | None = None
    goal: str | None = None


@dataclass(frozen=True)
class ActionItem:
    """Something we need from the client."""

    item: str
    due: date
    status: str = "open"             # "open" or "done"
    why: str | None = None


@dataclass(frozen=True)
class Contact:
    """One interaction with the client (call, e-mail, meeting, chat)."""

    date: date
    channel: str
    summary: str
    time: time | None = None
    participants: str | None = None
    decisions: tuple[str, ...] = ()
    issue: str | None = None
    resolution: str | None = None
    resolved_on: date | None = None
    follow_up: date | None = None


# --- the row reader -----------------------------------------------------------------
@dataclass
class Row:
    """One input row with its location, and typed getters that fail with a clear error."""

    path: Path
    number: int                       # 1 = first data row
    values: dict[str, Any]
    line: int | None = None           # CSV only

    def where(self, column: str) -> str:
        line = f" (line {self.line})" if self.line else ""
        return f"{self.path}: row {self.number}{line}, column '{column}'"

    def fail(self, column: str, problem: str, fix: str) -> DataError:
        return DataError(self.where(column), problem, fix)

    def raw(self, column: str):
        value = self.values.get(column)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def text(self, column: str, required: bool = False, fix: str = "") -> str | None:
        value = self.raw(column)
        if value is None:
            if required:
                raise self.fail(column, f"missing {column}", fix or f"fill in the {column}, or delete the row")
            return None
        if isinstance(value, (list, dict)):
            raise self.fail(column, f"{column} must be plain text", "write it as one line of text")
        return self.clean(column, str(value))

    def clean(self, column: str, text: str) -> str:
        """``text``, refused when it holds a control character (tab and newline aside) or a bidi
        override: on the page they break chart SVGs or reverse the figures around them."""
        bad = BAD_CHARS.search(text)
        if bad:
            raise self.fail(column, f"{text[:80]!r} contains the control character U+{ord(bad.group()):04X} "
                            f"at position {bad.start() + 1}",
                            "remove it (retype the text in a plain editor; a spreadsheet cell may hold a "
                            "line break typed as a vertical tab)")
        return text

    def date(self, column: str, required: bool = False) -> date | None:
        value = self.raw(column)
        if value is None:
            if required:
                raise self.fail(column, f"missing {column} date", DATE_FIX)
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(column, f"{str(value)!r} is not a date", DATE_FIX) from None

    def time(self, column: str) -> time | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, int):  # YAML 1.1 reads an unquoted 10:30 as the number 630
            raise self.fail(column, f"time was read as the number {value}",
                            'put the time in quotes, e.g. time: "10:30"')
        if not re.fullmatch(r"\d{1,2}:\d{2}", str(value)):
            raise self.fail(column, f"{str(value)!r} is not a time", "write times as HH:MM, e.g. 14:30")
        try:
            return time.fromisoformat(str(value).zfill(5))
        except ValueError:
            raise self.fail(column, f"{str(value)!r} is not a time", "write times as HH:MM, e.g. 14:30") from None

    def hours(self, column: str) -> float:
        value = self.raw(column)
        if value is None:
            raise self.fail(column, "missing hours", "write the hours worked, e.g. 2.5")
        try:
            hours = float(str(value).replace(",", ".")) if not isinstance(value, bool) else None
        except ValueError:
            hours = None
        if hours is None or hours != hours or hours in (float("inf"), float("-inf")):
            raise self.fail(column, f"hours {str(value)!r} is not a number", "write the hours worked, e.g. 2.5")
        if hours < 0:
            raise self.fail(column, f"negative hours ({value})",
                            "hours worked are 0 or more; correct the figure")
        return hours

    def choice(self, column: str, allowed: dict[str, str], required: bool = False,
               fix: str = "") -> str | None:
        value = self.raw(column)
        if value is None:
            if required:
                raise self.fail(column, f"missing {column}", fix)
            return None
        key = str(value).strip().lower()
        if key not in allowed:
            raise self.fail(column, f"{column} {str(value)!r} is not one of: {', '.join(sorted(set(allowed.values())))}",
                            fix)
        return allowed[key]

    def link(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        if not re.match(r"^https?://[^\s]+$", value, flags=re.IGNORECASE):
            raise self.fail(column, f"link {value!r} is not an http(s) address",
                            "use a web address starting with https:// (or leave the link empty)")
        return value

    def goal(self, column: str, goal_ids: set[str] | None) -> str | None:
        value = self.text(column)
        if value is None or goal_ids is None:
            return value
        if value not in goal_ids:
            known = ", ".join(sorted(goal_ids)) or "(the params file declares no goals)"
            raise self.fail(column, f"unknown goal {value!r}; known goals: {known}",
                            "use a goal id from the params file's goals, or leave it empty for "
                            "work outside the goals")
        return value

    def texts(self, column: str) -> tuple[str, ...]:
        """A list of short texts: a YAML list, or one cell separated by ';'."""
        value = self.raw(column)
        if value is None:
            return ()
        parts = value if isinstance(value, list) else str(value).split(";")
        return tuple(self.clean(column, str(p).strip()) for p in parts if p is not None and str(p).strip())


def read_rows(path: str | Path, columns: Iterable[str], what: str) -> list[Row]:
    """The rows of a CSV or YAML input, with unknown columns refused (typos are errors)."""
    path = Path(path)
    columns = list(columns)
    if not path.is_file():
        raise DataError(str(path), f"{what} file not found",
                        "check the path under work: in the params file (relative to the project root), "
                        "or remove the key")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".yaml", ".yml"):
        rows = _read_yaml(path, what)
    else:
        raise DataError(str(path), f"unsupported file type {suffix or '(none)'!r}",
                        "use a .csv or .yaml file")
    for row in rows:
        unknown = [c for c in row.values if c not in columns]
        if unknown:
            fix = f"correct its spelling or remove it; known columns: {', '.join(columns)}"
            if ";" in str(unknown[0]):  # a spreadsheet in a European locale exports ';'-separated CSV
                fix = "save the file as comma-separated CSV (this one is separated by ';')"
            raise row.fail(str(unknown[0]), "unknown column", fix)
    return rows


def _read_csv(path: Path) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(str(path), "is not UTF-8 text", "save the file again as UTF-8 CSV") from None
    # rows end at line breaks only: str.splitlines() would also split at a vertical tab, form
    # feed or U+2028 inside a cell and so number every later row wrongly
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text))
    header = next(reader, None)
    if not header:
        return []
    header = [h.strip() for h in header]
    rows = []
    for number, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            extra = Row(path, number, {}, line=reader.line_num)
            raise extra.fail(f"#{len(header) + 1}", f"{len(cells)} cells for {len(header)} columns",
                             "quote texts that contain commas, e.g. \"Fixed tags, feeds\"")
        rows.append(Row(path, number, dict(zip(header, cells)), line=reader.line_num))
    return rows


def _read_yaml(path: Path, what: str) -> list[Row]:
    data = load_yaml(path, DataError)
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataError(str(path), f"the {what} must be a YAML list of entries",
                        "start each entry with '- ', e.g. '- date: 2026-10-14'")
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise DataError(f"{path}: row {number}", "entry is not a mapping of column: value",
                            "write each entry as '- column: value' lines")
        rows.append(Row(path, number, {str(k): v for k, v in item.items()}))
    return rows


# --- the four loaders -----------------------------------------------------------------
WORK_COLUMNS = ("date", "task", "hours", "goal", "importance", "deliverable", "link", "result")
PLAN_COLUMNS = ("task", "owner", "due", "deliverable", "goal")
ACTION_COLUMNS = ("item", "why", "due", "status")
CONTACT_COLUMNS = ("date", "time", "channel", "participants", "summary", "decisions", "issue",
                   "resolution", "resolved_on", "follow_up")

IMPORTANCE = {"a": "A", "b": "B"}
OWNERS = {"us": "us", "we": "us", "client": "client", "you": "client"}
STATUSES = {"open": "open", "done": "done"}


def _load(path, columns, what, parse: Callable[[Row], Any]) -> list:
    return [parse(row) for row in read_rows(path, columns, what)]


def load_work_log(path: str | Path, goal_ids: set[str] | None = None) -> list[WorkItem]:
    """The work log. ``goal_ids`` None skips the goal check (the params declare no goals)."""
    def parse(row: Row) -> WorkItem:
        goal = row.goal("goal", goal_ids)
        importance = row.choice("importance", IMPORTANCE,
                                fix="A: skipping it would hurt; B: minor work")
        if goal is None and importance is None:
            raise row.fail("importance", "work outside the goals needs an importance",
                           "set importance to A (skipping it would hurt) or B (minor), "
                           "or name the goal it serves")
        return WorkItem(date=row.date("date", required=True),
                        task=row.text("task", required=True,
                                      fix="describe the task in a few words, or delete the row"),
                        hours=row.hours("hours"), goal=goal, importance=importance,
                        deliverable=row.text("deliverable"), link=row.link("link"),
                        result=row.text("result"))
    return _load(path, WORK_COLUMNS, "work log", parse)


def load_plan(path: str | Path, goal_ids: set[str] | None = None) -> list[PlanItem]:
    def parse(row: Row) -> PlanItem:
        return PlanItem(task=row.text("task", required=True,
                                      fix="describe the task in a few words, or delete the row"),
                        owner=row.choice("owner", OWNERS, required=True,
                                         fix="write us (our team) or client"),
                        due=row.date("due", required=True),
                        deliverable=row.text("deliverable"), goal=row.goal("goal", goal_ids))
    return _load(path, PLAN_COLUMNS, "plan", parse)


def load_action_items(path: str | Path) -> list[ActionItem]:
    def parse(row: Row) -> ActionItem:
        return ActionItem(item=row.text("item", required=True,
                                        fix="write what we need from the client, or delete the row"),
                          due=row.date("due", required=True),
                          status=row.choice("status", STATUSES, fix="write open or done") or "open",
                          why=row.text("why"))
    return _load(path, ACTION_COLUMNS, "action items", parse)


def load_communication(path: str | Path) -> list[Contact]:
    def parse(row: Row) -> Contact:
        contact = Contact(date=row.date("date", required=True),
                          channel=row.choice("channel", CHANNELS, required=True,
                                             fix="write call, email, meeting or chat"),
                          summary=row.text("summary", required=True,
                                           fix="write one line on what was discussed"),
                          time=row.time("time"), participants=row.text("participants"),
                          decisions=row.texts("decisions"), issue=row.text("issue"),
                          resolution=row.text("resolution"), resolved_on=row.date("resolved_on"),
                          follow_up=row.date("follow_up"))
        if contact.resolved_on and not contact.issue:
            raise row.fail("resolved_on", "a resolution date without an issue",
                           "describe the issue in the issue column, or clear resolved_on")
        if contact.resolved_on and contact.resolved_on < contact.date:
            raise row.fail("resolved_on", f"resolved on {contact.resolved_on} before it was raised "
                           f"on {contact.date}", "correct the date")
        return contact
    return _load(path, CONTACT_COLUMNS, "communication log", parse)
