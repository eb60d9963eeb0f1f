"""Sections per client: order and hide (``sections:``), the analyst's commentary per client
and period, a client's own template (``notebook:``), and sections without content left out."""

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
import yaml

from reportkit import config
from reportkit import notebook as rk
from reportkit.config.notebook_params import check_notebook, parameter_names
from reportkit.config.sections import SECTIONS, SectionsConfig
from reportkit.errors import ConfigError
from reportkit.present import commentary


def test_every_section_has_its_text_and_its_view():
    assert list(rk.SECTION_VIEWS) == list(SECTIONS)


def test_order_puts_named_sections_first_and_hide_leaves_them_out():
    s = SectionsConfig(order=["budget", "summary"], hide=["goals", "benchmarks"])
    assert s.ordered() == ["budget", "summary", "what_we_did", "results", "why", "next_period",
                           "needs_from_you", "communication", "data_notes"]


def test_an_unknown_section_is_named_with_the_valid_ones(root):
    values = {**config.read_params(root / "params" / "acme_outdoor.yaml"), "sections": {"hide": ["budgett"]}}
    with pytest.raises(ConfigError) as err:
        config.validate(values, where="params/acme_outdoor.yaml")
    assert "sections.hide" in str(err.value) and "'budgett'" in str(err.value)
    assert "summary, goals, what_we_did" in str(err.value)


def test_commentary_headings_target_sections():
    text = ("A strong month.\n\n## Results\nRevenue up **4%**.\n\n## Highlights\nNew shop.\n\n"
            "```\n## Budget\n```\n## why it moved\nPrices.\n")
    parts = commentary.split(text)
    # "## Highlights" names no section: it stays in the text after the summary; the "## Budget"
    # inside a code fence is code, not a heading
    assert parts == {"summary": "A strong month.",
                     "results": "Revenue up **4%**.\n\n## Highlights\nNew shop.\n\n```\n## Budget\n```",
                     "why": "Prices."}


def test_commentary_is_escaped_markdown_without_scripts_or_images():
    html = commentary.to_html('Hi <script>alert(1)</script> [x](javascript:alert(1)) '
                              '[ok](https://example.com) ![p](https://tracker.example/p.png) **b**')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.com">ok</a>' in html
    assert "<img" not in html and "<strong>b</strong>" in html


def test_commentary_for_a_hidden_section_is_an_error(tmp_path, root):
    notes = tmp_path / "n.md"
    notes.write_text("## Budget\nSpent well.\n")
    cfg = config.validate({**config.read_params(root / "params" / "acme_outdoor.yaml"),
                           "commentary": str(notes), "sections": {"hide": ["budget"]}})
    with pytest.raises(ConfigError) as err:
        commentary.load(cfg)
    assert str(notes) in str(err.value) and "'## Budget'" in str(err.value) and "hides" in str(err.value)


def test_a_missing_commentary_file_named_in_params_is_an_error(root):
    cfg = config.validate({**config.read_params(root / "params" / "acme_outdoor.yaml"),
                           "commentary": "notes/nope.md"})
    with pytest.raises(ConfigError, match="notes/nope.md: commentary file not found"):
        commentary.load(cfg)


def test_a_client_notebook_with_an_unknown_parameter_is_refused(tmp_path, root):
    nb = nbformat.read(root / "notebooks" / "client_report.ipynb", 4)
    assert set(parameter_names(nb.cells[1].source)) >= {"client_id", "sections", "notebook"}
    nb.cells[1].source += '\nperod = "2026-09"'
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ConfigError) as err:
        check_notebook(path)
    assert "(parameters cell): unknown parameter 'perod'" in str(err.value)
    assert "period" in err.value.fix and "client_id" in err.value.fix


def _toc(html: str) -> list[str]:
    """The titles of the page's table of contents, in order."""
    nav = html[html.index('<nav class="rk-toc"'):html.index("</nav>")]
    return re.findall(r'<li><a href="#[^"]*">([^<]*)</a></li>', nav)


