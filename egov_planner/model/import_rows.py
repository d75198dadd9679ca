"""Typed rows parsed from a file (by interchange/) and applied by PlanService.

`present` lists the fields the source gave (a file's columns, named as these rows name
them): on an update, only those change. Parsers only type the text; every value is
checked by the import, through the same checks as a single edit.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import overload


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """'A1.2 FS+10d' -> predecessor A1.2, type FS, lag 10."""

    predecessor_ref: str
    kind: str = "FS"
    lag_days: int = 0


class LinkColumns:
    """Every dependency of one file, held column by column.

    A file may list millions of dependencies: as LinkSpec objects each costs
    about 200 bytes; here a link is a shared reference to its predecessor's
    ref (interned, so the same string as that action's own ref), one to its
    type (interned: the parser passes any two letters on for the import to judge)
    and one slot for its lag -- under 30 bytes.
    """

    __slots__ = ("kinds", "lags", "refs")

    def __init__(self) -> None:
        self.refs: list[str] = []
        self.kinds: list[str] = []
        self.lags: list[int] = []  # small lags are shared int objects

    def append(self, spec: LinkSpec) -> None:
        self.refs.append(sys.intern(spec.predecessor_ref))
        self.kinds.append(sys.intern(spec.kind))
        self.lags.append(spec.lag_days)

    def __len__(self) -> int:
        return len(self.refs)

    def spec(self, index: int) -> LinkSpec:
        return LinkSpec(self.refs[index], self.kinds[index], self.lags[index])

    def view(self, start: int) -> LinkView:
        """The links appended since start (one row's), as a sequence of LinkSpec."""
        return LinkView(self, start, len(self.refs))


class LinkView(Sequence[LinkSpec]):
    """One row's links within a LinkColumns: LinkSpec objects are made only as they are read."""

    __slots__ = ("columns", "start", "stop")

    def __init__(self, columns: LinkColumns, start: int, stop: int) -> None:
        self.columns, self.start, self.stop = columns, start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    @overload
    def __getitem__(self, index: int) -> LinkSpec: ...
    @overload
    def __getitem__(self, index: slice) -> list[LinkSpec]: ...
    def __getitem__(self, index: int | slice) -> LinkSpec | list[LinkSpec]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError("link index out of range")
        return self.columns.spec(self.start + index % len(self))

    def __iter__(self) -> Iterator[LinkSpec]:
        return (self.columns.spec(i) for i in range(self.start, self.stop))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))


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
    expected: date | None = None  # the owner's expected finish
    revision_reason: str = ""  # why due moved, when the plan has been reported (a revision)
    depends_on: Sequence[LinkSpec] = field(default_factory=list)
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


@dataclass(frozen=True, slots=True)
class ReturnImportRow:
    """One row of an owner's returned workbook: what the owner may change, and the action as it was sent.

    action_id, version and fingerprint are the action as the workbook was written: if the plan's
    action differs now, someone else changed it since and the return must not overwrite it.
    Blank status or percent_complete keep the plan's; blank dates clear them.
    """

    row: int
    action_ref: str
    action_id: int
    version: int
    fingerprint: str
    status: str | None = None
    percent_complete: int | None = None
    completed_on: date | None = None
    expected: date | None = None
    note: str = ""
