"""End to end: the real notebook through papermill (a real kernel) and nbconvert."""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
import yaml

from reportkit.core import formatting as fmt
from reportkit.run.render import render_client

pytestmark = pytest.mark.slow  # the real notebook end to end in a Jupyter kernel, and the CLI in subprocesses

SECTIONS = ["Summary", "Goals", "Results", "Day by day", "By channel", "Against benchmarks",
            "Why it moved", "Budget", "Data notes"]


class Cells(HTMLParser):
    """Collects the text of every element carrying data-kpi / data-field."""

    def __init__(self):
        super().__init__()
        self.found, self._stack = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._stack.append((attrs.get("data-kpi"), attrs.get("data-field"), []))

    def handle_endtag(self, tag):
        if self._stack:
            kpi, field, text = self._stack.pop()
            if kpi and field:
                self.found.append((kpi, field, "".join(text).strip()))
            if self._stack:
                self._stack[-1][2].extend(text)

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][2].append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, root):
    out = tmp_path_factory.mktemp("reports")
    result = render_client(root / "params" / "acme_outdoor.yaml", out=out)
    assert result.status == "ok", result.error
    return out / "2026-10"


def test_outputs_per_contract(rendered):
    for ext in ("html", "ipynb", "json"):
        assert (rendered / f"acme_outdoor.{ext}").is_file()
    assert not list(rendered.glob(".*"))  # no temporary files left behind


def test_html_has_every_section_and_no_code(rendered):
    html = (rendered / "acme_outdoor.html").read_text()
    for section in SECTIONS:
        assert re.search(rf"<h[23][^>]*>{section}", html), section
    for code in ("import reportkit", "rk.show", "load_report", "In&nbsp;[", "Out[", "jp-InputArea",
                 "input_area"):
        assert code not in html
    # parameter values injected by papermill must not appear
    assert "client_id" not in html and "as_of" not in html and "injected-parameters" not in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_html_figures_equal_the_sidecar(rendered):
    html = (rendered / "acme_outdoor.html").read_text()
    side = json.loads((rendered / "acme_outdoor.json").read_text())
    parser = Cells()
    parser.feed(html)
    shown = {(k, f): t for k, f, t in parser.found if f in ("value", "previous", "yoy",
                                                          "change_previous", "change_yoy")}
    assert len(shown) >= 5 * len(side["kpis"])
    for (key, field), text in shown.items():
        kpi = side["kpis"][key]
        if field.startswith("change"):
            reason = kpi.get("not_comparable_" + field.split("_", 1)[1])
            expected = f"not comparable ({reason})" if reason else fmt.change(kpi[field])
            assert text.endswith(expected), (key, field, text)
        else:
            assert text == fmt.value(kpi[field], kpi["unit"], side["currency"]), (key, field, text)
    # one figure checked by hand from the sidecar's own totals: ROAS = revenue / cost
    assert side["kpis"]["roas"]["value"] == pytest.approx(
        side["kpis"]["revenue"]["value"] / side["kpis"]["cost"]["value"])


