"""Execute the template notebook for one client with papermill and export it with nbconvert.

One linear function, :func:`render_client`: validate params -> execute -> extract the
sidecar -> export HTML -> write all outputs atomically. A failed run keeps the failed
notebook beside the outputs and never replaces an earlier good report.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from reportkit.core import i18n
from reportkit import config as _config
from reportkit.config import ClientConfig
from reportkit.config.notebook_params import check_notebook
from reportkit.errors import InputError, RenderError, ReportkitError
from reportkit.paths import TEMPLATE_NOTEBOOK, kit_path, project_root, replace_set, resolve_path, staged_path

INPUT_ERRORS = {"ConfigError", "DataError", "InputError"}  # raised in the notebook: bad input


@dataclass
class RenderResult:
    client_id: str
    params: str
    status: str = "ok"                  # ok | failed
    duration_s: float = 0.0
    outputs: dict = field(default_factory=dict)
    error: str | None = None
    exit_code: int = 0


def default_notebook() -> Path:
    """The project's own notebooks/client_report.ipynb, else the packaged template."""
    return kit_path(TEMPLATE_NOTEBOOK)


def template_for(cfg: ClientConfig, notebook: str | os.PathLike | None = None) -> Path:
    """The notebook this client's report is rendered from: ``notebook`` (``--notebook``), else
    ``notebook:`` in its params (its parameters cell checked against the params model), else
    the template."""
    if notebook:
        return Path(notebook)
    if cfg.notebook:
        path = resolve_path(cfg.notebook)
        if not path.is_file():
            raise InputError(f"{cfg.client_id}: notebook", f"{cfg.notebook} not found",
                             "check notebook: in params (relative to the project root)")
        check_notebook(path)
        return path
    return default_notebook()


def output_dir(cfg: ClientConfig, out: Path) -> Path:
    return Path(out) / cfg.periods().key


def execute(cfg: ClientConfig, notebook: Path, target: Path, cell_timeout_s: int = 300,
            kernel_name: str = "python3", engine: str | None = None):
    """Run the template with papermill into ``target``; raise RenderError on a failing cell.

    ``engine``: a papermill engine name; None is the Jupyter kernel (nbclient), whose
    "running over TCP without encryption" start-up warning is silenced (errors still show).
    """
    # Every key is passed and params_file is "": the notebook must not fill gaps from a
    # params/<client_id>.yaml that may differ from the config this run validated.
    import papermill
    from papermill.exceptions import PapermillExecutionError
    os.environ.setdefault("REPORTKIT_ROOT", str(project_root()))
    try:
        with i18n.process_locale_kept():   # the in-process engine runs the client's cells here
            return papermill.execute_notebook(
                str(notebook), str(target), parameters={**cfg.notebook_parameters(), "params_file": ""},
                kernel_name=kernel_name, progress_bar=False, log_output=False,
                execution_timeout=cell_timeout_s, engine_name=engine,
                **({} if engine else {"extra_arguments": ["--IPKernelApp.log_level=ERROR"]}))
    except PapermillExecutionError as error:
        message = f"cell {error.cell_index} failed: {error.ename}: {error.evalue}"
        if error.ename in INPUT_ERRORS:
            raise InputError(f"{cfg.client_id} (notebook cell {error.cell_index})",
                             f"{error.ename}: {error.evalue}") from None
        raise RenderError(cfg.client_id, message, cell_index=error.cell_index) from None


def extract_sidecar(nb) -> Sidecar:
    """The sidecar the notebook's ``sidecar`` cell displayed, checked against its model."""
    from reportkit.contracts import sidecar as sidecar_contract  # here: a batch that skips every client never builds it
    from reportkit.contracts.sidecar import Sidecar
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if sidecar_contract.MIMETYPE in data:
                return Sidecar.model_validate(dict(data[sidecar_contract.MIMETYPE]))
    raise RenderError("?", "the notebook produced no sidecar (is the 'sidecar' cell missing?)")


