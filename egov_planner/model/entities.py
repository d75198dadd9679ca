"""The things in a plan, as typed SQLAlchemy 2 ORM classes mapped onto model/tables.py.

One plan is one database. Every editable row carries a `version` that
SQLAlchemy checks on UPDATE (version_id_col), so an edit made against a stale
copy fails instead of silently overwriting someone else's.

The columns are declared once, as Core tables (tables.py), so read-only
commands can query them without loading the ORM; the annotations here only
type the mapped attributes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

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


class Meta(Base):
    """Key/value facts about the file itself (schema needs, backup folder)."""

    __table__ = tables.meta
    key: Mapped[str]
    value: Mapped[str]


class Plan(Base):
    """The review and its committee report: one row per file."""

    __table__ = tables.plan
    id: Mapped[int]
    authority: Mapped[str]
    title: Mapped[str]
    report_of: Mapped[str]
    status_date: Mapped[date | None]
    due_soon_days: Mapped[int]
    introduction: Mapped[str]
    scope: Mapped[str]
    recommendations: Mapped[str]
    review_method: Mapped[str]
    summary: Mapped[str]
    financial_implications: Mapped[str]
    legal_implications: Mapped[str]
    consultations: Mapped[str]
    officer_name: Mapped[str]
    officer_role: Mapped[str]
    officer_phone: Mapped[str]
    officer_email: Mapped[str]
    key_decision: Mapped[bool | None]
    key_decision_reason: Mapped[str]
    in_forward_plan: Mapped[bool | None]
    decision_maker: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.plan.c.version}


class Meeting(Base):
    """A committee the report goes to, and when it meets."""

    __table__ = tables.meeting
    id: Mapped[int]
    committee: Mapped[str]
    meets_on: Mapped[date]
    position: Mapped[int]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.meeting.c.version}


class OtherImplication(Base):
    """A row of the report's 'other implications' YES/NO table."""

    __table__ = tables.other_implication
    id: Mapped[int]
    topic: Mapped[str]
    applies: Mapped[bool]
    paragraph_refs: Mapped[str]
    position: Mapped[int]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.other_implication.c.version}


class Department(Base):
    __table__ = tables.department
    id: Mapped[int]
    name: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.department.c.version}


class Person(Base):
    __table__ = tables.person
    id: Mapped[int]
    name: Mapped[str]
    job_title: Mapped[str]
    department_id: Mapped[int | None]
    email: Mapped[str]
    phone: Mapped[str]
    left_on: Mapped[date | None]
    version: Mapped[int]
    department: Mapped[Department | None] = relationship()
    __mapper_args__ = {"version_id_col": tables.person.c.version}


class Objective(Base):
    __table__ = tables.objective
    id: Mapped[int]
    ref: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    lead_id: Mapped[int | None]
    position: Mapped[int]
    exempt_paragraph: Mapped[int | None]
    version: Mapped[int]
    lead: Mapped[Person | None] = relationship()
    __mapper_args__ = {"version_id_col": tables.objective.c.version}


class Action(Base):
    __table__ = tables.action
    id: Mapped[int]
    objective_id: Mapped[int]
    ref: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    owner_id: Mapped[int | None]
    department_id: Mapped[int | None]
    start: Mapped[date | None]
    due: Mapped[date]
    status: Mapped[str]
    completed_on: Mapped[date | None]
    percent_complete: Mapped[int]
    success_measure: Mapped[str]
    resources: Mapped[str]
    notes: Mapped[str]
    exempt_paragraph: Mapped[int | None]
    position: Mapped[int]
    version: Mapped[int]
    objective: Mapped[Objective] = relationship()
    owner: Mapped[Person | None] = relationship()
    department: Mapped[Department | None] = relationship()
    __mapper_args__ = {"version_id_col": tables.action.c.version}


class Dependency(Base):
    """Successor waits on predecessor: type FS/SS/FF/SF and a lag in days (may be negative)."""

    __table__ = tables.dependency
    id: Mapped[int]
    predecessor_id: Mapped[int]
    successor_id: Mapped[int]
    kind: Mapped[str]
    lag_days: Mapped[int]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.dependency.c.version}


class ExternalDependency(Base):
    """Something the council does not control, e.g. a national project due in 2006."""

    __table__ = tables.external_dependency
    id: Mapped[int]
    name: Mapped[str]
    organisation: Mapped[str]
    expected_on: Mapped[date | None]
    confidence: Mapped[str]
    last_checked_on: Mapped[date | None]
    delivered_on: Mapped[date | None]
    notes: Mapped[str]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.external_dependency.c.version}


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


class ConsultationEvidence(Base):
    """How the review consulted: workshops, questionnaires, interviews, inspection."""

    __table__ = tables.consultation_evidence
    id: Mapped[int]
    method: Mapped[str]
    audience: Mapped[str]
    respondents: Mapped[int | None]
    respondents_at_least: Mapped[bool]
    held_on: Mapped[date | None]
    summary: Mapped[str]
    position: Mapped[int]
    version: Mapped[int]
    __mapper_args__ = {"version_id_col": tables.consultation_evidence.c.version}


# --- BVPI 157: electronic service delivery (schema revision 0002) -----------


class Service(Base):
    """A council service on the ESD toolkit list (LGSL number where known)."""

    __table__ = tables.service
    id: Mapped[int]
    name: Mapped[str]
    lgsl: Mapped[int | None]
    department_id: Mapped[int | None]
    version: Mapped[int]
    department: Mapped[Department | None] = relationship()
    __mapper_args__ = {"version_id_col": tables.service.c.version}


class ServiceInteraction(Base):
    """One service x interaction type row: the unit BVPI 157 counts."""

    __table__ = tables.service_interaction
    id: Mapped[int]
    service_id: Mapped[int]
    interaction: Mapped[int]
    permissible: Mapped[bool]
    reason: Mapped[str]
    enabled_on: Mapped[date | None]
    forecast_on: Mapped[date | None]
    channels: Mapped[str]
    external_id: Mapped[int | None]
    version: Mapped[int]
    service: Mapped[Service] = relationship()
    __mapper_args__ = {"version_id_col": tables.service_interaction.c.version}
