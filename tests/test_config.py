import subprocess
import sys

import pytest
import yaml

from reportkit import config
from reportkit.errors import ConfigError

GOOD = {"client_id": "testco", "client_name": "Test Co", "business_model": "ecommerce",
        "period": "2026-10", "currency": "EUR", "source": {"type": "demo"}}


def write(tmp_path, values, name="testco.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(values))
    return path


def error_for(tmp_path, **changes):
    values = {**GOOD, **changes}
    values = {k: v for k, v in values.items() if v is not ...}
    with pytest.raises(ConfigError) as info:
        config.load(write(tmp_path, values))
    return str(info.value)


def test_good_params_load_with_business_model_defaults(tmp_path):
    cfg = config.load(write(tmp_path, GOOD))
    assert cfg.kpi_keys()[:4] == ["revenue", "transactions", "conversion_rate", "roas"]
    assert cfg.periods().key == "2026-10"


def test_demo_params_files_are_valid(root):
    for path in sorted((root / "params").glob("*.yaml")):
        config.load(path)


@pytest.mark.parametrize("change, key, words, fix", [
    ({"client_name": ...}, "client_name", "required key is missing", "client_name:"),
    ({"period": "2026-13"}, "period", "not a month written as YYYY-MM", "YYYY-MM"),
    ({"period": "2026-10", "start": "2026-10-01", "end": "2026-10-31"}, "(file)", "not both", ""),
    ({"period": ...}, "(file)", "no reporting period", ""),
    ({"period": ..., "start": "2026-10-10", "end": "2026-10-01"}, "(file)", "before start", ""),
    ({"currency": "eur"}, "currency", "should match pattern", "three-letter ISO code"),
    ({"business_model": "shop"}, "business_model", "'shop'", "ecommerce, leadgen, publisher"),
    ({"client_id": "Acme Shop"}, "client_id", "should match pattern", "lower-case"),
    ({"colour": "red"}, "colour", "unknown key", "spelling"),
    ({"kpis": ["revenue", "profit"]}, "(file)", "unknown KPI 'profit'", ""),
    ({"source": {"type": "ftp"}}, "source", "'ftp'", "type: demo"),
    ({"custom_kpis": [{"key": "x", "label": "X", "numerator": "revenue * 2"}]},
     "custom_kpis.0.numerator", "cannot read", "custom_kpis"),
    ({"custom_kpis": [{"key": "cpc", "label": "X", "numerator": "cost"}]}, "(file)", "already a built-in", ""),
])
def test_each_bad_field_names_file_key_problem_and_fix(tmp_path, change, key, words, fix):
    message = error_for(tmp_path, **change)
    assert "testco.yaml" in message
    assert f"key '{key}'" in message
    assert words in message
    assert fix in message


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("client_id: x\nclient_name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: is not valid YAML at line 3"):
        config.load(path)


def test_notebook_parameters_override_the_clients_file(root):
    cfg = config.from_notebook({"client_id": "acme_outdoor", "period": "2026-09", "kpis": None})
    assert cfg.client_name == "Acme Outdoor" and cfg.period == "2026-09"
    cfg = config.from_notebook({"client_id": "acme_outdoor", "start": "2026-10-01", "end": "2026-10-10"})
    assert cfg.period is None and cfg.periods().key == "2026-10-01_2026-10-10"


@pytest.mark.slow
def test_cli_validate_bad_params_exits_2_without_traceback(tmp_path):
    path = write(tmp_path, {**GOOD, "currency": "euro"})
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "validate", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "key 'currency'" in proc.stderr and "fix:" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.slow
def test_cli_validate_good_params_exits_0(root):
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "validate", "--all"],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("ok") == 3


def test_runner_parameters_are_complete_and_never_filled_from_another_file(root):
    # params/acme_outdoor.yaml has custom_kpis and kpis; a run that says params_file=""
    # must not pick them up.
    cfg = config.from_notebook({"client_id": "acme_outdoor", "client_name": "Other",
                                "business_model": "leadgen", "period": "2026-10",
                                "currency": "GBP", "params_file": ""})
    assert cfg.custom_kpis == [] and cfg.kpis is None and cfg.business_model == "leadgen"
