"""The DuckDB warehouse: cached pulls, freshness, --refresh, and two processes at once."""

import os
import subprocess
import sys
from datetime import date, timedelta

import duckdb
import pytest
import yaml
from ga4_fake import FakeGA4

from reportkit import config
from reportkit import report
from reportkit.sources import load
from reportkit.sources.warehouse import PullKey, Warehouse, is_final, usable, utcnow

pytestmark = pytest.mark.slow  # the fake GA4 server, DuckDB files and the CLI in subprocesses

ORG = "Organic Search"


def rows_between(start: date, days: int, sessions=10):
    return [{"date": (start + timedelta(d)).strftime("%Y%m%d"), "sessionDefaultChannelGroup": ORG,
             "sessionCampaignName": "(organic)", "sessions": sessions} for d in range(days)]


ROWS = rows_between(date(2025, 9, 1), 450)   # 1 Sep 2025 .. 24 Nov 2026, 10 sessions a day


def make_cfg(fake, tmp_path, monkeypatch, client_id="shop", **extra):
    monkeypatch.setenv("REPORTKIT_GA4_ENDPOINT", fake.url)
    values = {"client_id": client_id, "client_name": "Shop", "business_model": "publisher",
              "period": "2026-10", "currency": "EUR",
              "source": {"type": "ga4", "property_id": "42", "include_ads": False},
              "warehouse": {"path": str(tmp_path / "wh.duckdb")}, **extra}
    return config.validate(values)


def test_second_run_makes_no_source_call(tmp_path, monkeypatch):
    with FakeGA4(ROWS) as fake:
        cfg = make_cfg(fake, tmp_path, monkeypatch)
        first = report.build(cfg)
        calls = len(fake.calls)
        second = report.build(cfg)
    assert calls == 1 and len(fake.calls) == 1            # the second run is served by DuckDB
    assert first.figures["sessions"].value == second.figures["sessions"].value == 310  # 31 x 10
    assert all(p["cached"] for p in second.data_quality["pulls"])
    assert not any(p["cached"] for p in first.data_quality["pulls"])


def test_refresh_pulls_again(tmp_path, monkeypatch):
    with FakeGA4(ROWS) as fake:
        cfg = make_cfg(fake, tmp_path, monkeypatch)
        load(cfg, cfg.periods())
        before = Warehouse(tmp_path / "wh.duckdb").summary()
        data = load(cfg, cfg.periods(), refresh=True)
    assert len(fake.calls) == 2
    after = Warehouse(tmp_path / "wh.duckdb").summary()
    assert len(before) == len(after) == 6          # traffic and users x 3 ranges, replaced not added
    assert (after["pulled_at"] > before["pulled_at"]).all()
    assert data.facts["sessions"].sum() == 310 + 300 + 310   # Oct 26, Sep 26, Oct 25 at 10 a day


def test_next_month_reuses_the_overlapping_range(tmp_path, monkeypatch):
    with FakeGA4(ROWS) as fake:
        load(*_with_periods(make_cfg(fake, tmp_path, monkeypatch, period="2026-09")))
        load(*_with_periods(make_cfg(fake, tmp_path, monkeypatch, period="2026-10")))
    # October's previous period (September) was September's current one: not asked again
    second = fake.requests()[-2:]
    ranges = {(r["startDate"], r["endDate"]) for q in second for r in q["dateRanges"]}
    assert ranges == {("2026-10-01", "2026-10-31"), ("2025-10-01", "2025-10-31")}


def _with_periods(cfg):
    return cfg, cfg.periods()


def test_recent_days_are_pulled_again_after_the_fresh_window(tmp_path, monkeypatch):
    today = date.today()
    start, end = today - timedelta(days=7), today - timedelta(days=1)
    with FakeGA4(rows_between(today - timedelta(days=800), 800)) as fake:
        cfg = make_cfg(fake, tmp_path, monkeypatch, period=None, start=start.isoformat(),
                       end=end.isoformat())
        load(cfg, cfg.periods())
        load(cfg, cfg.periods())                        # inside the 24 h window: no call
        assert len(fake.calls) == 1
        # make every pull 25 hours old: only the range that was not final yet is pulled again
        with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
            con.execute("UPDATE pulls SET pulled_at = pulled_at - INTERVAL 25 HOUR")
        load(cfg, cfg.periods())
    assert len(fake.calls) == 2
    last = fake.requests()[-2:]
    assert [[(r["startDate"], r["endDate"]) for r in q["dateRanges"]] for q in last] == \
        [[(start.isoformat(), end.isoformat())]] * 2


def test_final_and_fresh_rules():
    # a range ending 31 Oct is final when pulled from 3 Nov 00:00 (48 h after 1 Nov 00:00, + a day)
    from datetime import datetime
    assert not is_final(date(2026, 10, 31), datetime(2026, 11, 2, 23, 59))
    assert is_final(date(2026, 10, 31), datetime(2026, 11, 3, 0, 0))
    assert usable(None, 24) is False


