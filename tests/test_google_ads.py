"""The Google Ads source with the real google-ads library (gRPC, TLS) against a fake server.

The fake (tests/google_ads_fake.py) is a real gRPC server with a certificate made here; the
client trusts it through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (read once per process, so one
certificate serves the whole session). Expected figures are summed by hand in the comments.
"""

import os

import grpc
import pytest
from google_ads_fake import DEV_TOKEN, FakeGoogleAds, failure, make_certificate

from reportkit import config, report
from reportkit.errors import ConfigError, SourceError
from reportkit.sources import load
from reportkit.sources.google_ads import api, channel_for

pytestmark = pytest.mark.slow  # a gRPC server and a DuckDB warehouse per test

CUSTOMER = "1234567890"


def row(d, campaign, cost_micros, clicks, impressions, conversions=0.0, value=0.0, type="SEARCH"):
    return {"date": d, "campaign": campaign, "cost_micros": cost_micros, "clicks": clicks,
            "impressions": impressions, "conversions": conversions, "conversions_value": value,
            "type": type}


ROWS = [
    row("2026-10-01", "Brand", 12_500_000, 25, 400, 2.0, 150.0),
    row("2026-10-02", "Brand", 7_250_000, 10, 300, 1.5, 60.0),
    row("2026-10-01", "PMax", 30_000_000, 40, 5000, 3.0, 300.0, type="PERFORMANCE_MAX"),
    row("2026-10-03", "YouTube", 5_000_000, 2, 2000, type="VIDEO"),
    row("2026-09-15", "Brand", 4_000_000, 8, 100, 1.0, 40.0),
    row("2025-10-10", "Brand", 1_000_000, 1, 10),
]


@pytest.fixture(scope="session")
def cert(tmp_path_factory):
    key, pem, path = make_certificate(tmp_path_factory.mktemp("tls"))
    os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = str(path)
    return key, pem


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """The back-off between retries is only a wait: 10 ms here; the calls made stay the same."""
    monkeypatch.setattr(api, "RETRY_INITIAL_S", 0.01)


@pytest.fixture()
def ads_cfg(tmp_path, monkeypatch):
    def make(fake, token=DEV_TOKEN, **source):
        monkeypatch.setenv("REPORTKIT_GOOGLE_ADS_ENDPOINT", fake.endpoint)
        monkeypatch.setenv("GOOGLE_ADS_DEVELOPER_TOKEN", token)
        return config.validate({
            "client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
            "period": "2026-10", "currency": "EUR", "as_of": "2026-11-21",
            "source": {"type": "google_ads", "customer_id": CUSTOMER, **source},
            "warehouse": {"path": str(tmp_path / "wh.duckdb")},
            "kpis": ["cost", "clicks", "conversions", "revenue", "roas", "cpc"]})
    return make


def test_gaql_stream_totals_channels_and_cache(cert, ads_cfg):
    with FakeGoogleAds(cert, ROWS, batch=2) as fake:
        cfg = ads_cfg(fake, login_customer_id="9998887776")
        data = load(cfg, cfg.periods())
        assert len(fake.calls) == 4          # the customer once, then one stream per range
        again = load(cfg, cfg.periods())
        assert len(fake.calls) == 4          # the second run makes no call
    assert "FROM customer" in fake.calls[0]["query"]
    oct_call = fake.calls[1]
    assert "BETWEEN '2026-10-01' AND '2026-10-31'" in oct_call["query"]
    assert "metrics.cost_micros" in oct_call["query"] and "campaign.advertising_channel_type" in oct_call["query"]
    assert oct_call["messages"] == 2         # 4 October rows streamed 2 a message
    assert {c["customer_id"] for c in fake.calls} == {CUSTOMER}
    assert {c["login_customer_id"] for c in fake.calls} == {"9998887776"}
    f = data.facts
    oct_ = f[f["date"].dt.strftime("%Y-%m") == "2026-10"]
    assert oct_["cost"].sum() == pytest.approx(54.75)     # 12.5 + 7.25 + 30 + 5 (micros / 1e6)
    assert oct_["clicks"].sum() == 77                     # 25 + 10 + 40 + 2
    assert oct_["impressions"].sum() == 7700              # 400 + 300 + 5000 + 2000
    assert oct_["conversions"].sum() == pytest.approx(6.5)   # 2 + 1.5 + 3
    assert oct_["revenue"].sum() == pytest.approx(510.0)     # 150 + 60 + 300
    channels = dict(zip(oct_["campaign"], oct_["channel"]))
    assert channels == {"Brand": "Paid Search", "PMax": "Cross-network", "YouTube": "Paid Video"}
    assert set(f["source"]) == {"google_ads"}
    assert sum(p["calls"] for p in data.pulls) == 4 and sum(p["calls"] for p in again.pulls) == 0


