"""The agency overview: ``reports/<period>/index.html``, every client of a period in one table.

Read from the folder only: the sidecars ``<client_id>.json`` (every figure a report shows)
and, when the batch runner wrote one, ``manifest.json`` (each client's run status).
Without a manifest a client's run counts as ok, unless a ``<client_id>.failed.ipynb``
is left from a later failed run (the report shown is then the last good one).
Clients that need attention come first: failed runs, data-quality warnings, goals off
track, budget pacing off, then large moves the wrong way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from html import escape
from pathlib import Path

from pydantic import ValidationError

from reportkit.analysis.budget import BUDGET_OFF, BUDGET_OK, BUDGET_WORDS
from reportkit.analysis.goals import GOAL_OFF, GOAL_OK
from reportkit.contracts.manifest import Manifest
from reportkit.contracts.sidecar import Budget, DataQuality, GoalFigures, KpiFigure, Sidecar
from reportkit.core import formatting as fmt
from reportkit.core.periods import DateRange
from reportkit.deliver.manifest import read_manifest
from reportkit.core.metrics import verdict
from reportkit.paths import write_atomic
from reportkit.present import page

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
    ordered = sorted(rows.values(), key=lambda r: (-r.attention(), r.name.lower()))
    return ordered, manifest


# --- the page --------------------------------------------------------------------------
def _goals_cell(row: ClientRow) -> str:
    if not row.goals:
        return "—"
    return "<br>".join(_badge(g.status, f"{g.name}: {g.status_words}")
                       for g in row.goals)


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


def _quality_cell(row: ClientRow) -> str:
    dq = row.data_quality
    if not dq:
        return "—"
    findings = [f for f in dq.findings if f.level != "info"]
    title = " ".join(f.message for f in findings) or None
    label = dq.status + (f" ({len(findings)})" if findings else "")
    return _badge(dq.status, label, title) + _note(findings[0].message if findings else None)


def _run_cell(row: ClientRow) -> str:
    return _badge(row.run_status, title=row.run_error) + _note(row.run_error)


def clients_table(rows: list[ClientRow]) -> str:
    """The table's HTML (everything from sidecars escaped)."""
    body = []
    for row in rows:
        name = escape(row.name)
        link = f'<a href="{escape(row.report)}">{name}</a>' if row.report else name
        body.append(f'<tr data-client="{escape(row.client_id)}" data-attention="{row.attention()}">'
                    f'<th scope="row">{link}</th><td class="text">{_run_cell(row)}</td>'
                    f'<td class="text wrap">{_goals_cell(row)}</td><td class="text">{_budget_cell(row)}</td>'
                    f'<td class="text">{_change_cell(row)}</td><td class="text">{_quality_cell(row)}</td></tr>')
    need = sum(r.attention() > 0 for r in rows)
    cards = (f'<div class="rk-cards"><div class="rk-card"><div class="rk-card-label">Clients</div>'
             f'<div class="rk-card-value">{len(rows)}</div></div>'
             f'<div class="rk-card"><div class="rk-card-label">Need attention</div>'
             f'<div class="rk-card-value {"bad" if need else "good"}">{need}</div></div>'
             f'<div class="rk-card"><div class="rk-card-label">Failed runs</div>'
             f'<div class="rk-card-value">{sum(r.run_status != "ok" for r in rows)}</div></div></div>')
    table = ('<div class="rk-table-wrap"><table class="rk-table rk-overview"><thead><tr><th>Client</th>'
             '<th>Run</th><th>Goals</th><th>Budget pacing</th><th>Biggest change vs previous period</th>'
             f'<th>Data quality</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>')
    return (f'<h2 id="clients">Clients, those needing attention first</h2>{cards}{table}'
            '<p class="rk-legend">Sorted by what needs attention: failed runs, data problems, goals off '
            'track, budget pacing, then large moves the wrong way. Green is better and red is worse '
            'for that KPI (for costs, lower is better).</p>')


def alerts_html(rows: list[ClientRow]) -> str:
    """The agency-only notes of every client (sidecar ``agency_alerts``): never in a report."""
    items = [f'<li><strong>{escape(row.sidecar.client_name)}</strong> '
             f'<span class="rk-note">{escape(a.kind.replace("_", " "))}</span>: {escape(a.message)}</li>'
             for row in rows if row.sidecar for a in getattr(row.sidecar, "agency_alerts", [])]
    if not items:
        return ""
    return ('<h2 id="agency-alerts">For the agency only</h2><ul class="rk-agency-alerts">'
            + "".join(items) + "</ul>")


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
    html = page.standalone(f"Client overview · {period} · {name}", header + clients_table(rows) + alerts_html(rows), footer,
                           accent=str(agency.get("accent_color") or "#1f5fa8"))
    return write_atomic(period_dir / "index.html", html)
