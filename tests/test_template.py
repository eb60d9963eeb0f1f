"""The template notebook is committed clean: no outputs, no execution counts, stable metadata
(what nbstripout with the project's .pre-commit-config.yaml leaves)."""

import json

import nbformat
import yaml

STABLE_METADATA = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}


def test_the_template_is_committed_without_outputs(repo):
    nb = nbformat.read(repo / "notebooks" / "client_report.ipynb", 4)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, (f"cells {dirty} of notebooks/client_report.ipynb have outputs: run "
                       "`nbstripout --keep-id notebooks/client_report.ipynb` (or pre-commit) before committing")


def test_the_template_metadata_is_stable(repo):
    nb = json.loads((repo / "notebooks" / "client_report.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"] == STABLE_METADATA
    for cell in nb["cells"]:
        assert set(cell["metadata"]) <= {"tags"}, cell["metadata"]


def test_the_strip_configuration_keeps_ids_and_drops_the_volatile_metadata(repo):
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    args = hooks[0]["args"]
    assert hooks[0]["id"] == "nbstripout" and "--keep-id" in args
    extra = args[args.index("--extra-keys") + 1].split()
    assert {"metadata.language_info.version", "metadata.papermill", "cell.metadata.papermill"} <= set(extra)
