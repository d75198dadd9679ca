"""PlanService: every change to a plan goes through here, one transaction each.

Methods validate first (model/validation.py), then write; a refused change
raises a PlanError subclass naming the field and the reason, and nothing is
saved. After each commit the service tells its listeners what changed (a
`Change`), so every view can refresh from that one signal. Reads return plain
records.

PlanService is a thin facade: each method is its area's, one line each below,
with that method's signature and docstring. The areas (one module each) share
unit_of_work.Area (one transaction per change, then tell the listeners) and
lookups.Lookups (find or add a department, person or external by name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from egov_planner.model.service.actions import Actions
from egov_planner.model.service.bvpi import Bvpi
from egov_planner.model.service.common import Change, ChangeKind, DeletedAction, ImportSummary
from egov_planner.model.service.dependencies import Dependencies
from egov_planner.model.service.externals import Externals
from egov_planner.model.service.history import officer_of
from egov_planner.model.service.imports import Imports
from egov_planner.model.service.objectives import Objectives
from egov_planner.model.service.people import PeopleAndDepartments
from egov_planner.model.service.reads import Reads
from egov_planner.model.service.report_text import ReportText
from egov_planner.model.service.reports import Reports
from egov_planner.model.service.returns import Returns
from egov_planner.model.service.unit_of_work import Area
from egov_planner.model.store import Store
from egov_planner.model.validation import REF_PATTERN

__all__ = ["REF_PATTERN", "Change", "ChangeKind", "DeletedAction", "ImportSummary", "PlanService"]

_AREAS: tuple[type[Area], ...] = (
    Reads,
    ReportText,
    PeopleAndDepartments,
    Objectives,
    Actions,
    Dependencies,
    Externals,
    Bvpi,
    Imports,
    Returns,
    Reports,
)
A = TypeVar("A", bound=Area)
P = ParamSpec("P")
R = TypeVar("R")


class delegate(Generic[A, P, R]):  # noqa: N801 - reads as a decorator-like helper in the class body
    """`PlanService.name = delegate(Area.name)`: the facade's method is the area's, same signature and docstring."""

    def __init__(self, method: Callable[Concatenate[A, P], R]) -> None:
        self.method = method
        self.area = method.__qualname__.split(".")[0]
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, service: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, service: PlanService, owner: type | None = None) -> Callable[P, R]: ...

    def __get__(self, service: PlanService | None, owner: type | None = None) -> Any:
        if service is None:
            return self
        return getattr(service.areas[self.area], self.method.__name__)


class PlanService:
    """The one way to change a plan. Each public method is one transaction."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = datetime.now, user: str | None = None) -> None:
        self.store = store
        self.clock = clock  # when edits happen (not used by the rules); the areas read it from here
        self.user = user or officer_of(store)  # who the history says made each change
        self.reason = ""  # the reason changes are recorded with (giving_reason)
        self.listeners: list[Callable[[Change], None]] = []
        self.areas: dict[str, Area] = {area.__name__: area(self) for area in _AREAS}

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @contextmanager
    def giving_reason(self, reason: str) -> Iterator[None]:
        """Changes made inside are recorded with this reason (the window's undo: 'Undo'), unless one of their own."""
        before, self.reason = self.reason, reason
        try:
            yield
        finally:
            self.reason = before

    # --- reads (Reads) ----------------------------------------------------------------------
    snapshot = delegate(Reads.snapshot)
    details = delegate(Reads.details)
    facts = delegate(Reads.facts)
    assess = delegate(Reads.assess)
    actions = delegate(Reads.actions)
    action = delegate(Reads.action)
    action_by_ref = delegate(Reads.action_by_ref)
    progress = delegate(Reads.progress)
    objectives = delegate(Reads.objectives)
    people = delegate(Reads.people)
    departments = delegate(Reads.departments)
    externals = delegate(Reads.externals)
    links = delegate(Reads.links)
    check = delegate(Reads.check)
    service_rows = delegate(Reads.service_rows)
    history = delegate(Reads.history)
    history_after = delegate(Reads.history_after)
    action_ids = delegate(Reads.action_ids)
    waiting_on = delegate(Reads.waiting_on)

    # --- the plan's details and its report text (ReportText) --------------------------------
    update_plan = delegate(ReportText.update_plan)
    set_status_date = delegate(ReportText.set_status_date)
    set_backup_folder = delegate(ReportText.set_backup_folder)
    restore_row = delegate(ReportText.restore_row)
    add_meeting = delegate(ReportText.add_meeting)
    update_meeting = delegate(ReportText.update_meeting)
    delete_meeting = delegate(ReportText.delete_meeting)
    add_implication = delegate(ReportText.add_implication)
    update_implication = delegate(ReportText.update_implication)
    delete_implication = delegate(ReportText.delete_implication)
    add_consultation = delegate(ReportText.add_consultation)
    update_consultation = delegate(ReportText.update_consultation)
    delete_consultation = delegate(ReportText.delete_consultation)

    # --- departments and people (PeopleAndDepartments) --------------------------------------
    add_department = delegate(PeopleAndDepartments.add_department)
    rename_department = delegate(PeopleAndDepartments.rename_department)
    delete_department = delegate(PeopleAndDepartments.delete_department)
    add_person = delegate(PeopleAndDepartments.add_person)
    update_person = delegate(PeopleAndDepartments.update_person)
    delete_person = delegate(PeopleAndDepartments.delete_person)

    # --- objectives (Objectives) ------------------------------------------------------------
    add_objective = delegate(Objectives.add_objective)
    update_objective = delegate(Objectives.update_objective)
    delete_objective = delegate(Objectives.delete_objective)
    restore_objective = delegate(Objectives.restore_objective)

    # --- actions and their progress (Actions) -----------------------------------------------
    add_action = delegate(Actions.add_action)
    update_action = delegate(Actions.update_action)
    delete_action = delegate(Actions.delete_action)
    restore_action = delegate(Actions.restore_action)
    add_progress = delegate(Actions.add_progress)
    withdraw_progress = delegate(Actions.withdraw_progress)

    # --- dependencies between actions (Dependencies) ----------------------------------------
    add_dependency = delegate(Dependencies.add_dependency)
    update_dependency = delegate(Dependencies.update_dependency)
    remove_dependency = delegate(Dependencies.remove_dependency)

    # --- external dependencies (Externals) --------------------------------------------------
    add_external = delegate(Externals.add_external)
    update_external = delegate(Externals.update_external)
    delete_external = delegate(Externals.delete_external)
    restore_external = delegate(Externals.restore_external)
    link_external = delegate(Externals.link_external)
    unlink_external = delegate(Externals.unlink_external)

    # --- BVPI 157 services (Bvpi) -----------------------------------------------------------
    add_service = delegate(Bvpi.add_service)
    update_service = delegate(Bvpi.update_service)
    add_service_row = delegate(Bvpi.add_service_row)
    add_service_row_named = delegate(Bvpi.add_service_row_named)
    update_service_row = delegate(Bvpi.update_service_row)
    delete_service_row = delegate(Bvpi.delete_service_row)
    restore_service_row = delegate(Bvpi.restore_service_row)

    # --- imports (all or nothing) (Imports) -------------------------------------------------
    import_actions = delegate(Imports.import_actions)
    import_services = delegate(Imports.import_services)
    import_workbook = delegate(Imports.import_workbook)

    # --- owners' returned workbooks (Returns) -----------------------------------------------
    plan_id = delegate(Returns.plan_id)
    apply_returns = delegate(Returns.apply_returns)

    # --- reports as issued: the committee cycle (Reports) -----------------------------------
    record_report = delegate(Reports.record_report)
    check_new_label = delegate(Reports.check_new_label)
    recorded_reports = delegate(Reports.recorded_reports)
    recorded_report = delegate(Reports.recorded_report)
    latest_revisions = delegate(Reports.latest_revisions)
    cycle_records = delegate(Reports.cycle_records)
    actions_cycle = delegate(Reports.actions_cycle)
    changes_since = delegate(Reports.changes_since)
