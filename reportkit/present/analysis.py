"""HTML for the Goals, Why it moved, Benchmarks and Budget sections. Everything from params
or data is escaped here; source URLs are shown as text without their scheme, never as
links (the exported report loads nothing from the network)."""

from __future__ import annotations

import re
from datetime import date
from html import escape

from reportkit.analysis.budget import BUDGET_WORDS
from reportkit.core import formatting as fmt

STATUS_CLASS = {"achieved": "good", "on_track": "good", "at_risk": "warn", "behind": "bad",
                "missed": "bad", "not_started": "flat"}


def _v(value, unit, cur) -> str:
    return escape(fmt.value(value, unit, cur))


def _day(iso: str | None) -> str:
    return f"{date.fromisoformat(iso):%-d %b %Y}" if iso else "n/a"


def _url_text(url) -> str:
    return escape(re.sub(r"^[a-z]+://", "", str(url))) if url else ""


def goals(report) -> str:
    blocks = [goal(report, r.figures) for r in report.analysis.goals]
    return "".join(blocks) or '<p>No goals are set for this client yet.</p>'


def goal(report, g: dict) -> str:
    """One goal: status, value now, baseline, target, pacing, forecast, run-rate, milestones."""
    cur = report.cfg.currency
    unit = g["unit"]
    status = g["status"]
    scope = (" · " + ", ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in g["scope"].items())
             if g["scope"] else "")
    month = (f"{date.fromisoformat(g['value_month'] + '-01'):%B %Y}" if g.get("value_month") else None)
    untracked = ""
    if g.get("untracked_estimate") is not None:
        untracked = (f' <span class="rk-note">recorded {_v(g["recorded_value"], unit, cur)}; the days '
                     f'tracking recorded nothing are estimated ({escape(g["untracked_method"])})</span>')
    rows = [("Now" + (f" ({escape(month)})" if month else ""),
             _v(g.get("value"), unit, cur) + untracked, "value"),
            ("Baseline", (_v(g["baseline"], unit, cur) if g["baseline"] is not None else "none")
             + f' <span class="rk-note">{escape(g["baseline_source"])}</span>', "baseline"),
            ("Target by " + _day(g["deadline"]), _v(g["target"], unit, cur), "target"),
            ("Expected by now", _v(g.get("expected_now"), unit, cur)
             + (f' <span class="rk-note">{escape(g["pacing_method"])}</span>' if g.get("pacing_method") else ""),
             "expected_now"),
            ("Forecast at the deadline", _v(g.get("forecast"), unit, cur)
             + (f' <span class="rk-note">{escape(g["forecast_method"])}</span>' if g.get("forecast_method") else ""),
             "forecast")]
    if g["kind"] != "reach":
        rows = [r for r in rows if r[2] not in ("expected_now", "baseline") or g["baseline"] is not None]
        checks = {m: v for m, v in (g.get("history") or {}).items() if v is not None}
        broke = [m for m, v in checks.items()
                 if (v < g["target"] if g["direction"] == "up" else v > g["target"])] if g["target"] is not None else []
        side = "above" if g["kind"] == "stay_above" else "below"
        fields = {"n": len(checks), "side": side, "months": ", ".join(
            f"{date.fromisoformat(m + '-01'):%b %Y}" for m in broke)}
        words = (("1 month checked, {side} the line" if len(checks) == 1 else
                  "{n} months checked, all {side} the line") if not broke else
                 ("1 month checked; not {side} the line in {months}" if len(checks) == 1 else
                  "{n} months checked; not {side} the line in {months}")).format(**fields)
        rows.append(("Months checked", escape(words), "checks"))
    if g.get("progress") is not None:
        rows.append(("Progress to target" if g["measure"] == "cumulative" else "Progress from baseline to target", escape(f"{g['progress'] * 100:.0f}%"), "progress"))
    req = g.get("required") or {}
    if req.get("per_month") is not None and g["kind"] == "reach" and status != "achieved":
        sign = "+" if req["per_month"] >= 0 else ""
        needed = (f"{req['per_month'] * 100:+.2f} percentage points" if unit == "percent"
                  else sign + fmt.value(req["per_month"], unit, cur))
        rows.append(("Needed from here, per month", escape(needed), "required"))
    if req.get("per_day") is not None and g["kind"] == "reach" and status != "achieved":
        rows.append(("Needed from here, per day", _v(req["per_day"], unit, cur)
                     + f' <span class="rk-note">now {_v(req.get("current_per_day"), unit, cur)} a day</span>',
                     "required"))
    if g.get("last_quarter_growth") is not None:
        asked = (fmt.change(g["target"] / g["baseline"] - 1) if g.get("baseline") and g.get("target") is not None
                 and g["kind"] == "reach" else None)
        rows.append(("Last quarter's growth (benchmark)", escape(fmt.change(g["last_quarter_growth"]))
                     + (f' <span class="rk-note">the target asks for {escape(asked)} on the baseline</span>'
                        if asked else ""), "last_quarter_growth"))
    gaps = g.get("data_gaps") or {}
    if gaps.get("baseline") or gaps.get("value"):
        words = []
        if gaps.get("baseline"):
            words.append(("1 day of the baseline period" if gaps["baseline"] == 1 else
                          "{n} days of the baseline period").format(n=gaps["baseline"]))
        if gaps.get("value"):
            words.append(("1 day of the current value" if gaps["value"] == 1 else
                          "{n} days of the current value").format(n=gaps["value"]))
        rows.append(("Data gaps", escape(" and ".join(words)) + ' <span class="rk-note">have no data or no '
                     'recorded visits (see the data notes): the comparison is less certain</span>', "data_gaps"))
    body = "".join(f'<tr><th scope="row">{label}</th><td data-goal="{escape(g["id"])}" '
                   f'data-field="{field}">{cell}</td></tr>' for label, cell, field in rows)
    ms = "".join(
        f'<li class="{ {"hit": "good", "missed": "bad"}.get(m["state"], "flat") }">'
        f'{escape(_day(m["date"]))}{" (" + escape(m["label"]) + ")" if m.get("label") else ""}: '
        f'target {_v(m["target"], unit, cur)} · '
        + (f'{escape(m["state"])} at {_v(m.get("value"), unit, cur)}' if m["state"] != "upcoming" else
           f'{"next, " if m.get("next") else ""}{m["days_to_go"]} days to go'
           + (_milestone_distance(m, g, unit, cur) if m.get("distance") is not None else ""))
        + (f' <span class="rk-note">{escape(m["note"])}</span>' if m.get("note") else "")
        + "</li>" for m in g["milestones"])
    return (
        f'<div class="rk-goal" data-goal="{escape(g["id"])}"><h3>{escape(g["name"])} '
        f'<span class="rk-status {STATUS_CLASS[status]}" data-goal="{escape(g["id"])}" '
        f'data-field="status">{escape(g["status_words"])}</span></h3>'
        f'<p class="rk-note">{escape(g["label"])}{scope} · {escape(g["kind"].replace("_", " "))}'
        f' · from {escape(_day(g["start"]))}</p>'
        f'<div class="rk-table-wrap"><table class="rk-table rk-goal-table"><tbody>{body}</tbody>'
        f'</table></div>'
        + (f'<ul class="rk-milestones">{ms}</ul>' if ms else "") + "</div>")


