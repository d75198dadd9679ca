"""The open plan as the window sees it: a Workspace (model/workspace.py) wrapped in a QObject.

Anki's pattern: the window never holds a Session. It calls PlanService (through
an undo command), the service says what changed (a `Change`), the Workspace
brings its snapshot and assessment up to date, and this object tells every view
through one signal, `refreshed`. Opening a plan is never undoable: the stack starts empty.

On a shared plan (a server) the document also hears other officers' committed changes (ui/live.py)
and catches up: from the history it learns what changed and who changed it, re-reads only those
records when it can, else reads the whole plan on a worker thread and swaps it in; `from_others` is
True while the views redraw for such a change, so they keep what the officer is typing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, Self, TypeVar, overload

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from egov_planner.model.cycle import HistoryEntry
from egov_planner.model.errors import PlanError, ValidationError
from egov_planner.model.service import Change, PlanService
from egov_planner.model.service.history import as_shown
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
    others_changed = Signal(str)  # another officer's change is on screen: who changed what, one line
    live_lost = Signal(str)  # the window no longer hears other officers' changes (the server went away)
    _service_changed = Signal(object)
    _read_elsewhere = Signal(object)  # (state, latest entry, own writes when the read began) from a worker

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
        # Other officers' changes (a shared plan): see start_live_updates.
        self.from_others = False  # True while the views redraw for another officer's change
        self.may_catch_up: Callable[[], bool] = lambda: True  # the window says no mid-import or mid-drag
        self._live: Any = None
        self._seen: int | None = None  # the history entry this reading has caught up to
        self._own_writes = 0
        self._reading = False
        # (kind, id) -> the version this window held before another officer changed that record: an undo
        # of this window's edit is checked against it, so it is refused rather than overwrite theirs.
        self._moved_by_others: dict[tuple[str, int | None], int] = {}
        self._again: list[str] | None = None  # notices heard while catching up: caught up with next
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(CATCH_UP_RETRY_MS)
        self._retry.timeout.connect(lambda: self.catch_up(self._again or []))
        self._read_elsewhere.connect(self._swap_in)
        self.start_live_updates()

    # --- what the views read: the workspace's and the store's, read through at each use -------------

    today = reads(lambda d: d.workspace.today)
    state = reads(lambda d: d.workspace.state)
    last_scope = reads(lambda d: d.workspace.last_scope)
    last_change = reads(lambda d: d.workspace.last_change)
    last_changed_ids = reads(lambda d: d.workspace.last_changed_ids)
    last_added_ids = reads(lambda d: d.workspace.last_added_ids)
    last_removed_ids = reads(lambda d: d.workspace.last_removed_ids)
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

    def version_to_undo(self, kind: str, ident: int | None) -> int | None:
        """The version an undo (or redo) of this window's edit must find: the one this window last wrote, not
        one another officer has written since (their change is then named, never overwritten)."""
        held = self._moved_by_others.get((kind, ident))
        return held if held is not None else self.version_of(kind, ident)

    def _on_change(self, change: Change) -> None:
        # The refresh and every view's redraw run without collector passes (see collector.py).
        self._own_writes += 1
        # This window has now written these records itself, against what it showed: theirs were seen.
        for ident in change.action_ids:
            self._moved_by_others.pop(("action", ident), None)
        for ident in change.entity_ids:
            self._moved_by_others.pop((change.kind.value, ident), None)
        if change.kind.value == "plan":
            self._moved_by_others.pop(("plan", None), None)
        with collector.paused_during():
            self.workspace.apply(change)
            self.refreshed.emit(change)

    # --- other officers' changes (a shared plan) ---------------------------------------------------

    @property
    def live(self) -> bool:
        """True while this window hears other officers' changes as they are committed."""
        return self._live is not None and bool(self._live.listening)

    def start_live_updates(self) -> None:
        """On a server plan, listen for other officers' committed changes (a plan file: nothing to do)."""
        plan, writer = getattr(self.store, "plan", None), getattr(self.store, "writer", None)
        if plan is None or writer is None:
            return
        from egov_planner.model.store.server import Listener
        from egov_planner.ui.live import LiveUpdates

        self._seen = self.service.history_after(None)[0]
        self._live = LiveUpdates(lambda: Listener(plan, ignore=writer), self)
        self._live.heard.connect(self.catch_up)
        self._live.lost.connect(self._lost)
        try:
            self._live.start()
        except PlanFileError as error:
            self._lost(str(error))
            self._live.listen_again()

    def _lost(self, message: str) -> None:
        self.live_lost.emit(f"Other officers' changes will not show until the server answers again: {message}")

    def catch_up(self, users: list[str]) -> None:
        """Bring the reading up to date with other officers' committed changes, keeping the officer's place."""
        if self._reading or not self.may_catch_up():
            self._again = [*(self._again or []), *users]
            if not self._reading:
                self._retry.start()  # the window is busy (an import, a drag): look again shortly
            return
        self._again = None
        try:
            latest, entries = self.service.history_after(self._seen, limit=CATCH_UP_MOST + 1)
        except (PlanError, PlanFileError) as error:
            self._lost(str(error))
            # Still listening (the first read after a server restart can fail on a connection it closed):
            # look again shortly, or the changes made while it was away wait for the next notice.
            self._again = users
            if self.live:
                self._retry.start()
            return
        changes = self.workspace.changes_from_history(entries, CATCH_UP_MOST) if entries else None
        if changes is not None and len(entries) <= CATCH_UP_MOST:
            self._seen = latest
            before = self.workspace.versions()
            with collector.paused_during():
                self.from_others = True
                try:
                    for change in changes:
                        self.workspace.apply(change)
                        self.refreshed.emit(change)
                finally:
                    self.from_others = False
            self._note_moved(before)
            self.others_changed.emit(describe_changes(entries, users, self.service.user))
            return
        self._read_all(latest, entries, users)

    def _read_all(self, latest: int, entries: list[HistoryEntry], users: list[str]) -> None:
        """Read the whole plan on a worker thread (a second at 20,000 actions), then swap it in at once."""
        from egov_planner.model.workspace import read_plan

        self._reading = True
        today, viewing, own = self.workspace.today(), self.workspace.viewing_date, self._own_writes
        service = PlanService(self.store)
        message = describe_changes(entries, users, self.service.user)
        if len(entries) > CATCH_UP_MOST:  # an import or the like: read once, whole, rather than row by row
            names = list(dict.fromkeys(e.by for e in entries if e.by != self.service.user)) or users
            who = ", ".join(names) or "another officer"
            message = f"Updated: more than {CATCH_UP_MOST:,} changes by {who} at once, so the whole plan was read again"

        def work() -> None:
            try:
                state: object = read_plan(service, today, viewing)
            except (PlanError, PlanFileError) as error:
                state = error
            self._read_elsewhere.emit((state, latest, own, message))

        import threading

        threading.Thread(target=work, name="catch-up", daemon=True).start()

    def _swap_in(self, result: tuple[object, int, int, str]) -> None:
        state, latest, own, message = result
        self._reading = False
        if self.store is None or self._live is None:
            return  # closed meanwhile
        if isinstance(state, BaseException):
            self._lost(str(state))
            return
        if own != self._own_writes:
            # This window saved an edit while the plan was being read: that reading may lack it; read again.
            self._read_all(latest, [], [])
            return
        before = self.workspace.versions()
        with collector.paused_during():
            self.from_others = True
            try:
                self.workspace.replace(state)  # type: ignore[arg-type]
                self._seen = latest
                self.refreshed.emit(None)
            finally:
                self.from_others = False
        self._note_moved(before)
        self.others_changed.emit(message)
        if self._again is not None:
            self.catch_up(self._again)

    def _note_moved(self, before: dict[tuple[str, int | None], int]) -> None:
        after = self.workspace.versions()
        for key, version in before.items():
            if after.get(key, version) != version:
                self._moved_by_others.setdefault(key, version)  # the oldest: what this window last wrote or saw

    def close(self) -> None:
        """Let go of the plan file (and its lock). The undo stack goes with it."""
        collector.resume()
        self._retry.stop()
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self._listener in self.service.listeners:
            self.service.listeners.remove(self._listener)
        self.undo_stack.clear()
        self.store.close()


