"""Whether a report section has anything to say: the section mechanism
(``reportkit.notebook.SECTION_VIEWS``) leaves a section out entirely (heading, contents link
and all) when its function here returns False.

One function per section whose content depends on the client's params or data; sections
not listed always have content (summary, results, data notes).
"""

from __future__ import annotations


def has_goals(report) -> bool:
    """Goals section: the client has goals in params."""
    return bool(report.analysis.goals)


def has_budget(report) -> bool:
    """Budget section: a budget is set (spend alone is already in the results)."""
    return report.cfg.budget is not None and bool(report.analysis.budget)


def has_benchmarks(report) -> bool:
    """Benchmarks: at least one KPI has a benchmark with a value."""
    return any(c.get("value") is not None for b in report.analysis.benchmarks for c in b["comparisons"])


def has_why(report) -> bool:
    """Why it moved: a KPI moved materially, or one could not be compared (that is said there)."""
    return bool(report.analysis.drivers) or any(
        f.not_comparable("previous") for f in report.figures.values() if f.kpi.daily)


SECTIONS = {"goals": has_goals, "budget": has_budget, "benchmarks": has_benchmarks, "why": has_why}


def sections_with_content(report) -> dict[str, bool]:
    """``{"goals": True, "budget": False, ...}`` for the template's section mechanism."""
    return {name: check(report) for name, check in SECTIONS.items()}
