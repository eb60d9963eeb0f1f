"""The work behind the numbers: what we did, what comes next, what we need, what was said.

Pure functions turn the four inputs (read by :mod:`reportkit.work.files`) into the
report's sections; :func:`build` is the one place that reads the files named under
``work:`` in the params. A section without data is ``None`` (or empty) and is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from reportkit.core.i18n import _, ngettext
from reportkit.paths import resolve_path
from reportkit.work.files import (ActionItem, Contact, PlanItem, WorkItem, load_action_items,
                            load_communication, load_plan, load_work_log)

__all__ = ["load_work_log", "load_plan", "load_action_items", "load_communication",
           "what_we_did", "next_period", "needs_from_client", "communication_summary",
           "build", "WorkSections"]

STALE_CONTACT_DAYS = 14   # a report that shows no contact for longer than this flags it


def goal_name(goal_id: str, names: dict[str, str]) -> str:
    """The client's words for a goal; the id made readable when params declare no goals."""
    return names.get(goal_id) or goal_id.replace("_", " ").replace("-", " ").capitalize()


def _in(d: date, start: date, end: date) -> bool:
    return start <= d <= end


# --- What we did ------------------------------------------------------------------------
@dataclass
class GoalWork:
    goal_id: str
    name: str
    items: list[WorkItem]

    @property
    def hours(self) -> float:
        return sum(i.hours for i in self.items)


@dataclass
class WorkDone:
    goals: list[GoalWork]             # in the client's goal order
    a_tasks: list[WorkItem]           # important work outside the goals, listed
    b_count: int                      # minor work: summarised only
    b_hours: float

    @property
    def goal_hours(self) -> float:
        return sum(g.hours for g in self.goals)

    @property
    def total_hours(self) -> float:
        return self.goal_hours + sum(i.hours for i in self.a_tasks) + self.b_hours

    @property
    def goal_share(self) -> float | None:
        """Share of the period's hours spent on goal work; None when no hours were logged."""
        total = self.total_hours
        return self.goal_hours / total if total else None

    def as_dict(self) -> dict:
        return {"goals": [{"id": g.goal_id, "name": g.name, "hours": g.hours,
                           "items": [_work_dict(i) for i in g.items]} for g in self.goals],
                "a_tasks": [_work_dict(i) for i in self.a_tasks],
                "b_tasks": {"count": self.b_count, "hours": self.b_hours},
                "goal_hours": self.goal_hours, "total_hours": self.total_hours,
                "goal_share": self.goal_share}


def _work_dict(item: WorkItem) -> dict:
    return {"date": item.date.isoformat(), "task": item.task, "hours": item.hours,
            "goal": item.goal, "importance": item.importance, "deliverable": item.deliverable,
            "link": item.link, "result": item.result}


def what_we_did(items: list[WorkItem], start: date, end: date,
                goal_order: list[str] | None = None, names: dict[str, str] | None = None
                ) -> WorkDone | None:
    """The period's work: goal work under its goal (client's order, then first seen), A-tasks
    listed, B-tasks counted. None when nothing was logged in the period."""
    names = names or {}
    period = sorted((i for i in items if _in(i.date, start, end)), key=lambda i: i.date)
    if not period:
        return None
    order = list(goal_order or [])
    order += [g for g in dict.fromkeys(i.goal for i in period if i.goal) if g not in order]
    goals = [GoalWork(g, goal_name(g, names), [i for i in period if i.goal == g]) for g in order]
    minor = [i for i in period if i.goal is None and i.importance == "B"]
    return WorkDone(goals=[g for g in goals if g.items],
                    a_tasks=[i for i in period if i.goal is None and i.importance == "A"],
                    b_count=len(minor), b_hours=sum(i.hours for i in minor))


# --- Next period --------------------------------------------------------------------------
def next_period(plan: list[PlanItem]) -> list[PlanItem]:
    """The plan by due date (our tasks before the client's on the same day)."""
    return sorted(plan, key=lambda p: (p.due, p.owner != "us"))


def _plan_dict(p: PlanItem, names: dict[str, str]) -> dict:
    return {"task": p.task, "owner": p.owner, "due": p.due.isoformat(), "deliverable": p.deliverable,
            "goal": p.goal, "goal_name": goal_name(p.goal, names) if p.goal else None}


# --- What we need from you -------------------------------------------------------------------
@dataclass(frozen=True)
class OpenAction:
    action: ActionItem
    days_overdue: int                 # > 0 overdue, 0 due today, < 0 due in the future

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def when(self) -> str:
        n = self.days_overdue
        if n > 0:
            return ngettext("overdue by {n} day", "overdue by {n} days", n).format(n=n)
        if n == 0:
            return _("due today")
        return ngettext("due in {n} day", "due in {n} days", -n).format(n=-n)

    def as_dict(self) -> dict:
        a = self.action
        return {"item": a.item, "why": a.why, "due": a.due.isoformat(), "status": a.status,
                "overdue": self.overdue, "days_overdue": self.days_overdue}


