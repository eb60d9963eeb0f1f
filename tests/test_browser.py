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


_ORDER_JS = """el => {
    // the left edge of each visible character of the element's text, in reading order
    const xs = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            if (!node.data[i].trim()) continue;
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            xs.push(range.getBoundingClientRect().left);
        }
    }
    return xs;
}"""


def test_figures_after_a_right_to_left_name_stay_in_order(tmp_path, chromium, artifacts):
    """User text is isolated (<bdi>, reportkit.present.text): an unterminated right-to-left
    override in a work entry (the loaders refuse one; the view must hold even so) and a Hebrew
    goal name leave the figures after them in reading order, left to right, in Chromium."""
    from datetime import date

    from reportkit.present import page as page_html
    from reportkit.present import work as work_view
    from reportkit.work.files import WorkItem
    from reportkit.work.sections import what_we_did

    hostile = "Sale \u202e%05- "  # an override that is never closed (no U+202C)
    items = [WorkItem(date(2026, 10, d), hostile, 1.5, goal="g1") for d in (1, 2)]
    items.append(WorkItem(date(2026, 10, 3), "Feed rebuild", 3.0, goal="g2"))
    done = what_we_did(items, date(2026, 10, 1), date(2026, 10, 31), goal_order=["g1", "g2"],
                       names={"g1": "More leads", "g2": "\u05de\u05db\u05d9\u05e8\u05d5\u05ea 2026"})

    class Report:  # what the view reads: the work of the period
        class work:
            pass
    Report.work.done = done
    body = work_view.what_we_did(Report)
    path = tmp_path / "rtl.html"
    path.write_text(page_html.standalone("RTL", body, ["Prepared by \u05e9\u05dc\u05d5\u05dd", "2 Nov 2026"]))
    page, log = open_page(chromium, path, 1280, 800)
    try:
        screenshot(page, artifacts, "rtl-names-1280x800")
        routine = page.locator("ul.rk-work li").first   # "<hostile> (2 times, 3.0 h)"
        assert "(2 times, 3.0 h)" in routine.inner_text()
        figure = page.evaluate("""li => {
            const node = li.lastChild, xs = [];   // the text after the name's span
            for (let i = 0; i < node.length; i++) {
                if (!node.data[i].trim()) continue;
                const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                xs.push(r.getBoundingClientRect().left);
            }
            return [node.data, xs];
        }""", routine.element_handle())
        assert figure[0].strip() == "(2 times, 3.0 h)"
        assert figure[1] == sorted(figure[1]) and len(set(figure[1])) == len(figure[1]), figure
        hours = page.locator("h3.rk-goal-work small").nth(1)   # "(3.0 h)" after the Hebrew goal name
        xs = hours.evaluate(_ORDER_JS)
        assert hours.inner_text() == "(3.0 h)" and xs == sorted(xs), xs
        name_right = page.locator("h3.rk-goal-work bdi").nth(1).evaluate("e => e.getBoundingClientRect().right")
        assert name_right <= xs[0]  # the hours come after (right of) the name, not inside it
        assert log.page_errors == [] and log.outside_requests() == []
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


def test_a_cover_page_when_asked_for_and_the_web_page_unchanged(demo_run, chromium, tmp_path, root):
    from reportkit.config.load import load
    from reportkit.run.render import render_client
    cfg = load(root / "params" / "acme_outdoor.yaml")
    cfg = cfg.model_copy(update={"pdf": cfg.pdf.model_copy(update={"enabled": True, "cover": True})})
    assert render_client(cfg, out=tmp_path).status == "ok"
    reader = _pdf(tmp_path / "2026-10" / "acme_outdoor.pdf")
    plain = _pdf(demo_run / "acme_outdoor.pdf")
    assert len(reader.pages) == len(plain.pages) + 1       # the cover is a page of its own
    cover = " ".join(reader.pages[0].extract_text().split())
    for words in ("Acme Outdoor", "Marketing report", "October 2026 · 1 Oct 2026 – 31 Oct 2026",
                  "Prepared by Northstar Digital for Acme Outdoor"):
        assert words in cover, (words, cover)
    # no running header, footer or page number on the cover; the report starts on page 2 with
    # its running header (the page's own header, which says the same as the cover, left out)
    assert "Page " not in cover and "Summary" not in cover
    second = reader.pages[1].extract_text()
    assert "Acme Outdoor · 1 Oct 2026 – 31 Oct 2026" in second and "Summary" in second
    assert f"Page 2 of {len(reader.pages)}" in second and "Report for" not in second
    # on screen the cover is not shown: the page starts with its header, as without a cover
    page, log = open_page(chromium, tmp_path / "2026-10" / "acme_outdoor.html", 1280, 800)
    try:
        assert page.locator(".rk-cover").count() == 1 and not page.locator(".rk-cover").is_visible()
        assert page.locator(".rk-header").is_visible()
    finally:
        page.close()


# --- page fill: no page under 40% full except a section's last ---------------------------------

from pdf_fill import underfilled  # noqa: E402


def _section_headings() -> set[str]:
    from reportkit.config.sections import APPENDIX, APPENDIX_HEADINGS, SECTIONS
    return {s.heading for s in SECTIONS.values()} | set(APPENDIX_HEADINGS.values()) | {APPENDIX.heading}


@pytest.mark.parametrize("client", CLIENTS)
def test_no_printed_page_is_under_40_percent_full_but_a_sections_last(demo_run, client):
    assert underfilled(demo_run / f"{client}.pdf", _section_headings()) == []


def test_the_fill_check_sees_a_page_cut_short(tmp_path):
    """A page holding one line, with the same section going on over the next page, is flagged;
    the same page is accepted when a section heading opens the next one."""
    require_chromium()
    from reportkit.deliver import pdf
    filler = "".join(f"<p>Line {i} of the section.</p>" for i in range(30))
    for name, second in (("short", "<p>More of the same section.</p>"), ("last", "<h2>Budget</h2>")):
        page = tmp_path / f"{name}.html"
        page.write_text(f"<html><body><main><h2>Results</h2><p>One line.</p>"
                        f'<div style="break-before: page">{second}{filler}</div></main></body></html>')
        pdf.write_pdf(page, tmp_path / f"{name}.pdf")
    [flagged] = underfilled(tmp_path / "short.pdf", _section_headings())
    assert flagged.startswith("page 1:") and "More of the same section." in flagged
    assert underfilled(tmp_path / "last.pdf", _section_headings()) == []
