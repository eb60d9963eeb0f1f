"""Client params: one pydantic model is the single declaration of every setting.

A params file is ``params/<client_id>.yaml``; its top-level keys are the fields of
:class:`ClientConfig`. The same file feeds ``reportkit run`` and plain
``papermill notebooks/client_report.ipynb out.ipynb -f params/<client>.yaml``.
Credentials never go here: papermill writes every parameter into the output notebook.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reportkit.core import periods as _periods
from reportkit.errors import ConfigError, InputError
from reportkit.core.metrics import DEFAULT_KPIS, KPI, REGISTRY, parse_expression, registry_for
from reportkit.config.goals import Budget, CustomBenchmark, Goal

BusinessModel = Literal["ecommerce", "leadgen", "publisher"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Source(_Strict):
    """Keys every source accepts."""

    owns: list[str] | None = Field(None, description="With several sources: the measures this "
                                   "source supplies (e.g. [cost, clicks, impressions]); the same "
                                   "measure from another source is dropped, never added twice")


class DemoSource(_Source):
    """The embedded demo data: generated into ``data/demo/<client_id>.csv`` when missing."""

    type: Literal["demo"] = "demo"
    path: str | None = Field(None, description="Facts CSV; default data/demo/<client_id>.csv")
    users_path: str | None = Field(None, description="Period users CSV; default data/demo/<client_id>_users.csv")


class CsvSource(_Source):
    """A CSV already in the canonical fact schema (ARCHITECTURE.md)."""

    type: Literal["csv"]
    path: str = Field(description="Facts CSV in the canonical schema, relative to the project root")
    users_path: str | None = Field(None, description="Optional CSV with start,end,users rows")


class GA4Source(_Source):
    """Google Analytics 4 Data API. Credentials come from the environment, never from here."""

    type: Literal["ga4"]
    property_id: str = Field(pattern=r"^[0-9]+$", description="GA4 property id (digits only), "
                             "from GA4 Admin > Property details")
    include_ads: bool = Field(True, description="Also pull advertiserAdCost/Clicks/Impressions "
                              "(needs a Google Ads link or cost-data import)")
    time_zone: str | None = Field(None, description="Expected reporting time zone, e.g. "
                                  "Europe/Berlin; a property in another zone is flagged")
    page_size: int = Field(100_000, ge=1, le=250_000, description="Rows per GA4 request page")


class FileSource(_Source):
    """A CSV, Parquet or Excel export, read through a preset or a column mapping."""

    type: Literal["file"]
    path: str = Field(description="The export, relative to the project root (.csv, .parquet, .xlsx)")
    preset: Literal["google_ads", "meta_ads", "ga4_export"] | None = Field(
        None, description="Mapping for a known export; keys below override it")
    columns: dict[str, str] = Field(default_factory=dict, description="Rename: export column -> "
                                    "fact column (date, channel, campaign, sessions, cost, ...)")
    date_format: str | None = Field(None, description="strftime format, e.g. '%d-%m-%Y'; default: "
                                    "ISO or the preset's")
    dayfirst: bool = Field(False, description="Read ambiguous dates as day first (31/08/2023)")
    thousands: str | None = Field(None, description="Thousands separator in numbers, e.g. ','")
    decimal: str = Field(".", description="Decimal mark in numbers: '.' or ','")
    skip_rows: int | None = Field(None, ge=0, description="Lines before the header; default: "
                                  "found by looking for the date column")
    sheet: str | int = Field(0, description="Excel sheet name or index")
    channel: str | None = Field(None, description="Channel for every row when the file has none")
    source_name: str | None = Field(None, description="Value of the 'source' column; default: "
                                    "the preset name, else 'file'")


SourceConfig = Annotated[Union[DemoSource, CsvSource, GA4Source, FileSource],
                         Field(discriminator="type")]


class WarehouseConfig(_Strict):
    """The DuckDB cache of API pulls."""

    path: str = Field("data/warehouse.duckdb", description="DuckDB file, relative to the project root")
    fresh_hours: float = Field(24, ge=0, description="Reuse a pull of not-yet-final data for this "
                               "long; final data (range ended > 3 days before the pull) is reused "
                               "until --refresh")


class CustomKPI(_Strict):
    """A KPI declared in params: a base measure, or numerator / denominator of measures."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    numerator: str = Field(description="measures joined by + or -, e.g. 'revenue - cost'")
    denominator: str | None = None
    unit: Literal["count", "currency", "percent", "ratio"] = "ratio"
    better: Literal["higher", "lower"] = "higher"
    explain: str = ""

    @field_validator("numerator", "denominator")
    @classmethod
    def _expression(cls, value):
        if value is not None:
            parse_expression(value)
        return value

    def to_kpi(self) -> KPI:
        return KPI(self.key, self.label, self.numerator, self.denominator, self.unit, self.better,
                   self.explain, custom=True)


