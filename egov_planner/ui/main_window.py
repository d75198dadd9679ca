"""The main window: menus, the status-date toolbar, the plan and the views beside it.

Opening a plan: the file is checked and locked here (so the officer can be
asked about a stale lock or a damaged file), then read on a worker thread;
the window never freezes. Every edit is written at once; the Edit menu undoes.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressDialog,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from egov_planner import __version__
from egov_planner.interchange.demo import write_demo
from egov_planner.model.dates import british
from egov_planner.model.errors import PlanError
from egov_planner.model.rules import Flag
from egov_planner.model.store import (
    DamagedPlan,
    NewerSchema,
    NotAPlan,
    PlanFileError,
    PlanInUse,
    PlanStore,
    create_plan,
    open_plan,
)
from egov_planner.model.store.backups import backup_plan, newest_good_backup, restore_plan, save_copy
from egov_planner.ui.commands import (
    AddActionCommand,
    AddObjectiveCommand,
    DeleteActionCommand,
    DeleteObjectiveCommand,
    EditObjectiveCommand,
    EditPlanDetailsCommand,
)
from egov_planner.ui.document import PlanDocument, PlanState, read_plan
from egov_planner.ui.models.actions import FlagChoice
from egov_planner.ui.prompts import Prompts
from egov_planner.ui.settings import AppSettings
from egov_planner.ui.theme import app_icon
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.views.bvpi import BvpiView
from egov_planner.ui.views.dashboard import DashboardView
from egov_planner.ui.views.externals import ExternalsView
from egov_planner.ui.views.people import PeopleView
from egov_planner.ui.views.plan_view import PlanView
from egov_planner.ui.views.report_details import ReportDetailsView
from egov_planner.ui.widgets.fields import DateField, Field
from egov_planner.ui.workers import TaskRunner

BACKUP_CHECK_MS = 5 * 60 * 1000  # every few minutes; the store backs up when changed and 30 minutes old
PLAN_FILTER = "egov-planner plans (*.egov);;All files (*)"
CSV_FILTER = "CSV files (*.csv)"


def demo_path() -> Path:
    """The demo copy `make run` / `--demo` opens: in the user's data folder."""
    from egov_planner.app import user_data_dir

    return user_data_dir() / "demo.egov"


def ensure_demo(path: Path) -> Path:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_demo(path)
    return path


