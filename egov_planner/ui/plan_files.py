"""The main window's files: opening (lock, damage, recovery), new plans, copies, imports, exports, backups.

A base of MainWindow (ui/main_window.py). A plan is checked and locked on the UI
thread (so the officer can be asked about a stale lock or a damaged file), then
read on a worker thread; the window never freezes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QProgressDialog

from egov_planner.interchange.demo import write_demo
from egov_planner.model.errors import PlanError
from egov_planner.model.store import (
    DamagedPlan,
    NewerSchema,
    NotAPlan,
    PlanFileError,
    PlanInUse,
    PlanStore,
    create_plan,
)
from egov_planner.model.store.backups import BACKUP_EVERY, backup_plan, restore_plan, save_copy
from egov_planner.model.store.opening import InUse, PlanLocation, back_up_on_open, open_for_editing, recovery_for
from egov_planner.model.store.server import (
    PasswordNeeded,
    PasswordRefused,
    ServerPlan,
    ServerStore,
    open_server_plan,
)
from egov_planner.model.workspace import PlanState, read_plan
from egov_planner.paths import demo_path
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.prompts import Prompts, ending_in, save_path
from egov_planner.ui.settings import AppSettings
from egov_planner.ui.shared_plan import (
    SharedPlanDialog,
    bare_url,
    default_folder,
    location_name,
    location_text,
    plan_name,
    plan_stem,
    with_password,
    without_password,
)
from egov_planner.ui.workers import TaskRunner

PLAN_FILTER = "egov-planner plans (*.egov);;All files (*)"
PASSWORD_TRIES = 3  # a mistyped password may be typed again, but the window does not ask for ever
CSV_FILTER = "CSV files (*.csv)"
XLSX_FILTER = "Excel workbooks (*.xlsx)"
IMPORT_FILTER = (
    "Files the plan can read (*.csv *.xlsx *.xml *.gan);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
    ";;MS Project XML (*.xml);;GanttProject (*.gan)"
)
# Other formats the plan is written to: (dialog title, file name ending, filter, what the count counts).
EXPORTS = {
    ".xml": ("Export to MS Project", "MS Project", "MS Project XML (*.xml)", "actions"),
    ".ics": ("Export deadlines calendar", "deadlines", "Calendars (*.ics)", "events"),
}


def ensure_demo(path: Path) -> Path:
    """The demo copy at path, written first if it is not there yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_demo(path)
    return path


