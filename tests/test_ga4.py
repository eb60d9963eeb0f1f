"""The GA4 source with the real google-analytics-data client (REST) against a fake server.

The fake (tests/ga4_fake.py) answers like GA4 from the rows below; expected figures are
summed by hand in the comments.
"""

import pytest
from ga4_fake import FakeGA4

from reportkit import config
from reportkit import report
from reportkit.errors import ConfigError, SourceError
from reportkit.sources import load
from reportkit.sources.ga4 import api
from reportkit.sources.ga4.api import MAX_RETRIES

pytestmark = pytest.mark.slow  # the fake GA4 server and a DuckDB warehouse per test: about a second each

PAID, ORG = "Paid Search", "Organic Search"


def row(day, channel, campaign, **metrics):
    return {"date": day, "sessionDefaultChannelGroup": channel, "sessionCampaignName": campaign,
            **metrics}


ROWS = [
    # October 2026 (current)
    row("20261001", PAID, "Brand", sessions=100, engagedSessions=60, screenPageViews=300, keyEvents=5,
        transactions=5, totalRevenue=500.5, advertiserAdCost=100, advertiserAdClicks=50,
        advertiserAdImpressions=1000),
    row("20261002", PAID, "Brand", sessions=10, engagedSessions=5, screenPageViews=20, keyEvents=1,
        transactions=1, totalRevenue=50, advertiserAdCost=100, advertiserAdClicks=10,
        advertiserAdImpressions=100),
    row("20261001", ORG, "(organic)", sessions=200, engagedSessions=120, screenPageViews=500,
        keyEvents=4),
    # September 2026 (previous)
    row("20260915", PAID, "Brand", sessions=50, keyEvents=2, transactions=2, totalRevenue=200,
        advertiserAdCost=40, advertiserAdClicks=20, advertiserAdImpressions=400),
    # October 2025 (yoy)
    row("20251015", ORG, "(organic)", sessions=100),
]
USERS = {("2026-10-01", "2026-10-31"): 250, ("2026-09-01", "2026-09-30"): 40}


@pytest.fixture()
def ga4_cfg(tmp_path, monkeypatch):
    """A params factory for a GA4 client whose warehouse lives in tmp_path."""
    def make(fake, **source):
        monkeypatch.setenv("REPORTKIT_GA4_ENDPOINT", fake.url)
        return config.validate({
            "client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
            "period": "2026-10", "currency": "EUR", "as_of": "2026-11-21",
            "source": {"type": "ga4", "property_id": "123456", **source},
            "warehouse": {"path": str(tmp_path / "wh.duckdb")},
            "kpis": ["sessions", "users", "revenue", "cost", "cpc", "roas", "conversion_rate"]})
    return make


