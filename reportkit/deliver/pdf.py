"""PDF of a client's HTML report, printed by headless Chromium (Debian package ``chromium``).

The HTML page is printed as it is, with the report's print stylesheet (no chart or table
split across pages); the paper size (A4 or Letter) is set by an ``@page`` rule added to a
temporary copy, so the HTML the client opens stays unchanged. Text in the PDF is real
text (selectable, searchable). Chromium runs with a fresh profile and no background
networking; the page's Content-Security-Policy forbids network loads anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reportkit.errors import InputError, RenderError
from reportkit.paths import write_atomic

PAPER = {"A4": "210mm 297mm", "Letter": "8.5in 11in"}
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions",
         "--hide-scrollbars", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")
INSTALL_HINT = ("install Chromium: `sudo apt-get install chromium` (Debian/Ubuntu), or set "
                "REPORTKIT_CHROMIUM to the path of a Chromium or Chrome executable")


class ChromiumMissing(InputError):
    """No Chromium to print with: the set-up must install it (exit status 2)."""


def find_chromium() -> str:
    """Path of the Chromium executable: $REPORTKIT_CHROMIUM, else the first one on the system."""
    configured = os.environ.get("REPORTKIT_CHROMIUM")
    if configured:
        if shutil.which(configured):
            return shutil.which(configured)
        raise ChromiumMissing(f"REPORTKIT_CHROMIUM={configured}", "no executable at that path", INSTALL_HINT)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing("PDF export", "Chromium was not found (PDF reports are printed with headless Chromium)",
                          INSTALL_HINT)


def _print_copy(html: str, paper: str) -> str:
    """The page with the paper size set; inserted last in <head> so it wins over the stylesheet."""
    rule = f"<style>@page {{ size: {PAPER[paper]}; }}</style>"
    return html.replace("</head>", rule + "</head>", 1) if "</head>" in html else rule + html


def write_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, paper: str = "A4",
              timeout_s: float = 120, name: str | None = None) -> Path:
    """Print ``html_path`` to ``pdf_path`` (A4 or Letter); replaces an earlier PDF only on success."""
    if paper not in PAPER:
        raise InputError("key 'pdf.paper'", f"unknown paper size {paper!r}", "use A4 or Letter")
    browser = find_chromium()
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    name = name or html_path.stem  # who the errors name (the HTML may have a staged name)
    with tempfile.TemporaryDirectory(prefix="reportkit-pdf-") as scratch:
        page = Path(scratch) / "page.html"
        page.write_text(_print_copy(html_path.read_text(encoding="utf-8"), paper), encoding="utf-8")
        out = Path(scratch) / "page.pdf"
        command = [browser, *FLAGS, f"--user-data-dir={Path(scratch) / 'profile'}",
                   f"--print-to-pdf={out}", page.as_uri()]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RenderError(name, f"Chromium did not finish printing the PDF in {timeout_s:.0f} s") from None
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            raise RenderError(name, f"Chromium could not print the PDF (exit {proc.returncode}): "
                                              + " | ".join(tail))
        write_atomic(pdf_path, lambda tmp: shutil.copyfile(out, tmp))
    return pdf_path
