"""HTML for the Goals, Why it moved, Benchmarks and Budget sections. Everything from params
or data is escaped here; source URLs are shown as text without their scheme, never as
links (the exported report loads nothing from the network)."""

from __future__ import annotations

import re
from datetime import date
from html import escape

from reportkit.analysis.budget import BUDGET_WORDS
from reportkit.core import formatting as fmt
from reportkit.core.i18n import N_, _, in_sentence, ngettext
from reportkit.present.text import sentence_html

STATUS_CLASS = {"achieved": "good", "on_track": "good", "at_risk": "warn", "behind": "bad",
                "missed": "bad", "not_started": "flat"}


def _v(value, unit, cur) -> str:
    return escape(fmt.value(value, unit, cur))


def _day(iso: str | None) -> str:
    return fmt.day(date.fromisoformat(iso)) if iso else fmt.undefined()


def _url_text(url) -> str:
    return escape(re.sub(r"^[a-z]+://", "", str(url))) if url else ""


def goals(report) -> str:
    blocks = [goal(report, r.figures) for r in report.analysis.goals]
    return "".join(blocks) or "<p>" + escape(_("No goals are set for this client yet.")) + "</p>"


SCOPE_COLUMNS = {"channel": N_("Channel"), "campaign": N_("Campaign")}


def scope_parts(scope: dict | None) -> list[str]:
    """A goal's scope as read: ``Channel: Organic Search``, several values joined with "or"
    (a column without a label, a custom one, by its name)."""
    parts = []
    for column, wanted in (scope or {}).items():
        values = [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]
        name = _(SCOPE_COLUMNS[column]) if column in SCOPE_COLUMNS else column
        parts.append(_("{column}: {values}").format(column=name, values=fmt.join_words(values, last="or")))
    return parts


def _past_target(required: float, direction: str) -> bool:
    """Is the value already past the target, so that nothing more is needed (the run-rate
    still to gain is 0 or goes the other way)?"""
    return required <= 0 if direction == "up" else required >= 0


