"""Typed change sets: the fields each update method may change (in alphabetical order), and their types.

`update_action(ident, due=…, owner="Jill Craig")` is checked by mypy against
ActionChanges; a field not listed is refused at run time too (the window passes
plain dicts), naming the field. Names are the model's fields, never a file's columns.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict


class PlanChanges(TypedDict, total=False):
    agenda_item: str
    authority: str
    background_papers: str
    consultations: str
    decision_maker: str
    due_soon_days: int
    financial_implications: str
    in_forward_plan: bool | None
    introduction: str
    key_decision: bool | None
    key_decision_reason: str
    legal_implications: str
    officer_email: str
    officer_name: str
    officer_phone: str
    officer_role: str
    recommendations: str
    report_date: date | None
    report_of: str
    review_method: str
    scope: str
    status_date: date | None
    summary: str
    title: str
    wards_affected: str


class ActionChanges(TypedDict, total=False):
    completed_on: date | None
    department: str | None  # a name: a new one is added
    description: str
    due: date
    exempt_paragraph: int | None
    expected: date | None  # the owner's expected finish of an open action
    notes: str
    objective_id: int
    owner: str | None  # a name: a new one is added as a person
    percent_complete: int
    position: int
    ref: str
    resources: str
    # Not fields: why a target date moved and who agreed it, once the plan has been reported (a revision).
    revision_agreed_by: str
    revision_reason: str
    start: date | None
    status: str
    success_measure: str
    title: str


class ObjectiveChanges(TypedDict, total=False):
    description: str
    exempt_paragraph: int | None
    lead: str | None  # a name: a new one is added as a person
    position: int
    ref: str
    title: str


class PersonChanges(TypedDict, total=False):
    department: str | None  # a name: a new one is added
    email: str
    job_title: str
    left_on: date | None
    name: str
    phone: str


class ExternalChanges(TypedDict, total=False):
    confidence: str
    delivered_on: date | None
    expected_on: date | None
    last_checked_on: date | None
    name: str
    notes: str
    organisation: str


class MeetingChanges(TypedDict, total=False):
    committee: str
    meets_on: date
    position: int


class ImplicationChanges(TypedDict, total=False):
    applies: bool
    paragraph_refs: str
    position: int
    topic: str


class ConsultationChanges(TypedDict, total=False):
    audience: str
    held_on: date | None
    method: str
    position: int
    respondents: int | None
    respondents_at_least: bool
    summary: str


class ServiceChanges(TypedDict, total=False):
    department: str | None  # a name: a new one is added
    lgsl: int | None
    name: str


class NewServiceRow(TypedDict, total=False):
    """A new service x interaction row's values besides its service and interaction (defaults: permissible, blank)."""

    channels: str
    enabled_on: date | None
    external: str | None  # the name of a registered external dependency
    forecast_on: date | None
    permissible: bool
    reason: str


class ServiceRowChanges(NewServiceRow, total=False):
    interaction: int
