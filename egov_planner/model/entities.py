"""The things in a plan, as typed SQLAlchemy 2 ORM classes mapped onto model/tables.py.

One plan is one database. Every editable row carries a `version` that
SQLAlchemy checks on UPDATE (version_id_col), so an edit made against a stale
copy fails instead of silently overwriting someone else's.

The columns are declared once, as Core tables (tables.py), so read-only
commands can query them without loading the ORM. Every column is mapped; the
annotations here only type the attributes the edit path reads or writes by
name (mypy says when one more is needed). The rest are read by queries.py and
written through the typed change sets. The relationships are kept although
nothing reads them: they order a flush (a parent inserted before its rows, deleted after).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, relationship

from egov_planner.model import tables
from egov_planner.model.tables import (  # noqa: F401 - the schema's values, re-exported for the edit path
    CONFIDENCE_VALUES,
    DEPENDENCY_TYPES,
    INTERACTION_TYPES,
    NAMING,
    SCHEDULE_12A_PARAGRAPHS,
    STATUS_VALUES,
    ActionStatus,
    Confidence,
    DependencyType,
)


class Base(DeclarativeBase):
    metadata = tables.metadata


class Editable(Base):
    """A row the officer edits: its id, and the version SQLAlchemy checks on every UPDATE."""

    __abstract__ = True
    id: Mapped[int]
    version: Mapped[int]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class Meta(Base):
    """Key/value facts about the file itself (schema needs, backup folder)."""

    __table__ = tables.meta
    value: Mapped[str]


class Plan(Editable):
    """The review and its committee report: one row per file."""

    __table__ = tables.plan


class Meeting(Editable):
    """A committee the report goes to, and when it meets."""

    __table__ = tables.meeting


class OtherImplication(Editable):
    """A row of the report's 'other implications' YES/NO table."""

    __table__ = tables.other_implication


class Department(Editable):
    __table__ = tables.department
    name: Mapped[str]


class Person(Editable):
    __table__ = tables.person
    name: Mapped[str]
    department: Mapped[Department | None] = relationship()


class Objective(Editable):
    __table__ = tables.objective
    ref: Mapped[str]
    title: Mapped[str]
    position: Mapped[int]
    lead: Mapped[Person | None] = relationship()


class Action(Editable):
    __table__ = tables.action
    objective_id: Mapped[int]
    ref: Mapped[str]
    owner_id: Mapped[int | None]
    department_id: Mapped[int | None]
    start: Mapped[date | None]
    due: Mapped[date]
    status: Mapped[str]
    completed_on: Mapped[date | None]
    percent_complete: Mapped[int]
    expected: Mapped[date | None]
    position: Mapped[int]
    objective: Mapped[Objective] = relationship()
    owner: Mapped[Person | None] = relationship()
    department: Mapped[Department | None] = relationship()


class Dependency(Editable):
    """Successor waits on predecessor: type FS/SS/FF/SF and a lag in days (may be negative)."""

    __table__ = tables.dependency
    predecessor_id: Mapped[int]
    successor_id: Mapped[int]
    kind: Mapped[str]
    lag_days: Mapped[int]


class ExternalDependency(Editable):
    """Something the council does not control, e.g. a national project due in 2006."""

    __table__ = tables.external_dependency
    name: Mapped[str]


class ActionExternal(Base):
    """An action waits on an external dependency."""

    __table__ = tables.action_external
    action_id: Mapped[int]
    external_id: Mapped[int]


class ProgressUpdate(Base):
    """A dated note on an action; history is appended, never overwritten."""

    __table__ = tables.progress_update
    id: Mapped[int]
    action_id: Mapped[int]
    reported_on: Mapped[date]
    status: Mapped[str]
    percent_complete: Mapped[int]
    note: Mapped[str]
    author: Mapped[str]
    recorded_at: Mapped[datetime]


class ConsultationEvidence(Editable):
    """How the review consulted: workshops, questionnaires, interviews, inspection."""

    __table__ = tables.consultation_evidence


# --- BVPI 157: electronic service delivery (schema revision 0002) -----------


class Service(Editable):
    """A council service on the ESD toolkit list (LGSL number where known)."""

    __table__ = tables.service
    name: Mapped[str]
    lgsl: Mapped[int | None]
    department_id: Mapped[int | None]
    department: Mapped[Department | None] = relationship()


class ServiceInteraction(Editable):
    """One service x interaction type row: the unit BVPI 157 counts."""

    __table__ = tables.service_interaction
    service_id: Mapped[int]
    interaction: Mapped[int]
    permissible: Mapped[bool]
    reason: Mapped[str]
    enabled_on: Mapped[date | None]
    forecast_on: Mapped[date | None]
    external_id: Mapped[int | None]
    service: Mapped[Service] = relationship()


# --- The committee cycle (schema revision 0004): written once, never updated ------------


class RecordedReportRow(Base):
    """A report as issued (model/cycle.py's RecordedReport is its plain record)."""

    __table__ = tables.recorded_report
    id: Mapped[int]
    label: Mapped[str]


class ReportedActionRow(Base):
    """One action as a recorded report stated it."""

    __table__ = tables.reported_action
    id: Mapped[int]


class Revision(Base):
    """A revised target date: from, to, why, and who agreed it."""

    __table__ = tables.revision
    id: Mapped[int]
    action_id: Mapped[int]
    from_due: Mapped[date]
    to_due: Mapped[date]
    reason: Mapped[str]
    agreed_by: Mapped[str]
    at: Mapped[datetime]
    by: Mapped[str]
