"""One function per chart, one theme. Each returns a matplotlib Figure; titles say the finding."""

from __future__ import annotations

import io

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import seaborn as sns
from matplotlib.figure import Figure

from . import formatting as fmt

# Figures are built with matplotlib.figure.Figure, not pyplot: no global figure state,
# no GUI backend, the same result in a notebook kernel, a batch worker or a test.

PALETTE = sns.color_palette("colorblind")
CURRENT, PREVIOUS = PALETTE[0], "#9a9a9a"


def apply_theme() -> None:
    sns.set_theme(style="whitegrid", palette="colorblind", context="notebook",
                  rc={"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold",
                      "axes.titlesize": 11, "axes.titlelocation": "left", "font.size": 9,
                      "axes.spines.top": False, "axes.spines.right": False})


def _axis_formatter(unit: str, currency: str):
    if unit == "percent":
        return mticker.PercentFormatter(1.0, decimals=1)
    if unit == "currency":
        symbol = fmt.CURRENCY_SYMBOLS.get(currency, currency + " ")
        return mticker.FuncFormatter(lambda v, _: f"{symbol}{v:,.0f}" if abs(v) >= 100 else f"{symbol}{v:,.2f}")
    return mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.2f}")


def daily_trend(report, keys: list[str] | None = None):
    """Daily values of up to three KPIs, this period against the previous one (same day number)."""
    apply_theme()
    kpis = [k for k in report.chartable if keys is None or k.key in keys][:3]
    fig = Figure(figsize=(8.5, 2.3 * len(kpis)))
    axes = fig.subplots(len(kpis), 1, sharex=True, squeeze=False)
    daily = report.daily
    p = report.periods
    for ax, kpi in zip(axes[:, 0], kpis):
        fig_ = report.figures[kpi.key]
        ax.plot(daily["date"], daily[kpi.key], color=CURRENT, lw=2, label=p.current.label())
        ax.plot(daily["date"], daily[f"{kpi.key}_previous"], color=PREVIOUS, lw=1.3, ls="--",
                label=f"{p.previous.label()} (same day of period)")
        ax.yaxis.set_major_formatter(_axis_formatter(kpi.unit, report.cfg.currency))
        ax.set_ylabel(kpi.label + (f" ({report.cfg.currency})" if kpi.unit == "currency" else ""))
        ax.set_title(f"{kpi.label}: {fmt.value(fig_.value, kpi.unit, report.cfg.currency)} in total, "
                     f"{fmt.change_words(fig_.change_previous)} on the previous period"
                     if fig_.change_previous is not None else f"{kpi.label} by day")
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="upper left", fontsize=8, frameon=False, ncol=2)
    axes[-1, 0].xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
    fig.tight_layout()
    return fig


def channel_breakdown(report, key: str | None = None):
    """One KPI by channel, this period against the previous one, largest first."""
    apply_theme()
    kpi = next(k for k in report.chartable if key is None or k.key == key)
    table = report.channels[[kpi.key, f"{kpi.key}_previous"]].dropna(how="all")
    table = table.sort_values(kpi.key, ascending=True, na_position="first")
    fig = Figure(figsize=(8.5, 0.45 * len(table) + 1.2))
    ax = fig.subplots()
    y = range(len(table))
    ax.barh([i + 0.2 for i in y], table[kpi.key].fillna(0), height=0.4, color=CURRENT,
            label=report.periods.current.label())
    ax.barh([i - 0.2 for i in y], table[f"{kpi.key}_previous"].fillna(0), height=0.4,
            color=PREVIOUS, label=report.periods.previous.label())
    ax.set_yticks(list(y), [str(c) for c in table.index])
    ax.xaxis.set_major_formatter(_axis_formatter(kpi.unit, report.cfg.currency))
    ax.set_xlabel(kpi.label + (f" ({report.cfg.currency})" if kpi.unit == "currency" else ""))
    top = table[kpi.key].idxmax() if table[kpi.key].notna().any() else None
    ax.set_title(f"{kpi.label} by channel: {top} leads" if top is not None else f"{kpi.label} by channel")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def to_png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of a figure (charts are embedded in the report, never linked)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()
