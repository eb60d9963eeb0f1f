"""Params models for what the client wants: goals with milestones, budgets, benchmarks.

Kept apart from :mod:`reportkit.config.client` (which holds ``ClientConfig`` and adds these as
fields) so the goal vocabulary lives in one place; how a goal is evaluated is
:mod:`reportkit.analysis.goals`'.
"""

from __future__ import annotations

import re
import datetime as _dt
from datetime import date
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


BaselineRef = Literal["previous_month", "previous_quarter", "same_period_last_year",
                      "trailing_12_months"]
RELATIVE_RE = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*%\s*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def parse_relative(text: str) -> float:
    """'+30%' -> 0.30, '-10%' -> -0.10; ValueError for anything else."""
    match = RELATIVE_RE.match(str(text))
    if not match:
        raise ValueError(f"target {text!r} is neither a number nor a change like '+30%' or '-10%'")
    share = float(match.group(2)) / 100
    return share if match.group(1) == "+" else -share


def _target(value):
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            parse_relative(value)
    return value


class Milestone(_Strict):
    """A dated checkpoint on the way to a goal, with its own target."""

    date: _dt.date = Field(description="Checkpoint date, e.g. 2026-11-30")
    target: Union[float, str] = Field(description="Absolute value, or change on the baseline like '+15%'")
    label: str | None = Field(None, description="Optional words, e.g. 'end of November'")

    @field_validator("target")
    @classmethod
    def _check_target(cls, value):
        return _target(value)


class Goal(_Strict):
    """One client goal: a KPI, optionally scoped, from a baseline to a target by a deadline."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Short slug, e.g. grow_organic")
    name: str = Field(min_length=1, description="The goal in plain words")
    kpi: str = Field(description="A KPI key (built-in or custom)")
    scope: dict[str, Union[str, list[str]]] | None = Field(
        None, description="Only rows matching these columns, e.g. {channel: Organic Search}")
    measure: Literal["monthly", "cumulative"] = Field(
        "monthly", description="monthly: the KPI of each calendar month; cumulative: the total "
                               "from start to date (additive KPIs only)")
    start: date = Field(description="First day the goal counts (first of a month for monthly goals)")
    deadline: date = Field(description="Date the target must be met")
    baseline: Union[float, BaselineRef, None] = Field(
        None, description="Starting value, or previous_month, previous_quarter, "
                          "same_period_last_year, trailing_12_months (before start)")
    target: Union[float, str] = Field(description="Absolute value, or change on the baseline like '+30%'")
    kind: Literal["reach", "stay_above", "stay_below"] = Field(
        "reach", description="reach the target, or stay above / below it the whole time")
    tolerance: float = Field(0.1, ge=0, le=1, description="Share of the baseline-to-target distance "
                                                          "(or of the target for stay goals) still 'at risk', not 'behind'")
    milestones: list[Milestone] = Field(default_factory=list, description="Dated checkpoints")

    @field_validator("target")
    @classmethod
    def _check_target(cls, value):
        return _target(value)

    @field_validator("baseline", mode="before")
    @classmethod
    def _baseline(cls, value):
        refs = BaselineRef.__args__
        if value is None or isinstance(value, (int, float)) or value in refs:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"baseline {value!r} is neither a number nor one of {', '.join(refs)}") from None

    @model_validator(mode="after")
    def _check(self):
        if self.deadline <= self.start:
            raise ValueError(f"deadline ({self.deadline}) must be after start ({self.start})")
        if self.measure == "monthly" and self.start.day != 1:
            raise ValueError(f"a monthly goal starts on the first of a month (got start {self.start})")
        relative = [t for t in [self.target, *(m.target for m in self.milestones)] if isinstance(t, str)]
        if relative and self.baseline is None:
            raise ValueError(f"target {relative[0]!r} is relative, so the goal needs a baseline "
                             "(a number or e.g. previous_quarter)")
        for m in self.milestones:
            if not self.start <= m.date <= self.deadline:
                raise ValueError(f"milestone {m.date} is outside the goal's start..deadline")
        return self


class Budget(_Strict):
    """Ad budget per month; optionally split per channel or campaign."""

    monthly: float | None = Field(None, ge=0, description="Budget for every month, in the client's currency")
    months: dict[str, float] = Field(default_factory=dict, description="Per-month overrides, {'2026-11': 32000}")
    channels: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict,
                                                               description="Monthly budget per channel")
    campaigns: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict,
                                                                description="Monthly budget per campaign")
    tolerance: float = Field(0.05, ge=0, le=1, description="Over/under-spend within this share is on budget")

    @field_validator("channels", "campaigns", mode="before")
    @classmethod
    def _names_as_text(cls, value):
        # YAML reads an unquoted campaign id (12345678) as a number: it names the campaign as text
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    @field_validator("months")
    @classmethod
    def _months(cls, value):
        for key, amount in value.items():
            if not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", key):
                raise ValueError(f"budget month {key!r} is not written as YYYY-MM")
            if amount < 0:
                raise ValueError(f"budget for {key} is negative")
        return value


class CustomBenchmark(_Strict):
    """A benchmark value the agency supplies (its own portfolio, a contract figure...)."""

    kpi: str
    value: float
    label: str = Field(description="What the figure is, e.g. 'Agency portfolio median'")
    source: str = "agency"
    year: int | None = None


def check_goals(goals, benchmarks, known: dict) -> None:
    """Cross-field checks that need the KPI registry (raised as ValueError for pydantic)."""
    seen = set()
    for i, goal in enumerate(goals):
        if goal.id in seen:
            raise ValueError(f"goal id {goal.id!r} is used twice; ids must be unique")
        seen.add(goal.id)
        kpi = known.get(goal.kpi)
        if kpi is None:
            raise ValueError(f"goal {goal.id!r}: unknown KPI {goal.kpi!r}; known: {', '.join(sorted(known))}")
        if not kpi.daily:
            raise ValueError(f"goal {goal.id!r}: {goal.kpi} is only known per period, not per day; "
                             "pick a KPI built from additive measures (e.g. sessions)")
        if goal.measure == "cumulative" and not kpi.additive:
            raise ValueError(f"goal {goal.id!r}: a cumulative goal needs an additive KPI "
                             f"({goal.kpi} is a ratio); use measure: monthly")
    for b in benchmarks:
        if b.kpi not in known:
            raise ValueError(f"benchmark for unknown KPI {b.kpi!r}")
