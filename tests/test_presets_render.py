"""Every file preset renders under every business model's default KPIs: the real notebook.

One ``reportkit run`` (papermill executes notebooks/client_report.ipynb per client, nbconvert
exports the HTML) over 4 presets x 3 business models, then a real Jupyter kernel for the
Search Console export. Each report shows only KPIs its data can compute and says in its
data notes which defaults were left out.
"""

import json
import subprocess
import sys

import pytest

from reportkit.run.render import render_client

pytestmark = pytest.mark.slow  # 12 reports through the notebook, and one in a Jupyter kernel

EXPORTS = "tests/data/exports/"
PRESETS = {"google_ads": "google_ads_campaigns.csv", "meta_ads": "meta_ads_ad_level.csv",
           "ga4_export": "ga4_traffic_acquisition.csv", "search_console": "search_console_dates.csv"}
MODELS = ("ecommerce", "leadgen", "publisher")
# What each export carries (hand-read from the fixture's columns).
MEASURES = {"google_ads": {"impressions", "clicks", "cost", "conversions", "revenue"},
            "meta_ads": {"impressions", "cost", "clicks", "conversions"},
            "ga4_export": {"sessions", "engaged_sessions", "conversions", "revenue"},
            "search_console": {"organic_clicks", "organic_impressions", "position_sum"}}


def params_text(preset: str, model: str) -> str:
    return (f"client_id: {preset}_{model}\nclient_name: {preset} {model}\nbusiness_model: {model}\n"
            f"period: '2026-10'\ncurrency: EUR\nas_of: '2026-11-05'\n"
            f"source: {{type: file, preset: {preset}, path: {EXPORTS}{PRESETS[preset]}}}\n")


@pytest.fixture(scope="module")
def reports(tmp_path_factory, root):
    folder = tmp_path_factory.mktemp("params")
    files = []
    for preset in PRESETS:
        for model in MODELS:
            path = folder / f"{preset}_{model}.yaml"
            path.write_text(params_text(preset, model))
            files.append(str(path))
    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", *files, "--out", str(out),
                           "--workers", "2"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / "2026-10"


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_renders_under_every_business_model(reports, preset, model):
    client = f"{preset}_{model}"
    sidecar = json.loads((reports / f"{client}.json").read_text())
    html = (reports / f"{client}.html").read_text()
    assert sidecar["kpis"], "a report with no KPI"
    from reportkit.core.metrics import REGISTRY
    for key in sidecar["kpis"]:
        assert REGISTRY[key].measures <= MEASURES[preset], f"{key} needs a measure {preset} lacks"
        assert sidecar["kpis"][key]["value"] is not None     # each shown KPI has a figure
    notes = [f["message"] for f in sidecar["data_quality"]["findings"]]
    assert any("left out of the KPIs" in n for n in notes)   # no default set fits any one export
    assert "left out of the KPIs" in html


def test_search_console_report_reads_organic(reports):
    sidecar = json.loads((reports / "search_console_ecommerce.json").read_text())
    kpis = sidecar["kpis"]
    assert list(kpis) == ["organic_clicks", "organic_impressions", "organic_ctr", "avg_position"]
    assert kpis["organic_clicks"]["value"] == 62                          # 20 + 12 + 30
    assert kpis["organic_ctr"]["value"] == pytest.approx(0.031)           # 62 / 2000
    assert kpis["avg_position"]["value"] == pytest.approx(5.65)           # 11300 / 2000
    html = (reports / "search_console_ecommerce.html").read_text()
    assert "Organic search clicks" in html and "Ad clicks" not in html


def test_meta_ad_level_report_says_rows_were_summed(reports):
    html = (reports / "meta_ads_leadgen.html").read_text()
    assert "7 rows (split by Ad set name, Ad name) summed to 4 day × campaign rows." in html
    kpis = json.loads((reports / "meta_ads_leadgen.json").read_text())["kpis"]
    assert kpis["cost"]["value"] == pytest.approx(41.85)   # 17.75 + 4.00 + 17.00 + 3.10
    assert kpis["conversions"]["value"] == 5               # 3 + 1 + 1 + (empty)


def test_search_console_in_a_jupyter_kernel(tmp_path, root):
    params = tmp_path / "sc.yaml"
    params.write_text(params_text("search_console", "publisher"))
    result = render_client(params, out=tmp_path / "out")
    assert result.status == "ok", result.error
    sidecar = json.loads((tmp_path / "out" / "2026-10" / "search_console_publisher.json").read_text())
    assert list(sidecar["kpis"]) == ["organic_clicks", "organic_impressions", "organic_ctr", "avg_position"]