def _milestone_distance(m: dict, g: dict, unit: str, cur: str) -> str:
    """', 1,035 to go from now' or ', already 1,035 above it' (the sign follows the goal)."""
    to_go = m.get("to_go", m["distance"] if g["direction"] == "up" else -m["distance"])
    if to_go > 0:
        return f', {_v(to_go, unit, cur)} to go from now'
    side = "above" if g["direction"] == "up" else "below"
    return f', already {_v(-to_go, unit, cur)} {side} it'


def why(report) -> str:
    cur = report.cfg.currency
    threshold = report.cfg.material_change
    items = []
    for d in report.analysis.drivers:
        unit = d["unit"]
        fig = report.figures[d["kpi"]]
        est = " with the untracked days estimated" if d.get("estimated") else ""
        before, after = ((fig.adjusted["previous"], fig.adjusted["current"]) if fig.adjusted
                         else (d["previous"], d["value"]))
        head = (f'<strong>{escape(d["label"])}</strong> {escape(fmt.change_words(d["change"]))} on the '
                f'previous period{est} ({_v(before, unit, cur)} → {_v(after, unit, cur)}).')
        notes = []
        if d.get("gap") and not _rounds_to_zero(d["gap"], unit, cur):
            sign = "+" if d["gap"] >= 0 else "-"
            notes.append("The days tracking recorded nothing are their own part of the recorded change "
                         "({gap}); the change above counts an estimate for them instead, and none of the "
                         "channel figures below include them.".format(gap=escape(sign + fmt.value(abs(d["gap"]), unit, cur))))
        if d["variation"]["within"]:
            notes.append("This is within the usual ups and downs from one day to the next in these two "
                         "months, so we do not call it a win or a loss.")
        elif d["variation"]["within"] is False:
            notes.append("This is larger than the usual ups and downs from one day to the next: a real change.")
        if d["method"] == "contribution":
            parts = ", ".join(
                f'{escape(plain_name(r["channel"]))} {"+" if r["change"] >= 0 else "-"}{_v(abs(r["change"]), unit, cur)}'
                for r in d["by_channel"][:4] if not _rounds_to_zero(r["change"], unit, cur))
            if parts:
                notes.append("By channel: {parts} (the changes of all channels add up to the total).".format(parts=parts))
            if d.get("by_campaign"):
                camps = ", ".join(
                    f'{escape(plain_name(r["campaign"]))} {"+" if r["change"] >= 0 else "-"}{_v(abs(r["change"]), unit, cur)}'
                    for r in d["by_campaign"][:3] if not _rounds_to_zero(r["change"], unit, cur))
                if camps:
                    notes.append("Largest campaign changes: {camps}.".format(camps=camps))
        elif d.get("mix_rate"):
            notes += _mix_rate_words(d)
        if d["seasonal"]:
            notes.append("Last year the same months moved {ly}: this looks seasonal."
                         .format(ly=escape(fmt.change(d["last_year_change"]))))
        elif d["seasonal"] is False and d["last_year_change"] is not None:
            notes.append("Last year the same months moved {ly}, so this is not just the season."
                         .format(ly=escape(fmt.change(d["last_year_change"]))))
        for a in d["anomalies"]:
            if a["kind"] == "zero_traffic_days" and not d.get("estimated"):
                continue   # untracked days do not touch this KPI's measures
            fields = {"days": a["days"], "first": escape(_day(a["first"])), "last": escape(_day(a["last"])),
                      "period": "this period" if a["period"] == "current" else "the previous period"}
            if a["kind"] == "zero_traffic_days":
                text = ("Tracking recorded no visits on 1 day in {period} ({first}); we count an estimate "
                        "for it (see the data notes)." if a["days"] == 1 else
                        "Tracking recorded no visits on {days} days in {period} ({first} – {last}); we count "
                        "an estimate for them (see the data notes).")
            else:
                text = ("1 day in {period} has no data ({first}), which makes this comparison less certain."
                        if a["days"] == 1 else "{days} days in {period} have no data ({first} – {last}), "
                        "which makes this comparison less certain.")
            notes.append(text.format(**fields))
        items.append(f'<li data-driver="{escape(d["kpi"])}">{head} ' + " ".join(notes) + "</li>")
    unfair = [(f.kpi.label, f.not_comparable("previous")) for f in report.figures.values()
              if f.not_comparable("previous") and f.kpi.daily]
    skipped = ("" if not unfair else '<p class="rk-legend">Not compared with the previous period: '
               + "; ".join(f"{escape(label)}, not comparable ({escape(reason)})" for label, reason in unfair)
               + ".</p>")
    if not items and unfair and len(unfair) == len([f for f in report.figures.values() if f.kpi.daily]):
        return skipped   # nothing could be compared: no claim that nothing moved
    if not items:
        return f"<p>No KPI moved by {threshold * 100:.0f}% or more on the previous period.</p>" + skipped
    return ('<ul class="rk-why">' + "".join(items) + "</ul>"
            f'<p class="rk-legend">Shown: KPIs that moved {threshold * 100:.0f}% or more, up or down.</p>'
            + skipped)


