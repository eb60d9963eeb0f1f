"""benchmarks/reading.py counts the main part's words up to the appendix (the script itself
runs the demo and Chromium; here its counting rules, by hand)."""

import importlib.util


def _script(repo):
    spec = importlib.util.spec_from_file_location("reading", repo / "benchmarks" / "reading.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_words_stop_at_the_appendix_and_skip_markup_and_images(repo):
    reading = _script(repo)
    html = ('<html><head><style>p { color: red }</style></head><body><main>'
            '<h2 id="Summary">Summary</h2><p>Revenue came to <strong>€190,680</strong>.</p>'
            '<img src="data:image/svg+xml;base64,AAAA" alt="a chart title">'
            '<h2 id="Appendix">Appendix</h2><p>five more words in here</p></main>'
            '<footer>Prepared by us</footer></body></html>')
    part = reading.main_part(html)
    assert "Appendix" not in part and part.endswith("</main></body></html>")
    # "Summary", "Revenue", "came", "to", "€190,680." = 5 words; no CSS, alt text or footer
    assert reading.words(part) == 5
    assert reading.words(html) == 5 + 1 + 5      # without a cut: "Appendix" and its five words


def test_prose_leaves_out_tables_cards_and_chips(repo):
    reading = _script(repo)
    html = ('<html><body><main><p>We spent <b>€31,892</b> this month.</p>'
            '<div class="rk-cards"><div class="rk-card"><div>Revenue</div><div>€190,680</div></div></div>'
            '<ul class="rk-chips"><li class="rk-chip good">on track <span>Grow revenue</span></li></ul>'
            '<table><tr><th>KPI</th><td>2.18%</td></tr></table><br><p>Two more.</p></main></body></html>')
    # all words: "We spent €31,892 this month." 5 + "Revenue €190,680" 2 + "on track Grow revenue" 4
    # + "KPI 2.18%" 2 + "Two more." 2 = 15; prose: 5 + 2 = 7 (the <br> opens nothing)
    assert reading.words(html) == 15
    assert reading.prose_words(html) == 7
