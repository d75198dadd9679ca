"""Undo commands for one action: its fields, adding and deleting it, its dependencies and waits, its progress."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from egov_planner.model.dates import british
from egov_planner.model.errors import PlanError
from egov_planner.model.records import ActionRecord, LinkRecord
from egov_planner.model.service import DeletedAction
from egov_planner.ui.commands.base import AddCommand, DeleteCommand, PlanCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- actions (their fields: EditFields.of_action) -----------------------------------------------


class AddActionCommand(AddCommand[DeletedAction]):
    """A new action under an objective; undo deletes it, redo brings the same action back."""

    def __init__(
        self, document: PlanDocument, objective_id: int, ref: str, title: str, due: date, **fields: Any
    ) -> None:
        add = partial(document.service.add_action, objective_id, ref, title, due, **fields)
        super().__init__(document, f"add action {ref}", "action", add)


class DeleteActionCommand(DeleteCommand[DeletedAction]):
    """Delete an action with its dependencies and history; undo restores all of it (DeletedAction)."""

    def __init__(self, document: PlanDocument, action: ActionRecord) -> None:
        super().__init__(document, f"delete action {action.ref}", "action", action.id)


# --- dependencies -------------------------------------------------------------------------------


def _current_link(document: PlanDocument, predecessor_id: int, successor_id: int) -> LinkRecord:
    link = document.link_between(predecessor_id, successor_id)
    if link is None:
        raise PlanError("that dependency is no longer in the plan")
    return link


class AddDependencyCommand(PlanCommand):
    """The successor waits on the predecessor (a cycle is refused by the service, naming it)."""

    def __init__(
        self, document: PlanDocument, predecessor: ActionRecord, successor: ActionRecord, kind: str, lag_days: int
    ) -> None:
        super().__init__(document, f"make {successor.ref} depend on {predecessor.ref}")
        self.predecessor_id = predecessor.id
        self.successor_id = successor.id
        self.kind = kind
        self.lag_days = lag_days

    def do(self) -> None:
        self.service.add_dependency(self.predecessor_id, self.successor_id, self.kind, self.lag_days)

    def undo_it(self) -> None:
        link = _current_link(self.document, self.predecessor_id, self.successor_id)
        # Its type or lag changed since by another officer: refused naming them, not removed with their change.
        self.service.remove_dependency(link.id, expected_version=self.document.version_to_undo("link", link.id))


class RemoveDependencyCommand(PlanCommand):
    """Stop a successor waiting on a predecessor; undo puts the same type and lag back."""

    def __init__(self, document: PlanDocument, link: LinkRecord) -> None:
        super().__init__(document, f"remove {link.successor_ref}'s dependency on {link.predecessor_ref}")
        self.predecessor_id = link.predecessor_id
        self.successor_id = link.successor_id
        self.kind = link.kind
        self.lag_days = link.lag_days

    def do(self) -> None:
        self.service.remove_dependency(_current_link(self.document, self.predecessor_id, self.successor_id).id)

    def undo_it(self) -> None:
        self.service.add_dependency(self.predecessor_id, self.successor_id, self.kind, self.lag_days)


class ChangeDependencyCommand(PlanCommand):
    """Change a dependency's type (FS/SS/FF/SF) or lag."""

    def __init__(self, document: PlanDocument, link: LinkRecord, kind: str, lag_days: int) -> None:
        super().__init__(document, f"change {link.successor_ref}'s dependency on {link.predecessor_ref}")
        self.predecessor_id = link.predecessor_id
        self.successor_id = link.successor_id
        self.before = (link.kind, link.lag_days)
        self.after = (kind, lag_days)
        self.shown_version: int | None = link.version  # the first change is checked against the link shown

    def _set(self, kind: str, lag: int) -> None:
        # Found by its two actions (undo of a removal brings it back under a new id), then checked against
        # the version shown (first) or last re-read: a link changed elsewhere meanwhile is refused.
        link = _current_link(self.document, self.predecessor_id, self.successor_id)
        version = link.version if self.shown_version is None else self.shown_version
        self.service.update_dependency(link.id, kind=kind, lag_days=lag, expected_version=version)
        self.shown_version = None

    def do(self) -> None:
        self._set(*self.after)

    def undo_it(self) -> None:
        self._set(*self.before)


class LinkExternalCommand(PlanCommand):
    """The action waits on an external dependency."""

    def __init__(self, document: PlanDocument, action: ActionRecord, external_id: int, name: str) -> None:
        super().__init__(document, f"make {action.ref} wait on {name}")
        self.action_id = action.id
        self.external_id = external_id

    def do(self) -> None:
        self.service.link_external(self.action_id, self.document.current_id("external", self.external_id))

    def undo_it(self) -> None:
        self.service.unlink_external(self.action_id, self.document.current_id("external", self.external_id))


class UnlinkExternalCommand(LinkExternalCommand):
    """The action no longer waits on an external dependency."""

    def __init__(self, document: PlanDocument, action: ActionRecord, external_id: int, name: str) -> None:
        super().__init__(document, action, external_id, name)
        self.setText(f"stop {action.ref} waiting on {name}")

    def do(self) -> None:
        super().undo_it()

    def undo_it(self) -> None:
        super().do()


# --- progress ---------------------------------------------------------------------------------


class AddProgressCommand(PlanCommand):
    """Append a dated progress update; undo withdraws it and puts the action's status back."""

    def __init__(
        self,
        document: PlanDocument,
        action: ActionRecord,
        reported_on: date,
        note: str,
        status: str | None,
        percent_complete: int | None,
        author: str,
    ) -> None:
        super().__init__(document, f"add a progress update to {action.ref} ({british(reported_on)})")
        self.action_id = action.id
        self.values = {
            "reported_on": reported_on,
            "note": note,
            "status": status,
            "percent_complete": percent_complete,
            "author": author,
        }
        self.restore = {
            "status": action.status,
            "percent_complete": action.percent_complete,
            "completed_on": action.completed_on,
        }
        self.progress_id: int | None = None

    def do(self) -> None:
        self.progress_id = self.service.add_progress(self.action_id, **self.values).id

    def undo_it(self) -> None:
        assert self.progress_id is not None
        self.service.withdraw_progress(self.progress_id, self.restore)
