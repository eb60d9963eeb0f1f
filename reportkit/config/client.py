"""The client model: one pydantic class declares every key of a params file.

A params file is ``params/<client_id>.yaml``; its top-level keys are the fields of
:class:`ClientConfig`. The same file feeds ``reportkit run`` and plain
``papermill notebooks/client_report.ipynb out.ipynb -f params/<client>.yaml``.
Credentials never go here: papermill writes every parameter into the output notebook.
Reading a file is :mod:`reportkit.config.load`'s, the error text :mod:`reportkit.config.explain`'s.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reportkit.config.goals import Budget, CustomBenchmark, Goal, check_goals
from reportkit.config.sections import SectionsConfig
from reportkit.core import periods as _periods
from reportkit.core.currencies import ISO_4217
from reportkit.core.i18n import DEFAULT_LOCALE, N_, parse_locale
from reportkit.core.measures import KNOWN_MEASURES
from reportkit.core.metrics import DEFAULT_KPIS, KPI, REGISTRY, parse_expression, registry_for
from reportkit.sources import registry as _sources
from reportkit.sources.demo import DemoSource

BusinessModel = Literal["ecommerce", "leadgen", "publisher"]
SourceConfig = _sources.params_union()


EMAIL = r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$"   # one plain address: name@domain.tld


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
        # The syntax is checked here; whether each measure is in the data (a known measure or
        # an extra numeric column of an export) is checked against the data at validate and
        # run (sources.checks.check_kpi_measures), which names the KPI, the measure and the source.
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
    email: str | None = Field(None, pattern=EMAIL, description="Sender of the report e-mails when "
                              "REPORTKIT_MAIL_FROM is not set, e.g. reports@agency.example")


class WorkFiles(_Strict):
    """The work behind the numbers: CSV or YAML files, relative to the project root (README)."""

    log: str | None = Field(None, description="Work log: date, task, hours, goal, importance, deliverable, link, result")
    plan: str | None = Field(None, description="Next period's plan: task, owner (us/client), due, deliverable, goal")
    action_items: str | None = Field(None, description="What we need from the client: item, why, due, status")
    communication: str | None = Field(None, description="Communication log: date, time, channel, participants, "
                                                         "summary, decisions, issue, resolution, resolved_on, follow_up")
class DeliveryOptions(_Strict):
    """Who receives the report by e-mail (``reportkit send``) and what the message says."""

    to: list[str] = Field(default_factory=list, description="Recipients' addresses")
    cc: list[str] = Field(default_factory=list, description="Copy to these addresses")
    reply_to: str | None = Field(None, pattern=EMAIL, description="Where the client's replies go")
    subject: str = Field(N_("{client_name}: your report for {period}"), max_length=200,
                         description="Subject line; {client_name} and {period} are filled in")
    intro: str = Field(N_("Here is your report for {period}. The summary and the headline figures are "
                          "below; the full report is attached."), max_length=2000,
                       description="The message's opening paragraph; {client_name} and {period} are filled in")
    attach: list[Literal["pdf", "html"]] = Field(default_factory=lambda: ["pdf"],
                                                 description="Files attached: pdf, html or both")

    @field_validator("to", "cc")
    @classmethod
    def _addresses(cls, value):
        import re
        for address in value:
            if not re.match(EMAIL, address):
                raise ValueError(f"{address!r} is not an e-mail address (name@domain.tld)")
        return value

    @field_validator("subject", "intro")
    @classmethod
    def _placeholders(cls, value):
        try:
            value.format(client_name="", period="")
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"only {{client_name}} and {{period}} can be filled in ({error})") from None
        return value


class ReviewOptions(_Strict):
    """When a report is held for a person's review before it is sent."""

    max_change: float | None = Field(0.5, ge=0, description="A headline KPI change against the previous "
                                     "period at least this large (0.5 = 50%) holds the report; null: never")


class CompareRange(_Strict):
    """An explicit previous period for a start/end range."""

    start: date
    end: date


class PdfOptions(_Strict):
    """A PDF beside the HTML, printed by headless Chromium."""

    enabled: bool = Field(False, description="Write <client_id>.pdf on every run (same as reportkit run --pdf)")
    paper: Literal["A4", "Letter"] = Field("A4", description="Paper size of the PDF")
    cover: bool = Field(False, description="Print a cover page first (logo, client, period, who prepared "
                                           "it); the web page is unchanged")


