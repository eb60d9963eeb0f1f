"""One function per chart, one theme. Each returns a matplotlib Figure; titles say the finding."""

from __future__ import annotations

import functools
import io
import re
import warnings

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import seaborn as sns
from matplotlib.figure import Figure

from reportkit.analysis import comparisons
from reportkit.analysis.budget import BUDGET_WORDS
from reportkit.core.metrics import as_kpis
from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _, in_sentence
from reportkit.present import chart_layout

# Figures are built with matplotlib.figure.Figure, not pyplot: no global figure state,
# no GUI backend, the same result in a notebook kernel, a batch worker or a test.

PALETTE = sns.color_palette("colorblind")
FIG_WIDTH_IN = 9.6    # shown 922 css px wide: the report's column (980 px less its padding)
PHONE_WIDTH_IN = 4.0  # the phone version (384 css px): in a 362 px column its 8.5 pt text is >= 10 px
CURRENT, PREVIOUS = PALETTE[0], "#9a9a9a"


_THEME_RC = {"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold",
             "axes.titlesize": 12, "axes.titlelocation": "left", "font.size": 10,
             "axes.labelsize": 10.5, "xtick.labelsize": 10, "ytick.labelsize": 10,
             "axes.spines.top": False, "axes.spines.right": False,
             # titles carry names from params and data: "$5 to $10" is text, not maths
             "text.parse_math": False}


def theme_rc() -> dict:
    """The kit's chart style as matplotlib settings (seaborn's whitegrid, colour-blind palette)."""
    return {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook"),
            "axes.prop_cycle": mpl.cycler(color=PALETTE), **_THEME_RC}


def themed(draw):
    """Draw a kit chart inside ``rc_context``: the style is the kit's while the chart is made
    and matplotlib's global settings (the analyst's own plots) are left as they were."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(theme_rc()):
            return draw(*args, **kwargs)
    return wrapper


def apply_theme() -> None:
    """Set the kit's chart style globally (for an analyst who wants their plots to match;
    the kit's own charts never call it: see :func:`themed`)."""
    mpl.rcParams.update(theme_rc())


def _figure(width_in: float, height_in: float) -> Figure:
    """A white figure (its margins are set by :func:`chart_layout.fit`)."""
    return Figure(figsize=(width_in, height_in), facecolor="white")


