"""PlanService: every change to a plan goes through here, one transaction each.

Methods validate first, then write; a refused change raises a PlanError
subclass naming the field and the reason, and nothing is saved. After each
commit the service tells its listeners what changed (a `Change`), so every
view can refresh from that one signal. Reads return plain records.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from egov_planner.model import queries
from egov_planner.model.dates import british
from egov_planner.model.entities import (
    CONFIDENCE_VALUES,
    DEPENDENCY_TYPES,
    INTERACTION_TYPES,
    STATUS_VALUES,
    Action,
    ActionExternal,
    ActionStatus,
    Base,
    ConsultationEvidence,
    Department,
    Dependency,
    ExternalDependency,
    Meeting,
    Meta,
    Objective,
    OtherImplication,
    Person,
    Plan,
    ProgressUpdate,
    Service,
    ServiceInteraction,
)
from egov_planner.model.errors import ConflictError, CycleError, NotFound, PlanError, RowError, ValidationError
from egov_planner.model.import_rows import ActionImportRow, ServiceImportRow
from egov_planner.model.records import (
    PLAN_TEXT_FIELDS,
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
    assess_plan,
    find_any_cycle,
    find_cycle_if_added,
    name_cycle,
)
from egov_planner.model.store import PlanStore

REF_PATTERN = re.compile(r"^[^\s;,]{1,40}$")
E = TypeVar("E", bound=Base)


@dataclass(frozen=True, slots=True)
class Change:
    """What a committed change touched: the kind of thing and which rows."""

    what: str  # plan, action, objective, dependency, external, person, department,
    # meeting, implication, consultation, progress, service, import
    ids: frozenset[int] = frozenset()
    description: str = ""


@dataclass(frozen=True, slots=True)
class DeletedAction:
    """Everything needed to bring a deleted action back (undo)."""

    action: dict[str, Any]
    links: list[dict[str, Any]]
    externals: list[int]
    progress: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: int
    updated: int
    dependencies: int
    created_objectives: list[str] = field(default_factory=list)
    created_people: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated"]
        if self.dependencies:
            parts.append(f"{self.dependencies} dependencies")
        if self.created_objectives:
            parts.append(f"{len(self.created_objectives)} new objectives")
        if self.created_people:
            parts.append(f"{len(self.created_people)} new people")
        return ", ".join(parts)


# Fields an update may change, per thing.
ACTION_FIELDS = {
    "ref",
    "objective_id",
    "title",
    "description",
    "owner",
    "department",
    "start",
    "due",
    "status",
    "completed_on",
    "percent_complete",
    "success_measure",
    "resources",
    "notes",
    "exempt_paragraph",
    "position",
}
OBJECTIVE_FIELDS = {"ref", "title", "description", "lead", "position", "exempt_paragraph"}
PERSON_FIELDS = {"name", "job_title", "department", "email", "phone", "left_on"}
EXTERNAL_FIELDS = {
    "name",
    "organisation",
    "expected_on",
    "confidence",
    "last_checked_on",
    "delivered_on",
    "notes",
}
MEETING_FIELDS = {"committee", "meets_on", "position"}
IMPLICATION_FIELDS = {"topic", "applies", "paragraph_refs", "position"}
CONSULTATION_FIELDS = {
    "method",
    "audience",
    "respondents",
    "respondents_at_least",
    "held_on",
    "summary",
    "position",
}
PLAN_FIELDS = set(PlanDetails.__dataclass_fields__) - {"version"}
SERVICE_ROW_FIELDS = {
    "interaction",
    "permissible",
    "reason",
    "enabled_on",
    "forecast_on",
    "channels",
    "external",
}
SERVICE_FIELDS = {"name", "lgsl", "department"}


def _table(entity: type[Base]) -> Table:
    """The Core table behind an entity: bulk writes go through Core executemany."""
    return cast(Table, entity.__table__)


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _check_ref(value: str, field_name: str = "ref") -> str:
    ref = _clean(value)
    if not ref:
        raise ValidationError(field_name, "a reference is required (e.g. A1.1)")
    if not REF_PATTERN.match(ref):
        raise ValidationError(
            field_name, f"'{ref}' is not a usable reference: no spaces, ';' or ',' and at most 40 characters"
        )
    return ref


def _check_percent(value: Any) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        raise ValidationError("percent_complete", f"'{value}' is not a whole number") from None
    if not 0 <= percent <= 100:
        raise ValidationError("percent_complete", f"{percent}% is outside 0-100")
    return percent


def _check_status(value: str) -> str:
    status = _clean(value).lower().replace(" ", "_").replace("-", "_")
    if status not in STATUS_VALUES:
        labels = ", ".join(s.replace("_", " ") for s in STATUS_VALUES)
        raise ValidationError("status", f"'{value}' is not a status (use one of: {labels})")
    return status


def _check_exempt(value: int | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or not 1 <= value <= 7:
        raise ValidationError("exempt_paragraph", f"'{value}' is not a paragraph of Schedule 12A (use 1 to 7)")
    return value


def _check_kind(kind: str) -> str:
    value = _clean(kind).upper() or "FS"
    if value not in DEPENDENCY_TYPES:
        raise ValidationError("kind", f"'{kind}' is not a dependency type (FS, SS, FF or SF)")
    return value


def _check_date(value: Any, field_name: str, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise ValidationError(field_name, f"{field_name.replace('_', ' ')} is required")
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field_name, f"{value!r} is not a date")
    return value


class PlanService:
    """The one way to change a plan. Each public method is one transaction."""

    def __init__(self, store: PlanStore, clock: Callable[[], datetime] = datetime.now) -> None:
        self.store = store
        self.clock = clock  # when edits happen (not used by the rules)
        self.listeners: list[Callable[[Change], None]] = []

    # --- plumbing ---------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def _changed(self, change: Change) -> None:
        for listener in list(self.listeners):
            listener(change)

    def _write(self, work: Callable[[Session], Any], change: Callable[[Any], Change]) -> Any:
        try:
            with self.store.writing() as session:
                result = work(session)
        except StaleDataError:
            raise ConflictError(
                "someone else changed this since it was read; reload and try again. Nothing was saved."
            ) from None
        except IntegrityError as error:
            raise PlanError(f"the plan refused that change ({error.orig}); nothing was saved") from None
        self._changed(change(result))
        return result

    @staticmethod
    def _get(session: Session, entity: type[E], ident: int, label: str) -> E:
        row = session.get(entity, ident)
        if row is None:
            raise NotFound(f"{label} #{ident} is not in this plan (it may have been deleted)")
        return row

    @staticmethod
    def _expect(row: Any, expected_version: int | None, label: str) -> None:
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                f"{label} was changed elsewhere since you read it (version {row.version}, "
                f"you had {expected_version}); reload and try again. Nothing was saved."
            )

    @staticmethod
    def _unknown(fields: Iterable[str], allowed: set[str]) -> None:
        bad = sorted(set(fields) - allowed)
        if bad:
            raise ValidationError(bad[0], f"'{bad[0]}' cannot be changed here")

    def _department_id(self, session: Session, name: str | None) -> int | None:
        """The department called name, created when new; None for no name."""
        name = _clean(name)
        if not name:
            return None
        found = session.scalar(select(Department.id).where(Department.name == name))
        if found is not None:
            return found
        department = Department(name=name)
        session.add(department)
        session.flush()
        return department.id

    def _person_id(
        self,
        session: Session,
        name: str | None,
        job_title: str | None = None,
        department_id: int | None = None,
    ) -> int | None:
        """The person called name, created when new; None for no name."""
        name = _clean(name)
        if not name:
            return None
        person = session.scalar(select(Person).where(Person.name == name))
        if person is None:
            person = Person(name=name, job_title=_clean(job_title), department_id=department_id)
            session.add(person)
            session.flush()
        elif job_title is not None and _clean(job_title) and person.job_title != _clean(job_title):
            person.job_title = _clean(job_title)
        return person.id

    # --- reads -------------------------------------------------------------------------

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

    def service_rows(self) -> list[ServiceRowRecord]:
        with self.store.reading() as session:
            return queries.load_service_rows(session)

    # --- the plan and its report text -------------------------------------------------

    def update_plan(self, expected_version: int | None = None, **changes: Any) -> PlanDetails:
        """Change the review's details or report text (authority, status date, scope…)."""
        self._unknown(changes, PLAN_FIELDS)
        if "due_soon_days" in changes:
            days = changes["due_soon_days"]
            if not isinstance(days, int) or not 0 <= days <= 365:
                raise ValidationError("due_soon_days", f"'{days}' is not a number of days from 0 to 365")
        if "status_date" in changes:
            _check_date(changes["status_date"], "status_date")
        for name in ("key_decision", "in_forward_plan"):
            if name in changes and changes[name] not in (True, False, None):
                raise ValidationError(name, f"{name.replace('_', ' ')} is yes, no or not set")
        for name in PLAN_TEXT_FIELDS:
            if name in changes:
                changes[name] = "" if changes[name] is None else str(changes[name])

        def work(session: Session) -> PlanDetails:
            plan = self._get(session, Plan, 1, "the plan")
            self._expect(plan, expected_version, "The plan's details")
            for name, value in changes.items():
                setattr(plan, name, value)
            session.flush()
            return queries.plan_details(session)

        return self._write(work, lambda _: Change("plan", description="change the plan's details"))

    def set_status_date(self, status_date: date | None) -> PlanDetails:
        return self.update_plan(status_date=status_date)

    def set_backup_folder(self, folder: str) -> None:
        """Where this plan's backups go (relative paths are beside the plan)."""

        def work(session: Session) -> None:
            row = session.get(Meta, "backup_dir")
            if row is None:
                session.add(Meta(key="backup_dir", value=folder))
            else:
                row.value = folder

        self._write(work, lambda _: Change("plan", description="change the backup folder"))

    # --- meetings, implications, consultations -----------------------------------------

    def _add_simple(self, entity: type[E], what: str, values: dict[str, Any]) -> int:
        def work(session: Session) -> int:
            if "position" not in values or values["position"] is None:
                values["position"] = (session.scalar(select(func.max(entity.position))) or 0) + 1  # type: ignore[attr-defined]
            row = entity(**values)
            session.add(row)
            session.flush()
            return int(row.id)  # type: ignore[attr-defined]

        return int(self._write(work, lambda ident: Change(what, frozenset({ident}), f"add a {what}")))

    def _update_simple(
        self, entity: type[E], what: str, ident: int, expected_version: int | None, changes: dict[str, Any]
    ) -> None:
        def work(session: Session) -> None:
            row = self._get(session, entity, ident, what)
            self._expect(row, expected_version, f"This {what}")
            for name, value in changes.items():
                setattr(row, name, value)

        self._write(work, lambda _: Change(what, frozenset({ident}), f"change a {what}"))

    def _delete_simple(self, entity: type[E], what: str, ident: int) -> dict[str, Any]:
        def work(session: Session) -> dict[str, Any]:
            row = self._get(session, entity, ident, what)
            saved = {c.key: getattr(row, c.key) for c in entity.__table__.columns}
            session.delete(row)
            return saved

        result: dict[str, Any] = self._write(work, lambda _: Change(what, frozenset({ident}), f"delete a {what}"))
        return result

    def restore_row(self, entity_name: str, saved: dict[str, Any]) -> None:
        """Bring back a meeting, implication or consultation deleted by _delete_simple (undo)."""
        entity = {"meeting": Meeting, "implication": OtherImplication, "consultation": ConsultationEvidence}[
            entity_name
        ]

        def work(session: Session) -> None:
            session.add(entity(**saved))

        self._write(work, lambda _: Change(entity_name, frozenset({saved["id"]}), f"restore a {entity_name}"))

    def add_meeting(self, committee: str, meets_on: date, position: int | None = None) -> int:
        if not _clean(committee):
            raise ValidationError("committee", "the committee's name is required")
        _check_date(meets_on, "meets_on", required=True)
        return self._add_simple(
            Meeting, "meeting", {"committee": _clean(committee), "meets_on": meets_on, "position": position}
        )

    def update_meeting(self, meeting_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, MEETING_FIELDS)
        if "committee" in changes and not _clean(changes["committee"]):
            raise ValidationError("committee", "the committee's name is required")
        if "meets_on" in changes:
            _check_date(changes["meets_on"], "meets_on", required=True)
        self._update_simple(Meeting, "meeting", meeting_id, expected_version, changes)

    def delete_meeting(self, meeting_id: int) -> dict[str, Any]:
        return self._delete_simple(Meeting, "meeting", meeting_id)

    def add_implication(self, topic: str, applies: bool = False, paragraph_refs: str = "") -> int:
        if not _clean(topic):
            raise ValidationError("topic", "the implication needs a name (e.g. Equal Opportunities)")
        return self._add_simple(
            OtherImplication,
            "implication",
            {"topic": _clean(topic), "applies": bool(applies), "paragraph_refs": _clean(paragraph_refs)},
        )

    def update_implication(self, implication_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, IMPLICATION_FIELDS)
        if "topic" in changes and not _clean(changes["topic"]):
            raise ValidationError("topic", "the implication needs a name")
        self._update_simple(OtherImplication, "implication", implication_id, expected_version, changes)

    def delete_implication(self, implication_id: int) -> dict[str, Any]:
        return self._delete_simple(OtherImplication, "implication", implication_id)

    def add_consultation(
        self,
        method: str,
        audience: str = "",
        respondents: int | None = None,
        respondents_at_least: bool = False,
        held_on: date | None = None,
        summary: str = "",
    ) -> int:
        if not _clean(method):
            raise ValidationError("method", "say how people were consulted (workshop, questionnaire…)")
        if respondents is not None and respondents < 0:
            raise ValidationError("respondents", "the number of people cannot be negative")
        return self._add_simple(
            ConsultationEvidence,
            "consultation",
            {
                "method": _clean(method),
                "audience": _clean(audience),
                "respondents": respondents,
                "respondents_at_least": respondents_at_least,
                "held_on": held_on,
                "summary": summary,
            },
        )

    def update_consultation(self, consultation_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, CONSULTATION_FIELDS)
        if "respondents" in changes and changes["respondents"] is not None and changes["respondents"] < 0:
            raise ValidationError("respondents", "the number of people cannot be negative")
        self._update_simple(ConsultationEvidence, "consultation", consultation_id, expected_version, changes)

    def delete_consultation(self, consultation_id: int) -> dict[str, Any]:
        return self._delete_simple(ConsultationEvidence, "consultation", consultation_id)

    # --- departments and people ---------------------------------------------------------

    def add_department(self, name: str) -> int:
        name = _clean(name)
        if not name:
            raise ValidationError("name", "the department needs a name")

        def work(session: Session) -> int:
            if session.scalar(select(Department.id).where(Department.name == name)) is not None:
                raise ValidationError("name", f"there is already a department called {name}")
            department = Department(name=name)
            session.add(department)
            session.flush()
            return department.id

        return int(self._write(work, lambda ident: Change("department", frozenset({ident}), "add a department")))

    def rename_department(self, department_id: int, name: str, expected_version: int | None = None) -> None:
        name = _clean(name)
        if not name:
            raise ValidationError("name", "the department needs a name")

        def work(session: Session) -> None:
            department = self._get(session, Department, department_id, "department")
            self._expect(department, expected_version, "This department")
            clash = session.scalar(select(Department.id).where(Department.name == name, Department.id != department_id))
            if clash is not None:
                raise ValidationError("name", f"there is already a department called {name}")
            department.name = name

        self._write(work, lambda _: Change("department", frozenset({department_id}), "rename a department"))

    def delete_department(self, department_id: int) -> None:
        def work(session: Session) -> None:
            session.delete(self._get(session, Department, department_id, "department"))

        self._write(work, lambda _: Change("department", frozenset({department_id}), "delete a department"))

    def add_person(
        self,
        name: str,
        job_title: str = "",
        department: str | None = None,
        email: str = "",
        phone: str = "",
    ) -> int:
        name = _clean(name)
        if not name:
            raise ValidationError("name", "the person needs a name")

        def work(session: Session) -> int:
            if session.scalar(select(Person.id).where(Person.name == name)) is not None:
                raise ValidationError("name", f"{name} is already in this plan")
            person = Person(
                name=name,
                job_title=_clean(job_title),
                department_id=self._department_id(session, department),
                email=_clean(email),
                phone=_clean(phone),
            )
            session.add(person)
            session.flush()
            return person.id

        return int(self._write(work, lambda ident: Change("person", frozenset({ident}), f"add {name}")))

    def update_person(self, person_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, PERSON_FIELDS)
        if "name" in changes and not _clean(changes["name"]):
            raise ValidationError("name", "the person needs a name")
        if "left_on" in changes:
            _check_date(changes["left_on"], "left_on")

        def work(session: Session) -> None:
            person = self._get(session, Person, person_id, "person")
            self._expect(person, expected_version, person.name)
            for name, value in changes.items():
                if name == "department":
                    person.department_id = self._department_id(session, value)
                elif name == "name":
                    clash = session.scalar(
                        select(Person.id).where(Person.name == _clean(value), Person.id != person_id)
                    )
                    if clash is not None:
                        raise ValidationError("name", f"{_clean(value)} is already in this plan")
                    person.name = _clean(value)
                else:
                    setattr(person, name, value.strip() if isinstance(value, str) else value)

        self._write(work, lambda _: Change("person", frozenset({person_id}), "change a person"))

    def delete_person(self, person_id: int) -> None:
        """Remove a person; their actions keep no owner (prefer update_person(left_on=…))."""

        def work(session: Session) -> None:
            session.delete(self._get(session, Person, person_id, "person"))

        self._write(work, lambda _: Change("person", frozenset({person_id}), "remove a person"))

    # --- objectives -------------------------------------------------------------------

    def add_objective(
        self,
        ref: str,
        title: str,
        description: str = "",
        lead: str | None = None,
        exempt_paragraph: int | None = None,
        position: int | None = None,
    ) -> int:
        ref = _check_ref(ref)
        if not _clean(title):
            raise ValidationError("title", "the objective needs a title")
        _check_exempt(exempt_paragraph)

        def work(session: Session) -> int:
            if session.scalar(select(Objective.id).where(Objective.ref == ref)) is not None:
                raise ValidationError("ref", f"there is already an objective {ref}")
            objective = Objective(
                ref=ref,
                title=_clean(title),
                description=description or "",
                lead_id=self._person_id(session, lead),
                exempt_paragraph=exempt_paragraph,
                position=position
                if position is not None
                else (session.scalar(select(func.max(Objective.position))) or 0) + 1,
            )
            session.add(objective)
            session.flush()
            return objective.id

        return int(self._write(work, lambda ident: Change("objective", frozenset({ident}), f"add objective {ref}")))

    def update_objective(self, objective_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, OBJECTIVE_FIELDS)
        if "ref" in changes:
            changes["ref"] = _check_ref(changes["ref"])
        if "title" in changes and not _clean(changes["title"]):
            raise ValidationError("title", "the objective needs a title")
        if "exempt_paragraph" in changes:
            _check_exempt(changes["exempt_paragraph"])

        def work(session: Session) -> None:
            objective = self._get(session, Objective, objective_id, "objective")
            self._expect(objective, expected_version, f"Objective {objective.ref}")
            for name, value in changes.items():
                if name == "lead":
                    objective.lead_id = self._person_id(session, value)
                elif name == "ref":
                    clash = session.scalar(
                        select(Objective.id).where(Objective.ref == value, Objective.id != objective_id)
                    )
                    if clash is not None:
                        raise ValidationError("ref", f"there is already an objective {value}")
                    objective.ref = value
                else:
                    setattr(objective, name, value)

        self._write(work, lambda _: Change("objective", frozenset({objective_id}), "change an objective"))

    def delete_objective(self, objective_id: int) -> dict[str, Any]:
        """Delete an objective that has no actions (move or delete its actions first)."""

        def work(session: Session) -> dict[str, Any]:
            objective = self._get(session, Objective, objective_id, "objective")
            count = session.scalar(select(func.count()).where(Action.objective_id == objective_id)) or 0
            if count:
                raise ValidationError(
                    "objective", f"objective {objective.ref} still has {count} actions; move or delete them first"
                )
            saved = {c.key: getattr(objective, c.key) for c in Objective.__table__.columns}
            session.delete(objective)
            return saved

        result: dict[str, Any] = self._write(
            work, lambda _: Change("objective", frozenset({objective_id}), "delete an objective")
        )
        return result

    def restore_objective(self, saved: dict[str, Any]) -> None:
        def work(session: Session) -> None:
            session.add(Objective(**saved))

        self._write(work, lambda _: Change("objective", frozenset({saved["id"]}), "restore an objective"))

    # --- actions ------------------------------------------------------------------------

    @staticmethod
    def _validate_action(session: Session, action: Action) -> None:
        action.ref = _check_ref(action.ref)
        clash = session.scalar(select(Action.id).where(Action.ref == action.ref, Action.id != action.id))
        if clash is not None:
            raise ValidationError("ref", f"there is already an action {action.ref}")
        if not _clean(action.title):
            raise ValidationError("title", "the action needs a title")
        _check_date(action.due, "due", required=True)
        _check_date(action.start, "start")
        _check_date(action.completed_on, "completed_on")
        if action.start is not None and action.due < action.start:
            raise ValidationError("due", f"due {british(action.due)} is before start {british(action.start)}")
        action.status = _check_status(action.status)
        action.percent_complete = _check_percent(action.percent_complete)
        _check_exempt(action.exempt_paragraph)
        if session.get(Objective, action.objective_id) is None:
            raise ValidationError("objective_id", "choose an objective for the action")

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
        def work(session: Session) -> int:
            action = Action(
                objective_id=objective_id,
                ref=ref,
                title=_clean(title),
                due=due,
                start=start,
                status=status,
                completed_on=completed_on,
                percent_complete=percent_complete,
                description=description or "",
                success_measure=success_measure or "",
                resources=resources or "",
                notes=notes or "",
                exempt_paragraph=exempt_paragraph,
                position=position
                if position is not None
                else (session.scalar(select(func.max(Action.position)).where(Action.objective_id == objective_id)) or 0)
                + 1,
            )
            self._validate_action(session, action)
            if action.status == ActionStatus.COMPLETE and action.completed_on is None:
                action.completed_on = self.clock().date()
            action.department_id = self._department_id(session, department)
            action.owner_id = self._person_id(session, owner, department_id=action.department_id)
            session.add(action)
            session.flush()
            return action.id

        return int(self._write(work, lambda ident: Change("action", frozenset({ident}), f"add action {_clean(ref)}")))

    def update_action(self, action_id: int, expected_version: int | None = None, **changes: Any) -> ActionRecord:
        """Change fields of an action: due, status, owner (a name; new people are added)…

        Setting status complete fills completed-on with today when empty; any
        other status clears it.
        """
        self._unknown(changes, ACTION_FIELDS)

        def work(session: Session) -> ActionRecord:
            action = self._get(session, Action, action_id, "action")
            self._expect(action, expected_version, f"Action {action.ref}")
            for name, value in changes.items():
                if name == "owner":
                    action.owner_id = self._person_id(session, value, department_id=action.department_id)
                elif name == "department":
                    action.department_id = self._department_id(session, value)
                elif name in {"title", "description", "success_measure", "resources", "notes"}:
                    setattr(action, name, "" if value is None else str(value))
                else:
                    setattr(action, name, value)
            self._validate_action(session, action)
            if "status" in changes:
                if action.status == ActionStatus.COMPLETE:
                    if action.completed_on is None:
                        action.completed_on = self.clock().date()
                    if "percent_complete" not in changes:
                        action.percent_complete = 100
                elif "completed_on" not in changes:
                    action.completed_on = None
            session.flush()
            if "ref" in changes:
                # Successors show this ref in their "depends on": they changed too.
                touched.update(
                    session.scalars(select(Dependency.successor_id).where(Dependency.predecessor_id == action_id))
                )
            return queries.load_actions(session, only_ids={action_id})[0]

        touched = {action_id}
        result: ActionRecord = self._write(
            work, lambda record: Change("action", frozenset(touched), f"change action {record.ref}")
        )
        return result

    def delete_action(self, action_id: int) -> DeletedAction:
        """Delete an action with its dependencies and history; the result brings it back."""

        def work(session: Session) -> DeletedAction:
            action = self._get(session, Action, action_id, "action")
            saved = DeletedAction(
                action={c.key: getattr(action, c.key) for c in Action.__table__.columns},
                links=[
                    {c.key: getattr(link, c.key) for c in Dependency.__table__.columns}
                    for link in session.scalars(
                        select(Dependency).where(
                            (Dependency.predecessor_id == action_id) | (Dependency.successor_id == action_id)
                        )
                    )
                ],
                externals=list(
                    session.scalars(select(ActionExternal.external_id).where(ActionExternal.action_id == action_id))
                ),
                progress=[
                    {c.key: getattr(update_, c.key) for c in ProgressUpdate.__table__.columns}
                    for update_ in session.scalars(select(ProgressUpdate).where(ProgressUpdate.action_id == action_id))
                ],
            )
            session.delete(action)
            return saved

        result: DeletedAction = self._write(
            work, lambda saved: Change("action", frozenset({action_id}), f"delete action {saved.action['ref']}")
        )
        return result

    def restore_action(self, saved: DeletedAction) -> None:
        """Undo delete_action: the action, its links, external waits and history come back."""

        def work(session: Session) -> None:
            session.execute(insert(Action), [saved.action])
            if saved.links:
                session.execute(insert(Dependency), saved.links)
            if saved.externals:
                session.execute(
                    insert(ActionExternal),
                    [{"action_id": saved.action["id"], "external_id": e} for e in saved.externals],
                )
            if saved.progress:
                session.execute(insert(ProgressUpdate), saved.progress)

        self._write(
            work, lambda _: Change("action", frozenset({saved.action["id"]}), f"restore action {saved.action['ref']}")
        )

    # --- dependencies -----------------------------------------------------------------

    @staticmethod
    def _successor_map(session: Session) -> dict[int, list[int]]:
        successors: dict[int, list[int]] = defaultdict(list)
        for predecessor, successor in session.execute(select(Dependency.predecessor_id, Dependency.successor_id)):
            successors[predecessor].append(successor)
        return successors

    @staticmethod
    def _refs(session: Session, ids: Iterable[int]) -> dict[int, str]:
        wanted = set(ids)
        return dict(session.execute(select(Action.id, Action.ref).where(Action.id.in_(wanted))).all())

    def add_dependency(self, predecessor_id: int, successor_id: int, kind: str = "FS", lag_days: int = 0) -> LinkRecord:
        """successor waits on predecessor. A link that would close a cycle is refused, naming it."""
        kind = _check_kind(kind)
        if not isinstance(lag_days, int):
            raise ValidationError("lag_days", f"'{lag_days}' is not a whole number of days")

        def work(session: Session) -> LinkRecord:
            predecessor = self._get(session, Action, predecessor_id, "action")
            successor = self._get(session, Action, successor_id, "action")
            if predecessor_id == successor_id:
                raise CycleError(f"{successor.ref} → {successor.ref}")
            existing = session.scalar(
                select(Dependency.id).where(
                    Dependency.predecessor_id == predecessor_id, Dependency.successor_id == successor_id
                )
            )
            if existing is not None:
                raise ValidationError("depends_on", f"{successor.ref} already depends on {predecessor.ref}")
            cycle = find_cycle_if_added(self._successor_map(session), predecessor_id, successor_id)
            if cycle:
                raise CycleError(name_cycle(cycle, self._refs(session, cycle)))
            link = Dependency(predecessor_id=predecessor_id, successor_id=successor_id, kind=kind, lag_days=lag_days)
            session.add(link)
            session.flush()
            return LinkRecord(
                link.id, predecessor_id, predecessor.ref, successor_id, successor.ref, kind, lag_days, link.version
            )

        result: LinkRecord = self._write(
            work,
            lambda link: Change(
                "dependency",
                frozenset({link.successor_id, link.predecessor_id}),
                f"make {link.successor_ref} depend on {link.predecessor_ref}",
            ),
        )
        return result

    def update_dependency(
        self, link_id: int, kind: str | None = None, lag_days: int | None = None, expected_version: int | None = None
    ) -> None:
        new_kind = _check_kind(kind) if kind is not None else None

        def work(session: Session) -> Dependency:
            link = self._get(session, Dependency, link_id, "dependency")
            self._expect(link, expected_version, "This dependency")
            if new_kind is not None:
                link.kind = new_kind
            if lag_days is not None:
                link.lag_days = int(lag_days)
            return link

        self._write(
            work,
            lambda link: Change(
                "dependency", frozenset({link.successor_id, link.predecessor_id}), "change a dependency"
            ),
        )

    def remove_dependency(self, link_id: int) -> LinkRecord:
        def work(session: Session) -> LinkRecord:
            link = self._get(session, Dependency, link_id, "dependency")
            refs = self._refs(session, [link.predecessor_id, link.successor_id])
            record = LinkRecord(
                link.id,
                link.predecessor_id,
                refs[link.predecessor_id],
                link.successor_id,
                refs[link.successor_id],
                link.kind,
                link.lag_days,
                link.version,
            )
            session.delete(link)
            return record

        result: LinkRecord = self._write(
            work,
            lambda link: Change(
                "dependency",
                frozenset({link.successor_id, link.predecessor_id}),
                f"remove {link.successor_ref}'s dependency on {link.predecessor_ref}",
            ),
        )
        return result

    # --- external dependencies ------------------------------------------------------------

    @staticmethod
    def _check_external(changes: Mapping[str, Any]) -> None:
        if "name" in changes and not _clean(changes["name"]):
            raise ValidationError("name", "the external dependency needs a name")
        if "name" in changes and ";" in changes["name"]:
            raise ValidationError("name", "an external dependency's name cannot contain ';'")
        if "confidence" in changes and changes["confidence"] not in CONFIDENCE_VALUES:
            raise ValidationError("confidence", f"'{changes['confidence']}' is not high, medium or low")
        for name in ("expected_on", "last_checked_on", "delivered_on"):
            if name in changes:
                _check_date(changes[name], name)

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
        values = {
            "name": _clean(name),
            "organisation": _clean(organisation),
            "expected_on": expected_on,
            "confidence": confidence,
            "last_checked_on": last_checked_on,
            "delivered_on": delivered_on,
            "notes": notes or "",
        }
        self._check_external(values)

        def work(session: Session) -> int:
            if session.scalar(select(ExternalDependency.id).where(ExternalDependency.name == values["name"])):
                raise ValidationError("name", f"there is already an external dependency called {values['name']}")
            external = ExternalDependency(**values)
            session.add(external)
            session.flush()
            return external.id

        return int(
            self._write(work, lambda ident: Change("external", frozenset({ident}), "add an external dependency"))
        )

    def update_external(self, external_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, EXTERNAL_FIELDS)
        self._check_external(changes)
        self._update_simple(ExternalDependency, "external", external_id, expected_version, changes)

    def delete_external(self, external_id: int) -> tuple[dict[str, Any], list[int]]:
        """Delete an external dependency; returns it and the actions that waited on it (for undo)."""

        def work(session: Session) -> tuple[dict[str, Any], list[int]]:
            external = self._get(session, ExternalDependency, external_id, "external dependency")
            waiting = list(
                session.scalars(select(ActionExternal.action_id).where(ActionExternal.external_id == external_id))
            )
            saved = {c.key: getattr(external, c.key) for c in ExternalDependency.__table__.columns}
            session.delete(external)
            return saved, waiting

        result: tuple[dict[str, Any], list[int]] = self._write(
            work, lambda _: Change("external", frozenset({external_id}), "delete an external dependency")
        )
        return result

    def restore_external(self, saved: dict[str, Any], waiting: list[int]) -> None:
        def work(session: Session) -> None:
            session.execute(insert(ExternalDependency), [saved])
            if waiting:
                session.execute(insert(ActionExternal), [{"action_id": a, "external_id": saved["id"]} for a in waiting])

        self._write(work, lambda _: Change("external", frozenset({saved["id"]}), "restore an external dependency"))

    def link_external(self, action_id: int, external_id: int) -> None:
        """The action waits on the external dependency."""

        def work(session: Session) -> None:
            action = self._get(session, Action, action_id, "action")
            external = self._get(session, ExternalDependency, external_id, "external dependency")
            if session.get(ActionExternal, (action_id, external_id)) is not None:
                raise ValidationError("external", f"{action.ref} already waits on {external.name}")
            session.add(ActionExternal(action_id=action_id, external_id=external_id))

        self._write(work, lambda _: Change("action", frozenset({action_id}), "wait on an external dependency"))

    def unlink_external(self, action_id: int, external_id: int) -> None:
        def work(session: Session) -> None:
            row = session.get(ActionExternal, (action_id, external_id))
            if row is None:
                raise NotFound("that action does not wait on that external dependency")
            session.delete(row)

        self._write(work, lambda _: Change("action", frozenset({action_id}), "stop waiting on an external dependency"))

    # --- progress --------------------------------------------------------------------------

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
        _check_date(reported_on, "reported_on", required=True)
        new_status = _check_status(status) if status is not None else None
        new_percent = _check_percent(percent_complete) if percent_complete is not None else None

        def work(session: Session) -> ProgressRecord:
            action = self._get(session, Action, action_id, "action")
            if new_status is not None:
                action.status = new_status
                if new_status == ActionStatus.COMPLETE and action.completed_on is None:
                    action.completed_on = reported_on
                elif new_status != ActionStatus.COMPLETE:
                    action.completed_on = None
            if new_percent is not None:
                action.percent_complete = new_percent
            elif new_status == ActionStatus.COMPLETE:
                action.percent_complete = 100
            entry = ProgressUpdate(
                action_id=action_id,
                reported_on=reported_on,
                status=action.status,
                percent_complete=action.percent_complete,
                note=note or "",
                author=_clean(author),
                recorded_at=self.clock(),
            )
            session.add(entry)
            session.flush()
            return ProgressRecord(
                entry.id,
                action_id,
                entry.reported_on,
                entry.status,
                entry.percent_complete,
                entry.note,
                entry.author,
                entry.recorded_at,
            )

        result: ProgressRecord = self._write(
            work, lambda _: Change("progress", frozenset({action_id}), "add a progress update")
        )
        return result

    def withdraw_progress(self, progress_id: int, restore: Mapping[str, Any]) -> None:
        """Undo add_progress: remove that entry and put the action's status back."""

        def work(session: Session) -> int:
            entry = self._get(session, ProgressUpdate, progress_id, "progress update")
            action = self._get(session, Action, entry.action_id, "action")
            for name, value in restore.items():
                setattr(action, name, value)
            session.delete(entry)
            return action.id

        self._write(work, lambda ident: Change("progress", frozenset({ident}), "withdraw a progress update"))

    # --- import of actions (all or nothing) --------------------------------------------------

    def import_actions(self, rows: Sequence[ActionImportRow], source: str = "the file") -> ImportSummary:
        """Add or update actions from parsed rows in ONE transaction.

        Refused whole, naming row and column, for: a new objective without a
        title, a depends_on naming no action, a dependency cycle, an external
        given two dates, due before start. Rows whose action_ref exists update
        that action (only the columns the file has).
        """
        result: ImportSummary = self._write(
            lambda session: _ActionImport(self, session, rows, source).run(),
            lambda summary: Change("import", description=f"import {summary.added + summary.updated} actions"),
        )
        return result

    # --- BVPI 157 services ----------------------------------------------------------------------

    def add_service(self, name: str, lgsl: int | None = None, department: str | None = None) -> int:
        name = _clean(name)
        if not name:
            raise ValidationError("name", "the service needs a name")

        def work(session: Session) -> int:
            if session.scalar(select(Service.id).where(Service.name == name)) is not None:
                raise ValidationError("name", f"there is already a service called {name}")
            service = Service(name=name, lgsl=lgsl, department_id=self._department_id(session, department))
            session.add(service)
            session.flush()
            return service.id

        return int(self._write(work, lambda ident: Change("service", frozenset({ident}), f"add service {name}")))

    def update_service(self, service_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, SERVICE_FIELDS)

        def work(session: Session) -> None:
            service = self._get(session, Service, service_id, "service")
            self._expect(service, expected_version, service.name)
            for name, value in changes.items():
                if name == "department":
                    service.department_id = self._department_id(session, value)
                elif name == "name":
                    if not _clean(value):
                        raise ValidationError("name", "the service needs a name")
                    service.name = _clean(value)
                else:
                    setattr(service, name, value)

        self._write(work, lambda _: Change("service", frozenset({service_id}), "change a service"))

    def _external_id(self, session: Session, name: str | None) -> int | None:
        name = _clean(name)
        if not name:
            return None
        found = session.scalar(select(ExternalDependency.id).where(ExternalDependency.name == name))
        if found is None:
            raise ValidationError("external", f"there is no external dependency called {name}")
        return found

    @staticmethod
    def _check_service_row(row: ServiceInteraction) -> None:
        if row.interaction not in INTERACTION_TYPES:
            raise ValidationError("interaction", f"'{row.interaction}' is not an interaction type (0-9)")
        if not row.permissible and not _clean(row.reason):
            raise ValidationError("reason", "say why the interaction is not legally permissible electronically")
        _check_date(row.enabled_on, "enabled_on")
        _check_date(row.forecast_on, "forecast_on")

    def _insert_service_row(
        self,
        session: Session,
        service: Service,
        interaction: int,
        permissible: bool,
        reason: str,
        enabled_on: date | None,
        forecast_on: date | None,
        channels: str,
        external: str | None,
    ) -> int:
        if session.scalar(
            select(ServiceInteraction.id).where(
                ServiceInteraction.service_id == service.id, ServiceInteraction.interaction == interaction
            )
        ):
            raise ValidationError(
                "interaction", f"{service.name} already has a row for '{INTERACTION_TYPES.get(interaction)}'"
            )
        row = ServiceInteraction(
            service_id=service.id,
            interaction=interaction,
            permissible=permissible,
            reason=reason or "",
            enabled_on=enabled_on,
            forecast_on=forecast_on,
            channels=channels or "",
            external_id=self._external_id(session, external),
        )
        self._check_service_row(row)
        session.add(row)
        session.flush()
        return row.id

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
        def work(session: Session) -> int:
            service = self._get(session, Service, service_id, "service")
            return self._insert_service_row(
                session, service, interaction, permissible, reason, enabled_on, forecast_on, channels, external
            )

        return int(self._write(work, lambda ident: Change("service", frozenset({ident}), "add a service row")))

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
        name = _clean(service)
        if not name:
            raise ValidationError("service", "the service needs a name")

        def work(session: Session) -> int:
            found = session.scalar(select(Service).where(Service.name == name))
            if found is None:
                found = Service(name=name)
                session.add(found)
            if department is not None:
                found.department_id = self._department_id(session, department)
            if lgsl is not None:
                found.lgsl = lgsl
            session.flush()
            return self._insert_service_row(
                session, found, interaction, permissible, reason, enabled_on, forecast_on, channels, external
            )

        return int(
            self._write(work, lambda ident: Change("service", frozenset({ident}), f"add a service row to {name}"))
        )

    def update_service_row(self, row_id: int, expected_version: int | None = None, **changes: Any) -> None:
        self._unknown(changes, SERVICE_ROW_FIELDS)

        def work(session: Session) -> None:
            row = self._get(session, ServiceInteraction, row_id, "service row")
            self._expect(row, expected_version, "This service row")
            for name, value in changes.items():
                if name == "external":
                    row.external_id = self._external_id(session, value)
                elif name in {"reason", "channels"}:
                    setattr(row, name, value or "")
                else:
                    setattr(row, name, value)
            self._check_service_row(row)

        self._write(work, lambda _: Change("service", frozenset({row_id}), "change a service row"))

    def delete_service_row(self, row_id: int) -> dict[str, Any]:
        """Delete one service x interaction row; returns its column values (restore_service_row brings it back)."""

        def work(session: Session) -> dict[str, Any]:
            row = self._get(session, ServiceInteraction, row_id, "service row")
            saved = {c.key: getattr(row, c.key) for c in ServiceInteraction.__table__.columns}
            session.delete(row)
            return saved

        result: dict[str, Any] = self._write(
            work, lambda _: Change("service", frozenset({row_id}), "delete a service row")
        )
        return result

    def restore_service_row(self, saved: dict[str, Any]) -> None:
        """Undo delete_service_row: the same row (same id and values) comes back."""

        def work(session: Session) -> None:
            service = self._get(session, Service, saved["service_id"], "service")
            clash = session.scalar(
                select(ServiceInteraction.id).where(
                    ServiceInteraction.service_id == service.id,
                    ServiceInteraction.interaction == saved["interaction"],
                )
            )
            if clash is not None:
                raise ValidationError(
                    "interaction",
                    f"{service.name} already has a row for '{INTERACTION_TYPES.get(saved['interaction'])}'",
                )
            session.execute(insert(ServiceInteraction), [saved])

        self._write(work, lambda _: Change("service", frozenset({saved["id"]}), "restore a service row"))

    def import_services(self, rows: Sequence[ServiceImportRow], source: str = "the file") -> ImportSummary:
        """Add or update service x interaction rows in ONE transaction (all or nothing)."""
        result: ImportSummary = self._write(
            lambda session: _ServiceImport(self, session, rows, source).run(),
            lambda summary: Change("service", description=f"import {summary.added + summary.updated} service rows"),
        )
        return result


