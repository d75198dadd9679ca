"""Reads: plain records and the rules' answers, each from one read transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from egov_planner.model import queries
from egov_planner.model.entities import (
    Action,
)
from egov_planner.model.errors import NotFound
from egov_planner.model.records import (
    ActionRecord,
    DepartmentRecord,
    ExternalRecord,
    LinkRecord,
    ObjectiveRecord,
    PersonRecord,
    PlanDetails,
    PlanSnapshot,
    ProgressRecord,
    ServiceRowRecord,
)
from egov_planner.model.rules import (
    PlanAssessment,
    PlanFacts,
    Problem,
    assess_plan,
    check_plan,
)
from egov_planner.model.service.unit_of_work import Area
from egov_planner.model.validation import stored_problems


class Reads(Area):
    """Reads: plain records and the rules' answers, each from one read transaction."""

    def snapshot(self) -> PlanSnapshot:
        with self.store.reading() as session:
            return queries.load_snapshot(session)

    def details(self) -> PlanDetails:
        with self.store.reading() as session:
            return queries.plan_details(session)

    def facts(self) -> PlanFacts:
        with self.store.reading() as session:
            return queries.load_facts(session)

    def assess(self, status_date: date | None = None, today: date | None = None) -> PlanAssessment:
        """The rules over the whole plan at status_date (else the plan's, else today)."""
        with self.store.reading() as session:
            details = queries.plan_details(session)
            facts = queries.load_facts(session)
        when = status_date or details.status_date or today or date.today()
        return assess_plan(facts, when, details.due_soon_days)

    def actions(self, only_ids: set[int] | None = None) -> list[ActionRecord]:
        """Every action, or just those in only_ids (reading only their own links: cheap after an edit)."""
        if only_ids is not None and not only_ids:
            return []
        with self.store.reading() as session:
            return queries.load_actions(session, only_ids=only_ids)

    def action(self, action_id: int) -> ActionRecord:
        found = self.actions({action_id})
        if not found:
            raise NotFound(f"action #{action_id} is not in this plan")
        return found[0]

    def action_by_ref(self, ref: str) -> ActionRecord:
        with self.store.reading() as session:
            ident = session.scalar(select(Action.id).where(Action.ref == ref))
        if ident is None:
            raise NotFound(f"there is no action {ref} in this plan")
        return self.action(ident)

    def progress(self, action_id: int) -> list[ProgressRecord]:
        with self.store.reading() as session:
            return queries.load_progress(session, action_id)

    def objectives(self) -> list[ObjectiveRecord]:
        with self.store.reading() as session:
            return queries.load_objectives(session)

    def people(self) -> list[PersonRecord]:
        with self.store.reading() as session:
            return queries.load_people(session)

    def departments(self) -> list[DepartmentRecord]:
        with self.store.reading() as session:
            return queries.load_departments(session)

    def externals(self) -> list[ExternalRecord]:
        with self.store.reading() as session:
            return queries.load_externals(session)

    def links(self) -> list[LinkRecord]:
        with self.store.reading() as session:
            return queries.load_links(session)

    def check(self) -> list[Problem]:
        """What `check` lists: stored values that break their field's rule, then the plan's own rules."""
        with self.store.reading() as session:
            snapshot = queries.load_snapshot(session)
            facts = queries.load_facts(session)
        return stored_problems(snapshot) + check_plan(facts)

    def service_rows(self) -> list[ServiceRowRecord]:
        with self.store.reading() as session:
            return queries.load_service_rows(session)
