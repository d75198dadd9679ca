"""Undo commands for objectives (the plan's details and its objectives' fields: EditFields)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from egov_planner.model.records import ObjectiveRecord
from egov_planner.ui.commands.base import AddCommand, DeleteCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


class AddObjectiveCommand(AddCommand[ObjectiveRecord]):
    """A new improvement objective; undo deletes it, redo restores the same one."""

    def __init__(self, document: PlanDocument, ref: str, title: str, **fields: Any) -> None:
        add = partial(document.service.add_objective, ref, title, **fields)
        super().__init__(document, f"add objective {ref}", "objective", add)


class DeleteObjectiveCommand(DeleteCommand[ObjectiveRecord]):
    """Delete an objective that has no actions; undo restores it."""

    def __init__(self, document: PlanDocument, objective_id: int, ref: str) -> None:
        super().__init__(document, f"delete objective {ref}", "objective", objective_id)