CATCH_UP_MOST = 2000  # more changes than this at once (an import): the whole plan is read again instead
CATCH_UP_RETRY_MS = 500


def describe_changes(entries: list[HistoryEntry], users: list[str], me: str) -> str:
    """The status bar's line: 'Updated: jbloggs changed due of A1.2 (31/03/2004 → 30/04/2004)'."""
    theirs = [e for e in entries if e.by != me] or entries
    names = list(dict.fromkeys(e.by for e in theirs)) or list(dict.fromkeys(users)) or ["another officer"]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    if len(theirs) == 1:
        entry = theirs[0]
        what = entry.ref or "the plan's details"
        if entry.field in ("added", "deleted"):
            return f"Updated: {who} {entry.field} {entry.what} {what}"
        values = f"{as_shown(entry.from_value, 30, entry.field)} → {as_shown(entry.to_value, 30, entry.field)}"
        return f"Updated: {who} changed {entry.field.replace('_', ' ')} of {what} ({values})"
    if not theirs:
        return f"Updated: {who} changed the plan"
    refs = list(dict.fromkeys(e.ref or "the plan's details" for e in theirs))
    shown = ", ".join(refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
    return f"Updated: {len(theirs):,} changes by {who} ({shown})"


def field_of(error: PlanError) -> str | None:
    """The field a refusal names, when it names one."""
    return error.field if isinstance(error, ValidationError) else None


def refusal_text(error: PlanError) -> str:
    """What a refusal says to the officer (a field's refusal without the field's name)."""
    return error.message if isinstance(error, ValidationError) else str(error)