class ClientConfig(_Strict):
    """Every setting of one client's report."""

    client_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64,
                           description="Short id: lower-case letters, digits, _ and -; names the output files")
    client_name: str = Field(min_length=1, description="Shown on the report")
    business_model: BusinessModel = Field(description="ecommerce, leadgen or publisher: picks default KPIs and wording")
    period: str | None = Field(None, description="Calendar month YYYY-MM, or last_month, last_quarter "
                               "or month_to_date resolved as of as_of (or use start and end)")
    start: date | None = Field(None, description="First day of an explicit range (with end)")
    end: date | None = Field(None, description="Last day of an explicit range (with start)")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code of cost and revenue, e.g. EUR")
    source: SourceConfig = Field(default_factory=DemoSource, description="Where the facts come from")
    kpis: list[str] | None = Field(None, description="KPI keys in priority order; default by business_model")
    custom_kpis: list[CustomKPI] = Field(default_factory=list, description="KPIs declared without code")
    agency: Agency = Field(default_factory=Agency, description="Branding: name, logo, accent_color")
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
    delivery: DeliveryOptions = Field(default_factory=DeliveryOptions,
                                      description="E-mail delivery: to, cc, reply_to, subject, intro, attach")
    review: ReviewOptions = Field(default_factory=ReviewOptions,
                                  description="Automatic holds before sending: {max_change: 0.5}")
    material_change: float = Field(0.05, ge=0, description="A KPI change at least this large "
                                                           "(0.05 = 5%) is explained under 'Why it moved'")
    sections: SectionsConfig = Field(default_factory=SectionsConfig,
                                     description="Order and hide sections: {order: [...], hide: [...]} "
                                     "(ids in README: Sections)")
    layout: Literal["compact", "full"] = Field("compact", description="compact: the first screen and a "
                                               "short main part, the details in an appendix; full: every "
                                               "section in full, in order")
    commentary: str | None = Field(None, description="The analyst's Markdown commentary for this period "
                                   "(default: notes/<client_id>/<period>.md when it exists)")
    compare: Literal["previous_days", "previous_month", "previous_quarter", "last_year"] | CompareRange | None = Field(
        None, description="Previous period of a start/end range: previous_days (same length before, "
        "the default), previous_month, previous_quarter, last_year, or {start, end}")
    notebook: str | None = Field(None, description="This client's own template notebook (default: "
                                 "notebooks/client_report.ipynb), relative to the project root")
    locale: str = Field(DEFAULT_LOCALE, description="Language and country of the report: words, numbers "
                        "and dates, e.g. en_US, en_GB, de_DE, fr_FR, es_ES, bg_BG (README: Languages)")

    @field_validator("currency")
    @classmethod
    def _currency(cls, value):
        if value not in ISO_4217:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value):
        return parse_locale(value)  # a ValueError says what to write instead

    @field_validator("period")
    @classmethod
    def _period(cls, value):
        if value is not None:
            _periods.check_period(value)
        return value

    @model_validator(mode="after")
    def _check(self):
        if self.period and (self.start or self.end):
            raise ValueError("give either period (YYYY-MM) or start and end, not both")
        if not self.period and not (self.start and self.end):
            raise ValueError("no reporting period: set period: YYYY-MM, or both start: and end:")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.compare is not None and self.period:
            raise ValueError("compare: applies to a start/end range; a month is compared with the previous month")
        if isinstance(self.compare, CompareRange) and self.compare.end < self.compare.start:
            raise ValueError(f"compare.end ({self.compare.end}) is before compare.start ({self.compare.start})")
        known = self.registry()
        for key in self.kpis or []:
            if key not in known:
                raise ValueError(f"unknown KPI {key!r} in kpis; known: {', '.join(sorted(known))}")
        clash = {k.key for k in self.custom_kpis} & set(REGISTRY)
        if clash:
            raise ValueError(f"custom KPI key {sorted(clash)[0]!r} is already a built-in KPI")
        check_goals(self.goals, self.benchmarks, known)
        return self

    @model_validator(mode="after")
    def _check_sources(self):
        """One source or several, each measure with at most one owner."""
        if not self.sources:
            if self.source.owns:
                raise ValueError("source.owns only matters with several sources: list them under sources:")
            return self
        if "source" in self.model_fields_set and self.source != DemoSource():
            raise ValueError("give either source (one) or sources (several), not both")
        owner: dict[str, int] = {}
        for index, src in enumerate(self.sources):
            for measure in src.owns or []:
                if measure not in KNOWN_MEASURES:
                    raise ValueError(f"sources[{index}].owns: {measure!r} is not a measure; known: "
                                     f"{', '.join(sorted(KNOWN_MEASURES))}")
                if measure in owner:
                    raise ValueError(f"measure {measure!r} is owned by sources[{owner[measure]}] and "
                                     f"sources[{index}]: give each measure one owner")
                owner[measure] = index
        return self

    # --- derived views -------------------------------------------------------------
    def registry(self) -> dict[str, KPI]:
        return registry_for(self.business_model, [c.to_kpi() for c in self.custom_kpis])

    def kpi_keys(self) -> list[str]:
        keys = list(self.kpis) if self.kpis else list(DEFAULT_KPIS[self.business_model])
        keys += [c.key for c in self.custom_kpis if c.key not in keys]
        return keys

    def explicit_kpi_keys(self) -> set[str]:
        """The KPIs the params ask for by name (``kpis:`` and ``custom_kpis``): their measures
        must be in the data, while a default the data cannot compute is left out."""
        return set(self.kpis or []) | {c.key for c in self.custom_kpis}

    def selected_kpis(self) -> list[KPI]:
        reg = self.registry()
        return [reg[k] for k in self.kpi_keys()]

    def periods(self) -> _periods.ReportPeriods:
        compare = self.compare
        if isinstance(compare, CompareRange):
            compare = _periods.DateRange(compare.start, compare.end)
        return _periods.resolve_as_of(self.period, self.start, self.end, self.report_date(), compare)

    def report_date(self) -> date:
        return self.as_of or date.today()

    def commentary_file(self) -> str:
        """The commentary file of this run, relative to the project root (it may not exist
        when it is the default ``notes/<client_id>/<period>.md``)."""
        return self.commentary or f"notes/{self.client_id}/{self.periods().key}.md"

    def notebook_parameters(self) -> dict[str, Any]:
        """JSON-safe parameters for papermill (every field, dates as ISO strings)."""
        return self.model_dump(mode="json")
