"""Read a plan in a few set-based queries (never one query per row).

A 50,000-action plan is read with one SELECT per table through SQLAlchemy
Core, straight into plain records: no ORM identity map, no lazy loads. Only
Core tables are used, so a read-only command (overdue, bvpi, export) can pass
a plain Connection and never load the ORM; the edit path passes its Session.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select

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
from egov_planner.model.tables import (
    action,
    action_external,
    consultation_evidence,
    department,
    dependency,
    external_dependency,
    meeting,
    objective,
    other_implication,
    person,
    plan,
    progress_update,
    service,
    service_interaction,
)

if TYPE_CHECKING:  # the ORM only for the type: a Session reads as well as a Connection
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Connection | Session


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    """Split ids for IN (...) clauses: older SQLite builds allow 999 bound parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def plan_details(session: Reader) -> PlanDetails:
    # The one Plan row, whatever id the database gave it (the store's plan_row_id).
    fields = list(PlanDetails.__dataclass_fields__)
    row = session.execute(select(*(plan.c[name] for name in fields)).order_by(plan.c.id).limit(1)).first()
    if row is None:
        return PlanDetails()
    return PlanDetails(**row._mapping)


def load_facts(session: Reader) -> PlanFacts:
    """Only what the flag rules need, for the whole plan."""
    left = person.alias()
    action_rows = session.execute(
        select(
            action.c.id,
            action.c.ref,
            action.c.objective_id,
            action.c.start,
            action.c.due,
            action.c.status,
            action.c.completed_on,
            action.c.percent_complete,
            left.c.left_on,
        ).outerjoin(left, left.c.id == action.c.owner_id)
    ).all()
    links = session.execute(
        select(dependency.c.predecessor_id, dependency.c.successor_id, dependency.c.kind, dependency.c.lag_days)
    ).all()
    externals = session.execute(
        select(
            external_dependency.c.id,
            external_dependency.c.name,
            external_dependency.c.expected_on,
            external_dependency.c.delivered_on,
        )
    ).all()
    waits = session.execute(select(action_external.c.action_id, action_external.c.external_id)).all()
    return PlanFacts(
        actions=[ActionFacts(*row) for row in action_rows],
        links=[LinkFacts(*row) for row in links],
        externals={row[0]: ExternalFacts(*row) for row in externals},
        waits_on=[(row[0], row[1]) for row in waits],
    )


def _link_query() -> Select[int, int, str, int, str, str, int, int]:
    pred = action.alias()
    succ = action.alias()
    return (
        select(
            dependency.c.id,
            dependency.c.predecessor_id,
            pred.c.ref,
            dependency.c.successor_id,
            succ.c.ref,
            dependency.c.kind,
            dependency.c.lag_days,
            dependency.c.version,
        )
        .join(pred, pred.c.id == dependency.c.predecessor_id)
        .join(succ, succ.c.id == dependency.c.successor_id)
        .order_by(succ.c.ref, pred.c.ref)
    )


def load_links(session: Reader) -> list[LinkRecord]:
    return [LinkRecord(*row) for row in session.execute(_link_query()).all()]


def load_links_of(session: Reader, action_id: int) -> list[LinkRecord]:
    """The links into and out of one action."""
    touching = (dependency.c.predecessor_id == action_id) | (dependency.c.successor_id == action_id)
    return [LinkRecord(*row) for row in session.execute(_link_query().where(touching)).all()]


