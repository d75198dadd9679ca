"""Typed change sets: the fields each update method may change, and their types.

`update_action(ident, due=…, owner="Jill Craig")` is checked by mypy against
ActionChanges; a field not listed is refused at run time too (the window passes
plain dicts), naming the field. Names are the model's fields, never a file's columns.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class PlanChanges(TypedDict, total=False):
    authority: str
    title: str
    report_of: str
    status_date: date | None
    due_soon_days: int
    introduction: str
    scope: str
    recommendations: str
    review_method: str
    summary: str
    financial_implications: str
    legal_implications: str
    consultations: str
    officer_name: str
    officer_role: str
    officer_phone: str
    officer_email: str
    key_decision: bool | None
    key_decision_reason: str
    in_forward_plan: bool | None
    decision_maker: str


class ActionChanges(TypedDict, total=False):
    ref: str
    objective_id: int
    title: str
    description: str
    owner: str | None  # a name: a new one is added as a person
    department: str | None  # a name: a new one is added
    start: date | None
    due: date
    status: str
    completed_on: date | None
    percent_complete: int
    success_measure: str
    resources: str
    notes: str
    exempt_paragraph: int | None
    position: int


class ObjectiveChanges(TypedDict, total=False):
    ref: str
    title: str
    description: str
    lead: str | None  # a name: a new one is added as a person
    position: int
    exempt_paragraph: int | None


class PersonChanges(TypedDict, total=False):
    name: str
    job_title: str
    department: str | None  # a name: a new one is added
    email: str
    phone: str
    left_on: date | None


class ExternalChanges(TypedDict, total=False):
    name: str
    organisation: str
    expected_on: date | None
    confidence: str
    last_checked_on: date | None
    delivered_on: date | None
    notes: str


class MeetingChanges(TypedDict, total=False):
    committee: str
    meets_on: date
    position: int


class ImplicationChanges(TypedDict, total=False):
    topic: str
    applies: bool
    paragraph_refs: str
    position: int


class ConsultationChanges(TypedDict, total=False):
    method: str
    audience: str
    respondents: int | None
    respondents_at_least: bool
    held_on: date | None
    summary: str
    position: int


class ServiceChanges(TypedDict, total=False):
    name: str
    lgsl: int | None
    department: str | None  # a name: a new one is added


class ServiceRowChanges(TypedDict, total=False):
    interaction: int
    permissible: bool
    reason: str
    enabled_on: date | None
    forecast_on: date | None
    channels: str
    external: str | None  # the name of a registered external dependency


class NewServiceRow(TypedDict, total=False):
    """A new service x interaction row's values besides its service and interaction (defaults: permissible, blank)."""

    permissible: bool
    reason: str
    enabled_on: date | None
    forecast_on: date | None
    channels: str
    external: str | None  # the name of a registered external dependency
