"""The plan's schema as SQLAlchemy Core tables, and the values its columns allow.

Defined once here: entities.py maps its ORM classes onto these tables (for
edits), while read-only commands query them with Core alone, so `overdue`,
`bvpi` and `export` never import or configure the ORM (a third of their start-up).
Alembic's migrations and the tests compare the database with this metadata.

Portable SQL only: nothing here is SQLite-specific (that lives in store/).
"""

from __future__ import annotations

import enum
import re
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Constraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Named constraints so Alembic batch migrations can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

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
# An objective's or action's ref: at most 40 characters (the column), no spaces, ';' or ','.
REF_PATTERN = re.compile(r"^[^\s;,]{1,40}$")

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


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _version() -> Column[int]:
    """Every editable row's version: the ORM checks it on UPDATE (version_id_col)."""
    return Column("version", Integer, nullable=False, default=1)


def _text(name: str, length: int | None = None) -> Column[str]:
    """Text that may be empty but is never NULL: String(length) when bounded, else Text."""
    return Column(name, String(length) if length else Text, nullable=False, default="")


def _position() -> Column[int]:
    """Where the row stands in its list (the officer's order)."""
    return Column("position", Integer, nullable=False, default=0)


def _refers(name: str, table: str, ondelete: str, nullable: bool = True, index: bool | None = None) -> Column[int]:
    """Another row's id: what happens to this row when that one goes is ondelete."""
    return Column(name, Integer, ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable, index=index)


def _name(length: int) -> Column[str]:
    """The row's name: the officer finds it by name, so no two rows share one."""
    return Column("name", String(length), nullable=False, unique=True)


def _editable(name: str, *parts: Column[Any] | Constraint) -> Table:
    """A table of rows the officer edits: an id first, the columns, and the version last."""
    return Table(name, metadata, _id(), *parts, _version())


# Key/value facts about the file itself (schema needs, backup folder).
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    _text("value"),
)

# The review and its committee report: one row per file. Report text:
# paragraphs are separated by a blank line; a line starting "- " is a bullet.
plan = _editable(
    "plan",
    _text("authority", 200),
    _text("title", 500),
    _text("report_of", 300),
    Column("status_date", Date),
    Column("due_soon_days", Integer, nullable=False, default=14),
    _text("introduction"),
    _text("scope"),
    _text("recommendations"),
    _text("review_method"),
    _text("summary"),
    _text("financial_implications"),
    _text("legal_implications"),
    _text("consultations"),
    _text("officer_name", 200),
    _text("officer_role", 300),
    _text("officer_phone", 100),
    _text("officer_email", 200),
    Column("key_decision", Boolean),
    _text("key_decision_reason"),
    Column("in_forward_plan", Boolean),
    _text("decision_maker", 200),
    # What a committee paper carries on its front sheet and at its end (schema 0006).
    _text("background_papers"),  # one paper a line (Local Government Act 1972 s.100D)
    _text("wards_affected"),
    _text("agenda_item", 40),
    Column("report_date", Date),
    CheckConstraint("due_soon_days >= 0", name="due_soon_days"),
)

# A committee the report goes to, and when it meets.
meeting = _editable(
    "meeting",
    Column("committee", String(300), nullable=False),
    Column("meets_on", Date, nullable=False),
    _position(),
)

# A row of the report's 'other implications' YES/NO table.
other_implication = _editable(
    "other_implication",
    Column("topic", String(200), nullable=False, unique=True),
    Column("applies", Boolean, nullable=False, default=False),
    _text("paragraph_refs", 500),
    _position(),
)

department = _editable(
    "department",
    _name(200),
)

person = _editable(
    "person",
    _name(200),
    _text("job_title", 300),
    _refers("department_id", "department", "SET NULL"),
    _text("email", 200),
    _text("phone", 100),
    Column("left_on", Date),  # has left the plan (or the council)
)