def test_normal_report_one_batch(ga4_cfg):
    with FakeGA4(ROWS, users=USERS) as fake:
        cfg = ga4_cfg(fake)
        data = load(cfg, cfg.periods())
    # one HTTP call: a batch of the three reports (traffic, ads, users), each over 3 ranges
    assert [c["path"] for c in fake.calls] == ["/v1beta/properties/123456:batchRunReports"]
    reqs = fake.requests()
    assert len(reqs) == 3
    assert [m["name"] for m in reqs[0]["metrics"]] == [
        "sessions", "engagedSessions", "screenPageViews", "keyEvents", "transactions", "totalRevenue"]
    assert [d["name"] for d in reqs[0]["dimensions"]] == [
        "date", "sessionDefaultChannelGroup", "sessionCampaignName"]
    assert [m["name"] for m in reqs[1]["metrics"]] == [
        "advertiserAdCost", "advertiserAdClicks", "advertiserAdImpressions"]
    assert [m["name"] for m in reqs[2]["metrics"]] == ["totalUsers"] and not reqs[2].get("dimensions")
    assert [(r["startDate"], r["endDate"]) for r in reqs[0]["dateRanges"]] == [
        ("2026-10-01", "2026-10-31"), ("2026-09-01", "2026-09-30"), ("2025-10-01", "2025-10-31")]
    assert all(r.get("returnPropertyQuota") for r in reqs)

    f = data.facts
    assert len(f) == 5 and set(f["source"]) == {"ga4"}
    oct_ = f[f["date"].dt.strftime("%Y-%m") == "2026-10"]
    assert oct_["sessions"].sum() == 310            # 100 + 10 + 200
    assert oct_["revenue"].sum() == pytest.approx(550.5)   # 500.5 + 50
    assert oct_["cost"].sum() == 200                # 100 + 100 (organic row has no cost: NaN)
    assert oct_["clicks"].sum() == 60               # 50 + 10
    organic = f[(f["channel"] == ORG) & (f["date"] == "2026-10-01")].iloc[0]
    assert organic["campaign"] == "(organic)" and organic["cost"] != organic["cost"]  # NaN
    # users: one figure per range, never summed; yoy had none
    assert data.users_for(cfg.periods().current) == 250
    assert data.users_for(cfg.periods().previous) == 40
    assert data.users_for(cfg.periods().yoy) is None
    quota = [x for x in data.findings if x["kind"] == "quota"]
    assert quota and "tokens left today" in quota[0]["message"]


def test_report_figures_and_data_quality(ga4_cfg):
    with FakeGA4(ROWS, users=USERS, metadata={"subjectToThresholding": True}) as fake:
        r = report.build(ga4_cfg(fake))
    k = r.figures
    assert k["sessions"].value == 310 and k["sessions"].previous == 50 and k["sessions"].yoy == 100
    assert k["cpc"].value == pytest.approx(200 / 60)     # (100 + 100) / (50 + 10)
    assert k["roas"].value == pytest.approx(550.5 / 200)
    assert k["users"].value == 250 and k["users"].previous == 40
    dq = r.sidecar().to_json()["data_quality"]
    kinds = {f.get("kind") for f in dq["findings"]}
    assert {"thresholding", "quota"} <= kinds
    assert dq["status"] == "warning"
    assert len(dq["pulls"]) == 9 and not any(p["cached"] for p in dq["pulls"])


def test_pagination_across_pages(ga4_cfg):
    rows = [row(f"202610{d:02d}", ORG, "(organic)", sessions=d) for d in range(1, 8)]
    with FakeGA4(rows) as fake:
        # without ads there is no cost: a KPI list naming cost would be refused (no cost measure)
        cfg = ga4_cfg(fake, page_size=3, include_ads=False).model_copy(update={"kpis": ["sessions"]})
        data = load(cfg, cfg.periods())
    # 7 traffic rows in pages of 3: offsets 0, 3, 6 -> 3 calls (users fit in page 1)
    offsets = [int(r.get("offset", 0) or 0) for r in fake.requests() if r["metrics"][0]["name"] == "sessions"]
    assert offsets == [0, 3, 6]
    assert len(fake.calls) == 3
    assert len(data.facts) == 7
    assert data.facts["sessions"].sum() == 28      # 1 + 2 + ... + 7


def test_batch_never_exceeds_five_reports(ga4_cfg):
    rows = [row(f"202610{d:02d}", PAID, f"C{d}", sessions=1, advertiserAdCost=1) for d in range(1, 10)]
    with FakeGA4(rows) as fake:
        cfg = ga4_cfg(fake, page_size=2)
        data = load(cfg, cfg.periods())
    assert all(len(c["body"]["requests"]) <= 5 for c in fake.calls)
    assert len(data.facts) == 9 and data.facts["cost"].sum() == 9


@pytest.fixture()
def quick_retries(monkeypatch):
    """The back-off between retries (random up to 0.5 s, then up to 1 s, 2 s) is only a wait
    here: 10 ms, doubling. How many calls are made and when to give up stay the same."""
    monkeypatch.setattr(api, "RETRY_INITIAL_S", 0.01)


