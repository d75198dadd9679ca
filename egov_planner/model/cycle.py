"""The committee cycle: reports as issued, revised target dates, and what changed since a report.

Plain records and pure functions (no session, no clock). The store keeps recorded reports; these say
what a recorded report holds and how the plan now differs from it, so the command line (`changes`),
the pack ("Progress since the last report") and the window's Compare view give the same lists.
Rules in shared/design/DOMAIN.md ("The committee cycle"), JSON in CONTRACTS.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from egov_planner.model.rules import Flag, PlanAssessment

# RecordedReport.text's entry listing the refs of the actions the report held as exempt (Schedule 12A).
EXEMPT_REFS = "exempt_action_refs"


@dataclass(frozen=True, slots=True)
class ReportedAction:
    """One action exactly as a report stated it (never changed once recorded)."""

    ref: str
    title: str
    objective_ref: str
    status: str
    due: date  # the target date as reported
    forecast: date
    flag: str | None  # a Flag value ("overdue", "at_risk", "due_soon") or None
    rag: str  # a Rag letter
    percent_complete: int
    latest_note: str = ""
    action_id: int | None = None  # the action's row when it was recorded (None once read back after a delete)


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """One recorded report: what `snapshots` lists and the window's Reports list shows."""

    id: int
    label: str
    as_of: date  # the status date the report was made at
    taken_at: datetime
    taken_by: str
    actions: int  # how many actions it holds
    with_pack: bool = False  # recorded with a pack (`report --record`) rather than `snapshot`

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "as_of": self.as_of.isoformat(),
            "taken_at": self.taken_at.isoformat(timespec="seconds"),
            "actions": self.actions,
        }


