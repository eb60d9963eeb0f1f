"""`reportkit init` scaffolds a project that validates as it is; `reportkit demo` adds the demo
clients to a folder without them; the kit's files come from the project, else the package."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reportkit import config, paths, sources
from reportkit.cli import main
from reportkit.scaffold import EXAMPLE_CLIENT, add_demo_clients, demo_files, init_project
from reportkit.sources.demo import DEMO_CLIENTS
from reportkit.work import sections

SCAFFOLD = {f"params/{EXAMPLE_CLIENT}.yaml", ".gitignore", "README.md", "notes/README.md",
            f"data/{EXAMPLE_CLIENT}/facts.csv", f"data/{EXAMPLE_CLIENT}/users.csv"}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_init_writes_a_project_whose_example_client_validates(tmp_path, monkeypatch):
    project = tmp_path / "agency"
    written = init_project(project)
    assert {p.relative_to(project).as_posix() for p in written} == SCAFFOLD == _files(project)
    assert (project / "data").is_dir() and (project / "notes").is_dir()
    ignored = (project / ".gitignore").read_text().splitlines()
    assert "reports/" in ignored and "data/warehouse*.duckdb*" in ignored and "data/demo/" in ignored
    readme = (project / "README.md").read_text()
    assert "reportkit validate --all" in readme and "reportkit run --all" in readme
    params = (project / "params" / f"{EXAMPLE_CLIENT}.yaml").read_text()
    assert params.count("\n#") >= 10  # commented for a newcomer

    # what `reportkit validate` checks, with the project as the root
    monkeypatch.setenv("REPORTKIT_ROOT", str(project))
    cfg = config.load(project / "params" / f"{EXAMPLE_CLIENT}.yaml")
    data = sources.load(cfg, cfg.periods())
    sections.build(cfg, cfg.periods())
    assert cfg.client_id == EXAMPLE_CLIENT and cfg.periods().key == "2026-10"
    # the sample covers October (31 days) and the same month last year: every day has rows
    days = data.facts["date"].dt.normalize()
    assert days.between("2026-10-01", "2026-10-31").sum() > 0
    assert days[days.between("2026-10-01", "2026-10-31")].nunique() == 31
    assert days[days.between("2025-10-01", "2025-10-31")].nunique() == 31


def test_init_refuses_to_overwrite_with_exit_status_2_unless_forced(tmp_path):
    project = tmp_path / "agency"
    project.mkdir()
    (project / "README.md").write_text("ours\n")
    runner = CliRunner()
    refused = runner.invoke(main, ["init", str(project)])
    assert refused.exit_code == 2
    assert "already has README.md" in refused.output and "--force" in refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert _files(project) == {"README.md"} and (project / "README.md").read_text() == "ours\n"  # nothing written

    forced = runner.invoke(main, ["init", str(project), "--force", "--with-notebook"])
    assert forced.exit_code == 0, forced.output
    assert _files(project) == SCAFFOLD | {paths.TEMPLATE_NOTEBOOK}
    assert (project / "README.md").read_text() != "ours\n"
    template = paths.packaged_root() / paths.TEMPLATE_NOTEBOOK
    assert (project / paths.TEMPLATE_NOTEBOOK).read_bytes() == template.read_bytes()


def test_init_refuses_a_file_as_the_folder(tmp_path):
    (tmp_path / "taken").write_text("")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "taken")])
    assert result.exit_code == 2


def test_demo_clients_are_added_to_an_empty_folder_and_existing_files_kept(tmp_path):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "acme_outdoor.yaml").write_text("# the agency's own\n")
    written = add_demo_clients(tmp_path)
    assert len(written) == len(demo_files()) - 1
    assert (tmp_path / "params" / "acme_outdoor.yaml").read_text() == "# the agency's own\n"
    for client_id in DEMO_CLIENTS:
        assert (tmp_path / "params" / f"{client_id}.yaml").is_file()
        assert any((tmp_path / "data" / "work" / client_id).iterdir())
    assert (tmp_path / "assets" / "northstar_logo.svg").is_file()
    assert add_demo_clients(tmp_path) == []  # a second time: nothing to add


def test_kit_files_come_from_the_project_else_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTKIT_ROOT", str(tmp_path))
    packaged = paths.packaged_root()
    assert paths.kit_path(paths.TEMPLATE_NOTEBOOK) == packaged / paths.TEMPLATE_NOTEBOOK
    assert paths.kit_path(paths.BENCHMARKS) == packaged / paths.BENCHMARKS
    (tmp_path / "notebooks").mkdir()
    (tmp_path / paths.TEMPLATE_NOTEBOOK).write_text("{}")
    assert paths.kit_path(paths.TEMPLATE_NOTEBOOK) == tmp_path / paths.TEMPLATE_NOTEBOOK
    # neither has it: the project's path, so an error names where the user would put it
    assert paths.kit_path("data/nowhere") == tmp_path / "data" / "nowhere"


def test_version_has_one_home():
    import reportkit
    result = CliRunner().invoke(main, ["--version"])
    assert result.output.strip() == f"reportkit, version {reportkit.__version__}"
