"""Charts say the finding in the title, label axes with units, fit their image, and embed as SVG."""

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from reportkit.present import charts
from reportkit import config
from reportkit import report
from reportkit.paths import resolve_path


def _report(small_facts, kpis):
    return report.build(config.validate({
        "client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "period": "2024-03", "currency": "EUR", "kpis": kpis,
        "source": {"type": "csv", "path": str(small_facts)}}))


def _covered_report(tmp_path, kpis):
    """Two days against the two before them, every day with data: a fair comparison (the
    small_facts February has 1 of 29 days, which is not comparable). The same totals as
    small_facts: March sessions 310, revenue 550, CPC 200 / 60; February sessions 50,
    revenue 200, CPC 40 / 20."""
    path = tmp_path / "covered.csv"
    path.write_text(
        "date,channel,campaign,sessions,conversions,transactions,revenue,impressions,clicks,cost\n"
        "2024-03-01,Paid Search,A,100,5,5,500,1000,50,100\n"
        "2024-03-02,Paid Search,A,10,1,1,50,100,10,100\n"
        "2024-03-01,Organic Search,,200,4,0,0,,,\n"
        "2024-02-28,Paid Search,A,30,1,1,120,240,12,24\n"
        "2024-02-29,Paid Search,A,20,1,1,80,160,8,16\n")
    return report.build(config.validate({
        "client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "start": "2024-03-01", "end": "2024-03-02", "currency": "EUR", "kpis": kpis,
        "source": {"type": "csv", "path": str(path)}}))


def test_trend_title_says_not_comparable_against_a_period_of_one_day(small_facts):
    r = _report(small_facts, ["sessions"])
    title = charts.daily_trend(r).axes[0].get_title("left").replace("\n", " ")
    # February 2024 has data on 1 day (10 Feb) of its 29: no change is stated
    assert title == "Sessions by day (not comparable with the previous period: 1 of 29 days)"


def test_trend_titles_state_the_figure_and_the_move(tmp_path):
    r = _covered_report(tmp_path, ["sessions", "cpc"])
    fig = charts.daily_trend(r)
    titles = [ax.get_title("left").replace("\n", " ") for ax in fig.axes]  # long titles wrap
    # sessions: March 100 + 10 + 200 = 310, February 50 -> up (310 - 50) / 50 = 520.0 %
    assert titles[0] == "Sessions: 310 in total, up 520.0% on the previous period"
    # CPC: March (100 + 100) / (50 + 10) = €3.33; February 40 / 20 = €2.00 -> up 66.7 %
    assert titles[1] == "Cost per click: €3.33 for the period, up 66.7% on the previous period"
    assert [ax.get_ylabel() for ax in fig.axes] == ["Sessions per day", "Cost per click (EUR)"]
    assert charts.alt_text(fig) == "; ".join(titles)


def test_channel_title_names_the_leader_and_its_share(small_facts):
    r = _report(small_facts, ["sessions"])
    fig = charts.channel_breakdown(r)
    # March sessions: Organic Search 200, Paid Search 110 -> 200 / 310 = 65 %
    assert fig.axes[0].get_title("left").replace("\n", " ") == \
        "Organic Search brings the most sessions: 200 (65% of the total)"
    assert fig.axes[0].get_xlabel() == "Sessions"


def test_svg_is_vector_with_text_as_text_and_the_same_every_time(tmp_path):
    r = _covered_report(tmp_path, ["revenue"])
    svg = charts.to_svg(charts.daily_trend(r))
    assert svg == charts.to_svg(charts.daily_trend(r))          # no date, fixed ids
    assert "<image" not in svg and "href=\"http" not in svg      # nothing raster, nothing linked
    # March revenue 500 + 50 + 0 = €550.00, February €200 -> (550 - 200) / 200 = up 175.0 %
    assert ">Revenue: €550.00 in total, up 175.0% on the previous" in svg   # the title wraps here
    assert charts.display_width(svg) == round(9.6 * 96)          # 9.6 in at 96 css px per inch: 922


def test_text_from_params_is_text_in_the_svg(small_facts):
    """Names are escaped in the SVG, and dollar signs stay dollar signs (no maths mode)."""
    r = _report(small_facts, ["revenue"])
    fig = charts.daily_trend(r)
    fig.axes[0].set_title("<b>Spend</b> from $5 to $10 & more", loc="left")
    svg = charts.to_svg(fig)
    assert "&lt;b&gt;Spend&lt;/b&gt; from $5 to $10 &amp; more" in svg and "<b>" not in svg