def goal(report, g: dict) -> str:
    """One goal: status, value now, baseline, target, pacing, forecast, run-rate, milestones."""
    cur = report.cfg.currency
    unit = g["unit"]
    status = g["status"]
    scope = "".join(" · " + escape(part) for part in scope_parts(g["scope"]))
    month = (fmt.month(date.fromisoformat(g["value_month"] + "-01")) if g.get("value_month") else None)
    untracked = ""
    if g.get("untracked_estimate") is not None:
        # how the days are estimated is said once, in the data notes
        untracked = (' <span class="rk-note">' + escape(_(
            "recorded {value}; the days tracking recorded nothing are estimated (see the data notes)").format(
                value=fmt.value(g["recorded_value"], unit, cur))) + '</span>')
    rows = [(_("Now ({month})").format(month=month) if month else _("Now"),
             _v(g.get("value"), unit, cur) + untracked, "value"),
            (_("Baseline"), (_v(g["baseline"], unit, cur) if g["baseline"] is not None else escape(_("none")))
             + f' <span class="rk-note">{escape(g["baseline_source"])}</span>', "baseline"),
            (_("Target by {date}").format(date=_day(g["deadline"])), _v(g["target"], unit, cur), "target"),
            (_("Expected by now"), _v(g.get("expected_now"), unit, cur)
             + (f' <span class="rk-note">{escape(g["pacing_method"])}</span>' if g.get("pacing_method") else ""),
             "expected_now"),
            (_("Forecast at the deadline"), _v(g.get("forecast"), unit, cur)
             + (f' <span class="rk-note">{escape(g["forecast_method"])}</span>' if g.get("forecast_method") else ""),
             "forecast")]
    if g["kind"] != "reach":
        rows = [r for r in rows if r[2] not in ("expected_now", "baseline") or g["baseline"] is not None]
        checks = {m: v for m, v in (g.get("history") or {}).items() if v is not None}
        broke = [m for m, v in checks.items()
                 if (v < g["target"] if g["direction"] == "up" else v > g["target"])] if g["target"] is not None else []
        above = g["kind"] == "stay_above"
        fields = {"n": len(checks), "months": ", ".join(fmt.month_short(date.fromisoformat(m + "-01")) for m in broke)}
        if not broke:
            words = (ngettext("{n} month checked, above the line", "{n} months checked, all above the line", len(checks))
                     if above else
                     ngettext("{n} month checked, below the line", "{n} months checked, all below the line", len(checks)))
        else:
            words = (ngettext("{n} month checked; not above the line in {months}",
                              "{n} months checked; not above the line in {months}", len(checks)) if above else
                     ngettext("{n} month checked; not below the line in {months}",
                              "{n} months checked; not below the line in {months}", len(checks)))
        words = words.format(**fields)
        rows.append((_("Months checked"), escape(words), "checks"))
    if g.get("progress") is not None:
        rows.append((_("Progress to target") if g["measure"] == "cumulative" else _("Progress from baseline to target"), escape(fmt.percent(g["progress"], 0)), "progress"))
    req = g.get("required") or {}
    reach = g["kind"] == "reach" and status != "achieved"
    if reach and req.get("per_month") is not None and _past_target(req["per_month"], g["direction"]):
        rows.append((_("Needed from here, per month"),
                     escape(_("nothing more: {month} is already past the target; it has to stay there")
                            .format(month=month)), "required"))
    elif reach and req.get("per_month") is not None:
        sign = "+" if req["per_month"] >= 0 else ""
        needed = (_("{points} percentage points").format(points=("+" if req["per_month"] >= 0 else "")
                                                                   + fmt.number(req["per_month"] * 100, 2))
                  if unit == "percent" else sign + fmt.value(req["per_month"], unit, cur))
        rows.append((_("Needed from here, per month"), escape(needed), "required"))
    if reach and req.get("per_day") is not None and not _past_target(req["per_day"], g["direction"]):
        rows.append((_("Needed from here, per day"), _v(req["per_day"], unit, cur)
                     + ' <span class="rk-note">' + escape(_("now {value} a day").format(
                         value=fmt.value(req.get("current_per_day"), unit, cur))) + '</span>',
                     "required"))
    if g.get("last_quarter_growth") is not None:
        asked = (fmt.change(g["target"] / g["baseline"] - 1) if g.get("baseline") and g.get("target") is not None
                 and g["kind"] == "reach" else None)
        rows.append((_("Last quarter's growth (benchmark)"), escape(fmt.change(g["last_quarter_growth"]))
                     + (' <span class="rk-note">' + escape(_("the target asks for {change} on the baseline").format(
                         change=asked)) + '</span>' if asked else ""), "last_quarter_growth"))
    gaps = g.get("data_gaps") or {}
    if gaps.get("baseline") or gaps.get("value"):
        words = []
        if gaps.get("baseline"):
            words.append(ngettext("{n} day of the baseline period", "{n} days of the baseline period",
                                  gaps["baseline"]).format(n=gaps["baseline"]))
        if gaps.get("value"):
            words.append(ngettext("{n} day of the current value", "{n} days of the current value",
                                  gaps["value"]).format(n=gaps["value"]))
        rows.append((_("Data gaps"), escape(fmt.join_words(words)) + ' <span class="rk-note">' + escape(_(
            "have no data or no recorded visits (see the data notes): the comparison is less certain")) + '</span>',
            "data_gaps"))
    body = "".join(f'<tr><th scope="row">{escape(label)}</th><td data-goal="{escape(g["id"])}" '
                   f'data-field="{field}">{cell}</td></tr>' for label, cell, field in rows)
    ms = "".join(
        f'<li class="{ {"hit": "good", "missed": "bad"}.get(m["state"], "flat") }">'
        + escape(_milestone_line(m, g, unit, cur))
        + (f' <span class="rk-note">{escape(m["note"])}</span>' if m.get("note") else "")
        + "</li>" for m in g["milestones"])
    kind, since = _(GOAL_KINDS.get(g["kind"], g["kind"])), _("from {date}").format(date=_day(g["start"]))
    return (
        f'<div class="rk-goal" data-goal="{escape(g["id"])}"><h3>{escape(g["name"])} '
        f'<span class="rk-status {STATUS_CLASS[status]}" data-goal="{escape(g["id"])}" '
        f'data-field="status">{escape(g["status_words"])}</span></h3>'
        f'<p class="rk-note">{escape(g["label"])}{scope} · {escape(kind)} · {escape(since)}</p>'
        f'<div class="rk-table-wrap"><table class="rk-table rk-goal-table"><tbody>{body}</tbody>'
        f'</table></div>'
        + (f'<ul class="rk-milestones">{ms}</ul>' if ms else "") + "</div>")


