"""Parameter mistakes in the notebook: each gives a message saying where the bad value came
from (the notebook's parameters cell, papermill's parameters or the params file), shown as a
short message, not a traceback; the parameters cell is typed for ``papermill --help-notebook``."""

import nbformat
import papermill
import pytest
import yaml

from reportkit import config
from reportkit.config.notebook_params import parameters_cell
from reportkit.errors import ConfigError

CELL = '# Parameters: every key\nclient_id = "acme_outdoor"'  # the template's first line starts so
INJECTED = "# Parameters\n"                                       # papermill's injected cell


def _error(namespace) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        config.from_notebook(namespace)
    return err.value


def test_a_misspelt_name_in_the_parameters_cell_lists_the_valid_names():
    e = _error({"In": ["", CELL + '\nperod = "2026-09"'], "client_id": "acme_outdoor", "perod": "2026-09"})
    assert str(e).startswith("the notebook's parameters cell: unknown parameter 'perod'")
    assert "period" in e.fix and "material_change" in e.fix and "params_file" in e.fix


def test_a_misspelt_name_given_with_p_is_blamed_on_papermills_parameters():
    e = _error({"In": ["", CELL, INJECTED + 'perod = "2026-09"\n'], "client_id": "acme_outdoor", "perod": "2026-09"})
    assert str(e).startswith("papermill's parameters (-p, -f or reportkit run): unknown parameter 'perod'")


def test_a_bad_value_typed_in_the_notebook_is_not_blamed_on_the_params_file():
    e = _error({"In": ["", CELL + '\nperiod = "2026-13"'], "client_id": "acme_outdoor", "period": "2026-13"})
    assert e.where == "the notebook's parameters cell: key 'period'"
    assert "acme_outdoor.yaml" not in str(e)


def test_a_bad_value_in_the_params_file_names_the_file(tmp_path, root):
    values = config.read_params(root / "params" / "acme_outdoor.yaml")
    values["currency"] = "euro"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(values))
    e = _error({"In": ["", CELL], "client_id": "acme_outdoor", "params_file": str(bad)})
    assert e.where == f"{bad}: key 'currency'" and "'euro'" in e.problem


def test_an_unknown_client_id_names_the_missing_params_file(root):
    e = _error({"In": ["", '# Parameters: x\nclient_id = "acme"'], "client_id": "acme"})
    assert e.where == str(root / "params" / "acme.yaml")
    assert e.problem == "params file not found (client_id = 'acme')"
    assert "acme_outdoor, daily_gazette, northwind_b2b" in e.fix


def test_errors_show_in_ipython_as_their_message():
    e = ConfigError("params/a.yaml: key 'currency'", "bad", "use EUR")
    assert e._render_traceback_() == ["ConfigError: params/a.yaml: key 'currency': bad", "  fix: use EUR"]


def test_the_parameters_cell_is_typed_and_current(root):
    nb = nbformat.read(root / "notebooks" / "client_report.ipynb", 4)
    assert nb.cells[1].source == parameters_cell()
    inferred = papermill.inspect_notebook(str(root / "notebooks" / "client_report.ipynb"))
    assert inferred["period"]["inferred_type_name"] == "str"
    assert inferred["period"]["help"] == ("Calendar month YYYY-MM, or last_month, last_quarter or "
                                          "month_to_date resolved as of as_of (or use start and end)")
    assert inferred["goals"]["inferred_type_name"] == "list"
    assert inferred["budget"]["inferred_type_name"] == "dict"
    assert inferred["material_change"]["inferred_type_name"] == "float"
    assert all(p["inferred_type_name"] != "None" and p["help"] for p in inferred.values())


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["reportkit-inprocess", None])
def test_a_misspelt_p_stops_the_run_with_a_short_message(tmp_path, root, engine):
    import subprocess
    import sys
    # in its own process: the in-process engine's shell takes over the process's __main__
    proc = subprocess.run([sys.executable, "-m", "papermill", str(root / "notebooks" / "client_report.ipynb"),
                           str(tmp_path / "out.ipynb"), "-p", "perod", "2026-09", "-k", "python3",
                           *(["--engine", engine] if engine else [])], capture_output=True, text=True, timeout=300,
                          cwd=root)
    assert proc.returncode != 0
    assert "ConfigError: papermill's parameters (-p, -f or reportkit run): unknown parameter 'perod'" in proc.stderr
    out = nbformat.read(tmp_path / "out.ipynb", 4)
    error = next(o for c in out.cells for o in c.get("outputs", []) if o.output_type == "error")
    text = "\n".join(error.traceback)
    assert "Traceback" not in text and "File " not in text and len(error.traceback) == 2
    assert "papermill's parameters" in text
