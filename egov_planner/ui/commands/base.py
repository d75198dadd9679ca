"""The base of every undo command, and how the Edit menu names fields (orange-canvas-core's pattern).

Each command's first redo() is the edit itself, done by PlanDocument.execute
*before* the push, so a refused edit never reaches the stack. Later redo()/undo()
calls go through PlanService again: every step is written at once, one
transaction each. The text is what the Edit menu shows ("Undo change due date of A1.2").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from PySide6.QtGui import QUndoCommand

from egov_planner.model.errors import ConflictError, PlanError, TakenError
from egov_planner.model.store import PlanFileError

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument

S = TypeVar("S")  # what a delete gives back for undo to restore (a frozen record)

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
    "expected": "expected date",
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
    "background_papers": "the background papers",
    "wards_affected": "the wards affected",
    "agenda_item": "the agenda item",
    "report_date": "the report date",
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
        with self.service.giving_reason("Redo"):  # the history says so: redo is a change of its own
            self._guard(self.do)

    def undo(self) -> None:
        with self.service.giving_reason("Undo"):  # recorded as a change, never erasing the record
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


# The PlanService calls that delete each kind of thing and restore it exactly (the same id) from what
# the delete gave back (a frozen record). People and departments are not restored: undo adds them again.
_RESTORABLE = {
    "action": ("delete_action", "restore_action"),
    "objective": ("delete_objective", "restore_objective"),
    "external": ("delete_external", "restore_external"),
    "meeting": ("delete_meeting", "restore_row"),
    "implication": ("delete_implication", "restore_row"),
    "consultation": ("delete_consultation", "restore_row"),
    "service_row": ("delete_service_row", "restore_service_row"),
}


def _delete_and_restore(service: Any, kind: str) -> tuple[Callable[..., Any], Callable[[Any], None] | None]:
    """The service's delete for this kind, and its restore (None: the kind is added again instead)."""
    delete, restore = _RESTORABLE.get(kind, (f"delete_{kind}", None))
    return getattr(service, delete), getattr(service, restore) if restore else None


class AddCommand(PlanCommand, Generic[S]):
    """Add a thing of this kind; undo deletes it, keeping what the delete gave back; redo restores that.

    A kind that cannot be restored (a person, a department) is added again by redo, and its new id stands
    in for the first (document.renumber), so later commands that name the first id still find it.
    """

    def __init__(self, document: PlanDocument, text: str, kind: str, add: Callable[[], int]) -> None:
        super().__init__(document, text)
        self.kind = kind
        self.add = add
        self.delete, self.restore = _delete_and_restore(self.service, kind)
        self.new_id: int | None = None
        self.saved: S | None = None

    def do(self) -> None:
        if self.saved is not None and self.restore is not None:
            self.restore(self.saved)
            return
        ident = self.add()
        if self.new_id is None:
            self.new_id = ident
        else:
            self.document.renumber(self.kind, self.new_id, ident)

    def undo_it(self) -> None:
        assert self.new_id is not None
        ident = self.document.current_id(self.kind, self.new_id)
        # Checked against the version this window wrote: changed since by another officer, the delete is
        # refused naming them rather than take their change with it.
        self.saved = self.delete(ident, expected_version=self.document.version_to_undo(self.kind, ident))


class DeleteCommand(PlanCommand, Generic[S]):
    """Delete a thing of this kind; undo restores it from what the delete gave back.

    A kind that cannot be restored is added again by `add_again`; its new id is remembered (document.renumber).
    """

    def __init__(
        self, document: PlanDocument, text: str, kind: str, ident: int, add_again: Callable[[], int] | None = None
    ) -> None:
        super().__init__(document, text)
        self.kind, self.ident = kind, ident
        self.delete, self.restore = _delete_and_restore(self.service, kind)
        self.add_again = add_again
        self.saved: S | None = None

    def do(self) -> None:
        self.saved = self.delete(self.document.current_id(self.kind, self.ident))

    def undo_it(self) -> None:
        if self.restore is not None:
            self.restore(cast(S, self.saved))  # do() ran first: saved is what the delete gave back
        elif self.add_again is not None:
            try:
                new_id = self.add_again()
            except TakenError as taken:
                # Another officer has given the name to a new row since: say who, not just that it is taken.
                raise ConflictError(taken.again) from None
            self.document.renumber(self.kind, self.document.current_id(self.kind, self.ident), new_id)
