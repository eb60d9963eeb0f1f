"""Bad input, by class: each answered by `reportkit validate` (the real CLI, in-process) with exit
status 2 and one message naming the file and the key, row or column, and the fix; what is
acceptable (a BOM, Latin-1 or UTF-16 data that decodes) passes."""

import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from reportkit.cli import main
from reportkit.run.batch import plan


def _params(folder, client_id="acme", facts=None, **extra):
    values = {"client_id": client_id, "client_name": "Acme", "business_model": "ecommerce",
              "period": "2024-03", "currency": "EUR", **extra}
    if facts is not None:
        values["source"] = {"type": "csv", "path": str(facts)}
    path = folder / f"{client_id}.yaml"
    path.write_text(yaml.safe_dump(values, allow_unicode=True))
    return path


def _validate(*paths):
    result = CliRunner().invoke(main, ["validate", *map(str, paths)])
    return result.exit_code, result.output


def _invalid(path, *words):
    code, output = _validate(path)
    assert code == 2, output
    assert "Traceback" not in output and str(path) in output and "fix:" in output, output
    for word in words:
        assert word in output, output
    assert len(output) < 2000  # the message quotes no whole input
    return output


def test_size_and_alias_limits_fail_in_seconds(tmp_path, python_bin):
    laughs = tmp_path / "laughs.yaml"  # 9 levels of 9 aliases: 9**9 = 387,420,489 strings if expanded
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    laughs.write_text("\n".join(lines) + "\n")
    big = _params(tmp_path, "big")
    big.write_text(big.read_text() + "# " + "x" * 1_100_000 + "\n")
    # a subprocess with a timeout: without the limits this would grow for minutes, not fail
    proc = subprocess.run([python_bin, "-m", "reportkit.cli", "validate", str(laughs), str(big)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "expands to more than 100,000 values through YAML aliases" in proc.stderr
    assert "bytes; a params file may have at most 1,000,000" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("key,value,words", [
    ("client_name", "A" * 50_000, ["client_name", "50,000 characters"]),
    ("client_name", "Acme\x00Outdoor", ["client_name", "U+0000"]),
    ("client_name", "Acme\x0bOutdoor", ["U+000B"]),
    ("client_name", "Acme \u202eroodtuO", ["U+202E"]),  # an unterminated right-to-left override
    ("agency", {"name": "B" * 10_000}, ["agency.name", "at most 200"]),
])
def test_text_limits_and_control_characters(tmp_path, key, value, words):
    _invalid(_params(tmp_path, **{key: value}), *words)


@pytest.mark.parametrize("extra,words", [
    ({"client_id": "a" * 240}, ["client_id", "at most 64"]),
    ({"currency": "EUO"}, ["currency", "ISO 4217"]),
    ({"budget": {"channels": {"Paid Search": -100}}}, ["budget.channels", "greater than or equal to 0"]),
])
def test_values_that_would_break_later_fail_at_validate(tmp_path, extra, words):
    _invalid(_params(tmp_path, **extra), *words)


def test_a_custom_kpi_over_a_measure_the_data_lacks_fails_at_validate(tmp_path, small_facts):
    # a typo ('revenu') is neither a known measure nor a column of the data
    custom = [{"key": "rps", "label": "Revenue per session", "numerator": "revenu", "denominator": "sessions"}]
    _invalid(_params(tmp_path, facts=small_facts, custom_kpis=custom), "custom_kpis", "KPI 'rps'", "needs revenu")


def test_unreadable_params_text(tmp_path):
    cp1252 = tmp_path / "cp.yaml"
    cp1252.write_bytes(_params(tmp_path, client_name="Café").read_text(encoding="utf-8")
                       .encode("cp1252"))
    _invalid(cp1252, "is not UTF-8 text", "line", "save the file as UTF-8")
    tab = tmp_path / "tab.yaml"
    tab.write_text(_params(tmp_path).read_text() + "source:\n\ttype: demo\n")
    _invalid(tab, "tab character", "line 7")


def _facts(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "date,channel,campaign,sessions,conversions,transactions,revenue,impressions,clicks,cost\n"
ROW = "2024-03-01,Paid Search,Été,100,5,5,500,1000,50,100\n"


@pytest.mark.parametrize("text,words", [
    (HEADER, ["no data for the report period 2024-03-01 to 2024-03-31", "has no rows"]),
    ("", ["the data file is empty"]),
    (HEADER + ROW.replace("2024-03-01", "2023-01-05"), ["no data for the report period", "2023-01-05"]),
    (HEADER + ROW.replace(",100\n", ",1e308\n"), ["row 1, column 'cost'", "out of range"]),
    (HEADER + ROW.replace("Été", "Sum\x00mer"), ["row 1, column 'campaign'", "control character"]),
    (HEADER + ROW.replace("Été", "Sale \u202e%05-"), ["row 1, column 'campaign'", "control character"]),
])
def test_data_that_would_render_a_wrong_report(tmp_path, text, words):
    facts = _facts(tmp_path / "facts.csv", text)
    output = _invalid(_params(tmp_path, facts=facts), *words)
    assert facts.name in output  # the data file, beside the params file


def test_period_in_the_future_has_no_data(tmp_path):
    facts = _facts(tmp_path / "facts.csv", HEADER + ROW)
    _invalid(_params(tmp_path, facts=facts, period="2031-05"), "no data for the report period 2031-05-01")


def test_csv_field_over_the_limit_names_the_line(tmp_path):
    export = tmp_path / "ads.csv"
    export.write_text("Day,Campaign,Cost\n2024-03-01,A,1\n2024-03-02,\"" + "x" * 200_000 + "\",2\n")
    path = _params(tmp_path, sources=None, source={"type": "file", "path": str(export)})
    _invalid(path, "line", "field larger than field limit")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1", "utf-16"])
def test_data_in_an_encoding_that_decodes_is_read(tmp_path, encoding):
    facts = _facts(tmp_path / "facts.csv", HEADER + ROW, encoding)
    code, output = _validate(_params(tmp_path, facts=facts))
    assert code == 0 and "ok " in output and "1 rows" in output, output


def test_one_bad_params_file_and_duplicate_ids_never_stop_the_batch(tmp_path, small_facts):
    good = _params(tmp_path, "good", facts=small_facts)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"client_id: bad\nclient_name: \xff\xfe\n")
    twin_a = _params(tmp_path, "twin", facts=small_facts)
    twin_b = tmp_path / "twin_copy.yaml"
    twin_b.write_text(twin_a.read_text())
    jobs, failed, skipped = plan([good, bad, twin_a, twin_b], tmp_path / "reports")
    assert [j.client_id for j in jobs] == ["good"] and not skipped
    errors = {r.params.rsplit("/", 1)[-1]: r for r in failed}
    assert sorted(errors) == ["bad.yaml", "twin.yaml", "twin_copy.yaml"]
    assert all(r.exit_code == 2 for r in failed)
    assert "is also the client_id of" in errors["twin.yaml"].error and "twin_copy.yaml" in errors["twin.yaml"].error


def test_goal_scope_typo_fails_at_validate_naming_the_params_file(tmp_path):
    facts = _facts(tmp_path / "facts.csv", HEADER + ROW)
    goal = {"id": "grow_paid", "name": "Grow paid search", "kpi": "sessions", "start": "2024-01-01",
            "deadline": "2024-12-31", "target": 200, "scope": {"channel": "Paid Serch"}}
    _invalid(_params(tmp_path, facts=facts, goals=[goal]), "goal 'grow_paid'", "Paid Serch", "no row")


@pytest.mark.slow
def test_the_longest_accepted_names_render(tmp_path, small_facts):
    """At the limits: a 200-character name without spaces, a 200-character goal name, right-to-left
    text; the report renders, the page wraps the name and isolates it (style.css)."""
    from reportkit.run.render import render_client
    goal = {"id": "grow", "name": "Grow sessions " + "g" * 186, "kpi": "sessions", "start": "2024-01-01",
            "deadline": "2024-12-31", "target": 500}
    path = _params(tmp_path, facts=small_facts, client_name="N" * 200,
                   agency={"name": "وكالة التسويق"}, goals=[goal])
    result = render_client(path, out=tmp_path / "reports", engine="reportkit-inprocess")
    assert result.status == "ok", result.error
    html = (tmp_path / "reports" / "2024-03" / "acme.html").read_text()
    assert "N" * 200 in html and "overflow-wrap: anywhere" in html and "unicode-bidi: isolate" in html
    assert "\x00" not in html


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