def load_actions(
    session: Reader, links: list[LinkRecord] | None = None, only_ids: set[int] | None = None
) -> list[ActionRecord]:
    """Every action (or those in only_ids) with its owner, department, predecessors and externals."""
    owner = person.alias()
    query = (
        select(
            # Labelled with ActionRecord's field names: records are built by name, not position.
            action.c.id.label("id"),
            action.c.ref.label("ref"),
            action.c.objective_id.label("objective_id"),
            objective.c.ref.label("objective_ref"),
            action.c.title.label("title"),
            action.c.description.label("description"),
            action.c.owner_id.label("owner_id"),
            func.coalesce(owner.c.name, "").label("owner"),
            func.coalesce(owner.c.job_title, "").label("owner_role"),
            owner.c.left_on.label("owner_left_on"),
            action.c.department_id.label("department_id"),
            func.coalesce(department.c.name, "").label("department"),
            action.c.start.label("start"),
            action.c.due.label("due"),
            action.c.status.label("status"),
            action.c.completed_on.label("completed_on"),
            action.c.percent_complete.label("percent_complete"),
            action.c.success_measure.label("success_measure"),
            action.c.resources.label("resources"),
            action.c.notes.label("notes"),
            action.c.exempt_paragraph.label("exempt_paragraph"),
            action.c.position.label("position"),
            action.c.version.label("version"),
        )
        .join(objective, objective.c.id == action.c.objective_id)
        .outerjoin(owner, owner.c.id == action.c.owner_id)
        .outerjoin(department, department.c.id == action.c.department_id)
        .order_by(objective.c.position, objective.c.ref, action.c.position, action.c.ref)
    )
    externals_query = (
        select(action_external.c.action_id, external_dependency.c.name)
        .join(external_dependency, external_dependency.c.id == action_external.c.external_id)
        .order_by(external_dependency.c.name)
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
            rows += session.execute(query.where(action.c.id.in_(chunk))).all()
            waits += session.execute(externals_query.where(action_external.c.action_id.in_(chunk))).all()
            if links is None:
                own_links += [
                    LinkRecord(*row)
                    for row in session.execute(_link_query().where(dependency.c.successor_id.in_(chunk))).all()
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


def load_objectives(session: Reader) -> list[ObjectiveRecord]:
    rows = session.execute(
        select(
            objective.c.id,
            objective.c.ref,
            objective.c.title,
            objective.c.description,
            objective.c.lead_id,
            func.coalesce(person.c.name, ""),
            objective.c.position,
            objective.c.exempt_paragraph,
            objective.c.version,
        )
        .outerjoin(person, person.c.id == objective.c.lead_id)
        .order_by(objective.c.position, objective.c.ref)
    ).all()
    return [ObjectiveRecord(*row) for row in rows]


def load_people(session: Reader) -> list[PersonRecord]:
    rows = session.execute(
        select(
            person.c.id,
            person.c.name,
            person.c.job_title,
            person.c.department_id,
            func.coalesce(department.c.name, ""),
            person.c.email,
            person.c.phone,
            person.c.left_on,
            person.c.version,
        )
        .outerjoin(department, department.c.id == person.c.department_id)
        .order_by(person.c.name)
    ).all()
    return [PersonRecord(*row) for row in rows]


def load_departments(session: Reader) -> list[DepartmentRecord]:
    rows = session.execute(
        select(department.c.id, department.c.name, department.c.version).order_by(department.c.name)
    ).all()
    return [DepartmentRecord(*row) for row in rows]


def load_externals(session: Reader) -> list[ExternalRecord]:
    rows = session.execute(
        select(
            external_dependency.c.id,
            external_dependency.c.name,
            external_dependency.c.organisation,
            external_dependency.c.expected_on,
            external_dependency.c.confidence,
            external_dependency.c.last_checked_on,
            external_dependency.c.delivered_on,
            external_dependency.c.notes,
            external_dependency.c.version,
        ).order_by(external_dependency.c.name)
    ).all()
    return [ExternalRecord(*row) for row in rows]


def _progress_select() -> Select[int, int, date, str, int, str, str, datetime]:
    """Progress updates as ProgressRecord's fields, in order."""
    return select(
        progress_update.c.id,
        progress_update.c.action_id,
        progress_update.c.reported_on,
        progress_update.c.status,
        progress_update.c.percent_complete,
        progress_update.c.note,
        progress_update.c.author,
        progress_update.c.recorded_at,
    )


def load_progress(session: Reader, action_id: int) -> list[ProgressRecord]:
    """An action's progress history, oldest first."""
    rows = session.execute(
        _progress_select()
        .where(progress_update.c.action_id == action_id)
        .order_by(progress_update.c.reported_on, progress_update.c.id)
    ).all()
    return [ProgressRecord(*row) for row in rows]


def load_latest_progress(session: Reader) -> dict[int, ProgressRecord]:
    """The latest progress update of every action that has one (one query)."""
    # The latest by report date, then by entry order: ids grow with entry, so
    # pick the max id among the rows with the max reported_on.
    newest_date = (
        select(progress_update.c.action_id, func.max(progress_update.c.reported_on).label("last_on"))
        .group_by(progress_update.c.action_id)
        .subquery()
    )
    best = (
        select(func.max(progress_update.c.id).label("id"))
        .join(
            newest_date,
            (newest_date.c.action_id == progress_update.c.action_id)
            & (newest_date.c.last_on == progress_update.c.reported_on),
        )
        .group_by(progress_update.c.action_id)
        .subquery()
    )
    rows = session.execute(_progress_select().join(best, best.c.id == progress_update.c.id)).all()
    return {row[1]: ProgressRecord(*row) for row in rows}


def load_service_rows(session: Reader) -> list[ServiceRowRecord]:
    rows = session.execute(
        select(
            service_interaction.c.id.label("id"),
            service.c.id.label("service_id"),
            service.c.name.label("service"),
            service.c.lgsl.label("lgsl"),
            service.c.department_id.label("department_id"),
            func.coalesce(department.c.name, "").label("department"),
            service_interaction.c.interaction.label("interaction"),
            service_interaction.c.permissible.label("permissible"),
            service_interaction.c.reason.label("reason"),
            service_interaction.c.enabled_on.label("enabled_on"),
            service_interaction.c.forecast_on.label("forecast_on"),
            service_interaction.c.channels.label("channels"),
            service_interaction.c.external_id.label("external_id"),
            func.coalesce(external_dependency.c.name, "").label("external"),
            service_interaction.c.version.label("version"),
            service.c.version.label("service_version"),
        )
        .join(service, service.c.id == service_interaction.c.service_id)
        .outerjoin(department, department.c.id == service.c.department_id)
        .outerjoin(external_dependency, external_dependency.c.id == service_interaction.c.external_id)
        .order_by(func.lower(department.c.name), func.lower(service.c.name), service_interaction.c.interaction)
    ).all()
    return [ServiceRowRecord(**row._mapping) for row in rows]


def load_snapshot(session: Reader) -> PlanSnapshot:
    """The whole plan, for a window or a report pack."""
    links = load_links(session)
    return PlanSnapshot(
        details=plan_details(session),
        meetings=[
            MeetingRecord(*row)
            for row in session.execute(
                select(
                    meeting.c.id, meeting.c.committee, meeting.c.meets_on, meeting.c.position, meeting.c.version
                ).order_by(meeting.c.position, meeting.c.meets_on)
            ).all()
        ],
        implications=[
            ImplicationRecord(*row)
            for row in session.execute(
                select(
                    other_implication.c.id,
                    other_implication.c.topic,
                    other_implication.c.applies,
                    other_implication.c.paragraph_refs,
                    other_implication.c.position,
                    other_implication.c.version,
                ).order_by(other_implication.c.position, other_implication.c.id)
            ).all()
        ],
        consultations=[
            ConsultationRecord(*row)
            for row in session.execute(
                select(
                    consultation_evidence.c.id,
                    consultation_evidence.c.method,
                    consultation_evidence.c.audience,
                    consultation_evidence.c.respondents,
                    consultation_evidence.c.respondents_at_least,
                    consultation_evidence.c.held_on,
                    consultation_evidence.c.summary,
                    consultation_evidence.c.position,
                    consultation_evidence.c.version,
                ).order_by(consultation_evidence.c.position, consultation_evidence.c.id)
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
            for row in session.execute(select(action_external.c.action_id, action_external.c.external_id)).all()
        ],
        latest_progress=load_latest_progress(session),
        service_rows=load_service_rows(session),
    )


def load_action_labels(session: Reader) -> dict[int, tuple[str, str, str]]:
    """Title, objective ref and owner name of every action, in one query (for lists)."""
    rows = session.execute(
        select(action.c.id, action.c.title, objective.c.ref, func.coalesce(person.c.name, ""))
        .join(objective, objective.c.id == action.c.objective_id)
        .outerjoin(person, person.c.id == action.c.owner_id)
    ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}
