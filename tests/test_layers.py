"""The package's shape holds: each layer imports only the layers below it, and no module
takes part in an import cycle (docs/architecture.md, "Layers")."""

from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]


def test_layers_contract_is_kept(monkeypatch):
    monkeypatch.chdir(REPO)  # the contract lives in pyproject.toml
    assert lint_imports(no_cache=True) == 0


def _cycle(graph, start):
    """A chain of imports from ``start`` back to itself, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == start:
                return path + [start]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, path + [imported]))
    return None


def test_no_import_cycles():
    graph = grimp.build_graph("reportkit", cache_dir=None)  # no cache written into the checkout
    cycles = {m: c for m in sorted(graph.modules) if (c := _cycle(graph, m))}
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles.values())


ECHO_SOURCE = """
from typing import Literal

import pandas as pd

from reportkit.core.facts import normalize
from reportkit.sources.registry import Source, SourceData


class EchoSource(Source):
    \"\"\"A test source: one row per day of the period, ``sessions`` visits each.\"\"\"

    type: Literal["echo"]
    sessions: int

    def load(self, cfg, periods, refresh=False):
        days = pd.date_range(periods.previous.start, periods.current.end, freq="D")
        frame = pd.DataFrame({"date": days, "channel": "Direct", "sessions": self.sessions})
        return SourceData(normalize(frame, "echo"), origin="echo")
"""

CHECK = """
from reportkit import config, report
cfg = config.validate({"client_id": "e", "client_name": "E", "business_model": "publisher",
                       "period": "2026-10", "currency": "EUR", "kpis": ["sessions"],
                       "source": {"type": "echo", "sessions": 7}})
print(report.build(cfg).figures["sessions"].value)
try:
    config.validate({"client_id": "e", "client_name": "E", "business_model": "publisher",
                     "period": "2026-10", "currency": "EUR", "source": {"type": "nope"}})
except Exception as error:
    print(error)
"""


@pytest.mark.slow
def test_a_new_source_is_one_file(tmp_path):
    """Adding a module to reportkit/sources/ is all it takes: params, validation and loading
    pick it up (run on a copy of the package, so the checkout stays as it is)."""
    import shutil
    import subprocess
    import sys
    copy = tmp_path / "reportkit"
    shutil.copytree(REPO / "reportkit", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "sources" / "echo.py").write_text(ECHO_SOURCE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    value, error = proc.stdout.splitlines()[0], "\n".join(proc.stdout.splitlines()[1:])
    assert value == "217.0"                     # 31 October days x 7 sessions
    assert "unknown source type 'nope'; known types: csv, demo, echo, file, ga4" in error
