"""Several sources per client: one fact table, `source` kept, no measure counted twice."""

import json

import pytest
from ga4_fake import FakeGA4

from reportkit import config
from reportkit import report
from reportkit.errors import ConfigError, DataError
from reportkit.run.render import render_client
from reportkit.sources import load

EXPORTS = "tests/data/exports/"
GA4_FILE = {"type": "file", "preset": "ga4_export", "path": EXPORTS + "ga4_traffic_acquisition.csv"}
ADS_FILE = {"type": "file", "preset": "google_ads", "path": EXPORTS + "google_ads_campaigns.csv"}


def make_cfg(sources, **extra):
    return config.validate({"client_id": "x", "client_name": "X", "business_model": "ecommerce",
                            "period": "2026-10", "currency": "EUR", "sources": sources, **extra})


def test_a_measure_two_sources_carry_needs_an_owner():
    cfg = make_cfg([GA4_FILE, ADS_FILE])
    with pytest.raises(DataError) as err:
        load(cfg, cfg.periods())
    # both carry conversions (GA4 key events, Google Ads conversions) and revenue
    assert "measure 'conversions'" in str(err.value) and "owns: [conversions]" in str(err.value)


def test_owned_measures_are_counted_once():
    cfg = make_cfg([{**GA4_FILE, "owns": ["sessions", "engaged_sessions", "conversions", "revenue"]},
                    {**ADS_FILE, "owns": ["cost", "clicks", "impressions"]}])
    data = load(cfg, cfg.periods())
    f = data.facts
    assert set(f["source"]) == {"ga4", "google_ads"}
    assert len(f) == 12                                  # 6 GA4 rows + 6 Google Ads rows
    assert f["conversions"].sum() == 44                  # GA4's 44 only, not + Google Ads' 15
    assert f["revenue"].sum() == pytest.approx(5663.35)  # GA4's, not + Google Ads' 3,210.40
    assert f["cost"].sum() == pytest.approx(234.33)      # Google Ads
    assert f["sessions"].sum() == 4541                   # GA4
    ads = f[f["source"] == "google_ads"]
    assert ads["conversions"].isna().all() and ads["revenue"].isna().all()
    r = report.build(cfg.model_copy(update={"kpis": ["sessions", "roas", "cpc", "conversion_rate"]}))
    assert r.figures["roas"].value == pytest.approx(5663.35 / 234.33)
    assert r.figures["cpc"].value == pytest.approx(234.33 / 477)
    assert r.figures["conversion_rate"].value == pytest.approx(44 / 4541)
    assert "GA4 export" in r.origin and "Google Ads export" in r.origin


def test_unowned_measures_of_one_source_are_kept():
    # Meta carries cost/clicks/impressions/transactions/revenue, Google Ads the same minus
    # transactions: owning the shared ones leaves transactions to Meta alone
    meta = {"type": "file", "preset": "meta_ads", "path": EXPORTS + "meta_ads_export.csv"}
    cfg = make_cfg([{**ADS_FILE, "owns": ["cost", "clicks", "impressions", "revenue", "conversions"]},
                    meta])
    f = load(cfg, cfg.periods()).facts
    assert f["cost"].sum() == pytest.approx(234.33)        # Google Ads only (Meta's 137 dropped)
    assert f["transactions"].sum() == 10                   # Meta's, nobody else carries them


@pytest.mark.parametrize("values,problem", [
    ({"sources": [{**GA4_FILE, "owns": ["cost"]}, {**ADS_FILE, "owns": ["cost"]}]}, "owned by sources[0] and sources[1]"),
    ({"sources": [{**GA4_FILE, "owns": ["spend"]}]}, "'spend' is not a measure"),
    ({"sources": [GA4_FILE], "source": {"type": "csv", "path": "x.csv"}}, "not both"),
])
def test_sources_params_errors(values, problem):
    base = {"client_id": "x", "client_name": "X", "business_model": "ecommerce", "period": "2026-10",
            "currency": "EUR"}
    with pytest.raises(ConfigError) as err:
        config.validate({**base, **values})
    assert problem in str(err.value)


def test_sources_survive_the_notebook_parameters_round_trip():
    cfg = make_cfg([GA4_FILE])
    again = config.validate(cfg.notebook_parameters())   # what papermill hands the notebook
    assert again.sources == cfg.sources


@pytest.mark.slow
def test_notebook_report_from_ga4_and_google_ads(tmp_path, monkeypatch, root):
    rows = [{"date": f"202610{d:02d}", "sessionDefaultChannelGroup": "Paid Search",
             "sessionCampaignName": "Brand - Search", "sessions": 100, "keyEvents": 4,
             "transactions": 2, "totalRevenue": 300, "advertiserAdCost": 999} for d in (1, 2, 3)]
    params = {"client_id": "ga4shop", "client_name": "GA4 <Shop>", "business_model": "ecommerce",
              "period": "2026-10", "currency": "EUR", "as_of": "2026-11-21",
              "kpis": ["revenue", "cost", "roas", "sessions", "users"],
              "sources": [{"type": "ga4", "property_id": "777", "include_ads": False,
                           "owns": ["sessions", "conversions", "transactions", "revenue", "users"]},
                          {**ADS_FILE, "path": str(root / ADS_FILE["path"]),
                           "owns": ["cost", "clicks", "impressions"]}],
              "warehouse": {"path": str(tmp_path / "wh.duckdb")}}
    path = tmp_path / "ga4shop.yaml"
    path.write_text(json.dumps(params))
    meta = {"subjectToThresholding": True}
    with FakeGA4(rows, users={("2026-10-01", "2026-10-31"): 210}, metadata=meta) as fake:
        monkeypatch.setenv("REPORTKIT_GA4_ENDPOINT", fake.url)   # the kernel inherits it
        first = render_client(path, out=tmp_path / "reports")
        calls = len(fake.calls)
        second = render_client(path, out=tmp_path / "reports")
    assert first.status == "ok" and second.status == "ok", (first.error, second.error)
    assert calls == 1 and len(fake.calls) == 1        # the second render used the warehouse
    side = json.loads((tmp_path / "reports" / "2026-10" / "ga4shop.json").read_text())
    assert side["kpis"]["revenue"]["value"] == 900            # 3 x 300 from GA4
    assert side["kpis"]["cost"]["value"] == pytest.approx(234.33)   # Google Ads, not GA4's 999s
    assert side["kpis"]["roas"]["value"] == pytest.approx(900 / 234.33)
    assert side["kpis"]["users"]["value"] == 210
    kinds = {f.get("kind") for f in side["data_quality"]["findings"]}
    assert "thresholding" in kinds
    html = (tmp_path / "reports" / "2026-10" / "ga4shop.html").read_text()
    assert "thresholding" in html and "GA4 &lt;Shop&gt;" in html