GOAL_KINDS = {"reach": N_("reach"), "stay_above": N_("stay above"), "stay_below": N_("stay below")}
MILESTONE_STATES = {"hit": N_("hit"), "missed": N_("missed")}


def _milestone_line(m: dict, g: dict, unit: str, cur: str) -> str:
    """'31 Oct 2026 (end of October): target €185,000 · hit at €210,317', or '… · next, 30 days
    to go, €189,683 to go from now' (plain text)."""
    fill = dict(date=_day(m["date"]), label=m.get("label") or "", target=fmt.value(m["target"], unit, cur))
    when = (_("{date} ({label}): target {target}") if m.get("label") else _("{date}: target {target}")).format(**fill)
    if m["state"] != "upcoming":
        state = _(MILESTONE_STATES.get(m["state"], m["state"]))
        return _("{milestone} · {state} at {value}").format(milestone=when, state=state,
                                                          value=fmt.value(m.get("value"), unit, cur))
    n = m["days_to_go"]
    distance = _milestone_distance(m, g, unit, cur) if m.get("distance") is not None else None
    if m.get("next"):
        text = (ngettext("{milestone} · next, {n} day to go, {distance}", "{milestone} · next, {n} days to go, {distance}", n)
                if distance else ngettext("{milestone} · next, {n} day to go", "{milestone} · next, {n} days to go", n))
    else:
        text = (ngettext("{milestone} · {n} day to go, {distance}", "{milestone} · {n} days to go, {distance}", n)
                if distance else ngettext("{milestone} · {n} day to go", "{milestone} · {n} days to go", n))
    return text.format(milestone=when, n=n, distance=distance)


def _milestone_distance(m: dict, g: dict, unit: str, cur: str) -> str:
    """'1,035 to go from now' or 'already 1,035 above it' (the sign follows the goal; plain text)."""
    to_go = m.get("to_go", m["distance"] if g["direction"] == "up" else -m["distance"])
    if to_go > 0:
        return _("{amount} to go from now").format(amount=fmt.value(to_go, unit, cur))
    return (_("already {amount} above it") if g["direction"] == "up" else
            _("already {amount} below it")).format(amount=fmt.value(-to_go, unit, cur))