class Agency(_Strict):
    """Branding shown on every report."""

    name: str = "Your agency"
    logo: str | None = Field(None, description="PNG/SVG/JPEG file, relative to the project root")
    accent_color: str = Field("#1f5fa8", pattern=r"^#[0-9a-fA-F]{6}$")


class WorkFiles(_Strict):
    """The work behind the numbers: CSV or YAML files, relative to the project root (README)."""

    log: str | None = Field(None, description="Work log: date, task, hours, goal, importance, deliverable, link, result")
    plan: str | None = Field(None, description="Next period's plan: task, owner (us/client), due, deliverable, goal")
    action_items: str | None = Field(None, description="What we need from the client: item, why, due, status")
    communication: str | None = Field(None, description="Communication log: date, time, channel, participants, "
                                                         "summary, decisions, issue, resolution, resolved_on, follow_up")
class PdfOptions(_Strict):
    """A PDF beside the HTML, printed by headless Chromium."""

    enabled: bool = Field(False, description="Write <client_id>.pdf on every run (same as reportkit run --pdf)")
    paper: Literal["A4", "Letter"] = Field("A4", description="Paper size of the PDF")


class ClientConfig(_Strict):
    """Every setting of one client's report."""

    client_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$",
                           description="Short id: lower-case letters, digits, _ and -; names the output files")
    client_name: str = Field(min_length=1, description="Shown on the report")
    business_model: BusinessModel = Field(description="ecommerce, leadgen or publisher: picks default KPIs and wording")
    period: str | None = Field(None, description="Calendar month YYYY-MM (or use start and end)")
    start: date | None = Field(None, description="First day of an explicit range (with end)")
    end: date | None = Field(None, description="Last day of an explicit range (with start)")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code of cost and revenue, e.g. EUR")
    source: SourceConfig = Field(default_factory=DemoSource, description="Where the facts come from")
    kpis: list[str] | None = Field(None, description="KPI keys in priority order; default by business_model")
    custom_kpis: list[CustomKPI] = Field(default_factory=list, description="KPIs declared without code")
    agency: Agency = Field(default_factory=Agency)
    as_of: date | None = Field(None, description="Date the report is written (default: today)")
    work: WorkFiles = Field(default_factory=WorkFiles,
                            description="Work log, plan, client action items and communication log files")
    sources: list[SourceConfig] | None = Field(None, description="Several sources merged into one "
                                               "fact table (instead of source); each may say which "
                                               "measures it owns")
    warehouse: WarehouseConfig = Field(default_factory=WarehouseConfig,
                                       description="DuckDB cache of API pulls (path, fresh_hours)")
    pdf: PdfOptions = Field(default_factory=PdfOptions,
                            description="PDF export: {enabled: true, paper: A4 | Letter}")
    goals: list[Goal] = Field(default_factory=list, description="The client's goals in priority order")
    industry: str | None = Field(None, description="Industry for published benchmarks (data/benchmarks)")
    benchmarks: list[CustomBenchmark] = Field(default_factory=list, description="Custom benchmark values")
    budget: Budget | None = Field(None, description="Ad budget per month, optionally per channel/campaign")
    material_change: float = Field(0.05, ge=0, description="A KPI change at least this large "
                                                           "(0.05 = 5%) is explained under 'Why it moved'")

    @field_validator("period")
    @classmethod
    def _period(cls, value):
        if value is not None:
            _periods.parse_month(value)
        return value

    @model_validator(mode="after")
    def _check(self):
        if self.period and (self.start or self.end):
            raise ValueError("give either period (YYYY-MM) or start and end, not both")
        if not self.period and not (self.start and self.end):
            raise ValueError("no reporting period: set period: YYYY-MM, or both start: and end:")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        known = self.registry()
        for key in self.kpis or []:
            if key not in known:
                raise ValueError(f"unknown KPI {key!r} in kpis; known: {', '.join(sorted(known))}")
        clash = {k.key for k in self.custom_kpis} & set(REGISTRY)
        if clash:
            raise ValueError(f"custom KPI key {sorted(clash)[0]!r} is already a built-in KPI")
        from reportkit.analysis.goals import check_goals
        check_goals(self.goals, self.benchmarks, known)
        return self

    @model_validator(mode="after")
    def _check_sources(self):
        from reportkit.sources.merge import check_sources_config
        check_sources_config(self)
        return self

    # --- derived views -------------------------------------------------------------
    def registry(self) -> dict[str, KPI]:
        return registry_for(self.business_model, [c.to_kpi() for c in self.custom_kpis])

    def kpi_keys(self) -> list[str]:
        keys = list(self.kpis) if self.kpis else list(DEFAULT_KPIS[self.business_model])
        keys += [c.key for c in self.custom_kpis if c.key not in keys]
        return keys

    def selected_kpis(self) -> list[KPI]:
        reg = self.registry()
        return [reg[k] for k in self.kpi_keys()]

    def periods(self) -> _periods.ReportPeriods:
        return _periods.resolve(self.period, self.start, self.end)

    def report_date(self) -> date:
        return self.as_of or date.today()

    def notebook_parameters(self) -> dict[str, Any]:
        """JSON-safe parameters for papermill (every field, dates as ISO strings)."""
        return self.model_dump(mode="json")


