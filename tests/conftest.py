import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("REPORTKIT_ROOT", str(ROOT))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


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