def why(report) -> str:
    cur = report.cfg.currency
    threshold = report.cfg.material_change
    items = []
    for d in report.analysis.drivers:
        unit = d["unit"]
        fig = report.figures[d["kpi"]]
        before, after = ((fig.adjusted["previous"], fig.adjusted["current"]) if fig.adjusted
                         else (d["previous"], d["value"]))
        head = escape(_("{kpi} {change} on the previous period with the untracked days estimated ({before} → {after}).")
                      if d.get("estimated") else
                      _("{kpi} {change} on the previous period ({before} → {after}).")).format(
            kpi=f'<strong>{escape(d["label"])}</strong>', change=escape(fmt.change_words(d["change"])),
            before=_v(before, unit, cur), after=_v(after, unit, cur))
        notes = []
        if d.get("gap") and not _rounds_to_zero(d["gap"], unit, cur):
            sign = "+" if d["gap"] >= 0 else "-"
            notes.append(_("The days tracking recorded nothing are their own part of the recorded change "
                         "({gap}); the change above counts an estimate for them instead, and none of the "
                         "channel figures below include them.").format(gap=escape(sign + fmt.value(abs(d["gap"]), unit, cur))))
        if d["variation"]["within"]:
            notes.append(_("This is within the usual ups and downs from one day to the next in these two "
                         "months, so we do not call it a win or a loss."))
        elif d["variation"]["within"] is False:
            notes.append(_("This is larger than the usual ups and downs from one day to the next: a real change."))
        if d["method"] == "contribution":
            parts = ", ".join(
                f'{escape(plain_name(r["channel"]))} {"+" if r["change"] >= 0 else "-"}{_v(abs(r["change"]), unit, cur)}'
                for r in d["by_channel"][:4] if not _rounds_to_zero(r["change"], unit, cur))
            if parts:
                notes.append(_("By channel: {parts} (the changes of all channels add up to the total).").format(parts=parts))
            if d.get("by_campaign"):
                camps = ", ".join(
                    f'{escape(plain_name(r["campaign"]))} {"+" if r["change"] >= 0 else "-"}{_v(abs(r["change"]), unit, cur)}'
                    for r in d["by_campaign"][:3] if not _rounds_to_zero(r["change"], unit, cur))
                if camps:
                    notes.append(_("Largest campaign changes: {camps}.").format(camps=camps))
        elif d.get("mix_rate"):
            notes += _mix_rate_words(d)
        if d["seasonal"] is not None and d["last_year_change"] is not None and _we_set_it(report, d):
            notes.append(_("Last year the same months moved {ly}.").format(ly=escape(fmt.change(d["last_year_change"]))))
        elif d["seasonal"]:
            notes.append(_("Last year the same months moved {ly}: this looks seasonal.")
                         .format(ly=escape(fmt.change(d["last_year_change"]))))
        elif d["seasonal"] is False and d["last_year_change"] is not None:
            notes.append(_("Last year the same months moved {ly}, so this is not just the season.")
                         .format(ly=escape(fmt.change(d["last_year_change"]))))
        for a in d["anomalies"]:
            if a["kind"] == "zero_traffic_days" and not d.get("estimated"):
                continue   # untracked days do not touch this KPI's measures
            fields = {"days": a["days"], "first": escape(_day(a["first"])), "last": escape(_day(a["last"])),
                      "period": _("this period") if a["period"] == "current" else _("the previous period")}
            if a["kind"] == "zero_traffic_days":
                text = ngettext("Tracking recorded no visits on {days} day in {period} ({first}); we count an "
                                "estimate for it (see the data notes).",
                                "Tracking recorded no visits on {days} days in {period} ({first} – {last}); we "
                                "count an estimate for them (see the data notes).", a["days"])
            else:
                text = ngettext("{days} day in {period} has no data ({first}), which makes this comparison less "
                                "certain.",
                                "{days} days in {period} have no data ({first} – {last}), which makes this "
                                "comparison less certain.", a["days"])
            notes.append(text.format(**fields))
        items.append(f'<li data-driver="{escape(d["kpi"])}">{head} ' + " ".join(notes) + "</li>")
    unfair = [(f.kpi.label, f.not_comparable("previous")) for f in report.figures.values()
              if f.not_comparable("previous") and f.kpi.daily]
    skipped = ("" if not unfair else '<p class="rk-legend">' + escape(_(
        "Not compared with the previous period: {kpis}.").format(kpis="; ".join(
            _("{kpi}, not comparable ({reason})").format(kpi=label, reason=reason) for label, reason in unfair)))
        + "</p>")
    if not items and unfair and len(unfair) == len([f for f in report.figures.values() if f.kpi.daily]):
        return skipped   # nothing could be compared: no claim that nothing moved
    if not items:
        return ("<p>" + escape(_("No KPI moved by {threshold} or more on the previous period.").format(
            threshold=fmt.percent(threshold, 0))) + "</p>" + skipped)
    return ('<ul class="rk-why">' + "".join(items) + "</ul>"
            '<p class="rk-legend">' + escape(_("Shown: KPIs that moved {threshold} or more, up or down.").format(
                threshold=fmt.percent(threshold, 0))) + "</p>" + skipped)


