"""The client's view: demo reports, the agency overview and the PDFs, checked in a real
headless Chromium (Playwright driving /usr/bin/chromium) and read back with pypdf."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browser import VIEWPORTS, browser, open_page, require_chromium, screenshot

pytestmark = pytest.mark.slow  # reportkit demo --pdf in a subprocess, and Chromium

CLIENTS = {"acme_outdoor": "Acme Outdoor", "northwind_b2b": "Northwind Systems",
           "daily_gazette": "The Daily Gazette"}
PAGES = [*CLIENTS, "index"]
SIZE_BUDGET = 400_000  # bytes per demo report (issue 7)
A4_PT, LETTER_PT = (595, 842), (612, 792)  # 210 x 297 mm and 8.5 x 11 in at 72 pt per inch


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, root):
    """`reportkit demo --pdf`: the three demo clients with PDFs, and the overview."""
    require_chromium()
    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "demo", "--pdf", "--out", str(out)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return out / "2026-10"


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def test_demo_run_writes_every_output_within_budget(demo_run):
    for client in CLIENTS:
        for ext in ("html", "ipynb", "json", "pdf"):
            assert (demo_run / f"{client}.{ext}").is_file(), (client, ext)
        size = (demo_run / f"{client}.html").stat().st_size
        assert size < SIZE_BUDGET, f"{client}.html is {size:,} bytes"
    assert (demo_run / "index.html").is_file()


@pytest.mark.parametrize("width,height", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(demo_run, chromium, artifacts, name, width, height):
    page, log = open_page(chromium, demo_run / f"{name}.html", width, height)
    try:
        screenshot(page, artifacts, f"{name}-{width}x{height}")
        assert log.console_errors == [] and log.page_errors == []
        assert log.outside_requests() == []          # only file:// and data:
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.naturalWidth, e.alt])")
        assert images[0][1] == "Northstar Digital logo"   # the agency logo, from params
        if name != "index":
            assert len(images) >= 3                   # the logo, the trend and channel charts
        for natural_width, alt in images:
            assert natural_width > 0
            assert alt and alt != "Chart" and "No description" not in alt
        # KPI cards: whole and within the width; on a desktop all on the first screen, on a
        # phone the headline and the first row of cards (the goal chips sit between them)
        cards = page.locator(".rk-card")
        assert cards.count() >= 3
        for i in range(cards.count()):
            box = cards.nth(i).bounding_box()
            assert box and cards.nth(i).is_visible()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)
            if width >= 1000 or i < 2:
                assert box["y"] >= 0 and box["y"] + box["height"] <= height, (i, box)
        if name != "index":
            headline = page.locator(".rk-headline").bounding_box()
            assert headline and headline["y"] + headline["height"] <= height / 2
        # the page never scrolls sideways: wide tables scroll inside their own box
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the screen"
        assert page.locator("script").count() == 0
        assert "¶" not in page.inner_text("body") and "Out[" not in page.inner_text("body")
    finally:
        page.close()


def test_report_structure_and_print_rules(demo_run, chromium):
    page, log = open_page(chromium, demo_run / "acme_outdoor.html", 1280, 800)
    try:
        header = page.locator(".rk-header").inner_text()
        assert "Northstar Digital".upper() in header.upper() and "Acme Outdoor" in header
        assert "October 2026" in header
        toc = page.eval_on_selector_all(".rk-toc a", "els => els.map(e => e.getAttribute('href'))")
        assert toc == ["#Summary", "#what-we-did", "#Results", "#Why-it-moved", "#next-period",
                       "#what-we-need-from-you", "#Appendix"]
        assert page.locator("a.anchor-link").count() == 0          # no nbconvert "¶" links
        for href in toc:                      # every contents link lands on a heading
            assert page.locator(href).count() == 1
        footer = page.locator("footer").inner_text()
        assert "reportkit demo data" in footer and "data up to 20 Nov 2026" in footer and "generated" in footer
        # revenue up (11.1 % with the untracked days estimated) is green; ad spend up 12.4 % is
        # grey: spend is coloured by budget status, and acme is on budget
        # (twice each: the main part's short KPI table and the appendix's full one)
        assert page.locator('.rk-table td.chg.good[data-kpi="revenue"][data-field="change_previous"]').count() == 2
        assert page.locator('.rk-table td.chg.flat[data-kpi="cost"][data-field="change_previous"]').count() == 2
        from reportkit.present.page import CSP
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") == CSP
        # the policy is in force: an image from the network is refused before any request
        blocked = page.evaluate("""() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve(e.blockedURI));
            const img = new Image(); img.src = 'http://127.0.0.1:9/tracker.png'; document.body.append(img);
            setTimeout(() => resolve(null), 3000); })""")
        assert blocked == "http://127.0.0.1:9/tracker.png"
        page.wait_for_timeout(200)
        assert log.outside_requests() == ["http://127.0.0.1:9/tracker.png"]   # attempted, and
        assert log.failed.get("http://127.0.0.1:9/tracker.png") == "csp"                    # refused
        page.emulate_media(media="print")
        rule = page.eval_on_selector_all(
            "img, table", "els => els.map(e => getComputedStyle(e).breakInside)")
        assert rule and set(rule) == {"avoid"}
    finally:
        page.close()


def _pdf(path: Path):
    from pypdf import PdfReader
    return PdfReader(str(path))


@pytest.mark.parametrize("client", CLIENTS)
def test_pdf_is_a4_text_with_the_client_on_page_one(demo_run, client):
    reader = _pdf(demo_run / f"{client}.pdf")
    assert 2 <= len(reader.pages) <= 14, len(reader.pages)  # all ten sections with charts: 9-11 pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_PT
    first = reader.pages[0].extract_text()
    assert CLIENTS[client] in first and "Summary" in first
    assert f"Page 1 of {len(reader.pages)}" in first             # page numbers from @page
    assert "Data notes" in "".join(p.extract_text() for p in reader.pages)
    # no chart split across pages: every text of a chart (its vector SVG keeps text as text)
    # is on one page, the title as the last tick label and the legend
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    charts = _chart_texts((demo_run / f"{client}.html").read_text())
    assert len(charts) >= 2 and all(len(texts) >= 5 for texts in charts)
    for texts in charts:
        assert any(all(t in page for t in texts) for page in pages), texts


def _chart_texts(html: str) -> list[list[str]]:
    """The texts drawn in each chart of a report page (from the embedded SVGs)."""
    import base64
    from html import unescape
    found = re.findall(r'<div class="output_svg output_subarea rk-chart">\s*(?:<picture><source [^>]*>\s*)?<img [^>]*'
                       r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [[" ".join(unescape(t).split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>",
                                                              base64.b64decode(data).decode())
             if t.strip()] for data in found]


def test_hostile_names_show_as_text_letter_pdf_from_params(tmp_path, root, repo, chromium, artifacts):
    """Names from data and params are escaped: shown as text, never run (HTML, browser, PDF)."""
    params = tmp_path / "hostile.yaml"
    params.write_text(yaml.safe_dump({
        "client_id": "hostile", "client_name": "Evil <script>alert(3)</script> & Co",
        # the fixture has two days in each month: the range and its comparison cover them fully,
        # so "Why it moved" compares (a month with 2 of 31 days would be "not comparable")
        "business_model": "ecommerce", "start": "2026-10-01", "end": "2026-10-02",
        "compare": {"start": "2026-09-01", "end": "2026-09-02"}, "currency": "USD",
        "source": {"type": "csv", "path": str(repo / "tests" / "fixtures" / "hostile_names.csv")},
        "agency": {"name": "Agency <i>x</i>", "logo": str(root / "assets" / "northstar_logo.svg")}, "pdf": {"enabled": True, "paper": "Letter"}}))
    from reportkit.run.render import render_client
    result = render_client(params, out=tmp_path / "out")
    assert result.status == "ok", result.error
    html = Path(result.outputs["html"]).read_text()
    for raw in ("<script>alert", "<img src=x", "<b>more</b>", "<i>x</i>"):
        assert raw not in html
    assert "Evil &lt;script&gt;alert(3)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html          # the channel name, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; +$260.00" in html  # a campaign under "Why it moved"
    page, log = open_page(chromium, Path(result.outputs["html"]), 1280, 800)
    try:
        screenshot(page, artifacts, "hostile-names-1280x800")
        assert page.locator("script").count() == 0 and log.dialogs == []
        widths = page.eval_on_selector_all("main img", "els => els.map(e => e.naturalWidth)")
        # the logo, the trend and channel charts; no budget set: no Budget section, so no
        # cumulative-spend chart (a section without content is left out)
        assert len(widths) == 3 and min(widths) > 0
        assert page.locator("h2#Budget").count() == 0
        assert page.locator("img.rk-logo").get_attribute("alt") == "Agency <i>x</i> logo"
        text = page.inner_text("body")
        assert "Evil <script>alert(3)</script> & Co" in text
        assert "<img src=x onerror=alert(2)>" in text
        assert "Agency <i>x</i>".upper() in text.upper()
        assert log.page_errors == [] and log.outside_requests() == []
    finally:
        page.close()
    reader = _pdf(Path(result.outputs["pdf"]))          # pdf: {enabled: true, paper: Letter}
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == LETTER_PT
    assert "Evil <script>alert(3)</script> & Co" in reader.pages[0].extract_text()


def test_pdf_without_chromium_says_how_to_install_it(tmp_path, root):
    env = {**os.environ, "REPORTKIT_CHROMIUM": str(tmp_path / "no-such-chromium")}
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", "params/northwind_b2b.yaml",
                           "--pdf", "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          cwd=root, env=env)
    assert proc.returncode == 2
    assert "apt-get install chromium" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()           # stopped before any work


def test_overview_lists_every_demo_client_with_links(demo_run, chromium):
    page, log = open_page(chromium, demo_run / "index.html", 1280, 800)
    try:
        rows = page.eval_on_selector_all(
            "tbody tr", "els => els.map(e => [e.dataset.client, e.querySelector('a').getAttribute('href')])")
        assert sorted(rows) == sorted([c, f"{c}.html"] for c in CLIENTS)
        side = json.loads((demo_run / "northwind_b2b.json").read_text())
        assert side["agency"]["name"] == "Northstar Digital"
    finally:
        page.close()


# --- issue 18: nothing clipped at 390 and 1280 px, chart text, print ---------------------------

from layout_checks import CHART_TEXT_PX, CLIPPED  # noqa: E402


@pytest.mark.parametrize("width,height", VIEWPORTS)
@pytest.mark.parametrize("client", CLIENTS)
def test_no_number_is_clipped_and_chart_text_is_readable(demo_run, chromium, client, width, height):
    page, _ = open_page(chromium, demo_run / f"{client}.html", width, height)
    try:
        # every table cell inside its table's box (a scrolling box hides what sticks out),
        # every card, chip, callout and chart inside the column, nothing past the screen
        assert page.evaluate(CLIPPED) == []
        charts = page.evaluate(CHART_TEXT_PX)
        assert len(charts) >= 4
        for chart in charts:
            assert chart["px"] >= 10, chart                    # the smallest text, as drawn
            # the chart fills the column (its content box: 980 px less 2 x 24 px padding on a
            # desktop, 390 less 2 x 14 on a phone)
            column = chart["column"] - (48 if width >= 1000 else 28)
            assert chart["shown"] >= 0.95 * column, chart
    finally:
        page.close()


def test_the_stack_check_sees_a_clipped_number(chromium, tmp_path):
    """The check fails on what the reader found: a table wider than its scrolling box."""
    page_file = tmp_path / "wide.html"
    cells = "".join(f"<td>{i},000,000 €</td>" for i in range(12))
    page_file.write_text('<main style="width:362px"><div class="rk-table-wrap" style="overflow-x:auto">'
                         f'<table class="rk-table"><tr><th>KPI</th>{cells}</tr></table></div></main>')
    page, _ = open_page(chromium, page_file, 390, 844)
    try:
        assert any("table cell" in line for line in page.evaluate(CLIPPED))
    finally:
        page.close()


def _page_lines(page) -> list[str]:
    return [line.strip() for line in page.extract_text().splitlines() if line.strip()]


@pytest.mark.parametrize("client", CLIENTS)
def test_pdf_running_header_cover_and_no_orphaned_heading(demo_run, client):
    reader = _pdf(demo_run / f"{client}.pdf")
    side = json.loads((demo_run / f"{client}.json").read_text())
    from reportkit.present.page import _day
    running = f"{CLIENTS[client]} · {_day(side['period']['start'])} – {_day(side['period']['end'])}"
    first = reader.pages[0].extract_text()
    assert f"Prepared by Northstar Digital for {CLIENTS[client]}" in first      # the cover lines
    headings = {"Summary", "What we did", "Results", "Why it moved", "Next period", "What we need from you",
                "Appendix", "Goals", "What we did, in detail", "Results by day and channel",
                "Why it moved, in detail", "Budget", "Next period, in detail", "Communication log",
                "Data notes", "Day by day", "By channel", "Against benchmarks"}
    n = len(reader.pages)
    for i, page in enumerate(reader.pages):
        text = page.extract_text()
        if i:
            assert running in text, (i, text[:200])      # client and period on every later page
        assert f"Page {i + 1} of {n}" in text and "Prepared by Northstar Digital" in text
        # the page's last line of body text is never a heading (the margin boxes come first
        # in the text: they are left out)
        body = [line for line in _page_lines(page) if running not in line and "Page " not in line]
        assert body and body[-1] not in headings, (i, body[-3:])
    # the appendix starts on a page of its own
    starts = [i for i, p in enumerate(reader.pages) if any(line == "Appendix" for line in _page_lines(p)[:4])]
    assert starts, "the appendix heading opens a page"
