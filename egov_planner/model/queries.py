"""Read a plan in a few set-based queries (never one query per row).

A 50,000-action plan is read with one SELECT per table through SQLAlchemy
Core, straight into plain records: no ORM identity map, no lazy loads.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from egov_planner.model.entities import (
    Action,
    ActionExternal,
    ConsultationEvidence,
    Department,
    Dependency,
    ExternalDependency,
    Meeting,
    Objective,
    OtherImplication,
    Person,
    Plan,
    ProgressUpdate,
    Service,
    ServiceInteraction,
)
from egov_planner.model.records import (
    ActionRecord,
    ConsultationRecord,
    DepartmentRecord,
    ExternalRecord,
    ImplicationRecord,
    LinkRecord,
    MeetingRecord,
    ObjectiveRecord,
    PersonRecord,
    PlanDetails,
    PlanSnapshot,
    ProgressRecord,
    ServiceRowRecord,
)
from egov_planner.model.rules import ActionFacts, ExternalFacts, LinkFacts, PlanFacts


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    """Split ids for IN (...) clauses: older SQLite builds allow 999 bound parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def plan_details(session: Session) -> PlanDetails:
    plan = session.get(Plan, 1)
    if plan is None:
        return PlanDetails()
    return PlanDetails(**{name: getattr(plan, name) for name in PlanDetails.__dataclass_fields__})


def load_facts(session: Session) -> PlanFacts:
    """Only what the flag rules need, for the whole plan."""
    left = aliased(Person)
    action_rows = session.execute(
        select(
            Action.id,
            Action.ref,
            Action.objective_id,
            Action.start,
            Action.due,
            Action.status,
            Action.completed_on,
            Action.percent_complete,
            left.left_on,
        ).outerjoin(left, left.id == Action.owner_id)
    ).all()
    links = session.execute(
        select(Dependency.predecessor_id, Dependency.successor_id, Dependency.kind, Dependency.lag_days)
    ).all()
    externals = session.execute(
        select(
            ExternalDependency.id,
            ExternalDependency.name,
            ExternalDependency.expected_on,
            ExternalDependency.delivered_on,
        )
    ).all()
    waits = session.execute(select(ActionExternal.action_id, ActionExternal.external_id)).all()
    return PlanFacts(
        actions=[ActionFacts(*row) for row in action_rows],
        links=[LinkFacts(*row) for row in links],
        externals={row[0]: ExternalFacts(*row) for row in externals},
        waits_on=[(row[0], row[1]) for row in waits],
    )


def _link_query() -> Select[int, int, str, int, str, str, int, int]:
    pred = aliased(Action)
    succ = aliased(Action)
    return (
        select(
            Dependency.id,
            Dependency.predecessor_id,
            pred.ref,
            Dependency.successor_id,
            succ.ref,
            Dependency.kind,
            Dependency.lag_days,
            Dependency.version,
        )
        .join(pred, pred.id == Dependency.predecessor_id)
        .join(succ, succ.id == Dependency.successor_id)
        .order_by(succ.ref, pred.ref)
    )


def load_links(session: Session) -> list[LinkRecord]:
    return [LinkRecord(*row) for row in session.execute(_link_query()).all()]


def load_links_of(session: Session, action_id: int) -> list[LinkRecord]:
    """The links into and out of one action."""
    touching = (Dependency.predecessor_id == action_id) | (Dependency.successor_id == action_id)
    return [LinkRecord(*row) for row in session.execute(_link_query().where(touching)).all()]


