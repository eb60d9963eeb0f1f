"""Recording renders, holds and approvals in the ledger (:mod:`reportkit.deliver.ledger`).

:func:`sync` is called after every batch (and by ``review``, ``approve`` and ``send``): each
report whose content or render changed since the ledger last saw it gets a ``rendered`` line
and then ``held`` (with the reasons, :mod:`reportkit.deliver.holds`) or ``awaiting_review``.
:func:`approve` binds a person's approval to the report's current content hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reportkit.deliver import holds, ledger
from reportkit.deliver.manifest import read_manifest
from reportkit.errors import ReportkitError


@dataclass
class Report:
    """One client's report in a period folder, as the delivery steps see it."""

    client_id: str
    params: str | None
    run_status: str                      # ok | failed (from the manifest), ok without one
    run_error: str | None
    sidecar: dict | None


def _sidecar(period_dir: Path, client_id: str) -> dict | None:
    try:
        side = json.loads((period_dir / f"{client_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return side if isinstance(side, dict) else None


def reports(period_dir: Path) -> dict[str, Report]:
    """Every client of the folder: the manifest's, and any sidecar without a manifest entry."""
    found: dict[str, Report] = {}
    for entry in read_manifest(period_dir).clients:
        found[entry.client_id] = Report(entry.client_id, entry.params, entry.status, entry.error,
                                        _sidecar(period_dir, entry.client_id))
    for path in sorted(period_dir.glob("*.json")):
        cid = path.stem
        if cid == "manifest" or cid in found or not (period_dir / f"{cid}.html").is_file():
            continue
        side = _sidecar(period_dir, cid)
        if side and side.get("client_id") == cid:
            failed = (period_dir / f"{cid}.failed.ipynb").is_file()
            found[cid] = Report(cid, None, "failed" if failed else "ok", None, side)
    return dict(sorted(found.items()))


def max_change(report: Report) -> float | None:
    """``review.max_change`` of the client's params (the default when they cannot be read)."""
    from reportkit.config import load
    from reportkit.config.client import ReviewOptions
    try:
        return load(report.params).review.max_change if report.params else ReviewOptions().max_change
    except ReportkitError:
        return ReviewOptions().max_change


def sync(period_dir: Path) -> dict[str, ledger.Life]:
    """Record every new or changed render (and its holds); return every client's life."""
    period_dir = Path(period_dir)
    lives = ledger.lives(period_dir)
    for cid, report in reports(period_dir).items():
        if report.sidecar is None:
            continue
        digest = ledger.content_hash(period_dir, cid)
        life = lives.get(cid)
        generated = report.sidecar.get("generated_at")
        found = holds.reasons(report.sidecar, report.run_status, max_change(report))
        if digest is None or (life and life.hash == digest and life.generated_at == generated
                              and life.holds == found):
            continue
        ledger.append(period_dir, {"client_id": cid, "state": "rendered", "hash": digest,
                                   "generated_at": generated, "by": "reportkit run"})
        if found:
            ledger.append(period_dir, {"client_id": cid, "state": "held", "hash": digest, "reasons": found,
                                       "by": "reportkit"})
        else:
            ledger.append(period_dir, {"client_id": cid, "state": "awaiting_review", "hash": digest,
                                       "by": "reportkit"})
    return ledger.lives(period_dir)


@dataclass
class Outcome:
    client_id: str
    ok: bool
    message: str
    exit_code: int = 0


def approve(period_dir: Path, clients: list[str], by: str | None = None,
            all_clean: bool = False) -> list[Outcome]:
    """Approve the named clients' reports (held ones too: a person has looked), or with
    ``all_clean`` every report without holds; each approval binds the current content hash."""
    period_dir = Path(period_dir)
    lives = sync(period_dir)
    known = reports(period_dir)
    person = ledger.who(by)
    names = list(clients)
    if all_clean:
        names += [cid for cid, life in lives.items() if not life.held and cid not in names
                  and known.get(cid) and known[cid].run_status == "ok"]
    outcomes = []
    for cid in names:
        life = lives.get(cid)
        report = known.get(cid)
        if report is None:
            outcomes.append(Outcome(cid, False, f"no report for {cid} in {period_dir}", 2))
        elif report.run_status != "ok" or life is None or life.hash is None:
            outcomes.append(Outcome(cid, False, "its last run failed: run it again, then review and approve", 1))
        elif life.approved:
            outcomes.append(Outcome(cid, True, f"already approved by {life.approved_by} at {life.approved_at}"))
        else:
            ledger.append(period_dir, {"client_id": cid, "state": "approved", "hash": life.hash, "by": person,
                                       **({"despite": life.holds} if life.holds else {})})
            note = f" (despite {len(life.holds)} hold reason(s))" if life.holds else ""
            outcomes.append(Outcome(cid, True, f"approved by {person}{note}, content {life.hash[:12]}"))
    return outcomes
