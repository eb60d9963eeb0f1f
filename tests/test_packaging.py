"""environment.yml stays in step with pyproject.toml; the README documents every params key."""

import functools
import re
import tomllib
from pathlib import Path

import yaml

from reportkit.config import ClientConfig

CONDA_NAMES = {"duckdb": "python-duckdb", "dask[distributed]": "dask"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].lower()


def _bound(requirement: str) -> str | None:
    found = re.search(r">=\s*([0-9][^,; ]*)", requirement)
    return found.group(1) if found else None


def test_environment_yml_lists_every_dependency(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((repo / "environment.yml").read_text())
    conda = {_name(d): d for d in env["dependencies"] if isinstance(d, str)}
    for req in wanted:
        name = CONDA_NAMES.get(_name(req), _name(req))
        assert name in conda, f"{name} is in pyproject.toml but not environment.yml"
        assert _bound(conda[name]) == _bound(req), f"{name}: environment.yml says {conda[name]}, pyproject.toml {req}"
    assert _bound(conda["distributed"]) == _bound(next(r for r in wanted if r.startswith("dask")))
    # nothing beyond pyproject.toml's lists (and conda's own python, pip, and dask's distributed)
    extra = set(conda) - {CONDA_NAMES.get(_name(r), _name(r)) for r in wanted} - {"python", "pip", "distributed"}
    assert not extra, f"environment.yml lists {sorted(extra)}, which pyproject.toml does not"


def test_readme_documents_every_params_key(repo):
    readme = (repo / "README.md").read_text()
    for name in ClientConfig.model_fields:
        assert f"`{name}`" in readme, f"README params reference lacks `{name}`"


def test_notebook_parameters_cell_declares_every_params_key(repo):
    # papermill warns about (and an analyst cannot see) a key the parameters cell lacks
    import nbformat
    nb = nbformat.read(repo / "notebooks" / "client_report.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    from reportkit.config.notebook_params import parameter_names
    declared = set(parameter_names(cell.source))
    assert set(ClientConfig.model_fields) | {"params_file"} == declared


# Imported by reportkit, yet declared through another name or not imported at all: ipykernel is
# the kernel the `kernel` engine and plain papermill start; pyarrow and openpyxl are pandas'
# Parquet and Excel readers (sources/exports.py reads those exports through pandas).
NOT_IMPORTED = {"ipykernel": "the kernel", "pyarrow": "read_parquet", "openpyxl": "read_excel"}


def _imported_modules(repo) -> dict[str, str]:
    """Every non-stdlib module reportkit's code (and the template's code cells) imports ->
    the first file that does."""
    import ast
    import json
    import sys

    sources = {str(p): p.read_text() for p in sorted((repo / "reportkit").rglob("*.py"))}
    notebook = json.loads((repo / "notebooks" / "client_report.ipynb").read_text())
    sources["notebooks/client_report.ipynb"] = "\n".join(
        "".join(line for line in (c["source"] if isinstance(c["source"], list) else [c["source"]])
                if not line.lstrip().startswith(("%", "!")))
        for c in notebook["cells"] if c["cell_type"] == "code")
    found: dict[str, str] = {}
    for name, text in sources.items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("reportkit", "__future__"):
                    found.setdefault(module, name)
    return found


@functools.cache
def _providers() -> dict[str, set[str]]:
    """Top-level package -> the installed distributions holding it; for the shared ``google``
    namespace keyed by its second part (``google.api_core`` -> google-api-core)."""
    from importlib import metadata
    found: dict[str, set[str]] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"].lower().replace("_", "-")
        for top in {".".join(f.parts[:2]) if f.parts[0] == "google" else f.parts[0].removesuffix(".py")
                    for f in dist.files or () if len(f.parts) > 1 or f.suffix == ".py"}:
            found.setdefault(top, set()).add(name)
    return found


def _distributions(module: str) -> set[str]:
    parts = module.split(".")
    return _providers().get(".".join(parts[:2]) if parts[0] == "google" else parts[0], set())


def test_every_import_is_a_declared_dependency_and_every_dependency_is_used(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    declared = {re.sub(r"\[.*\]", "", _name(r)).replace("_", "-") for r in project["dependencies"]}
    declared |= {"distributed"}  # dask[distributed]
    used = set()
    for module, where in _imported_modules(repo).items():
        dists = _distributions(module)
        assert dists, f"{where} imports {module}, which no installed distribution provides"
        assert dists & declared, f"{where} imports {module} ({', '.join(sorted(dists))}): not in pyproject.toml dependencies"
        used |= dists & declared | ({"distributed"} if module.startswith("dask.distributed") else set())
    unused = declared - used - set(NOT_IMPORTED)
    assert not unused, f"pyproject.toml declares {sorted(unused)}, which nothing in reportkit imports"
    exports = (repo / "reportkit" / "sources" / "exports.py").read_text()
    assert "read_parquet" in exports and "read_excel" in exports  # why pyarrow and openpyxl stay