# Dependencies written per statement by an import: a bounded batch, not every link of the file at once.
_LINK_BATCH = 5000


class _CompactGraph(Mapping[int, Sequence[int]]):
    """Every action's successors as three integer arrays (8 bytes a link), for the cycle check.

    As a dict of lists of Python ints, a plan's millions of links cost about 40 bytes each.
    """

    def __init__(self, nodes: array[int], offsets: array[int], targets: array[int]) -> None:
        self.nodes, self.offsets, self.targets = nodes, offsets, targets  # node i: targets[offsets[i]:offsets[i+1]]

    @classmethod
    def of_dependencies(cls, session: Session) -> _CompactGraph:
        nodes, offsets, targets = array("q"), array("q"), array("q")
        rows = session.connection().execute(
            select(Dependency.predecessor_id, Dependency.successor_id).order_by(Dependency.predecessor_id)
        )
        for predecessor, successor in rows:
            if not nodes or nodes[-1] != predecessor:
                nodes.append(predecessor)
                offsets.append(len(targets))
            targets.append(successor)
        offsets.append(len(targets))
        return cls(nodes, offsets, targets)

    def __getitem__(self, node: int) -> Sequence[int]:
        index = bisect_left(self.nodes, node)
        if index == len(self.nodes) or self.nodes[index] != node:
            raise KeyError(node)
        return self.targets[self.offsets[index] : self.offsets[index + 1]]

    def __iter__(self) -> Iterator[int]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)


