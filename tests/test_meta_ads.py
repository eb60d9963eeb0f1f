"""The Meta Ads source with the real facebook-business library against a fake Graph API.

The fake (tests/meta_fake.py) answers like the Marketing API from the rows below; expected
figures are summed by hand in the comments.
"""

import json

import pytest
from meta_fake import TOKEN, FakeMeta, graph_error

from reportkit import config, report
from reportkit.errors import ConfigError, SourceError
from reportkit.sources import load
from reportkit.sources.meta_ads import api

pytestmark = pytest.mark.slow  # a fake server and a DuckDB warehouse per test

PURCHASE = "offsite_conversion.fb_pixel_purchase"


def row(d, campaign, spend, impressions, clicks, purchases=0, value=0, leads=0):
    actions = {k: v for k, v in ((PURCHASE, purchases), ("lead", leads)) if v}
    return {"date": d, "campaign": campaign, "spend": spend, "impressions": impressions,
            "clicks": clicks, "actions": actions, "action_values": {PURCHASE: value} if value else {}}


ROWS = [
    row("2026-10-01", "Prospecting", 10.5, 1000, 20, purchases=2, value=80.0, leads=5),
    row("2026-10-01", "Retargeting", 4.25, 300, 9, purchases=1, value=45.5),
    row("2026-10-02", "Prospecting", 12.0, 1200, 30, leads=1),
    row("2026-09-20", "Prospecting", 7.0, 500, 10, purchases=1, value=20.0),
    row("2025-10-03", "Prospecting", 3.0, 100, 2),
]


@pytest.fixture(autouse=True)
def quick_waits(monkeypatch):
    """Back-off and job polling are only waits: 10 ms here; the calls made stay the same."""
    monkeypatch.setattr(api, "RETRY_INITIAL_S", 0.01)
    monkeypatch.setattr(api, "POLL_S", 0.01)


@pytest.fixture()
def meta_cfg(tmp_path, monkeypatch):
    def make(fake, token=TOKEN, **source):
        monkeypatch.setenv("REPORTKIT_META_ENDPOINT", fake.url)
        monkeypatch.setenv("REPORTKIT_META_ACCESS_TOKEN", token)
        return config.validate({
            "client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
            "period": "2026-10", "currency": "EUR", "as_of": "2026-11-21",
            "source": {"type": "meta_ads", "account_id": "1234", "conversions": [PURCHASE], **source},
            "warehouse": {"path": str(tmp_path / "wh.duckdb")},
            "kpis": ["cost", "clicks", "conversions", "revenue", "roas", "cpc"]})
    return make


def test_insights_per_campaign_and_day(meta_cfg):
    with FakeMeta(ROWS) as fake:
        cfg = meta_cfg(fake)
        data = load(cfg, cfg.periods())
        # the account once, then one insights call per range (current, previous, yoy)
        assert len(fake.calls) == 4
        again = load(cfg, cfg.periods())
        assert len(fake.calls) == 4          # the second run makes no call
    first = fake.insight_calls()[0]
    assert first["path"] == "/v26.0/act_1234/insights" and first["method"] == "GET"
    q = first["query"]
    assert q["level"] == "campaign" and q["time_increment"] == "1"
    assert json.loads(q["time_range"]) == {"since": "2026-10-01", "until": "2026-10-31"}
    assert {"spend", "actions", "action_values", "campaign_name"} <= set(q["fields"].split(","))
    f = data.facts
    oct_ = f[f["date"].dt.strftime("%Y-%m") == "2026-10"]
    assert oct_["cost"].sum() == pytest.approx(26.75)     # 10.5 + 4.25 + 12.0
    assert oct_["impressions"].sum() == 2500              # 1000 + 300 + 1200
    assert oct_["clicks"].sum() == 59                     # 20 + 9 + 30
    assert oct_["conversions"].sum() == 3                 # purchases 2 + 1 (leads not asked for)
    assert oct_["revenue"].sum() == pytest.approx(125.5)  # 80.0 + 45.5
    assert set(f["channel"]) == {"Paid Social"} and set(f["source"]) == {"meta_ads"}
    assert sum(p["calls"] for p in data.pulls) == 4 and sum(p["calls"] for p in again.pulls) == 0
    assert data.pulls[0]["quota"]["x-business-use-case-usage"]["999"][0]["call_count"] == 5


