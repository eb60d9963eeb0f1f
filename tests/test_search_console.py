"""The Search Console source with the real google-api-python-client against a fake server.

The fake (tests/search_console_fake.py) answers like Search Console from the rows below;
expected figures are summed by hand in the comments.
"""

import pytest
from search_console_fake import FakeSearchConsole, error

from reportkit import config, report
from reportkit.errors import ConfigError, SourceError
from reportkit.sources import load, warehouse
from reportkit.sources.search_console import api

pytestmark = pytest.mark.slow  # a fake server and a DuckDB warehouse per test

SITE = "sc-domain:example.com"


def day(d, clicks, impressions, position, **dims):
    return {"date": d, "clicks": clicks, "impressions": impressions, "position": position, **dims}


ROWS = [
    day("2026-10-01", 10, 100, 2.0, page="/a"),
    day("2026-10-01", 5, 400, 8.0, page="/b"),
    day("2026-10-02", 20, 500, 4.0, page="/a"),
    day("2026-09-10", 7, 70, 3.0, page="/a"),
    day("2025-10-05", 1, 50, 10.0, page="/a"),
]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """The back-off between retries is only a wait: 10 ms here, the calls made stay the same."""
    monkeypatch.setattr(api, "RETRY_INITIAL_S", 0.01)


@pytest.fixture()
def sc_cfg(tmp_path, monkeypatch):
    def make(fake, **source):
        monkeypatch.setenv("REPORTKIT_SEARCH_CONSOLE_ENDPOINT", fake.url)
        return config.validate({
            "client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
            "period": "2026-10", "currency": "EUR", "as_of": "2026-11-21",
            "source": {"type": "search_console", "site_url": SITE, **source},
            "warehouse": {"path": str(tmp_path / "wh.duckdb")},
            "kpis": ["organic_clicks", "organic_impressions", "organic_ctr", "avg_position"]})
    return make


def test_daily_pull_totals_and_cache(sc_cfg):
    with FakeSearchConsole(ROWS) as fake:
        cfg = sc_cfg(fake)
        data = load(cfg, cfg.periods())
        assert len(fake.calls) == 3          # one per range: current, previous, yoy
        again = load(cfg, cfg.periods())
        assert len(fake.calls) == 3          # the second run makes no call
    body = fake.queries()[0]
    assert body["dimensions"] == ["date"] and body["rowLimit"] == 25000 and body["startRow"] == 0
    assert body["dataState"] == "all" and (body["startDate"], body["endDate"]) == ("2026-10-01", "2026-10-31")
    assert fake.calls[0]["path"] == "/webmasters/v3/sites/sc-domain%3Aexample.com/searchAnalytics/query"
    f = data.facts
    oct_ = f[f["date"].dt.strftime("%Y-%m") == "2026-10"]
    assert oct_["organic_clicks"].sum() == 35           # 10 + 5 + 20
    assert oct_["organic_impressions"].sum() == 1000    # 100 + 400 + 500
    # position_sum = 2*100 + 8*400 + 4*500 = 200 + 3200 + 2000 = 5400
    assert oct_["position_sum"].sum() == pytest.approx(5400)
    assert set(f["channel"]) == {"Organic Search"} and set(f["source"]) == {"search_console"}
    assert "clicks" not in f.columns or f["clicks"].isna().all()   # never ad clicks
    assert [p["cached"] for p in again.pulls] == [True, True, True]
    assert sum(p["calls"] for p in data.pulls) == 3 and sum(p["calls"] for p in again.pulls) == 0


def test_report_kpis_weighted_by_impressions(sc_cfg):
    with FakeSearchConsole(ROWS) as fake:
        k = report.build(sc_cfg(fake)).figures
    assert k["organic_clicks"].value == 35 and k["organic_clicks"].previous == 7
    assert k["organic_ctr"].value == pytest.approx(35 / 1000)
    assert k["avg_position"].value == pytest.approx(5400 / 1000)   # 5.4, not the mean 4.67


def test_breakdown_pages_with_start_row(sc_cfg):
    rows = [day(f"2026-10-{d:02d}", d, 10 * d, 1.0, page=f"/p{p}") for d in range(1, 6) for p in range(3)]
    with FakeSearchConsole(rows) as fake:
        cfg = sc_cfg(fake, breakdown="page", page_size=4)
        data = load(cfg, cfg.periods())
    current = [b for b in fake.queries() if b["startDate"] == "2026-10-01"]
    # 15 rows (5 days x 3 pages) in pages of 4: startRow 0, 4, 8, 12 (the last page has 3)
    assert [b["startRow"] for b in current] == [0, 4, 8, 12]
    assert current[0]["dimensions"] == ["date", "page"]
    assert len(data.facts) == 15 and set(data.facts["campaign"]) == {"/p0", "/p1", "/p2"}
    assert data.facts["organic_clicks"].sum() == 45       # 3 x (1 + 2 + 3 + 4 + 5)


