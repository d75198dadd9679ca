"""What every area of the service shares: the Change it reports and its undo and import records.

Undo payloads are frozen records (a deleted objective comes back from its ObjectiveRecord), never column dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar, cast

from sqlalchemy import Table

from egov_planner.model.cycle import RevisionRecord
from egov_planner.model.entities import Base
from egov_planner.model.records import (
    ActionRecord,
    ConsultationRecord,
    ExternalRecord,
    ImplicationRecord,
    LinkRecord,
    MeetingRecord,
    ProgressRecord,
)

E = TypeVar("E", bound=Base)


class ChangeKind(StrEnum):
    """What kind of thing a committed change touched (its values are the names the window and tests use)."""

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
    REPORT = "report"  # a report recorded as issued (the committee cycle)


@dataclass(frozen=True, slots=True)
class Change:
    """What a committed change touched: the kind of thing, which actions and which rows of that kind.

    action_ids: the actions whose records changed (for action, dependency and progress changes).
    entity_ids: the rows of `kind` itself (the objective, person, link, progress entry, service or row…).
    """

    kind: ChangeKind
    description: str = ""
    action_ids: frozenset[int] = frozenset()
    entity_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class DeletedAction:
    """Everything needed to bring a deleted action back (undo): its records as they were read.

    The action (every column is a field of ActionRecord), the links into and
    out of it, the external dependencies it waited on, its progress history and revisions.
    """

    action: ActionRecord
    links: tuple[LinkRecord, ...]
    externals: tuple[int, ...]
    progress: tuple[ProgressRecord, ...]
    revisions: tuple[RevisionRecord, ...] = ()  # its revised target dates (the committee cycle)


@dataclass(frozen=True, slots=True)
class DeletedExternal:
    """An external dependency as it was when deleted, and the actions that waited on it (undo brings both back)."""

    external: ExternalRecord
    waiting: tuple[int, ...]


# A row of the report's tables as it was when deleted: restore_row puts the same row back.
ReportRow = MeetingRecord | ImplicationRecord | ConsultationRecord


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: int
    updated: int
    dependencies: int
    created_objectives: list[str] = field(default_factory=list)
    created_people: list[str] = field(default_factory=list)
    renamed_objectives: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, old title, new title)

    def describe(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated"]
        if self.dependencies:
            parts.append(f"{self.dependencies} dependencies")
        if self.created_objectives:
            parts.append(f"{len(self.created_objectives)} new objectives")
        if len(self.renamed_objectives) == 1:
            ref, old, new = self.renamed_objectives[0]
            parts.append(f"objective {ref} renamed from '{old}' to '{new}'")
        elif self.renamed_objectives:
            refs = ", ".join(ref for ref, _, _ in self.renamed_objectives)
            parts.append(f"{len(self.renamed_objectives)} objectives renamed ({refs})")
        if self.created_people:
            parts.append(f"{len(self.created_people)} new people")
        return ", ".join(parts)


def _table(entity: type[Base]) -> Table:
    """The Core table behind an entity: bulk writes go through Core executemany."""
    return cast(Table, entity.__table__)
