"""The open plan as the window sees it: a Workspace (model/workspace.py) wrapped in a QObject.

Anki's pattern: the window never holds a Session. It calls PlanService (through
an undo command), the service says what changed (a `Change`), the Workspace
brings its snapshot and assessment up to date, and this object tells every view
through one signal, `refreshed`. Opening a plan is never undoable: the stack starts empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Generic, Self, TypeVar, overload

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from egov_planner.model.errors import PlanError, ValidationError
from egov_planner.model.service import Change, PlanService
from egov_planner.model.store import PlanFileError, PlanStore
from egov_planner.model.store.server import ServerStore
from egov_planner.model.workspace import PlanState, Workspace, read_plan, status_date_of
from egov_planner.ui.collector import collector

__all__ = ["EditRefused", "PlanDocument", "PlanState", "field_of", "read_plan", "refusal_text"]


T = TypeVar("T")


class reads(Generic[T]):  # noqa: N801 - reads as a declaration in the class body
    """`snapshot = reads(lambda d: d.workspace.snapshot)`: an attribute the document passes on from what it holds.

    Read through at every use (the workspace replaces its state on each change), declared in one line a name.
    """

    def __init__(self, read: Callable[[PlanDocument], T]) -> None:
        self.read = read

    @overload
    def __get__(self, document: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, document: PlanDocument, owner: type | None = None) -> T: ...

    def __get__(self, document: PlanDocument | None, owner: type | None = None) -> T | Self:
        return self if document is None else self.read(document)


class EditRefused(PlanError):
    """An edit the window would not even try (the plan is read-only)."""


class PlanDocument(QObject):
    """One open plan, its undo stack, and the signals that tell the views it changed."""

    refreshed = Signal(object)  # the Change that caused it, or None after (re)loading
    undo_failed = Signal(str)
    _service_changed = Signal(object)

    def __init__(
        self,
        store: PlanStore | ServerStore,
        state: PlanState | None = None,
        today: Callable[[], date] = date.today,
        service: PlanService | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.service = service or PlanService(store)
        self.workspace = Workspace(self.service, today, state)
        self.undo_stack = QUndoStack(self)
        # The service may tell us from a worker thread (an import); the signal hops to ours.
        self._service_changed.connect(self._on_change)
        self._listener = self._service_changed.emit
        self.service.listeners.append(self._listener)
        # Undo of a delete may bring a thing back under a new id: old id -> new id, per kind.
        self._renumbered: dict[tuple[str, int], int] = {}

    # --- what the views read: the workspace's and the store's, read through at each use -------------

    today = reads(lambda d: d.workspace.today)
    state = reads(lambda d: d.workspace.state)
    last_scope = reads(lambda d: d.workspace.last_scope)
    last_change = reads(lambda d: d.workspace.last_change)
    last_changed_ids = reads(lambda d: d.workspace.last_changed_ids)
    snapshot = reads(lambda d: d.workspace.snapshot)
    assessment = reads(lambda d: d.workspace.assessment)
    status_date = reads(lambda d: d.workspace.status_date)
    status_date_is_today = reads(lambda d: d.workspace.status_date_is_today)
    action = reads(lambda d: d.workspace.action)
    action_by_ref = reads(lambda d: d.workspace.action_by_ref)
    objective = reads(lambda d: d.workspace.objective)
    successors_of = reads(lambda d: d.workspace.successors_of)
    link_between = reads(lambda d: d.workspace.link_between)
    record = reads(lambda d: d.workspace.record)
    version_of = reads(lambda d: d.workspace.version_of)

    path = reads(lambda d: d.store.path)
    read_only = reads(lambda d: d.store.read_only)

    def read_only_message(self) -> str:
        """'read-only — in use by jill on PC42 since 12/01/2004 09:15' (on a server: why the server says no)."""
        if isinstance(self.store, ServerStore):
            return self.store.read_only_banner() or "read-only"
        if self.store.in_use_by is not None:
            return f"read-only — in use by {self.store.in_use_by.describe()}"
        return "read-only"

    # --- edits ------------------------------------------------------------------------------
    def execute(self, command: QUndoCommand) -> PlanError | None:
        """Do an edit now and put it on the undo stack; a refusal comes back and nothing is saved.

        The command's first redo() is the edit itself, tried before the push so a
        refused edit never reaches the stack.
        """
        if self.read_only:
            return EditRefused(f"This plan is {self.read_only_message()}: nothing was changed.")
        apply_first = getattr(command, "apply_first", None)
        try:
            if apply_first is not None:
                apply_first()
        except PlanError as error:
            return error
        except PlanFileError as error:  # ReadOnlyPlan: the lock was taken over meanwhile
            return PlanError(str(error))
        self.undo_stack.push(command)
        return None

    def renumber(self, kind: str, old: int, new: int) -> None:
        """Remember that a thing re-created by undo/redo has a new id, so later commands find it."""
        if old != new:
            self._renumbered[(kind, old)] = new

    def current_id(self, kind: str, ident: int) -> int:
        seen = set()
        while (kind, ident) in self._renumbered and ident not in seen:
            seen.add(ident)
            ident = self._renumbered[(kind, ident)]
        return ident

    def report_undo_failure(self, message: str) -> None:
        """An undo or redo the plan refused (it changed underneath): say so; the stack can no longer be trusted."""
        self.undo_failed.emit(message)

    # --- refresh ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the whole plan again (after a restore, an import, or on request)."""
        with collector.paused_during():
            self.workspace.reload()
            self.refreshed.emit(None)

    @property
    def viewing_date(self) -> date | None:
        """The date a read-only viewer is looking at instead of the plan's own (None: the plan's)."""
        return self.workspace.viewing_date

    def status_date_of_plan(self) -> date:
        """The status date saved in the plan (else today), whatever date a viewer is looking at."""
        return status_date_of(self.snapshot, self.workspace.today())

    def view_at(self, when: date | None) -> None:
        """Judge the plan as at another date without writing it (a read-only viewer's look); None: the plan's."""
        self.workspace.viewing_date = when
        self.reassess()

    def reassess(self) -> None:
        """Judge the plan again (the day changed, or the status date) without re-reading it."""
        with collector.paused_during():
            self.workspace.reassess()
            self.refreshed.emit(None)

    def _on_change(self, change: Change) -> None:
        # The refresh and every view's redraw run without collector passes (see collector.py).
        with collector.paused_during():
            self.workspace.apply(change)
            self.refreshed.emit(change)

    def close(self) -> None:
        """Let go of the plan file (and its lock). The undo stack goes with it."""
        collector.resume()
        if self._listener in self.service.listeners:
            self.service.listeners.remove(self._listener)
        self.undo_stack.clear()
        self.store.close()


def field_of(error: PlanError) -> str | None:
    """The field a refusal names, when it names one."""
    return error.field if isinstance(error, ValidationError) else None


def refusal_text(error: PlanError) -> str:
    """What a refusal says to the officer (a field's refusal without the field's name)."""
    return error.message if isinstance(error, ValidationError) else str(error)