MIX_RATE_CAUSES = {"rate": N_("channels doing better or worse themselves"),
                   "mix": N_("visitors moving between channels that convert differently"),
                   "other": N_("channels without ad spend, such as unpaid search")}


def _mix_rate_words(d: dict) -> list[str]:
    """A ratio KPI's change in words: what share of it came from channels doing better or worse,
    from visitors moving between channels, from channels outside the ratio's base; and the
    channel whose own results moved it most. Shares, not tiny differences of rates."""
    mr = d["mix_rate"]
    total = mr.get("total") or 0.0
    parts = {k: mr.get(k) or 0.0 for k in MIX_RATE_CAUSES}
    if not total:
        return []
    shares = {k: v / total for k, v in parts.items() if v}
    if all(0 <= x <= 1 for x in shares.values()):
        said = fmt.join_words([_("{share} from {cause}").format(share=fmt.share(x), cause=_(MIX_RATE_CAUSES[k]))
                               for k, x in shares.items() if round(x, 2)])
        out = [_("Of this change, {parts}.").format(parts=said)] if said else []
    else:   # the parts pull in opposite directions: say which way each pulled
        out = [(_("{cause} moved it up.") if v > 0 else _("{cause} moved it down.")).format(
            cause=_(MIX_RATE_CAUSES[k])[:1].upper() + _(MIX_RATE_CAUSES[k])[1:]) for k, v in parts.items() if v]
    top = max(mr.get("groups") or [], key=lambda r: abs(r["rate_effect"]), default=None)
    if top and top["rate_effect"]:
        out.append(_("The channel whose own results moved it most: {channel}.")
                   .format(channel=escape(plain_name(top["channel"]))))
    return out


def _rounds_to_zero(x, unit: str, cur: str) -> bool:
    """True when a part of a change would read as +0 or -0.00%: it says nothing, so it is left out."""
    return not any(digit in fmt.value(abs(x), unit, cur) for digit in "123456789")