class _ActionImport:
    """One import of action rows inside one transaction."""

    def __init__(self, service: PlanService, session: Session, rows: Sequence[ActionImportRow], source: str) -> None:
        self.service = service
        self.session = session
        self.rows = rows
        self.source = source

    def fail(self, row: ActionImportRow | None, column: str | None, message: str) -> RowError:
        return RowError(self.source, row.row if row else None, column, message)

    def run(self) -> ImportSummary:
        session = self.session
        objectives = {
            ref: (ident, title)
            for ident, ref, title in session.execute(select(Objective.id, Objective.ref, Objective.title))
        }
        actions = dict(session.execute(select(Action.ref, Action.id)).all())
        versions = dict(session.execute(select(Action.id, Action.version)).all())
        people = dict(session.execute(select(Person.name, Person.id)).all())
        people_titles = dict(session.execute(select(Person.name, Person.job_title)).all())
        departments = dict(session.execute(select(Department.name, Department.id)).all())
        externals = {
            name: (ident, expected)
            for ident, name, expected in session.execute(
                select(ExternalDependency.id, ExternalDependency.name, ExternalDependency.expected_on)
            )
        }
        created_objectives: list[str] = []
        created_people: list[str] = []

        # Objectives, departments and people first (new ones created on first sight).
        next_position = (session.scalar(select(func.max(Objective.position))) or 0) + 1
        for row in self.rows:
            if row.objective_ref not in objectives:
                if not _clean(row.objective):
                    raise self.fail(row, "objective", f"objective {row.objective_ref} is new: give its title")
                objective = Objective(ref=row.objective_ref, title=_clean(row.objective), position=next_position)
                next_position += 1
                session.add(objective)
                session.flush()
                objectives[row.objective_ref] = (objective.id, objective.title)
                created_objectives.append(row.objective_ref)
            elif (
                "objective" in row.present
                and _clean(row.objective)
                and objectives[row.objective_ref][1] != _clean(row.objective)
            ):
                ident = objectives[row.objective_ref][0]
                session.execute(
                    update(Objective)
                    .where(Objective.id == ident)
                    .values(title=_clean(row.objective), version=Objective.version + 1)
                )
                objectives[row.objective_ref] = (ident, _clean(row.objective))
            if row.department and row.department not in departments:
                department = Department(name=row.department)
                session.add(department)
                session.flush()
                departments[row.department] = department.id
            if row.owner and row.owner not in people:
                person = Person(name=row.owner, job_title=row.owner_role, department_id=departments.get(row.department))
                session.add(person)
                session.flush()
                people[row.owner] = person.id
                people_titles[row.owner] = row.owner_role
                created_people.append(row.owner)
            elif row.owner and row.owner_role and people_titles.get(row.owner) != row.owner_role:
                session.execute(
                    update(Person)
                    .where(Person.id == people[row.owner])
                    .values(job_title=row.owner_role, version=Person.version + 1)
                )
                people_titles[row.owner] = row.owner_role

        # Actions: insert the new ones in bulk, update the existing ones by primary key.
        new_values: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        positions: dict[int, int] = defaultdict(int)
        for ident, position in session.execute(
            select(Action.objective_id, func.max(Action.position)).group_by(Action.objective_id)
        ):
            positions[ident] = position or 0
        for row in self.rows:
            values = self._action_values(row, objectives, people, departments)
            existing = actions.get(row.action_ref)
            if existing is None:
                objective_id = values["objective_id"]
                positions[objective_id] += 1
                new_values.append(
                    {
                        "ref": row.action_ref,
                        "title": values.get("title", ""),
                        "description": values.get("description", ""),
                        "owner_id": values.get("owner_id"),
                        "department_id": values.get("department_id"),
                        "start": values.get("start"),
                        "due": values["due"],
                        "status": values.get("status", ActionStatus.NOT_STARTED.value),
                        "completed_on": values.get("completed_on"),
                        "percent_complete": values.get("percent_complete", 0),
                        "success_measure": values.get("success_measure", ""),
                        "resources": values.get("resources", ""),
                        "notes": values.get("notes", ""),
                        "exempt_paragraph": values.get("exempt_paragraph"),
                        "objective_id": objective_id,
                        "position": positions[objective_id],
                        "version": 1,
                    }
                )
            else:
                values["id"] = existing
                values["version"] = versions[existing]  # checked and bumped by SQLAlchemy
                updates.append(values)
        if updates:
            self._check_updated_dates(updates, {ident: ref for ref, ident in actions.items()})
            session.execute(update(Action), updates)
        if new_values:
            # Core executemany: the ORM's bulk path with RETURNING grows quadratically here.
            session.execute(insert(_table(Action)), new_values)
            added = {row["ref"] for row in new_values}
            for ident, ref in session.execute(select(Action.id, Action.ref)):
                if ref in added:
                    actions[ref] = ident

        # Dependencies: a row with a depends_on column replaces that action's predecessors.
        replaced = [row for row in self.rows if "depends_on" in row.present]
        replaced_ids = {actions[row.action_ref] for row in replaced}
        if replaced_ids:
            # Chunked: SQLite limits the number of bound parameters per statement.
            ordered = sorted(replaced_ids)
            for start in range(0, len(ordered), 900):
                session.execute(delete(Dependency).where(Dependency.successor_id.in_(ordered[start : start + 900])))
        # Officers type refs in any case: fall back to a case-insensitive match when it is unique.
        folded: dict[str, int | None] = {}
        for ref, ident in actions.items():
            folded[ref.casefold()] = None if ref.casefold() in folded else ident
        # Written a batch at a time as they are checked (a file may hold millions): a refusal
        # part way rolls the whole transaction back, so nothing is saved either way.
        inserted = 0
        batch: list[dict[str, Any]] = []
        for row in replaced:
            successor = actions[row.action_ref]
            seen: set[int] = set()
            for spec in row.depends_on:
                predecessor = actions.get(spec.predecessor_ref) or folded.get(spec.predecessor_ref.casefold())
                if predecessor is None:
                    raise self.fail(
                        row, "depends_on", f"{spec.predecessor_ref} is not an action in the plan or the file"
                    )
                if predecessor == successor:
                    raise self.fail(row, "depends_on", f"{row.action_ref} cannot depend on itself")
                if predecessor in seen:
                    raise self.fail(row, "depends_on", f"{spec.predecessor_ref} is listed twice")
                seen.add(predecessor)
                batch.append(
                    {
                        "predecessor_id": predecessor,
                        "successor_id": successor,
                        "kind": spec.kind,
                        "lag_days": spec.lag_days,
                        "version": 1,
                    }
                )
                if len(batch) >= _LINK_BATCH:
                    session.execute(insert(_table(Dependency)), batch)
                    inserted += len(batch)
                    batch = []
        if batch:
            session.execute(insert(_table(Dependency)), batch)
            inserted += len(batch)
        if inserted or replaced_ids:
            cycle = find_any_cycle(_CompactGraph.of_dependencies(session))
            if cycle:
                refs = {ident: ref for ref, ident in actions.items()}
                by_ref = {row.action_ref: row for row in self.rows}
                culprit = next((by_ref[refs[i]] for i in cycle if refs.get(i) in by_ref), None)
                raise self.fail(culprit, "depends_on", f"dependency cycle {name_cycle(cycle, refs)}")

        self._apply_externals(actions, externals)
        return ImportSummary(
            added=len(new_values),
            updated=len(updates),
            dependencies=inserted,
            created_objectives=created_objectives,
            created_people=created_people,
        )

    def _action_values(
        self,
        row: ActionImportRow,
        objectives: Mapping[str, tuple[int, str]],
        people: Mapping[str, int],
        departments: Mapping[str, int],
    ) -> dict[str, Any]:
        present = row.present
        values: dict[str, Any] = {"objective_id": objectives[row.objective_ref][0]}
        if row.due is not None:
            values["due"] = row.due
        if "action" in present:
            values["title"] = row.action
        for name in ("description", "success_measure", "resources", "notes"):
            if name in present:
                values[name] = getattr(row, name)
        if "owner" in present:
            values["owner_id"] = people.get(row.owner) if row.owner else None
        if "department" in present:
            values["department_id"] = departments.get(row.department) if row.department else None
        if "start" in present:
            values["start"] = row.start
        if "status" in present and row.status is not None:
            values["status"] = row.status
        if "completed_on" in present:
            values["completed_on"] = row.completed_on
        if "percent_complete" in present and row.percent_complete is not None:
            values["percent_complete"] = row.percent_complete
        if "exempt" in present:
            values["exempt_paragraph"] = row.exempt
        if row.start is not None and row.due is not None and row.due < row.start:
            raise self.fail(row, "due", f"due {british(row.due)} is before start {british(row.start)}")
        return values

    def _check_updated_dates(self, updates: list[dict[str, Any]], refs: Mapping[int, str]) -> None:
        """An update that sets only start or only due must still keep due on or after start."""
        ids = [u["id"] for u in updates if ("start" in u) != ("due" in u)]
        current: dict[int, tuple[date | None, date]] = {}
        for start in range(0, len(ids), 900):
            for ident, first, due in self.session.execute(
                select(Action.id, Action.start, Action.due).where(Action.id.in_(ids[start : start + 900]))
            ):
                current[ident] = (first, due)
        by_id = {u["id"]: u for u in updates}
        rows = {r.action_ref: r for r in self.rows}
        for ident in ids:
            values = by_id[ident]
            first = values.get("start", current[ident][0])
            due = values.get("due", current[ident][1])
            if first is not None and due < first:
                column = "due" if "due" in values else "start"
                raise self.fail(rows.get(refs[ident]), column, f"due {british(due)} is before start {british(first)}")

    def _apply_externals(self, actions: Mapping[str, int], externals: dict[str, tuple[int, date | None]]) -> None:
        session = self.session
        given: dict[str, tuple[date | None, ActionImportRow]] = {}
        for row in self.rows:
            if "external" not in row.present:
                continue
            for index, name in enumerate(row.external):
                expected = row.external_expected[index] if index < len(row.external_expected) else None
                if expected is None:
                    continue
                if name in given and given[name][0] != expected:
                    earlier = given[name][1]
                    raise self.fail(
                        row,
                        "external_expected",
                        f"{name} is expected {british(given[name][0])} in row {earlier.row} "
                        f"but {british(expected)} here; give one date",
                    )
                given[name] = (expected, row)
        replaced = [actions[row.action_ref] for row in self.rows if "external" in row.present]
        for start in range(0, len(replaced), 900):
            session.execute(delete(ActionExternal).where(ActionExternal.action_id.in_(replaced[start : start + 900])))
        waits: list[dict[str, int]] = []
        for row in self.rows:
            if "external" not in row.present:
                continue
            for name in row.external:
                if name not in externals:
                    expected = given.get(name, (None, row))[0]
                    external = ExternalDependency(name=name, expected_on=expected)
                    session.add(external)
                    session.flush()
                    externals[name] = (external.id, expected)
                elif name in given and given[name][0] != externals[name][1]:
                    ident = externals[name][0]
                    session.execute(
                        update(ExternalDependency)
                        .where(ExternalDependency.id == ident)
                        .values(expected_on=given[name][0], version=ExternalDependency.version + 1)
                    )
                    externals[name] = (ident, given[name][0])
                waits.append({"action_id": actions[row.action_ref], "external_id": externals[name][0]})
        if waits:
            session.execute(insert(_table(ActionExternal)), waits)