MIX_RATE_CAUSES = {"rate": "channels doing better or worse themselves",
                   "mix": "visitors moving between channels that convert differently",
                   "other": "channels without ad spend, such as unpaid search"}


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
        said = " and ".join("{share} from {cause}".format(share=fmt.share(x), cause=MIX_RATE_CAUSES[k])
                            for k, x in shares.items() if round(x, 2))
        out = ["Of this change, {parts}.".format(parts=said)] if said else []
    else:   # the parts pull in opposite directions: say which way each pulled
        out = ["{cause} moved it {way}.".format(cause=MIX_RATE_CAUSES[k][0].upper() + MIX_RATE_CAUSES[k][1:],
                                                way="up" if v > 0 else "down")
               for k, v in parts.items() if v]
    top = max(mr.get("groups") or [], key=lambda r: abs(r["rate_effect"]), default=None)
    if top and top["rate_effect"]:
        out.append("The channel whose own results moved it most: {channel}."
                   .format(channel=escape(plain_name(top["channel"]))))
    return out


def _rounds_to_zero(x, unit: str, cur: str) -> bool:
    """True when a part of a change would read as +0 or -0.00%: it says nothing, so it is left out."""
    return not any(digit in fmt.value(abs(x), unit, cur) for digit in "123456789")


def benchmarks(report) -> str:
    """One row per KPI: this period, then each benchmark (coloured better/worse for the KPI)."""
    cur = report.cfg.currency
    own = [("same_period_last_year", "Same period last year"), ("last_quarter", "Last 3 months"),
           ("trailing_12_month_median", "12-month median")]
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
                mine = (f'; ours on {escape(c["channel"])}: {_v(c.get("client_value"), unit, cur)}'
                        if c.get("channel") else "")
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
    head = ("<tr><th>KPI</th>" f"<th>{escape(report.periods.current.label())}</th>"
            + "".join(f"<th>{label}</th>" for _, label in own)
            + ("<th>industry / custom</th>" if has_other else "") + "</tr>")
    notes = "".join(f"<li>{escape(str(src))}, {_url_text(url)}"
                    + (f' <span class="rk-note">{escape(str(caveat))}</span>' if caveat else "") + "</li>"
                    for (src, url, caveat), n in sources.items())
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-benchmarks"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div><p class="rk-legend">{industry_line(report)} '
            f'Green: this period is better than that benchmark for this KPI; red: worse. Industry figures '
            f'are medians or averages from published studies, for the channel named; their definitions '
            f'differ from ours, so read them as orientation.</p>'
            + (f'<ol class="rk-sources rk-legend">{notes}</ol>' if notes else ""))


