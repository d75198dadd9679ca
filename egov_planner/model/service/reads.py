"""Reads: plain records and the rules' answers, each from one read transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from egov_planner.model import planning, queries, records, tables
from egov_planner.model.cycle import HistoryEntry
from egov_planner.model.entities import (
    Action,
)
from egov_planner.model.errors import NotFound
from egov_planner.model.rules import (
    PlanAssessment,
    PlanFacts,
    Problem,
    assess_plan,
    check_plan,
)
from egov_planner.model.service.unit_of_work import Area
from egov_planner.model.validation import stored_problems

T = TypeVar("T")


class Reads(Area):
    """Reads: plain records and the rules' answers, each from one read transaction."""

    def _read(self, loader: Callable[[Session], T]) -> T:
        with self.store.reading() as session:
            return loader(session)

    def snapshot(self) -> records.PlanSnapshot:
        """The whole plan as plain records, read in one transaction."""
        return self._read(queries.load_snapshot)

    def details(self) -> records.PlanDetails:
        """The review's details and report text."""
        return self._read(queries.plan_details)

    def facts(self) -> PlanFacts:
        """Only what the rules need, for the whole plan."""
        return self._read(queries.load_facts)

    def assess(self, status_date: date | None = None, today: date | None = None) -> PlanAssessment:
        """The rules over the whole plan at status_date (else the plan's, else today)."""
        with self.store.reading() as session:
            details = queries.plan_details(session)
            facts = queries.load_facts(session)
        when = planning.status_date(details.status_date, status_date, today)
        return assess_plan(facts, when, details.due_soon_days)

    def actions(self, only_ids: set[int] | None = None) -> list[records.ActionRecord]:
        """Every action, or just those in only_ids (reading only their own links: cheap after an edit)."""
        if only_ids is not None and not only_ids:
            return []
        with self.store.reading() as session:
            return queries.load_actions(session, only_ids=only_ids)

    def action(self, action_id: int) -> records.ActionRecord:
        """One action by id."""
        found = self.actions({action_id})
        if not found:
            raise NotFound(f"action #{action_id} is not in this plan")
        return found[0]

    def action_by_ref(self, ref: str) -> records.ActionRecord:
        """One action by its reference (A1.2)."""
        with self.store.reading() as session:
            ident = session.scalar(select(Action.id).where(Action.ref == ref))
        if ident is None:
            raise NotFound(f"there is no action {ref} in this plan")
        return self.action(ident)

    def action_ids(self, refs: Iterable[str]) -> set[int]:
        """The ids of the actions with these refs (any case): an action another officer added, by its ref."""
        wanted = sorted({ref.lower() for ref in refs})
        found: set[int] = set()
        with self.store.reading() as session:
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                found.update(session.scalars(select(Action.id).where(func.lower(Action.ref).in_(chunk))))
        return found

    def waiting_on(self, action_ids: set[int]) -> set[int]:
        """The actions that wait on any of these (their records list the link): after one comes back."""
        dependency = tables.dependency
        found: set[int] = set()
        ordered = sorted(action_ids)
        with self.store.reading() as session:
            for start in range(0, len(ordered), 900):
                query = select(dependency.c.successor_id).where(
                    dependency.c.predecessor_id.in_(ordered[start : start + 900])
                )
                found.update(session.scalars(query))
        return found

    def progress(self, action_id: int) -> list[records.ProgressRecord]:
        """An action's dated progress updates."""
        with self.store.reading() as session:
            return queries.load_progress(session, action_id)

    def objectives(self) -> list[records.ObjectiveRecord]:
        """Every objective."""
        return self._read(queries.load_objectives)

    def people(self) -> list[records.PersonRecord]:
        """Every person."""
        return self._read(queries.load_people)

    def departments(self) -> list[records.DepartmentRecord]:
        """Every department."""
        return self._read(queries.load_departments)

    def externals(self) -> list[records.ExternalRecord]:
        """The external dependency register."""
        return self._read(queries.load_externals)

    def links(self) -> list[records.LinkRecord]:
        """Every dependency between actions."""
        return self._read(queries.load_links)

    def check(self, as_of: date | None = None) -> list[Problem]:
        """What `check` lists: stored values that break their field's rule, then the plan's own rules.

        as_of: the status date completions are checked against (else the plan's, else today).
        """
        with self.store.reading() as session:
            snapshot = queries.load_snapshot(session)
            facts = queries.load_facts(session)
        when = planning.status_date(snapshot.details.status_date, as_of, self.clock().date())
        return stored_problems(snapshot) + check_plan(facts, when)

    def service_rows(self) -> list[records.ServiceRowRecord]:
        """Every BVPI 157 service x interaction row."""
        return self._read(queries.load_service_rows)

    def history_after(self, after: int | None, limit: int = 2000) -> tuple[int, list[HistoryEntry]]:
        """The number of the latest recorded change, and the changes recorded after number `after`, oldest
        first (at most limit; None: none, only the number): what other officers changed, and who, since a
        window last looked."""
        log = tables.change_log
        with self.store.connection() as connection:
            latest = int(connection.scalar(select(func.max(log.c.id))) or 0)
            if after is None or latest <= after:
                return latest, []
            rows = connection.execute(
                select(log).where(log.c.id > after, log.c.id <= latest).order_by(log.c.id).limit(limit)
            ).mappings().all()
        entries = [
            HistoryEntry(
                at=row["at"], by=row["by"], ref=row["ref"], field=row["field"], from_value=row["from_value"],
                to_value=row["to_value"], reason=row["reason"], what=row["what"],
            )
            for row in rows
        ]
        return latest, entries

    def history(self, ref: str | None = None) -> list[HistoryEntry]:
        """Every recorded change, oldest first; with ref, only those under that ref (an action's, an objective's,
        or a row's name), including those recorded under the refs it had before a rename.
        """
        log = tables.change_log
        with self.store.reading() as session:
            query = select(log).order_by(log.c.id)
            if ref is not None:
                refs = _known_refs(session, ref)
                # Under its refs, and the rename that took it from one of them (recorded under the new ref).
                query = query.where(or_(log.c.ref.in_(refs), and_(log.c.field == "ref", log.c.from_value.in_(refs))))
            rows = session.execute(query).mappings().all()
        return [
            HistoryEntry(
                at=row["at"],
                by=row["by"],
                ref=row["ref"],
                field=row["field"],
                from_value=row["from_value"],
                to_value=row["to_value"],
                reason=row["reason"],
                what=row["what"],
            )
            for row in rows
        ]


def _known_refs(session: Session, ref: str) -> set[str]:
    """ref and the refs it had before (renames are recorded as field 'ref'); NotFound when nothing knows it."""
    log = tables.change_log
    known = session.scalar(select(log.c.id).where(log.c.ref == ref).limit(1)) is not None
    for table in (tables.action, tables.objective):
        known = known or session.scalar(select(table.c.id).where(table.c.ref == ref)) is not None
    if not known:
        raise NotFound(f"there is no action or objective {ref} in this plan, and nothing is recorded under it")
    renames = session.execute(
        select(log.c.from_value, log.c.to_value).where(log.c.field == "ref").order_by(log.c.id.desc())
    ).all()
    refs = {ref}
    for before, after in renames:
        if after in refs:
            refs.add(before)
    return refs
