"""Plain, immutable records PlanService hands out (no live ORM objects leave the model).

The UI, the reports and the command line read these; they never hold a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from egov_planner.model.cycle import RecordedReport, ReportHeader, RevisionRecord
from egov_planner.model.rules import ActionFacts, ExternalFacts, LinkFacts, PlanFacts, ServiceRowFacts


@dataclass(frozen=True, slots=True)
class PlanDetails:
    authority: str = ""
    title: str = ""
    report_of: str = ""
    status_date: date | None = None
    due_soon_days: int = 14
    introduction: str = ""
    scope: str = ""
    recommendations: str = ""
    review_method: str = ""
    summary: str = ""
    financial_implications: str = ""
    legal_implications: str = ""
    consultations: str = ""
    officer_name: str = ""
    officer_role: str = ""
    officer_phone: str = ""
    officer_email: str = ""
    key_decision: bool | None = None
    key_decision_reason: str = ""
    in_forward_plan: bool | None = None
    decision_maker: str = ""
    background_papers: str = ""  # one paper a line
    wards_affected: str = ""
    agenda_item: str = ""
    report_date: date | None = None
    version: int = 1


PLAN_TEXT_FIELDS = tuple(
    name
    for name in PlanDetails.__dataclass_fields__
    if name not in {"status_date", "due_soon_days", "key_decision", "in_forward_plan", "report_date", "version"}
)


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    committee: str
    meets_on: date
    position: int
    version: int


@dataclass(frozen=True, slots=True)
class ImplicationRecord:
    id: int
    topic: str
    applies: bool
    paragraph_refs: str
    position: int
    version: int


@dataclass(frozen=True, slots=True)
class ConsultationRecord:
    id: int
    method: str
    audience: str
    respondents: int | None
    respondents_at_least: bool
    held_on: date | None
    summary: str
    position: int
    version: int

    @property
    def respondents_text(self) -> str:
        """'over 100', '130', or ''."""
        if self.respondents is None:
            return ""
        return f"over {self.respondents}" if self.respondents_at_least else str(self.respondents)


@dataclass(frozen=True, slots=True)
class DepartmentRecord:
    id: int
    name: str
    version: int


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    name: str
    job_title: str
    department_id: int | None
    department: str
    email: str
    phone: str
    left_on: date | None
    version: int


@dataclass(frozen=True, slots=True)
class ObjectiveRecord:
    id: int
    ref: str
    title: str
    description: str
    lead_id: int | None
    lead: str
    position: int
    exempt_paragraph: int | None
    version: int


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """successor waits on predecessor."""

    id: int
    predecessor_id: int
    predecessor_ref: str
    successor_id: int
    successor_ref: str
    kind: str
    lag_days: int
    version: int

    @property
    def as_text(self) -> str:
        """How the CSV writes it: 'A1.2', 'A1.2 SS', 'A1.2 FS+10d', 'A1.2 FF-5d'."""
        return link_text(self.predecessor_ref, self.kind, self.lag_days)


def link_text(ref: str, kind: str, lag_days: int) -> str:
    if lag_days:
        return f"{ref} {kind}{'+' if lag_days > 0 else '-'}{abs(lag_days)}d"
    return ref if kind == "FS" else f"{ref} {kind}"


@dataclass(frozen=True, slots=True)
class ExternalRecord:
    id: int
    name: str
    organisation: str
    expected_on: date | None
    confidence: str
    last_checked_on: date | None
    delivered_on: date | None
    notes: str
    version: int


@dataclass(frozen=True, slots=True)
class ProgressRecord:
    id: int
    action_id: int
    reported_on: date
    status: str
    percent_complete: int
    note: str
    author: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: int
    ref: str
    objective_id: int
    objective_ref: str
    title: str
    description: str
    owner_id: int | None
    owner: str
    owner_role: str
    owner_left_on: date | None
    department_id: int | None
    department: str
    start: date | None
    due: date
    status: str
    completed_on: date | None
    percent_complete: int
    expected: date | None
    success_measure: str
    resources: str
    notes: str
    exempt_paragraph: int | None
    position: int
    version: int
    predecessors: tuple[LinkRecord, ...] = ()
    externals: tuple[str, ...] = ()

    @property
    def depends_on_text(self) -> str:
        return "; ".join(link.as_text for link in self.predecessors)

    def facts(self) -> ActionFacts:
        return ActionFacts(
            id=self.id,
            ref=self.ref,
            objective_id=self.objective_id,
            start=self.start,
            due=self.due,
            status=self.status,
            completed_on=self.completed_on,
            percent_complete=self.percent_complete,
            owner_left_on=self.owner_left_on,
            expected=self.expected,
        )


@dataclass(frozen=True, slots=True)
class ServiceRowRecord:
    """One BVPI 157 service x interaction row, with its service's details."""

    id: int
    service_id: int
    service: str
    lgsl: int | None
    department_id: int | None
    department: str
    interaction: int
    permissible: bool
    reason: str
    enabled_on: date | None
    forecast_on: date | None
    channels: str
    external_id: int | None
    external: str
    version: int
    service_version: int = 1  # the service's own version (its name, LGSL number, department)

    def facts(self) -> ServiceRowFacts:
        return ServiceRowFacts(
            id=self.id,
            service=self.service,
            department=self.department,
            interaction=self.interaction,
            permissible=self.permissible,
            enabled_on=self.enabled_on,
            forecast_on=self.forecast_on,
            external_id=self.external_id,
        )


@dataclass(slots=True)
class PlanSnapshot:
    """The whole plan read in one transaction: what a window or a report pack needs."""

    details: PlanDetails
    meetings: list[MeetingRecord] = field(default_factory=list)
    implications: list[ImplicationRecord] = field(default_factory=list)
    consultations: list[ConsultationRecord] = field(default_factory=list)
    departments: list[DepartmentRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    objectives: list[ObjectiveRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    externals: list[ExternalRecord] = field(default_factory=list)
    waits_on: list[tuple[int, int]] = field(default_factory=list)
    latest_progress: dict[int, ProgressRecord] = field(default_factory=dict)
    service_rows: list[ServiceRowRecord] = field(default_factory=list)
    # The committee cycle (model/cycle.py): recorded reports oldest first, the newest in full, each
    # action's original target (its target in the first report that holds it) and its revisions.
    reports: list[ReportHeader] = field(default_factory=list)
    last_report: RecordedReport | None = None
    original_due: dict[int, date] = field(default_factory=dict)
    revisions: dict[int, tuple[RevisionRecord, ...]] = field(default_factory=dict)

    def facts(self) -> PlanFacts:
        return PlanFacts(
            actions=[a.facts() for a in self.actions],
            links=[LinkFacts(k.predecessor_id, k.successor_id, k.kind, k.lag_days) for k in self.links],
            externals={e.id: ExternalFacts(e.id, e.name, e.expected_on, e.delivered_on) for e in self.externals},
            waits_on=list(self.waits_on),
        )

    def external_facts(self) -> dict[int, ExternalFacts]:
        return {e.id: ExternalFacts(e.id, e.name, e.expected_on, e.delivered_on) for e in self.externals}

    def status_date_or(self, fallback: date) -> date:
        """The plan's status date, else fallback (the caller's 'today')."""
        return self.details.status_date or fallback
