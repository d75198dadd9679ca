"""The main window's menus, status-date toolbar and status bar, and which menu items are enabled.

A base of MainWindow (ui/main_window.py): the items call the window's own methods,
so the keyboard shortcuts and the tests reach the same code as a click.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from egov_planner.ui.models.actions import FlagChoice
from egov_planner.ui.widgets.fields import DateField, Field
from egov_planner.ui.widgets.messages import ElidedLabel

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument
    from egov_planner.ui.views.plan_view import PlanView


def redo_shortcuts(platform: list[QKeySequence] | None = None) -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y on every platform, then the platform's own Redo keys, each once.

    A key set twice on one action is "ambiguous" to Qt and does nothing (Linux's Redo is Ctrl+Shift+Z).
    """
    if platform is None:
        platform = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    keys: list[QKeySequence] = []
    for key in [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"), *platform]:
        if key not in keys:
            keys.append(key)
    return keys


class WindowMenus(QMainWindow):
    """Builds the toolbar, menus and status bar; keeps each item enabled only when it can act."""

    document: PlanDocument | None
    plan_view: PlanView
    tabs: QTabWidget

    if TYPE_CHECKING:  # MainWindow's own, called from the menus

        def change_status_date(self, value: date | None) -> None: ...
        def new_plan(self) -> None: ...
        def choose_and_open(self) -> None: ...
        def choose_shared_plan(self) -> None: ...
        def open_demo(self) -> None: ...
        def _fill_recent(self) -> None: ...
        def save_copy_as(self) -> None: ...
        def import_csv(self) -> None: ...
        def export_csv(self, what: str) -> None: ...
        def write_owner_returns(self) -> None: ...
        def export_as(self, suffix: str) -> None: ...
        def restore_from_backup(self) -> None: ...
        def undo(self) -> None: ...
        def redo(self) -> None: ...
        def add_action(self) -> None: ...
        def delete_action(self) -> None: ...
        def add_objective(self) -> None: ...
        def edit_objective(self) -> None: ...
        def delete_objective(self) -> None: ...
        def focus_search(self) -> None: ...
        def show_flagged(self, flag: FlagChoice) -> None: ...
        def focus_status_date(self) -> None: ...
        def show_message(self, text: str, timeout: int = 8000) -> None: ...
        def reload(self) -> None: ...
        def build_pack(self) -> None: ...
        def record_report(self) -> None: ...
        def compare_with(self) -> None: ...
        def about(self) -> None: ...
        def user_guide(self) -> None: ...

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
        self.plan_title = ElidedLabel("", minimum_width=140)  # a long title is cut with "…", never the date box
        self.plan_title.setObjectName("panelTitle")
        self.plan_title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.plan_title.setAccessibleName("Plan")
        layout.addWidget(self.plan_title, 1)
        label = QLabel("Status date (position as at):")
        self.status_date_edit = DateField(allow_empty=True, accessible_name="Status date")
        self.status_date_edit.setToolTip(
            "The date the plan's position is reported 'as at'. Empty: today. Every colour, flag and count follows it."
        )
        # Room for the empty box's "today, 30/09/2004" beside the calendar button, in this font.
        today_width = self.status_date_edit.line.fontMetrics().horizontalAdvance("today, 30/09/2004")
        self.status_date_edit.setFixedWidth(max(150, today_width + 70))
        label.setBuddy(self.status_date_edit.line)
        # No line under the box: a refusal there made the toolbar taller and moved the table down.
        self.status_date_field = Field(self.status_date_edit, below=False)
        self.status_date_field.shown.connect(lambda text: self.show_message(f"Status date not changed: {text}"))
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
        file_menu.setToolTipsVisible(True)  # a greyed item's tooltip says why (Restore on a shared plan)
        self._action(file_menu, "&New plan…", self.new_plan, QKeySequence.StandardKey.New, "Create an empty plan file")
        self._action(file_menu, "&Open…", self.choose_and_open, QKeySequence.StandardKey.Open, "Open a plan file")
        self._action(
            file_menu,
            "Open s&hared plan…",
            self.choose_shared_plan,
            "Ctrl+Shift+O",
            "Open a plan kept on the council's PostgreSQL server, which several officers edit at once",
        )
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
            file_menu,
            "&Import…",
            self.import_csv,
            "Ctrl+I",
            "Add or update actions or services from a CSV, workbook, MS Project XML or GanttProject file,"
            " or import an owner's return",
        )
        self.export_actions_action = self._action(
            file_menu, "&Export actions (CSV or workbook)…", lambda: self.export_csv("actions"), "Ctrl+E"
        )
        self.export_services_action = self._action(
            file_menu, "Export &services CSV…", lambda: self.export_csv("services")
        )
        self.export_project_action = self._action(
            file_menu, "Export to MS &Project (XML)…", lambda: self.export_as(".xml"), None,
            "Objectives, actions, owners, links and external dependencies for MS Project or ProjectLibre",
        )
        self.export_calendar_action = self._action(
            file_menu, "Export dead&lines calendar (.ics)…", lambda: self.export_as(".ics"), None,
            "Open actions' target dates and the report's meetings, for Outlook",
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
        self.redo_action.setShortcuts(redo_shortcuts())
        self.redo_action.triggered.connect(self.redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.add_action_action = self._action(
            edit_menu, "&Add action", self.add_action, "Ctrl+Ins", "Add an action to the chosen objective"
        )
        self.delete_action_action = self._action(
            edit_menu,
            "&Delete action…",
            self.delete_action,
            "Ctrl+Del",
            "Delete the selected action, after asking (undo brings it back)",
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
            "E&xternal dependencies",
            "P&eople and departments",
            "&Report details",
            "&Committee reports",
            "T&imeline",
        ]
        for number, name in enumerate(names):
            self._action(view_menu, name, partial(self.tabs.setCurrentIndex, number), f"Ctrl+{number + 1}")
        view_menu.addSeparator()
        self._action(view_menu, "&Overdue actions", lambda: self.show_flagged(FlagChoice.OVERDUE))
        self._action(view_menu, "At ris&k actions", lambda: self.show_flagged(FlagChoice.AT_RISK))
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
        self.owner_returns_action = self._action(
            report_menu,
            "&Owners' returns…",
            self.write_owner_returns,
            None,
            "One workbook per owner of open actions, to fill in and send back (import it with File → Import…)",
        )
        report_menu.addSeparator()
        self.record_report_action = self._action(
            report_menu, "&Record report…", self.record_report, None, "Keep the plan as reported (cannot be undone)"
        )
        self.compare_action = self._action(
            report_menu, "&Compare with…", self.compare_with, None, "What changed since a recorded report"
        )

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&User guide", self.user_guide, QKeySequence.StandardKey.HelpContents)
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
            self.export_project_action,
            self.export_calendar_action,
            self.build_pack_action,
            self.owner_returns_action,
            self.compare_action,
        ):
            action.setEnabled(has_plan)
        self.record_report_action.setEnabled(editable)
        on_server = document is not None and document.path is None
        self.restore_action.setEnabled(has_plan and editable and not on_server)
        self.restore_action.setToolTip(
            "A shared plan is restored on the server by your IT department, not from this window"
            if on_server
            else "Bring back an earlier copy of this plan"
        )
        self.restore_action.setStatusTip(self.restore_action.toolTip())
