"""How long the client reads: the main part's words and A4 pages per demo report (issue 18).

    .venv/bin/python benchmarks/reading.py                 # renders the demo into a temp folder
    .venv/bin/python benchmarks/reading.py reports/2026-10 # measures an existing folder

The main part is the page up to the appendix heading (``id="Appendix"``; the whole page when
the report has no appendix, as with ``layout: full``). Words are the visible text of the page's
``<main>`` up to there (the report's words, not its markup; a token with no letter or digit,
such as an arrow, is not a word); pages are the A4 pages Chromium prints
for a copy of the page cut at the appendix. Prints per report: words, minutes at 230 words a
minute, pages, then whether each stays within its budget (the ratio to the budget in brackets).
Exits 1 when a report is over a budget.
"""

from __future__ import annotations

import re
import sys
import tempfile
from html import unescape
from pathlib import Path

from reportkit.deliver.pdf import write_pdf

WORDS_BUDGET = 1000     # about four minutes at 230 words a minute (the aim, two minutes, is not met yet)
PAGES_BUDGET = 4        # A4 pages of the main part
WORDS_PER_MINUTE = 230
APPENDIX = re.compile(r'<h2 id="Appendix"')


def main_part(html: str) -> str:
    """The page cut before the appendix heading (closed again so it still prints)."""
    found = APPENDIX.search(html)
    return html if not found else html[:found.start()] + "</main></body></html>"


def words(html: str) -> int:
    body = html.split("<main>", 1)[-1].split("</main>", 1)[0]
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<img\b[^>]*>', " ", body)            # an image's data: URI and alt are no text to read
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    return sum(1 for token in re.findall(r"\S+", text) if re.search(r"\w", token))   # not "▲" or "·"


def pages(html: str, scratch: Path, name: str) -> int:
    from pypdf import PdfReader
    page = scratch / f"{name}.main.html"
    page.write_text(html, encoding="utf-8")
    pdf = write_pdf(page, scratch / f"{name}.main.pdf", name=name)
    return len(PdfReader(str(pdf)).pages)


def measure(folder: Path) -> int:
    over = 0
    print(f"{'report':<16} {'words':>6} {'minutes':>7} {'pages':>5}  budgets: words <= {WORDS_BUDGET}, "
          f"pages <= {PAGES_BUDGET}")
    with tempfile.TemporaryDirectory() as scratch:
        for html_path in sorted(folder.glob("*.html")):
            if html_path.name == "index.html":
                continue
            part = main_part(html_path.read_text(encoding="utf-8"))
            n, p = words(part), pages(part, Path(scratch), html_path.stem)
            ok = n <= WORDS_BUDGET and p <= PAGES_BUDGET
            over += not ok
            print(f"{html_path.stem:<16} {n:>6} {n / WORDS_PER_MINUTE:>7.1f} {p:>5}  "
                  f"{'ok' if ok else 'OVER'} (words {n / WORDS_BUDGET:.2f}, pages {p / PAGES_BUDGET:.2f} of budget)")
    print(f"over budget: {over}")
    return 1 if over else 0


def main() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from report_size import on_demo_or_folder   # the demo, or the folder named
    return on_demo_or_folder(measure)


if __name__ == "__main__":
    sys.exit(main())
