"""How the tabs try an edit and hear back why it was refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLineEdit

from egov_planner.ui.document import PlanDocument
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.widgets.fields import Field
from egov_planner.ui.widgets.tables import RecordTableView


def attempt(document: PlanDocument, command: QUndoCommand) -> str | None:
    """Do an undoable edit; answer why it was refused (nothing is saved then), or None once done."""
    error = document.execute(command)
    return refusal_text(error) if error else None


def add_named(
    document: PlanDocument,
    line: QLineEdit,
    field: Field,
    what: str,
    command: Callable[[PlanDocument, str], QUndoCommand],
    edit_in: tuple[RecordTableView, int] | None = None,
) -> str | None:
    """Add what `line` names by `command`; answer the name added, or None.

    A blank line or a refusal shows at the field and keeps what was typed; once added the line is emptied
    and, given edit_in (a table of named records, a column), the new row is selected there with that cell open.
    """
    name = line.text().strip()
    if not name:
        field.set_error(f"type the {what}'s name first")
        return None
    refusal = attempt(document, command(document, name))
    if refusal is not None:
        field.set_error(refusal)
        return None
    field.clear_error()
    line.clear()
    if edit_in is not None:
        table, column = edit_in
        table.edit_first(lambda record: record.name == name, column)
    return name
