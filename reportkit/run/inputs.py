"""What made a client's outputs, as one hash: a batch skips a client whose hash is unchanged.

:func:`inputs_hash` covers everything a report is computed from:

* the *resolved* client config (every key after defaults and overrides) and the report date
  (``as_of``, or today when it is unset: the same params give another report tomorrow);
* every file the config names (data, users, work log, plan, action items, communication,
  logo, commentary: any string value that is a path to an existing file), its bytes;
* the demo source's generated files, the published benchmark tables (``data/benchmarks``);
* for API sources, the client's pulls in the warehouse (what was pulled, when); a client
  whose cached API data is due for a refresh (not final and older than ``fresh_hours``) has
  no stable hash (:data:`DUE`): it always renders;
* the template notebook's bytes and reportkit itself (its version and its code and page
  templates, so an upgrade or a local change renders again).

Reading it costs a few milliseconds a client (files are small next to a render).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import reportkit
from reportkit.paths import project_root, resolve_path
from reportkit.sources.demo import demo_paths

DUE = None  # the hash of a client that must render (API data due for a refresh)


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """reportkit's version and the bytes of its modules and templates (once per process)."""
    digest = hashlib.sha256(reportkit.__version__.encode())
    package = Path(reportkit.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2", ".css", ".tpl", ".json", ".html", ".js") and path.is_file() \
                and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def named_files(cfg) -> list[Path]:
    """Every existing file the config names, plus the files a report reads without naming them."""
    found: set[Path] = set()
    root = project_root()
    for text in _strings(cfg.model_dump(mode="json")):
        if not text or len(text) > 1024 or "\n" in text or not ("/" in text or "." in text):
            continue
        try:
            path = resolve_path(text, root)
            if path.is_file():
                found.add(path.resolve())
        except (OSError, ValueError):
            continue
    sources = cfg.sources or [cfg.source]
    if any(src.type == "demo" and not getattr(src, "path", None) for src in sources):
        found.update(p.resolve() for p in demo_paths(cfg.client_id) if p.is_file())
    benchmarks = resolve_path("data/benchmarks")
    if benchmarks.is_dir():
        found.update(p.resolve() for p in benchmarks.glob("*") if p.is_file())
    return sorted(found)


def _api_sources(cfg) -> bool:
    """Does the client read an API (a source with no file of its own: the warehouse caches it)?"""
    return any("path" not in type(src).model_fields for src in (cfg.sources or [cfg.source]))


def _warehouse_state(cfg) -> list | None:
    """The client's cached pulls (source, query, range, pulled_at, final); None when one is due."""
    from reportkit.sources.warehouse import open_for, utcnow
    store = open_for(cfg)
    if not store.path.is_file():
        return None
    with store.connect() as con:
        rows = con.execute("SELECT source, query, start_date, end_date, pulled_at, final FROM pulls "
                           "WHERE client_id=? ORDER BY ALL", [cfg.client_id]).fetchall()
    if not rows:
        return None
    fresh = timedelta(hours=cfg.warehouse.fresh_hours)
    if any(not final and utcnow() - pulled_at >= fresh for *_, pulled_at, final in rows):
        return None
    return [[str(v) for v in row] for row in rows]


def inputs_hash(cfg, notebook: Path) -> str | None:
    """The hash of what a render of ``cfg`` with ``notebook`` is made from, or :data:`DUE`."""
    parts: dict = {"code": _code_hash(), "config": cfg.model_dump(mode="json"),
                   "report_date": cfg.report_date().isoformat()}
    parts["notebook"] = _file_digest(notebook) if notebook.is_file() else "missing"
    parts["files"] = {str(p): _file_digest(p) for p in named_files(cfg)}
    if _api_sources(cfg):
        state = _warehouse_state(cfg)
        if state is None:
            return DUE
        parts["warehouse"] = state
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
