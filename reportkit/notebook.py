"""The notebook's vocabulary: each function is one cell's call-and-display.

The template notebook imports this as ``rk``; nothing here computes figures, it only
shows what :mod:`reportkit.report` computed.

Start here::

    import reportkit.notebook as rk
    report = rk.load_report(globals())     # params checked, data loaded, every KPI computed
    rk.show_sections(report)               # the client's sections, in their order

What ``report`` holds (a :class:`reportkit.report.Report`):
    ``report.facts``    the tidy fact table (date, channel, campaign, one column per measure)
    ``report.figures``  KPI key -> value, previous, yoy, change_previous, change_yoy
                        (relative changes as fractions: 0.05 = +5 %; None when undefined)
    ``report.daily``    KPIs by day, this period and the previous one (``<key>_previous``)
    ``report.channels`` KPIs by channel, this period and the previous one
    ``report.slices``   the facts of "current", "previous" and "yoy"

Your own numbers and charts: ``reportkit.core.metrics.compute_by(report.slices["current"],
"channel", ["cpc", "ctr"])`` (KPI keys or KPI objects; ratios of sums, NaN when undefined),
``reportkit.present.charts.daily_trend(report, ["cpc"])`` and ``channel_breakdown(report,
"cpc")`` for any KPI the client's data can compute. A matplotlib figure as a cell's last line
or ``plt.show()`` shows in the client's page as in JupyterLab (SVG, its titles as alt text).
Sections: :func:`show_sections`, :func:`show_section`, :data:`SECTION_VIEWS`.
"""

from __future__ import annotations

import json
from html import escape

from IPython.display import display

from reportkit.present import charts
from reportkit import config
from reportkit.config.sections import APPENDIX, APPENDIX_HEADINGS, PARTS, SECTIONS
from reportkit.present import analysis, commentary, content, first_screen, page, results, styled, work, work_brief
from reportkit.contracts import sidecar
from reportkit.core import i18n
from reportkit.core.i18n import _
from reportkit.report import Report, build


__all__ = ["load_report", "show_header", "show_summary", "show_kpi_table", "show_trend",
           "show_channels", "show_data_notes", "emit_sidecar", "show_what_we_did",
           "show_next_period", "show_needs_from_you", "show_communication", "show_goals",
           "show_benchmarks", "show_why", "show_budget", "show_sections", "show_section",
           "section_ids", "show_figures_as_svg", "show_appendix"]


def load_report(namespace: dict) -> Report:
    """Validate the notebook's parameters and build the report."""
    show_figures_as_svg()
    cfg = config.from_notebook(namespace)
    i18n.activate(cfg.locale)  # every cell after this one writes in the client's locale
    report = build(cfg)
    _shown.clear(), _notes.clear()
    _commentary(report)  # a bad commentary file fails here, before any section shows
    return report


def _figure_svg(fig):
    """IPython's formatter for a matplotlib Figure: SVG text with the chart's titles as alt
    text and its natural width (the metadata the export reads)."""
    svg = charts.to_svg(fig)
    return svg, {"width": charts.display_width(svg), "alt": charts.alt_text(fig)}


def show_figures_as_svg() -> None:
    """Display every matplotlib Figure (a cell's last expression, ``plt.show()``, ``display(fig)``)
    as crisp SVG with alt text, the same under a Jupyter kernel and the in-process engine.

    Called by :func:`load_report`; does nothing outside IPython. matplotlib's inline backend
    sets its own PNG formatter once, when it is first loaded, so it is loaded first."""
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib
    from matplotlib.figure import Figure
    if "inline" in str(matplotlib.get_backend()):
        import matplotlib_inline.backend_inline  # noqa: F401  (its one-time set-up runs now)
    formatters = shell.display_formatter.formatters
    formatters["image/png"].pop(Figure, None)
    formatters["image/svg+xml"].for_type(Figure, _figure_svg)


def _html(report: Report, html: str) -> None:
    """Display one section's HTML with the report's styles for it, scoped to it
    (:class:`reportkit.present.styled.Styled`): cards and coloured tables look in JupyterLab
    as in the client's page, and nothing restyles the notebook around them."""
    display(styled.Styled(html, report.cfg.agency.accent_color))


def _show_figure(fig, phone=None) -> None:
    """Display a chart as SVG at its natural width, with its titles as alt text (the export
    embeds it as an image: independent of the backend, nothing from outside the page).
    ``phone``: the same chart drawn narrow, shown instead on a screen up to 600 px wide (its
    text stays readable there; the template puts both in a <picture>)."""
    svg, alt = charts.to_svg(fig), charts.alt_text(fig)
    meta = {"width": charts.display_width(svg), "alt": alt}
    if phone is not None:
        meta["phone"] = charts.to_svg(phone)
    display({"image/svg+xml": svg, "text/plain": f"<chart: {alt}>"}, raw=True,
            metadata={"image/svg+xml": meta})


def show_header(report: Report) -> None:
    """The page's top: agency logo and name, client name, the period and what it is compared with."""
    _html(report, results.header(report))