def _legend_below(fig, handles, labels, size: float) -> float:
    """The legend under the chart, where it never hides a line, in as few rows as fit the
    figure's width; returns the height to keep free for it (inches, for :func:`chart_layout.fit`)."""
    # each entry: its text, the line sample, the gap before the text and between columns
    widths = sorted((chart_layout.text_width_in(t, size) + 4.8 * size / 72 for t in labels), reverse=True)
    ncol = len(labels)
    while ncol > 1 and sum(widths[:ncol]) > fig.get_figwidth() - 0.3:
        ncol -= 1
    fig.legend(handles, labels, loc="lower center", fontsize=size, frameon=False, ncol=ncol)
    rows = -(-len(labels) // ncol)
    return (rows * 1.7 + 1.3) * size / 72


def _tick(v: float) -> str:
    """A tick number: no decimals when whole ('50', '1,000'), else two ('0.25')."""
    return fmt.number(v, 0 if float(v).is_integer() else 2)


def _value_axis(axis, unit: str, currency: str) -> None:
    """A value axis: at most six round ticks (fewer gridlines to read across, and fewer
    labels to draw) labelled in the KPI's unit."""
    axis.set_major_locator(mticker.MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(_axis_formatter(unit, currency))


def _date_axis(axis, fmt_: str) -> None:
    """A date axis with three to seven labelled dates, in the report's locale (``fmt_``:
    ``"%-d %b"`` a day and month, ``"%b %Y"`` a month and year)."""
    axis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
    axis.set_major_formatter(_date_ticks(fmt_))


def _date_ticks(fmt_: str):
    write = {"%b %Y": fmt.month_short, "%a %-d %b": fmt.weekday_day_month}.get(fmt_, fmt.day_month)
    return mticker.FuncFormatter(lambda x, _pos: write(mdates.num2date(x).date()))


def _axis_formatter(unit: str, currency: str):
    if unit == "percent":
        return mticker.FuncFormatter(lambda v, _pos: fmt.percent(v, 1))
    if unit == "currency":
        return mticker.FuncFormatter(lambda v, _: fmt.money_tick(v, currency))
    return mticker.FuncFormatter(lambda v, _: _tick(v))


def axis_label(kpi, currency: str, per: str = "") -> str:
    """An axis label with its unit: 'Revenue per day (EUR)', 'Conversion rate (%)', 'Orders per day'."""
    additive = kpi.unit in ("count", "currency") and kpi.denominator is None
    daily = additive and per
    if kpi.unit == "currency":
        text = _("{kpi} per day ({currency})") if daily else _("{kpi} ({currency})")
    elif kpi.unit == "percent":
        text = _("{kpi} per day (%)") if daily else _("{kpi} (%)")
    else:
        text = _("{kpi} per day") if daily else "{kpi}"
    return text.format(kpi=kpi.label, currency=currency)


def _trend_title(kpi, fig_, currency: str) -> str:
    """The finding: the period's figure and how it moved."""
    if fig_.change_previous is None:
        reason = fig_.not_comparable("previous")
        return (_("{kpi} by day (not comparable with the previous period: {reason})") if reason else
                _("{kpi} by day")).format(kpi=kpi.label, reason=reason)
    total = kpi.unit in ("count", "currency") and kpi.denominator is None
    estimated = bool(fig_.coverage and (fig_.coverage["current"]["days_estimated"]
                                        or fig_.coverage["previous"]["days_estimated"]))
    if total:
        text = (_("{kpi}: {value} in total, {change} on the previous period (untracked days estimated)") if estimated
                else _("{kpi}: {value} in total, {change} on the previous period"))
    else:
        text = (_("{kpi}: {value} for the period, {change} on the previous period (untracked days estimated)")
                if estimated else _("{kpi}: {value} for the period, {change} on the previous period"))
    return text.format(kpi=kpi.label, value=fmt.value(fig_.value, kpi.unit, currency),
                       change=fmt.change_words(fig_.change_previous))


def chart_kpis(report, keys) -> list:
    """The KPIs a chart shows: ``keys`` (KPI keys or KPI objects, one or several) from the
    client's registry, or None for the report's own. A KPI the client's data cannot give by
    day and channel is a ValueError saying why."""
    if keys is None:
        return list(report.chartable)
    kpis = as_kpis(keys, report.cfg.registry())
    columns = set(report.facts.columns)
    for kpi in kpis:
        if not kpi.daily:
            raise ValueError(f"KPI {kpi.key!r} ({kpi.label}) exists only for a whole period, "
                             "not by day or channel: chart another KPI")
        missing = sorted(kpi.measures - columns)
        if missing:
            raise ValueError(f"KPI {kpi.key!r} needs {', '.join(sorted(kpi.measures))}; "
                             f"{report.cfg.client_id}'s data has no {', '.join(missing)}")
    return kpis


def _with_kpis(report, kpis):
    """The report's daily and channel tables with every one of ``kpis`` (computed from the
    facts for a KPI the report did not select) and its period figures."""
    extra = [k for k in kpis if k.key not in report.daily.columns]
    if not extra:
        return report.daily, report.channels, report.figures
    more = comparisons.measure_kpis(report, extra)
    return (report.daily.join(more.daily.drop(columns="date")), report.channels.join(more.channels, how="outer"),
            {**report.figures, **more.figures})


def weekday_offset(current_start, previous_start) -> int:
    """Days to move into the previous period so each day meets the same weekday (-3..3):
    Thursday 1 Oct against Thursday 3 Sep, not Tuesday 1 Sep."""
    return (current_start.weekday() - previous_start.weekday() + 3) % 7 - 3


def _outage_spans(report, offset: int) -> list[tuple[str, object, object]]:
    """(which, first day, last day) of each tracking outage on the current period's axis; one in
    the previous period is moved as its line is (by day number and the weekday offset)."""
    import datetime as dt
    p, spans = report.periods, []
    for o in report.data_quality.get("outages") or []:
        start, end = pd_date(o["start"]), pd_date(o["end"])
        if o["period"] == "previous":
            move = p.current.start - p.previous.start - dt.timedelta(days=offset)
            start, end = start + move, end + move
        elif o["period"] != "current":
            continue
        if end >= p.current.start and start <= p.current.end:
            spans.append((o["period"], max(start, p.current.start), min(end, p.current.end)))
    return spans


@themed
def daily_trend(report, keys=None, width_in: float | None = None):
    """Daily values of up to three KPIs, this period against the previous one moved to the same
    weekday (so weekly cycles line up), with the days tracking recorded nothing shaded.

    ``keys``: KPI keys or KPI objects (default: the report's chartable KPIs); any KPI of the
    client's registry its data can compute, else a ValueError saying what is missing (users
    exist only per period; a KPI whose measures the data lacks), and a KeyError for an
    unknown key. ``width_in``: the figure's width in inches (default the page column's).
    Returns a matplotlib Figure (display it, or make it the cell's last line): one panel per
    KPI, values in the KPI's unit (money in the client's currency, rates in percent on the
    axis), each title the period's figure and its change. A day whose value is undefined (no
    data, or a zero denominator) is a gap in the line, never a 0. The kit's theme applies to
    this figure only."""
    import datetime as dt
    kpis = chart_kpis(report, keys)[:3]
    fig = _figure(width_in or FIG_WIDTH_IN, 2.3 * len(kpis) + 0.3)
    axes = fig.subplots(len(kpis), 1, sharex=True, squeeze=False)
    daily, _channels, figures = _with_kpis(report, kpis)
    p = report.periods
    offset = weekday_offset(p.current.start, p.previous.start)
    spans = _outage_spans(report, offset)
    for ax, kpi in zip(axes[:, 0], kpis):
        fig_ = figures[kpi.key]
        for which, first, last in spans:
            ax.axvspan(first - dt.timedelta(hours=12), last + dt.timedelta(hours=12), color="#f0c987",
                       alpha=.45, lw=0, label=(_("tracking outage (estimated)") if which == "current" else
                                               _("tracking outage in {period}").format(period=p.previous.label())))
        ax.plot(daily["date"], daily[kpi.key], color=CURRENT, lw=2, label=p.current.label())
        ax.plot(daily["date"], daily[f"{kpi.key}_previous"].shift(-offset), color=PREVIOUS, lw=1.3, ls="--",
                label=_("{period}, same weekday").format(period=p.previous.label()))
        _value_axis(ax.yaxis, kpi.unit, report.cfg.currency)
        ax.set_ylabel(axis_label(kpi, report.cfg.currency, " per day"))  # (per: any non-empty text)
        ax.set_title(_trend_title(kpi, fig_, report.cfg.currency))
        ax.set_ylim(bottom=0)
    for which, first, last in spans[:1]:   # one direct label on the top panel
        top = axes[0, 0]
        top.text(last + dt.timedelta(hours=14), top.get_ylim()[1] * 0.04, _("no tracking") if which == "current"
                 else _("no tracking ({period})").format(period=p.previous.label()), fontsize=8.5,
                 va="bottom", ha="left", color="#8a5a00")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    legend_h = _legend_below(fig, list(unique.values()), list(unique), 9.5)
    # the whole period on the axis, even when days are missing (a gap is a finding too)
    axes[-1, 0].set_xlim(daily["date"].iloc[0], daily["date"].iloc[-1])
    days = len(daily)
    step = 1 if days <= 8 else 3 if days <= 21 else 7 if days <= 62 else 14 if days <= 120 else 30
    axes[-1, 0].set_xticks(list(daily["date"].iloc[::step]))  # counted from the period's first day
    axes[-1, 0].xaxis.set_major_formatter(_date_ticks("%a %-d %b" if days <= 62 else "%-d %b"))
    axes[-1, 0].set_xlabel(_("Day ({period})").format(period=p.current.label()))
    return chart_layout.fit(fig, bottom_in=legend_h)


@themed
def channel_breakdown(report, key=None, width_in: float | None = None):
    """One KPI by channel, this period against the previous one, largest first.

    ``key``: a KPI key or KPI object (default: the report's first chartable KPI); any KPI of
    the client's registry its data can compute, else a ValueError saying what is missing (or
    a KeyError for an unknown key). Returns a matplotlib Figure with two bars per channel, in
    the KPI's unit (money in the client's currency), titled with the leading channel. A
    channel whose value is undefined in both periods is left out; undefined in one period,
    that bar is empty (no bar, not a measured 0). The kit's theme applies to this figure only."""
    kpis = chart_kpis(report, key)
    if not kpis:
        raise ValueError(f"{report.cfg.client_id} has no KPI to chart by channel: name one (key=...)")
    kpi = kpis[0]
    _daily, channels, _figures = _with_kpis(report, [kpi])
    table = channels[[kpi.key, f"{kpi.key}_previous"]].dropna(how="all")
    table = table.sort_values(kpi.key, ascending=True, na_position="first")
    fig = _figure(width_in or FIG_WIDTH_IN, 0.42 * len(table) + 1.5)
    ax = fig.subplots()
    y = range(len(table))
    ax.barh([i + 0.2 for i in y], table[kpi.key].fillna(0), height=0.4, color=CURRENT,
            label=report.periods.current.label())
    ax.barh([i - 0.2 for i in y], table[f"{kpi.key}_previous"].fillna(0), height=0.4,
            color=PREVIOUS, label=report.periods.previous.label())
    ax.set_yticks(list(y), [str(c) for c in table.index])
    _value_axis(ax.xaxis, kpi.unit, report.cfg.currency)
    ax.set_xlabel(axis_label(kpi, report.cfg.currency))
    ax.set_title(_channel_title(kpi, table[kpi.key], report.cfg.currency))
    ax.legend(loc="lower right", fontsize=9.5, frameon=False)
    return chart_layout.fit(fig)


def _channel_title(kpi, values, currency: str) -> str:
    """The finding: which channel leads, with its figure (and share when the KPI adds up)."""
    if not values.notna().any():
        return _("{kpi} by channel").format(kpi=kpi.label)
    top = values.idxmax()
    additive = kpi.unit in ("count", "currency") and kpi.denominator is None
    fill = dict(channel=top, kpi=in_sentence(kpi.label), value=fmt.value(values[top], kpi.unit, currency))
    total = values.sum()
    if additive and total > 0:
        return _("{channel} brings the most {kpi}: {value} ({share} of the total)").format(
            share=fmt.percent(values[top] / total, 0), **fill)
    if additive:
        return _("{channel} brings the most {kpi}: {value}").format(**fill)
    return (_("{channel} has the highest {kpi}: {value}") if kpi.better == "higher" else
            _("{channel} has the largest {kpi}: {value}")).format(**fill)


def alt_text(fig) -> str:
    """A chart's description for screen readers and the HTML alt attribute: its titles."""
    titles = [(ax.get_title() or ax.get_title("left")).replace("\n", " ") for ax in fig.axes]
    return "; ".join(t for t in titles if t) or _("Chart")


CSS_PX_PER_PT = 96 / 72
SVG_SALT = "reportkit"  # fixed: the same chart gives the same bytes in every run and engine


def to_svg(fig) -> str:
    """SVG text of a figure, embedded in the report (never linked).

    Vector: sharp on every screen and in the PDF at any zoom. Text stays text
    (``svg.fonttype: none``): the reader's browser draws it, selectable and searchable, and
    the chart costs about half the time of an antialiased PNG and fewer bytes. No date in the
    metadata and a fixed id salt: the same figure always gives the same SVG."""
    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": SVG_SALT}), warnings.catch_warnings():
        # the reader's browser draws the text, with its own fonts: a glyph matplotlib's font
        # lacks (CJK, emoji) is not missing from the chart
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        fig.savefig(buf, format="svg", metadata={"Date": None}, facecolor="white")
    return buf.getvalue()


def display_width(svg: str) -> int:
    """Width in CSS pixels to show a chart at: its natural size (the SVG's width in points)."""
    match = re.search(r'<svg[^>]*\bwidth="([0-9.]+)pt"', svg)
    return round(float(match.group(1)) * CSS_PX_PER_PT)


@themed
def goal_progress(report, result, width_in: float | None = None):
    """One goal: actual (monthly values, or the running total) against the target path,
    milestone markers, and the forecast dashed to the deadline."""
    g, s = result.figures, result.series
    cur = report.cfg.currency
    fig = _figure(width_in or FIG_WIDTH_IN, 3.1 if (width_in or FIG_WIDTH_IN) > 6 else 3.4)
    ax = fig.subplots()
    actual = [(d, v) for d, v in s.get("actual", []) if v is not None]
    if actual:
        ax.plot([d for d, _ in actual], [v for _, v in actual], color=CURRENT, lw=2,
                marker="o" if g["measure"] == "monthly" else None, ms=3,
                label=_("actual (month)") if g["measure"] == "monthly" else _("actual (running total)"))
    path = [(d, v) for d, v in s.get("path", []) if v is not None]
    if g["kind"] != "reach" and g["target"] is not None:
        ax.axhline(g["target"], color=PALETTE[3], lw=1.3,
                   label=_("stay above this line") if g["kind"] == "stay_above" else _("stay below this line"))
        path = []
    if len(path) > 1:
        ax.plot([d for d, _ in path], [v for _, v in path], color="#555555", lw=1.2, ls=":", label=_("target path"))
    if g["target"] is not None:
        ax.axhline(g["target"], color=PREVIOUS, lw=0.8, ls=":")
    forecast = [(d, v) for d, v in s.get("forecast", []) if v is not None]
    if forecast:
        ax.plot([d for d, _ in forecast], [v for _, v in forecast], color=CURRENT, lw=1.5, ls="--",
                label=_("forecast"))
        _gap_shading(ax, forecast, path, g)
    _end_labels(ax, g, actual, forecast, cur)
    for m in g["milestones"]:
        when = pd_date(m["date"])
        if g["measure"] == "monthly":
            when = when.replace(day=1)
        colour = {"hit": PALETTE[2], "missed": PALETTE[3]}.get(m["state"], PALETTE[1])
        ax.scatter([when], [m["target"]], marker="D", s=40, color=colour, zorder=5,
                   label=_(MILESTONE_LABELS.get(m["state"], m["state"])))
    _value_axis(ax.yaxis, g["unit"], cur)
    _date_axis(ax.xaxis, "%b %Y" if g["measure"] == "monthly" else "%-d %b")
    ax.set_title(_("{goal}: {status}").format(goal=g["name"], status=g["status_words"]))
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    return chart_layout.fit(fig, bottom_in=_legend_below(fig, list(unique.values()), list(unique), 8.5))


def _gap_shading(ax, forecast, path, g) -> None:
    """The gap between the forecast and the target path, shaded green where the forecast is on
    the goal's good side of the path, red where it falls short: the gap is seen, not read off."""
    if len(path) < 2:
        return
    import numpy as np
    days = [mdates.date2num(d) for d, _ in forecast]
    target = np.interp(days, [mdates.date2num(d) for d, _ in path], [v for _, v in path])
    values = np.array([v for _, v in forecast], dtype=float)
    good = values >= target if g["direction"] == "up" else values <= target
    dates = [d for d, _ in forecast]
    ax.fill_between(dates, values, target, where=good, color=PALETTE[2], alpha=.18, lw=0, interpolate=True)
    ax.fill_between(dates, values, target, where=~good, color=PALETTE[3], alpha=.18, lw=0, interpolate=True)


def _end_labels(ax, g, actual, forecast, cur: str) -> None:
    """Direct labels: the actual value at its last point, the forecast and the target at the
    deadline (the legend is not needed to tell the three apart)."""
    unit = g["unit"]
    if actual:
        d, v = actual[-1]
        ax.annotate(_("now {value}").format(value=fmt.value(v, unit, cur)), (d, v), xytext=(-4, 8),
                    textcoords="offset points", ha="right", fontsize=8.5, color=CURRENT, fontweight="bold")
    above = bool(forecast) and g["target"] is not None and forecast[-1][1] >= g["target"]
    if forecast:   # inside the plot, right-aligned at the deadline: the forecast on its side of the target
        d, v = forecast[-1]
        ax.annotate(_("forecast {value}").format(value=fmt.value(v, unit, cur)), (d, v), xytext=(-2, 7 if above else -7),
                    textcoords="offset points", ha="right", va="bottom" if above else "top", fontsize=8.5,
                    color=CURRENT)
    if g["target"] is not None and g.get("deadline"):
        ax.annotate(_("target {value}").format(value=fmt.value(g["target"], unit, cur)),
                    (forecast[-1][0] if forecast else pd_date(g["deadline"]), g["target"]), xytext=(-2, -7 if above else 7),
                    textcoords="offset points", ha="right", va="top" if above else "bottom", fontsize=8.5,
                    color="#555555")


@themed
def budget_burn(report, part: str = "period", width_in: float | None = None):
    """Cumulative spend against the straight budget line of the period (or month to date)."""
    b = report.analysis.budget if part == "period" else report.analysis.budget["month_to_date"]
    fig = _figure(width_in or FIG_WIDTH_IN, 2.6 if (width_in or FIG_WIDTH_IN) > 6 else 3.0)
    ax = fig.subplots()
    days = [pd_date(d) for d, _ in b["cumulative"]]
    ax.plot(days, [v for _, v in b["cumulative"]], color=CURRENT, lw=2, label=_("spend so far"))
    if b["budget"] is not None:
        ax.plot([pd_date(b["start"]), pd_date(b["end"])], [b["budget"] / b["days_total"], b["budget"]],
                color=PREVIOUS, lw=1.3,
                label=_("budget, spread evenly"))
        ax.axhline(b["budget"], color=PREVIOUS, lw=0.8, ls=":")
    if b["projected"] is not None and days:
        ax.plot([days[-1], pd_date(b["end"])], [b["cumulative"][-1][1], b["projected"]], color=CURRENT,
                lw=1.3, ls="--", label=_("projected"))
    _value_axis(ax.yaxis, "currency", report.cfg.currency)
    _date_axis(ax.xaxis, "%-d %b")
    words = _(BUDGET_WORDS[b["status"]])
    start = pd_date(b["start"])
    span = (fmt.month(start) if part == "period" and report.periods.current.start.day == 1
            and b["end"] == report.periods.current.end.isoformat() else
            _("{start} – {end}").format(start=fmt.day_month(start), end=fmt.day(pd_date(b["through"]))))
    ax.set_title(_("Ad spend against budget, {span}: {status}").format(span=span, status=words))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return chart_layout.fit(fig)


MILESTONE_LABELS = {"hit": N_("milestone (hit)"), "missed": N_("milestone (missed)"),
                    "upcoming": N_("milestone (upcoming)")}


def pd_date(value):
    """A date from an ISO string or a date (matplotlib plots datetime.date directly)."""
    from datetime import date
    return value if isinstance(value, date) else date.fromisoformat(str(value))