@pytest.mark.slow
def test_commentary_sections_and_notebook_per_client_in_one_batch(tmp_path, root):
    project = tmp_path / "project"
    for name in ("params", "notebooks", "assets", "data"):
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("demo", "warehouse*"))
    params = project / "params"

    # acme_outdoor: the analyst's words for October, one part aimed at Results
    (project / "notes" / "acme_outdoor").mkdir(parents=True)
    (project / "notes" / "acme_outdoor" / "2026-10.md").write_text(
        "Our best October: **record** orders. <script>alert(1)</script>\n\n"
        "## Results\nThe [shop relaunch](https://acme.example/new) lifted conversion.\n", encoding="utf-8")

    # daily_gazette: no Budget section, Data notes first; its goals removed: no Goals section
    gazette = yaml.safe_load((params / "daily_gazette.yaml").read_text())
    gazette["sections"] = {"order": ["data_notes"], "hide": ["budget"]}
    gazette["layout"] = "full"   # every section in full, in the client's order: no appendix
    gazette.pop("goals", None)
    (params / "daily_gazette.yaml").write_text(yaml.safe_dump(gazette))

    # northwind_b2b: its own notebook, one extra cell between Results and Why it moved
    nb = nbformat.read(project / "notebooks" / "client_report.ipynb", 4)
    at = next(i for i, c in enumerate(nb.cells) if c.source == "rk.show_sections(report)")
    nb.cells[at:at + 1] = [nbformat.v4.new_code_cell('rk.show_sections(report, until="why")'),
                           nbformat.v4.new_markdown_cell("## Lead quality\nOnly **qualified** leads count."),
                           nbformat.v4.new_code_cell("rk.show_sections(report)")]
    nbformat.write(nb, project / "notebooks" / "northwind.ipynb")
    northwind = yaml.safe_load((params / "northwind_b2b.yaml").read_text())
    northwind["notebook"] = "notebooks/northwind.ipynb"
    (params / "northwind_b2b.yaml").write_text(yaml.safe_dump(northwind))

    env = {**os.environ, "REPORTKIT_ROOT": str(project)}
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", "--all", "--out", "reports",
                           "--workers", "2"], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = {c: (project / "reports" / "2026-10" / f"{c}.html").read_text(encoding="utf-8")
            for c in ("acme_outdoor", "daily_gazette", "northwind_b2b")}

    acme = page["acme_outdoor"]
    summary_at, results_at = acme.index('<h2 id="Summary">'), acme.index('<h2 id="Results">')
    words = acme.index("Our best October: <strong>record</strong> orders.")
    assert summary_at < words < results_at                # after the summary, before Results
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in acme and "<script>" not in acme
    relaunch = acme.index('<a href="https://acme.example/new">shop relaunch</a>')
    assert results_at < relaunch < acme.index('<h2 id="Why-it-moved">')
    assert "## Results" not in acme

    gazette_toc = _toc(page["daily_gazette"])
    assert gazette_toc[0] == "Data notes"
    assert "Budget" not in gazette_toc and "Goals" not in gazette_toc
    assert 'id="Budget"' not in page["daily_gazette"] and 'id="Goals"' not in page["daily_gazette"]

    north = page["northwind_b2b"]
    assert "Lead quality" in _toc(north)
    assert (north.index('<h2 id="Results">') < north.index("Only <strong>qualified</strong> leads count.")
            < north.index('<h2 id="Why-it-moved">'))
    # layout: compact (the default): the main part, then the appendix as one entry; the
    # appendix holds the goals in full, the details and the sections that are only there
    assert _toc(acme) == ["Summary", "What we did", "Results", "Why it moved", "Next period",
                          "What we need from you", "Appendix"]
    appendix = acme.index('<h2 id="Appendix">')
    for heading in ('id="Goals"', 'id="What-we-did,-in-detail"', 'id="Results-by-day-and-channel"',
                    'id="Why-it-moved,-in-detail"', 'id="Budget"', 'id="Communication-log"', 'id="Data-notes"'):
        assert acme.index(heading) > appendix, heading
    assert acme.count('id="what-we-did"') == 1 and acme.count('id="next-period"') == 1   # ids stay unique
    # layout: full: every section in full, no appendix
    assert "Appendix" not in _toc(page["daily_gazette"]) and 'id="Appendix"' not in page["daily_gazette"]
