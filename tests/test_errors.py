"""Errors say where, what and the fix, and survive pickling (workers and Dask hand them back)."""

import pickle

import pytest

from reportkit.errors import ConfigError, DataError, InputError, RenderError, SourceError


@pytest.mark.parametrize("error", [
    ConfigError("params/acme.yaml: key 'period'", "'2026-13' is not a month", "write YYYY-MM"),
    DataError("data/acme.csv: row 3, column 'cost'", "negative value -1.0"),
    SourceError("GA4 property 123", "the daily token quota is used up", "retry after midnight Pacific"),
    InputError("key 'pdf.paper'", "unknown paper size 'A5'", "use A4 or Letter"),
    RenderError("acme", "cell 6 failed: KeyError: 'sessions'", cell_index=6),
])
def test_errors_survive_pickling_with_every_part(error):
    error.kept_at("reports/2026-10/acme.failed.ipynb")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert back.exit_code == error.exit_code and vars(back) == vars(error)
    assert str(back).endswith("\n  failed notebook kept at: reports/2026-10/acme.failed.ipynb")


def test_located_error_text():
    error = ConfigError("params/acme.yaml: key 'currency'", "required key is missing", "add currency: EUR")
    assert str(error) == "params/acme.yaml: key 'currency': required key is missing\n  fix: add currency: EUR"
    assert (error.where, error.problem, error.fix, error.exit_code) == (
        "params/acme.yaml: key 'currency'", "required key is missing", "add currency: EUR", 2)
    assert str(SourceError("GA4", "down")) == "GA4: down" and SourceError("GA4", "down").exit_code == 1
    assert str(RenderError("acme", "cell 2 failed: X")) == "acme: cell 2 failed: X"
