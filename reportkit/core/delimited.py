"""Delimited text files as spreadsheets write them: the encoding and the separator.

One home for both, used by every reader of CSV (the fact exports, the canonical fact CSV
and the work files): a spreadsheet in a European locale writes ``;``, "CSV for Excel"
downloads are UTF-16 with tabs, older tools write cp1252.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

SEPARATORS = (",", ";", "\t")
SAMPLE_LINES = 30


def read_text(path: Path) -> str:
    """The file's text: UTF-16 when it starts with a byte-order mark, else UTF-8, else cp1252."""
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):   # Google Ads "CSV for Excel": UTF-16, tabs
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def separator(text: str) -> str:
    """``,``, ``;`` or a tab: the one that splits the first lines into the same number
    (above one) of cells most often. Quotes are respected, so ``"1,5";"2,3"`` is
    ``;``-separated; ties go to the comma."""
    lines = [line for line in text.splitlines()[:SAMPLE_LINES * 2]
             if line.strip() and not line.startswith("#")][:SAMPLE_LINES]
    best, best_score = ",", (0, 0)
    for sep in SEPARATORS:
        widths = []
        try:
            for cells in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep):
                widths.append(len(cells))
        except csv.Error:  # a cell over the csv limit or a NUL: the reader names its line later
            pass
        common = Counter(w for w in widths if w > 1).most_common(1)
        if not common:
            continue
        width, count = common[0]
        score = (count, width)
        if score > best_score:
            best, best_score = sep, score
    return best
