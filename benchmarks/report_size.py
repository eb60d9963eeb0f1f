"""Size of the client-ready outputs against the budget (issue 7: < 400 KB per demo report).

    .venv/bin/python benchmarks/report_size.py            # renders the demo (with PDFs) into a temp folder
    .venv/bin/python benchmarks/report_size.py reports/2026-10   # measures an existing folder

Prints, per report: HTML bytes, of which embedded images (the logo and the SVG charts) and
the stylesheet, the number of charts and their bytes, the PDF's bytes and pages, and the
time to print it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportkit.present.page import STYLESHEET
from reportkit.deliver.pdf import write_pdf

BUDGET = 400_000


def measure(folder: Path) -> int:
    over = 0
    print(f"{'report':<16} {'html':>9} {'images':>9} {'css':>7} {'charts':>6} {'chart bytes':>11} {'pdf':>9} {'pages':>5} {'print s':>7}")
    for html_path in sorted(folder.glob("*.html")):
        if html_path.name == "index.html":
            continue
        html = html_path.read_text(encoding="utf-8")
        images = re.findall(r'src="data:image/([a-z+]+);base64,([^"]+)"', html)
        image_bytes = sum(len(b) for _, b in images)
        charts = re.findall(r'<div class="output_svg output_subarea rk-chart">\s*(?:<picture><source [^>]*>\s*)?<img [^>]*'
                            r'src="data:image/svg\+xml;base64,([^"]+)"', html)
        pdf_path = html_path.with_suffix(".pdf")
        started = time.perf_counter()
        write_pdf(html_path, pdf_path)
        took = time.perf_counter() - started
        from pypdf import PdfReader
        pages = len(PdfReader(str(pdf_path)).pages)
        size = len(html.encode())
        over += size >= BUDGET
        print(f"{html_path.stem:<16} {size:>9,} {image_bytes:>9,} {STYLESHEET.stat().st_size:>7,} "
              f"{len(charts):>6} {sum(map(len, charts)):>11,} {pdf_path.stat().st_size:>9,} {pages:>5} {took:>7.1f}")
    index = folder / "index.html"
    if index.exists():
        print(f"{'index (overview)':<16} {index.stat().st_size:>9,}")
    print(f"budget: < {BUDGET:,} bytes per report; over budget: {over}")
    return over


def on_demo_or_folder(measure) -> int:
    """``measure`` the reports folder named on the command line, else the demo rendered into a
    temporary folder (the benchmarks that read rendered reports share this)."""
    if len(sys.argv) > 1:
        return measure(Path(sys.argv[1]))
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "reportkit.cli", "demo", "--out", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return measure(Path(out) / "2026-10")


def main() -> int:
    return on_demo_or_folder(measure)


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