def test_put_and_get_round_trip(tmp_path):
    import pandas as pd
    store = Warehouse(tmp_path / "w.duckdb")
    key = PullKey("c", "ga4:1", "traffic:x", date(2026, 10, 1), date(2026, 10, 31))
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-02"]),
                          "channel": ["Email", "Email"], "campaign": ["(not set)", "News"],
                          "sessions": [3.0, 4.0]})
    store.put(key, frame, {"currency_code": "EUR"}, pulled_at=utcnow())
    got = store.get(key)
    assert list(got.frame.columns) == ["date", "channel", "campaign", "sessions"]
    assert got.frame["sessions"].tolist() == [3.0, 4.0] and got.meta == {"currency_code": "EUR"}
    assert store.get(PullKey("other", "ga4:1", "traffic:x", date(2026, 10, 1), date(2026, 10, 31))) is None


def _project(tmp_path, clients):
    (tmp_path / "params").mkdir()
    for client_id, prop in clients:
        (tmp_path / "params" / f"{client_id}.yaml").write_text(yaml.safe_dump({
            "client_id": client_id, "client_name": client_id.title(), "business_model": "publisher",
            "period": "2026-10", "currency": "EUR",
            "source": {"type": "ga4", "property_id": prop, "include_ads": False}}))


def _reportkit(tmp_path, fake, *args):
    env = {**os.environ, "REPORTKIT_ROOT": str(tmp_path), "REPORTKIT_GA4_ENDPOINT": fake.url}
    return subprocess.Popen([sys.executable, "-m", "reportkit.cli", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_pull_then_refresh(tmp_path):
    _project(tmp_path, [("alpha", "1")])
    with FakeGA4(ROWS) as fake:
        first = _reportkit(tmp_path, fake, "pull", "--all")
        out1 = first.communicate(timeout=120)
        again = _reportkit(tmp_path, fake, "pull", "params/alpha.yaml")
        out2 = again.communicate(timeout=120)
        refresh = _reportkit(tmp_path, fake, "pull", "params/alpha.yaml", "--refresh")
        out3 = refresh.communicate(timeout=120)
    assert first.returncode == again.returncode == refresh.returncode == 0, (out1, out2, out3)
    assert "pulled 6, cached 0" in out1[0]
    assert "pulled 0, cached 6" in out2[0]
    assert "pulled 6, cached 0" in out3[0]
    assert len(fake.calls) == 2                      # the cached run made no call
    assert (tmp_path / "data" / "warehouse.duckdb").is_file()


def test_two_processes_writing_different_clients(tmp_path):
    _project(tmp_path, [("alpha", "1"), ("beta", "2")])
    # each process refreshes its client 3 times; the fake answers slowly so the writes interleave
    with FakeGA4(ROWS, delay_s=0.05) as fake:
        procs = [_reportkit(tmp_path, fake, "pull", *[f"params/{c}.yaml"] * 3, "--refresh")
                 for c in ("alpha", "beta")]
        outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert len(fake.calls) == 6
    summary = Warehouse(tmp_path / "data" / "warehouse.duckdb").summary()
    assert sorted(summary.groupby("client_id").size().items()) == [("alpha", 6), ("beta", 6)]
    # the cache key names the endpoint: a test server's data is never served as the real property's
    assert set(summary["source"]) == {f"ga4:1@{fake.url}", f"ga4:2@{fake.url}"}


def test_cli_pull_failure_does_not_stop_other_clients(tmp_path):
    _project(tmp_path, [("alpha", "1"), ("beta", "2")])
    with FakeGA4(ROWS, script=[(403, "no access")]) as fake:
        proc = _reportkit(tmp_path, fake, "pull", "--all")
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2                       # 403: fix the config/access
    assert "FAILED" in err and "params/alpha.yaml" in err and "Viewer access" in err
    assert "ok      beta" in out


@pytest.mark.parametrize("source", [{"type": "demo"}])
def test_pull_of_a_file_source_has_nothing_to_cache(source, monkeypatch, tmp_path):
    from reportkit.sources import pull
    cfg = config.validate({"client_id": "acme_outdoor", "client_name": "A", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR", "source": source,
                           "warehouse": {"path": str(tmp_path / "wh.duckdb")}})
    done = pull(cfg)
    assert done["pulled"] == done["cached"] == 0 and done["rows"] > 0


# --- readers: a notebook's read-only connection never breaks a pull or a run --------------

READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print(con.execute("SELECT count(*) FROM pulls").fetchone()[0], flush=True)
sys.stdin.readline()                      # held open until the test says so
count, last = con.execute("SELECT count(*), max(pulled_at) FROM pulls").fetchone()
print(count, last.isoformat(), flush=True)
"""


def _holder(path, mode):
    """A second process holding a real DuckDB connection on ``path`` (``ro``: read-only)."""
    proc = subprocess.Popen([sys.executable, "-c", READER, str(path), mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline().strip()
    assert first.isdigit(), proc.stderr.read()
    return proc, int(first)


def test_a_read_only_reader_never_breaks_a_pull_or_a_run(tmp_path):
    _project(tmp_path, [("alpha", "1"), ("beta", "2")])
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    with FakeGA4(ROWS) as fake:
        assert _reportkit(tmp_path, fake, "pull", "params/alpha.yaml").wait(timeout=120) == 0
        before = Warehouse(warehouse).summary()["pulled_at"].max()
        reader, seen = _holder(warehouse, "ro")
        try:
            pull = _reportkit(tmp_path, fake, "pull", "params/alpha.yaml", "--refresh")
            pull_out = pull.communicate(timeout=120)
            # beta was never pulled: its run pulls and writes the warehouse under the reader
            run = _reportkit(tmp_path, fake, "run", "params/beta.yaml", "--out", "reports")
            run_out = run.communicate(timeout=300)
            late_reader, _ = _holder(warehouse, "ro")      # a reader that connects now sees the new file
            late_reader.communicate("\n", timeout=30)
            held = reader.communicate("\n", timeout=30)[0]
        finally:
            reader.kill()
    assert pull.returncode == 0, pull_out
    assert "pulled 6, cached 0" in pull_out[0]
    assert run.returncode == 0, run_out
    assert (tmp_path / "reports" / "2026-10" / "beta.html").is_file()
    assert len(fake.calls) == 3      # alpha's pull, its --refresh, beta's run: one batch call each
    # the reader held open all along still answers, from the copy it opened
    assert seen == 6 and held.split() == ["6", before.isoformat()]
    after = Warehouse(warehouse).summary()
    assert sorted(after.groupby("client_id").size().items()) == [("alpha", 6), ("beta", 6)]
    assert (after["pulled_at"] > before).all()
    assert not list(warehouse.parent.glob(".warehouse.duckdb.*"))   # no scratch copy left behind


def test_a_writer_holding_the_warehouse_gives_a_clear_message(tmp_path):
    _project(tmp_path, [("alpha", "1")])
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    with FakeGA4(ROWS) as fake:
        assert _reportkit(tmp_path, fake, "pull", "--all").wait(timeout=120) == 0
        writer, _ = _holder(warehouse, "rw")       # duckdb.connect(path) without read_only=True
        try:
            proc = _reportkit(tmp_path, fake, "pull", "params/alpha.yaml", "--refresh")
            out, err = proc.communicate(timeout=120)
        finally:
            writer.kill()
    assert proc.returncode == 1, (out, err)
    assert "another process holds it open for writing" in err and f"PID {writer.pid}" in err
    assert "read_only=True" in err and "Traceback" not in err


def _one_pull(tmp_path):
    """A warehouse at tmp_path/w.duckdb holding one pull of one row (3 sessions)."""
    import pandas as pd
    store = Warehouse(tmp_path / "w.duckdb")
    key = PullKey("c", "ga4:1", "q", date(2026, 10, 1), date(2026, 10, 31))
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01"]), "channel": ["Email"],
                          "campaign": ["(not set)"], "sessions": [3.0]})
    store.put(key, frame, {})
    return store, key, frame


def test_a_killed_writers_scratch_copy_is_removed_by_the_next_write(tmp_path):
    store, key, frame = _one_pull(tmp_path)
    left = tmp_path / ".w.duckdb.99999999.tmp"           # what a writer killed mid-write leaves
    left.write_bytes(b"half a copy")
    store.put(key, frame, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]
    assert store.get(key).frame["sessions"].tolist() == [3.0]


def test_a_wal_left_by_a_dead_outside_writer_is_read_and_folded_in(tmp_path):
    store, key, frame = _one_pull(tmp_path)
    # a process outside reportkit writes without a checkpoint and dies: its change is in the WAL
    subprocess.run([sys.executable, "-c", "import duckdb, os, sys\n"
                    "con = duckdb.connect(sys.argv[1])\ncon.execute(\"SET checkpoint_threshold='1GB'\")\n"
                    "con.execute('UPDATE pull_rows SET sessions = 7')\nos._exit(0)", str(store.path)], check=True)
    assert (tmp_path / "w.duckdb.wal").is_file()
    assert store.get(key).frame["sessions"].tolist() == [7.0]            # read-only replays it
    other = PullKey("c", "ga4:1", "q2", date(2026, 10, 1), date(2026, 10, 31))
    store.put(other, frame, {})                                          # the copy folds it in
    assert not (tmp_path / "w.duckdb.wal").exists()
    assert store.get(key).frame["sessions"].tolist() == [7.0] and store.get(other) is not None
