"""Typed rows parsed from a file (by interchange/) and applied by PlanService.

`present` lists the fields the source gave (a file's columns, named as these rows name
them): on an update, only those change. Parsers only type the text; every value is
checked by the import, through the same checks as a single edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """'A1.2 FS+10d' -> predecessor A1.2, type FS, lag 10."""

    predecessor_ref: str
    kind: str = "FS"
    lag_days: int = 0


@dataclass(slots=True)
class ActionImportRow:
    row: int  # as a spreadsheet numbers it: the header is row 1
    objective_ref: str
    action_ref: str
    due: date | None = None
    objective: str = ""
    action: str = ""
    owner: str = ""
    owner_role: str = ""
    department: str = ""
    start: date | None = None
    status: str | None = None
    completed_on: date | None = None
    percent_complete: int | None = None
    depends_on: list[LinkSpec] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    external_expected: list[date | None] = field(default_factory=list)
    description: str = ""
    success_measure: str = ""
    resources: str = ""
    exempt: int | None = None
    notes: str = ""
    present: frozenset[str] = frozenset()


@dataclass(slots=True)
class ServiceImportRow:
    row: int
    service: str
    interaction: int
    lgsl: int | None = None
    department: str = ""
    permissible: bool = True
    reason: str = ""
    enabled_on: date | None = None
    forecast_on: date | None = None
    channels: str = ""
    external: str = ""
    external_expected: date | None = None
    present: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ProgressImportRow:
    """A dated progress note on an action, as a progress CSV gives it."""

    row: int
    action_ref: str
    reported_on: date
    note: str
    status: str | None = None
    percent_complete: int | None = None
    author: str = ""