def test_channel_rule_is_the_file_presets():
    assert channel_for("SEARCH") == "Paid Search" and channel_for("DEMAND_GEN") == "Paid Social"
    assert channel_for("MULTI_CHANNEL") == "Cross-network" and channel_for("HOTEL") == "Paid Search"


def test_report_figures(cert, ads_cfg):
    with FakeGoogleAds(cert, ROWS) as fake:
        k = report.build(ads_cfg(fake)).figures
    assert k["cost"].value == pytest.approx(54.75) and k["cost"].previous == pytest.approx(4.0)
    assert k["roas"].value == pytest.approx(510.0 / 54.75)
    assert k["cpc"].value == pytest.approx(54.75 / 77)


@pytest.mark.parametrize("status", [grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL])
def test_transient_error_then_success(cert, ads_cfg, status):
    with FakeGoogleAds(cert, ROWS, script=[(status, None, "try again")]) as fake:
        cfg = ads_cfg(fake)
        data = load(cfg, cfg.periods())
    assert len(fake.calls) == 5                            # the error, then the 4 calls
    assert data.facts["cost"].sum() == pytest.approx(59.75)   # 54.75 + 4 + 1


def test_quota_exhausted_is_one_call_and_says_when(cert, ads_cfg):
    quota = (grpc.StatusCode.RESOURCE_EXHAUSTED,
             failure("quota_error", "RESOURCE_EXHAUSTED", "Too many requests.", retry_s=1800),
             "quota")
    with FakeGoogleAds(cert, ROWS, always=quota) as fake:
        cfg = ads_cfg(fake)
        with pytest.raises(SourceError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1 and err.value.exit_code == 1
    assert "in 30 minutes" in str(err.value) and CUSTOMER in str(err.value)


def test_bad_developer_token_is_a_config_error(cert, ads_cfg):
    with FakeGoogleAds(cert, ROWS) as fake:
        cfg = ads_cfg(fake, token="wrong")
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1 and err.value.exit_code == 2
    assert "authentication failed" in str(err.value) and CUSTOMER in str(err.value)
    assert "developer token is not valid" in str(err.value)


def test_no_permission_names_the_customer(cert, ads_cfg):
    with FakeGoogleAds(cert, ROWS, customer_id="5555555555") as fake:
        cfg = ads_cfg(fake)
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1 and err.value.exit_code == 2
    assert f"Google Ads customer {CUSTOMER}: permission denied" in str(err.value)
    assert "login_customer_id" in str(err.value)


def test_currency_and_time_zone_findings_and_empty(cert, ads_cfg):
    with FakeGoogleAds(cert, [], currency="USD", time_zone="America/New_York") as fake:
        cfg = ads_cfg(fake, time_zone="Europe/Berlin")
        data = load(cfg, cfg.periods())
    assert data.facts.empty
    by_kind = {f["kind"]: f for f in data.findings}
    assert "USD" in by_kind["currency"]["message"] and "EUR" in by_kind["currency"]["message"]
    assert "America/New_York" in by_kind["time_zone"]["message"]
    assert [f["period"] for f in data.findings if f["kind"] == "empty"] == ["current", "previous", "yoy"]


def test_missing_developer_token(tmp_path, monkeypatch):
    monkeypatch.delenv("GOOGLE_ADS_DEVELOPER_TOKEN", raising=False)
    cfg = config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR",
                           "source": {"type": "google_ads", "customer_id": CUSTOMER},
                           "warehouse": {"path": str(tmp_path / "wh.duckdb")}})
    with pytest.raises(ConfigError) as err:
        load(cfg, cfg.periods())
    assert "GOOGLE_ADS_DEVELOPER_TOKEN" in str(err.value)


def test_customer_id_is_ten_digits():
    with pytest.raises(ConfigError) as err:
        config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                         "period": "2026-10", "currency": "EUR",
                         "source": {"type": "google_ads", "customer_id": "123-456-7890"}})
    assert "customer_id" in str(err.value)
