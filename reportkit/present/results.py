"""HTML of the header, the summary cards, the KPI and channel tables and the data notes.
All text from params or data is escaped here."""

from __future__ import annotations

from datetime import date
from html import escape

from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _, ngettext
from reportkit.present import page
from reportkit.present.branding import logo_img
from reportkit.present.text import sentence_html, user_text
from reportkit.core.metrics import verdict

ARROWS = {"flat": "■", "none": ""}


def _arrow(verdict_: str, rel) -> str:
    """The arrow shows the direction of a change; its class (colour) says whether that is better."""
    return ("▲" if rel > 0 else "▼") if verdict_ in ("good", "bad") else ARROWS[verdict_]


def not_comparable_text(reason: str) -> str:
    """How an unfair comparison reads everywhere: 'not comparable (1 of 28 days)'."""
    return _("not comparable ({reason})").format(reason=reason)


# Ad spend is judged against its budget, not as "lower is better": on budget is neutral.
SPEND_CLASS = {"on_budget": "flat", "over": "bad", "under": "warn"}


def spend_class(report, kpi) -> str | None:
    """The colour of an ad spend change: its budget status (None: no budget, use the polarity)."""
    status = (report.analysis.budget or {}).get("status") if kpi.key == "cost" else None
    return SPEND_CLASS.get(status)


def _change_cell(kpi, rel, key: str, field: str, reason: str | None = None,
                 colour: str | None = None, label: str | None = None, estimated: bool = False) -> str:
    """A change cell; ``label``: its column's name, shown before it when a phone stacks the row;
    ``estimated``: the change counts an estimate for untracked days (marked *, see the legend)."""
    lab = f' data-label="{escape(label)}"' if label else ""
    if reason:
        return (f'<td class="chg none" data-kpi="{escape(key)}" data-field="{field}"{lab}>'
                f'{escape(not_comparable_text(reason))}</td>')
    v = verdict(kpi.better, rel)
    arrow = _arrow(v, rel)
    return (f'<td class="chg {colour if colour and v in ("good", "bad") else v}" data-kpi="{escape(key)}" '
            f'data-field="{field}"{lab}>{arrow} {escape(fmt.change(rel))}{"*" if estimated and rel is not None else ""}</td>')


def estimate_note(f, currency: str) -> str:
    """'€210,317 with the untracked days estimated' when this period's figure has an estimate."""
    if not f.adjusted or not f.coverage["current"]["days_estimated"] or \
            fmt.value(f.adjusted["current"], f.kpi.unit, currency) == fmt.value(f.value, f.kpi.unit, currency):
        return ""   # the same as shown: nothing to add
    days = f.coverage["current"]["days_estimated"]
    text = ngettext("{value} with the {days} untracked day estimated", "{value} with the {days} untracked days estimated", days)
    return text.format(value=fmt.value(f.adjusted["current"], f.kpi.unit, currency), days=days)


def value_cell(f, key: str, currency: str) -> str:
    """A KPI's value cell: the recorded value and, when this period's figure counts an estimate
    for untracked days, that figure beneath it (the one its changes are computed from)."""
    value = escape(fmt.value(f.value, f.kpi.unit, currency))
    note = estimate_note(f, currency)
    if not note:
        return f'<td class="num" data-kpi="{escape(key)}" data-field="value">{value}</td>'
    return (f'<td class="num"><span data-kpi="{escape(key)}" data-field="value">{value}</span>'
            f' <span class="rk-note" data-kpi="{escape(key)}" data-field="estimated">{escape(note)}</span></td>')


def header(report) -> str:
    cfg, p = report.cfg, report.periods
    line = escape(_("Report for {period} ({start} – {end}) · compared with {previous} and {yoy}")).format(
        period=f"<strong>{escape(p.current.label())}</strong>", start=escape(fmt.day(p.current.start)),
        end=escape(fmt.day(p.current.end)), previous=escape(p.previous.label()), yoy=escape(p.yoy.label()))
    prepared = _("Prepared by {agency} for {client}").format(agency=cfg.agency.name, client=cfg.client_name)
    return (cover(report, prepared) if cfg.pdf.cover else "") + page.header(
        logo_img(cfg.agency), cfg.agency.name, cfg.client_name,
        line + '<span class="rk-prepared">{text}</span>'.format(text=escape(prepared)))


def cover(report, prepared: str) -> str:
    """The printed cover page (``pdf.cover``): the agency's logo and name, the client, the
    period and who prepared it. Print only: the web page starts with its header."""
    cfg, p = report.cfg, report.periods
    title = _("Marketing report")
    return (f'<div class="rk-cover">{logo_img(cfg.agency)}<div class="rk-cover-agency">{user_text(cfg.agency.name)}</div>'
            f'<div class="rk-cover-client">{user_text(cfg.client_name)}</div>'
            f'<div class="rk-cover-title">{escape(title)}</div>'
            f'<div class="rk-cover-period">{escape(p.current.label())} · {escape(fmt.day(p.current.start))} – '
            f'{escape(fmt.day(p.current.end))}</div><div class="rk-cover-prepared">{escape(prepared)}</div></div>')


