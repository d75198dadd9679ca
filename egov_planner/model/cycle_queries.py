"""Read the committee cycle's rows (recorded reports, revisions) into model/cycle.py's records.

Set-based like queries.py (one SELECT per table, Core only), so a read-only command reads them
without the ORM; queries.load_snapshot fills PlanSnapshot's cycle fields from here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from egov_planner.model.cycle import RecordedReport, ReportedAction, ReportHeader, RevisionRecord
from egov_planner.model.tables import action, recorded_report, reported_action, revision

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Connection | Session

# Reports oldest first: by the status date they were made at, then the order they were recorded in.
_REPORT_ORDER = (recorded_report.c.as_of, recorded_report.c.id)


def load_report_headers(session: Reader) -> list[ReportHeader]:
    """Every recorded report, oldest first, with how many actions it holds."""
    counts = (
        select(reported_action.c.report_id, func.count().label("actions"))
        .group_by(reported_action.c.report_id)
        .subquery()
    )
    rows = session.execute(
        select(
            recorded_report.c.id,
            recorded_report.c.label,
            recorded_report.c.as_of,
            recorded_report.c.taken_at,
            recorded_report.c.taken_by,
            func.coalesce(counts.c.actions, 0),
            recorded_report.c.with_pack,
        )
        .outerjoin(counts, counts.c.report_id == recorded_report.c.id)
        .order_by(*_REPORT_ORDER)
    ).all()
    return [ReportHeader(r[0], r[1], r[2], r[3], r[4], int(r[5]), bool(r[6])) for r in rows]


def _json(text: str, empty: Any) -> Any:
    try:
        return json.loads(text) if text else empty
    except ValueError:
        return empty  # a damaged cell reads as nothing rather than stopping the plan from opening


def load_recorded_report(session: Reader, header: ReportHeader) -> RecordedReport:
    """One recorded report in full: its text, meetings, BVPI figures and every action as reported."""
    row = session.execute(
        select(recorded_report.c.report_text, recorded_report.c.meetings, recorded_report.c.bvpi).where(
            recorded_report.c.id == header.id
        )
    ).one()
    meetings = tuple(
        (str(m.get("committee", "")), date.fromisoformat(m["meets_on"]))
        for m in _json(row.meetings, [])
        if isinstance(m, dict) and m.get("meets_on")
    )
    columns = [reported_action.c[name] for name in ReportedAction.__dataclass_fields__]
    actions = tuple(
        ReportedAction(*r)
        for r in session.execute(
            select(*columns).where(reported_action.c.report_id == header.id).order_by(reported_action.c.id)
        ).all()
    )
    return RecordedReport(header, _json(row.report_text, {}), meetings, _json(row.bvpi, {}), actions)


def load_original_due(session: Reader, only_ids: set[int] | None = None) -> dict[int, date]:
    """Each current action's original target: its target in the first recorded report holding it.

    Held: the same action (a renamed ref keeps its original), else, for an action deleted since and its
    ref added again, the same ref. only_ids: only those actions' (after an edit).
    """

    def firsts(partition: Any, *where: Any) -> Any:
        numbered = (
            select(
                reported_action.c.action_id,
                reported_action.c.ref,
                reported_action.c.due,
                func.row_number().over(partition_by=partition, order_by=[*_REPORT_ORDER]).label("n"),
            )
            .join(recorded_report, recorded_report.c.id == reported_action.c.report_id)
            .where(*where)
            .subquery()
        )
        return select(numbered).where(numbered.c.n == 1).subquery()

    same_action = firsts(reported_action.c.action_id, reported_action.c.action_id.is_not(None))
    # A deleted action's rows have their action_id emptied: they stand for their ref.
    same_ref = firsts(reported_action.c.ref, reported_action.c.action_id.is_(None))
    query = (
        select(action.c.id, func.coalesce(same_action.c.due, same_ref.c.due))
        .outerjoin(same_action, same_action.c.action_id == action.c.id)
        .outerjoin(same_ref, same_ref.c.ref == action.c.ref)
        .where(or_(same_action.c.due.is_not(None), same_ref.c.due.is_not(None)))
    )
    if only_ids is not None:
        query = query.where(action.c.id.in_(sorted(only_ids)))
    rows = session.execute(query).all()
    return {row[0]: row[1] for row in rows}


def load_revisions(session: Reader, only_ids: set[int] | None = None) -> dict[int, tuple[RevisionRecord, ...]]:
    """Each action's revised target dates, oldest first (only those of only_ids when given)."""
    query = (
        select(
            revision.c.id,
            revision.c.action_id,
            action.c.ref,
            revision.c.from_due,
            revision.c.to_due,
            revision.c.reason,
            revision.c.agreed_by,
            revision.c.at,
            revision.c.by,
        )
        .join(action, action.c.id == revision.c.action_id)
        .order_by(revision.c.at, revision.c.id)
    )
    if only_ids is not None:
        query = query.where(revision.c.action_id.in_(sorted(only_ids)))
    found: dict[int, list[RevisionRecord]] = defaultdict(list)
    for row in session.execute(query).all():
        found[row[1]].append(RevisionRecord(*row))
    return {ident: tuple(items) for ident, items in found.items()}


def has_reports(session: Reader) -> bool:
    """Has the plan been reported (a recorded report exists)? Then a new target date is a revision."""
    return session.execute(select(recorded_report.c.id).limit(1)).first() is not None


Cycle = tuple[list[ReportHeader], RecordedReport | None, dict[int, date], dict[int, tuple[RevisionRecord, ...]]]


def load_cycle(session: Reader) -> Cycle:
    """PlanSnapshot's cycle fields: reports oldest first, the newest in full, original targets, revisions."""
    headers = load_report_headers(session)
    last = load_recorded_report(session, headers[-1]) if headers else None
    original = load_original_due(session) if headers else {}
    return headers, last, original, load_revisions(session)