class MainWindow(QMainWindow):
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
        self.last_error = ""
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.resize(1560, 940)

        self.plan_view = PlanView()
        self.dashboard = DashboardView()
        self.bvpi_view = BvpiView()
        self.externals_view = ExternalsView()
        self.people_view = PeopleView()
        self.report_view = ReportDetailsView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.plan_view, "Plan")
        self.tabs.addTab(self.dashboard, "Dashboard")
        self.tabs.addTab(self.bvpi_view, "BVPI 157")
        self.tabs.addTab(self.externals_view, "External dependencies")
        self.tabs.addTab(self.people_view, "People and departments")
        self.tabs.addTab(self.report_view, "Report details")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.views: list[Any] = [
            self.dashboard,
            self.bvpi_view,
            self.externals_view,
            self.people_view,
            self.report_view,
        ]
        for view in [self.plan_view, *self.views]:
            view.status_message.connect(self.show_message)
        for view in (self.dashboard, self.externals_view, self.people_view):
            view.open_action.connect(self.go_to_action)
        self.dashboard.show_flag.connect(self.show_flagged)
        self.plan_view.selection_changed.connect(self._update_actions)
        self.plan_view.tree.doubleClicked.connect(lambda _index: self.edit_objective())

        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self._update_actions()
        self._update_status_date()

        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self.backup_timer.start()
        self._restore_layout()

    # --- building -----------------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Status date")
        bar.setObjectName("statusDateBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self.plan_title = QLabel("")
        self.plan_title.setObjectName("panelTitle")
        self.plan_title.setAccessibleName("Plan")
        layout.addWidget(self.plan_title)
        layout.addStretch(1)
        label = QLabel("Status date (position as at):")
        self.status_date_edit = DateField(allow_empty=True, accessible_name="Status date")
        self.status_date_edit.setToolTip(
            "The date the plan's position is reported 'as at'. Empty: today. Every colour, flag and count follows it."
        )
        self.status_date_edit.setFixedWidth(150)
        label.setBuddy(self.status_date_edit.line)
        self.status_date_field = Field(self.status_date_edit)
        self.status_date_edit.committed.connect(self.change_status_date)
        self.today_button = QToolButton()
        self.today_button.setText("Use today")
        self.today_button.setToolTip("Report the position as at today (clear the plan's status date)")
        self.today_button.setAccessibleName("Use today as the status date")
        self.today_button.clicked.connect(lambda: self.change_status_date(None))
        self.position_label = QLabel("")
        self.position_label.setAccessibleName("Position")
        self.position_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.position_label)
        layout.addSpacing(16)
        layout.addWidget(label)
        layout.addWidget(self.status_date_field)
        layout.addWidget(self.today_button)
        bar.addWidget(box)
        box.setSizePolicy(box.sizePolicy().horizontalPolicy().Expanding, box.sizePolicy().verticalPolicy())

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New plan…", self.new_plan, QKeySequence.StandardKey.New, "Create an empty plan file")
        self._action(file_menu, "&Open…", self.choose_and_open, QKeySequence.StandardKey.Open, "Open a plan file")
        self._action(file_menu, "Open the &demo plan", self.open_demo, None, "Leicester's 2004 e-Government review")
        self.recent_menu = file_menu.addMenu("&Recent plans")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.save_copy_action = self._action(
            file_menu,
            "Save a &copy as…",
            self.save_copy_as,
            QKeySequence.StandardKey.SaveAs,
            "A consistent copy of the plan",
        )
        file_menu.addSeparator()
        self.import_action = self._action(
            file_menu, "&Import CSV…", self.import_csv, "Ctrl+I", "Add or update actions or services from a CSV file"
        )
        self.export_actions_action = self._action(
            file_menu, "&Export actions CSV…", lambda: self.export_csv("actions"), "Ctrl+E"
        )
        self.export_services_action = self._action(
            file_menu, "Export &services CSV…", lambda: self.export_csv("services")
        )
        file_menu.addSeparator()
        self.restore_action = self._action(
            file_menu,
            "Restore from &backup…",
            self.restore_from_backup,
            None,
            "Bring back an earlier copy of this plan",
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)])
        self.redo_action.triggered.connect(self.redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.add_action_action = self._action(
            edit_menu, "&Add action", self.add_action, "Ctrl+Ins", "Add an action to the chosen objective"
        )
        self.delete_action_action = self._action(
            edit_menu,
            "&Delete action",
            self.delete_action,
            "Ctrl+Del",
            "Delete the selected action (undo brings it back)",
        )
        edit_menu.addSeparator()
        self.add_objective_action = self._action(edit_menu, "Add &objective…", self.add_objective)
        self.edit_objective_action = self._action(edit_menu, "Ed&it objective…", self.edit_objective)
        self.delete_objective_action = self._action(edit_menu, "Delete o&bjective", self.delete_objective)
        edit_menu.addSeparator()
        self.find_action = self._action(edit_menu, "&Find actions", self.focus_search, QKeySequence.StandardKey.Find)

        view_menu = bar.addMenu("&View")
        names = [
            "&Plan",
            "&Dashboard",
            "&BVPI 157",
            "&External dependencies",
            "P&eople and departments",
            "&Report details",
        ]
        for number, name in enumerate(names):
            self._action(view_menu, name, partial(self.tabs.setCurrentIndex, number), f"Ctrl+{number + 1}")
        view_menu.addSeparator()
        self._action(view_menu, "&Overdue actions", lambda: self.show_flagged(FlagChoice.OVERDUE))
        self._action(view_menu, "At &risk actions", lambda: self.show_flagged(FlagChoice.AT_RISK))
        self._action(view_menu, "Due &soon actions", lambda: self.show_flagged(FlagChoice.DUE_SOON))
        self._action(view_menu, "&All actions", lambda: self.show_flagged(FlagChoice.ALL))
        view_menu.addSeparator()
        self._action(
            view_menu,
            "Status da&te",
            self.focus_status_date,
            "Ctrl+T",
            "Change the date the position is reported as at",
        )
        self._action(view_menu, "Re&load the plan", self.reload, QKeySequence.StandardKey.Refresh)

        report_menu = bar.addMenu("&Report")
        self.build_pack_action = self._action(
            report_menu,
            "&Build pack…",
            self.build_pack,
            QKeySequence.StandardKey.Print,
            "Build the cabinet report pack (PDF)",
        )

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About egov-planner", self.about)
        self.addActions([self.undo_action, self.redo_action])

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.read_only_label = QLabel("")
        self.read_only_label.setObjectName("readOnlyBanner")
        self.read_only_label.setAccessibleName("Read-only")
        self.read_only_label.hide()
        status.addPermanentWidget(self.read_only_label)
        self.file_label = QLabel("")
        self.file_label.setObjectName("muted")
        status.addPermanentWidget(self.file_label)

    # --- settings -----------------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            if screen is not None:  # first run: most of the screen, centred
                area = screen.availableGeometry()
                self.resize(min(1600, int(area.width() * 0.94)), min(1000, int(area.height() * 0.92)))
                self.move(area.center() - self.rect().center())
        state = self.settings.bytes_value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.bytes_value("window/planSplitter")
        if splitter is not None:
            self.plan_view.splitter.restoreState(splitter)
        header = self.settings.bytes_value("window/actionsHeader")
        if header is not None:
            self.plan_view.table.horizontalHeader().restoreState(header)
        for name, view in (("bvpi", self.bvpi_view),):
            state = self.settings.bytes_value(f"window/{name}Splitter")
            if state is not None:
                view.splitter.restoreState(state)

    def _save_layout(self) -> None:
        self.settings.set_bytes_value("window/geometry", self.saveGeometry())
        self.settings.set_bytes_value("window/state", self.saveState())
        self.settings.set_bytes_value("window/planSplitter", self.plan_view.splitter.saveState())
        self.settings.set_bytes_value("window/actionsHeader", self.plan_view.table.horizontalHeader().saveState())
        self.settings.set_bytes_value("window/bvpiSplitter", self.bvpi_view.splitter.saveState())
        self.settings.sync()

    # --- opening and closing --------------------------------------------------------------------------

    def idle(self) -> bool:
        """Nothing running in the background (tests wait for this)."""
        return not self.runner.busy and not self.opening

    def _open_store(self, path: Path) -> PlanStore | None:
        """Lock and check the file, asking the officer what to do about a stale lock or damage."""
        try:
            return open_plan(path)
        except PlanInUse as busy:
            holder = busy.holder
            if holder.is_stale() and self.prompts.ask(
                "Plan left open",
                f"{path.name} was left open by {holder.describe()}, and that program seems to have stopped "
                "(it may have crashed).\n\nTake the plan over and edit it here?",
                yes="Take it over",
                no="Open read-only",
            ):
                try:
                    return open_plan(path, take_over_stale_lock=True)
                except PlanInUse as again:
                    self.prompts.warn("Plan in use", str(again))
            try:
                return open_plan(path, allow_read_only_fallback=True)
            except PlanFileError as error:
                self.prompts.warn("Cannot open the plan", str(error))
                return None
        except (DamagedPlan, NotAPlan) as damaged:
            # A damaged plan, or a plan file emptied or overwritten by something else:
            # when it has backups, offer the newest good one.
            backup = newest_good_backup(path)
            if backup is None:
                extra = "There is no good backup of it to restore." if isinstance(damaged, DamagedPlan) else ""
                self.prompts.warn("Cannot open the plan", f"{damaged}\n\n{extra}".strip())
                return None
            if not self.prompts.ask(
                "Plan damaged",
                f"{damaged}\n\nThe newest good backup was taken on {backup.label}. Restore it?\n"
                "The damaged file is kept beside it, renamed to end in .damaged (never deleted).",
                yes="Restore the backup",
                no="Cancel",
            ):
                return None
            try:
                result = restore_plan(path, backup.path)
                kept = (
                    f" The damaged file is kept as {result.previous_saved_as.name}." if result.previous_saved_as else ""
                )
                self.prompts.inform(
                    "Plan restored", f"{path.name} was restored from the backup of {backup.label}.{kept}"
                )
                return open_plan(path)
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
        self.opening = True
        self.show_message(f"Opening {path.name}…")
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
            if not store.read_only:
                self._backup_on_open(store)

        def failed(error: BaseException) -> None:
            QApplication.restoreOverrideCursor()
            self.opening = False
            store.close()
            self.prompts.warn("Cannot open the plan", f"{path.name}: {error}")
            self._update_title()

        self.runner.start(work, done, failed)
        return True

    def _show_document(self, document: PlanDocument) -> None:
        self.document = document
        document.refreshed.connect(self._refreshed)
        document.undo_failed.connect(self._undo_failed)
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
        self.settings.add_recent_plan(document.path)
        self._update_title()
        self._update_status_date()
        self._update_actions()
        self.show_message(f"Opened {document.path.name}: {len(document.snapshot.actions):,} actions", 5000)
        if document.read_only:
            self.prompts_read_only_note()
        self.plan_opened.emit()

    def prompts_read_only_note(self) -> None:
        assert self.document is not None
        self.show_message(
            f"{self.document.path.name} is {self.document.read_only_message()}: you can read it but not change it"
        )

    def close_plan(self) -> None:
        document = self.document
        if document is None:
            return
        self.commit_pending_edit()
        self.document = None
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
        if self.document is not None:
            self.document.reload()

    def _set_editable(self, editable: bool) -> None:
        self.plan_view.set_editable(editable)
        for view in self.views:
            view.set_editable(editable)
        self.status_date_edit.setReadOnly(not editable)
        self.today_button.setEnabled(editable)
        if self.document is not None and self.document.read_only:
            self.read_only_label.setText(self.document.read_only_message().capitalize())
            self.read_only_label.show()
        else:
            self.read_only_label.hide()

    def _update_title(self) -> None:
        document = self.document
        if document is None:
            self.setWindowTitle("egov-planner")
            self.plan_title.setText("No plan open")
            self.file_label.setText("")
            return
        details = document.snapshot.details
        name = document.path.name
        read_only = f" ({document.read_only_message()})" if document.read_only else ""
        authority = f" – {details.authority}" if details.authority else ""
        self.setWindowTitle(f"{name}{read_only}{authority} – egov-planner")
        self.plan_title.setText(details.title or name)
        self.plan_title.setToolTip(str(document.path))
        self.file_label.setText(str(document.path))

    def _update_status_date(self) -> None:
        document = self.document
        if document is None:
            self.status_date_edit.set_value(None)
            self.position_label.setText("")
            self.today_button.hide()
            return
        self.status_date_field.clear_error()
        plan_date = document.snapshot.details.status_date
        self.status_date_edit.set_value(plan_date)
        self.status_date_edit.line.setPlaceholderText(f"today, {british(self.today())}")
        self.today_button.setVisible(plan_date is not None)
        counts = document.assessment.counts_by_flag()
        parts = []
        for flag, colour in ((Flag.OVERDUE, "#C0392B"), (Flag.AT_RISK, "#B35900"), (Flag.DUE_SOON, "#2E5C8A")):
            parts.append(f"<span style='color:{colour}; font-weight:600'>{counts[flag]:,}</span> {flag.label.lower()}")
        self.position_label.setText(" · ".join(parts))
        self.position_label.setToolTip(f"As at {british(document.status_date)}")

    def _update_actions(self, *_args: object) -> None:
        document = self.document
        has_plan = document is not None
        editable = has_plan and not document.read_only  # type: ignore[union-attr]
        stack = document.undo_stack if document is not None else None
        can_undo = bool(stack and stack.canUndo())
        can_redo = bool(stack and stack.canRedo())
        self.undo_action.setEnabled(can_undo and editable)
        self.redo_action.setEnabled(can_redo and editable)
        self.undo_action.setText(f"&Undo {stack.undoText()}" if can_undo and stack else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}" if can_redo and stack else "&Redo")
        for action in (self.add_action_action, self.add_objective_action, self.import_action):
            action.setEnabled(editable)
        selected = self.plan_view.selected_action_id() if has_plan else None
        self.delete_action_action.setEnabled(editable and selected is not None)
        objective = self.plan_view.selected_objective_id() if has_plan else None
        self.edit_objective_action.setEnabled(editable and objective is not None)
        self.delete_objective_action.setEnabled(editable and objective is not None)
        for action in (
            self.save_copy_action,
            self.export_actions_action,
            self.export_services_action,
            self.build_pack_action,
        ):
            action.setEnabled(has_plan)
        self.restore_action.setEnabled(has_plan and editable)

    # --- messages -----------------------------------------------------------------------------------------

    def show_message(self, text: str, timeout: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout)

    def _undo_failed(self, message: str) -> None:
        self.last_error = message
        self.prompts.warn("Undo", message)
        self.show_message(message)

    def refuse(self, title: str, error: PlanError | str) -> None:
        """A refused edit that has no field to show it at (menu commands)."""
        text = refusal_text(error) if isinstance(error, PlanError) else error
        text = text[0].upper() + text[1:] if text else text
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
        if document.snapshot.details.status_date == value:
            self._update_status_date()
            return
        error = document.execute(EditPlanDetailsCommand(document, {"status_date": value}))
        if error is not None:
            self.status_date_field.set_error(refusal_text(error))
            self.show_message(f"Not saved: {refusal_text(error)}")
            return
        self.status_date_field.clear_error()
        self.show_message(f"Position now as at {british(document.status_date)}")

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

    def _next_action_ref(self, objective_id: int) -> str:
        assert self.document is not None
        objective = self.document.objective(objective_id)
        refs = {a.ref for a in self.document.snapshot.actions}
        stem = objective.ref.lstrip("Oo") if objective else ""
        stem = stem if stem.isdigit() else str(objective_id)
        number = sum(1 for a in self.document.snapshot.actions if a.objective_id == objective_id) + 1
        while f"A{stem}.{number}" in refs:
            number += 1
        return f"A{stem}.{number}"

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
        ref = self._next_action_ref(objective_id)
        due = document.status_date.replace(day=min(document.status_date.day, 28))
        due = date(due.year + (due.month // 12), due.month % 12 + 1, due.day)
        command = AddActionCommand(document, objective_id, ref, "New action", due)
        error = document.execute(command)
        if error is not None:
            self.refuse("Add action", error)
            return
        if command.action_id is not None:
            self.go_to_action(command.action_id)
            self.plan_view.detail.focus_title()

    def delete_action(self) -> None:
        document = self.document
        action_id = self.plan_view.selected_action_id()
        if document is None or action_id is None:
            return
        record = document.action(action_id)
        if record is None:
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

    def add_objective(self) -> None:
        document = self.document
        if document is None:
            return
        from egov_planner.ui.views.objective_dialog import ObjectiveDialog

        numbers = [int(o.ref[1:]) for o in document.snapshot.objectives if o.ref[1:].isdigit()]
        suggested = f"O{max(numbers, default=0) + 1}"
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
        document = self.document
        objective_id = self.plan_view.selected_objective_id()
        if document is None or objective_id is None:
            return
        objective = document.objective(objective_id)
        if objective is None:
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
        document = self.document
        objective_id = self.plan_view.selected_objective_id()
        if document is None or objective_id is None:
            return
        objective = document.objective(objective_id)
        if objective is None:
            return
        error = document.execute(DeleteObjectiveCommand(document, objective.id, objective.ref))
        if error is not None:
            self.refuse("Delete objective", error)

    # --- files ------------------------------------------------------------------------------------------------

    def _folder(self) -> Path:
        return self.document.path.parent if self.document else Path.home()

    def new_plan(self) -> None:
        target = self.prompts.save_file("New plan", self._folder() / "improvement plan.egov", PLAN_FILTER)
        if target is None:
            return
        if target.suffix.lower() != ".egov":
            target = target.with_name(target.name + ".egov")
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
        recent = [p for p in self.settings.recent_plans() if p.exists()]
        if not recent:
            empty = self.recent_menu.addAction("(none yet)")
            empty.setEnabled(False)
            return
        for number, path in enumerate(recent, start=1):
            label = f"&{number} {path.name}" if number < 10 else path.name
            action = self.recent_menu.addAction(label)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_plan_file(p))

    def save_copy_as(self) -> None:
        document = self.document
        if document is None:
            return
        suggested = document.path.with_name(f"{document.path.stem} copy {date.today():%Y-%m-%d}.egov")
        target = self.prompts.save_file("Save a copy as", suggested, PLAN_FILTER)
        if target is None:
            return
        if target.suffix.lower() != ".egov":
            target = target.with_name(target.name + ".egov")
        source = document.path
        self.runner.start(
            lambda _report: save_copy(source, target),
            lambda path: self.show_message(f"Saved a copy as {path}"),
            lambda error: self.prompts.warn("Save a copy", str(error)),
        )

    def import_csv(self) -> None:
        document = self.document
        if document is None or document.read_only:
            return
        chosen = self.prompts.open_file("Import a CSV file", self._folder(), CSV_FILTER)
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
        path = document.path
        progress = self._busy_dialog(f"Importing {chosen.name}…")

        def work(_report: Callable[[Any], None]) -> Any:
            backup_plan(path, reason="before import")
            return import_file(service, chosen)

        def done(result: Any) -> None:
            progress.close()
            # Earlier edits may touch what the import changed: undoing them now could undo the import.
            if self.document is not None:
                self.document.undo_stack.clear()
            self.show_message(f"Imported {chosen.name}: {result.summary.describe()}", 10000)
            self.prompts.inform(
                "Import",
                f"Imported {result.kind} from {chosen.name}: {result.summary.describe()}.\n\n"
                "An import cannot be undone; a backup was taken just before it (File → Restore from backup).",
            )

        def failed(error: BaseException) -> None:
            progress.close()
            self.refuse("Import refused", f"{error}. Nothing was imported.")

        self.runner.start(work, done, failed)

    def export_csv(self, what: str) -> None:
        document = self.document
        if document is None:
            return
        suggested = self._folder() / f"{document.path.stem} {what}.csv"
        target = self.prompts.save_file(f"Export {what}", suggested, CSV_FILTER)
        if target is None:
            return
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        from egov_planner.interchange import export_file

        service = document.service
        self.runner.start(
            lambda _report: export_file(service, target, what),
            lambda count: self.show_message(f"Exported {count:,} {what} rows to {target}", 10000),
            lambda error: self.prompts.warn("Export", str(error)),
        )

    def restore_from_backup(self) -> None:
        document = self.document
        if document is None:
            return
        from egov_planner.ui.views.restore_dialog import RestoreBackupDialog

        dialog = RestoreBackupDialog(document.path, self)
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
        if document is None:
            return
        path = document.path
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

        def work(_report: Callable[[Any], None]) -> Path:
            target = backup_plan(store.path, reason="on open")
            store.last_backup_at = datetime.now()
            return target

        self.runner.start(work, None, lambda error: self.show_message(f"Backup on opening failed: {error}"))

    def backup_if_due(self) -> None:
        """Every few minutes, off the UI thread: the store backs up when the plan changed and 30 minutes passed."""
        document = self.document
        if document is None or document.read_only:
            return
        store = document.store

        def done(target: Path | None) -> None:
            if target is not None:
                self.show_message(f"Backed up at {datetime.now():%H:%M} ({target.name})", 5000)

        self.runner.start(
            lambda _report: store.backup_if_due(), done, lambda error: self.show_message(f"Backup failed: {error}")
        )

    def _busy_dialog(self, text: str) -> QProgressDialog:
        dialog = QProgressDialog(text, "", 0, 0, self)
        dialog.setWindowTitle("egov-planner")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        return dialog

    # --- report pack ------------------------------------------------------------------------------------------

    def build_pack(self) -> None:
        document = self.document
        if document is None:
            return
        from egov_planner.ui.views.build_pack_dialog import BuildPackDialog

        dialog = BuildPackDialog(document, self.runner, self.prompts, self)
        self.exec_build_dialog(dialog)

    def exec_build_dialog(self, dialog: Any) -> None:
        """Tests replace this to drive the dialog without a modal loop."""
        dialog.exec()

    # --- help ---------------------------------------------------------------------------------------------------

    def about(self) -> None:
        location = str(self.document.path) if self.document else "no plan open"
        self.prompts.inform(
            "About egov-planner",
            f"egov-planner {__version__}\n\n"
            "Keeps a council's Best Value improvement plan: objectives, actions, owners, deadlines and "
            "dependencies; shows what is overdue or at risk; tracks BVPI 157; prints report packs.\n\n"
            f"Plan file: {location}\n"
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
