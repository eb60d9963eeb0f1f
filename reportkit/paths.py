"""Where a project's files are, and how outputs are written without ever leaving half a file.

The project root is where relative paths in params point (``params/``, ``data/``,
``notebooks/``). The kit's own files (the template notebook, the published benchmark tables,
the demo clients' params and work files) come from the agency's project when it has its own
copy, else from the copy packaged with reportkit (:func:`kit_path`). Every output (report, sidecar, manifest, overview, demo data, PDF) is
written to a temporary name beside its target and renamed over it, so a reader never sees
a half-written file and a failed run never replaces a good one.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


def project_root() -> Path:
    """Where relative paths in params point: $REPORTKIT_ROOT, else the nearest folder
    upward from the working directory that has a ``params/`` folder, else the cwd."""
    env = os.environ.get("REPORTKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "params").is_dir():
            return folder
    return here


PACKAGE = Path(__file__).resolve().parent
# The wheel's copy of the kit's files (pyproject.toml: tool.hatch.build.targets.wheel.force-include).
PACKAGED = PACKAGE / "_packaged"

# What the wheel carries under _packaged/, relative to a project root; tests/test_wheel.py
# checks each is in the wheel. Look them up with kit_path().
TEMPLATE_NOTEBOOK = "notebooks/client_report.ipynb"
BENCHMARKS = "data/benchmarks"
DEMO_PARAMS = "params"
DEMO_WORK = "data/work"
DEMO_ASSETS = "assets"


def packaged_root() -> Path:
    """The kit's own files as shipped: ``reportkit/_packaged/`` in an installed wheel; in a
    source checkout or an editable install (no ``_packaged/``) the repository itself."""
    return PACKAGED if PACKAGED.is_dir() else PACKAGE.parent


def kit_path(relative: str) -> Path:
    """A file or folder the kit ships (``TEMPLATE_NOTEBOOK``, ``BENCHMARKS``, ...): the agency
    project's own copy when it has one (:func:`project_root`), else the packaged copy."""
    own = project_root() / relative
    packaged = packaged_root() / relative
    return packaged if not own.exists() and packaged.exists() else own  # neither: name the project's


def resolve_path(path: str | os.PathLike, root: Path | None = None) -> Path:
    """``path`` itself when absolute (``~`` expanded), else relative to the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (root or project_root()) / p


def scratch_path(target: Path) -> Path:
    """A temporary name beside ``target``, unique to this process: ``.<name>.<pid>.tmp``."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def write_atomic(target: str | os.PathLike, content: str | bytes | Callable[[Path], None]) -> Path:
    """Write ``target`` atomically: text, bytes, or ``content(tmp_path)`` writing the file
    itself (a DataFrame's ``to_csv``, a copy), then rename it over ``target``."""
    target = Path(target)
    tmp = scratch_path(target)
    try:
        if isinstance(content, str):
            tmp.write_text(content, encoding="utf-8")
        elif isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            content(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


# ---------------------------------------------------------------- output sets

SWAP_SUFFIX = ".swap.json"


def staged_path(target: Path) -> Path:
    """Where a new version of ``target`` waits for :func:`replace_set`: ``.<name>.<pid>.new``."""
    return target.with_name(f".{target.name}.{os.getpid()}.new")


def replace_set(name: str, folder: Path, staged: dict[Path, Path], drop: list[Path] = ()) -> None:
    """Replace a set of files together: each ``final`` by its ``staged`` file, and remove
    ``drop`` (outputs of the old set the new one has not got, so the set is never mixed).

    A journal (``.<name>.swap.json``) listing the moves is written first, atomically; a
    process killed part-way through leaves it, and :func:`finish_swaps` completes the moves
    before anything reads the folder again: a reader finds the old set or the new one."""
    journal = folder / f".{name}{SWAP_SUFFIX}"
    plan = {"replace": [[str(s), str(f)] for f, s in staged.items()], "drop": [str(p) for p in drop]}
    import json
    write_atomic(journal, json.dumps(plan))
    _apply(plan)
    journal.unlink(missing_ok=True)


def _apply(plan: dict) -> None:
    for source, final in plan["replace"]:
        if os.path.exists(source):
            os.replace(source, final)
    for path in plan["drop"]:
        Path(path).unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def finish_swaps(folder: Path) -> None:
    """Complete the output-set swaps a killed process left in ``folder``, and remove the
    scratch files (``.<name>.<pid>.new``, ``.<name>.<pid>.tmp``, ``.<client>.<pid>.running.ipynb``)
    of processes that are gone."""
    import json
    import re
    if not folder.is_dir():
        return
    for journal in folder.glob(f".*{SWAP_SUFFIX}"):
        try:
            _apply(json.loads(journal.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        journal.unlink(missing_ok=True)
    scratch = re.compile(r"^\..+\.(\d+)\.(new|tmp|running\.ipynb)$")
    for path in folder.glob(".*"):
        match = scratch.match(path.name)
        if match and not _pid_alive(int(match.group(1))):
            path.unlink(missing_ok=True)


@contextmanager
def file_lock(path: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created when missing) while the block runs:
    processes that take the same lock queue. The lock is released when the block ends, also on
    an error, and by the system when the process dies."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
