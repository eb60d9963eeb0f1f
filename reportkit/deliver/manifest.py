"""Reading and writing ``reports/<period>/manifest.json`` (:mod:`reportkit.contracts.manifest`).

Writing is read-merge-write under an exclusive ``fcntl`` lock on ``manifest.json.lock``:
two batches finishing at once on one folder both keep their entries.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from reportkit.contracts.manifest import Manifest, ManifestEntry
from reportkit.paths import file_lock, write_atomic


def read_manifest(period_dir: Path) -> Manifest:
    """The folder's manifest; an empty one when there is none or it is not a valid manifest."""
    try:
        return Manifest.model_validate_json((period_dir / "manifest.json").read_bytes())
    except (OSError, ValidationError):
        return Manifest(period=period_dir.name, generated_at="")


def data_to(sidecar_path: str | None) -> str | None:
    """The last day of data of a report (its sidecar's ``data_quality.data_to``)."""
    if not sidecar_path:
        return None
    try:
        return json.loads(Path(sidecar_path).read_text(encoding="utf-8")).get("data_quality", {}).get("data_to")
    except (OSError, ValueError, AttributeError):
        return None


def api_use(sidecar_path: str | None) -> dict | None:
    """Calls and quota per API source of a report (from its sidecar's ``data_quality.pulls``)."""
    from reportkit.sources.pulling import summary
    if not sidecar_path:
        return None
    try:
        pulls = json.loads(Path(sidecar_path).read_text(encoding="utf-8")).get("data_quality", {}).get("pulls")
    except (OSError, ValueError, AttributeError):
        return None
    return (summary([{"pulls": pulls}]) or None) if isinstance(pulls, list) else None


def entry_for(result, inputs: str | None = None) -> ManifestEntry:
    """A client's manifest entry from its run's result (``reportkit.run.render.RenderResult``);
    ``inputs``: the hash of what made the outputs (kept only for a run that succeeded)."""
    ok = result.status == "ok"
    return ManifestEntry(client_id=result.client_id, params=result.params, status=result.status,
                         duration_s=round(result.duration_s, 3), outputs=result.outputs, error=result.error,
                         data_to=data_to(result.outputs.get("json")) if ok else None,
                         api=api_use(result.outputs.get("json")) if ok else None,
                         inputs=inputs if ok else None)


def locked(period_dir: Path):
    """Hold the folder's manifest lock (exclusive, across processes) while the block runs."""
    return file_lock(period_dir / "manifest.json.lock")


def write_manifest(period_dir: Path, entries: list[ManifestEntry]) -> Path:
    """Merge ``entries`` into ``period_dir/manifest.json`` (by client_id) and write it atomically,
    under the folder's lock: what another batch wrote meanwhile is merged, never lost.

    Raises OSError when the folder cannot be written (a full or read-only disk); the earlier
    manifest is then left as it was."""
    period_dir.mkdir(parents=True, exist_ok=True)
    with locked(period_dir):
        merged = {c.client_id: c for c in read_manifest(period_dir).clients}
        rerun = {entry.params for entry in entries}
        # a params file now run under another client_id (fixed, renamed) replaces its old entry
        merged = {k: c for k, c in merged.items() if c.params not in rerun}
        for entry in entries:
            merged[entry.client_id] = entry
        manifest = Manifest(period=period_dir.name,
                            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            clients=sorted(merged.values(), key=lambda c: c.client_id))
        return write_atomic(period_dir / "manifest.json",
                            json.dumps(manifest.model_dump(mode="json"), indent=1, ensure_ascii=False))
