"""How long the client reads: the main part's words and A4 pages per demo report (issue 18).

    .venv/bin/python benchmarks/reading.py                 # renders the demo into a temp folder
    .venv/bin/python benchmarks/reading.py reports/2026-10 # measures an existing folder

The main part is the page up to the appendix heading (``id="Appendix"``; the whole page when
the report has no appendix, as with ``layout: full``). Words are the visible text of the page's
``<main>`` up to there (the report's words, not its markup; a token with no letter or digit,
such as an arrow, is not a word); pages are the A4 pages Chromium prints
for a copy of the page cut at the appendix. *Prose* is the part of those words in sentences: not
in a table, the KPI cards or the goal chips, which a reader scans rather than reads. Prints per
report: words, minutes at 230 words a minute, prose words and their minutes, pages, then whether
each stays within its budget (the ratio to the budget in brackets).
Exits 1 when a report is over a budget.
"""

from __future__ import annotations

import re
import sys
import tempfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from reportkit.deliver.pdf import write_pdf

WORDS_BUDGET = 1000     # every word, tables and cards too: about four minutes at 230 words a minute
PROSE_BUDGET = 550      # the sentences: about two minutes and a half
PAGES_BUDGET = 4        # A4 pages of the main part
WORDS_PER_MINUTE = 230
APPENDIX = re.compile(r'<h2 id="Appendix"')
SCANNED = ("rk-cards", "rk-chips")       # classes of the blocks read at a glance, like tables
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def main_part(html: str) -> str:
    """The page cut before the appendix heading (closed again so it still prints)."""
    found = APPENDIX.search(html)
    return html if not found else html[:found.start()] + "</main></body></html>"


def _body(html: str) -> str:
    body = html.split("<main>", 1)[-1].split("</main>", 1)[0]
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r'<img\b[^>]*>', " ", body)            # an image's data: URI and alt are no text to read


def _count(text: str) -> int:
    return sum(1 for token in re.findall(r"\S+", text) if re.search(r"\w", token))   # not "▲" or "·"


def words(html: str) -> int:
    return _count(unescape(re.sub(r"<[^>]+>", " ", _body(html))))


class _Prose(HTMLParser):
    """Collects the text outside tables and the :data:`SCANNED` blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []      # per open element: is it (or an ancestor) scanned?
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        scanned = tag == "table" or any(c in SCANNED for c in classes)
        self.stack.append(scanned or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def prose_words(html: str) -> int:
    """The words of :func:`words` that are in sentences: not in a table, card or chip."""
    parser = _Prose()
    parser.feed(re.sub(r"<[^>]+>", lambda m: m.group() + " ", _body(html)))
    return _count(" ".join(parser.text))


def pages(html: str, scratch: Path, name: str) -> int:
    from pypdf import PdfReader
    page = scratch / f"{name}.main.html"
    page.write_text(html, encoding="utf-8")
    pdf = write_pdf(page, scratch / f"{name}.main.pdf", name=name)
    return len(PdfReader(str(pdf)).pages)


def measure(folder: Path) -> int:
    over = 0
    print(f"{'report':<16} {'words':>6} {'minutes':>7} {'prose':>6} {'minutes':>7} {'pages':>5}  "
          f"budgets: words <= {WORDS_BUDGET}, prose <= {PROSE_BUDGET}, pages <= {PAGES_BUDGET}")
    with tempfile.TemporaryDirectory() as scratch:
        for html_path in sorted(folder.glob("*.html")):
            if html_path.name == "index.html":
                continue
            part = main_part(html_path.read_text(encoding="utf-8"))
            n, prose, p = words(part), prose_words(part), pages(part, Path(scratch), html_path.stem)
            ok = n <= WORDS_BUDGET and prose <= PROSE_BUDGET and p <= PAGES_BUDGET
            over += not ok
            print(f"{html_path.stem:<16} {n:>6} {n / WORDS_PER_MINUTE:>7.1f} {prose:>6} "
                  f"{prose / WORDS_PER_MINUTE:>7.1f} {p:>5}  "
                  f"{'ok' if ok else 'OVER'} (words {n / WORDS_BUDGET:.2f}, prose {prose / PROSE_BUDGET:.2f}, "
                  f"pages {p / PAGES_BUDGET:.2f} of budget)")
    print(f"over budget: {over}")
    return 1 if over else 0


def main() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from report_size import on_demo_or_folder   # the demo, or the folder named
    return on_demo_or_folder(measure)


if __name__ == "__main__":
    sys.exit(main())