def show_summary(report: Report) -> None:
    """The first screen: the headline sentence, the goal status chips, the headline KPI cards
    (value, change on the previous period and last year; None shows as n/a) with spend against
    budget, the top risk, the one thing we need from the client and the summary sentences."""
    _html(report, first_screen.first_screen(report))


def show_kpi_table(report: Report) -> None:
    """Every selected KPI: this period, previous period, same period last year, relative changes (coloured better/worse by the KPI's polarity); undefined values as n/a."""
    _html(report, results.kpi_table(report))


def show_trend(report: Report) -> None:
    """The daily chart of up to three KPIs against the previous period, as SVG with its title as alt text."""
    _show_figure(charts.daily_trend(report), charts.daily_trend(report, width_in=charts.PHONE_WIDTH_IN))


def show_channels(report: Report) -> None:
    """The KPIs by channel (table) and the first KPI by channel (chart)."""
    _html(report, results.channel_table(report))
    _show_figure(charts.channel_breakdown(report),
                 charts.channel_breakdown(report, width_in=charts.PHONE_WIDTH_IN))


def show_data_notes(report: Report) -> None:
    """Where the data comes from, how fresh it is and its gaps."""
    _html(report, results.data_notes(report))


def _show_section(report: Report, html: str) -> None:
    """Display a work section; an empty one (no data) shows nothing, not even its heading."""
    if html:
        _html(report, html)


def show_what_we_did(report: Report) -> None:
    """The work log of the period by goal; nothing (not even a heading) without a work log."""
    _show_section(report, work.what_we_did(report))


def show_next_period(report: Report) -> None:
    """The plan for the next period; nothing without a plan file."""
    _show_section(report, work.next_period(report))


def show_needs_from_you(report: Report) -> None:
    """What the agency needs from the client; nothing without action items."""
    _show_section(report, work.needs_from_you(report))


def show_communication(report: Report) -> None:
    """Meetings, decisions and open issues of the period; nothing without a communication log."""
    _show_section(report, work.communication(report))


def show_goals(report: Report) -> None:
    """Each goal: status, value now against target, pace to the deadline, milestones and its chart."""
    if not report.analysis.goals:
        _html(report, analysis.goals(report))
    for result in report.analysis.goals:
        _html(report, analysis.goal(report, result.figures))
        if result.series.get("actual"):
            _show_figure(charts.goal_progress(report, result),
                         charts.goal_progress(report, result, width_in=charts.PHONE_WIDTH_IN))


def show_benchmarks(report: Report) -> None:
    """Each KPI against the client's own history and published or custom benchmarks."""
    _html(report, analysis.benchmarks(report))


def show_why(report: Report) -> None:
    """For each KPI that moved at least material_change: the channels that drove it and whether it is normal variation, seasonal or touched by a data gap."""
    _html(report, analysis.why(report))


def show_budget(report: Report) -> None:
    """Ad spend against budget (currency of the params), pacing and projection to the period end, with the burn chart(s)."""
    _html(report, analysis.budget(report))
    if report.analysis.budget.get("cumulative"):
        _show_figure(charts.budget_burn(report), charts.budget_burn(report, width_in=charts.PHONE_WIDTH_IN))
    if (report.analysis.budget.get("month_to_date") or {}).get("cumulative"):
        _show_figure(charts.budget_burn(report, "month_to_date"),
                     charts.budget_burn(report, "month_to_date", width_in=charts.PHONE_WIDTH_IN))


def emit_sidecar(report: Report) -> None:
    """Put every figure into the notebook as JSON; the runner writes it as <client_id>.json."""
    payload = json.loads(json.dumps(report.sidecar().to_json(), default=str, allow_nan=False))
    display({sidecar.MIMETYPE: payload}, raw=True)


# --- sections ----------------------------------------------------------------------
# Each section of the report: its text (id, heading, intro) is declared in
# reportkit.config.sections, its view here: what it shows and whether it has anything to
# show. A section with nothing to show is left out entirely: no heading, no contents link.

def _show_results(report: Report) -> None:
    show_kpi_table(report)
    _html(report, "<h3>" + escape(_("Day by day")) + "</h3>")
    show_trend(report)
    _html(report, "<h3>" + escape(_("By channel")) + "</h3>")
    show_channels(report)


def _always(report: Report) -> bool:
    return True


SECTION_VIEWS: dict[str, tuple] = {  # id: (show function, has-content test)
    "summary": (show_summary, _always),
    "goals": (show_goals, content.has_goals),
    "what_we_did": (show_what_we_did, lambda r: bool(work.what_we_did(r))),
    "results": (_show_results, _always),
    "benchmarks": (show_benchmarks, content.has_benchmarks),
    "why": (show_why, content.has_why),
    "budget": (show_budget, content.has_budget),
    "next_period": (show_next_period, lambda r: bool(work.next_period(r))),
    "needs_from_you": (show_needs_from_you, lambda r: bool(work.needs_from_you(r))),
    "communication": (show_communication, lambda r: bool(work.communication(r))),
    "data_notes": (show_data_notes, _always),
}

def _show_results_brief(report: Report) -> None:
    _html(report, results.kpi_table(report, brief=True))


