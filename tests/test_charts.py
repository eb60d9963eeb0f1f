"""Charts say the finding in the title, label axes with units, and embed small PNGs."""

import io

from PIL import Image

from reportkit import charts, config, report


def _report(small_facts, kpis):
    return report.build(config.validate({
        "client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "period": "2024-03", "currency": "EUR", "kpis": kpis,
        "source": {"type": "csv", "path": str(small_facts)}}))


def test_trend_titles_state_the_figure_and_the_move(small_facts):
    r = _report(small_facts, ["sessions", "cpc"])
    fig = charts.daily_trend(r)
    titles = [ax.get_title("left") for ax in fig.axes]
    # sessions: March 100 + 10 + 200 = 310, February 50 -> up (310 - 50) / 50 = 520.0 %
    assert titles[0] == "Sessions: 310 in total, up 520.0% on the previous period"
    # CPC: March (100 + 100) / (50 + 10) = €3.33; February 40 / 20 = €2.00 -> up 66.7 %
    assert titles[1] == "Cost per click: €3.33 for the period, up 66.7% on the previous period"
    assert [ax.get_ylabel() for ax in fig.axes] == ["Sessions per day", "Cost per click (EUR)"]
    assert fig.axes[-1].get_xlabel() == "Day (March 2024)"
    assert charts.alt_text(fig) == "; ".join(titles)


def test_channel_title_names_the_leader_and_its_share(small_facts):
    r = _report(small_facts, ["sessions"])
    fig = charts.channel_breakdown(r)
    # March sessions: Organic Search 200, Paid Search 110 -> 200 / 310 = 65 %
    assert fig.axes[0].get_title("left") == "Organic Search brings the most sessions: 200 (65% of the total)"
    assert fig.axes[0].get_xlabel() == "Sessions"


def test_png_is_a_small_palette_image_shown_at_96_dpi(small_facts):
    fig = charts.daily_trend(_report(small_facts, ["revenue"]))
    png = charts.to_png(fig)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "P" and len(image.getcolors()) <= 64
    # shown at 96 css px per inch of a 150 dpi render: width * 96 / 150
    assert charts.display_width(png) == round(image.width * 96 / 150)
    full = charts.to_png(fig, colours=None)
    assert len(png) < len(full) / 2              # the palette at least halves the bytes


def test_trend_axis_covers_the_whole_period_even_with_missing_days(small_facts):
    import matplotlib.dates as mdates
    fig = charts.daily_trend(_report(small_facts, ["sessions"]))
    left, right = fig.axes[-1].get_xlim()
    # data only on 1 and 2 March 2024; the axis still spans 1 to 31 March
    assert mdates.num2date(left).date().isoformat() == "2024-03-01"
    assert mdates.num2date(right).date().isoformat() == "2024-03-31"
    charts.to_png(fig)                           # draws the figure: tick labels are final
    labels = [t.get_text() for t in fig.axes[-1].get_xticklabels()]
    assert len(labels) >= 3 and len(labels) == len(set(labels))   # no repeated day labels