def test_report_figures(meta_cfg):
    with FakeMeta(ROWS) as fake:
        k = report.build(meta_cfg(fake)).figures
    assert k["cost"].value == pytest.approx(26.75) and k["cost"].previous == 7
    assert k["roas"].value == pytest.approx(125.5 / 26.75)
    assert k["cpc"].value == pytest.approx(26.75 / 59)


def test_lead_action_type(meta_cfg):
    with FakeMeta(ROWS) as fake:
        cfg = meta_cfg(fake, conversions=["lead"])
        data = load(cfg, cfg.periods())
    assert data.facts["conversions"].sum() == 6           # 5 + 1
    assert data.facts["revenue"].sum() == 0               # leads have no action_values here


def test_cursor_paging(meta_cfg):
    rows = [row(f"2026-10-{d:02d}", f"C{c}", 1, 10, 1) for d in range(1, 4) for c in range(3)]
    with FakeMeta(rows) as fake:
        cfg = meta_cfg(fake, page_size=4)
        data = load(cfg, cfg.periods())
    current = [c for c in fake.insight_calls() if "2026-10-01" in c["query"]["time_range"]]
    # 9 rows in pages of 4: the first call, then after=4 and after=8
    assert [c["query"].get("after") for c in current] == [None, "4", "8"]
    assert len(data.facts) == 9 and data.facts["cost"].sum() == 9


def test_long_range_runs_as_async_job(meta_cfg):
    with FakeMeta(ROWS, running_polls=2) as fake:
        cfg = meta_cfg(fake, async_after_days=20)
        data = load(cfg, cfg.periods())
    posts = [c for c in fake.calls if c["method"] == "POST"]
    assert len(posts) == 3 and posts[0]["body"]["level"] == "campaign"
    # per range: POST, 3 status polls (running, running, completed), 1 page = 5; 3 ranges + account
    assert len(fake.calls) == 1 + 3 * 5
    assert data.facts["cost"].sum() == pytest.approx(36.75)   # 26.75 + 7 + 3


@pytest.mark.parametrize("code", [4, 17, 613, 80004])
def test_rate_limit_then_success(meta_cfg, code):
    with FakeMeta(ROWS, script=[graph_error(code, "Too many calls")]) as fake:
        cfg = meta_cfg(fake)
        data = load(cfg, cfg.periods())
    assert len(fake.calls) == 5                            # the error, then the 4 calls
    assert data.facts["cost"].sum() == pytest.approx(36.75)


def test_transient_error_then_success(meta_cfg):
    with FakeMeta(ROWS, script=[(500, {"error": {"message": "An unknown error occurred", "code": 1,
                                                 "type": "OAuthException"}})]) as fake:
        cfg = meta_cfg(fake)
        load(cfg, cfg.periods())
    assert len(fake.calls) == 5


