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

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
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


# Key/value facts about the file itself (schema needs, backup folder).
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False, default=""),
)

# The review and its committee report: one row per file. Report text:
# paragraphs are separated by a blank line; a line starting "- " is a bullet.
plan = Table(
    "plan",
    metadata,
    _id(),
    Column("authority", String(200), nullable=False, default=""),
    Column("title", String(500), nullable=False, default=""),
    Column("report_of", String(300), nullable=False, default=""),
    Column("status_date", Date),
    Column("due_soon_days", Integer, nullable=False, default=14),
    Column("introduction", Text, nullable=False, default=""),
    Column("scope", Text, nullable=False, default=""),
    Column("recommendations", Text, nullable=False, default=""),
    Column("review_method", Text, nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("financial_implications", Text, nullable=False, default=""),
    Column("legal_implications", Text, nullable=False, default=""),
    Column("consultations", Text, nullable=False, default=""),
    Column("officer_name", String(200), nullable=False, default=""),
    Column("officer_role", String(300), nullable=False, default=""),
    Column("officer_phone", String(100), nullable=False, default=""),
    Column("officer_email", String(200), nullable=False, default=""),
    Column("key_decision", Boolean),
    Column("key_decision_reason", Text, nullable=False, default=""),
    Column("in_forward_plan", Boolean),
    Column("decision_maker", String(200), nullable=False, default=""),
    _version(),
    CheckConstraint("due_soon_days >= 0", name="due_soon_days"),
)

# A committee the report goes to, and when it meets.
meeting = Table(
    "meeting",
    metadata,
    _id(),
    Column("committee", String(300), nullable=False),
    Column("meets_on", Date, nullable=False),
    Column("position", Integer, nullable=False, default=0),
    _version(),
)

# A row of the report's 'other implications' YES/NO table.
other_implication = Table(
    "other_implication",
    metadata,
    _id(),
    Column("topic", String(200), nullable=False, unique=True),
    Column("applies", Boolean, nullable=False, default=False),
    Column("paragraph_refs", String(500), nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
    _version(),
)

department = Table(
    "department",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    _version(),
)

person = Table(
    "person",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("job_title", String(300), nullable=False, default=""),
    Column("department_id", Integer, ForeignKey("department.id", ondelete="SET NULL")),
    Column("email", String(200), nullable=False, default=""),
    Column("phone", String(100), nullable=False, default=""),
    Column("left_on", Date),  # has left the plan (or the council)
    _version(),
)

objective = Table(
    "objective",
    metadata,
    _id(),
    Column("ref", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("lead_id", Integer, ForeignKey("person.id", ondelete="SET NULL")),
    Column("position", Integer, nullable=False, default=0),
    Column("exempt_paragraph", Integer),
    _version(),
    CheckConstraint("exempt_paragraph BETWEEN 1 AND 7", name="exempt_paragraph"),
)

_STATUS_CHECK = "status IN ('not_started','in_progress','complete','deferred','cancelled')"

action = Table(
    "action",
    metadata,
    _id(),
    Column("objective_id", Integer, ForeignKey("objective.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("ref", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("owner_id", Integer, ForeignKey("person.id", ondelete="SET NULL"), index=True),
    Column("department_id", Integer, ForeignKey("department.id", ondelete="SET NULL")),
    Column("start", Date),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False, default=ActionStatus.NOT_STARTED.value),
    Column("completed_on", Date),
    Column("percent_complete", Integer, nullable=False, default=0),
    Column("success_measure", Text, nullable=False, default=""),
    Column("resources", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("exempt_paragraph", Integer),
    Column("position", Integer, nullable=False, default=0),
    _version(),
    CheckConstraint(_STATUS_CHECK, name="status"),
    CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
    CheckConstraint("exempt_paragraph BETWEEN 1 AND 7", name="exempt_paragraph"),
)
Index("ix_action_due", action.c.due)

# Successor waits on predecessor: type FS/SS/FF/SF and a lag in days (may be negative).
dependency = Table(
    "dependency",
    metadata,
    _id(),
    Column("predecessor_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("successor_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(2), nullable=False, default=DependencyType.FS.value),
    Column("lag_days", Integer, nullable=False, default=0),
    _version(),
    UniqueConstraint("predecessor_id", "successor_id", name="uq_dependency_pair"),
    CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    CheckConstraint("kind IN ('FS','SS','FF','SF')", name="kind"),
)

# Something the council does not control, e.g. a national project due in 2006.
external_dependency = Table(
    "external_dependency",
    metadata,
    _id(),
    Column("name", String(300), nullable=False, unique=True),
    Column("organisation", String(300), nullable=False, default=""),
    Column("expected_on", Date),
    Column("confidence", String(10), nullable=False, default=Confidence.MEDIUM.value),
    Column("last_checked_on", Date),
    Column("delivered_on", Date),
    Column("notes", Text, nullable=False, default=""),
    _version(),
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
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("reported_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("percent_complete", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("author", String(200), nullable=False, default=""),
    Column("recorded_at", DateTime, nullable=False),
    CheckConstraint(_STATUS_CHECK, name="status"),
    CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_complete"),
)

# How the review consulted: workshops, questionnaires, interviews, inspection.
consultation_evidence = Table(
    "consultation_evidence",
    metadata,
    _id(),
    Column("method", String(100), nullable=False),
    Column("audience", String(200), nullable=False, default=""),
    Column("respondents", Integer),
    Column("respondents_at_least", Boolean, nullable=False, default=False),  # "over 100"
    Column("held_on", Date),
    Column("summary", Text, nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
    _version(),
)


# --- BVPI 157: electronic service delivery (schema revision 0002) -----------

# A council service on the ESD toolkit list (LGSL number where known).
service = Table(
    "service",
    metadata,
    _id(),
    Column("name", String(300), nullable=False, unique=True),
    Column("lgsl", Integer),
    Column("department_id", Integer, ForeignKey("department.id", ondelete="SET NULL")),
    _version(),
)

# One service x interaction type row: the unit BVPI 157 counts.
service_interaction = Table(
    "service_interaction",
    metadata,
    _id(),
    Column("service_id", Integer, ForeignKey("service.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("interaction", Integer, nullable=False),
    Column("permissible", Boolean, nullable=False, default=True),
    Column("reason", Text, nullable=False, default=""),  # why not permissible
    Column("enabled_on", Date),
    Column("forecast_on", Date),
    Column("channels", String(300), nullable=False, default=""),  # ';'-separated
    Column("external_id", Integer, ForeignKey("external_dependency.id", ondelete="SET NULL")),
    _version(),
    UniqueConstraint("service_id", "interaction", name="uq_service_interaction_pair"),
    CheckConstraint("interaction BETWEEN 0 AND 9", name="interaction"),
)
