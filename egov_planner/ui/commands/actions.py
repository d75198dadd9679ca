"""Undo commands for one action: its fields, adding and deleting it, its dependencies and waits, its progress."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from egov_planner.model.dates import british
from egov_planner.model.errors import PlanError
from egov_planner.model.records import ActionRecord, LinkRecord
from egov_planner.model.service import DeletedAction
from egov_planner.ui.commands.base import ACTION_FIELD_LABELS, PlanCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- actions ---------------------------------------------------------------------------------


def action_values(record: ActionRecord, names: set[str] | list[str]) -> dict[str, Any]:
    """The action's current values for these fields, as update_action takes them."""
    values: dict[str, Any] = {}
    for name in names:
        values[name] = getattr(record, name)
    return values


def _side_effects(changes: Mapping[str, Any]) -> set[str]:
    """Fields a change may alter besides itself (status complete fills completed-on and 100%)."""
    fields = set(changes)
    if "status" in fields:
        fields |= {"completed_on", "percent_complete"}
    return fields


class EditActionCommand(PlanCommand):
    """Change fields of one action (due date, owner, status…)."""

    def __init__(self, document: PlanDocument, action: ActionRecord, changes: Mapping[str, Any]) -> None:
        if len(changes) == 1:
            (name,) = changes
            text = f"change {ACTION_FIELD_LABELS.get(name, name)} of {action.ref}"
        else:
            text = f"change {action.ref}"
        super().__init__(document, text)
        self.action_id = action.id
        self.before = action_values(action, _side_effects(changes))
        self.after: dict[str, Any] = dict(changes)  # after the first do: every field it touched

    def do(self) -> None:
        record = self.service.update_action(self.action_id, **self.after)
        self.after = action_values(record, list(self.before))

    def undo_it(self) -> None:
        self.service.update_action(self.action_id, **self.before)


class AddActionCommand(PlanCommand):
    """A new action under an objective; undo deletes it, redo brings the same action back."""

    def __init__(
        self, document: PlanDocument, objective_id: int, ref: str, title: str, due: date, **fields: Any
    ) -> None:
        super().__init__(document, f"add action {ref}")
        self.objective_id = objective_id
        self.ref = ref
        self.title = title
        self.due = due
        self.fields = fields
        self.action_id: int | None = None
        self.saved: DeletedAction | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_action(self.saved)
            return
        self.action_id = self.service.add_action(self.objective_id, self.ref, self.title, self.due, **self.fields)

    def undo_it(self) -> None:
        assert self.action_id is not None
        self.saved = self.service.delete_action(self.action_id)


class DeleteActionCommand(PlanCommand):
    """Delete an action with its dependencies and history; undo restores all of it (DeletedAction)."""

    def __init__(self, document: PlanDocument, action: ActionRecord) -> None:
        super().__init__(document, f"delete action {action.ref}")
        self.action_id = action.id
        self.saved: DeletedAction | None = None

    def do(self) -> None:
        self.saved = self.service.delete_action(self.action_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_action(self.saved)


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
        self.service.remove_dependency(_current_link(self.document, self.predecessor_id, self.successor_id).id)


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

    def _set(self, kind: str, lag: int) -> None:
        link = _current_link(self.document, self.predecessor_id, self.successor_id)
        self.service.update_dependency(link.id, kind=kind, lag_days=lag)

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