def needs_from_client(actions: list[ActionItem], report_date: date) -> list[OpenAction]:
    """Open items, overdue first (most overdue first), then by due date. An item due on the
    report date is not overdue yet."""
    open_items = [OpenAction(a, (report_date - a.due).days) for a in actions if a.status == "open"]
    return sorted(open_items, key=lambda o: (-o.days_overdue, o.action.item))


# --- Communication summary ----------------------------------------------------------------
@dataclass
class CommunicationSummary:
    interactions: list[Contact]                       # in the period
    decisions: list[tuple[date, str]]                 # made in the period
    open_issues: list[Contact]                        # raised by the report date, not resolved
    resolved_issues: list[Contact]                    # resolved from the period start to the report date
    last_contact: date | None
    next_contact: date | None                         # earliest follow-up on or after the report date
    missed_follow_ups: list[date] = field(default_factory=list)
    days_since_contact: int | None = None
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "interactions": [{"date": c.date.isoformat(), "time": c.time.strftime("%H:%M") if c.time else None,
                              "channel": c.channel, "participants": c.participants,
                              "summary": c.summary, "decisions": list(c.decisions)}
                             for c in self.interactions],
            "decisions": [{"date": d.isoformat(), "decision": t} for d, t in self.decisions],
            "open_issues": [{"issue": c.issue, "raised": c.date.isoformat()} for c in self.open_issues],
            "resolved_issues": [{"issue": c.issue, "raised": c.date.isoformat(),
                                 "resolution": c.resolution, "resolved_on": iso(c.resolved_on)}
                                for c in self.resolved_issues],
            "last_contact": iso(self.last_contact), "days_since_contact": self.days_since_contact,
            "next_contact": iso(self.next_contact),
            "missed_follow_ups": [d.isoformat() for d in self.missed_follow_ups],
            "flags": self.flags}


def communication_summary(contacts: list[Contact], start: date, end: date,
                          report_date: date) -> CommunicationSummary | None:
    """What was said in the period, and whether contact with the client has lapsed.

    Entries dated after the report date are ignored (not happened yet). A follow-up date is
    missed when it is before the report date and no contact happened on or after it.
    """
    known = sorted((c for c in contacts if c.date <= report_date), key=lambda c: (c.date, c.time or time.min))
    if not known:
        return None
    in_period = [c for c in known if _in(c.date, start, end)]
    last = known[-1].date
    missed = sorted({c.follow_up for c in known if c.follow_up and c.follow_up < report_date
                     and not any(k.date >= c.follow_up for k in known)})
    ahead = [c.follow_up for c in known if c.follow_up and c.follow_up >= report_date]
    days = (report_date - last).days
    flags = []
    if days > STALE_CONTACT_DAYS:
        flags.append(f"Our last contact was {days} days ago ({last:%-d %b %Y}); "
                     f"we should get in touch.")
    for d in missed:
        flags.append(f"The follow-up planned for {d:%-d %b %Y} has not happened yet.")
    return CommunicationSummary(
        interactions=in_period,
        decisions=[(c.date, d) for c in in_period for d in c.decisions],
        open_issues=[c for c in known if c.issue and not (c.resolved_on and c.resolved_on <= report_date)],
        resolved_issues=[c for c in known if c.issue and c.resolved_on
                         and start <= c.resolved_on <= report_date],
        last_contact=last, next_contact=min(ahead) if ahead else None,
        missed_follow_ups=missed, days_since_contact=days, flags=flags)


# --- the bundle a report holds ---------------------------------------------------------------
@dataclass
class WorkSections:
    done: WorkDone | None = None
    plan: list[PlanItem] = field(default_factory=list)
    actions: list[OpenAction] = field(default_factory=list)
    communication: CommunicationSummary | None = None
    goal_names: dict[str, str] = field(default_factory=dict)

    def sidecar(self) -> dict:
        """The sidecar keys ``work``, ``plan``, ``action_items``, ``communication``."""
        return {"work": self.done.as_dict() if self.done else None,
                "plan": [_plan_dict(p, self.goal_names) for p in self.plan],
                "action_items": [a.as_dict() for a in self.actions],
                "communication": self.communication.as_dict() if self.communication else None}


def build(cfg, periods) -> WorkSections:
    """Read the files under ``work:`` in the params and compute every section."""
    # Goals come from another part of ClientConfig; without them (older params, or before
    # goals exist) goal references are not checked: any goal id is accepted and shown as words.
    goals = getattr(cfg, "goals", None) or []
    goal_ids = {g.id for g in goals} or None
    names = {g.id: g.name for g in goals}
    files = getattr(cfg, "work", None)
    if files is None:
        return WorkSections()
    cur, today = periods.current, cfg.report_date()
    out = WorkSections(goal_names=names)
    if files.log:
        out.done = what_we_did(load_work_log(resolve_path(files.log), goal_ids), cur.start, cur.end,
                               [g.id for g in goals], names)
    if files.plan:
        out.plan = next_period(load_plan(resolve_path(files.plan), goal_ids))
    if files.action_items:
        out.actions = needs_from_client(load_action_items(resolve_path(files.action_items)), today)
    if files.communication:
        out.communication = communication_summary(load_communication(resolve_path(files.communication)),
                                                  cur.start, cur.end, today)
    return out