class _ServiceImport:
    """One import of BVPI 157 service rows inside one transaction."""

    def __init__(self, service: PlanService, session: Session, rows: Sequence[ServiceImportRow], source: str) -> None:
        self.service = service
        self.session = session
        self.rows = rows
        self.source = source

    def run(self) -> ImportSummary:
        session = self.session
        services = {
            name: (ident, dept)
            for ident, name, dept in session.execute(select(Service.id, Service.name, Service.department_id))
        }
        departments = dict(session.execute(select(Department.name, Department.id)).all())
        externals = {
            name: (ident, expected)
            for ident, name, expected in session.execute(
                select(ExternalDependency.id, ExternalDependency.name, ExternalDependency.expected_on)
            )
        }
        existing = {
            (service_id, interaction): (ident, version)
            for ident, service_id, interaction, version in session.execute(
                select(
                    ServiceInteraction.id,
                    ServiceInteraction.service_id,
                    ServiceInteraction.interaction,
                    ServiceInteraction.version,
                )
            )
        }
        dates_given: dict[str, tuple[date, int]] = {}
        seen: dict[tuple[str, int], int] = {}
        added = updated = 0
        for row in self.rows:
            key = (row.service, row.interaction)
            if key in seen:
                raise RowError(
                    self.source,
                    row.row,
                    "interaction",
                    f"{row.service} / {INTERACTION_TYPES[row.interaction]} is already in row {seen[key]}",
                )
            seen[key] = row.row
            if row.external and row.external_expected is not None:
                if row.external in dates_given and dates_given[row.external][0] != row.external_expected:
                    first_date, first_row = dates_given[row.external]
                    raise RowError(
                        self.source,
                        row.row,
                        "external_expected",
                        f"{row.external} is expected {british(first_date)} in row {first_row} "
                        f"but {british(row.external_expected)} here; give one date",
                    )
                dates_given[row.external] = (row.external_expected, row.row)
            department_id = None
            if row.department:
                if row.department not in departments:
                    department = Department(name=row.department)
                    session.add(department)
                    session.flush()
                    departments[row.department] = department.id
                department_id = departments[row.department]
            if row.service not in services:
                new_service = Service(name=row.service, lgsl=row.lgsl, department_id=department_id)
                session.add(new_service)
                session.flush()
                services[row.service] = (new_service.id, department_id)
            else:
                ident, current_dept = services[row.service]
                changes: dict[str, Any] = {}
                if "lgsl" in row.present and row.lgsl is not None:
                    changes["lgsl"] = row.lgsl
                if "department" in row.present and department_id is not None and department_id != current_dept:
                    changes["department_id"] = department_id
                if changes:
                    session.execute(
                        update(Service).where(Service.id == ident).values(**changes, version=Service.version + 1)
                    )
                    services[row.service] = (ident, changes.get("department_id", current_dept))
            external_id = None
            if row.external:
                if row.external not in externals:
                    external = ExternalDependency(name=row.external, expected_on=row.external_expected)
                    session.add(external)
                    session.flush()
                    externals[row.external] = (external.id, row.external_expected)
                elif row.external_expected is not None and externals[row.external][1] != row.external_expected:
                    ident = externals[row.external][0]
                    session.execute(
                        update(ExternalDependency)
                        .where(ExternalDependency.id == ident)
                        .values(expected_on=row.external_expected, version=ExternalDependency.version + 1)
                    )
                    externals[row.external] = (ident, row.external_expected)
                external_id = externals[row.external][0]
            service_id = services[row.service][0]
            values = {
                "permissible": row.permissible,
                "reason": row.reason,
                "enabled_on": row.enabled_on,
                "forecast_on": row.forecast,
                "channels": row.channels,
                "external_id": external_id,
            }
            current = existing.get((service_id, row.interaction))
            if current is None:
                session.execute(
                    insert(ServiceInteraction),
                    [{"service_id": service_id, "interaction": row.interaction, "version": 1, **values}],
                )
                added += 1
            else:
                keep = {k: v for k, v in values.items() if _service_column(k) in row.present}
                if keep:
                    session.execute(
                        update(ServiceInteraction)
                        .where(ServiceInteraction.id == current[0])
                        .values(**keep, version=ServiceInteraction.version + 1)
                    )
                updated += 1
        return ImportSummary(added=added, updated=updated, dependencies=0)


def _service_column(field_name: str) -> str:
    """The CSV column that sets a service row field."""
    return {"forecast_on": "forecast", "external_id": "external"}.get(field_name, field_name)
