"""Shared fixtures. The tests never write into the checkout.

At import (before any test module imports reportkit) this makes the project root the tests
run against: a temporary copy of the checkout's inputs -- ``params/``, ``notebooks/``,
``assets/``, ``data/`` (without what runs generate: ``data/demo/``, ``data/warehouse*``,
``data/bench/``) and ``tests/data/`` (params in the tests name its exports by paths relative
to the root). ``REPORTKIT_ROOT`` points at it, so relative paths in params, the demo data
generated on first use and reports written with ``cwd=root`` all land there. It is removed
when the session ends.

``root`` is that copy; ``repo`` is the checkout itself, for tests about the repository's own
files (pyproject.toml, README.md, ...): read it, never write to it.
"""

import os
import shutil
import sys
import tempfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COPIED = ["params", "notebooks", "assets", "data", "tests/data"]
GENERATED = ["data/demo", "data/warehouse*", "data/bench", "data/facts"]  # written by runs: never copied
NEVER = {".ipynb_checkpoints", "__pycache__"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    here = Path(folder).relative_to(REPO)
    return {n for n in names if n in NEVER or any(fnmatch((here / n).as_posix(), g) for g in GENERATED)}


def _make_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="reportkit-tests-"))
    for name in COPIED:
        shutil.copytree(REPO / name, root / name, ignore=_ignore)
    return root


ROOT = _make_root()
_OWNER = os.getpid()
os.environ["REPORTKIT_ROOT"] = str(ROOT)


def pytest_unconfigure(config):
    if os.getpid() == _OWNER:
        shutil.rmtree(ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def root() -> Path:
    """The project root of this test session: a temporary copy (see the module docstring)."""
    return ROOT


@pytest.fixture(scope="session")
def repo() -> Path:
    """The checkout itself: read-only."""
    return REPO


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where tests leave files worth a look afterwards (browser screenshots):
    $REPORTKIT_TEST_ARTIFACTS if set, else a folder in pytest's temporary directory."""
    named = os.environ.get("REPORTKIT_TEST_ARTIFACTS")
    if named:
        path = Path(named)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("artifacts", numbered=False)


@pytest.fixture(scope="session")
def python_bin() -> str:
    return sys.executable


@pytest.fixture()
def small_facts(tmp_path) -> Path:
    """A tiny hand-checkable fact table (see test_report.py for the arithmetic)."""
    path = tmp_path / "facts.csv"
    path.write_text(
        "date,channel,campaign,sessions,conversions,transactions,revenue,impressions,clicks,cost\n"
        "2024-03-01,Paid Search,A,100,5,5,500,1000,50,100\n"
        "2024-03-02,Paid Search,A,10,1,1,50,100,10,100\n"
        "2024-03-01,Organic Search,,200,4,0,0,,,\n"
        "2024-02-10,Paid Search,A,50,2,2,200,400,20,40\n"
        "2023-03-15,Organic Search,,100,0,0,0,,,\n")
    (tmp_path / "users.csv").write_text("start,end,users\n2024-03-01,2024-03-31,250\n")
    return path


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A test that loads a report in another locale (``load_report`` activates it for the
    process, as in a kernel) leaves the next test in English."""
    yield
    from reportkit.core import i18n
    i18n.activate(i18n.DEFAULT_LOCALE)
