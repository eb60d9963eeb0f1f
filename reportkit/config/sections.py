"""The report's sections: their ids, headings and intros in the template's order, and the
``sections:`` key of a params file that orders and hides them per client.

What each section shows and whether it has anything to show is the notebook's
(:data:`reportkit.notebook.SECTION_VIEWS`, one entry per id here); a test keeps the two in step.
"""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reportkit.core.i18n import N_


class SectionText(NamedTuple):
    """A section's heading and intro in English (marked with ``N_``; the notebook shows them in
    the report's language, ``_(text.heading)``)."""
    heading: str
    intro: str = ""
    level: int = 2              # 2: a section (in the contents); 3: a part of the one before
    own_heading: bool = False   # the section's display carries its heading (the work sections)


SECTIONS: dict[str, SectionText] = {
    "summary": SectionText(N_("Summary")),
    "goals": SectionText(N_("Goals"), N_("Your goals in priority order: where we stand, the "
                         "milestones on the way and the forecast to the deadline.")),
    "what_we_did": SectionText(N_("What we did"), own_heading=True),
    "results": SectionText(N_("Results"), N_("Each KPI for the period, against the previous period and "
                           "the same period last year.")),
    "benchmarks": SectionText(N_("Against benchmarks"), N_("Each KPI against your own history and "
                              "published industry figures."), level=3),
    "why": SectionText(N_("Why it moved"), N_("For each KPI that moved materially: which channels drove "
                       "it, whether it is within normal variation, seasonal, or touched by a data gap.")),
    "budget": SectionText(N_("Budget"), N_("Ad spend against budget, pacing to the period end, and what "
                          "the spend returned.")),
    "next_period": SectionText(N_("Next period"), own_heading=True),
    "needs_from_you": SectionText(N_("What we need from you"), own_heading=True),
    "communication": SectionText(N_("Communication log"), own_heading=True),
    "data_notes": SectionText(N_("Data notes")),
}


# ``layout: compact`` (the default): where each section goes (the goals at a glance are the
# first screen's goal chips, so the Goals section itself is in the appendix). "main": in full in the main part;
# "brief": a short view in the main part, the full section in the appendix; "appendix": only
# in the appendix. ``layout: full`` shows every section in full, in order, with no appendix.
PARTS: dict[str, str] = {
    "summary": "main", "goals": "appendix", "what_we_did": "brief", "results": "brief",
    "benchmarks": "appendix", "why": "brief", "budget": "appendix", "next_period": "brief",
    "needs_from_you": "main", "communication": "appendix", "data_notes": "appendix",
}
APPENDIX = SectionText(N_("Appendix"), N_("The details behind the figures above: each goal in full, the "
                       "results by day and by channel, how each change breaks down, benchmarks, "
                       "budget and where the data comes from."))
# the full section's heading in the appendix, where the main part already used the section's own
APPENDIX_HEADINGS: dict[str, str] = {"what_we_did": N_("What we did, in detail"),
                                     "results": N_("Results by day and channel"),
                                     "why": N_("Why it moved, in detail"), "next_period": N_("Next period, in detail")}


def _known(ids: list[str]) -> list[str]:
    unknown = [i for i in ids if i not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section {unknown[0]!r}; the sections are: {', '.join(SECTIONS)}")
    if len(set(ids)) < len(ids):
        raise ValueError("a section is named twice")
    return ids


class SectionsConfig(BaseModel):
    """Which sections a client's report shows, in which order."""

    model_config = ConfigDict(extra="forbid")

    order: list[str] = Field(default_factory=list, description="These sections first, in this "
                             "order; the others follow in the template's order")
    hide: list[str] = Field(default_factory=list, description="Sections this client's report leaves out")

    _ids = field_validator("order", "hide")(classmethod(lambda cls, v: _known(v)))

    def ordered(self) -> list[str]:
        """The ids shown, in order (a section with nothing to show is left out later, too)."""
        first = [i for i in self.order if i not in self.hide]
        return first + [i for i in SECTIONS if i not in first and i not in self.hide]


def target(heading: str) -> str | None:
    """The section a commentary heading names ("Results", "results", "Why it moved"), or None."""
    wanted = " ".join(heading.split()).casefold()
    for key, text in SECTIONS.items():
        if wanted in (key.casefold(), text.heading.casefold(), key.replace("_", " ").casefold()):
            return key
    return None