def test_quota_exhausted_is_one_call_and_says_when(meta_cfg):
    usage = json.dumps({"999": [{"type": "ads_insights", "call_count": 100, "total_cputime": 40,
                                 "total_time": 60, "estimated_time_to_regain_access": 17}]})
    limit = graph_error(80004, "There have been too many calls to this ad-account.",
                        headers={"x-business-use-case-usage": usage})
    with FakeMeta(ROWS, always=limit) as fake:
        cfg = meta_cfg(fake)
        with pytest.raises(SourceError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1 and err.value.exit_code == 1
    assert "in about 17 minutes" in str(err.value) and "1234" in str(err.value)


def test_expired_token_is_a_config_error(meta_cfg):
    with FakeMeta(ROWS) as fake:
        cfg = meta_cfg(fake, token="expired")
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1 and err.value.exit_code == 2
    assert "expired" in str(err.value) and "REPORTKIT_META_ACCESS_TOKEN" in str(err.value)


def test_unknown_account_is_a_config_error(meta_cfg):
    with FakeMeta(ROWS, account="999") as fake:
        cfg = meta_cfg(fake)
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert "Meta ad account 1234" in str(err.value)


def test_currency_and_time_zone_findings_and_empty(meta_cfg):
    with FakeMeta([], currency="USD", time_zone="America/New_York") as fake:
        cfg = meta_cfg(fake, time_zone="Europe/Berlin")
        data = load(cfg, cfg.periods())
    assert data.facts.empty
    by_kind = {f["kind"]: f for f in data.findings}
    assert "USD" in by_kind["currency"]["message"] and "EUR" in by_kind["currency"]["message"]
    assert "America/New_York" in by_kind["time_zone"]["message"]
    assert [f["period"] for f in data.findings if f["kind"] == "empty"] == ["current", "previous", "yoy"]


def test_missing_token(tmp_path, monkeypatch):
    monkeypatch.delenv("REPORTKIT_META_ACCESS_TOKEN", raising=False)
    cfg = config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR",
                           "source": {"type": "meta_ads", "account_id": "1234"},
                           "warehouse": {"path": str(tmp_path / "wh.duckdb")}})
    with pytest.raises(ConfigError) as err:
        load(cfg, cfg.periods())
    assert "REPORTKIT_META_ACCESS_TOKEN" in str(err.value)


def test_cli_pull_exit_status_for_an_expired_token_and_for_a_used_up_limit(tmp_path):
    import os
    import subprocess
    import sys

    import yaml
    (tmp_path / "params").mkdir()
    for name in ("a", "b"):
        (tmp_path / "params" / f"{name}.yaml").write_text(yaml.safe_dump({
            "client_id": name, "client_name": name, "business_model": "ecommerce", "period": "2026-10",
            "currency": "EUR", "source": {"type": "meta_ads", "account_id": "1234"}}))

    def pull(fake, token):
        env = {**os.environ, "REPORTKIT_ROOT": str(tmp_path), "REPORTKIT_META_ENDPOINT": fake.url,
               "REPORTKIT_META_ACCESS_TOKEN": token}
        return subprocess.run([sys.executable, "-m", "reportkit.cli", "pull", "--all"], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=120)

    with FakeMeta(ROWS) as fake:
        expired = pull(fake, "expired")
    assert expired.returncode == 2 and "Traceback" not in expired.stderr
    assert "FAILED" in expired.stderr and "a.yaml" in expired.stderr
    assert "access token is invalid or has expired" in expired.stderr
    usage = json.dumps({"9": [{"type": "ads_insights", "call_count": 100,
                               "estimated_time_to_regain_access": 5}]})
    with FakeMeta(ROWS, script=[graph_error(17, "User request limit reached",
                                            headers={"x-business-use-case-usage": usage})]) as fake:
        limited = pull(fake, TOKEN)
    # a: the limit (exit 1, one call); b: pulled normally (account + 3 ranges)
    assert limited.returncode == 1 and "in about 5 minutes" in limited.stderr
    assert "ok      b" in limited.stdout and len(fake.calls) == 5
    assert "meta_ads        4 calls, 3 pulled, 0 cached" in limited.stdout


def test_unreachable_api_never_shows_the_token(tmp_path, monkeypatch):
    import socket
    with socket.socket() as s:          # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("REPORTKIT_META_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("REPORTKIT_META_ACCESS_TOKEN", "secret-token-123")
    cfg = config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR",
                           "source": {"type": "meta_ads", "account_id": "1234"},
                           "warehouse": {"path": str(tmp_path / "wh.duckdb")}})
    with pytest.raises(SourceError) as err:
        load(cfg, cfg.periods())
    assert "could not be reached" in str(err.value) and "secret-token-123" not in str(err.value)