class PlanFiles(QMainWindow):
    """Everything the window does with plan files and the files beside them."""

    document: PlanDocument | None
    settings: AppSettings
    prompts: Prompts
    runner: TaskRunner
    opening: bool
    today: Callable[[], date]
    recent_menu: QMenu
    # Passwords typed this session, by the plan's URL without one: never written anywhere, gone when the program ends.
    session_passwords: dict[str, str]
    server_changed_at: datetime | None  # this window's first unbacked change to a server plan
    server_backup_at: datetime | None

    if TYPE_CHECKING:  # MainWindow's own, called from here

        def close_plan(self) -> None: ...
        def _show_document(self, document: PlanDocument) -> None: ...
        def _update_title(self) -> None: ...
        def show_message(self, text: str, timeout: int = 8000) -> None: ...
        def refuse(self, title: str, error: PlanError | str) -> None: ...

    # --- opening ------------------------------------------------------------------------------------------

    def _open_store(self, path: Path) -> PlanStore | None:
        """Lock and check the file, asking the officer what the model offers for a stale lock or damage."""
        try:
            return open_for_editing(path)
        except PlanInUse as busy:
            offer = InUse(path, busy.holder)
            if offer.may_take_over and self.prompts.ask(
                "Plan left open",
                f"{offer.line}\n\nTake the plan over and edit it here?",
                yes="Take it over",
                no="Open read-only",
            ):
                try:
                    return offer.take_over()
                except PlanInUse as again:
                    self.prompts.warn("Plan in use", str(again))
            try:
                return offer.open_read_only()
            except PlanFileError as error:
                self.prompts.warn("Cannot open the plan", str(error))
                return None
        except (DamagedPlan, NotAPlan) as damaged:
            recovery = recovery_for(path, damaged)
            if not recovery.can_restore:
                self.prompts.warn("Cannot open the plan", f"{damaged}\n\n{recovery.line}".strip())
                return None
            if not self.prompts.ask(
                "Plan damaged",
                f"{damaged}\n\n{recovery.line} Restore it?\n"
                "The damaged file is kept beside it, renamed to end in .damaged (never deleted).",
                yes="Restore the backup",
                no="Cancel",
            ):
                return None
            try:
                result = recovery.restore()
                self.prompts.inform("Plan restored", recovery.restored(result))
                return open_for_editing(path)
            except (PlanFileError, PlanInUse, OSError) as error:
                self.prompts.warn("Restore failed", str(error))
                return None
        except NewerSchema as error:
            self.prompts.warn("Cannot open the plan", str(error))
            return None
        except (PlanFileError, OSError) as error:
            self.prompts.warn("Cannot open the plan", str(error))
            return None

    def open_plan_file(self, path: Path) -> bool:
        """Open a plan: check and lock it here, read it on a worker thread, then show it."""
        path = Path(path)
        if self.opening:
            return False
        self.close_plan()
        store = self._open_store(path)
        if store is None:
            self._update_title()
            return False
        return self._read_and_show(store)

    def open_location(self, where: PlanLocation) -> bool:
        """A plan file or a plan on a server (the recent-plans list and the command line name either)."""
        if isinstance(where, ServerPlan):
            return self.open_shared_plan(where)
        return self.open_plan_file(where)

    def choose_shared_plan(self) -> None:
        """File → Open shared plan…: the server's details (never a password), then the plan opened from them."""
        recent = [where for where in self.settings.recent_plans() if isinstance(where, ServerPlan)]
        dialog = SharedPlanDialog(recent[0] if recent else None, self)
        plan = self.exec_shared_plan_dialog(dialog)
        if plan is not None:
            self.open_shared_plan(plan)

    def exec_shared_plan_dialog(self, dialog: SharedPlanDialog) -> ServerPlan | None:
        """Tests replace this to fill the dialog without a modal loop."""
        return dialog.plan() if dialog.exec() else None

    def open_shared_plan(self, plan: ServerPlan) -> bool:
        """Connect to the plan's server (asking for a password only when it needs one), then read and show it."""
        if self.opening:
            return False
        self.close_plan()
        store = self._connect(plan)
        if store is None:
            self._update_title()
            return False
        store.after_commit.append(self._server_plan_changed)
        return self._read_and_show(store)

    def _connect(self, plan: ServerPlan) -> ServerStore | None:
        """The store, or None with one sentence said (wrong password, no such database, no server...)."""
        key = bare_url(plan)
        if plan.url.password is None and key in self.session_passwords:
            plan = with_password(plan, self.session_passwords[key])
        typed = 0
        while True:
            self.show_message(f"Connecting to {location_name(plan)}…", 0)
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            try:
                store = open_server_plan(plan)
            except (PasswordNeeded, PasswordRefused) as error:
                if isinstance(error, PasswordRefused) and not typed:  # PGPASSWORD or .pgpass is wrong: say so
                    return self._not_opened(error)
                refused = isinstance(error, PasswordRefused)
                last: PlanFileError = error  # `error` is gone once the except block ends
            except PlanFileError as error:  # ServerError, NotAPlan, NewerSchema, NeedsUpgrade: each one line
                return self._not_opened(error)
            else:
                if typed:  # it worked: kept in memory for this session only
                    self.session_passwords[key] = str(plan.url.password)
                return store
            finally:
                QApplication.restoreOverrideCursor()
            if typed >= PASSWORD_TRIES:
                return self._not_opened(last)
            user = plan.url.username or "your database user"
            first = (
                "The server refused that password."
                if refused
                else f"The server needs a password for {user}, and none is set up "
                "(PGPASSWORD, .pgpass or a service file)."
            )
            password = self.prompts.password(
                "Password for the shared plan",
                f"{first}\n\nPassword for {user} on {location_name(plan)}; it is used for this session only "
                "and never saved:",
            )
            if password is None:
                self.show_message(f"Not opened: {location_name(plan)} needs a password")
                return None
            plan = with_password(without_password(plan), password)
            typed += 1

    def _not_opened(self, error: BaseException) -> ServerStore | None:
        """Nothing opened: the one sentence the model gives, in the window (always None, for `return`)."""
        self.prompts.warn("Cannot open the shared plan", str(error))
        self.show_message(f"Not opened: {error}")
        return None

    def _read_and_show(self, store: PlanStore | ServerStore) -> bool:
        """Read the open store on a worker thread (the window never freezes), then show it."""
        name = plan_name(store)
        self.opening = True
        self.show_message(f"Opening {name}…")
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        today = self.today()

        def work(_report: Callable[[Any], None]) -> PlanState:
            from egov_planner.model.service import PlanService

            return read_plan(PlanService(store), today)

        def done(state: PlanState) -> None:
            QApplication.restoreOverrideCursor()
            self.opening = False
            # A big plan is tens of thousands of long-lived records: keep them out of the
            # collector's full passes, which would otherwise pause typing in the filter.
            gc.freeze()
            self._show_document(PlanDocument(store, state, today=self.today))
            if isinstance(store, PlanStore) and not store.read_only:
                self._backup_on_open(store)

        def failed(error: BaseException) -> None:
            QApplication.restoreOverrideCursor()
            self.opening = False
            store.close()
            text = str(error)  # a server's refusal already names the plan
            named = text if text.startswith(f"{store.display_name}:") else f"{name}: {text}"
            self.prompts.warn("Cannot open the plan", named)
            self._update_title()

        self.runner.start(work, done, failed)
        return True

    # --- files ------------------------------------------------------------------------------------------------

    def _folder(self) -> Path:
        """Where files are suggested: beside the plan file; for a server plan, the last folder used (or Documents)."""
        document = self.document
        if document is not None and isinstance(document.store, PlanStore):
            return document.store.path.parent
        if document is not None:
            return default_folder(self.settings.last_folder())
        return Path.home()

    def _remember_folder(self, chosen: Path) -> None:
        self.settings.set_last_folder(chosen if chosen.is_dir() else chosen.parent)

    def new_plan(self) -> None:
        target = save_path(self.prompts, "New plan", self._folder() / "improvement plan.egov", PLAN_FILTER, ".egov")
        if target is None:
            return
        if target.exists():
            self.prompts.warn("New plan", f"{target} already exists; choose another name.")
            return
        try:
            create_plan(target)
        except (PlanFileError, OSError) as error:
            self.prompts.warn("New plan", str(error))
            return
        self.open_plan_file(target)

    def choose_and_open(self) -> None:
        chosen = self.prompts.open_file("Open a plan", self._folder(), PLAN_FILTER)
        if chosen is not None:
            self.open_plan_file(chosen)

    def open_demo(self) -> None:
        try:
            path = ensure_demo(demo_path())
        except (PlanFileError, OSError) as error:
            self.prompts.warn("Demo plan", str(error))
            return
        self.open_plan_file(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_plans() if isinstance(p, ServerPlan) or p.exists()]
        if not recent:
            empty = self.recent_menu.addAction("(none yet)")
            empty.setEnabled(False)
            return
        for number, where in enumerate(recent, start=1):
            name = location_name(where).replace("&", "&&")  # an & in a name is shown, not taken as a mnemonic
            action = self.recent_menu.addAction(f"&{number} {name}" if number < 10 else name)
            action.setToolTip(location_text(where))
            action.setStatusTip(location_text(where))
            action.triggered.connect(lambda _checked=False, w=where: self.open_location(w))

    def save_copy_as(self) -> None:
        document = self.document
        if document is None:
            return
        store = document.store
        name = f"{plan_stem(store)} copy {date.today():%Y-%m-%d}.egov"
        target = save_path(self.prompts, "Save a copy as", self._folder() / name, PLAN_FILTER, ".egov")
        if target is None:
            return
        self._remember_folder(target)
        if isinstance(store, ServerStore):
            plan = store.plan

            def copy_from_server(_report: Callable[[Any], None]) -> Path:
                from egov_planner.model.store.copying import copy_plan

                if target.exists():  # a copy never overwrites: the dialog asked, but copy_plan makes files anew
                    raise PlanFileError(f"{target} already exists; choose another name. Nothing was written.")
                copy_plan(plan, target)  # read once, written, then read back and compared row for row
                return target

            self.runner.start(
                copy_from_server,
                lambda path: self.show_message(f"Saved a copy of {location_name(plan)} as {path} (checked)", 10000),
                lambda error: self.prompts.warn("Save a copy", str(error)),
            )
            return
        source = store.path
        self.runner.start(
            lambda _report: save_copy(source, target),
            lambda path: self.show_message(f"Saved a copy as {path}"),
            lambda error: self.prompts.warn("Save a copy", str(error)),
        )

    def import_csv(self) -> None:
        document = self.document
        if document is None or document.read_only:
            return
        chosen = self.prompts.open_file("Import a file", self._folder(), IMPORT_FILTER)
        if chosen is None:
            return
        self.import_file(chosen)

    def import_file(self, chosen: Path) -> None:
        """All or nothing, on a worker thread; a backup is taken first (an import is not undoable)."""
        document = self.document
        if document is None:
            return
        from egov_planner.interchange import import_file

        service = document.service
        store = document.store
        progress = self._busy_dialog(f"Importing {chosen.name}…")
        backed_up: list[Path] = []

        def work(_report: Callable[[Any], None]) -> Any:
            if isinstance(store, ServerStore):
                backed_up.append(back_up_server_plan(store.plan))
            else:
                backup_plan(store.path, reason="before import")
            return import_file(service, chosen)

        def done(result: Any) -> None:
            progress.close()
            # Earlier edits may touch what the import changed: undoing them now could undo the import.
            if self.document is not None:
                self.document.undo_stack.clear()
            self.show_message(f"Imported {chosen.name}: {result.describe()}", 10000)
            self.prompts.inform(
                "Import",
                f"Imported {result.kind} from {chosen.name}: {result.describe()}.\n\n"
                + (
                    f"An import cannot be undone; the plan as it was just before it is kept in {backed_up[0]}."
                    if backed_up
                    else "An import cannot be undone; a backup was taken just before it (File → Restore from backup)."
                ),
            )

        def failed(error: BaseException) -> None:
            progress.close()
            self.refuse("Import refused", f"{error}. Nothing was imported.")

        self.runner.start(work, done, failed)

    def export_csv(self, what: str) -> None:
        document = self.document
        if document is None:
            return
        suggested = self._folder() / f"{plan_stem(document.store)} {what}.csv"
        chosen = self.prompts.save_file(f"Export {what}", suggested, f"{CSV_FILTER};;{XLSX_FILTER}")
        if chosen is None:
            return
        self._remember_folder(chosen)
        # A workbook holds actions, services and the position; any other name is a CSV.
        target = chosen if chosen.suffix.lower() == ".xlsx" else ending_in(chosen, ".csv")
        from egov_planner.interchange import export_file

        service = document.service
        self.runner.start(
            lambda _report: export_file(service, target, what),
            lambda count: self.show_message(f"Exported {count:,} {what} rows to {target}", 10000),
            lambda error: self.prompts.warn("Export", str(error)),
        )

    def write_owner_returns(self) -> None:
        """Report → Owners' returns…: one workbook per owner of open actions, in a folder the officer chooses."""
        document = self.document
        if document is None:
            return
        folder = self.prompts.choose_folder("Owners' returns: choose a folder", self._folder())
        if folder is None:
            return
        self._remember_folder(folder)
        from egov_planner.interchange.returns import describe_written, save_returns

        service = document.service
        when = document.state.assessment.status_date  # the position the window shows

        def work(_report: Callable[[Any], None]) -> str:
            result = save_returns(service.snapshot(), service.plan_id(), folder, when)
            return describe_written(result, folder, when)

        def done(line: str) -> None:
            self.show_message(line, 10000)
            self.prompts.inform("Owners' returns", f"{line}.\n\nImport each returned workbook with File → Import….")

        self.runner.start(work, done, lambda error: self.prompts.warn("Owners' returns", str(error)))

    def export_as(self, suffix: str) -> None:
        """The plan written as MS Project XML (.xml) or a calendar of deadlines (.ics)."""
        document = self.document
        if document is None:
            return
        title, name, filter_text, counted = EXPORTS[suffix]
        suggested = self._folder() / f"{plan_stem(document.store)} {name}{suffix}"
        target = save_path(self.prompts, title, suggested, filter_text, suffix)
        if target is None:
            return
        self._remember_folder(target)
        from egov_planner.interchange import export_file

        service = document.service
        self.runner.start(
            lambda _report: export_file(service, target),
            lambda count: self.show_message(f"Exported {count:,} {counted} to {target}", 10000),
            lambda error: self.prompts.warn(title, str(error)),
        )

    def restore_from_backup(self) -> None:
        document = self.document
        if document is None:
            return
        if isinstance(document.store, ServerStore):  # the menu item is greyed; its key or a script says why
            self.refuse("Restore from backup", SERVER_RESTORE)
            return
        from egov_planner.ui.views.restore_dialog import RestoreBackupDialog

        dialog = RestoreBackupDialog(document.store.path, self)
        chosen = self.exec_restore_dialog(dialog)
        if chosen is None:
            return
        self.restore_backup(chosen)

    def exec_restore_dialog(self, dialog: Any) -> Path | None:
        """Tests replace this to choose without a modal loop."""
        return dialog.chosen() if dialog.exec() else None

    def restore_backup(self, backup: Path) -> None:
        """restore_plan needs the file free: close it here first, then reopen what was restored."""
        document = self.document
        if document is None or not isinstance(document.store, PlanStore):
            return
        path = document.store.path
        self.close_plan()
        try:
            result = restore_plan(path, backup)
        except (PlanFileError, PlanInUse, OSError) as error:
            self.prompts.warn("Restore from backup", f"{error}\n\nThe plan was not changed.")
            self.open_plan_file(path)
            return
        saved = f" The plan as it was is kept at {result.previous_saved_as}." if result.previous_saved_as else ""
        self.show_message(f"Restored {path.name} from {backup.name}.{saved}", 15000)
        self.open_plan_file(path)

    def _backup_on_open(self, store: PlanStore) -> None:
        """A verified copy as the plan is opened for editing, taken after it is on screen."""
        self.runner.start(
            lambda _report: back_up_on_open(store),
            None,
            lambda error: self.show_message(f"Backup on opening failed: {error}"),
        )

    def backup_if_due(self) -> None:
        """Every few minutes, off the UI thread: the store backs up when the plan changed and 30 minutes passed."""
        document = self.document
        if document is None or document.read_only:
            return
        store = document.store
        if isinstance(store, ServerStore):
            self._server_backup_if_due(store)
            return

        def done(target: Path | None) -> None:
            if target is not None:
                self.show_message(f"Backed up at {datetime.now():%H:%M} ({target.name})", 5000)

        self.runner.start(
            lambda _report: store.backup_if_due(), done, lambda error: self.show_message(f"Backup failed: {error}")
        )

    def _server_plan_changed(self) -> None:
        if self.server_changed_at is None:
            self.server_changed_at = datetime.now()

    def _server_backup_if_due(self, store: ServerStore, now: datetime | None = None) -> None:
        """A server plan this window changed: a plan file like `backup URL` writes, every 30 minutes of changes."""
        now = now or datetime.now()
        if self.server_changed_at is None:
            return
        if self.server_backup_at is not None and now - self.server_backup_at < BACKUP_EVERY:
            return
        plan, changed_at = store.plan, self.server_changed_at
        self.server_changed_at = None  # edits made during the copy count for the next one

        def done(target: Path) -> None:
            self.server_backup_at = now
            self.show_message(f"Backed up {location_name(plan)} at {now:%H:%M} to {target}", 5000)

        def failed(error: BaseException) -> None:
            self.server_changed_at = changed_at  # not backed up: try again next time
            self.show_message(f"Backup failed: {error}")

        self.runner.start(lambda _report: back_up_server_plan(plan, now), done, failed)

    def _busy_dialog(self, text: str) -> QProgressDialog:
        dialog = QProgressDialog(text, "", 0, 0, self)
        dialog.setWindowTitle("egov-planner")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        return dialog


SERVER_RESTORE = (
    "a shared plan is restored on the server by your IT department, never from this window "
    "(it would overwrite every officer's work); a backup file can be opened, or put into a new database "
    "with: egov-planner copy BACKUP postgresql://.../NEW_DATABASE"
)


def back_up_server_plan(plan: ServerPlan, now: datetime | None = None) -> Path:
    """A server plan's backup is a plan file (as `egov-planner backup URL` writes): it opens anywhere, checked."""
    from egov_planner.model.store.copying import copy_plan, server_backup_path

    target = server_backup_path(plan, None, now)
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_plan(plan, target)
    return target
