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

from reportkit import __version__, config as _config
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
                     help="Template notebook [default: the project's notebooks/client_report.ipynb, "
                          "else the packaged template]."),
        click.option("--resume", is_flag=True, help="Re-run only clients that failed, have no output or whose "
                     "inputs changed (what every run does; kept for scripts)."),
        click.option("--force", is_flag=True, help="Render every client, also those whose inputs are unchanged "
                     "since their last successful run."),
        click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="Run each client as a task on this dask.distributed scheduler."),
        click.option("--dask", "dask_local", type=click.Choice(["local"]), default=None,
                     help="Start a local Dask cluster (LocalCluster) and run each client as a task."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportkit")
@click.pass_context
def main(ctx):
    """reportkit: monthly client reports from marketing data.

    \b
    reportkit init DIR              scaffold an agency project (params, data, notes)
    reportkit demo                  generate the demo data and render every demo client
    reportkit run PARAMS... | --all execute the notebook and export HTML per client
    reportkit validate PARAMS...    check params and inputs, change nothing
    reportkit pull PARAMS... | --all fill the warehouse (API pulls) ahead of a run
    reportkit review --period P     what needs a person before the reports go out
    reportkit approve CLIENT... --period P   approve reports for sending (--all-clean)
    reportkit send --period P       e-mail every approved, unsent report
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
    """Generate the embedded demo data (if missing) and render all demo clients.

    In a folder without them (an empty one too) it first writes the demo clients' params,
    work files and logo there; existing files are kept."""
    from reportkit.paths import project_root
    from reportkit.scaffold import add_demo_clients
    from reportkit.sources.demo import DEMO_CLIENTS, ensure_demo_data
    root = project_root()
    written = add_demo_clients(root)
    if written:
        click.echo(f"wrote the demo clients' params and work files ({len(written)} files) to {root}", err=True)
    for client_id in DEMO_CLIENTS:
        ensure_demo_data(client_id)
    files = [resolve_path(f"params/{c}.yaml") for c in DEMO_CLIENTS]
    _check_pdf(pdf)
    _run_many(files, out, pdf=pdf, **options)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option("--with-notebook", is_flag=True,
              help="Also copy the template notebook to notebooks/client_report.ipynb, to customise.")
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def init(folder, with_notebook, force):
    """Scaffold an agency project in FOLDER [default: here]: params/ with an example client,
    data/, notes/, a .gitignore for reports and caches, a README of the monthly routine."""
    from reportkit.scaffold import init_project
    try:
        written = init_project(folder, with_notebook=with_notebook, force=force)
    except InputError as error:
        click.echo(f"ERROR   {error}", err=True)
        sys.exit(error.exit_code)
    root = Path(folder).expanduser().resolve()
    for path in written:
        click.echo(f"wrote   {path.relative_to(root)}")
    hop = "" if root == Path.cwd().resolve() else f"cd {folder} && "
    click.echo(f"\nnext:   {hop}reportkit validate --all && reportkit run --all")


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
@click.option("--out", default="reports", show_default=True, help="Output folder.")
@click.option("--pdf", is_flag=True, help=PDF_HELP)
@click.option("--period", default=None, metavar="PERIOD",
              help="Every client's period for this batch: YYYY-MM, last-month, last-quarter or month-to-date.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Every client's report date; relative periods are resolved as of it [default: each "
                   "client's as_of, else today].")
@_batch_options
def run(params, all_, out, pdf, period, as_of, **options):
    """Execute the report notebook for each client and export HTML, notebook and sidecar JSON.

    Clients run in parallel, each in its own process; reports/<period>/manifest.json records
    every client's status, duration, outputs, error and data freshness.
    """
    _check_pdf(pdf)
    _check_period(period)
    _run_many(_params_files(params, all_), out, pdf=pdf, period=period,
              as_of=as_of.date() if as_of else None, **options)


def _check_period(period: str | None) -> None:
    """A --period that is neither a month nor a relative period fails before any work (exit 2)."""
    from reportkit.core.periods import check_period
    if period is not None:
        try:
            check_period(period)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from None


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
def validate(params, all_):
    """Check params files and their input data; write nothing."""
    from reportkit import sources
    from reportkit.core import kpi_fit
    from reportkit.work import sections
    from reportkit.present.branding import logo_data_uri
    worst = 0
    for path in _params_files(params, all_):
        try:
            cfg = _config.load(path)
            logo_data_uri(cfg.agency)  # the logo file exists and is an image
            data = sources.load(cfg, cfg.periods())
            from reportkit.sources.checks import check_period_has_data
            check_period_has_data(data.facts, cfg.periods().current, f"{path}: {data.origin}")
            from reportkit.analysis.goals import scoped
            for goal in cfg.goals:  # a scope that matches no row of the data (a typo) fails here, not at run
                scoped(data.facts, goal.scope, where=f"{path}: goal '{goal.id}'")
            sections.build(cfg, cfg.periods())  # the work log, plan, action items, communication
            click.echo(f"ok      {path}  ({len(data.facts):,} rows, {data.origin})")
            for line in data.columns:        # what a file source read: columns used and ignored
                click.echo(f"        {line}")
            kpi_note = kpi_fit.for_client(cfg, data.facts, data.users).note()
            for note in [n["message"] for n in data.findings] + ([kpi_note] if kpi_note else []):
                click.echo(f"        note: {note}")   # total rows skipped, rows summed, KPIs left out
        except InputError as error:  # named by its params file, whatever part of it failed (the logo, data)
            click.echo(f"INVALID {error}" if str(path) in str(error) else f"INVALID {path}: {error}", err=True)
            worst = max(worst, error.exit_code)
    sys.exit(worst)


@main.command()
@click.argument("params", nargs=-1, type=click.Path())
@click.option("--all", "all_", is_flag=True, help="Every params/*.yaml file.")
@click.option("--refresh", is_flag=True, help="Pull again even where the warehouse has fresh data.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Clients pulled at the same time (each platform's per-account cap still holds).")
def pull(params, all_, refresh, workers):
    """Fill the DuckDB warehouse with each client's API pulls ahead of a run.

    Shows progress, and at the end the API calls made and the quota left per source.
    """
    from tqdm import tqdm

    from reportkit.run.pull import pull_many, quota_words, summary
    files = _params_files(params, all_)
    worst, results = 0, []
    with tqdm(total=len(files), desc="pull", unit="client", file=sys.stderr) as bar:
        for done in pull_many(files, refresh=refresh, workers=workers):
            bar.update(1)
            if "error" in done:
                bar.write(f"FAILED  {done['path']}: {done['error']}", file=sys.stderr)
                worst = max(worst, done["error"].exit_code)
                continue
            results.append(done)
            bar.write(f"ok      {done['client_id']:<24} pulled {done['pulled']}, cached "
                      f"{done['cached']}, {done['calls']} calls, {done['rows']:,} rows  "
                      f"({done['origin']})")
    for kind, s in summary(results).items():
        click.echo(f"{kind:<15} {s['calls']} calls, {s['pulls']} pulled, {s['cached']} cached; "
                   f"{quota_words(kind, s['quota'])}")
    sys.exit(worst)


# ---------------------------------------------------------------- review, approve, send
def _period_dir(out: str, period: str, as_of) -> Path:
    """The reports folder of ``--period`` (YYYY-MM, START_END, or last-month & co. as of
    ``--as-of``/today); a folder that does not exist is bad input (exit status 2)."""
    from datetime import date
    from reportkit.core import periods as _periods
    name = period
    if _periods.relative_name(period):
        try:
            name = (_relative_folder(period, as_of.date()) if as_of
                    else _params_relative_folder(period) or _relative_folder(period, date.today()))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from None
    folder = Path(out) / name
    if not folder.is_dir():
        raise click.BadParameter(f"no reports folder {folder}: run `reportkit run --all --period {period}` "
                                 "first, or check --out", param_hint="--period")
    return folder


def _relative_folder(period: str, as_of) -> str:
    """The reports folder name of a relative period as of ``as_of`` (YYYY-MM or START_END)."""
    from reportkit.core import periods as _periods
    month, start, end = _periods.resolve_relative(period, as_of)
    return month or f"{start.isoformat()}_{end.isoformat()}"


def _params_relative_folder(period: str) -> str | None:
    """Without --as-of: the folder ``run --all --period <relative>`` wrote, i.e. the period as
    of each params/*.yaml's own ``as_of`` (today for one without); None unless every readable
    params file gives the same folder (then today decides, as before)."""
    from datetime import date
    from reportkit.config.overrides import _as_date
    folders = set()
    for path in sorted(resolve_path("params").glob("*.yaml")):
        try:
            values = _config.read_params(path)
        except InputError:
            continue   # an unreadable params file says so when it is run; it has no report here
        own = _as_date(values.get("as_of")) if isinstance(values, dict) else None
        folders.add(_relative_folder(period, own or date.today()))
    return folders.pop() if len(folders) == 1 else None


def _delivery_options(command):
    options = [
        click.option("--period", required=True, metavar="PERIOD",
                     help="The reports' period: YYYY-MM (or START_END), last-month, last-quarter, month-to-date."),
        click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
                     help="Resolve a relative --period as of this date [default: the params' "
                          "as_of, when every params/*.yaml gives the same period; else today]."),
        click.option("--out", default="reports", show_default=True, help="The reports folder."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@_delivery_options
def review(period, as_of, out):
    """List what needs a person before sending: holds with reasons, goal status changes since
    last period, the largest moves, and the summary's diff against last period's.

    Exit status 1 when a client's run failed or a send failed or was refused."""
    from reportkit.deliver.review import lines, review as review_period
    folder = _period_dir(out, period, as_of)
    items = review_period(folder)
    for line in lines(items, folder):
        click.echo(line)
    bad = any(i.state == "failed" or (i.life and (i.life.last_error or (i.life.sent and i.life.sent[-1].get("refused"))))
              for i in items)
    sys.exit(1 if bad else 0)


@main.command()
@click.argument("clients", nargs=-1)
@_delivery_options
@click.option("--by", default=None, metavar="NAME", help="Who approves [default: the login name].")
@click.option("--all-clean", is_flag=True, help="Approve every report that has no hold.")
def approve(clients, period, as_of, out, by, all_clean):
    """Approve reports for sending, bound to their content: a re-render that changes a report
    needs approval again. Held reports are approved only by name."""
    from reportkit.deliver.approval import approve as approve_reports
    if not clients and not all_clean:
        raise click.UsageError("name the clients to approve, or use --all-clean")
    folder = _period_dir(out, period, as_of)
    worst = 0
    outcomes = approve_reports(folder, list(clients), by=by, all_clean=all_clean)
    for outcome in outcomes:
        click.echo(f"{'ok' if outcome.ok else 'REFUSED':<8}{outcome.client_id:<24} {outcome.message}",
                   err=not outcome.ok)
        worst = max(worst, outcome.exit_code)
    if not outcomes:
        click.echo("nothing to approve: every report has a hold or its run failed (see reportkit review)")
    _cockpit(folder)
    sys.exit(worst)


def _cockpit(folder: Path) -> None:
    """Write the period's cockpit again (index.html) so it shows the new approvals and sends."""
    from reportkit.deliver.overview import write_overview
    click.echo(f"cockpit {write_overview(folder)}")


@main.command()
@_delivery_options
@click.option("--resend", multiple=True, metavar="CLIENT", help="Send this client's report again, on purpose "
              "(repeatable).")
@click.option("--dry-run", is_flag=True, help="Write each message to <period>/outbox/<client>.eml; send nothing.")
def send(period, as_of, out, resend, dry_run):
    """E-mail every approved, unsent report of the period (recipients from params `delivery`).

    \b
    REPORTKIT_SMTP_URL  smtp://user:pass@host:587 (STARTTLS when offered), smtps://user:pass@host,
                        or smtp://host:25 (no login)
    REPORTKIT_MAIL_FROM the sender, e.g. 'Agency <reports@agency.example>' [default: agency.email]

    A report is sent once: a send that was killed resumes without duplicates."""
    from reportkit.deliver.send import send_period
    from reportkit.errors import InputError
    folder = _period_dir(out, period, as_of)
    try:
        outcomes = send_period(folder, tuple(resend), dry_run=dry_run, say=click.echo)
    except InputError as error:
        click.echo(f"ERROR   {error}", err=True)
        sys.exit(2)
    if not dry_run:
        _cockpit(folder)
    failed = [o for o in outcomes if o.exit_code]
    count = {status: sum(o.status == status for o in outcomes)
             for status in ("sent", "refused_some", "dry_run", "skipped", "failed")}
    click.echo(f"{count['sent'] + count['refused_some']} sent ({count['refused_some']} with refused recipients), "
               f"{count['dry_run']} written (dry run), {count['skipped']} skipped, {count['failed']} failed")
    sys.exit(0 if not failed else 2 if all(o.exit_code == 2 for o in failed) else 1)


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