def test_transient_error_then_success(sc_cfg):
    with FakeSearchConsole(ROWS, script=[error(503, "Backend Error", "backendError")]) as fake:
        cfg = sc_cfg(fake)
        data = load(cfg, cfg.periods())
    assert len(fake.calls) == 4                           # 503, then the three ranges
    assert data.facts["organic_clicks"].sum() == 43       # 35 + 7 + 1


def test_quota_exhausted_is_one_call_and_a_clear_failure(sc_cfg):
    quota = error(429, "Search Analytics load quota exceeded for this site.", "quotaExceeded")
    with FakeSearchConsole(ROWS, always=quota) as fake:
        cfg = sc_cfg(fake)
        with pytest.raises(SourceError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1
    assert SITE in str(err.value) and "quota" in str(err.value) and "again" in str(err.value)
    assert err.value.exit_code == 1


@pytest.mark.parametrize("status,words", [(401, "authentication failed"), (403, "permission denied")])
def test_bad_credentials_are_config_errors(sc_cfg, status, words):
    with FakeSearchConsole(ROWS, always=error(status, "Request had invalid credentials.")) as fake:
        cfg = sc_cfg(fake)
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert len(fake.calls) == 1 and err.value.exit_code == 2
    assert words in str(err.value) and SITE in str(err.value)


def test_site_without_access_names_the_site(sc_cfg):
    with FakeSearchConsole(ROWS, sites=["sc-domain:other.com"]) as fake:
        cfg = sc_cfg(fake)
        with pytest.raises(ConfigError) as err:
            load(cfg, cfg.periods())
    assert "Users and permissions" in str(err.value)


def test_empty_result_and_time_zone_finding(sc_cfg):
    with FakeSearchConsole([]) as fake:
        cfg = sc_cfg(fake, time_zone="Europe/Berlin")
        data = load(cfg, cfg.periods())
    assert data.facts.empty
    kinds = [(f["kind"], f["period"]) for f in data.findings]
    assert ("empty", "current") in kinds and ("time_zone", "all") in kinds
    assert "Pacific" in next(f["message"] for f in data.findings if f["kind"] == "time_zone")


def test_fresh_days_are_not_final_and_pulled_again(sc_cfg, tmp_path):
    rows = [*ROWS, day("2026-10-30", 3, 30, 5.0)]
    with FakeSearchConsole(rows, first_incomplete="2026-10-30") as fake:
        cfg = sc_cfg(fake)
        data = load(cfg, cfg.periods())
        assert data.facts["organic_clicks"].sum() == 46      # 35 + 3 fresh + 7 + 1
        final = {p["period"]: p["final"] for p in data.pulls}
        assert final == {"current": False, "previous": True, "yoy": True}
        assert any(f["kind"] == "not_final" and "30 Oct 2026" in f["message"] for f in data.findings)
        # a day later (fresh_hours has passed): only the not-final range is pulled again
        store = warehouse.Warehouse(tmp_path / "wh.duckdb")
        with store.connect(write=True) as con:
            con.execute("UPDATE pulls SET pulled_at = pulled_at - INTERVAL 2 DAY")
        load(cfg, cfg.periods())
    assert len(fake.calls) == 4 and fake.queries()[3]["startDate"] == "2026-10-01"


def test_data_state_final_leaves_fresh_days_out(sc_cfg):
    rows = [*ROWS, day("2026-10-30", 3, 30, 5.0)]
    with FakeSearchConsole(rows, first_incomplete="2026-10-30") as fake:
        cfg = sc_cfg(fake, data_state="final")
        data = load(cfg, cfg.periods())
    assert fake.queries()[0]["dataState"] == "final"
    assert data.facts["organic_clicks"].sum() == 43       # 35 + 7 + 1: the fresh day is left out


def test_missing_credentials_say_what_to_set(tmp_path, monkeypatch):
    for name in ("REPORTKIT_SEARCH_CONSOLE_ENDPOINT", "REPORTKIT_SEARCH_CONSOLE_CREDENTIALS",
                 "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    cfg = config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR",
                           "source": {"type": "search_console", "site_url": SITE},
                           "warehouse": {"path": str(tmp_path / "wh.duckdb")}})
    with pytest.raises(ConfigError) as err:
        load(cfg, cfg.periods())
    assert "REPORTKIT_SEARCH_CONSOLE_CREDENTIALS" in str(err.value) and err.value.exit_code == 2


def test_site_url_is_checked():
    with pytest.raises(ConfigError) as err:
        config.validate({"client_id": "shop", "client_name": "Shop", "business_model": "ecommerce",
                         "period": "2026-10", "currency": "EUR",
                         "source": {"type": "search_console", "site_url": "example.com"}})
    assert "site_url" in str(err.value)