def load_actions(
    session: Session, links: list[LinkRecord] | None = None, only_ids: set[int] | None = None
) -> list[ActionRecord]:
    """Every action (or those in only_ids) with its owner, department, predecessors and externals."""
    owner = aliased(Person)
    query = (
        select(
            # Labelled with ActionRecord's field names: records are built by name, not position.
            Action.id.label("id"),
            Action.ref.label("ref"),
            Action.objective_id.label("objective_id"),
            Objective.ref.label("objective_ref"),
            Action.title.label("title"),
            Action.description.label("description"),
            Action.owner_id.label("owner_id"),
            func.coalesce(owner.name, "").label("owner"),
            func.coalesce(owner.job_title, "").label("owner_role"),
            owner.left_on.label("owner_left_on"),
            Action.department_id.label("department_id"),
            func.coalesce(Department.name, "").label("department"),
            Action.start.label("start"),
            Action.due.label("due"),
            Action.status.label("status"),
            Action.completed_on.label("completed_on"),
            Action.percent_complete.label("percent_complete"),
            Action.success_measure.label("success_measure"),
            Action.resources.label("resources"),
            Action.notes.label("notes"),
            Action.exempt_paragraph.label("exempt_paragraph"),
            Action.position.label("position"),
            Action.version.label("version"),
        )
        .join(Objective, Objective.id == Action.objective_id)
        .outerjoin(owner, owner.id == Action.owner_id)
        .outerjoin(Department, Department.id == Action.department_id)
        .order_by(Objective.position, Objective.ref, Action.position, Action.ref)
    )
    externals_query = (
        select(ActionExternal.action_id, ExternalDependency.name)
        .join(ExternalDependency, ExternalDependency.id == ActionExternal.external_id)
        .order_by(ExternalDependency.name)
    )
    if only_ids is None:
        rows = session.execute(query).all()
        if links is None:
            links = load_links(session)
        waits = session.execute(externals_query).all()
    else:
        # A few actions (after an edit): read only their rows, their own links and waits.
        rows, waits, own_links = [], [], []
        for chunk in _chunks(sorted(only_ids)):
            rows += session.execute(query.where(Action.id.in_(chunk))).all()
            waits += session.execute(externals_query.where(ActionExternal.action_id.in_(chunk))).all()
            if links is None:
                own_links += [
                    LinkRecord(*row)
                    for row in session.execute(_link_query().where(Dependency.successor_id.in_(chunk))).all()
                ]
        links = own_links if links is None else links
    predecessors: dict[int, list[LinkRecord]] = defaultdict(list)
    for link in links:
        predecessors[link.successor_id].append(link)
    external_names: dict[int, list[str]] = defaultdict(list)
    for action_id, name in waits:
        external_names[action_id].append(name)
    return [
        ActionRecord(
            **row._mapping,
            predecessors=tuple(predecessors.get(row.id, ())),
            externals=tuple(external_names.get(row.id, ())),
        )
        for row in rows
    ]


def load_objectives(session: Session) -> list[ObjectiveRecord]:
    rows = session.execute(
        select(
            Objective.id,
            Objective.ref,
            Objective.title,
            Objective.description,
            Objective.lead_id,
            func.coalesce(Person.name, ""),
            Objective.position,
            Objective.exempt_paragraph,
            Objective.version,
        )
        .outerjoin(Person, Person.id == Objective.lead_id)
        .order_by(Objective.position, Objective.ref)
    ).all()
    return [ObjectiveRecord(*row) for row in rows]


def load_people(session: Session) -> list[PersonRecord]:
    rows = session.execute(
        select(
            Person.id,
            Person.name,
            Person.job_title,
            Person.department_id,
            func.coalesce(Department.name, ""),
            Person.email,
            Person.phone,
            Person.left_on,
            Person.version,
        )
        .outerjoin(Department, Department.id == Person.department_id)
        .order_by(Person.name)
    ).all()
    return [PersonRecord(*row) for row in rows]


def load_departments(session: Session) -> list[DepartmentRecord]:
    rows = session.execute(select(Department.id, Department.name, Department.version).order_by(Department.name)).all()
    return [DepartmentRecord(*row) for row in rows]


def load_externals(session: Session) -> list[ExternalRecord]:
    rows = session.execute(
        select(
            ExternalDependency.id,
            ExternalDependency.name,
            ExternalDependency.organisation,
            ExternalDependency.expected_on,
            ExternalDependency.confidence,
            ExternalDependency.last_checked_on,
            ExternalDependency.delivered_on,
            ExternalDependency.notes,
            ExternalDependency.version,
        ).order_by(ExternalDependency.name)
    ).all()
    return [ExternalRecord(*row) for row in rows]


def _progress_select() -> Select[int, int, date, str, int, str, str, datetime]:
    """Progress updates as ProgressRecord's fields, in order."""
    return select(
        ProgressUpdate.id,
        ProgressUpdate.action_id,
        ProgressUpdate.reported_on,
        ProgressUpdate.status,
        ProgressUpdate.percent_complete,
        ProgressUpdate.note,
        ProgressUpdate.author,
        ProgressUpdate.recorded_at,
    )


def load_progress(session: Session, action_id: int) -> list[ProgressRecord]:
    """An action's progress history, oldest first."""
    rows = session.execute(
        _progress_select()
        .where(ProgressUpdate.action_id == action_id)
        .order_by(ProgressUpdate.reported_on, ProgressUpdate.id)
    ).all()
    return [ProgressRecord(*row) for row in rows]


