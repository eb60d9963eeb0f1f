"""Benchmarks: own history, published figures and polarity, against hand-computed figures."""

from datetime import date

import pandas as pd
import pytest

from reportkit.analysis import benchmarks as bm
from reportkit.core.metrics import REGISTRY


def _monthly(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame([{"date": pd.Timestamp(f"{m}-01"), "channel": "Organic Search", "campaign": "x",
                          "sessions": v} for m, v in values.items()])


def test_own_history():
    # Oct 2025 .. Sep 2026: 10, 20, ..., 120; October 2026: 130
    months = pd.period_range("2025-10", "2026-09", freq="M")
    facts = _monthly({str(m): 10.0 * (i + 1) for i, m in enumerate(months)} | {"2026-10": 130.0})
    out = {c["key"]: c["value"] for c in bm.own_history(facts, REGISTRY["sessions"], date(2026, 10, 1), 10.0)}
    assert out["same_period_last_year"] == 10.0
    assert out["last_quarter"] == pytest.approx(110)             # (100 + 110 + 120) / 3
    assert out["trailing_12_month_median"] == pytest.approx(65)  # median of 10..120: (60 + 70) / 2


def test_own_history_needs_the_months():
    facts = _monthly({"2026-08": 5.0, "2026-09": 7.0, "2026-10": 9.0})
    out = {c["key"]: c["value"] for c in bm.own_history(facts, REGISTRY["sessions"], date(2026, 10, 1), None)}
    assert out["last_quarter"] is None and out["trailing_12_month_median"] is None


def test_published_rows_and_polarity(root):
    table = bm.load_published(root / "data" / "benchmarks")
    for column in ("year", "source", "source_url", "caveat"):
        assert column in table.columns
    assert table["source"].notna().all()
    rows = bm.published_for(table, "cpc", "Sports & Recreation", "ecommerce")
    # the industry's latest row (2021 LocaliQ median 1.73) and all industries' latest (2025: 5.26)
    assert [(r["industry"], r["year"], r["value"]) for r in rows] == [
        ("Sports & Recreation", 2021, 1.73), ("All industries", 2025, 5.26)]
    # e-commerce conversion rates apply to e-commerce clients only; they are undated and low
    # confidence, so they are withheld from the client's copy (agency_alerts) rather than shown
    assert not any(r["channel"] is None for r in bm.published_for(table, "conversion_rate", None, "ecommerce"))
    assert any(r["channel"] is None for r in bm.published_for(table, "conversion_rate", None, "ecommerce",
                                                              ready=False))
    assert not any(r["channel"] is None for r in bm.published_for(table, "conversion_rate", None, "leadgen",
                                                                  ready=False))
    # a CPC of 4 against 5: below, which is better (lower is better); a CTR below is worse
    assert bm.compare(REGISTRY["cpc"], 4.0, 5.0)["verdict"] == "good"
    assert bm.compare(REGISTRY["ctr"], 0.04, 0.05) | {} == {
        "diff": pytest.approx(-0.01), "relative": pytest.approx(-0.2), "position": "below", "verdict": "bad"}


def test_publisher_and_sports_rows_are_sourced_and_matched_to_their_kpi(root):
    table = bm.load_published(root / "data" / "benchmarks")
    # the publisher figure: Contentsquare 2024, media sites' median page views per session 1.8,
    # for a KPI keyed pages_per_session (page views / sessions), publisher clients only
    rows = bm.published_for(table, "pages_per_session", "Media & Publishing", "publisher")
    assert [(r["industry"], r["year"], r["value"], r["statistic"]) for r in rows] == [
        ("Media & Publishing", 2024, 1.8, "median")]
    assert rows[0]["source_url"] == "https://conversionbench.com/industry/media"
    assert "Contentsquare" in rows[0]["source"] and "rather than GA4" in rows[0]["caveat"]
    assert bm.published_for(table, "pages_per_session", "Media & Publishing", "ecommerce") == []
    # Sports & Recreation's cost per lead (WordStream/LocaliQ 2022: $23.57), on Paid Search
    rows = bm.published_for(table, "cpa", "Sports & Recreation", "ecommerce")
    assert [(r["industry"], r["channel"], r["year"], r["value"], r["currency"]) for r in rows][0] == (
        "Sports & Recreation", "Paid Search", 2022, 23.57, "USD")
    assert rows[0]["source_url"].startswith("https://searchengineland.com/")
    # every published row a client may see has a year and a source URL
    ready = table[table.apply(bm.client_ready, axis=1)]
    assert ready["year"].notna().all() and ready["source_url"].notna().all()


def test_the_legend_says_which_rows_are_for_the_clients_industry(root):
    from reportkit import config, report
    from reportkit.present.analysis import industry_line
    cfg = config.load(root / "params" / "acme_outdoor.yaml")
    r = report.build(cfg)
    assert industry_line(r) == ("Industry: Sports &amp; Recreation; published figures for it: Cost per "
                                "acquisition (blended); any other published row is for all industries.")
    # an industry without rows for these KPIs: said plainly, not a silent fall-back
    other = report.build(cfg.model_copy(update={"industry": "Nowhere & Co"}))
    assert industry_line(other) == ("Industry: Nowhere &amp; Co; no published figure for it matches these "
                                    "KPIs, so the published rows shown are for all industries.")
    assert industry_line(report.build(cfg.model_copy(update={"industry": None}))) == "Industry: none chosen."
