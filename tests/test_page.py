"""The page around the notebook: contents, section ids, footer, standalone pages."""

import nbformat

from reportkit.present import page


def _nb(*markdown):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("rk.show_header(report)", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": '<div class="rk-header">h</div>'})])]
    nb.cells += [nbformat.v4.new_markdown_cell(m) for m in markdown]
    return nb


def test_contents_follow_the_sections_and_headings_get_ids():
    nb = _nb("## Summary", "## What we did\n\nText", "### Day by day", "## Why <it> moved")
    nb, _ = page.TableOfContents().preprocess(nb, {})
    toc = nb.cells[0].outputs[-1]["data"]["text/html"]
    assert toc.count("<li>") == 3                              # ## headings only
    assert '<a href="#What-we-did">What we did</a>' in toc
    # nbconvert's own id rule: spaces to '-', other characters URL-quoted (same id both ends)
    assert '<a href="#Why-%3Cit%3E-moved">Why &lt;it&gt; moved</a>' in toc
    assert nb.cells[2].source.startswith('<h2 id="What-we-did">What we did</h2>')
    assert nb.cells[3].source == "### Day by day"              # left to nbconvert
    # a blank line after the heading: a paragraph under it stays Markdown, not raw HTML
    assert nb.cells[4].source == '<h2 id="Why-%3Cit%3E-moved">Why &lt;it&gt; moved</h2>\n'


def test_footer_says_source_freshness_and_time():
    side = {"source": "CSV file a.csv", "data_quality": {"data_to": "2026-11-20"},
            "generated_at": "2026-11-21T08:05:00+00:00"}
    assert page.footer_parts("Northstar", side) == [
        "Prepared by Northstar", "Data: CSV file a.csv", "data up to 20 Nov 2026",
        "generated 21 Nov 2026 08:05 UTC"]


def test_standalone_page_escapes_and_rejects_a_bad_accent():
    html = page.standalone("A <b>", "<p>body</p>", ["x & y"], accent="red;} body{display:none")
    assert "<title>A &lt;b&gt;</title>" in html and "<span>x &amp; y</span>" in html
    assert "--accent: #1f5fa8" in html and "display:none" not in html
    assert page.CSP in html