def test_trend_axis_covers_the_whole_period_even_with_missing_days(small_facts):
    import matplotlib.dates as mdates
    fig = charts.daily_trend(_report(small_facts, ["sessions"]))
    left, right = fig.axes[-1].get_xlim()
    # data only on 1 and 2 March 2024; the axis still spans 1 to 31 March
    assert mdates.num2date(left).date().isoformat() == "2024-03-01"
    assert mdates.num2date(right).date().isoformat() == "2024-03-31"
    FigureCanvasAgg(fig).draw()                  # draws the figure: tick labels are final
    labels = [t.get_text() for t in fig.axes[-1].get_xticklabels()]
    assert len(labels) >= 3 and len(labels) == len(set(labels))   # no repeated day labels


def _drawn_texts(fig):
    """Every text the draw of ``fig`` puts on the image (tick labels outside the view are not drawn)."""
    from matplotlib.text import Text
    renderer = fig.canvas.get_renderer()
    ticks = {id(label) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() for label in (tick.label1, tick.label2)}
    drawn = {id(tick.label1) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis._update_ticks() if tick.label1.get_visible()}
    return [(t, t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and (id(t) not in ticks or id(t) in drawn)]


def _assert_laid_out(fig):
    """Nothing clipped at the image's edges; axis labels clear of the tick labels; titles
    clear of their axes and of the panel above (drawn with Agg, which lays text out with the
    chart font's metrics, as the margins were computed)."""
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    texts = _drawn_texts(fig)
    for text, box in texts:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height, \
            (text.get_text(), box.extents, fig.bbox.extents)
    for ax in fig.axes:
        yticks = [t.label1.get_window_extent(renderer) for t in ax.yaxis._update_ticks()]
        if ax.get_ylabel() and yticks:
            assert ax.yaxis.label.get_window_extent(renderer).x1 < min(b.x0 for b in yticks)
        xticks = [t.label1.get_window_extent(renderer) for t in ax.xaxis._update_ticks()
                  if t.label1.get_visible()]
        if ax.get_xlabel() and xticks:
            assert ax.xaxis.label.get_window_extent(renderer).y1 < min(b.y0 for b in xticks)
        assert ax._left_title.get_window_extent(renderer).y0 >= ax.bbox.y1
    for upper, lower in zip(fig.axes, fig.axes[1:]):
        assert lower._left_title.get_window_extent(renderer).y1 < upper.bbox.y0
    bottom = fig.axes[-1]
    lowest = [t.label1.get_window_extent(renderer).y0 for t in bottom.xaxis._update_ticks()
              if t.label1.get_visible()] + [bottom.bbox.y0]
    if bottom.get_xlabel():
        lowest.append(bottom.xaxis.label.get_window_extent(renderer).y0)
    for legend in fig.legends:  # a legend under the chart stays clear of its axis
        box = legend.get_window_extent(renderer)
        assert box.y0 >= 0 and box.y1 < min(lowest), (box.extents, min(lowest))


@pytest.mark.slow
def test_every_demo_chart_fits_its_image(tmp_path):
    """The margins come from measured label widths, not a layout pass: check the drawn result
    for every chart of the three demo clients."""
    from reportkit.sources.demo import DEMO_CLIENTS
    for client in DEMO_CLIENTS:
        r = report.build(config.load(resolve_path(f"params/{client}.yaml")))
        figures = [charts.daily_trend(r), charts.channel_breakdown(r), charts.budget_burn(r),
                   *[charts.goal_progress(r, g) for g in r.analysis.goals]]
        for fig in figures:
            _assert_laid_out(fig)


def test_long_titles_wrap_and_long_labels_fit(small_facts):
    """A title wider than its axes wraps at a space; long names and large negative numbers
    on the axes still fit."""
    r = _report(small_facts, ["sessions"])
    fig = charts.channel_breakdown(r)
    ax = fig.axes[0]
    ax.set_yticks([0, 1], ["A channel with a very long name indeed", "Paid Search"])
    ax.set_xlim(-1_250_000, 9_990_000)
    ax.set_title("Word " * 40, loc="left")
    charts.chart_layout.fit(fig)
    title = ax.get_title("left")
    assert "\n" in title and title.replace("\n", " ").split() == ["Word"] * 40
    _assert_laid_out(fig)


def test_names_in_other_scripts_fit_too(small_facts):
    """Characters the chart font lacks (CJK, emoji) are measured as one em each: the title
    still wraps inside the chart."""
    from reportkit.present import chart_layout
    assert abs(chart_layout.text_width_in("売上📈", 10) - 3 * 10 / 72) < 1e-9   # three characters, one em each
    fig = charts.channel_breakdown(_report(small_facts, ["sessions"]))
    fig.axes[0].set_title("売上 📈 " * 30, loc="left")
    charts.chart_layout.fit(fig)
    assert fig.axes[0].get_title("left").count("\n") >= 1
    assert "売上" in charts.to_svg(fig)
