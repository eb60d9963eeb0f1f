"""The command line: parses options and calls one library function each.

Exit status: 0 all succeeded, 1 some client failed, 2 bad usage or bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import config as _config
from .errors import InputError


def _params_files(params: tuple[str, ...], all_: bool) -> list[Path]:
    if all_:
        files = sorted(_config.resolve_path("params").glob("*.yaml"))
        if not files:
            raise click.UsageError("--all found no params/*.yaml files")
        return files
    if not params:
        raise click.UsageError("name one or more params files, or use --all")
    return [Path(p) for p in params]


def _run_many(files: list[Path], out: str, pdf: bool = False) -> int:
    from tqdm import tqdm

    from .overview import write_overviews
    from .render import render_client
    worst = 0
    bar = tqdm(files, desc="reports", unit="client", file=sys.stderr, disable=None)
    for path in bar:
        bar.set_postfix_str(path.stem)
        result = render_client(path, out=out, pdf=pdf)
        if result.status == "ok":
            tqdm.write(f"ok      {result.client_id:<24} {result.duration_s:6.1f}s  {result.outputs['html']}")
        else:
            tqdm.write(f"FAILED  {result.client_id:<24} {result.duration_s:6.1f}s  {result.error}")
            worst = max(worst, result.exit_code)
    write_overviews(out)  # reports/<period>/index.html: the agency overview
    return worst


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportkit")
def main():
    """reportkit: monthly client reports from marketing data.

    \b
    reportkit demo                  generate the demo data and render every demo client
    reportkit run PARAMS... | --all execute the notebook and export HTML per client
    reportkit validate PARAMS...    check params and inputs, change nothing
    reportkit pull PARAMS... | --all fill the warehouse (GA4 pulls) ahead of a run
    """


def _check_pdf(pdf: bool) -> None:
    """Fail before any work when a PDF is asked for and Chromium is missing (exit status 2)."""
    if pdf:
        from .pdf import ChromiumMissing, find_chromium
        try:
            find_chromium()
        except ChromiumMissing as error:
            click.echo(f"ERROR   {error}", err=True)
            sys.exit(error.exit_code)


PDF_HELP = "Also print <client_id>.pdf with headless Chromium (paper from params pdf.paper)."


@main.command()
@click.option("--out", default="reports", show_default=True, help="Output folder.")
@click.option("--pdf", is_flag=True, help=PDF_HELP)
def demo(out, pdf):
    """Generate the embedded demo data (if missing) and render all demo clients."""
    from .sources.demo import DEMO_CLIENTS, ensure_demo_data
    for client_id in DEMO_CLIENTS:
        ensure_demo_data(client_id)
    files = [_config.resolve_path(f"params/{c}.yaml") for c in DEMO_CLIENTS]
    _check_pdf(pdf)
    sys.exit(_run_many(files, out, pdf))


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
@click.option("--out", default="reports", show_default=True, help="Output folder.")
@click.option("--pdf", is_flag=True, help=PDF_HELP)
def run(params, all_, out, pdf):
    """Execute the report notebook for each client and export HTML, notebook and sidecar JSON."""
    _check_pdf(pdf)
    sys.exit(_run_many(_params_files(params, all_), out, pdf))


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
def validate(params, all_):
    """Check params files and their input data; write nothing."""
    from . import sources, worklog
    from .branding import logo_data_uri
    worst = 0
    for path in _params_files(params, all_):
        try:
            cfg = _config.load(path)
            logo_data_uri(cfg.agency)  # the logo file exists and is an image
            data = sources.load(cfg, cfg.periods())
            worklog.build(cfg, cfg.periods())  # the work log, plan, action items, communication
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
    from .errors import ReportkitError
    from .warehouse import pull as pull_client
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


if __name__ == "__main__":
    main()