@dataclass(frozen=True, slots=True)
class RecordedReport:
    """A report as issued: its text and meetings, every action's position and the BVPI figures."""

    header: ReportHeader
    text: Mapping[str, Any] = field(default_factory=dict)  # PlanDetails fields as reported (name -> value)
    meetings: tuple[tuple[str, date], ...] = ()  # (committee, date) in the report's order
    bvpi: Mapping[str, Any] = field(default_factory=dict)  # the `bvpi --format json` figures at as_of
    actions: tuple[ReportedAction, ...] = ()

    def by_ref(self) -> dict[str, ReportedAction]:
        return {a.ref: a for a in self.actions}


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """A revised target date: from, to, why, and who agreed it (optional)."""

    id: int
    action_id: int
    ref: str
    from_due: date
    to_due: date
    reason: str
    agreed_by: str
    at: datetime
    by: str

    @property
    def slip_days(self) -> int:
        return (self.to_due - self.from_due).days


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change to the plan: when, by whom, what, from what, to what, and why."""

    at: datetime
    by: str
    ref: str  # the action or objective ref, a name for other rows, "" for the plan itself
    field: str
    from_value: str
    to_value: str
    reason: str = ""
    what: str = "action"  # the kind of row: action, objective, dependency, plan, meeting, …

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "by": self.by,
            "ref": self.ref,
            "field": self.field,
            "from": self.from_value,
            "to": self.to_value,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Revised:
    ref: str
    from_due: date
    to_due: date
    reason: str

    @property
    def slip_days(self) -> int:
        return (self.to_due - self.from_due).days


@dataclass(frozen=True, slots=True)
class RagChange:
    ref: str
    from_rag: str
    to_rag: str


@dataclass(frozen=True, slots=True)
class ChangesSince:
    """The plan now against a recorded report (CONTRACTS.md `changes`)."""

    since: ReportHeader
    as_of: date
    completed: tuple[str, ...] = ()
    newly_overdue: tuple[str, ...] = ()
    newly_at_risk: tuple[str, ...] = ()
    revised: tuple[Revised, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    rag_changes: tuple[RagChange, ...] = ()

    def counts(self) -> dict[str, int]:
        """Each list's length, in the contract's order (the pack's and the window's summary line)."""
        return {name: len(getattr(self, name)) for name in CHANGE_LISTS}

    def as_json(self) -> dict[str, Any]:
        return {
            "since": {"label": self.since.label, "as_of": self.since.as_of.isoformat()},
            "as_of": self.as_of.isoformat(),
            "completed": list(self.completed),
            "newly_overdue": list(self.newly_overdue),
            "newly_at_risk": list(self.newly_at_risk),
            "revised": [
                {"ref": r.ref, "from": r.from_due.isoformat(), "to": r.to_due.isoformat(), "reason": r.reason}
                for r in self.revised
            ],
            "added": list(self.added),
            "removed": list(self.removed),
            "rag_changes": [{"ref": c.ref, "from": c.from_rag, "to": c.to_rag} for c in self.rag_changes],
        }


CHANGE_LISTS = ("completed", "newly_overdue", "newly_at_risk", "revised", "added", "removed", "rag_changes")


def reported_actions(
    actions: Iterable[Any], assessment: PlanAssessment, latest_notes: Mapping[int, str] | None = None
) -> list[ReportedAction]:
    """The plan's actions (ActionRecords, in plan order) as a report states them at assessment's status date."""
    notes = latest_notes or {}
    rows: list[ReportedAction] = []
    for action in actions:
        verdict = assessment.actions[action.id]
        rows.append(
            ReportedAction(
                ref=action.ref,
                title=action.title,
                objective_ref=action.objective_ref,
                status=action.status,
                due=action.due,
                forecast=verdict.forecast,
                flag=verdict.flag.value if verdict.flag else None,
                rag=verdict.rag.value,
                percent_complete=action.percent_complete,
                latest_note=notes.get(action.id, ""),
                action_id=action.id,
            )
        )
    return rows


def changes_since(
    report: RecordedReport,
    now: Sequence[ReportedAction],
    as_of: date,
    revision_reasons: Mapping[str, str] | None = None,
) -> ChangesSince:
    """What changed between a recorded report and the plan now (both as ReportedActions).

    Lists follow the plan's order now (removed: the report's order). revision_reasons maps a ref to its
    latest revision's reason.
    """
    reasons = revision_reasons or {}
    then = report.by_ref()
    now_refs = {a.ref for a in now}
    completed: list[str] = []
    overdue: list[str] = []
    at_risk: list[str] = []
    revised: list[Revised] = []
    added: list[str] = []
    rag_changes: list[RagChange] = []
    for action in now:
        before = then.get(action.ref)
        if before is None:
            added.append(action.ref)
        if action.status == "complete" and (before is None or before.status != "complete"):
            completed.append(action.ref)
        if action.flag == Flag.OVERDUE and (before is None or before.flag != Flag.OVERDUE):
            overdue.append(action.ref)
        if action.flag == Flag.AT_RISK and (before is None or before.flag != Flag.AT_RISK):
            at_risk.append(action.ref)
        if before is None:
            continue
        if action.due != before.due:
            revised.append(Revised(action.ref, before.due, action.due, reasons.get(action.ref, "")))
        if action.rag != before.rag:
            rag_changes.append(RagChange(action.ref, before.rag, action.rag))
    removed = tuple(a.ref for a in report.actions if a.ref not in now_refs)
    return ChangesSince(
        since=report.header,
        as_of=as_of,
        completed=tuple(completed),
        newly_overdue=tuple(overdue),
        newly_at_risk=tuple(at_risk),
        revised=tuple(revised),
        added=tuple(added),
        removed=removed,
        rag_changes=tuple(rag_changes),
    )


def original_targets(reports_oldest_first: Iterable[RecordedReport]) -> dict[str, date]:
    """Each ref's original target: its target date in the first recorded report that holds it."""
    original: dict[str, date] = {}
    for report in reports_oldest_first:
        for action in report.actions:
            original.setdefault(action.ref, action.due)
    return original
