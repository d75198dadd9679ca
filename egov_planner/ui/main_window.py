"""The main window: the plan and the views beside it, the status date, and the edits made from menus.

Its menus and toolbar are built in ui/menus.py and its file handling (opening,
locking, recovery, imports, backups) lives in ui/plan_files.py; both are bases of
MainWindow. Every edit is written at once; the Edit menu undoes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QTabWidget

from egov_planner import __version__
from egov_planner.model import planning
from egov_planner.model.dates import british
from egov_planner.model.errors import PlanError
from egov_planner.model.records import LinkRecord
from egov_planner.model.rules import Flag
from egov_planner.model.store import PlanFileError
from egov_planner.ui.commands import (
    AddActionCommand,
    AddObjectiveCommand,
    DeleteActionCommand,
    DeleteObjectiveCommand,
    EditActionCommand,
    EditObjectiveCommand,
    EditPlanDetailsCommand,
)
from egov_planner.ui.document import PlanDocument, refusal_text
from egov_planner.ui.menus import WindowMenus
from egov_planner.ui.models.actions import FlagChoice, natural_key
from egov_planner.ui.plan_files import PlanFiles
from egov_planner.ui.prompts import Prompts
from egov_planner.ui.settings import AppSettings
from egov_planner.ui.shared_plan import plan_name, plan_place, where_of
from egov_planner.ui.theme import app_icon
from egov_planner.ui.views.bvpi import BvpiView
from egov_planner.ui.views.dashboard import DashboardView
from egov_planner.ui.views.externals import ExternalsView
from egov_planner.ui.views.people import PeopleView
from egov_planner.ui.views.plan_view import PlanView
from egov_planner.ui.views.report_details import ReportDetailsView
from egov_planner.ui.views.reports_view import ReportsView
from egov_planner.ui.views.timeline import TimelineView
from egov_planner.ui.widgets.editing import as_sentence
from egov_planner.ui.workers import TaskRunner

# The actions table's columns (order, widths, hidden); a new key since Due, Status and Forecast moved to the front.
ACTIONS_COLUMNS_KEY = "window/actionsColumns"
BACKUP_CHECK_MS = 5 * 60 * 1000  # every few minutes; the store backs up when changed and 30 minutes old
WATCH_MS = 2000  # a read-only viewer sees the editor's changes within a couple of seconds


def delete_question(ref: str, title: str, successors: list[LinkRecord]) -> str:
    """What a delete will take with it, named before it happens (Enter or Escape keeps the action)."""
    lines = [f"Delete {ref} “{title}”?"]
    waiting = sorted({link.successor_ref for link in successors}, key=natural_key)
    if waiting:
        names = waiting[0] if len(waiting) == 1 else ", ".join(waiting[:-1]) + f" and {waiting[-1]}"
        verb = "depends" if len(waiting) == 1 else "depend"
        links = "its link" if len(waiting) == 1 else "their links"
        lines.append(f"{names} {verb} on {ref}; {links} will be removed.")
    lines.append("Undo (Ctrl+Z) brings it back with its dependencies and history.")
    return "\n\n".join(lines)


class MainWindow(WindowMenus, PlanFiles):
    """One plan at a time: the officer's whole working day happens here."""

    plan_opened = Signal()

    def __init__(
        self,
        settings: AppSettings | None = None,
        prompts: Prompts | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.prompts = prompts or Prompts(self)
        self.today = today
        self.document: PlanDocument | None = None
        self.runner = TaskRunner(self)
        self.opening = False
        self.session_passwords = {}
        self.server_changed_at = None
        self.server_backup_at = None
        self.last_error = ""
        self.guide: QDialog | None = None
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.resize(1560, 940)

        self.plan_view = PlanView()
        self.dashboard = DashboardView()
        self.bvpi_view = BvpiView()
        self.externals_view = ExternalsView()
        self.people_view = PeopleView()
        self.report_view = ReportDetailsView()
        self.reports_view = ReportsView()
        self.timeline_view = TimelineView()
        self.timeline_view.follow(self.plan_view)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.plan_view, "Plan")
        self.tabs.addTab(self.dashboard, "Dashboard")
        self.tabs.addTab(self.bvpi_view, "BVPI 157")
        self.tabs.addTab(self.externals_view, "External dependencies")
        self.tabs.addTab(self.people_view, "People and departments")
        self.tabs.addTab(self.report_view, "Report details")
        self.tabs.addTab(self.reports_view, "Committee reports")
        self.tabs.addTab(self.timeline_view, "Timeline")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.views: list[Any] = [
            self.dashboard,
            self.bvpi_view,
            self.externals_view,
            self.people_view,
            self.report_view,
            self.reports_view,
            self.timeline_view,
        ]
        for view in [self.plan_view, *self.views]:
            view.status_message.connect(self.show_message)
        for view in (self.dashboard, self.externals_view, self.people_view, self.reports_view, self.timeline_view):
            view.open_action.connect(self.go_to_action)
        self.dashboard.show_flag.connect(self.show_flagged)
        self.plan_view.selection_changed.connect(self._update_actions)
        self.plan_view.tree.doubleClicked.connect(lambda _index: self.edit_objective())
        # Spreadsheet habits: double-click a cell to edit it, right-click a row for what can be done to it.
        self.plan_view.table.doubleClicked.connect(self.edit_cell)
        self.plan_view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.plan_view.table.customContextMenuRequested.connect(self.action_menu)
        self.context_menu: QMenu | None = None

        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        # Edit → Add action is greyed on a read-only plan, so its key would do nothing: this one says why.
        self.read_only_add_key = QShortcut(QKeySequence("Ctrl+Ins"), self)
        self.read_only_add_key.activated.connect(lambda: self.explain_read_only("add an action"))
        self.read_only_add_key.setEnabled(False)
        self._update_actions()
        self._update_status_date()

        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self.backup_timer.start()
        # Read-only: someone else is editing; their saved changes are shown as the file changes.
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_MS)
        self.watch_timer.timeout.connect(self.check_for_changes)
        self._watched: tuple[int, int] | None = None
        self._restore_layout()

    # --- settings -----------------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            if screen is not None:  # first run: most of the screen, centred
                area = screen.availableGeometry()
                # A laptop screen (1280×720) is all needed; a larger one keeps a margin round the window.
                small = area.width() < 1400
                width = area.width() if small else min(1600, int(area.width() * 0.94))
                height = area.height() if small else min(1000, int(area.height() * 0.92))
                self.resize(width, height)
                self.move(area.center() - self.rect().center())
        state = self.settings.bytes_value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.bytes_value("window/planSplitter")
        if splitter is not None:
            self.plan_view.splitter.restoreState(splitter)
        else:
            self.plan_view.fit_panels(self.width())
        header = self.settings.bytes_value(ACTIONS_COLUMNS_KEY)
        if header is not None:
            self.plan_view.table.restore_header(header)
        for name, view in (("bvpi", self.bvpi_view),):
            state = self.settings.bytes_value(f"window/{name}Splitter")
            if state is not None:
                view.splitter.restoreState(state)

    def _save_layout(self) -> None:
        self.settings.set_bytes_value("window/geometry", self.saveGeometry())
        self.settings.set_bytes_value("window/state", self.saveState())
        self.settings.set_bytes_value("window/planSplitter", self.plan_view.splitter.saveState())
        self.settings.set_bytes_value(ACTIONS_COLUMNS_KEY, self.plan_view.table.horizontalHeader().saveState())
        self.settings.set_bytes_value("window/bvpiSplitter", self.bvpi_view.splitter.saveState())
        self.settings.sync()

    # --- opening and closing --------------------------------------------------------------------------

    def idle(self) -> bool:
        """Nothing running in the background (tests wait for this)."""
        return not self.runner.busy and not self.opening

    def _show_document(self, document: PlanDocument) -> None:
        self.document = document
        document.refreshed.connect(self._refreshed)
        document.undo_failed.connect(self._undo_failed)
        # A shared plan: other officers' changes show as they are saved, said in the status bar.
        document.others_changed.connect(self.show_message)
        document.live_lost.connect(self.show_message)
        document.may_catch_up = self.idle
        stack = document.undo_stack
        stack.canUndoChanged.connect(self._update_actions)
        stack.canRedoChanged.connect(self._update_actions)
        stack.undoTextChanged.connect(self._update_actions)
        stack.redoTextChanged.connect(self._update_actions)
        stack.indexChanged.connect(self._update_actions)
        self.plan_view.set_document(document)
        for view in self.views:
            view.set_document(document)
        self._set_editable(not document.read_only)
        self.settings.add_recent_plan(where_of(document.store))  # a server plan's URL without any password
        self._update_title()
        self._update_status_date()
        self._update_actions()
        self.show_message(f"Opened {plan_name(document.store)}: {len(document.snapshot.actions):,} actions", 5000)
        # A file read-only beside its editor is watched for their saves; a server plan's are heard (not a file).
        if document.read_only and document.path is not None:
            self.prompts_read_only_note()
            self._watched = self._file_signature()
            self.watch_timer.start()
        else:
            if document.read_only:
                self.prompts_read_only_note()
            self.watch_timer.stop()
        self.plan_opened.emit()

    def prompts_read_only_note(self) -> None:
        document = self.document
        assert document is not None
        if document.path is None:  # a server plan: the banner beside says why, in the account's words
            self.show_message(f"{plan_name(document.store)} is open read-only: you can read it but not change it")
            return
        self.show_message(
            f"{plan_name(document.store)} is {document.read_only_message()}: you can read it but not change it"
        )

    def close_plan(self) -> None:
        document = self.document
        if document is None:
            return
        self.commit_pending_edit()
        self.watch_timer.stop()
        self.read_only_add_key.setEnabled(False)
        self.document = None
        self.server_changed_at = None  # a server plan's unbacked changes were this plan's
        self.server_backup_at = None
        with contextlib.suppress(RuntimeError, TypeError):
            document.refreshed.disconnect(self._refreshed)
        self.plan_view.set_document(None)
        for view in self.views:
            view.set_document(None)
        document.close()
        self._update_title()
        self._update_actions()

    def commit_pending_edit(self) -> None:
        """A field still being typed in is written before the window closes or another plan opens."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.commit_pending_edit()
        if self.runner.busy and not self.prompts.ask(
            "Work still running", "Something is still being done in the background. Quit anyway?", yes="Quit", no="Wait"
        ):
            event.ignore()
            return
        self._save_layout()
        self.runner.wait(10000)
        self.close_plan()
        event.accept()

    # --- refresh ------------------------------------------------------------------------------------------

    def _refreshed(self, _change: object) -> None:
        self.plan_view.refresh()
        for view in self.views:
            view.mark_stale()
        self._update_status_date()
        self._update_title()
        self._update_actions()

    def _tab_changed(self, _index: int) -> None:
        self._update_actions()

    def reload(self) -> None:
        if self.document is None:
            return
        try:
            self.document.reload()
        except PlanFileError as error:  # a server that went away: said; what is on screen stays to be read
            self.show_message(f"Not reloaded: {error}", 15000)

    def _file_signature(self) -> tuple[int, int] | None:
        """When the plan file was last written, and its size (each commit rewrites it: journal_mode DELETE)."""
        path = self.document.path if self.document is not None else None
        if path is None:  # no plan, or a plan on a server: nothing on this machine to watch
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size) if stat is not None else None

    def check_for_changes(self) -> None:
        """Read-only: when the editor has saved since the last look, read the plan again (the selection stays)."""
        document = self.document
        if document is None or document.path is None or not document.read_only or not self.idle():
            return
        signature = self._file_signature()
        if signature is None or signature == self._watched:
            return
        try:
            document.reload()
        except (PlanFileError, OSError):
            return  # the editor is writing just now: look again at the next tick
        self._watched = signature
        self.show_message(f"Updated: {plan_name(document.store)} was changed by its editor", 5000)

    def _set_editable(self, editable: bool) -> None:
        self.plan_view.set_editable(editable)
        for view in self.views:
            view.set_editable(editable)
        # Any viewer may look at the position as at another date; a read-only one's is not saved.
        self.status_date_edit.setReadOnly(self.document is None)
        self.today_button.setEnabled(self.document is not None)
        self.read_only_add_key.setEnabled(self.document is not None and self.document.read_only)
        self._update_read_only_label()

    def _update_read_only_label(self) -> None:
        document = self.document
        if document is None or not document.read_only:
            self.read_only_label.hide()
            return
        text = as_sentence(document.read_only_message())
        if document.viewing_date is not None:
            text += f" · viewing as at {british(document.viewing_date)} (not saved)"
        self.read_only_label.setText(text)
        self.read_only_label.show()

    def _update_title(self) -> None:
        document = self.document
        if document is None:
            self.setWindowTitle("egov-planner")
            self.plan_title.setText("No plan open")
            self.file_label.setText("")
            return
        details = document.snapshot.details
        name = plan_name(document.store)  # 'plan.egov', or 'improvement_plan on dbserver': never a password
        read_only = f" ({document.read_only_message()})" if document.read_only else ""
        authority = f" – {details.authority}" if details.authority else ""
        self.setWindowTitle(f"{name}{read_only}{authority} – egov-planner")
        self.plan_title.setText(details.title or name)
        self.plan_title.setToolTip(f"{details.title or name}\n{plan_place(document.store)}")
        self.file_label.setText(plan_place(document.store) if document.path is not None else name)
        self.file_label.setToolTip(plan_place(document.store))

    def _update_status_date(self) -> None:
        document = self.document
        if document is None:
            self.status_date_edit.set_value(None)
            self.position_label.setText("")
            self.today_button.hide()
            return
        self.status_date_field.clear_error()
        plan_date = document.viewing_date or document.snapshot.details.status_date
        self.status_date_edit.set_value(plan_date)
        self.status_date_edit.line.setPlaceholderText(f"today, {british(self.today())}")
        self.today_button.setVisible(plan_date is not None and plan_date != self.today())
        self._update_read_only_label()
        counts = document.assessment.counts_by_flag()
        parts = []
        for flag, colour in ((Flag.OVERDUE, "#C0392B"), (Flag.AT_RISK, "#B35900"), (Flag.DUE_SOON, "#2E5C8A")):
            parts.append(f"<span style='color:{colour}; font-weight:600'>{counts[flag]:,}</span> {flag.label.lower()}")
        self.position_label.setText(" · ".join(parts))
        self.position_label.setToolTip(f"As at {british(document.status_date)}")

    # --- messages -----------------------------------------------------------------------------------------

    def show_message(self, text: str, timeout: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout)

    def _undo_failed(self, message: str) -> None:
        self.last_error = message
        self.prompts.warn("Undo", message)
        self.show_message(message)

    def explain_read_only(self, what: str) -> None:
        """A key for an edit pressed on a read-only plan: say why nothing happens."""
        if self.document is not None and self.document.read_only:
            self.show_message(f"Cannot {what}: {plan_name(self.document.store)} is {self.document.read_only_message()}")

    def refuse(self, title: str, error: PlanError | str) -> None:
        """A refused edit that has no field to show it at (menu commands)."""
        text = refusal_text(error) if isinstance(error, PlanError) else error
        text = as_sentence(text)
        self.last_error = text
        self.show_message(f"Not saved: {text}")
        self.prompts.warn(title, text)

    # --- edits ------------------------------------------------------------------------------------------------

    def undo(self) -> None:
        if self.document is not None and self.document.undo_stack.canUndo() and not self.document.read_only:
            text = self.document.undo_stack.undoText()
            self.document.undo_stack.undo()
            self.show_message(f"Undone: {text}")

    def redo(self) -> None:
        if self.document is not None and self.document.undo_stack.canRedo() and not self.document.read_only:
            text = self.document.undo_stack.redoText()
            self.document.undo_stack.redo()
            self.show_message(f"Redone: {text}")

    def change_status_date(self, value: date | None) -> None:
        """Moving the status date is an edit of the plan (undoable); every colour follows at once."""
        document = self.document
        if document is None:
            return
        if document.read_only:
            self.view_at(value)
            return
        if document.snapshot.details.status_date == value:
            self._update_status_date()
            return
        error = document.execute(EditPlanDetailsCommand(document, {"status_date": value}))
        if error is not None:
            self.status_date_field.set_error(refusal_text(error))  # said in the status bar, with the border
            return
        self.status_date_field.clear_error()
        self.show_message(f"Position now as at {british(document.status_date)}")

    def view_at(self, value: date | None) -> None:
        """A read-only viewer looks at the position as at another date (empty: today); the plan is not written."""
        document = self.document
        assert document is not None
        when = value or self.today()
        document.view_at(None if when == document.status_date_of_plan() else when)
        self.status_date_field.clear_error()
        self.show_message(
            f"Looking at the position as at {british(document.status_date)}: not saved, "
            f"this plan is {document.read_only_message()}"
        )

    def focus_status_date(self) -> None:
        self.status_date_edit.line.setFocus()
        self.status_date_edit.line.selectAll()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.plan_view)
        self.plan_view.filter_bar.search.setFocus()
        self.plan_view.filter_bar.search.selectAll()

    def show_flagged(self, flag: FlagChoice) -> None:
        self.tabs.setCurrentWidget(self.plan_view)
        self.plan_view.show_flag(flag)

    def go_to_action(self, action_id: int) -> None:
        self.tabs.setCurrentWidget(self.plan_view)
        self.plan_view.select_action(action_id)
        self.plan_view.table.setFocus()

    def add_action(self) -> None:
        """A new action under the chosen objective, due a month after the status date; the title is ready to type."""
        document = self.document
        if document is None:
            return
        objective_id = self.plan_view.selected_objective_id()
        if objective_id is None:
            if not document.snapshot.objectives:
                self.refuse("Add action", "add an objective first (Edit → Add objective)")
                return
            objective_id = document.snapshot.objectives[0].id
        ref = planning.next_action_ref(document.snapshot, objective_id)
        due = planning.default_due_date(document.status_date)
        command = AddActionCommand(document, objective_id, ref, "New action", due)
        error = document.execute(command)
        if error is not None:
            self.refuse("Add action", error)
            return
        if command.new_id is not None:
            self.go_to_action(command.new_id)
            self.plan_view.detail.focus_title()

    def edit_cell(self, index: QModelIndex) -> None:
        """Double-click in the table: the field of that column, in the detail panel, ready to type."""
        if index.isValid():
            self.plan_view.table.setCurrentIndex(index)
            self.plan_view.edit_current()

    def action_menu(self, position: QPoint) -> None:
        """Right-click on an action: edit, add, add a dependency, mark complete, delete."""
        table = self.plan_view.table
        index = table.indexAt(position)
        if self.document is None:
            return
        if index.isValid():
            table.setCurrentIndex(index)
        editable = not self.document.read_only
        selected = self.plan_view.selected_action()
        menu = QMenu(self)
        menu.setAccessibleName("Action menu")
        column = table.model().headerData(index.column(), Qt.Orientation.Horizontal) if index.isValid() else None
        edit = menu.addAction(f"&Edit {str(column).lower()}" if column else "&Edit", self.plan_view.edit_current)
        edit.setEnabled(selected is not None)
        menu.addSeparator()
        menu.addAction("&Add action", self.add_action).setEnabled(editable)
        menu.addAction("Add &dependency…", self.add_dependency).setEnabled(editable and selected is not None)
        complete = menu.addAction("Mark &complete", self.mark_complete)
        complete.setEnabled(editable and selected is not None and selected.status != "complete")
        menu.addSeparator()
        menu.addAction("De&lete action…", self.delete_action).setEnabled(editable and selected is not None)
        self.context_menu = menu
        menu.popup(table.viewport().mapToGlobal(position))

    def add_dependency(self) -> None:
        """To the selected action's Dependencies tab, the cursor in the box that names what it waits on."""
        if self.plan_view.selected_action() is not None:
            self.plan_view.detail.focus_field("predecessor")

    def mark_complete(self) -> None:
        document, record = self.document, self.plan_view.selected_action()
        if document is None or record is None or record.status == "complete":
            return
        error = document.execute(EditActionCommand(document, record, {"status": "complete", "percent_complete": 100}))
        if error is not None:
            self.refuse("Mark complete", error)
            return
        self.show_message(f"{record.ref} marked complete (Undo takes it back)")

    def delete_action(self) -> None:
        document, record = self.document, self.plan_view.selected_action()
        if document is None or record is None:
            return
        if not self.prompts.ask(
            "Delete action",
            delete_question(record.ref, record.title, document.successors_of(record.id)),
            yes="&Delete",
            no="&Keep it",
            default_yes=False,
        ):
            self.show_message(f"Kept {record.ref}: nothing deleted")
            return
        row = self.plan_view.table.currentIndex().row()
        error = document.execute(DeleteActionCommand(document, record))
        if error is not None:
            self.refuse("Delete action", error)
            return
        self.show_message(f"Deleted {record.ref} (Undo brings it back with its dependencies and history)")
        next_id = self.plan_view.proxy.action_id_at(min(row, self.plan_view.proxy.rowCount() - 1))
        if next_id is not None:
            self.plan_view.select_action(next_id)
        self.plan_view.table.setFocus()  # back on the list, where Ctrl+Z or the next delete is pressed

    def add_objective(self) -> None:
        document = self.document
        if document is None:
            return
        from egov_planner.ui.views.objective_dialog import ObjectiveDialog

        suggested = planning.next_objective_ref(document.snapshot)
        dialog = ObjectiveDialog(document, None, suggested, self)
        values = self.exec_objective_dialog(dialog)
        if values is None:
            return
        ref = values.pop("ref")
        title = values.pop("title")
        error = document.execute(AddObjectiveCommand(document, ref, title, **values))
        if error is not None:
            self.refuse("Add objective", error)

    def exec_objective_dialog(self, dialog: Any) -> dict[str, Any] | None:
        """Tests replace this to fill the dialog without a modal loop."""
        return dialog.values() if dialog.exec() else None

    def edit_objective(self) -> None:
        document, objective = self.document, self.plan_view.selected_objective()
        if document is None or objective is None:
            return
        from egov_planner.ui.views.objective_dialog import ObjectiveDialog

        dialog = ObjectiveDialog(document, objective, objective.ref, self)
        values = self.exec_objective_dialog(dialog)
        if values is None:
            return
        before = {
            "ref": objective.ref,
            "title": objective.title,
            "description": objective.description,
            "lead": objective.lead,
            "exempt_paragraph": objective.exempt_paragraph,
        }
        after = {k: v for k, v in values.items() if before.get(k) != v}
        if not after:
            return
        error = document.execute(
            EditObjectiveCommand(document, objective.id, objective.ref, {k: before[k] for k in after}, after)
        )
        if error is not None:
            self.refuse("Edit objective", error)

    def delete_objective(self) -> None:
        document, objective = self.document, self.plan_view.selected_objective()
        if document is None or objective is None:
            return
        error = document.execute(DeleteObjectiveCommand(document, objective.id, objective.ref))
        if error is not None:
            self.refuse("Delete objective", error)

    # --- report pack ------------------------------------------------------------------------------------------

    def build_pack(self) -> None:
        document = self.document
        if document is None:
            return
        from egov_planner.ui.views.build_pack_dialog import BuildPackDialog

        dialog = BuildPackDialog(document, self.runner, self.prompts, self, folder=self._folder())
        self.exec_build_dialog(dialog)

    def record_report(self) -> None:
        self.tabs.setCurrentWidget(self.reports_view)
        self.reports_view.record_report()

    def compare_with(self) -> None:
        """The Committee reports tab, with the cursor in its 'Compare with' choice."""
        self.tabs.setCurrentWidget(self.reports_view)
        self.reports_view.compare_combo.setFocus()

    def exec_build_dialog(self, dialog: Any) -> None:
        """Tests replace this to drive the dialog without a modal loop."""
        dialog.exec()

    # --- help ---------------------------------------------------------------------------------------------------

    def user_guide(self) -> None:
        """Help → User guide (F1): a short guide for officers, in a window beside the plan."""
        from egov_planner.ui.views.guide import GuideDialog

        if self.guide is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def about(self) -> None:
        if self.document is None:
            kept = "Plan file: no plan open"
        elif self.document.path is None:
            kept = f"Shared plan: {plan_name(self.document.store)} ({plan_place(self.document.store)})"
        else:
            kept = f"Plan file: {plan_place(self.document.store)}"
        self.prompts.inform(
            "About egov-planner",
            f"egov-planner {__version__}\n\n"
            "Keeps a council's Best Value improvement plan: objectives, actions, owners, deadlines and "
            "dependencies; shows what is overdue or at risk; tracks BVPI 157; prints report packs.\n\n"
            f"{kept}\n"
            f"Python {sys.version.split()[0]}, Qt {self._qt_version()}",
        )

    @staticmethod
    def _qt_version() -> str:
        from PySide6 import QtCore

        return str(QtCore.qVersion())

    def open_pdf(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def layout_state(self) -> QByteArray:
        return self.saveState()