def _card_change(f, rel, field: str, against: str, name: str, colour: str | None = None) -> str:
    """One line of a KPI card: arrow by direction, colour by polarity (lower cost is green);
    'not comparable (...)' when the comparison is not fair."""
    reason = f.not_comparable(name)
    if reason:
        unfair = escape(_("no fair comparison"))
        return (f'<div class="rk-card-chg none" title="{unfair}"><span data-kpi="{escape(f.kpi.key)}" '
                f'data-field="{field}">{escape(not_comparable_text(reason))}</span> '
                f'<span class="vs">{escape(_vs(against))}</span></div>')
    # said once per card: this period's estimate is the card's note line (estimate_note)
    estimated = f.counts_estimate(name) and not estimate_note(f, "EUR")
    v = verdict(f.kpi.better, rel)
    arrow = _arrow(v, rel)
    words = _(VERDICT_WORDS[v])
    if colour and v in ("good", "bad"):
        v, words = colour, _(BUDGET_COLOUR_WORDS[colour])
    vs = (_("vs {period} (untracked days estimated)") if estimated else _("vs {period}")).format(period=against)
    return (f'<div class="rk-card-chg {v}" title="{escape(words)}"><span data-kpi="{escape(f.kpi.key)}" '
            f'data-field="{field}">{arrow} {escape(fmt.change(rel))}</span> '
            f'<span class="vs">{escape(vs)}</span></div>')


VERDICT_WORDS = {"good": N_("better"), "bad": N_("worse"), "flat": N_("about the same"), "none": N_("no comparison")}
BUDGET_COLOUR_WORDS = {"flat": N_("on budget"), "bad": N_("over budget"), "warn": N_("under budget")}


def _vs(period: str) -> str:
    return _("vs {period}").format(period=period)


def paid_note(f, currency: str) -> str:
    """'paid channels only: £209.12 (Paid Search £180.00, Paid Social £260.00)' for a blended
    cost per result."""
    if not f.paid or f.paid.get("value") is None:
        return ""
    parts = ", ".join(f"{ch} {fmt.value(v, f.kpi.unit, currency)}" for ch, v in f.paid["by_channel"].items()
                      if v is not None)
    value = fmt.value(f.paid["value"], f.kpi.unit, currency)
    return (_("paid channels only: {value} ({channels})").format(value=value, channels=parts) if parts
            else _("paid channels only: {value}").format(value=value))


def _card_note(f, currency: str) -> str:
    paid = paid_note(f, currency)
    if paid:
        return f'<div class="rk-card-note rk-note" data-field="paid">{escape(paid)}</div>'
    note = estimate_note(f, currency)
    return f'<div class="rk-card-note rk-note" data-field="adjusted">{escape(note)}</div>' if note else ""


def cards(report) -> str:
    """The headline KPI cards."""
    p = report.periods
    return "".join(
        f'<div class="rk-card" data-kpi="{escape(f.kpi.key)}"><div class="rk-card-label" '
        f'title="{escape(f.kpi.explain)}">{escape(f.kpi.label)}</div><div class="rk-card-value" '
        f'data-field="value">{escape(fmt.value(f.value, f.kpi.unit, report.cfg.currency))}</div>'
        + _card_note(f, report.cfg.currency)
        + _card_change(f, f.change_previous, "change_previous", p.previous.label(), "previous",
                       spend_class(report, f.kpi))
        + _card_change(f, f.change_yoy, "change_yoy", p.yoy.label(), "yoy", spend_class(report, f.kpi)) + '</div>'
        for f in report.headline)


def summary(report) -> str:
    """The KPI cards and the summary sentences (the first screen adds goals, risk and ask)."""
    figures = report.summary_figures or [[]] * len(report.summary)
    sentences = "".join(f"<li>{sentence_html(s, f)}</li>" for s, f in zip(report.summary, figures))
    return f'<div class="rk-cards">{cards(report)}</div><ul class="rk-summary">{sentences}</ul>'


def kpi_table(report, brief: bool = False) -> str:
    """Every selected KPI against the previous period and last year; ``brief``: the main part's
    short table (this period and the two changes; the full table is in the appendix)."""
    if brief:
        return _kpi_table_brief(report)
    p, cur = report.periods, report.cfg.currency
    rows = []
    for key, f in report.figures.items():
        k = f.kpi
        rows.append(
            f'<tr><th scope="row" title="{escape(k.explain)}">{escape(k.label)}</th>'
            + value_cell(f, key, cur)
            + f'<td class="num" data-kpi="{escape(key)}" data-field="previous">{escape(fmt.value(f.previous, k.unit, cur))}</td>'
            + _change_cell(k, f.change_previous, key, "change_previous", f.not_comparable("previous"),
                           spend_class(report, k))
            + f'<td class="num" data-kpi="{escape(key)}" data-field="yoy">{escape(fmt.value(f.yoy, k.unit, cur))}</td>'
            + _change_cell(k, f.change_yoy, key, "change_yoy", f.not_comparable("yoy"), spend_class(report, k))
            + f'<td class="explain">{escape(k.explain)}'
            + (f' <span class="rk-note" data-kpi="{escape(key)}" data-field="paid">{escape(paid_note(f, cur))}.</span>'
               if paid_note(f, cur) else "") + '</td></tr>')
    kpi_, change, means = escape(_("KPI")), escape(_("change")), escape(_("what it means"))
    head = (f"<tr><th>{kpi_}</th><th>{escape(p.current.label())}</th><th>{escape(p.previous.label())}</th>"
            f"<th>{change}</th><th>{escape(p.yoy.label())}</th><th>{change}</th><th>{means}</th></tr>")
    legend = escape(_("▲ ▼ arrows show the direction; green is better and red is worse "
                      "for that KPI (for costs per result, lower is better; ad spend is coloured by its budget "
                      "status: grey on budget, red over, amber under). n/a: not defined (for example, no clicks to "
                      "divide the cost by). Not comparable: one of the two periods lacks data on some of its "
                      "days for that KPI (days with data of days in the period). Where tracking recorded nothing "
                      "on some days, changes count an estimate for those days (see the data notes)."))
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-kpis"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>'
            f'<p class="rk-legend">{legend}</p>')


def _kpi_table_brief(report) -> str:
    p, cur = report.periods, report.cfg.currency
    rows = "".join(
        f'<tr><th scope="row" title="{escape(f.kpi.explain)}">{escape(f.kpi.label)}</th>'
        f'<td class="num" data-kpi="{escape(key)}" data-field="value">{escape(fmt.value(f.value, f.kpi.unit, cur))}</td>'
        + _change_cell(f.kpi, f.change_previous, key, "change_previous", f.not_comparable("previous"),
                       spend_class(report, f.kpi), estimated=f.counts_estimate("previous"))
        + _change_cell(f.kpi, f.change_yoy, key, "change_yoy", f.not_comparable("yoy"), spend_class(report, f.kpi),
                       estimated=f.counts_estimate("yoy"))
        + "</tr>" for key, f in report.figures.items())
    kpi_ = escape(_("KPI"))
    head = (f"<tr><th>{kpi_}</th><th>{escape(p.current.label())}</th><th>{escape(_vs(p.previous.label()))}</th>"
            f"<th>{escape(_vs(p.yoy.label()))}</th></tr>")
    legend = _("Green is better and red is worse for that KPI; grey: about the same. "
               "Each KPI explained, with the previous values, is in the appendix.")
    if any(f.counts_estimate(name) for f in report.figures.values() for name in ("previous", "yoy")):
        legend += " " + _("*: the change counts our estimate for the days tracking recorded nothing (see the "
                          "data notes).")
    legend = escape(legend)
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-kpis rk-kpis-brief"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>'
            f'<p class="rk-legend">{legend}</p>')


def channel_table(report, keys: list[str] | None = None) -> str:
    kpis = [k for k in report.chartable if keys is None or k.key in keys][:4]
    cur, table = report.cfg.currency, report.channels
    vs_prev = escape(_("vs prev."))
    head = "".join(f"<th>{escape(k.label)}</th><th>{vs_prev}</th>" for k in kpis)
    rows = []
    for channel, row in table.iterrows():
        cells = []
        for k in kpis:
            value, change = row.get(k.key), row.get(f"{k.key}_change")
            value = None if fmt.is_missing(value) else float(value)
            change = None if fmt.is_missing(change) else float(change)
            fig = report.figures.get(k.key)
            reason = fig.not_comparable("previous") if fig is not None else None
            cells.append(f'<td class="num" data-label="{escape(k.label)}">{escape(fmt.value(value, k.unit, cur))}</td>'
                         + _change_cell(k, change, k.key, "channel_change", reason, label=_("vs prev.")))
        rows.append(f'<tr><th scope="row">{escape(str(channel))}</th>{"".join(cells)}</tr>')
    estimated = any(report.figures[k.key].estimated for k in kpis if k.key in report.figures)
    legend = ('<p class="rk-legend">' + escape(_("Values are as recorded; the changes count an estimate for the "
                                                "days tracking recorded nothing (see the data notes).")) + '</p>'
              if estimated else "")
    channel = escape(_("Channel"))
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-channels"><thead><tr><th>{channel}</th>'
            f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>' + legend)


def data_notes(report) -> str:
    dq = report.data_quality
    if dq["data_from"]:
        source = _("Source: {source}; data from {start} to {end} ({rows} rows in this period).").format(
            source=report.origin, start=fmt.day(date.fromisoformat(dq["data_from"])),
            end=fmt.day(date.fromisoformat(dq["data_to"])), rows=fmt.number(dq["rows_in_period"]))
    else:
        source = _("Source: {source}; it holds no data.").format(source=report.origin)
    items = [escape(source)]
    items += [escape(fmt.sentence(f["message"])) for f in dq["findings"]]
    if dq["status"] == "ok":
        items.append(escape(_("No data problems were found in the checks we run.")))
    items.append(escape(_("Ratios (rates, cost per click, return on ad spend) are computed from totals, "
                          "never averaged from daily figures.")))
    return '<ul class="rk-notes">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
