"""The agency overview: ``reports/<period>/index.html``, every client of a period in one table.

Read from the folder only: the sidecars ``<client_id>.json`` (every figure a report shows)
and, when the batch runner wrote one, ``manifest.json`` (each client's run status).
Without a manifest a client's run counts as ok, unless a ``<client_id>.failed.ipynb``
is left from a later failed run (the report shown is then the last good one).
Clients that need attention come first: failed runs, data-quality warnings, goals off
track, budget pacing off, then large moves the wrong way.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from reportkit.core import formatting as fmt
from reportkit.paths import write_atomic
from reportkit.present import page

# goal statuses (targets): achieved on_track at_risk behind missed not_started;
# budget statuses (budget.pace): on_budget over under no_budget
GOOD_STATUSES = {"ok", "on_track", "achieved", "met", "ahead", "done", "reached", "on_pace", "on_budget"}
BAD_STATUSES = {"off_track", "behind", "missed", "at_risk", "failed", "over", "under", "overspend",
                "underspend", "hold", "error", "warning", "not_met"}
FLAT_BELOW = 0.005    # the same threshold as metrics.verdict: smaller moves are "about the same"
BIG_MOVE = 0.10       # a move the wrong way of 10 % or more asks for attention


@dataclass
class ClientRow:
    client_id: str
    name: str
    run_status: str = "ok"            # ok | failed
    run_error: str | None = None
    report: str | None = None         # file name of the HTML report in the folder
    sidecar: dict = field(default_factory=dict)

    # --- what the table shows ----------------------------------------------------
    @property
    def goals(self) -> list[dict]:
        return [g for g in self.sidecar.get("goals") or [] if isinstance(g, dict) and g.get("status")]

    @property
    def budget(self) -> dict:
        budget = self.sidecar.get("budget")
        return budget if isinstance(budget, dict) else {}

    @property
    def data_quality(self) -> dict:
        dq = self.sidecar.get("data_quality")
        return dq if isinstance(dq, dict) else {}

    def biggest_change(self) -> tuple[str, dict] | None:
        """The KPI with the largest |change vs previous period| (undefined changes skipped)."""
        moves = [(key, k) for key, k in (self.sidecar.get("kpis") or {}).items()
                 if isinstance(k, dict) and isinstance(k.get("change_previous"), (int, float))]
        return max(moves, key=lambda item: abs(item[1]["change_previous"])) if moves else None

    def attention(self) -> int:
        """Higher first: failed run 100, data hold 50, data warning 20, each goal off 10,
        budget off 10, a headline move the wrong way of 10 % or more 5."""
        score = 100 if self.run_status != "ok" else 0
        status = _norm(self.data_quality.get("status"))
        score += 50 if status in ("hold", "error", "failed") else 20 if status == "warning" else 0
        score += 10 * sum(_norm(g.get("status")) in BAD_STATUSES for g in self.goals)
        score += 10 if _norm(self.budget.get("status")) in BAD_STATUSES else 0
        move = self.biggest_change()
        if move and _verdict(move[1]) == "bad" and abs(move[1]["change_previous"]) >= BIG_MOVE:
            score += 5
        return score


def _norm(status) -> str:
    return str(status or "").strip().lower().replace(" ", "_").replace("-", "_")


def _verdict(kpi: dict) -> str:
    change = kpi.get("change_previous")
    if change is None:
        return "none"
    if abs(change) < FLAT_BELOW:
        return "flat"
    return "good" if (change > 0) == (kpi.get("better", "higher") == "higher") else "bad"


def _badge(status, label: str | None = None, title: str | None = None) -> str:
    norm = _norm(status)
    kind = "ok" if norm in GOOD_STATUSES else "failed" if norm in {"failed", "hold", "error"} \
        else "warning" if norm in BAD_STATUSES else ""
    tip = f' title="{escape(title)}"' if title else ""
    return f'<span class="rk-badge {kind}"{tip}>{escape(label or norm.replace("_", " ") or "—")}</span>'


# --- reading the folder ----------------------------------------------------------------
def _read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def collect(period_dir: Path) -> tuple[list[ClientRow], dict | None]:
    """Every client in the folder: sidecars, overlaid with the manifest when there is one."""
    rows: dict[str, ClientRow] = {}
    for path in sorted(period_dir.glob("*.json")):
        side = _read_json(path)
        if path.name == "manifest.json" or not side or "client_id" not in side:
            continue
        cid = str(side["client_id"])
        html = period_dir / f"{cid}.html"
        rows[cid] = ClientRow(cid, str(side.get("client_name") or cid), sidecar=side,
                              report=html.name if html.is_file() else None)
        if (period_dir / f"{cid}.failed.ipynb").is_file():
            rows[cid].run_status = "failed"
            rows[cid].run_error = "the last run failed; the report shown is the last good one"
    manifest = _read_json(period_dir / "manifest.json")
    for entry in (manifest or {}).get("clients") or []:
        if not isinstance(entry, dict) or not entry.get("client_id"):
            continue
        cid = str(entry["client_id"])
        row = rows.setdefault(cid, ClientRow(cid, cid))
        row.run_status = "ok" if entry.get("status") == "ok" else "failed"
        row.run_error = entry.get("error") if row.run_status != "ok" else None
        if row.report is None and (period_dir / f"{cid}.html").is_file():
            row.report = f"{cid}.html"
    ordered = sorted(rows.values(), key=lambda r: (-r.attention(), r.name.lower()))
    return ordered, manifest


# --- the page --------------------------------------------------------------------------
def _goals_cell(row: ClientRow) -> str:
    if not row.goals:
        return "—"
    return "<br>".join(_badge(g["status"], f"{g.get('name') or g.get('id') or 'goal'}: "
                                           f"{g.get('status_words') or _norm(g['status']).replace('_', ' ')}")
                       for g in row.goals)


def _budget_cell(row: ClientRow) -> str:
    budget = row.budget
    if not budget:
        return "—"
    parts = []
    if budget.get("status"):
        words = {"over": "over budget", "under": "under budget"}.get(_norm(budget["status"]))
        parts.append(_badge(budget["status"], words))
    used = budget.get("share_used")            # spend / budget for the period
    if isinstance(used, (int, float)):
        parts.append(f'<span class="vs">{used:.0%} of budget</span>')
    elif isinstance(budget.get("pacing"), (int, float)):
        parts.append(f'<span class="vs">{budget["pacing"]:.0%} of plan</span>')
    return " ".join(parts) or "—"


def _change_cell(row: ClientRow) -> str:
    move = row.biggest_change()
    if not move:
        return "—"
    key, kpi = move
    v = _verdict(kpi)
    change = kpi["change_previous"]
    arrow = ("▲" if change > 0 else "▼") if v in ("good", "bad") else "■"
    value = fmt.value(kpi.get("value"), kpi.get("unit", "count"), row.sidecar.get("currency", "EUR"))
    return (f'<span class="{v}" data-kpi="{escape(key)}">{arrow} {escape(fmt.change(change))}</span> '
            f'{escape(str(kpi.get("label") or key))} <span class="vs">(now {escape(value)})</span>')


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
    findings = [f for f in dq.get("findings") or [] if isinstance(f, dict) and f.get("level") != "info"]
    title = " ".join(str(f.get("message", "")) for f in findings) or None
    label = _norm(dq.get("status")).replace("_", " ") or "—"
    if findings:
        label += f" ({len(findings)})"
    first = findings[0].get("message") if findings else None
    return _badge(dq.get("status"), label, title) + _note(first)


def _run_cell(row: ClientRow) -> str:
    return _badge(row.run_status, title=row.run_error) + _note(row.run_error)


def render(rows: list[ClientRow], period_label: str) -> str:
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


def _agency(rows: list[ClientRow]) -> dict:
    for row in rows:
        agency = row.sidecar.get("agency")
        if isinstance(agency, dict) and agency.get("name"):
            return agency
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
    period = (manifest or {}).get("period") or period_dir.name
    first = next((r.sidecar for r in rows if r.sidecar.get("period")), {})
    label = period_dir.name
    if first.get("period"):
        from datetime import date

        from reportkit.core.periods import DateRange
        label = DateRange(date.fromisoformat(first["period"]["start"]),
                          date.fromisoformat(first["period"]["end"])).label()
    header = (f'<div class="rk-header"><div class="rk-brand">{logo}<span class="rk-agency">{escape(name)}</span>'
              f'</div><h1 class="rk-client">Client overview</h1><div class="rk-period">Reports for '
              f'<strong>{escape(label)}</strong> (folder {escape(str(period))})</div></div>')
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    footer = [f"Prepared by {name}", f"{len(rows)} client report(s) in {period_dir.name}/",
              "run status from manifest.json" if manifest else "run status from the report files",
              f"generated {page._stamp(now)}"]
    html = page.standalone(f"Client overview · {period} · {name}", header + render(rows, label), footer,
                           accent=str(agency.get("accent_color") or "#1f5fa8"))
    return write_atomic(period_dir / "index.html", html)


def write_overviews(out: str | os.PathLike) -> list[Path]:
    """Refresh ``index.html`` in every period folder of ``out`` whose reports changed since it was written."""
    written = []
    for folder in sorted(p for p in Path(out).glob("*") if p.is_dir()):
        index = folder / "index.html"
        inputs = [*folder.glob("*.json"), *folder.glob("*.failed.ipynb")]
        if inputs and (not index.exists() or max(p.stat().st_mtime for p in inputs) > index.stat().st_mtime):
            written.append(write_overview(folder))
    return written
