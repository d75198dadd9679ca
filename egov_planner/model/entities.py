"""The things in a plan, as typed SQLAlchemy 2 ORM classes.

One plan is one database. Every editable row carries a `version` that
SQLAlchemy checks on UPDATE (version_id_col), so an edit made against a stale
copy fails instead of silently overwriting someone else's.

Portable SQL only: nothing here is SQLite-specific (that lives in store.py).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints so Alembic batch migrations can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    DEFERRED = "deferred"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """As an officer says it: 'not started', 'in progress'…"""
        return self.value.replace("_", " ")


class DependencyType(enum.StrEnum):
    FS = "FS"  # finish-to-start (the default)
    SS = "SS"  # start-to-start
    FF = "FF"  # finish-to-finish
    SF = "SF"  # start-to-finish


class Confidence(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


STATUS_VALUES = tuple(s.value for s in ActionStatus)
DEPENDENCY_TYPES = tuple(t.value for t in DependencyType)
CONFIDENCE_VALUES = tuple(c.value for c in Confidence)
SCHEDULE_12A_PARAGRAPHS = range(1, 8)


class Meta(Base):
    """Key/value facts about the file itself (schema needs, backup folder)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Plan(Base):
    """The review and its committee report: one row per file."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    authority: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    report_of: Mapped[str] = mapped_column(String(300), default="")
    status_date: Mapped[date | None] = mapped_column(Date)
    due_soon_days: Mapped[int] = mapped_column(Integer, default=14)
    # Report text. Paragraphs are separated by a blank line; a line starting
    # "- " is a bullet. The pack numbers paragraphs itself.
    introduction: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    review_method: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    financial_implications: Mapped[str] = mapped_column(Text, default="")
    legal_implications: Mapped[str] = mapped_column(Text, default="")
    consultations: Mapped[str] = mapped_column(Text, default="")
    officer_name: Mapped[str] = mapped_column(String(200), default="")
    officer_role: Mapped[str] = mapped_column(String(300), default="")
    officer_phone: Mapped[str] = mapped_column(String(100), default="")
    officer_email: Mapped[str] = mapped_column(String(200), default="")
    key_decision: Mapped[bool | None] = mapped_column(Boolean)
    key_decision_reason: Mapped[str] = mapped_column(Text, default="")
    in_forward_plan: Mapped[bool | None] = mapped_column(Boolean)
    decision_maker: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __table_args__ = (CheckConstraint("due_soon_days >= 0", name="due_soon_days"),)
    __mapper_args__ = {"version_id_col": version}


class Meeting(Base):
    """A committee the report goes to, and when it meets."""

    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(300))
    meets_on: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class OtherImplication(Base):
    """A row of the report's 'other implications' YES/NO table."""

    __tablename__ = "other_implication"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(200), unique=True)
    applies: Mapped[bool] = mapped_column(Boolean, default=False)
    paragraph_refs: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Department(Base):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    job_title: Mapped[str] = mapped_column(String(300), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    left_on: Mapped[date | None] = mapped_column(Date)  # has left the plan (or the council)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    department: Mapped[Department | None] = relationship()
    __mapper_args__ = {"version_id_col": version}


class Objective(Base):
    __tablename__ = "objective"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    exempt_paragraph: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    lead: Mapped[Person | None] = relationship()
    __table_args__ = (CheckConstraint("exempt_paragraph BETWEEN 1 AND 7", name="exempt_paragraph"),)
    __mapper_args__ = {"version_id_col": version}


class Action(Base):
    __tablename__ = "action"
    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="RESTRICT"), index=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))
    start: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.NOT_STARTED.value)
    completed_on: Mapped[date | None] = mapped_column(Date)
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    success_measure: Mapped[str] = mapped_column(Text, default="")
    resources: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    exempt_paragraph: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    objective: Mapped[Objective] = relationship()
    owner: Mapped[Person | None] = relationship()
    department: Mapped[Department | None] = relationship()
    __table_args__ = (
        CheckConstraint(
            "status IN ('not_started','in_progress','complete','deferred','cancelled')",
            name="status",
        ),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
        CheckConstraint("exempt_paragraph BETWEEN 1 AND 7", name="exempt_paragraph"),
    )
    __mapper_args__ = {"version_id_col": version}


