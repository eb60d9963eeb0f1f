"""A client with GA4, Google Ads, Meta Ads and Search Console, all by API, rendered end to end.

The real notebook runs in a Jupyter kernel (papermill) against the four fake servers; each
measure comes from the source that owns it, and equals that fake's own sums (by hand in the
comments). A second render makes no API call: the warehouse has every pull.
"""

import json

import pytest
import yaml
from ga4_fake import FakeGA4
from google_ads_fake import DEV_TOKEN, FakeGoogleAds, make_certificate
from meta_fake import TOKEN, FakeMeta
from search_console_fake import FakeSearchConsole

from reportkit.run.render import render_client

pytestmark = pytest.mark.slow  # four fake servers and the notebook in a kernel, twice

GA4_ROWS = [
    {"date": "20261001", "sessionDefaultChannelGroup": "Paid Search", "sessionCampaignName": "Brand",
     "sessions": 120, "engagedSessions": 80, "screenPageViews": 300, "keyEvents": 6,
     "transactions": 4, "totalRevenue": 400},
    {"date": "20261002", "sessionDefaultChannelGroup": "Organic Search", "sessionCampaignName": "(organic)",
     "sessions": 80, "engagedSessions": 50, "screenPageViews": 200, "keyEvents": 2,
     "transactions": 1, "totalRevenue": 100},
    {"date": "20260910", "sessionDefaultChannelGroup": "Organic Search", "sessionCampaignName": "(organic)",
     "sessions": 150, "keyEvents": 5, "transactions": 2, "totalRevenue": 250},
]
ADS_ROWS = [
    {"date": "2026-10-01", "campaign": "Brand", "cost_micros": 60_000_000, "clicks": 30,
     "impressions": 900, "conversions": 9.0, "conversions_value": 700.0, "type": "SEARCH"},
    {"date": "2026-10-02", "campaign": "PMax", "cost_micros": 40_000_000, "clicks": 20,
     "impressions": 4000, "type": "PERFORMANCE_MAX"},
    {"date": "2026-09-12", "campaign": "Brand", "cost_micros": 50_000_000, "clicks": 25,
     "impressions": 800, "type": "SEARCH"},
]
META_ROWS = [
    {"date": "2026-10-01", "campaign": "Lead form", "spend": 30.0, "impressions": 5000, "clicks": 70,
     "actions": {"lead": 12}, "action_values": {}},
    {"date": "2026-10-03", "campaign": "Lead form", "spend": 20.0, "impressions": 3000, "clicks": 40,
     "actions": {"lead": 8}, "action_values": {}},
]
SC_ROWS = [
    {"date": "2026-10-01", "clicks": 40, "impressions": 1000, "position": 3.0},
    {"date": "2026-10-02", "clicks": 60, "impressions": 3000, "position": 7.0},
]


def test_four_api_sources_render_with_each_measure_from_its_owner(tmp_path, monkeypatch):
    cert = make_certificate(tmp_path)
    monkeypatch.setenv("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", str(cert[2]))
    params = tmp_path / "shop.yaml"
    params.write_text(yaml.safe_dump({
        "client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
        "period": "2026-10", "currency": "EUR", "as_of": "2026-11-21",
        "warehouse": {"path": str(tmp_path / "wh.duckdb")},
        "kpis": ["sessions", "revenue", "cost", "clicks", "roas", "conversions", "organic_clicks",
                 "avg_position"],
        "sources": [
            {"type": "ga4", "property_id": "42", "include_ads": False,
             "owns": ["sessions", "engaged_sessions", "pageviews", "transactions", "revenue", "users"]},
            {"type": "google_ads", "customer_id": "1234567890", "owns": ["cost", "clicks", "impressions"]},
            # leads from Meta's instant forms never reach the website: Meta owns conversions here
            {"type": "meta_ads", "account_id": "1234", "conversions": ["lead"], "owns": ["conversions"]},
            {"type": "search_console", "site_url": "sc-domain:example.com"},
        ]}))
    with FakeGA4(GA4_ROWS) as ga4, FakeGoogleAds(cert, ADS_ROWS) as ads, FakeMeta(META_ROWS) as meta, \
            FakeSearchConsole(SC_ROWS) as sc:
        for name, value in {"REPORTKIT_GA4_ENDPOINT": ga4.url, "REPORTKIT_GOOGLE_ADS_ENDPOINT": ads.endpoint,
                            "GOOGLE_ADS_DEVELOPER_TOKEN": DEV_TOKEN, "REPORTKIT_META_ENDPOINT": meta.url,
                            "REPORTKIT_META_ACCESS_TOKEN": TOKEN,
                            "REPORTKIT_SEARCH_CONSOLE_ENDPOINT": sc.url}.items():
            monkeypatch.setenv(name, value)
        first = render_client(params, out=tmp_path / "reports")
        calls = {"ga4": len(ga4.calls), "google_ads": len(ads.calls), "meta_ads": len(meta.calls),
                 "search_console": len(sc.calls)}
        second = render_client(params, out=tmp_path / "reports")
        again = {"ga4": len(ga4.calls), "google_ads": len(ads.calls), "meta_ads": len(meta.calls),
                 "search_console": len(sc.calls)}
    assert first.status == "ok", first.error
    assert second.status == "ok", second.error
    print(f"\ncalls per source, first render: {calls}; after the cached re-render: {again}")
    # GA4: one batch; Google Ads: customer + 3 ranges; Meta: account + 3 ranges; Search Console: 3
    assert calls == {"ga4": 1, "google_ads": 4, "meta_ads": 4, "search_console": 3}
    assert again == calls                                   # the re-render made no call
    side = json.loads((tmp_path / "reports" / "2026-10" / "shop.json").read_text())
    k = side["kpis"]
    assert k["sessions"]["value"] == 200                    # GA4: 120 + 80
    assert k["revenue"]["value"] == 500                     # GA4: 400 + 100 (not Google Ads' 700)
    assert k["cost"]["value"] == pytest.approx(100)         # Google Ads: 60 + 40 (Meta's 50 dropped)
    assert k["clicks"]["value"] == 50                       # Google Ads: 30 + 20
    assert k["roas"]["value"] == pytest.approx(5.0)         # 500 / 100
    assert k["conversions"]["value"] == 20                  # Meta leads: 12 + 8 (not GA4's 8, Ads' 9)
    assert k["organic_clicks"]["value"] == 100              # Search Console: 40 + 60
    assert k["avg_position"]["value"] == pytest.approx(6.0)  # (3*1000 + 7*3000) / 4000
    assert k["sessions"]["previous"] == 150 and k["cost"]["previous"] == pytest.approx(50)
    pulls = side["data_quality"]["pulls"]
    assert {p["source"].split(":")[0] for p in pulls} == {"ga4", "google_ads", "meta_ads", "search_console"}