def benchmarks(report) -> str:
    """One row per KPI: this period, then each benchmark (coloured better/worse for the KPI)."""
    cur = report.cfg.currency
    own = [("same_period_last_year", _("Same period last year")), ("last_quarter", _("Last 3 months")),
           ("trailing_12_month_median", _("12-month median"))]
    sources: dict = {}
    rows = []
    has_other = any(c["kind"] != "own" for b in report.analysis.benchmarks for c in b["comparisons"])
    for b in report.analysis.benchmarks:
        unit = b["unit"]
        by_key = {c["key"]: c for c in b["comparisons"] if c["kind"] == "own"}
        cells = []
        for key, label in own:
            c = by_key.get(key, {})
            cells.append(f'<td class="num {c.get("verdict", "none")}" data-label="{escape(label)}">'
                         f'{_v(c.get("value"), unit, cur)}</td>')
        others = []
        for c in (c for c in b["comparisons"] if c["kind"] != "own"):
            if c["kind"] == "industry":
                ref = sources.setdefault((c["source"], c.get("source_url"), c.get("caveat")), len(sources) + 1)
                mine = ("; " + escape(_("ours on {channel}: {value}").format(
                    channel=c["channel"], value=fmt.value(c.get("client_value"), unit, cur))) if c.get("channel") else "")
                note = f'; {escape(c["note"])}' if c.get("note") else ""
                # a published figure keeps its own currency's symbol (no conversion)
                others.append(f'<div class="{c["verdict"]}">{_v(c["value"], unit, c.get("currency") or cur)} '
                              f'<span class="rk-note">{escape(c["label"])}, {c["year"]} '
                              f'[{ref}]{mine}{note}</span></div>')
            else:
                year = f", {c['year']}" if c.get("year") else ""
                others.append(f'<div class="{c["verdict"]}">{_v(c["value"], unit, cur)} '
                              f'<span class="rk-note">{escape(c["label"])} ({escape(str(c["source"]))}{year})</span></div>')
        other = f'<td class="rk-other">{"".join(others) or "–"}</td>' if has_other else ""
        rows.append(f'<tr><th scope="row">{escape(b["label"])}</th><td class="num" data-label="{escape(report.periods.current.label())}">{_v(b["value"], unit, cur)}</td>'
                    + "".join(cells) + other + "</tr>")
    kpi_ = escape(_("KPI"))
    head = (f"<tr><th>{kpi_}</th>" f"<th>{escape(report.periods.current.label())}</th>"
            + "".join(f"<th>{escape(label)}</th>" for _key, label in own)
            + ("<th>" + escape(_("industry / custom")) + "</th>" if has_other else "") + "</tr>")
    notes = "".join(f"<li>{escape(str(src))}, {_url_text(url)}"
                    + (f' <span class="rk-note">{escape(str(caveat))}</span>' if caveat else "") + "</li>"
                    for (src, url, caveat), n in sources.items())
    legend = escape(_("Green: this period is better than that benchmark for this KPI; red: worse. Industry "
                      "figures are medians or averages from published studies, for the channel named; their "
                      "definitions differ from ours, so read them as orientation."))
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-benchmarks"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div><p class="rk-legend">{industry_line(report)} {legend}</p>'
            + (f'<ol class="rk-sources rk-legend">{notes}</ol>' if notes else ""))


def industry_line(report) -> str:
    """Which published rows are for the client's own industry: no silent fall-back to the
    all-industries figures."""
    industry = report.cfg.industry
    if not industry:
        return escape(_("Industry: none chosen."))
    published = [(b, c) for b in report.analysis.benchmarks for c in b["comparisons"] if c["kind"] == "industry"]
    own = list(dict.fromkeys(b["label"] for b, c in published if c.get("industry") == industry))
    if own:
        return escape(_("Industry: {industry}; published figures for it: {kpis}; any other published row is "
                        "for all industries.")).format(industry=escape(industry), kpis=escape(", ".join(own)))
    if published:
        return escape(_("Industry: {industry}; no published figure for it matches these KPIs, so the published "
                        "rows shown are for all industries.")).format(industry=escape(industry))
    return escape(_("Industry: {industry}; no published figure matches these KPIs.")).format(industry=escape(industry))


