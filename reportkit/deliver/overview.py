"""The agency's cockpit: ``reports/<period>/index.html``, every client of a period on one page.

Read from the folder only: the sidecars ``<client_id>.json`` (every figure a report shows),
``manifest.json`` when the batch runner wrote one (each client's run status) and
``ledger.jsonl`` (held, approved, sent: :mod:`reportkit.deliver.ledger`). Without a manifest
a client's run counts as ok, unless a ``<client_id>.failed.ipynb`` is left from a later
failed run (the report shown is then the last good one); a report the ledger has not seen
yet shows the holds it would get.

Clients are grouped by what needs doing first: failed runs, send problems, held reports,
reports awaiting review, approved reports not sent yet, sent reports. Within a group the
clients needing most attention come first: data-quality warnings, goals off track, budget
pacing off, then large moves the wrong way. Each row also shows the agency-only alerts
(the sidecar's ``agency_alerts``; for a sidecar written before they existed, last contact
over 14 days ago and follow-ups passed, from its work sections) and the client's overdue to-dos.
The page fits a 1280 px screen without sideways scrolling and stays under 2 MB at 1,000 clients.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from html import escape
from pathlib import Path

from pydantic import ValidationError

from reportkit.analysis.budget import BUDGET_OFF, BUDGET_OK, BUDGET_WORDS
from reportkit.deliver import holds as _holds
from reportkit.deliver import ledger as _ledger
from reportkit.analysis.goals import GOAL_OFF, GOAL_OK
from reportkit.config.client import ReviewOptions
from reportkit.contracts.manifest import Manifest
from reportkit.contracts.sidecar import Budget, DataQuality, GoalFigures, KpiFigure, Sidecar
from reportkit.core import formatting as fmt
from reportkit.core.periods import DateRange
from reportkit.deliver.manifest import read_manifest
from reportkit.core.metrics import verdict
from reportkit.paths import write_atomic
from reportkit.present import page
from reportkit.present.text import user_text
from reportkit.work.sections import STALE_CONTACT_DAYS

GOOD_STATUSES = {"ok", *GOAL_OK, *BUDGET_OK}
BAD_STATUSES = {"failed", "warning", *GOAL_OFF, *BUDGET_OFF}
BIG_MOVE = 0.10       # a move the wrong way of 10 % or more asks for attention


@dataclass
class ClientRow:
    client_id: str
    name: str
    run_status: str = "ok"            # ok | failed
    run_error: str | None = None
    report: str | None = None         # file name of the HTML report in the folder
    sidecar: Sidecar | None = None
    life: _ledger.Life | None = None  # the report's life in the ledger (None: not recorded yet)
    holds: list[str] = field(default_factory=list)

    @property
    def group(self) -> str:
        """What needs doing first: a key of GROUPS."""
        if self.run_status != "ok":
            return "failed"
        life = self.life
        if life and (life.pending or life.last_error or (life.sent and life.sent[-1].get("refused"))):
            return "send_problem"
        if life and life.sent:
            return "sent"
        if life and life.approved:
            return "approved"
        return "held" if self.holds else "awaiting_review"

    def alerts(self) -> list[tuple[str, str]]:
        """(kind, message) for the agency only, never for the client."""
        side = self.sidecar
        if side is None:
            return []
        # The report's own agency alerts when it wrote them (contact, follow-ups, benchmarks);
        # a sidecar from before they existed gets the contact rules applied here.
        found = [(a.kind, a.message) for a in side.agency_alerts]
        if "agency_alerts" not in side.model_fields_set:
            comm = side.communication or {}
            days = comm.get("days_since_contact")
            if isinstance(days, int) and days > STALE_CONTACT_DAYS:
                found.append(("contact", f"last contact {days} days ago ({comm.get('last_contact')})"))
            for day in comm.get("missed_follow_ups") or []:
                found.append(("follow_up", f"follow-up of {day} passed"))
        for item in side.action_items or []:
            if isinstance(item, dict) and item.get("overdue") and item.get("status", "open") == "open":
                found.append(("overdue_todo", f"client to-do {item.get('days_overdue')} days overdue: "
                                              f"{item.get('item')}"))
        return found

    # --- what the table shows ----------------------------------------------------
    @property
    def goals(self) -> list[GoalFigures]:
        return self.sidecar.goals if self.sidecar else []

    @property
    def budget(self) -> Budget | None:
        return self.sidecar.budget if self.sidecar else None

    @property
    def data_quality(self) -> DataQuality | None:
        return self.sidecar.data_quality if self.sidecar else None

    def biggest_change(self) -> tuple[str, KpiFigure] | None:
        """The KPI with the largest |change vs previous period| (undefined changes skipped)."""
        moves = [(key, k) for key, k in (self.sidecar.kpis.items() if self.sidecar else ())
                 if k.change_previous is not None]
        return max(moves, key=lambda item: abs(item[1].change_previous)) if moves else None

    def attention(self) -> int:
        """Higher first: failed run 100, data warning 20, each goal off 10, budget off 10,
        a headline move the wrong way of 10 % or more 5."""
        score = 100 if self.run_status != "ok" else 0
        score += 20 if self.data_quality and self.data_quality.status == "warning" else 0
        score += 10 * sum(g.status in GOAL_OFF for g in self.goals)
        score += 10 if self.budget and self.budget.status in BUDGET_OFF else 0
        move = self.biggest_change()
        if move and _verdict(move[1]) == "bad" and abs(move[1].change_previous) >= BIG_MOVE:
            score += 5
        return score


def _verdict(kpi: KpiFigure) -> str:
    return verdict(kpi.better, kpi.change_previous)


def _badge(status: str | None, label: str | None = None, title: str | None = None) -> str:
    status = status or ""
    kind = "ok" if status in GOOD_STATUSES else "failed" if status == "failed" \
        else "warning" if status in BAD_STATUSES else ""
    tip = f' title="{escape(title)}"' if title else ""
    return f'<span class="rk-badge {kind}"{tip}>{escape(label or status.replace("_", " ") or "—")}</span>'


# --- reading the folder ----------------------------------------------------------------
def _read_sidecar(path: Path) -> Sidecar | None:
    """A sidecar file as its model; None for a file that is not one (or an older, broken one)."""
    try:
        return Sidecar.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None


def collect(period_dir: Path) -> tuple[list[ClientRow], Manifest | None]:
    """Every client in the folder: sidecars, overlaid with the manifest when there is one."""
    rows: dict[str, ClientRow] = {}
    for path in sorted(period_dir.glob("*.json")):
        side = None if path.name == "manifest.json" else _read_sidecar(path)
        if side is None:
            continue
        cid = side.client_id
        html = period_dir / f"{cid}.html"
        rows[cid] = ClientRow(cid, side.client_name or cid, sidecar=side,
                              report=html.name if html.is_file() else None)
        if (period_dir / f"{cid}.failed.ipynb").is_file():
            rows[cid].run_status = "failed"
            rows[cid].run_error = "the last run failed; the report shown is the last good one"
    manifest = read_manifest(period_dir) if (period_dir / "manifest.json").is_file() else None
    for entry in manifest.clients if manifest else []:
        row = rows.setdefault(entry.client_id, ClientRow(entry.client_id, entry.client_id))
        row.run_status = entry.status
        row.run_error = entry.error if entry.status != "ok" else None
        if row.report is None and (period_dir / f"{entry.client_id}.html").is_file():
            row.report = f"{entry.client_id}.html"
    lives = _ledger.lives(period_dir)
    for row in rows.values():
        row.life = lives.get(row.client_id)
        if row.life and row.life.hash:
            row.holds = list(row.life.holds)
        elif row.sidecar:   # not recorded yet: the holds it would get (threshold: the default;
            # a failed run is shown in its own column)
            row.holds = _holds.reasons(row.sidecar.model_dump(mode="json"), "ok", ReviewOptions().max_change)
    ordered = sorted(rows.values(), key=lambda r: (GROUP_ORDER[r.group], -r.attention(), r.name.lower()))
    return ordered, manifest


# --- the page --------------------------------------------------------------------------
def _budget_cell(row: ClientRow) -> str:
    budget = row.budget
    parts = []
    if budget and budget.status:
        parts.append(_badge(budget.status, BUDGET_WORDS[budget.status]))
    if budget and budget.share_used is not None:   # spend / budget for the period
        parts.append(f'<span class="vs">{budget.share_used:.0%} of budget</span>')
    return " ".join(parts) or "—"


def _change_cell(row: ClientRow) -> str:
    move = row.biggest_change()
    if not move:
        return "—"
    key, kpi = move
    v = _verdict(kpi)
    change = kpi.change_previous
    arrow = ("▲" if change > 0 else "▼") if v in ("good", "bad") else "■"
    value = fmt.value(kpi.value, kpi.unit, row.sidecar.currency)
    return (f'<span class="{v}" data-kpi="{escape(key)}">{arrow} {escape(fmt.change(change))}</span> '
            f'{escape(kpi.label or key)} <span class="vs">(now {escape(value)})</span>')


def _note(text: str | None, limit: int = 110) -> str:
    """A short muted line under a badge (the first line of an error or finding), escaped."""
    if not text:
        return ""
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    line = line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return f'<div class="rk-note">{escape(line)}</div>'


def _run_cell(row: ClientRow) -> str:
    return _badge(row.run_status, title=row.run_error) + _note(row.run_error)


GROUPS = {   # what needs doing first, and what to do
    "failed": ("Run failed", "fix the input named, then run these clients again"),
    "send_problem": ("Send problems", "a recipient refused, a send failed or was interrupted: "
                                      "check, then run reportkit send again"),
    "held": ("Held", "read the reasons; approve by name once a person has looked (reportkit approve CLIENT)"),
    "awaiting_review": ("Awaiting review", "no hold: review and approve (reportkit approve --all-clean)"),
    "approved": ("Approved, not sent yet", "reportkit send mails them"),
    "sent": ("Sent", "nothing to do"),
}
GROUP_ORDER = {key: n for n, key in enumerate(GROUPS)}
FOLDED = 25          # a "Sent" group longer than this starts folded
ALERTS_SHOWN = 3

COCKPIT_CSS = """
main { max-width: 1240px; }
footer.rk-footer { max-width: 1240px; }
.rk-cockpit { table-layout: fixed; width: 100%; min-width: 860px; }
.rk-cockpit th, .rk-cockpit td { white-space: normal; overflow-wrap: anywhere; min-width: 0; }
.rk-cockpit .rk-badge { white-space: normal; border-radius: 8px; }
.rk-cockpit .rk-note { min-width: 0; max-width: none; }
.rk-cockpit col.c-client { width: 13%; } .rk-cockpit col.c-state { width: 15%; }
.rk-cockpit col.c-holds { width: 17%; } .rk-cockpit col.c-goals { width: 19%; }
.rk-cockpit col.c-budget { width: 8%; } .rk-cockpit col.c-change { width: 11%; }
.rk-cockpit col.c-alerts { width: 17%; }
.rk-group > summary { cursor: pointer; }
.rk-group h3, .rk-group > summary { margin: 1.2em 0 .2em; font-weight: 600; font-size: 1.08em; }
.rk-group .rk-legend { margin: 0 0 4px; }
.rk-todo { display: flex; flex-wrap: wrap; gap: 6px 10px; padding: 0; list-style: none; margin: 8px 0; }
.rk-cockpit .rk-line { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: .85em; }
.rk-cockpit .rk-line .rk-badge { white-space: nowrap; font-size: .78em; margin-right: 4px; }
.rk-cockpit .rk-clamp { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.rk-cockpit .rk-clamp2 { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.rk-todo a { display: inline-block; padding: 2px 10px; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; }
"""


def _day_time(iso: str | None) -> str:
    """'2026-12-03 06:10 UTC' from the ledger's UTC timestamp (plain text: _note escapes it)."""
    return f'{str(iso or "")[:16].replace("T", " ")} UTC' if iso else ""


def _state_cell(row: ClientRow) -> str:
    """The run, then the report's review, approval and delivery."""
    parts = [_run_cell(row)]
    life = row.life
    group = row.group
    if row.run_status == "ok":
        label = {"send_problem": "send problem", "awaiting_review": "awaiting review"}.get(group, group)
        kind = {"held": "hold", "send_problem": "failed", "sent": "ok", "approved": "ok"}.get(group, "")
        parts.append(f'<span class="rk-badge {kind}">{escape(label)}</span>')
    if life and life.approved and life.approved_by:
        parts.append(_note(f"approved by {life.approved_by} {_day_time(life.approved_at)}"))
    if life and life.sent:
        last = life.sent[-1]
        parts.append(_note(f"sent {_day_time(last.get('at'))} to {', '.join(last.get('to') or [])}"
                           + (f" ({len(life.sent)} times)" if len(life.sent) > 1 else "")))
        for address, why in (last.get("refused") or {}).items():
            parts.append(_note(f"refused {address}: {why}"))
    if life and life.pending:
        parts.append(_note("a send was interrupted: run reportkit send again"))
    if life and life.last_error:
        parts.append(_note(f"send failed: {life.last_error}"))
    return " ".join(p for p in parts if p)


def _holds_cell(row: ClientRow) -> str:
    """The data-quality badge with its first finding, then the first other hold reason (each cut
    to three lines; ``reportkit review`` lists them all)."""
    out = ""
    dq = row.data_quality
    if dq and dq.status != "ok":
        findings = [f for f in dq.findings if f.level != "info"]
        out = _badge(dq.status, dq.status + (f" ({len(findings)})" if findings else ""))
        out += _note(findings[0].message if findings else None, limit=160).replace('"rk-note"', '"rk-note rk-clamp"')
    other = [h for h in row.holds if not h.startswith(_holds.QUALITY)]
    if other:
        more = f" (+{len(other) - 1} more: reportkit review)" if len(other) > 1 else ""
        out += _note(other[0] + more, limit=160).replace('"rk-note"', '"rk-note rk-clamp"')
    return out or "—"


def _cockpit_goals(row: ClientRow) -> str:
    """One line per goal: its status badge, then its name (cut to the column; the whole in the title)."""
    if not row.goals:
        return "—"
    return "".join(f'<div class="rk-line" title="{escape(g.name)}: {escape(g.status_words)}">'
                   f'{_badge(g.status, g.status_words)}{user_text(g.name)}</div>' for g in row.goals)


def _alerts_cell(row: ClientRow) -> str:
    alerts = row.alerts()
    if not alerts:
        return "—"
    shown = "".join(f'<div class="rk-note rk-clamp2" data-alert="{escape(kind)}" title="{escape(_short(text, 200))}">'
                    f'{escape(_short(text, 90))}</div>' for kind, text in alerts[:ALERTS_SHOWN])
    return shown + (_note(f"+{len(alerts) - ALERTS_SHOWN} more") if len(alerts) > ALERTS_SHOWN else "")


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _row(row: ClientRow) -> str:
    name = user_text(row.name)
    link = f'<a href="{escape(row.report)}">{name}</a>' if row.report else name
    return (f'<tr data-client="{escape(row.client_id)}" data-attention="{row.attention()}">'
            f'<th scope="row">{link}</th><td>{_state_cell(row)}</td><td>{_holds_cell(row)}</td>'
            f'<td>{_cockpit_goals(row)}</td><td>{_budget_cell(row)}</td><td>{_change_cell(row)}</td>'
            f'<td>{_alerts_cell(row)}</td></tr>')


HEAD = ('<colgroup><col class="c-client"><col class="c-state"><col class="c-holds"><col class="c-goals">'
        '<col class="c-budget"><col class="c-change"><col class="c-alerts"></colgroup>'
        '<thead><tr><th>Client</th><th>Run and delivery</th><th>Holds</th><th>Goals</th>'
        '<th>Budget pacing</th><th>Biggest change vs previous period</th><th>Agency alerts</th></tr></thead>')


def clients_table(rows: list[ClientRow]) -> str:
    """The cockpit's HTML: counts, then one table per group (everything from sidecars escaped)."""
    grouped: dict[str, list[ClientRow]] = {key: [] for key in GROUPS}
    for row in rows:
        grouped[row.group].append(row)
    alerting = sum(bool(r.alerts()) for r in rows)
    todo = "".join(f'<li><a href="#g-{key}">{escape(GROUPS[key][0])}: {len(group)}</a></li>'
                   for key, group in grouped.items() if group)
    cards = (f'<div class="rk-cards"><div class="rk-card"><div class="rk-card-label">Clients</div>'
             f'<div class="rk-card-value">{len(rows)}</div></div>'
             f'<div class="rk-card"><div class="rk-card-label">Need a person (failed, held, send problems)</div>'
             f'<div class="rk-card-value {"bad" if any(grouped[k] for k in ("failed", "held", "send_problem")) else "good"}">'
             f'{sum(len(grouped[k]) for k in ("failed", "held", "send_problem"))}</div></div>'
             f'<div class="rk-card"><div class="rk-card-label">Sent</div>'
             f'<div class="rk-card-value">{len(grouped["sent"])}</div></div>'
             f'<div class="rk-card"><div class="rk-card-label">With agency alerts</div>'
             f'<div class="rk-card-value">{alerting}</div></div></div>')
    sections = []
    for key, group in grouped.items():
        if not group:
            continue
        title, hint = GROUPS[key]
        table = (f'<div class="rk-table-wrap"><table class="rk-table rk-overview rk-cockpit">{HEAD}<tbody>'
                 + "".join(_row(r) for r in group) + '</tbody></table></div>')
        heading = f'{escape(title)} ({len(group)})'
        legend = f'<p class="rk-legend">{escape(hint)}</p>'
        if key == "sent" and len(group) > FOLDED:
            sections.append(f'<details class="rk-group" id="g-{key}"><summary>{heading}</summary>{legend}{table}</details>')
        else:
            sections.append(f'<section class="rk-group" id="g-{key}"><h3>{heading}</h3>{legend}{table}</section>')
    return (f'<h2 id="clients">Clients, grouped by what needs doing first</h2>{cards}'
            f'<ul class="rk-todo">{todo}</ul>{"".join(sections)}'
            '<p class="rk-legend">Within a group: data problems, goals off track, budget pacing, then large '
            'moves the wrong way come first. Green is better and red is worse for that KPI (for costs, lower '
            'is better). Agency alerts are for the agency only: no client report shows them.</p>')


def _agency(rows: list[ClientRow]) -> dict:
    for row in rows:
        if row.sidecar and row.sidecar.agency.get("name"):
            return row.sidecar.agency
    return {}


def write_overview(period_dir: str | os.PathLike) -> Path:
    """Write ``<period_dir>/index.html`` from the folder's sidecars and manifest; return its path."""
    period_dir = Path(period_dir)
    rows, manifest = collect(period_dir)
    agency = _agency(rows)
    name = str(agency.get("name") or "Agency")
    logo = ""
    if agency.get("logo"):
        from reportkit.present.branding import logo_img
        from reportkit.config import Agency
        try:
            logo = logo_img(Agency(**{k: agency[k] for k in ("name", "logo", "accent_color") if k in agency}))
        except Exception:  # a broken logo must not cost the agency its overview
            logo = ""
    period = manifest.period if manifest else period_dir.name
    first = next((r.sidecar for r in rows if r.sidecar), None)
    label = period_dir.name
    if first:
        label = DateRange(date.fromisoformat(first.period.start), date.fromisoformat(first.period.end)).label()
    header = page.header(logo, name, "Client overview",
                         f'Reports for <strong>{escape(label)}</strong> (folder {escape(str(period))})')
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    footer = [f"Prepared by {name}", f"{len(rows)} client report(s) in {period_dir.name}/",
              "run status from manifest.json" if manifest else "run status from the report files",
              f"generated {page._stamp(now)}"]
    html = page.standalone(f"Client overview · {period} · {name}", header + clients_table(rows), footer,
                           accent=str(agency.get("accent_color") or "#1f5fa8"), extra_css=COCKPIT_CSS)
    return write_atomic(period_dir / "index.html", html)
