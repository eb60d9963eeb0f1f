"""The facts file per client: the report's canonical facts for SQL, readable while the facts
are rewritten and while the client's report runs."""

import duckdb
import yaml
import pytest

from reportkit import config
from reportkit.deliver import facts_db
from test_analyst_cells import run_cli


def _cfg(small_facts):
    return config.validate({
        "client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "period": "2024-03", "currency": "EUR", "source": {"type": "csv", "path": str(small_facts)}})


def test_the_facts_and_the_three_ranges_answer_sql(small_facts):
    path, rows = facts_db.write(_cfg(small_facts))
    assert path == facts_db.facts_path("testco") and rows == 5
    with duckdb.connect(str(path), read_only=True) as con:
        # March (current): cost 100 + 100 = 200, clicks 50 + 10 = 60; February 10 is the
        # previous range, 15 March 2023 the same period last year
        assert con.execute("SELECT sum(cost), sum(clicks) FROM current").fetchone() == (200, 60)
        assert con.execute("SELECT count(*), sum(sessions) FROM previous").fetchone() == (1, 50)
        assert con.execute("SELECT count(*), sum(sessions) FROM yoy").fetchone() == (1, 100)
        assert con.execute("SELECT DISTINCT client_id FROM facts").fetchall() == [("testco",)]
        assert dict(con.execute("DESCRIBE facts").fetchall()[i][:2] for i in range(2))["date"] == "DATE"


@pytest.mark.slow
def test_a_reader_held_open_never_breaks_a_rewrite_or_a_run(small_facts, tmp_path):
    cfg = _cfg(small_facts)
    february = config.validate({**cfg.model_dump(mode="json", exclude_defaults=True), "period": "2024-02"})
    path, _ = facts_db.write(february)                       # current = February: cost 40
    reader = duckdb.connect(str(path), read_only=True)
    try:
        assert reader.execute("SELECT sum(cost) FROM current").fetchone() == (40,)
        facts_db.write(february)                              # the facts rewritten under the reader
        params = tmp_path / "testco.yaml"
        params.write_text(yaml.safe_dump(cfg.model_dump(mode="json", exclude_defaults=True)))
        proc = run_cli(facts_db.facts_path("x").parents[2], params, "--out", tmp_path / "reports", "--workers", "1")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "facts file was not refreshed" not in proc.stderr
        assert reader.execute("SELECT sum(cost) FROM current").fetchone() == (40,)  # still reads its copy
    finally:
        reader.close()
    # ``reportkit run`` (March) refreshed the file: current is now March, cost 100 + 100
    with duckdb.connect(str(path), read_only=True) as again:
        assert again.execute("SELECT count(*) FROM facts").fetchone() == (5,)
        assert again.execute("SELECT sum(cost) FROM current").fetchone() == (200,)


def test_the_facts_file_holds_the_facts_the_report_was_computed_from(small_facts):
    """After a report, the facts file is written from the facts that report loaded (the
    in-process engine runs in the same process), not from a second read of the sources."""
    from reportkit import sources
    cfg = _cfg(small_facts)
    data = sources.load(cfg, cfg.periods())
    assert sources.last_loaded(_cfg(small_facts), cfg.periods()) is data     # an equal config
    # the file changes after the report was built: the facts file still says what the report said
    small_facts.write_text(small_facts.read_text().replace("100", "900"))
    path, rows = facts_db.write(_cfg(small_facts))
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT sum(cost) FROM current").fetchone() == (200,)
    # another period, another client config or a refresh: the sources are read again
    february = config.validate({**cfg.model_dump(mode="json", exclude_defaults=True), "period": "2024-02"})
    assert sources.last_loaded(february, february.periods()) is None
    path, rows = facts_db.write(_cfg(small_facts), refresh=True)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT sum(cost) FROM current").fetchone() == (1800,)
