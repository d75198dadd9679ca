"""Undo commands for the plan's details and report text, and for objectives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from egov_planner.ui.commands.base import PLAN_FIELD_LABELS, PlanCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- the plan's details and report text ---------------------------------------------------------


class EditPlanDetailsCommand(PlanCommand):
    """Change the plan's details: the status date, report text, officer, decision status…"""

    def __init__(self, document: PlanDocument, changes: Mapping[str, Any]) -> None:
        details = document.snapshot.details
        if len(changes) == 1:
            (name,) = changes
            text = f"change {PLAN_FIELD_LABELS.get(name, name.replace('_', ' '))}"
        else:
            text = "change the plan's details"
        super().__init__(document, text)
        self.before = {name: getattr(details, name) for name in changes}
        self.after = dict(changes)

    def do(self) -> None:
        self.service.update_plan(**self.after)

    def undo_it(self) -> None:
        self.service.update_plan(**self.before)


# --- objectives -----------------------------------------------------------------------------------


class AddObjectiveCommand(PlanCommand):
    """A new improvement objective; undo deletes it, redo restores the same one."""

    def __init__(self, document: PlanDocument, ref: str, title: str, **fields: Any) -> None:
        super().__init__(document, f"add objective {ref}")
        self.ref = ref
        self.title = title
        self.fields = fields
        self.objective_id: int | None = None
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_objective(self.saved)
            return
        self.objective_id = self.service.add_objective(self.ref, self.title, **self.fields)

    def undo_it(self) -> None:
        assert self.objective_id is not None
        self.saved = self.service.delete_objective(self.objective_id)


class EditObjectiveCommand(PlanCommand):
    """Change an objective's ref, title, description, lead or exempt paragraph."""

    def __init__(
        self, document: PlanDocument, objective_id: int, ref: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        super().__init__(document, f"change objective {ref}")
        self.objective_id = objective_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_objective(self.objective_id, **self.after)

    def undo_it(self) -> None:
        self.service.update_objective(self.objective_id, **self.before)


class DeleteObjectiveCommand(PlanCommand):
    """Delete an objective that has no actions; undo restores it."""

    def __init__(self, document: PlanDocument, objective_id: int, ref: str) -> None:
        super().__init__(document, f"delete objective {ref}")
        self.objective_id = objective_id
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        self.saved = self.service.delete_objective(self.objective_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_objective(self.saved)
