"""What every area of the service shares: the Change it reports, undo and import records, field sets, checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar, cast

from sqlalchemy import Table

from egov_planner.model.entities import (
    Base,
)
from egov_planner.model.records import (
    PlanDetails,
)

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