class Dependency(Base):
    """Successor waits on predecessor: type FS/SS/FF/SF and a lag in days (may be negative)."""

    __tablename__ = "dependency"
    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(2), default=DependencyType.FS.value)
    lag_days: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __table_args__ = (
        UniqueConstraint("predecessor_id", "successor_id", name="uq_dependency_pair"),
        CheckConstraint("predecessor_id <> successor_id", name="not_self"),
        CheckConstraint("kind IN ('FS','SS','FF','SF')", name="kind"),
    )
    __mapper_args__ = {"version_id_col": version}


class ExternalDependency(Base):
    """Something the council does not control, e.g. a national project due in 2006."""

    __tablename__ = "external_dependency"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    expected_on: Mapped[date | None] = mapped_column(Date)
    confidence: Mapped[str] = mapped_column(String(10), default=Confidence.MEDIUM.value)
    last_checked_on: Mapped[date | None] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __table_args__ = (CheckConstraint("confidence IN ('high','medium','low')", name="confidence"),)
    __mapper_args__ = {"version_id_col": version}


class ActionExternal(Base):
    """An action waits on an external dependency."""

    __tablename__ = "action_external"
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    external_id: Mapped[int] = mapped_column(
        ForeignKey("external_dependency.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProgressUpdate(Base):
    """A dated note on an action; history is appended, never overwritten."""

    __tablename__ = "progress_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    percent_complete: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (
        CheckConstraint(
            "status IN ('not_started','in_progress','complete','deferred','cancelled')",
            name="status",
        ),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
    )


class ConsultationEvidence(Base):
    """How the review consulted: workshops, questionnaires, interviews, inspection."""

    __tablename__ = "consultation_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(100))
    audience: Mapped[str] = mapped_column(String(200), default="")
    respondents: Mapped[int | None] = mapped_column(Integer)
    respondents_at_least: Mapped[bool] = mapped_column(Boolean, default=False)  # "over 100"
    held_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


Index("ix_action_due", Action.due)


# --- BVPI 157: electronic service delivery (schema revision 0002) -----------

INTERACTION_TYPES: dict[int, str] = {
    0: "Applications for service",
    1: "Booking venues, resources and courses",
    2: "Collecting revenue",
    3: "Consultation",
    4: "Paying for goods and services",
    5: "Procurement",
    6: "Providing access to community, professional or business networks",
    7: "Providing benefits and grants",
    8: "Providing information",
    9: "Regulation (e.g. issuing licences)",
}


class Service(Base):
    """A council service on the ESD toolkit list (LGSL number where known)."""

    __tablename__ = "service"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    lgsl: Mapped[int | None] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    department: Mapped[Department | None] = relationship()
    __mapper_args__ = {"version_id_col": version}


class ServiceInteraction(Base):
    """One service x interaction type row: the unit BVPI 157 counts."""

    __tablename__ = "service_interaction"
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    interaction: Mapped[int] = mapped_column(Integer)
    permissible: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why not permissible
    enabled_on: Mapped[date | None] = mapped_column(Date)
    forecast_on: Mapped[date | None] = mapped_column(Date)
    channels: Mapped[str] = mapped_column(String(300), default="")  # ';'-separated
    external_id: Mapped[int | None] = mapped_column(ForeignKey("external_dependency.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    service: Mapped[Service] = relationship()
    __table_args__ = (
        UniqueConstraint("service_id", "interaction", name="uq_service_interaction_pair"),
        CheckConstraint("interaction BETWEEN 0 AND 9", name="interaction"),
    )
    __mapper_args__ = {"version_id_col": version}