@pytest.mark.parametrize("status,message", [
    (503, "The service is currently unavailable."),
    (429, "Exhausted concurrent requests quota."),   # a rate limit: worth retrying
    (500, "Internal error encountered."),
])
def test_transient_error_then_success(ga4_cfg, quick_retries, status, message):
    with FakeGA4(ROWS, users=USERS, script=[(status, message)]) as fake:
        cfg = ga4_cfg(fake)
        data = load(cfg, cfg.periods())
    assert len(fake.calls) == 2                     # the failure, then the retry
    assert data.facts["sessions"].sum() == 460     # 310 + 50 + 100


@pytest.mark.parametrize("message,quota,reset", [
    ("Exhausted property tokens per day quota. Consumption is at 200001 tokens.",
     "daily token quota", "midnight Pacific"),
    ("Exhausted property tokens per hour quota.", "hourly token quota", "within the hour"),
    ("Exhausted project tokens per project per hour quota.", "this project's hourly token quota",
     "within the hour"),
])
def test_exhausted_quota_is_not_retried(ga4_cfg, message, quota, reset):
    with FakeGA4(ROWS, always=(429, message)) as fake:
        cfg = ga4_cfg(fake)
        with pytest.raises(SourceError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1                     # no retry storm
    text = str(err.value)
    assert "123456" in text and quota in text and reset in text
    assert err.value.exit_code == 1


def test_server_errors_retry_a_few_times_only(ga4_cfg, quick_retries):
    with FakeGA4(ROWS, always=(503, "unavailable")) as fake:
        cfg = ga4_cfg(fake)
        with pytest.raises(SourceError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == MAX_RETRIES + 1 == 4
    assert "123456" in str(err.value)


def test_permission_denied_is_a_config_error(ga4_cfg):
    message = "User does not have sufficient permissions for this property."
    with FakeGA4(ROWS, always=(403, message)) as fake:
        cfg = ga4_cfg(fake)
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1
    assert err.value.exit_code == 2
    assert "123456" in str(err.value) and "Viewer access" in str(err.value)


def test_empty_report(ga4_cfg):
    with FakeGA4([]) as fake:
        cfg = ga4_cfg(fake)
        data = load(cfg, cfg.periods())
    assert data.facts.empty and {"date", "channel", "campaign", "source"} <= set(data.facts.columns)
    assert data.users is not None and data.users.empty
    empty = [f for f in data.findings if f["kind"] == "empty"]
    assert {f["period"] for f in empty} == {"current", "previous", "yoy"}
    assert all(f["level"] == "warning" for f in empty)
    assert [f["kind"] for f in data.findings].count("no_ads") == 1


def test_other_row_and_thresholding_and_currency(ga4_cfg):
    rows = ROWS + [row("20261003", PAID, "(other)", sessions=7, advertiserAdCost=3)]
    meta = {"dataLossFromOtherRow": True, "subjectToThresholding": True}
    with FakeGA4(rows, metadata=meta, currency="USD", time_zone="America/Los_Angeles") as fake:
        cfg = ga4_cfg(fake, time_zone="Europe/Berlin")
        data = load(cfg, cfg.periods())
    other = data.facts[data.facts["campaign"] == "(other)"]
    assert len(other) == 1 and other["sessions"].iloc[0] == 7
    by_kind = {f["kind"]: f for f in data.findings}
    assert "(other)" in by_kind["other_row"]["message"]
    assert "privacy" in by_kind["thresholding"]["message"]
    assert by_kind["currency"]["level"] == "warning"
    assert "USD" in by_kind["currency"]["message"] and "EUR" in by_kind["currency"]["message"]
    assert "America/Los_Angeles" in by_kind["time_zone"]["message"]


def test_no_currency_finding_when_currencies_match(ga4_cfg):
    with FakeGA4(ROWS, currency="EUR") as fake:
        cfg = ga4_cfg(fake)
        data = load(cfg, cfg.periods())
    assert not [f for f in data.findings if f["kind"] in ("currency", "other_row", "thresholding")]


def test_sampling_and_cost_restriction(ga4_cfg):
    meta = {"samplingMetadatas": [{"samplesReadCount": "5000", "samplingSpaceSize": "20000"}]}
    restricted = {"advertiserAdCost": [1]}          # RestrictedMetricType.COST_DATA
    with FakeGA4(ROWS, metadata=meta, restricted=restricted) as fake:
        cfg = ga4_cfg(fake)
        data = load(cfg, cfg.periods())
    by_kind = {f["kind"]: f for f in data.findings}
    assert "(25.0%)" in by_kind["sampling"]["message"]        # 5,000 / 20,000
    assert "cost" in by_kind["schema_restriction"]["message"]
    assert data.facts["cost"].fillna(0).sum() == 0           # the API withheld cost


def test_missing_credentials_say_what_to_set(tmp_path, monkeypatch):
    for name in ("REPORTKIT_GA4_ENDPOINT", "REPORTKIT_GA4_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    cfg = config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR",
                           "source": {"type": "ga4", "property_id": "123456"},
                           "warehouse": {"path": str(tmp_path / "wh.duckdb")}})
    with pytest.raises(ConfigError) as err:
        load(cfg, cfg.periods())
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(err.value)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "nope.json"))
    with pytest.raises(ConfigError) as err:
        load(cfg, cfg.periods())
    assert "nope.json" in str(err.value)


