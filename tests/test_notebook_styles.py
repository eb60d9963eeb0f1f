"""The notebook looks like the report: each section's HTML output carries the report's styles,
scoped to it (``present.styled``), and the exported page is as it was without them."""

import re

import nbformat
import pytest

from reportkit.present import styled

CARDS = ('<div class="rk-cards"><div class="rk-card"><div class="rk-card-value">3</div>'
         '<div class="rk-card-chg good">▲ 5%</div></div></div>')


def _selectors(css: str) -> list[str]:
    """Every selector of the scoped sheet (inside @media blocks too)."""
    found = []
    for line in css.splitlines():
        line = re.sub(r"^@media[^{]*\{\s*", "", line)
        found += [s.strip() for s in line.split("{", 1)[0].split(",")]
    return found


def test_every_rule_stays_inside_the_sections_scope():
    css = styled.scoped_css()
    selectors = _selectors(css)
    assert len(selectors) > 60
    assert all(s == ".rk-nb" or s.startswith(".rk-nb ") for s in selectors), \
        [s for s in selectors if not s.startswith(".rk-nb")]
    assert "@page" not in css and "@media print" not in css      # a notebook's print is its own
    assert not any(re.match(r"\.rk-nb (main|html|footer)\b", s) for s in selectors)


def test_a_section_carries_the_rules_it_uses():
    css = styled.scoped_css(CARDS)
    assert ".rk-nb .rk-cards { display: grid;" in css and ".rk-nb .good { color: var(--good); }" in css
    assert ".rk-nb .rk-table " not in css and ".rk-nb .rk-header" not in css   # not a table, not a header
    assert ".rk-nb { --accent: #1f5fa8;" in css                                 # the colours' variables


def test_wrap_and_unwrap():
    html = styled.wrap(CARDS, "#aa3300")
    assert html.startswith('<div class="rk-nb" style="--accent: #aa3300"><style class="rk-nb-style">')
    assert styled.unwrap(html) == CARDS
    # an accent that is not a #rrggbb colour is not written into the page
    assert 'style="' not in styled.wrap(CARDS, "red;} body{display:none").split("<style", 1)[0]
    # any other HTML (the analyst's own) is left as it is
    for other in ('<div class="rk-nb">mine</div>', "<p>x</p>", '<div class="rk-nb"><style>p{}</style>x</div>'):
        assert styled.unwrap(other) == other
    assert styled.Styled(CARDS)._repr_html_() == styled.wrap(CARDS)
    assert repr(styled.Styled(CARDS)) == "3 ▲ 5%"


@pytest.fixture(scope="module")
def kernel_notebook(root, tmp_path_factory):
    """The template executed by papermill in a real Jupyter kernel, for acme with another accent."""
    import papermill
    out = tmp_path_factory.mktemp("styles") / "acme.ipynb"
    papermill.execute_notebook(
        str(root / "notebooks" / "client_report.ipynb"), str(out), cwd=str(root), kernel_name="python3",
        parameters={"client_id": "acme_outdoor",
                    "agency": {"name": "Test Agency", "accent_color": "#aa3300"}},
        progress_bar=False)
    return nbformat.read(out, 4)


def _html_outputs(nb) -> list[str]:
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                found.append("".join(html) if isinstance(html, list) else html)
    return found


@pytest.mark.slow
def test_the_kernels_outputs_carry_their_styles(kernel_notebook):
    outputs = _html_outputs(kernel_notebook)
    mine = [h for h in outputs if h.startswith('<div class="rk-nb"')]
    assert len(mine) == len(outputs) >= 15          # header, headings, cards, tables, sections
    cards = next(h for h in mine if 'class="rk-cards"' in h)
    assert '<style class="rk-nb-style">' in cards and ".rk-nb .rk-cards { display: grid;" in cards
    assert 'style="--accent: #aa3300"' in cards
    table = next(h for h in mine if 'class="rk-table rk-kpis"' in h)
    assert ".rk-nb .rk-table thead th { background: #f1f3f4;" in table


