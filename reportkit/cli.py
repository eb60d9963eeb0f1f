"""The command line: parses options and calls one library function each.

Exit status: 0 all succeeded, 1 some client failed, 2 bad usage or bad input.
"""

from __future__ import annotations

import gc
import glob
import os
import sys
from pathlib import Path

import click

from reportkit import config as _config
from reportkit.errors import InputError
from reportkit.paths import resolve_path


def _params_files(params: tuple[str, ...], all_: bool) -> list[Path]:
    if all_:
        files = sorted(resolve_path("params").glob("*.yaml"))
        if not files:
            raise click.UsageError("--all found no params/*.yaml files")
        return files
    if not params:
        raise click.UsageError("name one or more params files, or use --all")
    files = []
    for p in params:  # a quoted glob ('params/acme_*.yaml') is expanded here
        matches = sorted(glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
        if not matches:
            raise click.UsageError(f"{p} matches no params file")
        files += [Path(m) for m in matches]
    return files


def _run_many(files: list[Path], out: str, **options) -> None:
    """Run the batch and exit with its status, skipping the interpreter's teardown.

    Everything is written by then (outputs atomically, the manifest and the index), so the
    ~0.5-0.7 s Python spends unloading the ~1,700 modules a batch imports buys nothing:
    the streams are flushed and the process exits at once (``os._exit``)."""
    from reportkit.run.batch import run_batch
    code = run_batch(files, out=out, **options).exit_code
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`reportkit run ... | head`)
            pass
    os._exit(code)


def _batch_options(command):
    """Options shared by `run` and `demo`: parallelism, engine, limits, resume, Dask."""
    from reportkit.run.batch import CELL_TIMEOUT_S, DEFAULT_ENGINE, ENGINES, REPORT_TIMEOUT_S
    options = [
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Clients rendered at once [default: the machine's cores]."),
        click.option("--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
                     help="fast: forked in-process execution; kernel: a Jupyter kernel per client."),
        click.option("--timeout", "report_timeout_s", type=float, default=REPORT_TIMEOUT_S, show_default=True,
                     help="Wall-clock limit per report, seconds."),
        click.option("--cell-timeout", "cell_timeout_s", type=float, default=CELL_TIMEOUT_S, show_default=True,
                     help="Limit per notebook cell, seconds."),
        click.option("--notebook", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Template notebook [default: notebooks/client_report.ipynb]."),
        click.option("--resume", is_flag=True, help="Re-run only clients that failed or have no output."),
        click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="Run each client as a task on this dask.distributed scheduler."),
        click.option("--dask", "dask_local", type=click.Choice(["local"]), default=None,
                     help="Start a local Dask cluster (LocalCluster) and run each client as a task."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportkit")
@click.pass_context
def main(ctx):
    """reportkit: monthly client reports from marketing data.

    \b
    reportkit demo                  generate the demo data and render every demo client
    reportkit run PARAMS... | --all execute the notebook and export HTML per client
    reportkit validate PARAMS...    check params and inputs, change nothing
    reportkit pull PARAMS... | --all fill the warehouse (GA4 pulls) ahead of a run
    """
    if ctx.invoked_subcommand not in ("run", "demo"):
        gc.enable()  # reportkit.entry started with it off; a batch turns it on itself


def _check_pdf(pdf: bool) -> None:
    """Fail before any work when a PDF is asked for and Chromium is missing (exit status 2)."""
    if pdf:
        from reportkit.deliver.pdf import ChromiumMissing, find_chromium
        try:
            find_chromium()
        except ChromiumMissing as error:
            click.echo(f"ERROR   {error}", err=True)
            sys.exit(error.exit_code)


PDF_HELP = "Also print <client_id>.pdf with headless Chromium (paper from params pdf.paper)."


@main.command()
@click.option("--out", default="reports", show_default=True, help="Output folder.")
@click.option("--pdf", is_flag=True, help=PDF_HELP)
@_batch_options
def demo(out, pdf, **options):
    """Generate the embedded demo data (if missing) and render all demo clients."""
    from reportkit.sources.demo import DEMO_CLIENTS, ensure_demo_data
    for client_id in DEMO_CLIENTS:
        ensure_demo_data(client_id)
    files = [resolve_path(f"params/{c}.yaml") for c in DEMO_CLIENTS]
    _check_pdf(pdf)
    _run_many(files, out, pdf=pdf, **options)


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
@click.option("--out", default="reports", show_default=True, help="Output folder.")
@click.option("--pdf", is_flag=True, help=PDF_HELP)
@_batch_options
def run(params, all_, out, pdf, **options):
    """Execute the report notebook for each client and export HTML, notebook and sidecar JSON.

    Clients run in parallel, each in its own process; reports/<period>/manifest.json records
    every client's status, duration, outputs, error and data freshness.
    """
    _check_pdf(pdf)
    _run_many(_params_files(params, all_), out, pdf=pdf, **options)


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
def validate(params, all_):
    """Check params files and their input data; write nothing."""
    from reportkit import sources
    from reportkit.work import sections
    from reportkit.present.branding import logo_data_uri
    worst = 0
    for path in _params_files(params, all_):
        try:
            cfg = _config.load(path)
            logo_data_uri(cfg.agency)  # the logo file exists and is an image
            data = sources.load(cfg, cfg.periods())
            sections.build(cfg, cfg.periods())  # the work log, plan, action items, communication
            click.echo(f"ok      {path}  ({len(data.facts):,} rows, {data.origin})")
        except InputError as error:
            click.echo(f"INVALID {error}", err=True)
            worst = max(worst, error.exit_code)
    sys.exit(worst)


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
@click.option("--refresh", is_flag=True, help="Pull again even where the warehouse has fresh data.")
def pull(params, all_, refresh):
    """Fill the DuckDB warehouse with each client's API pulls ahead of a run."""
    from reportkit.errors import ReportkitError
    from reportkit.sources import pull as pull_client
    worst = 0
    for path in _params_files(params, all_):
        try:
            done = pull_client(_config.load(path), refresh=refresh)
            click.echo(f"ok      {done['client_id']:<24} pulled {done['pulled']}, cached "
                       f"{done['cached']}, {done['rows']:,} rows  ({done['origin']})")
        except ReportkitError as error:
            click.echo(f"FAILED  {path}: {error}", err=True)
            worst = max(worst, error.exit_code)
    sys.exit(worst)


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
@click.option("--refresh", is_flag=True, help="Pull API sources again instead of using the warehouse.")
def facts(params, all_, refresh):
    """Write data/facts/<client_id>.duckdb: each client's canonical facts for SQL (README: Query the facts)."""
    from reportkit.deliver import facts_db
    from reportkit.errors import ReportkitError
    worst = 0
    for path in _params_files(params, all_):
        try:
            where, rows = facts_db.write(_config.load(path), refresh=refresh)
            click.echo(f"ok      {where.stem:<24} {rows:,} rows  {where}")
        except ReportkitError as error:
            click.echo(f"FAILED  {path}: {error}", err=True)
            worst = max(worst, error.exit_code)
    sys.exit(worst)


if __name__ == "__main__":
    main()