OUTPUTS = ("html", "ipynb", "json", "pdf")  # a client's output set: replaced together or not at all


def disk_error(error: OSError, folder: Path, client_id: str) -> str:
    """A clear message for an output folder that cannot be written (full, read-only, gone)."""
    why = error.strerror or type(error).__name__
    return (f"{client_id}: could not write the report to {folder}: {why}\n"
            "  fix: free space on that disk or make the folder writable (or choose another --out), "
            "then run again; the earlier report, if any, is unchanged")


def relative_paths(value, root: Path):
    """``value`` with every string that is an absolute path under ``root`` made relative to
    it (the project root: params paths resolve against it), in dicts and lists too; paths
    elsewhere and other strings unchanged."""
    if isinstance(value, dict):
        return {k: relative_paths(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [relative_paths(v, root) for v in value]
    if isinstance(value, str) and value.startswith("/") and "\n" not in value:
        for base in dict.fromkeys((root, root.resolve())):
            try:
                return Path(value).relative_to(base).as_posix()
            except ValueError:
                continue
    return value


def clean_notebook(nb, inputs: str | None = None, name: str | None = None, root: Path | None = None):
    """The executed notebook as it is kept: papermill's record of this machine's paths
    (the template's and the scratch file's) reduced to file names (``name``: the kept
    file's), the injected parameters' paths under the project root made relative to it (the
    cell and papermill's metadata; they run the same: params paths resolve against the root),
    and the inputs hash."""
    meta = nb.metadata.get("papermill")
    root = Path(root or project_root())
    if meta is not None:
        for key in ("input_path", "output_path"):
            if meta.get(key):
                meta[key] = Path(str(meta[key])).name
        if name:
            meta["output_path"] = name
        if meta.get("parameters"):
            meta["parameters"] = relative_paths(dict(meta["parameters"]), root)
            _reinject(nb, meta["parameters"])
    if inputs:
        nb.metadata.setdefault("reportkit", {})["inputs"] = inputs
    return nb


def _reinject(nb, parameters: dict) -> None:
    """The injected-parameters cell written again from ``parameters``, as papermill writes it."""
    from papermill.translators import translate_parameters
    spec = nb.metadata.get("kernelspec", {})
    language = spec.get("language") or nb.metadata.get("language_info", {}).get("name") or "python"
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = translate_parameters(spec.get("name") or "python3", language, parameters, "Parameters")


def render_client(params: str | os.PathLike | ClientConfig, out: str | os.PathLike = "reports",
                  notebook: str | os.PathLike | None = None, cell_timeout_s: int = 300,
                  pdf: bool = False, engine: str | None = None, overrides: dict | None = None,
                  inputs: str | None = None) -> RenderResult:
    """Render one client; return a RenderResult (errors are recorded, not raised).

    ``pdf=True`` (or ``pdf: {enabled: true}`` in params) also prints ``<client_id>.pdf``;
    ``engine`` is a papermill engine name (None: a Jupyter kernel); ``overrides`` (the
    batch's resolved period and as_of, :mod:`reportkit.config.overrides`) go over the file's;
    ``inputs`` the hash of what made the outputs (:mod:`reportkit.run.inputs`), recorded in
    the notebook.

    Every output is written to a staged name first (the PDF is printed from the staged
    HTML); only when all are written does :func:`reportkit.paths.replace_set` put them in
    place together, so the folder holds the old set or the new one, never a mix."""
    import nbformat

    from reportkit.run.export import export_html  # here: a batch that skips every client never needs nbconvert
    started = time.perf_counter()
    where = str(params) if not isinstance(params, ClientConfig) else params.client_id
    result = RenderResult(client_id=Path(where).stem, params=where)
    staged: dict[Path, Path] = {}
    scratch = None
    folder = Path(out)
    try:
        if isinstance(params, ClientConfig):
            cfg = params
        elif overrides:
            from reportkit.config.overrides import load as load_overridden
            cfg = load_overridden(params, overrides)
        else:
            cfg = _config.load(params)
        result.client_id = cfg.client_id
        folder = output_dir(cfg, Path(out))
        folder.mkdir(parents=True, exist_ok=True)
        final = {ext: folder / f"{cfg.client_id}.{ext}" for ext in OUTPUTS}
        failed = folder / f"{cfg.client_id}.failed.ipynb"
        scratch = folder / f".{cfg.client_id}.{os.getpid()}.running.ipynb"
        template = template_for(cfg, notebook)
        try:
            nb = execute(cfg, template, scratch, cell_timeout_s, engine=engine)
        except ReportkitError as error:
            if keep_failed(scratch, failed):
                error.kept_at(str(failed))
            raise error
        sidecar = extract_sidecar(nb).model_copy(  # the notebook papermill wrote to ``scratch``
            update={"generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}).to_json()
        html = export_html(nb, cfg, sidecar)
        staged = {final[ext]: staged_path(final[ext]) for ext in ("html", "json", "ipynb")}
        staged[final["html"]].write_text(html, encoding="utf-8")
        staged[final["json"]].write_text(json.dumps(sidecar, indent=1, ensure_ascii=False), encoding="utf-8")
        nbformat.write(clean_notebook(nb, inputs, final["ipynb"].name), str(staged[final["ipynb"]]))
        scratch.unlink(missing_ok=True)
        if pdf or cfg.pdf.enabled:
            from reportkit.deliver.pdf import write_pdf
            staged[final["pdf"]] = staged_path(final["pdf"])
            write_pdf(staged[final["html"]], staged[final["pdf"]], cfg.pdf.paper, name=cfg.client_id)
        refresh_facts(cfg)  # before the swap: a worker killed here leaves the old report and a failure, never a mix
        replace_set(cfg.client_id, folder, staged, drop=[p for e, p in final.items() if p not in staged])
        staged = {}
        failed.unlink(missing_ok=True)
        result.outputs = {e: str(p) for e, p in final.items() if e in ("html", "ipynb", "json")
                          or (e == "pdf" and (pdf or cfg.pdf.enabled))}
    except ReportkitError as error:
        result.status, result.error = "failed", str(error)
        result.exit_code = error.exit_code
    except OSError as error:  # a full or read-only disk: the client fails, the batch goes on
        result.status, result.exit_code = "failed", 1
        result.error = disk_error(error, folder, result.client_id)
        if scratch is not None:
            scratch.unlink(missing_ok=True)
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)
    result.duration_s = time.perf_counter() - started
    return result


def refresh_facts(cfg: ClientConfig) -> None:
    """After a good render (its outputs staged, just before they are put in place), rewrite the
    client's facts file (``data/facts/<client_id>.duckdb``, :mod:`reportkit.deliver.facts_db`)
    with the facts and ranges of the report, so analysts' SQL answers what the report says. It
    is moved into place atomically: readers holding the old file keep it. A failure here never
    fails the report: it is said on stderr."""
    import duckdb

    from reportkit.deliver import facts_db
    try:
        facts_db.write(cfg)
    except (ReportkitError, OSError, duckdb.Error) as error:
        print(f"warning {cfg.client_id}: its facts file was not refreshed: {error}", file=sys.stderr)


def keep_failed(scratch: Path, failed: Path) -> bool:
    """Keep the scratch notebook of a failed run as ``<client_id>.failed.ipynb`` when it is a
    readable notebook; a truncated or empty one (a full disk) is removed instead."""
    if not scratch.exists():
        return False
    try:
        json.loads(scratch.read_bytes())["cells"]
        os.replace(scratch, failed)
        return True
    except (OSError, ValueError, KeyError, TypeError):
        scratch.unlink(missing_ok=True)
        return False