def test_credentials_are_not_params():
    with pytest.raises(ConfigError) as err:
        config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                         "period": "2026-10", "currency": "EUR",
                         "source": {"type": "ga4", "property_id": "1", "credentials": "key.json"}})
    assert "source.credentials" in str(err.value) and "unknown key" in str(err.value)


def test_sampling_is_reported_per_range(ga4_cfg):
    # GA4 returns one samplingMetadatas entry per date range, in the order of the request
    meta = {"samplingMetadatas": [{"samplesReadCount": "100", "samplingSpaceSize": "400"},
                                  {"samplesReadCount": "300", "samplingSpaceSize": "600"},
                                  {"samplesReadCount": "50", "samplingSpaceSize": "1000"}]}
    with FakeGA4(ROWS, metadata=meta) as fake:
        cfg = ga4_cfg(fake)
        data = load(cfg, cfg.periods())
    sampling = {f["period"]: f["message"] for f in data.findings if f["kind"] == "sampling"}
    assert "(25.0%)" in sampling["current"]      # 100 / 400
    assert "(50.0%)" in sampling["previous"]     # 300 / 600
    assert "(5.0%)" in sampling["yoy"]           # 50 / 1,000


def test_service_account_key_from_the_environment(tmp_path, monkeypatch):
    # A syntactically real service-account key (fresh RSA key): the client is built from it
    # without any network call; nothing about it goes through params.
    import json as _json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from reportkit.sources.ga4 import make_client
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    key = tmp_path / "key.json"
    key.write_text(_json.dumps({
        "type": "service_account", "project_id": "p", "private_key_id": "k1", "private_key": pem,
        "client_email": "reports@p.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token"}))
    monkeypatch.delenv("REPORTKIT_GA4_ENDPOINT", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("REPORTKIT_GA4_CREDENTIALS", str(key))
    client = make_client()
    creds = client._transport._credentials
    assert creds.service_account_email == "reports@p.iam.gserviceaccount.com"
    assert "https://www.googleapis.com/auth/analytics.readonly" in creds.scopes
    key.write_text("{}")
    with pytest.raises(ConfigError) as err:
        make_client()
    assert "REPORTKIT_GA4_CREDENTIALS" in str(err.value) and "service-account key" in str(err.value)
