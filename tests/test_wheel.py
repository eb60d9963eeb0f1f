"""The wheel is the product: built from this checkout, it holds every file reportkit reads at
run time, and installed into a fresh virtual environment (dependencies from the registry, as a
user gets them) it scaffolds a project, renders the demo in an empty folder and runs the
project's own client with the packaged template.

Building and installing take a minute or more (pip's cache helps): these tests are slow.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from reportkit import __version__, paths
from reportkit.sources.demo import DEMO_CLIENTS

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
KIT = [paths.TEMPLATE_NOTEBOOK, paths.BENCHMARKS, paths.DEMO_PARAMS, paths.DEMO_WORK, paths.DEMO_ASSETS]
GENERATED = ("__pycache__", ".ipynb_checkpoints")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    (found,) = out.glob("reportkit-*.whl")
    return found


@pytest.fixture(scope="module")
def names(wheel) -> set[str]:
    return set(zipfile.ZipFile(wheel).namelist())


def _repo_files(relative: str) -> list[str]:
    """The checkout's files under ``relative`` (a file or a folder), relative to the checkout."""
    where = REPO / relative
    files = [where] if where.is_file() else sorted(p for p in where.rglob("*") if p.is_file())
    return [p.relative_to(REPO).as_posix() for p in files if not set(p.parts) & set(GENERATED)]


def test_the_wheel_holds_every_kit_file_the_code_looks_up(names):
    # every kit_path() call names one of the paths module's constants, so KIT is all it looks up
    looked_up = set()
    for module in sorted((REPO / "reportkit").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "kit_path":
                (arg,) = node.args
                assert isinstance(arg, ast.Name) and hasattr(paths, arg.id), \
                    f"{module}: kit_path() takes one of reportkit.paths' constants (so this test sees it)"
                looked_up.add(getattr(paths, arg.id))
    assert looked_up <= set(KIT)
    assert paths.TEMPLATE_NOTEBOOK in looked_up and paths.BENCHMARKS in looked_up
    for relative in KIT:
        files = _repo_files(relative)
        assert files, relative
        for name in files:
            assert f"reportkit/_packaged/{name}" in names, f"{name} is not in the wheel"
    assert "reportkit/_packaged/data/benchmarks/README.md" in names  # the tables' sources and caveats


def test_the_wheel_holds_what_the_demo_clients_point_at_and_the_nbconvert_template(names):
    for client_id in DEMO_CLIENTS:
        params = yaml.safe_load((REPO / paths.DEMO_PARAMS / f"{client_id}.yaml").read_text())
        pointed = [params["agency"]["logo"], *params.get("work", {}).values()]
        for relative in pointed:
            assert f"reportkit/_packaged/{relative}" in names, f"{client_id}: {relative} is not in the wheel"
    template = REPO / "reportkit" / "present" / "templates"
    for path in template.rglob("*"):
        if path.is_file():
            assert path.relative_to(REPO).as_posix() in names
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "reportkit").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert f"reportkit-{__version__}.dist-info/METADATA" == metadata  # the version has one home


def test_the_wheel_ships_the_compiled_catalogs(names):
    # a German or Bulgarian report reads its words from reportkit/locale/<lang>/LC_MESSAGES/reportkit.mo
    for language in ("de", "bg"):
        for suffix in ("mo", "po"):
            assert f"reportkit/locale/{language}/LC_MESSAGES/reportkit.{suffix}" in names
    assert "reportkit/locale/reportkit.pot" in names


def _run(cmd: list[str], cwd: Path, env: dict, code: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == code, f"{' '.join(cmd)} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def _report_ok(html: Path) -> None:
    text = html.read_text()
    assert "<h1" in text and text.count('<img src="data:image/svg+xml;base64,') >= 2  # trend + channels


def test_a_fresh_environment_from_the_wheel(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_ = env_dir / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTKIT_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_}{os.pathsep}{env['PATH']}"
    _run([str(bin_ / "python"), "-m", "pip", "install", "--quiet", str(wheel)], tmp_path, env)
    rk = str(bin_ / "reportkit")

    where = _run([str(bin_ / "python"), "-c", "import reportkit; print(reportkit.__file__)"], tmp_path, env)
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout  # the wheel's copy, not the checkout
    assert _run([rk, "--version"], tmp_path, env).stdout.strip() == f"reportkit, version {__version__}"

    # init: a project that validates and renders with the packaged template
    _run([rk, "init", "agency"], tmp_path, env)
    agency = tmp_path / "agency"
    assert not (agency / "notebooks").exists()
    again = _run([rk, "init", "agency"], tmp_path, env, code=2)
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    assert "ok " in _run([rk, "validate", "--all"], agency, env).stdout
    _run([rk, "run", "--all"], agency, env)
    _report_ok(agency / "reports" / "2026-10" / "example_client.html")

    # REPORTKIT_ROOT names the project from elsewhere (the FileNotFoundError, exit 1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run([rk, "run", str(agency / "params" / "example_client.yaml"), "--out", str(elsewhere / "out")],
         elsewhere, {**env, "REPORTKIT_ROOT": str(agency)})
    _report_ok(elsewhere / "out" / "2026-10" / "example_client.html")

    # demo in an empty folder: the demo clients are written there and rendered
    empty = tmp_path / "empty"
    empty.mkdir()
    _run([rk, "demo", "--workers", "2"], empty, env)
    for client_id in DEMO_CLIENTS:
        assert (empty / "params" / f"{client_id}.yaml").is_file()
        _report_ok(empty / "reports" / "2026-10" / f"{client_id}.html")
    # the example client's sample data is the demo shop's: the same October revenue
    example = json.loads((agency / "reports" / "2026-10" / "example_client.json").read_text())
    shop = json.loads((empty / "reports" / "2026-10" / "acme_outdoor.json").read_text())
    assert example["kpis"]["revenue"]["value"] == shop["kpis"]["revenue"]["value"] is not None
    # the demo shop (industry in its params) is compared with the packaged published tables
    industry = [c for b in shop["benchmarks"] for c in b["comparisons"] if c["kind"] == "industry"]
    assert industry, "no published benchmark compared: the packaged data/benchmarks was not found"