def budget(report) -> str:
    b = report.analysis.budget
    cur = report.cfg.currency
    if not b:
        return "<p>" + escape(_("No ad spend in this period.")) + "</p>"

    def line(x, title):
        status = x["status"]
        cls = {"on_budget": "good", "over": "bad", "under": "warn"}.get(status, "flat")
        used = fmt.undefined() if x["share_used"] is None else fmt.percent(x["share_used"], 0)
        proj = ("" if x["projected_vs_budget"] is None
                else " " + escape(_("({change} on budget)").format(change=fmt.change(x["projected_vs_budget"]))))
        spent, budget_, used_, projected = (escape(w) for w in (_("spent"), _("budget"), _("used"), _("projected")))
        return (f'<tr><th scope="row">{title}</th><td class="num" data-label="{spent}">{escape(fmt.money(x["spend"], cur))}</td>'
                f'<td class="num" data-label="{budget_}">{_v(x["budget"], "currency", cur)}</td>'
                f'<td class="num" data-label="{used_}">{escape(used)}</td>'
                f'<td class="num" data-label="{projected}">{_v(x["projected"], "currency", cur)}{proj}</td>'
                f'<td class="{cls}">{escape(_(BUDGET_WORDS[status]))}</td></tr>')

    head = "<tr><th></th>" + "".join(f"<th>{escape(h)}</th>" for h in (
        _("spent"), _("budget"), _("used"), _("projected to period end"), _("status"))) + "</tr>"
    rows = [line(b, escape(report.periods.current.label()))]
    rows += [line(p, "· " + escape(p["name"])) for p in b["parts"]]
    mtd = b.get("month_to_date")
    if mtd:
        rows.append(line(mtd, escape(_("{start} – {end} (month to date)").format(start=_day(mtd["start"]),
                                                                                  end=_day(mtd["through"])))))
        rows += [line(p, "· " + escape(p["name"])) for p in mtd["parts"]]
    fin = "".join(f'<li><strong>{escape(f["label"])}</strong>: {_v(f["value"], f["unit"], cur)} '
                  f'<span class="rk-note">{escape(f["explain"])}</span></li>' for f in b["financial"].values()
                  if f["value"] is not None)  # ROAS without revenue (lead generation) says nothing
    legend = (_("Projection: spend so far per day × days in the period;.") if b["tolerance"] is None else
              _("Projection: spend so far per day × days in the period; within {tolerance} of the budget counts as "
                "on budget.").format(tolerance=fmt.percent(b["tolerance"], 0)))
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-budget"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div><ul class="rk-financial">{fin}</ul>'
            f'<p class="rk-legend">{escape(legend)}</p>')



# --- the main part of layout: compact (short views; the full ones above go to the appendix) ---

BRIEF_DRIVERS = 3
NOT_SET = "(not set)"   # GA4's value for traffic without one (data, never translated)


def plain_name(name) -> str:
    """A channel or campaign name as the client reads it: GA4's '(not set)' is traffic without one."""
    return _("traffic without a campaign") if str(name) == NOT_SET else str(name)


def _linked_work(report, kpi: str) -> str | None:
    """The delivered work of the period on a goal measured by this KPI (most hours first)."""
    done = report.work.done
    if done is None:
        return None
    goal_ids = {r.figures["id"] for r in report.analysis.goals if r.figures["kpi"] == kpi}
    items = [i for g in done.goals if g.goal_id in goal_ids for i in g.items if i.deliverable or i.result]
    if not items:
        return None
    return max(items, key=lambda i: i.hours).task


