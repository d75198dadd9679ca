"""Read a plan in a few set-based queries (never one query per row).

A 50,000-action plan is read with one SELECT per table through SQLAlchemy
Core, straight into plain records: no ORM identity map, no lazy loads. Only
Core tables are used, so a read-only command (overdue, bvpi, export) can pass
a plain Connection and never load the ORM; the edit path passes its Session.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import MISSING, fields
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Select, Table, func, select

from egov_planner.model.cycle_queries import load_cycle
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
    meta,
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


R = TypeVar("R")


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    """Split ids for IN (...) clauses: older SQLite builds allow 999 bound parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _record_columns(record: type[Any], table: Table, **joined: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """The columns that fill record, in its field order, so a row builds it by position.

    A field is the joined expression of its name, else table's own column of that
    name; a field with a default and neither (an action's predecessors) is left to
    the caller, after the columns.
    """
    columns: list[ColumnElement[Any]] = []
    for field in fields(record):
        if field.name in joined:
            columns.append(joined[field.name].label(field.name))
        elif field.name in table.c:
            columns.append(table.c[field.name])
        elif field.default is MISSING and field.default_factory is MISSING:
            raise KeyError(f"{record.__name__}.{field.name} has no column in {table.name}")
    return columns


def _load_all(session: Reader, record: type[R], table: Table, *order: ColumnElement[Any]) -> list[R]:
    """Every row of one table as record, in order."""
    query = select(*_record_columns(record, table)).order_by(*order)
    return [record(*row) for row in session.execute(query).all()]


def plan_id(session: Reader) -> str | None:
    """The plan's stable id (given at creation), or None for an older plan not yet changed."""
    value = session.execute(select(meta.c.value).where(meta.c.key == "plan_id")).scalar()
    return str(value) if value else None


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
        select(*_record_columns(ActionFacts, action, owner_left_on=left.c.left_on)).outerjoin(
            left, left.c.id == action.c.owner_id
        )
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


def _link_query() -> Select[Any]:
    pred = action.alias()
    succ = action.alias()
    return (
        select(*_record_columns(LinkRecord, dependency, predecessor_ref=pred.c.ref, successor_ref=succ.c.ref))
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
    columns = _record_columns(
        ActionRecord,
        action,
        objective_ref=objective.c.ref,
        owner=func.coalesce(owner.c.name, ""),
        owner_role=func.coalesce(owner.c.job_title, ""),
        owner_left_on=owner.c.left_on,
        department=func.coalesce(department.c.name, ""),
    )
    query = (
        select(*columns)
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
        select(*_record_columns(ObjectiveRecord, objective, lead=func.coalesce(person.c.name, "")))
        .outerjoin(person, person.c.id == objective.c.lead_id)
        .order_by(objective.c.position, objective.c.ref)
    ).all()
    return [ObjectiveRecord(*row) for row in rows]


def load_people(session: Reader) -> list[PersonRecord]:
    rows = session.execute(
        select(*_record_columns(PersonRecord, person, department=func.coalesce(department.c.name, "")))
        .outerjoin(department, department.c.id == person.c.department_id)
        .order_by(person.c.name)
    ).all()
    return [PersonRecord(*row) for row in rows]


def load_departments(session: Reader) -> list[DepartmentRecord]:
    return _load_all(session, DepartmentRecord, department, department.c.name)


def load_externals(session: Reader) -> list[ExternalRecord]:
    return _load_all(session, ExternalRecord, external_dependency, external_dependency.c.name)


def _progress_select() -> Select[Any]:
    """Progress updates as ProgressRecord's fields, in order."""
    return select(*_record_columns(ProgressRecord, progress_update))


def load_progress(session: Reader, action_id: int) -> list[ProgressRecord]:
    """An action's progress history, oldest first."""
    rows = session.execute(
        _progress_select()
        .where(progress_update.c.action_id == action_id)
        .order_by(progress_update.c.reported_on, progress_update.c.id)
    ).all()
    return [ProgressRecord(*row) for row in rows]


def load_latest_progress(session: Reader, on_or_before: date | None = None) -> dict[int, ProgressRecord]:
    """The latest progress update of every action that has one (one query); on_or_before: as known at that date."""
    # The latest by report date, then by entry order: ids grow with entry, so
    # pick the max id among the rows with the max reported_on.
    newest = select(progress_update.c.action_id, func.max(progress_update.c.reported_on).label("last_on"))
    if on_or_before is not None:
        newest = newest.where(progress_update.c.reported_on <= on_or_before)
    newest_date = newest.group_by(progress_update.c.action_id).subquery()
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
    columns = _record_columns(
        ServiceRowRecord,
        service_interaction,
        service=service.c.name,
        lgsl=service.c.lgsl,
        department_id=service.c.department_id,
        department=func.coalesce(department.c.name, ""),
        external=func.coalesce(external_dependency.c.name, ""),
        service_version=service.c.version,
    )
    rows = session.execute(
        select(*columns)
        .join(service, service.c.id == service_interaction.c.service_id)
        .outerjoin(department, department.c.id == service.c.department_id)
        .outerjoin(external_dependency, external_dependency.c.id == service_interaction.c.external_id)
        .order_by(func.lower(department.c.name), func.lower(service.c.name), service_interaction.c.interaction)
    ).all()
    return [ServiceRowRecord(**row._mapping) for row in rows]


def load_snapshot(session: Reader) -> PlanSnapshot:
    """The whole plan, for a window or a report pack."""
    links = load_links(session)
    reports, last_report, original_due, revisions = load_cycle(session)
    return PlanSnapshot(
        details=plan_details(session),
        meetings=_load_all(session, MeetingRecord, meeting, meeting.c.position, meeting.c.meets_on),
        implications=_load_all(
            session, ImplicationRecord, other_implication, other_implication.c.position, other_implication.c.id
        ),
        consultations=_load_all(
            session,
            ConsultationRecord,
            consultation_evidence,
            consultation_evidence.c.position,
            consultation_evidence.c.id,
        ),
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
        reports=reports,
        last_report=last_report,
        original_due=original_due,
        revisions=revisions,
    )


def load_action_labels(session: Reader) -> dict[int, tuple[str, str, str]]:
    """Title, objective ref and owner name of every action, in one query (for lists)."""
    rows = session.execute(
        select(action.c.id, action.c.title, objective.c.ref, func.coalesce(person.c.name, ""))
        .join(objective, objective.c.id == action.c.objective_id)
        .outerjoin(person, person.c.id == action.c.owner_id)
    ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}
