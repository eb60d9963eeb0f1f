"""The analysis API in a notebook: KPI keys or KPI objects everywhere; a chart of any KPI the
client's data can compute, and a clear message for one it cannot."""

import pytest

from reportkit import config, report
from reportkit.core import metrics
from reportkit.present import charts


def _report(small_facts, kpis):
    return report.build(config.validate({
        "client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "period": "2024-03", "currency": "EUR", "kpis": kpis,
        "source": {"type": "csv", "path": str(small_facts)}}))


def test_compute_by_takes_kpi_keys_and_kpi_objects(small_facts):
    r = _report(small_facts, ["sessions"])
    by_channel = metrics.compute_by(r.slices["current"], "channel", ["cpc", metrics.REGISTRY["ctr"]])
    # March, Paid Search: cost 100 + 100 = 200 over clicks 50 + 10 = 60 -> 3.333...;
    # clicks 60 over impressions 1000 + 100 = 1100 -> 0.054545...
    assert by_channel.loc["Paid Search", "cpc"] == pytest.approx(200 / 60)
    assert by_channel.loc["Paid Search", "ctr"] == pytest.approx(60 / 1100)
    # Organic Search has no clicks: undefined, not 0
    assert by_channel["cpc"].isna()["Organic Search"]


def test_an_unknown_kpi_key_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown KPI 'cpcc'; known: .*cpc"):
        metrics.as_kpis(["cpcc"])


def test_a_chart_of_a_kpi_outside_the_clients_set(small_facts):
    r = _report(small_facts, ["sessions"])                   # cpc is not one of its KPIs
    fig = charts.daily_trend(r, ["cpc"])
    # March: cost 200 over clicks 60 = €3.33; February: cost 40 over clicks 20 = €2.00;
    # change (3.333 - 2) / 2 = +66.7 %
    assert charts.alt_text(fig) == "Cost per click: €3.33 for the period, up 66.7% on the previous period"
    bars = charts.channel_breakdown(r, metrics.REGISTRY["cpc"])
    assert charts.alt_text(bars) == "Paid Search has the largest cost per click: €3.33"


def test_a_chart_the_data_cannot_give_says_why(small_facts):
    r = _report(small_facts, ["sessions"])
    with pytest.raises(ValueError, match="'users' .* exists only for a whole period"):
        charts.daily_trend(r, "users")
    with pytest.raises(ValueError, match="'pageviews' needs pageviews; testco's data has no pageviews"):
        charts.channel_breakdown(r, "pageviews")


def test_every_public_rk_function_says_what_it_shows():
    import inspect

    import reportkit.notebook as rk
    assert not [n for n in rk.__all__ if not inspect.getdoc(getattr(rk, n))]
    assert "rk.load_report(globals())" in rk.__doc__ and "compute_by" in rk.__doc__


def test_the_analysis_api_says_its_units_and_what_undefined_is():
    """The functions an analyst calls from a notebook promise their units and None/NaN."""
    import doctest
    import inspect

    from reportkit.analysis.comparisons import KpiFigures, Measured
    from reportkit.core import metrics, periods
    from reportkit.present import charts
    api = {metrics.compute_by: ("NaN", "fraction", "currency"), metrics.compute: ("None", "fraction", "currency"),
           metrics.as_kpis: ("KeyError",), metrics.relative_change: ("None", "fraction"),
           metrics.absolute_change: ("None", "unit"), metrics.measure_sums: ("None", "currency"),
           charts.daily_trend: ("undefined", "currency", "ValueError"),
           charts.channel_breakdown: ("undefined", "currency", "ValueError"),
           Measured: ("NaN", "currency", "None"), KpiFigures.change_previous: ("None", "fraction"),
           periods.for_range: ("inclusive", "ValueError"), periods.ReportPeriods: ("inclusive", "None")}
    for obj, words in api.items():
        doc = inspect.getdoc(obj) or ""
        assert all(w in doc for w in words), (obj, [w for w in words if w not in doc])
    # their examples are true
    assert doctest.testmod(metrics).failed == doctest.testmod(periods).failed == 0