def _driver_line(report, d: dict) -> str:
    cur, unit = report.cfg.currency, d["unit"]
    fig = report.figures[d["kpi"]]
    before, after = ((fig.adjusted["previous"], fig.adjusted["current"]) if fig.adjusted
                     else (d["previous"], d["value"]))
    fields = {"kpi": d["label"], "change": fmt.change_words(d["change"]),
              "previous": report.periods.previous.label(),
              "before": fmt.value(before, unit, cur), "after": fmt.value(after, unit, cur)}
    parts = [_("{kpi}: {change} on {previous}, to {after} from {before}.").format(**fields)]
    names = []    # user text typed into the line (isolated by sentence_html)
    top = [r for r in d.get("by_channel") or [] if fmt.value(abs(r["change"]), unit, cur) not in ("0", "0.00")]
    if d["method"] == "contribution" and top:
        total = d.get("abs_change")
        share = top[0]["change"] / total if total else None
        text = (_("Most of it came from {channel} ({amount}).") if share is not None and share >= 0.5
                else _("The largest part came from {channel} ({amount})."))
        sign = "+" if top[0]["change"] >= 0 else "-"
        names.append(plain_name(top[0]["channel"]))
        parts.append(text.format(channel=names[-1],
                                 amount=sign + fmt.value(abs(top[0]["change"]), unit, cur)))
    elif d.get("mix_rate"):
        mr = d["mix_rate"]
        cause = max(("rate", "mix", "other"), key=lambda k: abs(mr.get(k) or 0.0))
        parts.append({"rate": _("Mostly because the channels themselves did better or worse, not because "
                              "visitors moved between channels."),
                      "mix": _("Mostly because visitors moved between channels that convert differently, "
                             "not because a channel itself did better or worse."),
                      "other": _("Mostly from channels without ad spend, such as unpaid search.")}[cause])
    if d["seasonal"] and _we_set_it(report, d):
        parts.append(_("Last year these months moved the same way ({ly}).")
                     .format(ly=fmt.change_words(d["last_year_change"])))
    elif d["seasonal"]:
        parts.append(_("Last year these months moved the same way ({ly}), so part of this is the season.")
                     .format(ly=fmt.change_words(d["last_year_change"])))
    task = _linked_work(report, d["kpi"])
    if task:
        names.append(task)
        parts.append(_("It follows our work on “{task}”.").format(task=task))
    return (f'<li data-driver="{escape(d["kpi"])}">'
            + sentence_html(" ".join(parts), [{"text": n, "format": "text"} for n in names]) + "</li>")


def _we_set_it(report, d: dict) -> bool:
    """Is the KPI ad spend (cost, no denominator)? Spend follows the budget we set: last year's
    same move is told as a fact, never as "the season" being the cause."""
    kpi = report.figures[d["kpi"]].kpi
    return kpi.numerator.strip() == "cost" and not kpi.denominator


def _estimated_notes(report, drivers: list[dict]) -> list[str]:
    """Once under the list, per period: which of its figures count an estimate for untracked
    days (they differ from the table's recorded values; the data notes say which days)."""
    notes = []
    for period, rng in (("current", report.periods.current), ("previous", report.periods.previous)):
        labels = [in_sentence(d["label"]) for d in drivers
                  if report.figures[d["kpi"]].adjusted and report.figures[d["kpi"]].coverage[period]["days_estimated"]]
        if labels:
            notes.append(ngettext(
                "The {period} figure of {kpis} above counts our estimate for the days tracking recorded nothing.",
                "The {period} figures of {kpis} above count our estimate for the days tracking recorded nothing.",
                len(labels)).format(period=rng.label(), kpis=fmt.join_words(labels)))
    return notes


def why_brief(report) -> str:
    """The two or three changes that matter, in plain words: the KPIs that moved beyond normal
    day-to-day variation (in the client's KPI order), with the channel that moved them, the
    season and the work behind them; the ones within normal variation named in one line."""
    drivers = report.analysis.drivers
    real = [d for d in drivers if d["variation"]["within"] is not True][:BRIEF_DRIVERS]
    calm = [d for d in drivers if d["variation"]["within"] is True]
    items = "".join(_driver_line(report, d) for d in real)
    html = f'<ul class="rk-why">{items}</ul>' if items else ""
    html += "".join(f'<p class="rk-legend">{escape(note)}</p>' for note in _estimated_notes(report, real))
    if len(calm) == 1:
        html += "<p>" + escape(_("{name} moved too, but within the usual ups and downs from one day to the next, so "
                                 "we do not read it as a real change yet.").format(name=calm[0]["label"])) + "</p>"
    elif calm:
        html += "<p>" + escape(_("{names} moved too, but within the usual ups and downs from one day to the next, "
                                 "so we do not read them as real changes yet.").format(
            names=fmt.join_words([calm[0]["label"]] + [in_sentence(d["label"]) for d in calm[1:]]))) + "</p>"
    if not drivers:
        html += why(report)
    return html + '<p class="rk-legend">' + escape(_("How each change breaks down by channel and campaign is in the "
                                                     "appendix.")) + "</p>"
