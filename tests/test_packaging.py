"""environment.yml stays in step with pyproject.toml; the README documents every params key."""

import re
import tomllib

import yaml

from reportkit.config import ClientConfig

CONDA_NAMES = {"duckdb": "python-duckdb", "dask[distributed]": "dask"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_lists_every_dependency(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((repo / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    for req in wanted:
        name = _name(req)
        assert CONDA_NAMES.get(name, name) in conda, f"{name} is in pyproject.toml but not environment.yml"
    assert "distributed" in conda


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
