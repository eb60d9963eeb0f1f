"""Chart layout without a layout pass: margins from measured label widths.

``tight_layout`` and constrained layout find the margins by laying out every tick label,
axis label and title through matplotlib's artist machinery, which costs about as much as
drawing the chart again (measured: 15-20 % of a report's run time in a batch worker).
Our charts are one column of axes with a left-aligned title each, so the margins follow
from a few strings: the tick labels the locators and formatters will draw, the axis labels
and the titles. Their widths come from the font's glyph advances (cached per character),
which is what Agg uses to lay the text out, less kerning (a few hundredths of an inch).
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib as mpl
from matplotlib.font_manager import FontProperties, findfont, font_scalings, get_font
from matplotlib.ft2font import LoadFlags

PAD_IN = 0.07          # around the figure, as tight_layout(pad=0.5) at 10 pt
PANEL_GAP_IN = 0.12    # between a panel's x axis and the next panel's title
LINE = 1.2             # line height in font sizes (matplotlib's default linespacing)
SLACK = 1.04           # widths without kerning, and antialiasing: a little to spare


@lru_cache(maxsize=4096)
def _advance(char: str, weight: str) -> float:
    """Advance width of ``char`` at 100 pt, in points (linear: no hinting). A character the
    chart font lacks (CJK, emoji) is drawn from another font, or by the reader's browser
    in an SVG: counted as one em, the width of such glyphs."""
    font = get_font(findfont(FontProperties(weight=weight)))  # shared with matplotlib's
    if not font.get_char_index(ord(char)):
        return 100.0
    font.set_size(100, 72)                                     # renderer, which sets its own
    return font.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536


def text_width_in(text: str, size: float, weight: str = "normal") -> float:
    """Width of the widest line of ``text`` at ``size`` points, in inches."""
    return max(sum(_advance(c, weight) for c in line) for line in str(text).split("\n")) * size / 100 / 72


def text_height_in(text: str, size: float) -> float:
    return (str(text).count("\n") + 1) * LINE * size / 72


def wrap(text: str, width_in: float, size: float, weight: str = "normal") -> str:
    """``text`` broken at spaces into lines no wider than ``width_in`` inches."""
    width_in /= SLACK
    if text_width_in(text, size, weight) <= width_in:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and text_width_in(candidate, size, weight) > width_in:
            lines.append(line)
            line = word
        else:
            line = candidate
    return "\n".join([*lines, line])


def font_size(key: str) -> float:
    """An rcParams font size in points (named sizes such as 'large' resolved)."""
    size = mpl.rcParams[key]
    return float(size) if not isinstance(size, str) else font_scalings[size] * mpl.rcParams["font.size"]


def _tick_labels(axis, view: tuple[float, float]) -> list[tuple[float, str]]:
    """(position, text) of the major tick labels the axis will draw inside its view."""
    lo, hi = sorted(view)
    tol = (hi - lo) * 1e-9
    locs = [x for x in axis.get_majorticklocs() if lo - tol <= x <= hi + tol]
    texts = axis.get_major_formatter().format_ticks(locs)
    return [(x, t) for x, t in zip(locs, texts) if t]


def _tick_pad_in(which: str) -> float:
    return (mpl.rcParams[f"{which}.major.pad"] + mpl.rcParams[f"{which}.major.size"]) / 72


def _wrap_title(ax, width_in: float) -> None:
    """Wrap the axes' title to ``width_in`` and pin it just above the axes (``y=1``): this also
    spares the draw matplotlib's automatic title placement, which lays out every tick label
    of the axes three more times to see whether they reach above it (ours never do)."""
    loc = "left" if ax.get_title("left") else "center"
    title = ax.get_title(loc)
    if title:
        weight = mpl.rcParams["axes.titleweight"]
        ax.set_title(wrap(title.replace("\n", " "), width_in, font_size("axes.titlesize"), weight),
                     loc=loc, y=1.0)


def _title_height(ax) -> float:
    title = ax.get_title("left") or ax.get_title()
    return text_height_in(title, font_size("axes.titlesize")) + mpl.rcParams["axes.titlepad"] / 72 if title else 0.0


def fit(fig, bottom_in: float = 0.0):
    """Set the margins of a figure whose axes form one column (top to bottom), so tick
    labels, axis labels and titles fit inside it, and place the axis labels beside the tick
    labels (aligned across panels); ``bottom_in`` is kept free below the axes for a figure
    legend. Returns the figure."""
    axes = fig.axes
    width, height = fig.get_figwidth(), fig.get_figheight()
    label_size, labelpad = font_size("axes.labelsize"), mpl.rcParams["axes.labelpad"] / 72
    # left: the widest y tick label of any panel, then the y axis labels
    ticks_w, y_size = 0.0, font_size("ytick.labelsize")
    for ax in axes:
        ax.get_xlim(), ax.get_ylim()  # autoscale now: the locators need the final view
        if ax.yaxis.get_tick_params()["labelleft"]:
            labels = _tick_labels(ax.yaxis, ax.get_ylim())
            ticks_w = max([ticks_w, *(text_width_in(t, y_size) * SLACK for _, t in labels)])
    y_ticks = ticks_w + _tick_pad_in("ytick") if ticks_w else 0.0
    ylabels = [ax.get_ylabel() for ax in axes]
    left = y_ticks + max([text_height_in(t, label_size) + labelpad for t in ylabels if t], default=0.0)
    # bottom: the bottom panel's x tick labels and x axis label
    last = axes[-1]
    x_size = font_size("xtick.labelsize")
    xlabels = _tick_labels(last.xaxis, last.get_xlim()) if last.xaxis.get_tick_params()["labelbottom"] else []
    x_ticks = LINE * x_size / 72 + _tick_pad_in("xtick") if xlabels else 0.0
    bottom = x_ticks + (text_height_in(last.get_xlabel(), label_size) + labelpad if last.get_xlabel() else 0.0)
    # a label centred on a tick near an edge reaches past the axes
    right = 0.0
    x0, x1 = last.get_xlim()
    span = (x1 - x0) or 1.0
    axes_w = width - 2 * PAD_IN - left
    for x, text in xlabels:
        half = text_width_in(text, x_size) * SLACK / 2
        f = (x - x0) / span
        right = max(right, f * axes_w + half - axes_w)
        left = max(left, half - f * axes_w)
    axes_w = width - 2 * PAD_IN - left - right
    for ax in axes:  # a long title wraps to the width of its axes
        _wrap_title(ax, axes_w)
    titles = [_title_height(ax) for ax in axes]
    top = titles[0]
    gap = max(titles[1:], default=0.0) + PANEL_GAP_IN
    n = len(axes)
    axes_h = (height - 2 * PAD_IN - top - bottom - bottom_in - (n - 1) * gap) / n
    fig.subplots_adjust(left=(PAD_IN + left) / width, right=1 - (PAD_IN + right) / width,
                        bottom=(PAD_IN + bottom + bottom_in) / height, top=1 - (PAD_IN + top) / height,
                        hspace=gap / axes_h if n > 1 else 0.0)
    # axis labels at fixed places (their side of the label box touches the point): no
    # tick-label bounding boxes at draw time
    for ax, ylabel in zip(axes, ylabels):
        if ylabel:
            ax.yaxis.set_label_coords(-(y_ticks + labelpad) / axes_w, 0.5)
    if last.get_xlabel():
        last.xaxis.set_label_coords(0.5, -(x_ticks + labelpad) / axes_h)
    return fig
