"""`jupyter nbconvert --to reportkit` exports any executed notebook as the client's page."""

import subprocess
import sys
from pathlib import Path

import pytest

from test_analyst_cells import run_cli


@pytest.mark.slow
def test_nbconvert_to_reportkit_exports_an_executed_notebook(tmp_path, root):
    proc = run_cli(root, root / "params" / "daily_gazette.yaml", "--out", tmp_path, "--workers", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.run([str(jupyter), "nbconvert", "--to", "reportkit", tmp_path / "2026-10" / "daily_gazette.ipynb",
                           "--output-dir", str(tmp_path / "by-hand")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "No filter named" not in proc.stderr
    page = (tmp_path / "by-hand" / "daily_gazette.html").read_text(encoding="utf-8")
    assert "<title>The Daily Gazette · 2026-10</title>" in page
    assert "default-src 'none'" in page                      # nothing from the network
    assert page.count("data:image/svg+xml;base64,") >= 2     # the charts (the svg_base64 filter)
    assert '<nav class="rk-toc"' in page and '<h2 id="Summary">' in page
    assert "rk.show_" not in page and "load_report" not in page  # no code, no parameters
    assert "application/vnd.reportkit" not in page and "<script" not in page