def industry_line(report) -> str:
    """Which published rows are for the client's own industry: no silent fall-back to the
    all-industries figures."""
    industry = report.cfg.industry
    if not industry:
        return "Industry: none chosen."
    published = [(b, c) for b in report.analysis.benchmarks for c in b["comparisons"] if c["kind"] == "industry"]
    own = list(dict.fromkeys(b["label"] for b, c in published if c.get("industry") == industry))
    if own:
        return ("Industry: {industry}; published figures for it: {kpis}; any other published row is "
                "for all industries.").format(industry=escape(industry), kpis=escape(", ".join(own)))
    if published:
        return ("Industry: {industry}; no published figure for it matches these KPIs, so the published "
                "rows shown are for all industries.").format(industry=escape(industry))
    return "Industry: {industry}; no published figure matches these KPIs.".format(industry=escape(industry))


def budget(report) -> str:
    b = report.analysis.budget
    cur = report.cfg.currency
    if not b:
        return "<p>No ad spend in this period.</p>"

    def line(x, title):
        status = x["status"]
        cls = {"on_budget": "good", "over": "bad", "under": "warn"}.get(status, "flat")
        used = "n/a" if x["share_used"] is None else f"{x['share_used'] * 100:.0f}%"
        proj = ("" if x["projected_vs_budget"] is None
                else f" ({escape(fmt.change(x['projected_vs_budget']))} on budget)")
        return (f'<tr><th scope="row">{title}</th><td class="num" data-label="spent">{escape(fmt.money(x["spend"], cur))}</td>'
                f'<td class="num" data-label="budget">{_v(x["budget"], "currency", cur)}</td>'
                f'<td class="num" data-label="used">{escape(used)}</td>'
                f'<td class="num" data-label="projected">{_v(x["projected"], "currency", cur)}{proj}</td>'
                f'<td class="{cls}">{escape(BUDGET_WORDS[status])}</td></tr>')

    head = ("<tr><th></th><th>spent</th><th>budget</th><th>used</th><th>projected to period end</th>"
            "<th>status</th></tr>")
    rows = [line(b, escape(report.periods.current.label()))]
    rows += [line(p, "· " + escape(p["name"])) for p in b["parts"]]
    mtd = b.get("month_to_date")
    if mtd:
        rows.append(line(mtd, f"{escape(_day(mtd['start']))} – {escape(_day(mtd['through']))} (month to date)"))
        rows += [line(p, "· " + escape(p["name"])) for p in mtd["parts"]]
    fin = "".join(f'<li><strong>{escape(f["label"])}</strong>: {_v(f["value"], f["unit"], cur)} '
                  f'<span class="rk-note">{escape(f["explain"])}</span></li>' for f in b["financial"].values()
                  if f["value"] is not None)  # ROAS without revenue (lead generation) says nothing
    tol = "" if b["tolerance"] is None else f" within {b['tolerance'] * 100:.0f}% of the budget counts as on budget"
    return (f'<div class="rk-table-wrap"><table class="rk-table rk-budget"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div><ul class="rk-financial">{fin}</ul>'
            f'<p class="rk-legend">Projection: spend so far per day × days in the period;{escape(tol)}.</p>')