FIXES = {
    "client_id": "use lower-case letters, digits, '_' or '-', e.g. client_id: acme_shop",
    "client_name": "set the name shown on the report, e.g. client_name: Acme Shop",
    "business_model": "use one of: ecommerce, leadgen, publisher",
    "period": "write the month as YYYY-MM, e.g. period: \"2026-10\", or use start: and end:",
    "start": "write dates as YYYY-MM-DD, e.g. start: \"2026-10-01\"",
    "end": "write dates as YYYY-MM-DD, e.g. end: \"2026-10-31\"",
    "currency": "use a three-letter ISO code in capitals, e.g. currency: EUR",
    "source": "e.g. source: {type: demo} or source: {type: csv, path: data/acme.csv}",
    "sources": "a list of sources, e.g. [{type: ga4, property_id: \"123\"}, "
               "{type: file, preset: google_ads, path: data/ads.csv, owns: [cost, clicks, impressions]}]",
    "warehouse": "e.g. warehouse: {path: data/warehouse.duckdb, fresh_hours: 24}",
    "kpis": "list KPI keys from the README's KPI table, or declare it under custom_kpis",
    "custom_kpis": "each needs key, label, numerator (and optional denominator), e.g. "
                   "{key: rps, label: Revenue per session, numerator: revenue, denominator: sessions}",
    "agency": "e.g. agency: {name: Our Agency, accent_color: \"#1f5fa8\"}",
    "as_of": "write the date as YYYY-MM-DD",
    "work": "e.g. work: {log: data/work/acme/work_log.csv, plan: data/work/acme/plan.csv, "
            "action_items: data/work/acme/action_items.csv, communication: data/work/acme/communication.yaml}",
    "pdf": "e.g. pdf: {enabled: true, paper: A4} (paper: A4 or Letter)",
    "goals": "each goal needs id, name, kpi, start, deadline and target; see README 'Goals'",
    "industry": "an industry name from data/benchmarks/*.csv, e.g. industry: Apparel",
    "benchmarks": "e.g. benchmarks: [{kpi: cpc, value: 0.8, label: Agency portfolio median}]",
    "budget": "e.g. budget: {monthly: 30000, channels: {Paid Search: 20000}}",
    "material_change": "a fraction, e.g. material_change: 0.05 for 5%",
}


