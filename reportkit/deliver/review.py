"""What needs a human before a period's reports go out: ``reportkit review``.

Per client: its state in the ledger, the hold reasons, the goals whose status changed since
the previous period's report, the largest moves, and how the summary differs from the
previous period's. Read from the folders only (this period's and the previous one's).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportkit.core import formatting as fmt
from reportkit.core import periods as _periods
from reportkit.core.metrics import verdict
from reportkit.deliver import approval, ledger

MOVES = 3


@dataclass
class Item:
    client_id: str
    name: str
    state: str                  # failed | held | awaiting_review | approved | sending | sent
    life: ledger.Life | None
    run_error: str | None = None
    holds: list[str] = field(default_factory=list)
    goal_changes: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    summary_diff: list[str] = field(default_factory=list)
    previous_key: str | None = None


def previous_key(key: str) -> str | None:
    """The folder of the period before ``key`` (YYYY-MM or START_END)."""
    try:
        if "_" in key:
            start, end = (date.fromisoformat(part) for part in key.split("_", 1))
            return _periods.for_range(start, end).previous.start.isoformat() + "_" + \
                _periods.for_range(start, end).previous.end.isoformat()
        return _periods.for_month(key).previous.start.strftime("%Y-%m")
    except ValueError:
        return None


def _previous_sidecar(period_dir: Path, key: str | None, client_id: str) -> dict | None:
    if not key:
        return None
    try:
        side = json.loads((period_dir.parent / key / f"{client_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return side if isinstance(side, dict) else None


def goal_changes(now: dict, before: dict | None) -> list[str]:
    if not before:
        return []
    earlier = {g.get("id"): g for g in before.get("goals") or [] if isinstance(g, dict)}
    out = []
    for goal in now.get("goals") or []:
        old = earlier.get(goal.get("id"))
        if old and old.get("status") != goal.get("status"):
            out.append(f"{goal.get('name')}: {str(old.get('status')).replace('_', ' ')} → "
                       f"{str(goal.get('status')).replace('_', ' ')}")
        elif old is None:
            out.append(f"{goal.get('name')}: new, {str(goal.get('status')).replace('_', ' ')}")
    return out


def largest_moves(side: dict, n: int = MOVES) -> list[str]:
    kpis = [(k, v) for k, v in (side.get("kpis") or {}).items()
            if isinstance(v, dict) and v.get("change_previous") is not None]
    kpis.sort(key=lambda item: -abs(item[1]["change_previous"]))
    currency = side.get("currency", "EUR")
    out = []
    for key, kpi in kpis[:n]:
        word = {"good": "better", "bad": "worse"}.get(verdict(kpi.get("better", "higher"), kpi["change_previous"]),
                                                       "flat")
        out.append(f"{kpi.get('label') or key} {fmt.change(kpi['change_previous'])} ({word}; now "
                   f"{fmt.value(kpi.get('value'), kpi.get('unit', 'count'), currency)})")
    return out


def summary_diff(now: dict, before: dict | None) -> list[str]:
    """The summary sentences removed (-) and added (+) since the previous period's report."""
    if not before:
        return []
    old, new = [str(s) for s in before.get("summary") or []], [str(s) for s in now.get("summary") or []]
    return [line for line in difflib.ndiff(old, new) if line[:2] in ("- ", "+ ")]


ORDER = {"failed": 0, "held": 1, "awaiting_review": 2, "sending": 3, "approved": 4, "sent": 5, "not_rendered": 6}


def review(period_dir: Path) -> list[Item]:
    """Every client of the folder, those needing a person first."""
    period_dir = Path(period_dir)
    lives = approval.sync(period_dir)
    prev = previous_key(period_dir.name)
    items = []
    for cid, report in approval.reports(period_dir).items():
        life = lives.get(cid)
        side = report.sidecar or {}
        state = "failed" if report.run_status != "ok" else (life.state if life else "not_rendered")
        before = _previous_sidecar(period_dir, prev, cid)
        items.append(Item(cid, side.get("client_name") or cid, state, life, report.run_error,
                          holds=list(life.holds) if life else [],
                          goal_changes=goal_changes(side, before) if side else [],
                          moves=largest_moves(side) if side else [],
                          summary_diff=summary_diff(side, before) if side else [],
                          previous_key=prev if before else None))
    items.sort(key=lambda i: (ORDER.get(i.state, 9), i.name.lower()))
    return items


def lines(items: list[Item], period_dir: Path) -> list[str]:
    """The digest as text lines (what the operator reads, or cron mails)."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.state] = counts.get(item.state, 0) + 1
    head = ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in
                     sorted(counts.items(), key=lambda kv: ORDER.get(kv[0], 9)))
    out = [f"review {period_dir.name} ({period_dir}): {len(items)} client(s): {head or 'none'}"]
    for item in items:
        life = item.life
        extra = ""
        if item.state == "approved" and life:
            extra = f"  by {life.approved_by} at {life.approved_at}"
        elif item.state == "sent" and life:
            first = life.sent[0]
            extra = f"  at {first.get('at')} to {', '.join(first.get('to') or [])}"
        out.append(f"{item.state.upper().replace('_', ' '):<16} {item.client_id:<24} {item.name}{extra}")
        if item.run_error:
            out.append(f"    run: {item.run_error.splitlines()[0]}")
        out += [f"    hold: {reason}" for reason in item.holds]
        if life and life.sent and life.sent[-1].get("refused"):
            out += [f"    refused: {addr}: {why}" for addr, why in life.sent[-1]["refused"].items()]
        if life and life.last_error:
            out.append(f"    last send failed: {life.last_error}")
        out += [f"    goal: {change}" for change in item.goal_changes]
        if item.moves:
            out.append("    moves: " + "; ".join(item.moves))
        if item.summary_diff:
            out.append(f"    summary vs {item.previous_key}:")
            out += [f"      {line}" for line in item.summary_diff]
    return out