def load_latest_progress(session: Session) -> dict[int, ProgressRecord]:
    """The latest progress update of every action that has one (one query)."""
    # The latest by report date, then by entry order: ids grow with entry, so
    # pick the max id among the rows with the max reported_on.
    newest_date = (
        select(ProgressUpdate.action_id, func.max(ProgressUpdate.reported_on).label("last_on"))
        .group_by(ProgressUpdate.action_id)
        .subquery()
    )
    best = (
        select(func.max(ProgressUpdate.id).label("id"))
        .join(
            newest_date,
            (newest_date.c.action_id == ProgressUpdate.action_id)
            & (newest_date.c.last_on == ProgressUpdate.reported_on),
        )
        .group_by(ProgressUpdate.action_id)
        .subquery()
    )
    rows = session.execute(_progress_select().join(best, best.c.id == ProgressUpdate.id)).all()
    return {row[1]: ProgressRecord(*row) for row in rows}


def load_service_rows(session: Session) -> list[ServiceRowRecord]:
    rows = session.execute(
        select(
            ServiceInteraction.id.label("id"),
            Service.id.label("service_id"),
            Service.name.label("service"),
            Service.lgsl.label("lgsl"),
            Service.department_id.label("department_id"),
            func.coalesce(Department.name, "").label("department"),
            ServiceInteraction.interaction.label("interaction"),
            ServiceInteraction.permissible.label("permissible"),
            ServiceInteraction.reason.label("reason"),
            ServiceInteraction.enabled_on.label("enabled_on"),
            ServiceInteraction.forecast_on.label("forecast_on"),
            ServiceInteraction.channels.label("channels"),
            ServiceInteraction.external_id.label("external_id"),
            func.coalesce(ExternalDependency.name, "").label("external"),
            ServiceInteraction.version.label("version"),
        )
        .join(Service, Service.id == ServiceInteraction.service_id)
        .outerjoin(Department, Department.id == Service.department_id)
        .outerjoin(ExternalDependency, ExternalDependency.id == ServiceInteraction.external_id)
        .order_by(func.lower(Department.name), func.lower(Service.name), ServiceInteraction.interaction)
    ).all()
    return [ServiceRowRecord(**row._mapping) for row in rows]


def load_snapshot(session: Session) -> PlanSnapshot:
    """The whole plan, for a window or a report pack."""
    links = load_links(session)
    return PlanSnapshot(
        details=plan_details(session),
        meetings=[
            MeetingRecord(*row)
            for row in session.execute(
                select(Meeting.id, Meeting.committee, Meeting.meets_on, Meeting.position, Meeting.version).order_by(
                    Meeting.position, Meeting.meets_on
                )
            ).all()
        ],
        implications=[
            ImplicationRecord(*row)
            for row in session.execute(
                select(
                    OtherImplication.id,
                    OtherImplication.topic,
                    OtherImplication.applies,
                    OtherImplication.paragraph_refs,
                    OtherImplication.position,
                    OtherImplication.version,
                ).order_by(OtherImplication.position, OtherImplication.id)
            ).all()
        ],
        consultations=[
            ConsultationRecord(*row)
            for row in session.execute(
                select(
                    ConsultationEvidence.id,
                    ConsultationEvidence.method,
                    ConsultationEvidence.audience,
                    ConsultationEvidence.respondents,
                    ConsultationEvidence.respondents_at_least,
                    ConsultationEvidence.held_on,
                    ConsultationEvidence.summary,
                    ConsultationEvidence.position,
                    ConsultationEvidence.version,
                ).order_by(ConsultationEvidence.position, ConsultationEvidence.id)
            ).all()
        ],
        departments=load_departments(session),
        people=load_people(session),
        objectives=load_objectives(session),
        actions=load_actions(session, links),
        links=links,
        externals=load_externals(session),
        waits_on=[
            (row[0], row[1])
            for row in session.execute(select(ActionExternal.action_id, ActionExternal.external_id)).all()
        ],
        latest_progress=load_latest_progress(session),
        service_rows=load_service_rows(session),
    )


def load_action_labels(session: Session) -> dict[int, tuple[str, str, str]]:
    """Title, objective ref and owner name of every action, in one query (for lists)."""
    rows = session.execute(
        select(Action.id, Action.title, Objective.ref, func.coalesce(Person.name, ""))
        .join(Objective, Objective.id == Action.objective_id)
        .outerjoin(Person, Person.id == Action.owner_id)
    ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}