# --- the main part of layout: compact (short views; the full ones above go to the appendix) ---

BRIEF_DRIVERS = 3
NOT_SET = "(not set)"


def plain_name(name) -> str:
    """A channel or campaign name as the client reads it: GA4's '(not set)' is traffic without one."""
    return "traffic without a campaign" if str(name) == NOT_SET else str(name)


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
    parts = ["{kpi}: {change} on {previous}, to {after} from {before}.".format(**fields)]
    top = [r for r in d.get("by_channel") or [] if fmt.value(abs(r["change"]), unit, cur) not in ("0", "0.00")]
    if d["method"] == "contribution" and top:
        total = d.get("abs_change")
        share = top[0]["change"] / total if total else None
        text = ("Most of it came from {channel} ({amount})." if share is not None and share >= 0.5
                else "The largest part came from {channel} ({amount}).")
        sign = "+" if top[0]["change"] >= 0 else "-"
        parts.append(text.format(channel=plain_name(top[0]["channel"]),
                                 amount=sign + fmt.value(abs(top[0]["change"]), unit, cur)))
    elif d.get("mix_rate"):
        mr = d["mix_rate"]
        cause = max(("rate", "mix", "other"), key=lambda k: abs(mr.get(k) or 0.0))
        parts.append({"rate": "Mostly because the channels themselves did better or worse, not because "
                              "visitors moved between channels.",
                      "mix": "Mostly because visitors moved between channels that convert differently, "
                             "not because a channel itself did better or worse.",
                      "other": "Mostly from channels without ad spend, such as unpaid search."}[cause])
    if d["seasonal"]:
        parts.append("Last year these months moved the same way ({ly}), so part of this is the season."
                     .format(ly=fmt.change_words(d["last_year_change"])))
    task = _linked_work(report, d["kpi"])
    if task:
        parts.append("It follows our work on “{task}”.".format(task=task))
    return f'<li data-driver="{escape(d["kpi"])}">' + escape(" ".join(parts)) + "</li>"


def why_brief(report) -> str:
    """The two or three changes that matter, in plain words: the KPIs that moved beyond normal
    day-to-day variation (in the client's KPI order), with the channel that moved them, the
    season and the work behind them; the ones within normal variation named in one line."""
    drivers = report.analysis.drivers
    real = [d for d in drivers if d["variation"]["within"] is not True][:BRIEF_DRIVERS]
    calm = [d for d in drivers if d["variation"]["within"] is True]
    items = "".join(_driver_line(report, d) for d in real)
    html = f'<ul class="rk-why">{items}</ul>' if items else ""
    if len(calm) == 1:
        html += ('<p>{name} moved too, but within the usual ups and downs from one day to the next, so '
                 'we do not read it as a real change yet.</p>').format(name=escape(calm[0]["label"]))
    elif calm:
        html += ('<p>{names} moved too, but within the usual ups and downs from one day to the next, so '
                 'we do not read them as real changes yet.</p>').format(
            names=escape(", ".join(d["label"] for d in calm)))
    if not drivers:
        html += why(report)
    return html + '<p class="rk-legend">How each change breaks down by channel and campaign is in the appendix.</p>'
