"""PlanService: every change to a plan goes through here, one transaction each.

Methods validate first, then write; a refused change raises a PlanError
subclass naming the field and the reason, and nothing is saved. After each
commit the service tells its listeners what changed (a `Change`), so every
view can refresh from that one signal. Reads return plain records.

PlanService is a facade: each method hands over to the module of its area.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from egov_planner.model.entities import ActionStatus
from egov_planner.model.import_rows import ActionImportRow, ServiceImportRow
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
from egov_planner.model.rules import PlanAssessment, PlanFacts, Problem
from egov_planner.model.service.actions import Actions
from egov_planner.model.service.bvpi import Bvpi
from egov_planner.model.service.common import Change, ChangeKind, DeletedAction, ImportSummary
from egov_planner.model.service.dependencies import Dependencies
from egov_planner.model.service.externals import Externals
from egov_planner.model.service.imports import Imports
from egov_planner.model.service.objectives import Objectives
from egov_planner.model.service.people import PeopleAndDepartments
from egov_planner.model.service.reads import Reads
from egov_planner.model.service.report_text import ReportText
from egov_planner.model.store import PlanStore
from egov_planner.model.validation import REF_PATTERN

__all__ = ["REF_PATTERN", "Change", "ChangeKind", "DeletedAction", "ImportSummary", "PlanService"]


class PlanService:
    """The one way to change a plan. Each public method is one transaction."""

    def __init__(self, store: PlanStore, clock: Callable[[], datetime] = datetime.now) -> None:
        self.store = store
        self.clock = clock  # when edits happen (not used by the rules)
        self.listeners: list[Callable[[Change], None]] = []
        self._reads = Reads(self)
        self._report_text = ReportText(self)
        self._people = PeopleAndDepartments(self)
        self._objectives = Objectives(self)
        self._actions = Actions(self)
        self._dependencies = Dependencies(self)
        self._externals = Externals(self)
        self._bvpi = Bvpi(self)
        self._imports = Imports(self)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def snapshot(self) -> PlanSnapshot:
        return self._reads.snapshot()

    def details(self) -> PlanDetails:
        return self._reads.details()

    def facts(self) -> PlanFacts:
        return self._reads.facts()

    def assess(self, status_date: date | None = None, today: date | None = None) -> PlanAssessment:
        """The rules over the whole plan at status_date (else the plan's, else today)."""
        return self._reads.assess(status_date, today)

    def actions(self, only_ids: set[int] | None = None) -> list[ActionRecord]:
        """Every action, or just those in only_ids (reading only their own links: cheap after an edit)."""
        return self._reads.actions(only_ids)

    def action(self, action_id: int) -> ActionRecord:
        return self._reads.action(action_id)

    def action_by_ref(self, ref: str) -> ActionRecord:
        return self._reads.action_by_ref(ref)

    def progress(self, action_id: int) -> list[ProgressRecord]:
        return self._reads.progress(action_id)

    def objectives(self) -> list[ObjectiveRecord]:
        return self._reads.objectives()

    def people(self) -> list[PersonRecord]:
        return self._reads.people()

    def departments(self) -> list[DepartmentRecord]:
        return self._reads.departments()

    def externals(self) -> list[ExternalRecord]:
        return self._reads.externals()

    def links(self) -> list[LinkRecord]:
        return self._reads.links()

    def check(self) -> list[Problem]:
        """What `egov-planner check` lists: stored values that break their field's rule, then the plan's rules."""
        return self._reads.check()

    def service_rows(self) -> list[ServiceRowRecord]:
        return self._reads.service_rows()

    def update_plan(self, expected_version: int | None = None, **changes: Any) -> PlanDetails:
        """Change the review's details or report text (authority, status date, scope…)."""
        return self._report_text.update_plan(expected_version, **changes)

    def set_status_date(self, status_date: date | None) -> PlanDetails:
        return self._report_text.set_status_date(status_date)

    def set_backup_folder(self, folder: str) -> None:
        """Where this plan's backups go (relative paths are beside the plan)."""
        return self._report_text.set_backup_folder(folder)

    def restore_row(self, entity_name: str, saved: dict[str, Any]) -> None:
        """Bring back a meeting, implication or consultation deleted by _delete_simple (undo)."""
        return self._report_text.restore_row(entity_name, saved)

    def add_meeting(self, committee: str, meets_on: date, position: int | None = None) -> int:
        return self._report_text.add_meeting(committee, meets_on, position)

    def update_meeting(self, meeting_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._report_text.update_meeting(meeting_id, expected_version, **changes)

    def delete_meeting(self, meeting_id: int) -> dict[str, Any]:
        return self._report_text.delete_meeting(meeting_id)

    def add_implication(self, topic: str, applies: bool = False, paragraph_refs: str = "") -> int:
        return self._report_text.add_implication(topic, applies, paragraph_refs)

    def update_implication(self, implication_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._report_text.update_implication(implication_id, expected_version, **changes)

    def delete_implication(self, implication_id: int) -> dict[str, Any]:
        return self._report_text.delete_implication(implication_id)

    def add_consultation(
        self,
        method: str,
        audience: str = "",
        respondents: int | None = None,
        respondents_at_least: bool = False,
        held_on: date | None = None,
        summary: str = "",
    ) -> int:
        return self._report_text.add_consultation(method, audience, respondents, respondents_at_least, held_on, summary)

    def update_consultation(self, consultation_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._report_text.update_consultation(consultation_id, expected_version, **changes)

    def delete_consultation(self, consultation_id: int) -> dict[str, Any]:
        return self._report_text.delete_consultation(consultation_id)

    def add_department(self, name: str) -> int:
        return self._people.add_department(name)

    def rename_department(self, department_id: int, name: str, expected_version: int | None = None) -> None:
        return self._people.rename_department(department_id, name, expected_version)

    def delete_department(self, department_id: int) -> None:
        return self._people.delete_department(department_id)

    def add_person(
        self,
        name: str,
        job_title: str = "",
        department: str | None = None,
        email: str = "",
        phone: str = "",
    ) -> int:
        return self._people.add_person(name, job_title, department, email, phone)

    def update_person(self, person_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._people.update_person(person_id, expected_version, **changes)

    def delete_person(self, person_id: int) -> None:
        """Remove a person; their actions keep no owner (prefer update_person(left_on=…))."""
        return self._people.delete_person(person_id)

    def add_objective(
        self,
        ref: str,
        title: str,
        description: str = "",
        lead: str | None = None,
        exempt_paragraph: int | None = None,
        position: int | None = None,
    ) -> int:
        return self._objectives.add_objective(ref, title, description, lead, exempt_paragraph, position)

    def update_objective(self, objective_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._objectives.update_objective(objective_id, expected_version, **changes)

    def delete_objective(self, objective_id: int) -> dict[str, Any]:
        """Delete an objective that has no actions (move or delete its actions first)."""
        return self._objectives.delete_objective(objective_id)

    def restore_objective(self, saved: dict[str, Any]) -> None:
        return self._objectives.restore_objective(saved)

    def add_action(
        self,
        objective_id: int,
        ref: str,
        title: str,
        due: date,
        *,
        owner: str | None = None,
        department: str | None = None,
        start: date | None = None,
        status: str = ActionStatus.NOT_STARTED.value,
        completed_on: date | None = None,
        percent_complete: int = 0,
        description: str = "",
        success_measure: str = "",
        resources: str = "",
        notes: str = "",
        exempt_paragraph: int | None = None,
        position: int | None = None,
    ) -> int:
        return self._actions.add_action(
            objective_id,
            ref,
            title,
            due,
            owner=owner,
            department=department,
            start=start,
            status=status,
            completed_on=completed_on,
            percent_complete=percent_complete,
            description=description,
            success_measure=success_measure,
            resources=resources,
            notes=notes,
            exempt_paragraph=exempt_paragraph,
            position=position,
        )

    def update_action(self, action_id: int, expected_version: int | None = None, **changes: Any) -> ActionRecord:
        """Change fields of an action: due, status, owner (a name; new people are added)…

        Setting status complete fills completed-on with today when empty; any
        other status clears it.
        """
        return self._actions.update_action(action_id, expected_version, **changes)

    def delete_action(self, action_id: int) -> DeletedAction:
        """Delete an action with its dependencies and history; the result brings it back."""
        return self._actions.delete_action(action_id)

    def restore_action(self, saved: DeletedAction) -> None:
        """Undo delete_action: the action, its links, external waits and history come back."""
        return self._actions.restore_action(saved)

    def add_progress(
        self,
        action_id: int,
        reported_on: date,
        note: str,
        status: str | None = None,
        percent_complete: int | None = None,
        author: str = "",
    ) -> ProgressRecord:
        """Append a dated progress update; the action takes its status and %."""
        return self._actions.add_progress(action_id, reported_on, note, status, percent_complete, author)

    def withdraw_progress(self, progress_id: int, restore: Mapping[str, Any]) -> None:
        """Undo add_progress: remove that entry and put the action's status back."""
        return self._actions.withdraw_progress(progress_id, restore)

    def add_dependency(self, predecessor_id: int, successor_id: int, kind: str = "FS", lag_days: int = 0) -> LinkRecord:
        """successor waits on predecessor. A link that would close a cycle is refused, naming it."""
        return self._dependencies.add_dependency(predecessor_id, successor_id, kind, lag_days)

    def update_dependency(
        self, link_id: int, kind: str | None = None, lag_days: int | None = None, expected_version: int | None = None
    ) -> None:
        return self._dependencies.update_dependency(link_id, kind, lag_days, expected_version)

    def remove_dependency(self, link_id: int) -> LinkRecord:
        return self._dependencies.remove_dependency(link_id)

    def add_external(
        self,
        name: str,
        organisation: str = "",
        expected_on: date | None = None,
        confidence: str = "medium",
        last_checked_on: date | None = None,
        delivered_on: date | None = None,
        notes: str = "",
    ) -> int:
        return self._externals.add_external(
            name, organisation, expected_on, confidence, last_checked_on, delivered_on, notes
        )

    def update_external(self, external_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._externals.update_external(external_id, expected_version, **changes)

    def delete_external(self, external_id: int) -> tuple[dict[str, Any], list[int]]:
        """Delete an external dependency; returns it and the actions that waited on it (for undo)."""
        return self._externals.delete_external(external_id)

    def restore_external(self, saved: dict[str, Any], waiting: list[int]) -> None:
        return self._externals.restore_external(saved, waiting)

    def link_external(self, action_id: int, external_id: int) -> None:
        """The action waits on the external dependency."""
        return self._externals.link_external(action_id, external_id)

    def unlink_external(self, action_id: int, external_id: int) -> None:
        return self._externals.unlink_external(action_id, external_id)

    def add_service(self, name: str, lgsl: int | None = None, department: str | None = None) -> int:
        return self._bvpi.add_service(name, lgsl, department)

    def update_service(self, service_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._bvpi.update_service(service_id, expected_version, **changes)

    def add_service_row(
        self,
        service_id: int,
        interaction: int,
        permissible: bool = True,
        reason: str = "",
        enabled_on: date | None = None,
        forecast_on: date | None = None,
        channels: str = "",
        external: str | None = None,
    ) -> int:
        return self._bvpi.add_service_row(
            service_id, interaction, permissible, reason, enabled_on, forecast_on, channels, external
        )

    def add_service_row_named(
        self,
        service: str,
        interaction: int,
        permissible: bool = True,
        reason: str = "",
        enabled_on: date | None = None,
        forecast_on: date | None = None,
        channels: str = "",
        external: str | None = None,
        *,
        department: str | None = None,
        lgsl: int | None = None,
    ) -> int:
        """A row for the service called `service`, adding the service when new — one transaction.

        department and lgsl, when given, are set on the service (a new department
        name is added). A refused row saves nothing: no service, no department.
        """
        return self._bvpi.add_service_row_named(
            service,
            interaction,
            permissible,
            reason,
            enabled_on,
            forecast_on,
            channels,
            external,
            department=department,
            lgsl=lgsl,
        )

    def update_service_row(self, row_id: int, expected_version: int | None = None, **changes: Any) -> None:
        return self._bvpi.update_service_row(row_id, expected_version, **changes)

    def delete_service_row(self, row_id: int) -> dict[str, Any]:
        """Delete one service x interaction row; returns its column values (restore_service_row brings it back)."""
        return self._bvpi.delete_service_row(row_id)

    def restore_service_row(self, saved: dict[str, Any]) -> None:
        """Undo delete_service_row: the same row (same id and values) comes back."""
        return self._bvpi.restore_service_row(saved)

    def import_actions(self, rows: Sequence[ActionImportRow], source: str = "the file") -> ImportSummary:
        """Add or update actions from parsed rows in ONE transaction.

        Refused whole, naming row and column, for: a new objective without a
        title, a depends_on naming no action, a dependency cycle, an external
        given two dates, due before start. Rows whose action_ref exists update
        that action (only the columns the file has).
        """
        return self._imports.import_actions(rows, source)

    def import_services(self, rows: Sequence[ServiceImportRow], source: str = "the file") -> ImportSummary:
        """Add or update service x interaction rows in ONE transaction (all or nothing)."""
        return self._imports.import_services(rows, source)