objective = _editable(
    "objective",
    Column("ref", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    _text("description"),
    _refers("lead_id", "person", "SET NULL"),
    _position(),
    Column("exempt_paragraph", Integer),
    CheckConstraint("exempt_paragraph BETWEEN 1 AND 7", name="exempt_paragraph"),
)

_STATUS_CHECK = "status IN ('not_started','in_progress','complete','deferred','cancelled')"

action = _editable(
    "action",
    _refers("objective_id", "objective", "RESTRICT", nullable=False, index=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    _text("description"),
    _refers("owner_id", "person", "SET NULL", index=True),
    _refers("department_id", "department", "SET NULL"),
    Column("start", Date),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False, default=ActionStatus.NOT_STARTED.value),
    Column("completed_on", Date),
    Column("percent_complete", Integer, nullable=False, default=0),
    Column("expected", Date),  # the owner's expected finish of an open action (schema 0003)
    _text("success_measure"),
    _text("resources"),
    _text("notes"),
    Column("exempt_paragraph", Integer),
    _position(),
    CheckConstraint(_STATUS_CHECK, name="status"),
    CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
    CheckConstraint("exempt_paragraph BETWEEN 1 AND 7", name="exempt_paragraph"),
)
Index("ix_action_due", action.c.due)

# Successor waits on predecessor: type FS/SS/FF/SF and a lag in days (may be negative).
dependency = _editable(
    "dependency",
    _refers("predecessor_id", "action", "CASCADE", nullable=False, index=True),
    _refers("successor_id", "action", "CASCADE", nullable=False, index=True),
    Column("kind", String(2), nullable=False, default=DependencyType.FS.value),
    Column("lag_days", Integer, nullable=False, default=0),
    UniqueConstraint("predecessor_id", "successor_id", name="uq_dependency_pair"),
    CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    CheckConstraint("kind IN ('FS','SS','FF','SF')", name="kind"),
)

# Something the council does not control, e.g. a national project due in 2006.
external_dependency = _editable(
    "external_dependency",
    _name(300),
    _text("organisation", 300),
    Column("expected_on", Date),
    Column("confidence", String(10), nullable=False, default=Confidence.MEDIUM.value),
    Column("last_checked_on", Date),
    Column("delivered_on", Date),
    _text("notes"),
    CheckConstraint("confidence IN ('high','medium','low')", name="confidence"),
)

# An action waits on an external dependency.
action_external = Table(
    "action_external",
    metadata,
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "external_id", Integer, ForeignKey("external_dependency.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

# A dated note on an action; history is appended, never overwritten.
progress_update = Table(
    "progress_update",
    metadata,
    _id(),
    _refers("action_id", "action", "CASCADE", nullable=False, index=True),
    Column("reported_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("percent_complete", Integer, nullable=False),
    _text("note"),
    _text("author", 200),
    Column("recorded_at", DateTime, nullable=False),
    CheckConstraint(_STATUS_CHECK, name="status"),
    CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
)

# How the review consulted: workshops, questionnaires, interviews, inspection.
consultation_evidence = _editable(
    "consultation_evidence",
    Column("method", String(100), nullable=False),
    _text("audience", 200),
    Column("respondents", Integer),
    Column("respondents_at_least", Boolean, nullable=False, default=False),  # "over 100"
    Column("held_on", Date),
    _text("summary"),
    _position(),
)


# --- BVPI 157: electronic service delivery (schema revision 0002) -----------

# A council service on the ESD toolkit list (LGSL number where known).
service = _editable(
    "service",
    _name(300),
    Column("lgsl", Integer),
    _refers("department_id", "department", "SET NULL"),
)

# One service x interaction type row: the unit BVPI 157 counts.
service_interaction = _editable(
    "service_interaction",
    _refers("service_id", "service", "CASCADE", nullable=False, index=True),
    Column("interaction", Integer, nullable=False),
    Column("permissible", Boolean, nullable=False, default=True),
    _text("reason"),  # why not permissible
    Column("enabled_on", Date),
    Column("forecast_on", Date),
    _text("channels", 300),  # ';'-separated
    _refers("external_id", "external_dependency", "SET NULL"),
    UniqueConstraint("service_id", "interaction", name="uq_service_interaction_pair"),
    CheckConstraint("interaction BETWEEN 0 AND 9", name="interaction"),
)


# --- The committee cycle (schema revision 0004) ----------------------------------------

# A report as issued: its status date, who recorded it and when, and what it said. Never changed
# once recorded. The text (PlanDetails' text fields), meetings and BVPI figures are kept as JSON:
# they are read back whole, never queried field by field.
recorded_report = Table(
    "recorded_report",
    metadata,
    _id(),
    Column("label", String(200), nullable=False, unique=True),
    Column("as_of", Date, nullable=False),
    Column("taken_at", DateTime, nullable=False),
    _text("taken_by", 200),
    Column("with_pack", Boolean, nullable=False, default=False),
    Column("report_text", Text, nullable=False, default="{}"),
    Column("meetings", Text, nullable=False, default="[]"),
    Column("bvpi", Text, nullable=False, default="{}"),
)

# One action exactly as a recorded report stated it (action_id is cleared if the action is deleted later).
reported_action = Table(
    "reported_action",
    metadata,
    _id(),
    _refers("report_id", "recorded_report", "CASCADE", nullable=False, index=True),
    Column("ref", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("objective_ref", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("due", Date, nullable=False),
    Column("forecast", Date, nullable=False),
    Column("flag", String(20)),
    Column("rag", String(1), nullable=False),
    Column("percent_complete", Integer, nullable=False),
    _text("latest_note"),
    _refers("action_id", "action", "SET NULL", index=True),
    UniqueConstraint("report_id", "ref", name="uq_reported_action_ref"),
)

# A revised target date of a reported action: from, to, why, who agreed it, when and by whom.
revision = Table(
    "revision",
    metadata,
    _id(),
    _refers("action_id", "action", "CASCADE", nullable=False, index=True),
    Column("from_due", Date, nullable=False),
    Column("to_due", Date, nullable=False),
    Column("reason", Text, nullable=False),
    _text("agreed_by", 300),
    Column("at", DateTime, nullable=False),
    _text("by", 200),
)

# --- History: every change to the plan (schema revision 0005) --------------

# One row a changed field (or an added or deleted row): appended by PlanService, never changed.
change_log = Table(
    "change_log",
    metadata,
    _id(),
    Column("at", DateTime, nullable=False),
    _text("by", 200),
    Column("what", String(40), nullable=False),  # the kind of row: action, objective, dependency, plan…
    Column("ref", String(300), nullable=False, default="", index=True),  # its ref or name; "" the plan
    Column("field", String(100), nullable=False),  # a column, or "added" / "deleted"
    _text("from_value"),
    _text("to_value"),
    _text("reason"),
)
