"""Agency projects on disk: ``reportkit init`` scaffolds one, ``reportkit demo`` adds the demo
clients to one.

A project is the folder relative paths in params point at (:func:`reportkit.paths.project_root`):
``params/`` (a YAML file per client), ``data/`` (inputs), ``notes/``, ``reports/`` (outputs). The
kit's own files (template notebook, benchmark tables) come from the package unless the project
has its own copy (:func:`reportkit.paths.kit_path`). Nothing here replaces an existing file
unless ``force`` is given.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reportkit.errors import InputError
from reportkit.paths import (DEMO_ASSETS, DEMO_PARAMS, DEMO_WORK, TEMPLATE_NOTEBOOK, packaged_root,
                             write_atomic)
from reportkit.sources.demo import DEMO_CLIENTS, generate

EXAMPLE_CLIENT = "example_client"

EXAMPLE_PARAMS = f"""\
# An example client: copy this file to params/<client_id>.yaml for each client you report on.
# Every key is documented in reportkit's README ("Params reference"); `reportkit validate
# params/{EXAMPLE_CLIENT}.yaml` checks a file and its data without writing a report.

# Short id: lower-case letters, digits, _ and -. It names the output files.
client_id: {EXAMPLE_CLIENT}
# Shown on the report, for the client.
client_name: Example Outdoor Shop
# ecommerce, leadgen or publisher: picks the default KPIs and the wording.
business_model: ecommerce
# The month to report (YYYY-MM); or give `start:` and `end:` dates instead.
period: "2026-10"
# The date the report is written. Leave it out for real clients (default: today); it is set
# here because the sample data below ends on 2026-11-20.
as_of: "2026-11-21"
# ISO 4217 code of cost and revenue.
currency: EUR

# Where the facts come from. The sample file (made by `reportkit init`, one row per day,
# channel and campaign) stands in for the client's data: replace it with the client's GA4
# property (type: ga4), an ad-platform or Search Console export (type: export) or your own
# CSV in the same columns (README: "Sources").
source:
  type: csv
  path: data/{EXAMPLE_CLIENT}/facts.csv
  # Users are not additive: one row per month (start,end,users), never summed from days.
  users_path: data/{EXAMPLE_CLIENT}/users.csv

# KPIs in priority order (default: by business_model).
kpis: [revenue, transactions, conversion_rate, roas, cost, cpa, sessions, users]

# Your branding on every report.
agency:
  name: Your Agency
  # logo: assets/logo.svg       # PNG, SVG or JPEG, relative to this project's folder
  accent_color: "#1f5fa8"

# Optional sections, each from a CSV or YAML file (README: "The work behind the numbers"):
# work:
#   log: data/{EXAMPLE_CLIENT}/work_log.csv
#   plan: data/{EXAMPLE_CLIENT}/plan.csv
#   action_items: data/{EXAMPLE_CLIENT}/action_items.csv
#   communication: data/{EXAMPLE_CLIENT}/communication.csv

# Optional: goals, budget and published benchmarks (README: "Goals, milestones, budget, benchmarks").
# industry: Sports & Recreation
# budget:
#   monthly: 32000
# goals:
#   - id: grow_revenue
#     name: Grow online revenue this quarter by 12% on last year
#     kpi: revenue
#     measure: cumulative
#     start: "2026-10-01"
#     deadline: "2026-12-31"
#     baseline: same_period_last_year
#     target: "+12%"
"""

GITIGNORE = """\
# Rendered reports and the executed notebooks hold client data: keep them out of git.
reports/
# Made by reportkit on the fly: the demo data, the warehouse of API pulls (a cache).
data/demo/
data/warehouse*.duckdb*
.ipynb_checkpoints/
__pycache__/
# Credentials come from the environment, never from a file in the project.
.env
"""

README = """\
# Client reports

A reportkit project: one params file per client, their input data, and the reports.

    params/<client_id>.yaml    a client's settings (start from params/example_client.yaml)
    data/<client_id>/          files the params point at (exports, work log, plan, ...)
    notes/                     your notes per client, for the team (never read by a report)
    reports/<period>/          the rendered reports and the agency overview (index.html)

## Every month

1. Update each client's inputs: the month to report (`period:` in its params), new
   exports in `data/<client_id>/`, this month's work log, plan and action items.
2. `reportkit validate --all`: every client's params and data, checked; nothing written.
   Fix what it names (file, key or row, and the fix).
3. `reportkit run --all` (add `--pdf` for PDFs): every client in parallel, into
   `reports/<period>/`. Exit status 0 = all rendered, 1 = a client failed, 2 = bad input.
4. Open `reports/<period>/index.html` (the agency overview), read each client's report,
   then send `reports/<period>/<client_id>.html` (or `.pdf`).

`reportkit --help` lists every command; `reportkit demo` renders three demo clients.
"""

NOTES_README = """\
# Notes

Your notes per client (`notes/<client_id>.md`): context, contacts, what was agreed.
For the team only: no report reads this folder.
"""


def _refuse_existing(targets: list[Path], root: Path) -> None:
    existing = [t for t in targets if t.exists()]
    if existing:
        names = ", ".join(str(t.relative_to(root)) for t in existing)
        raise InputError(str(root), f"already has {names}",
                         "run it in a new or empty folder, or add --force to replace these files")


def init_project(folder: str | Path, with_notebook: bool = False, force: bool = False) -> list[Path]:
    """Scaffold an agency project in ``folder`` (created if missing); return the files written.

    Refuses (InputError, exit status 2) when any of those files exists, unless ``force``."""
    root = Path(folder).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise InputError(str(root), "is a file, not a folder", "name a new or existing folder")
    example = root / "data" / EXAMPLE_CLIENT
    texts = {root / "params" / f"{EXAMPLE_CLIENT}.yaml": EXAMPLE_PARAMS,
             root / ".gitignore": GITIGNORE, root / "README.md": README,
             root / "notes" / "README.md": NOTES_README}
    sample = {example / "facts.csv": 0, example / "users.csv": 1}
    notebook = root / TEMPLATE_NOTEBOOK
    targets = [*texts, *sample, *([notebook] if with_notebook else [])]
    if not force:
        _refuse_existing(targets, root)
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
    for target, text in texts.items():
        write_atomic(target, text)
    # The sample data: the demo shop's generated days, so the example renders a full report.
    frames = generate(DEMO_CLIENTS["acme_outdoor"])
    for target, which in sample.items():
        write_atomic(target, lambda tmp, frame=frames[which]: frame.to_csv(tmp, index=False))
    if with_notebook:
        write_atomic(notebook, lambda tmp: shutil.copyfile(packaged_root() / TEMPLATE_NOTEBOOK, tmp))
    return targets


def demo_files() -> list[str]:
    """The files the demo clients need besides their generated data, relative to a project
    root: their params, their work files and the agency's logo."""
    shipped = packaged_root()
    names = [f"{DEMO_PARAMS}/{client_id}.yaml" for client_id in DEMO_CLIENTS]
    for folder in [*(f"{DEMO_WORK}/{client_id}" for client_id in DEMO_CLIENTS), DEMO_ASSETS]:
        names += sorted(p.relative_to(shipped).as_posix() for p in (shipped / folder).rglob("*")
                        if p.is_file())
    return names


def add_demo_clients(root: Path) -> list[Path]:
    """Copy the demo clients' params, work files and logo into the project at ``root`` where
    missing (an existing file is kept); return the files written."""
    shipped, written = packaged_root(), []
    for name in demo_files():
        target = root / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, lambda tmp, name=name: shutil.copyfile(shipped / name, tmp))
            written.append(target)
    return written
