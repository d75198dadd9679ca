"""What PlanService refuses, with a message an officer can act on."""

from __future__ import annotations


class PlanError(Exception):
    """A refused change; nothing was saved. str() is one readable line."""


class ValidationError(PlanError):
    """A value that breaks a rule; `field` names the field at fault (for the UI)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


class TakenError(ValidationError):
    """A name or ref another row already has; `again` says so for an undo bringing a deleted row back, naming who."""

    def __init__(self, field: str, message: str, again: str) -> None:
        self.again = again
        super().__init__(field, message)


class CycleError(ValidationError):
    """A dependency that would close a cycle; `cycle` is 'A1.2 → A3.1 → A1.2'."""

    def __init__(self, cycle: str) -> None:
        self.cycle = cycle
        super().__init__("depends_on", f"that dependency would make a cycle: {cycle}")


class NotFound(PlanError):
    pass


class ConflictError(PlanError):
    """The row changed since it was read (another officer, or another window)."""


class RowError(PlanError):
    """A bad row in a file being imported: names the row (header = row 1) and column."""

    def __init__(self, source: str, row: int | None, column: str | None, message: str) -> None:
        self.source = source
        self.row = row
        self.column = column
        self.message = message
        where = source
        if row is not None:
            where += f" row {row}"
        if column:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")