# The notebook's own elements, outside any section, with the kit's class names: an unscoped
# rule would style them.
PROBES = ('<h2 id="probe-h2">The notebook\'s own heading</h2><p class="good" id="probe-good">x</p>'
          '<div class="rk-cards" id="probe-cards"><div class="rk-card">x</div></div>'
          '<table class="rk-table"><thead><tr><th id="probe-th">x</th></tr></thead></table>')


@pytest.mark.slow
def test_the_outputs_alone_look_like_the_report_and_leak_nothing(kernel_notebook, tmp_path):
    """The executed notebook's HTML outputs alone on a page (as JupyterLab puts them into its
    own page: no report stylesheet), with elements of the notebook's own around them."""
    from browser import browser
    page_html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>outputs</title></head><body>"
                 + PROBES + "".join(f"<div class='output'>{h}</div>" for h in _html_outputs(kernel_notebook))
                 + PROBES.replace('id="probe', 'id="after') + "</body></html>")
    path = tmp_path / "outputs.html"
    path.write_text(page_html, encoding="utf-8")
    with browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 800})
        page.goto(path.as_uri(), wait_until="load")
        style = page.evaluate("""() => {
            const cs = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
            return {
              cards: cs('.rk-nb .rk-cards', 'display'), columns: cs('.rk-nb .rk-cards', 'gridTemplateColumns'),
              header: cs('.rk-nb .rk-header', 'display'), card_top: cs('.rk-nb .rk-card', 'borderTopWidth'),
              card_top_colour: cs('.rk-nb .rk-card', 'borderTopColor'),
              good: cs('.rk-kpis td.chg.good', 'color'), bad: cs('.rk-kpis td.chg.bad', 'color'),
              th: cs('.rk-nb .rk-kpis thead th', 'backgroundColor'), h2: cs('.rk-nb h2', 'color'),
              h2_line: cs('.rk-nb h2', 'borderBottomWidth'),
              probe_h2: cs('#probe-h2', 'borderBottomWidth'), probe_h2_colour: cs('#probe-h2', 'color'),
              probe_good: cs('#probe-good', 'color'), after_good: cs('#after-good', 'color'),
              probe_th: cs('#probe-th', 'backgroundColor'), body: cs('body', 'fontFamily'),
              body_bg: cs('body', 'backgroundColor'), probe_cards: cs('#probe-cards', 'display'),
              after_cards: cs('#after-cards', 'display'), after_th: cs('#after-th', 'backgroundColor'),
            };
        }""")
    assert style["cards"] == "grid" and len(style["columns"].split()) >= 4    # cards side by side
    assert style["header"] == "flex"
    assert style["card_top"] == "3px" and style["card_top_colour"] == "rgb(170, 51, 0)"   # #aa3300
    assert style["good"] == "rgb(26, 127, 55)" and style["bad"] == "rgb(198, 40, 40)"      # --good, --bad
    assert style["th"] == "rgb(241, 243, 244)"                                             # #f1f3f4
    assert style["h2"] == "rgb(170, 51, 0)" and style["h2_line"] == "2px"
    # nothing outside the sections changed: the browser's defaults
    assert style["probe_h2"] == "0px" and style["probe_h2_colour"] == "rgb(0, 0, 0)"
    assert style["probe_good"] == style["after_good"] == "rgb(0, 0, 0)"
    assert style["probe_th"] == style["after_th"] == "rgba(0, 0, 0, 0)" and style["body_bg"] == "rgba(0, 0, 0, 0)"
    assert style["probe_cards"] == style["after_cards"] == "block"
    assert "apple-system" not in style["body"]


@pytest.mark.slow
def test_the_exported_page_has_one_stylesheet_and_no_wrappers(kernel_notebook):
    from reportkit.run.export import ReportkitExporter
    body, _ = ReportkitExporter().from_notebook_node(kernel_notebook)
    assert body.count("<style") == 1 and body.index("<style") < body.index("</head>")
    assert "rk-nb" not in body
    cards = next(h for h in _html_outputs(kernel_notebook) if 'class="rk-cards"' in h)
    assert styled.unwrap(cards) in body            # the section exactly as the report shows it