# layout: compact: the short view of a "brief" section in the main part (its full view goes
# to the appendix; config.sections.PARTS says where each section goes)
BRIEF_VIEWS: dict[str, object] = {
    "what_we_did": lambda r: _html(r, work_brief.what_we_did(r)),
    "next_period": lambda r: _html(r, work_brief.next_period(r)),
    "results": _show_results_brief,
    "why": lambda r: _html(r, analysis.why_brief(r)),
}

OWN_HTML = {"what_we_did": work.what_we_did, "next_period": work.next_period,   # sections with own h2
            "needs_from_you": work.needs_from_you, "communication": work.communication}

_shown: dict[int, set] = {}   # id(report) -> the sections already shown for it
_notes: dict[int, "commentary.Commentary"] = {}   # id(report) -> its commentary, read once


def _commentary(report: Report) -> "commentary.Commentary":
    if id(report) not in _notes:
        _notes[id(report)] = commentary.load(report.cfg)
    return _notes[id(report)]


def section_ids(report: Report) -> list[str]:
    """The sections this client's report shows, in order: ``sections:`` in params applied,
    and those with nothing to show (and no commentary) left out."""
    notes = _commentary(report)
    return [s for s in report.cfg.sections.ordered()
            if notes.html(s) or SECTION_VIEWS[s][1](report)]


def show_section(report: Report, section: str) -> None:
    """One section: its heading and intro, the analyst's commentary for it, its content.
    Shows nothing when the client's params hide it or it has nothing to show."""
    if section not in SECTION_VIEWS:
        raise KeyError(f"unknown section {section!r}; the sections are: {', '.join(SECTION_VIEWS)}")
    _shown.setdefault(id(report), set()).add(section)
    if section in section_ids(report):
        _show(report, section, SECTION_VIEWS[section][0], SECTIONS[section].heading, with_notes=True)


def _show(report: Report, section: str, show, heading: str, with_notes: bool, intro: bool = True,
          appendix: bool = False) -> None:
    text = SECTIONS[section]
    notes = _commentary(report).html(section) if with_notes else ""
    if text.own_heading:
        show(report)
        if notes:
            _html(report, notes)
        return
    tag = f"h{text.level}"
    shown = _(heading)   # the anchor stays the English heading's, so links work in every language
    head = (page.appendix_heading(heading, shown) if appendix and text.level == 2 else
            f'<{tag} id="{escape(page.section_id(heading))}">{escape(shown)}</{tag}>')
    _html(report, head + (f'<p class="rk-intro">{escape(_(text.intro))}</p>' if text.intro and intro else ""))
    if notes and section != "summary":
        _html(report, notes)
    show(report)
    if notes and section == "summary":  # the analyst's words after the summary's cards
        _html(report, notes)


def _show_main(report: Report, section: str) -> None:
    """``layout: compact``: a section's place in the main part (full, brief or none)."""
    _shown.setdefault(id(report), set()).add(section)
    part = PARTS[section]
    if part == "appendix" or section not in section_ids(report):
        return
    if part == "brief":
        _show(report, section, BRIEF_VIEWS[section], SECTIONS[section].heading, with_notes=True, intro=False)
    else:
        _show(report, section, SECTION_VIEWS[section][0], SECTIONS[section].heading, with_notes=True)


def show_appendix(report: Report) -> None:
    """``layout: compact``: the appendix heading, then every brief section in full and every
    appendix-only section, in the client's order (once per report; nothing when empty)."""
    done = _shown.setdefault(id(report), set())
    if "appendix" in done:
        return
    done.add("appendix")
    shown = [s for s in section_ids(report) if PARTS[s] != "main"]
    if not shown:
        return
    heading, intro = _(APPENDIX.heading), _(APPENDIX.intro)
    _html(report, f'<div class="rk-appendix-start"><h2 id="{escape(page.section_id(APPENDIX.heading))}">'
                  f'{escape(heading)}</h2><p class="rk-intro">{escape(intro)}</p></div>')
    for section in shown:
        heading = APPENDIX_HEADINGS.get(section, SECTIONS[section].heading)
        view = SECTION_VIEWS[section][0]
        if SECTIONS[section].own_heading:   # its own heading, made an appendix one
            title = APPENDIX_HEADINGS.get(section)
            view = lambda r, html=OWN_HTML[section], title=_(title) if title else None: \
                _html(r, page.retitle(html(r), title))  # noqa: E731
        _show(report, section, view, heading, with_notes=PARTS[section] == "appendix", appendix=True)


def show_sections(report: Report, until: str | None = None) -> None:
    """Every section not shown yet, in the client's order; with ``until``, stop before that
    section (an analyst's own cells can then follow, and a later call shows the rest).
    With ``layout: compact`` (the default) the main part comes first and the appendix after
    the last section; ``layout: full`` shows every section in full."""
    done = _shown.setdefault(id(report), set())
    compact = report.cfg.layout == "compact"
    for section in report.cfg.sections.ordered():
        if section == until:
            return
        if section not in done:
            (_show_main if compact else show_section)(report, section)
    if compact:
        show_appendix(report)