def test_sidecar_has_the_three_ranges(rendered):
    side = json.loads((rendered / "acme_outdoor.json").read_text())
    assert side["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert side["previous"] == {"start": "2026-09-01", "end": "2026-09-30"}
    assert side["yoy"] == {"start": "2025-10-01", "end": "2025-10-31"}
    assert side["client_name"] == "Acme Outdoor" and side["currency"] == "EUR"


def test_every_summary_sentence_is_in_the_html(rendered):
    html = (rendered / "acme_outdoor.html").read_text()
    side = json.loads((rendered / "acme_outdoor.json").read_text())
    assert 3 <= len(side["summary"]) <= 5
    from html import escape
    from reportkit.story.first_screen import summary_shown
    shown = summary_shown(side["summary"], side["summary_figures"])
    # acme's summary: two goal sentences (their chips say them) and the work sentence ("What
    # we did" says it) are left off the compact first screen; the outage and money ones stay
    assert len(shown) == 2 and shown == side["summary"][3:]
    # the names typed into a sentence (a channel here) are isolated in <bdi>
    assert "On the money side, <bdi>Paid Social</bdi> returned less than it cost" in html
    text = html.replace("<bdi>", "").replace("</bdi>", "")
    for sentence in shown:
        assert escape(sentence) in text


def test_charts_are_embedded_images(rendered):
    html = (rendered / "acme_outdoor.html").read_text()
    side = json.loads((rendered / "acme_outdoor.json").read_text())
    # trend + channels, one chart per goal, spend against budget (the period and November to date)
    assert len(side["goals"]) == 3 and "month_to_date" in side["budget"]
    charts = re.findall(r'<div class="output_svg output_subarea rk-chart">\s*'
                        r'(<picture><source [^>]*>)\s*(<img [^>]*>)', html)
    assert len(charts) == 2 + 3 + 2
    assert all(re.search(r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', img) for _, img in charts)
    # each kit chart has its phone version, shown on screens up to 600 px wide
    assert all(re.search(r'media="\(max-width: 600px\)" srcset="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', source)
               for source, _ in charts)


def test_goals_budget_drivers_and_benchmarks_in_html_and_sidecar(rendered):
    html = (rendered / "acme_outdoor.html").read_text()
    side = json.loads((rendered / "acme_outdoor.json").read_text())
    assert [g["id"] for g in side["goals"]] == ["grow_revenue", "keep_roas", "grow_organic"]
    for g in side["goals"]:
        assert re.search(rf'<span(?=[^>]*data-goal="{g["id"]}")(?=[^>]*data-field="status")[^>]*>'
                         rf'{g["status_words"]}</span>', html), g["id"]
        assert {"status", "forecast", "forecast_method", "required", "milestones"} <= g.keys()
    # the budget row shows the sidecar's spend; spend = the cost KPI of the period
    assert side["budget"]["spend"] == pytest.approx(side["kpis"]["cost"]["value"])
    assert fmt.money(side["budget"]["spend"], "EUR") in html
    assert side["drivers"] and all(d["kpi"] in side["kpis"] for d in side["drivers"])
    assert any(c["kind"] == "industry" for b in side["benchmarks"] for c in b["comparisons"])
    assert "theadspend.com" in html or "franetic.com" in html  # sources named, as text


def test_failed_run_keeps_the_good_report(tmp_path, small_facts, root):
    good = {"client_id": "testco", "client_name": "Test <b>Co</b>", "business_model": "ecommerce",
            "period": "2024-03", "currency": "EUR", "source": {"type": "csv", "path": str(small_facts)}}
    params = tmp_path / "testco.yaml"
    params.write_text(yaml.safe_dump(good))
    out = tmp_path / "out"
    first = render_client(params, out=out)
    assert first.status == "ok", first.error
    html_path = out / "2024-03" / "testco.html"
    before = html_path.read_bytes()
    assert b"Test &lt;b&gt;Co&lt;/b&gt;" in before and b"<b>Co</b>" not in before  # escaped

    # the data goes bad: a negative cost on data row 2
    small_facts.write_text(small_facts.read_text().replace("10,100\n", "10,-100\n", 1))
    second = render_client(params, out=out)
    assert second.status == "failed" and second.exit_code == 2
    assert "row 2, column 'cost'" in second.error and "negative" in second.error
    assert html_path.read_bytes() == before
    assert (out / "2024-03" / "testco.failed.ipynb").is_file()


def test_cli_run_reports_failure_with_exit_status(tmp_path, root):
    bad = tmp_path / "bad.yaml"
    bad.write_text("client_id: bad\nclient_name: Bad\nbusiness_model: ecommerce\nperiod: '2026-10'\n"
                   "currency: EUR\nsource: {type: csv, path: /nonexistent.csv}\n")
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", str(bad), "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 2
    assert "data file not found" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_plain_papermill_with_a_params_file(tmp_path, root):
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", "notebooks/client_report.ipynb", str(out),
                           "-f", "params/northwind_b2b.yaml", "--no-progress-bar"],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = json.loads(out.read_text())
    text = json.dumps(nb)
    assert "Northwind Systems" in text and "Cost per lead (blended)" in text


def test_the_outage_estimate_method_is_said_once(rendered):
    """acme's three goals count the 13-15 Oct estimate; how it is made is told in the data
    notes only, each goal row pointing there."""
    from html import escape
    from reportkit.analysis.outages import METHOD
    html = (rendered / "acme_outdoor.html").read_text()
    assert html.count(escape(METHOD)) == 1
    assert html.count("the days tracking recorded nothing are estimated (see the data notes)") == 3
