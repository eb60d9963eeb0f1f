"""The sidecar: ``reports/<period>/<client_id>.json``, every figure a report shows.

Written by the report (:meth:`reportkit.report.Report.sidecar`), read by the agency overview,
the tests and users' own scripts. Fields may be added freely; renaming or removing one bumps
``SCHEMA_VERSION`` (docs/architecture.md, "Outputs"). Parts whose shape belongs to the step
that computes them (goal figures, drivers, benchmarks, work sections) are typed for the
fields readers rely on and keep every other field as it was written.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_serializer, model_validator

SCHEMA_VERSION = 1
MIMETYPE = "application/vnd.reportkit.sidecar+json"   # how the notebook hands it to the runner
Number = Optional[Union[int, float]]   # int stays int, float stays float; None is undefined


class _Open(BaseModel):
    """A part whose every field is kept, typed or not, and written back in the order it came
    (the step that computed it decides the order; the typed fields do not jump ahead)."""

    model_config = ConfigDict(extra="allow")
    _order: tuple = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _remember_order(cls, data, handler):
        model = handler(data)
        if isinstance(data, dict):
            model._order = tuple(data)
        return model

    @model_serializer(mode="wrap")
    def _in_order(self, handler):
        out = handler(self)
        first = {key: out[key] for key in self._order if key in out}
        return {**first, **{key: value for key, value in out.items() if key not in first}}


class DateRange(BaseModel):
    start: str = Field(description="First day, YYYY-MM-DD")
    end: str = Field(description="Last day, YYYY-MM-DD (inclusive)")


class DaysCovered(BaseModel):
    days_with_data: int = Field(description="Days of the period with recorded data for the KPI's measures")
    days_expected: int = Field(description="Days in the period")
    days_estimated: int = Field(0, description="Untracked (outage) days whose tracked measures are estimated")


class Coverage(BaseModel):
    current: DaysCovered
    previous: DaysCovered
    yoy: DaysCovered


class KpiFigure(BaseModel):
    """One KPI in the three periods. ``change_*`` are relative changes as fractions
    (0.0769 = +7.69 %); every value is null when undefined (a zero denominator, no data).
    ``value``/``previous``/``yoy`` are as recorded; changes are between the ``adjusted`` values
    (untracked days estimated) and null when that comparison is not fair
    (``comparable_*`` false, ``not_comparable_*`` says why; docs/architecture.md, "Coverage and
    fair comparisons")."""

    label: str
    value: Number
    previous: Number
    yoy: Number
    change_previous: Number
    change_yoy: Number
    abs_change_previous: Number
    abs_change_yoy: Number
    unit: Literal["count", "currency", "percent", "ratio"]
    better: Literal["higher", "lower"]
    explain: str
    formula: str
    coverage: Optional[Coverage] = None
    adjusted: Optional[dict[str, Number]] = Field(None, description="current/previous/yoy with "
                                                  "untracked days estimated; null when none was")
    comparable_previous: bool = True
    comparable_yoy: bool = True
    not_comparable_previous: Optional[str] = None
    not_comparable_yoy: Optional[str] = None
    paid: Optional[dict] = Field(None, description="A blended cost per result over the paid channels "
                                 "only (those with spend): channels, value, by_channel")


class Outage(BaseModel):
    period: Literal["current", "previous", "yoy"]
    start: str
    end: str
    days: int
    measures: list[str]
    estimate: dict[str, Number] = Field(description="What was not recorded, per tracked measure")
    method: str


class AgencyAlert(BaseModel):
    kind: Literal["contact", "follow_up", "overdue_todo", "benchmark", "note"]
    message: str


class Finding(_Open):
    level: Literal["info", "warning"]
    period: str = Field(description="current, previous, yoy or all")
    message: str


class DataQuality(_Open):
    status: Literal["ok", "warning"] = Field(description="warning when any finding is a warning")
    source: str
    data_from: Optional[str]
    data_to: Optional[str] = Field(description="The last day of data, YYYY-MM-DD")
    findings: list[Finding]
    outages: list[Outage] = Field(default_factory=list, description="Untracked days in the compared periods")


class GoalFigures(_Open):
    """One goal: the keys below (the story and the overview read them), and the rest of its
    figures (pacing, required run-rate, milestones, history, data gaps) as computed."""

    id: str
    name: str
    kpi: str
    label: str
    unit: Literal["count", "currency", "percent", "ratio"]
    kind: Literal["reach", "stay_above", "stay_below"]
    measure: Literal["monthly", "cumulative"]
    scope: Optional[dict]
    start: str
    deadline: str
    target: Number
    direction: Literal["up", "down"]
    status: Literal["achieved", "on_track", "at_risk", "behind", "missed", "not_started"]
    status_words: str
    value: Number = Field(description="The value now: the last complete month, or the running total")
    expected_now: Number = Field(description="Where the pacing says the value should be by now")
    forecast: Number = Field(description="The value forecast for the deadline")


class CostlyChannel(BaseModel):
    """A paid channel whose cost per result is far above the other paid channels' together
    (the rule: ``analysis.channel_costs``)."""

    kpi: str
    label: str
    result: str = Field(description="The result measure: conversions or transactions")
    result_label: str
    result_one: str = Field(description='One of the result, as read after "per": "lead"')
    channel: str
    value: float = Field(description="The channel's cost per result")
    others: float = Field(description="The other paid channels' cost per result (their spend / their results)")
    ratio: float = Field(description="value / others (more than FAR_ABOVE = 2)")


class Budget(_Open):
    status: Optional[Literal["on_budget", "over", "under", "no_budget"]] = None
    share_used: Number = None
    costly_channels: list[CostlyChannel] = Field(default_factory=list, description="Paid channels "
                                                 "whose cost per result is far above the others'")


class FirstScreen(BaseModel):
    """The first screen's sentences, each with the figures typed into it (text, sidecar path, format)."""

    headline: str
    top_risk: Optional[str] = None
    ask: Optional[str] = None
    goals_started: int = 0
    goals_on_track: int = 0
    goals_needing_attention: int = 0
    figures: dict[str, list] = Field(default_factory=dict)


class Sidecar(BaseModel):
    """Every figure of one client's report for one period."""

    model_config = ConfigDict(extra="allow")

    schema_version: int = SCHEMA_VERSION
    client_id: str
    client_name: str
    business_model: str
    currency: str
    period: DateRange
    previous: DateRange
    yoy: DateRange
    period_key: str = Field(description="The reports/<period>/ folder: YYYY-MM or START_END")
    kpis: dict[str, KpiFigure]
    channels: list[dict]
    summary: list[str]
    goals: list[GoalFigures] = Field(default_factory=list)
    benchmarks: list[dict] = Field(default_factory=list)
    budget: Budget = Field(default_factory=Budget)
    drivers: list[dict] = Field(default_factory=list)
    summary_figures: Optional[list] = Field(None, description="Per summary sentence: the figures typed "
                                            "into it, each with the sidecar path it came from")
    data_quality: DataQuality
    source: str
    work: Optional[dict] = None
    plan: list[dict] = Field(default_factory=list)
    action_items: list[dict] = Field(default_factory=list)
    communication: Optional[dict] = None
    agency: dict
    agency_alerts: list[AgencyAlert] = Field(default_factory=list, description="Text for the agency "
                                             "only: never in the client's report; the overview shows it")
    generated_at: str
    first_screen: Optional[FirstScreen] = Field(None, description="The report's first screen: the "
                                                "headline sentence, the top risk and the one thing we need "
                                                "from the client (None where nothing applies)")
    layout: str = Field("compact", description="compact: main part and appendix; full: every section "
                        "in full, in order")
    locale: str = Field("en_US", description="The report's locale (params locale:): the language of "
                        "its texts (summary, notes) and how its display strings write numbers and dates")

    def to_json(self) -> dict:
        """The JSON-ready mapping written to ``<client_id>.json``."""
        return self.model_dump(mode="json")
