"""The base of every undo command, and how the Edit menu names fields (orange-canvas-core's pattern).

Each command's first redo() is the edit itself, done by PlanDocument.execute
*before* the push, so a refused edit never reaches the stack. Later redo()/undo()
calls go through PlanService again: every step is written at once, one
transaction each. The text is what the Edit menu shows ("Undo change due date of A1.2").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from egov_planner.model.errors import PlanError
from egov_planner.model.store import PlanFileError

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument

# How the Edit menu names each action field.
ACTION_FIELD_LABELS = {
    "ref": "reference",
    "objective_id": "objective",
    "title": "title",
    "description": "description",
    "owner": "owner",
    "department": "department",
    "start": "start date",
    "due": "due date",
    "status": "status",
    "completed_on": "completed-on date",
    "percent_complete": "% complete",
    "success_measure": "success measure",
    "resources": "resources",
    "notes": "notes",
    "exempt_paragraph": "exempt paragraph",
}

PLAN_FIELD_LABELS = {
    "authority": "the authority",
    "title": "the report title",
    "report_of": "'report of'",
    "status_date": "the status date",
    "due_soon_days": "the due-soon window",
    "introduction": "the introduction",
    "scope": "the scope",
    "recommendations": "the recommendations",
    "review_method": "how the review was carried out",
    "summary": "the summary",
    "financial_implications": "the financial implications",
    "legal_implications": "the legal implications",
    "consultations": "the consultations",
    "officer_name": "the officer to contact",
    "officer_role": "the officer's role",
    "officer_phone": "the officer's phone",
    "officer_email": "the officer's email",
    "key_decision": "the key decision",
    "key_decision_reason": "the key decision reason",
    "in_forward_plan": "'appeared in forward plan'",
    "decision_maker": "the decision maker",
}


class PlanCommand(QUndoCommand):
    """Base: first redo is skipped (the edit was done by apply_first); failures are reported, not raised."""

    def __init__(self, document: PlanDocument, text: str) -> None:
        super().__init__(text)
        self.document = document
        self._skip_redo = False

    @property
    def service(self) -> Any:
        return self.document.service

    def apply_first(self) -> None:
        """Do the edit for the first time; raises PlanError when refused (nothing saved, nothing pushed)."""
        self.do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.undo_it)

    def _guard(self, step: Any) -> None:
        try:
            step()
        except (PlanError, PlanFileError) as error:
            # The plan changed underneath (or went read-only): this step cannot be replayed.
            self.setObsolete(True)
            self.document.report_undo_failure(f"Could not {self.text()}: {error}")

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError
