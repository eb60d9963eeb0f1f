"""``reports/<period>/ledger.jsonl``: each report's life, one line per change of state.

rendered -> held (with reasons) or awaiting_review -> approved -> sending -> sent, per client,
each line with who, when and the report's content hash. The file is only ever appended to;
every line is flushed and fsync'd before the step it records goes on, so a process killed at
any moment leaves every finished step on disk (a half-written last line is ignored). The
manifest (``manifest.json``) stays the run's record; this file is the delivery's.

The content hash (:func:`content_hash`) covers what the client reads: the sidecar (every
figure and sentence) without its ``generated_at`` stamp, and the HTML page without its
"generated" footer stamp. An approval holds for that hash only: a re-render that changes the
report needs approval again; one that changes nothing keeps it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from reportkit.paths import file_lock

LEDGER = "ledger.jsonl"
_STAMP = re.compile(r"generated [^<]*?(?=</)")   # the footer's "generated 2 Dec 2026 02:41 UTC"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def who(name: str | None = None) -> str:
    """The person recording a step: ``--by NAME``, else the login name."""
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def content_hash(period_dir: Path, client_id: str) -> str | None:
    """sha256 of what the client reads (sidecar without its stamp + HTML without its stamp)."""
    try:
        side = json.loads((period_dir / f"{client_id}.json").read_text(encoding="utf-8"))
        html = (period_dir / f"{client_id}.html").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if isinstance(side, dict):
        side.pop("generated_at", None)
    digest = hashlib.sha256(json.dumps(side, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(b"\0" + _STAMP.sub("generated", html).encode("utf-8"))
    return digest.hexdigest()


def append(period_dir: Path, event: dict) -> dict:
    """Write one line (``at`` added) and fsync it before returning."""
    event = {"at": now(), **event}
    period_dir.mkdir(parents=True, exist_ok=True)
    line = json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
    fd = os.open(period_dir / LEDGER, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return event


def read(period_dir: Path) -> list[dict]:
    """Every complete line, in order (a line cut short by a kill is skipped)."""
    try:
        text = (period_dir / LEDGER).read_text(encoding="utf-8")
    except OSError:
        return []
    events = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("client_id"):
            events.append(event)
    return events


def locked(period_dir: Path):
    """One sender per period folder at a time (an advisory lock on ``ledger.lock``)."""
    return file_lock(period_dir / "ledger.lock")


@dataclass
class Life:
    """One client's report in one period, folded from its ledger lines."""

    client_id: str
    hash: str | None = None              # the content hash of the last render recorded
    rendered_at: str | None = None
    generated_at: str | None = None
    holds: list[str] = field(default_factory=list)
    approved_hash: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    sent: list[dict] = field(default_factory=list)   # every "sent" line (the first is the delivery)
    pending: dict | None = None          # a "sending" line with no outcome yet (killed mid-send)
    last_error: str | None = None

    @property
    def approved(self) -> bool:
        return self.hash is not None and self.approved_hash == self.hash

    @property
    def held(self) -> bool:
        return bool(self.holds)

    @property
    def state(self) -> str:
        """sent | sending | approved | held | awaiting_review | not_rendered."""
        if self.sent:
            return "sent"
        if self.pending:
            return "sending"
        if self.approved:
            return "approved"
        if self.hash is None:
            return "not_rendered"
        return "held" if self.held else "awaiting_review"


def fold(events: list[dict]) -> dict[str, Life]:
    lives: dict[str, Life] = {}
    for event in events:
        life = lives.setdefault(event["client_id"], Life(event["client_id"]))
        kind = event.get("state")
        if kind == "rendered":
            life.hash, life.rendered_at = event.get("hash"), event.get("at")
            life.generated_at, life.holds = event.get("generated_at"), []
        elif kind == "held":
            life.holds = list(event.get("reasons") or [])
        elif kind == "awaiting_review":
            life.holds = []
        elif kind == "approved":
            life.approved_hash, life.approved_by, life.approved_at = event.get("hash"), event.get("by"), event.get("at")
        elif kind == "sending":
            life.pending = event
        elif kind == "sent":
            life.sent.append(event)
            life.pending, life.last_error = None, None
        elif kind == "send_failed":
            life.pending, life.last_error = None, event.get("error")
    return lives


def lives(period_dir: Path) -> dict[str, Life]:
    return fold(read(period_dir))