def project_root() -> Path:
    """Where relative paths in params point: $REPORTKIT_ROOT, else the nearest folder
    upward from the working directory that has a ``params/`` folder, else the cwd."""
    env = os.environ.get("REPORTKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "params").is_dir():
            return folder
    return here


def resolve_path(path: str | os.PathLike, root: Path | None = None) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else (root or project_root()) / p


def _explain(error: ValidationError, where: str) -> ConfigError:
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"] if not str(p).startswith("function-after")]
    # Discriminated unions add the tag ('demo', 'csv') to the location; drop it.
    loc = [p for p in loc if p not in {"demo", "csv", "ga4", "file"}] or ["(file)"]
    key = ".".join(loc)
    message = re.sub(r"^(Value error|Assertion failed), ", "", first["msg"])
    if first["type"] == "extra_forbidden":
        fields = ", ".join(ClientConfig.model_fields) if len(loc) == 1 else ""
        message = "unknown key" + (f"; known keys: {fields}" if fields else "")
        fix = "remove it or correct its spelling"
    elif first["type"] == "missing":
        message = "required key is missing"
        fix = FIXES.get(loc[0], "add it")
    else:
        if "input" in first and first["type"] not in ("value_error",):
            message += f" (got {first['input']!r})"
        fix = FIXES.get(loc[0], "see the params reference in README.md")
    more = len(error.errors()) - 1
    if more:
        fix += f"  ({more} more problem{'s' if more > 1 else ''} after this one)"
    return ConfigError(f"{where}: key '{key}'", message, fix)


def validate(values: dict, where: str = "params") -> ClientConfig:
    """A ClientConfig from a dict, or a ConfigError naming ``where``, the key and the fix."""
    if not isinstance(values, dict):
        raise ConfigError(where, "the params file must be a mapping of keys to values",
                          "start from params/acme_outdoor.yaml")
    try:
        return ClientConfig.model_validate(values)
    except ValidationError as error:
        raise _explain(error, where) from None


def read_params(path: str | os.PathLike) -> dict:
    """The raw mapping of a params YAML file, with a clear error for unreadable YAML."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(str(path), "params file not found", "check the path; params live in params/<client_id>.yaml")
    values = load_yaml(path)
    return values if values is not None else {}


# libyaml's safe loader when PyYAML has it (its wheels do): ~10x quicker than the pure-Python one
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, error: type[InputError] = ConfigError):
    """A YAML file's content, or ``error`` naming the file, line and column of bad syntax."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(str(path), f"is not valid YAML{line}: {getattr(problem, 'problem', problem)}",
                    "fix the YAML syntax (indentation, a missing ':' or quote)") from None


def load(path: str | os.PathLike) -> ClientConfig:
    return validate(read_params(path), where=str(path))


def from_notebook(namespace: dict) -> ClientConfig:
    """The config of a notebook run: its parameter variables over a params file.

    The template's parameters cell leaves every key ``None`` except ``client_id``, so an
    analyst can open the notebook, set ``client_id`` (and override any key) and run it.
    The base file is ``params_file`` when the runner names it, else
    ``params/<client_id>.yaml``; ``params_file = ""`` means the parameters are complete
    (no file is read). Plain ``papermill -f params/<client>.yaml`` injects every key of
    that file.
    """
    given = {name: namespace[name] for name in ClientConfig.model_fields
             if namespace.get(name) is not None}
    named = namespace.get("params_file")
    client_id = given.get("client_id")
    if named is not None:
        file = resolve_path(named) if named else None
    else:
        file = resolve_path(f"params/{client_id}.yaml") if client_id else None
    values = read_params(file) if file and file.is_file() else {}
    if {"start", "end"} & given.keys():
        values.pop("period", None)
    if "period" in given:
        values.pop("start", None), values.pop("end", None)
    values.update(given)
    where = str(file) if file and file.is_file() else "notebook parameters"
    return validate(values, where=where)
