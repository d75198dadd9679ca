"""What every area of the service shares: the Change it reports, undo and import records, field sets, checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar, cast

from sqlalchemy import Table

from egov_planner.model.entities import (
    DEPENDENCY_TYPES,
    STATUS_VALUES,
    Base,
)
from egov_planner.model.errors import ValidationError
from egov_planner.model.records import (
    PlanDetails,
)

REF_PATTERN = re.compile(r"^[^\s;,]{1,40}$")
E = TypeVar("E", bound=Base)


class ChangeKind(StrEnum):
    """What kind of thing a committed change touched (the values are the strings `Change.what` always had)."""

    PLAN = "plan"
    ACTION = "action"
    OBJECTIVE = "objective"
    DEPENDENCY = "dependency"
    EXTERNAL = "external"
    PERSON = "person"
    DEPARTMENT = "department"
    MEETING = "meeting"
    IMPLICATION = "implication"
    CONSULTATION = "consultation"
    PROGRESS = "progress"
    SERVICE = "service"
    IMPORT = "import"


# Kinds whose old `ids` were action ids (the window re-reads just those actions).
_ACTION_KINDS = frozenset({ChangeKind.ACTION, ChangeKind.DEPENDENCY, ChangeKind.PROGRESS})


@dataclass(frozen=True, slots=True)
class Change:
    """What a committed change touched: the kind of thing, which actions and which rows of that kind.

    action_ids: the actions whose records changed (for action, dependency and progress changes).
    entity_ids: the rows of `what` itself (the objective, person, link, progress entry, service or row…).
    """

    what: ChangeKind
    description: str = ""
    action_ids: frozenset[int] = frozenset()
    entity_ids: frozenset[int] = frozenset()

    @property
    def ids(self) -> frozenset[int]:
        """Compatibility shim until the window moves over: action ids for action-like kinds, else entity ids."""
        return self.action_ids if self.what in _ACTION_KINDS else self.entity_ids


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
