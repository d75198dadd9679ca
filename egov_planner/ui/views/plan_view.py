"""The plan: objectives tree (left), filter bar + actions table (centre), the selected action (right)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.records import ActionRecord, ObjectiveRecord
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.models.actions import (
    COLUMN_WIDTHS,
    ActionFilter,
    ActionFilterProxy,
    ActionTableModel,
    Column,
    FlagChoice,
)
from egov_planner.ui.models.objectives import ObjectiveTreeModel
from egov_planner.ui.views.action_detail import ActionDetailPanel
from egov_planner.ui.views.filter_bar import FilterBar
from egov_planner.ui.widgets.frozen import FrozenColumnsTable
from egov_planner.ui.widgets.tables import RagDelegate

# Which detail field Enter/F2 opens from each column of the actions table.
_FIELD_OF_COLUMN = {
    Column.REF: "ref",
    Column.TITLE: "title",
    Column.OWNER: "owner",
    Column.DEPARTMENT: "department",
    Column.START: "start",
    Column.DUE: "due",
    Column.STATUS: "status",
    Column.PERCENT: "percent_complete",
    Column.FORECAST: "predecessor",
    Column.DEPENDS: "predecessor",
}
# Below this width the objectives tree hides its Actions column (the count stays in the tooltip).
TREE_COUNT_WIDTH = 260
_TO_TABLE_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Ref, RAG and Action stay at the left as the table scrolls sideways; the dates an officer chases come next.
FROZEN_COLUMNS = (Column.REF, Column.RAG, Column.TITLE)
DEFAULT_ORDER = (
    *FROZEN_COLUMNS,
    Column.DUE,
    Column.STATUS,
    Column.FORECAST,
    Column.PERCENT,
    Column.OWNER,
    Column.DEPARTMENT,
    Column.START,
    Column.DEPENDS,
)


class PlanView(QWidget):
    """The plan's three panes, fed from the document; selection in the tree filters the table."""

    status_message = Signal(str)
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: PlanDocument | None = None

        self.tree_model = ObjectiveTreeModel()
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Objectives")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(14)
        self.tree.setMinimumWidth(150)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.header().resizeSection(1, 66)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.selectionModel().currentChanged.connect(self._objective_chosen)
        self.tree.installEventFilter(self)  # narrow, it gives the Actions column's room to the titles

        self.actions_model = ActionTableModel()
        self.proxy = ActionFilterProxy()
        self.proxy.setSourceModel(self.actions_model)
        self.table = FrozenColumnsTable(FROZEN_COLUMNS)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Actions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fixed heights: 20,000 rows stay cheap
        vertical.setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.table.setItemDelegateForColumn(Column.RAG, RagDelegate(self.table))
        # RAG beside the ref so the colour is seen at a glance (the model keeps its own order).
        self.table.set_default_order(DEFAULT_ORDER)
        self.table.selectionModel().selectionChanged.connect(self._action_chosen)

        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self.apply_filter)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 0)
        centre_layout.setSpacing(6)
        centre_layout.addWidget(self.filter_bar)
        centre_layout.addWidget(self.table, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 0)
        left_layout.setSpacing(4)
        heading = QLabel("Objectives")  # short: at 1280 wide every pixel goes to the table
        heading.setObjectName("sectionTitle")
        heading.setBuddy(self.tree)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.tree, 1)

        self.detail = ActionDetailPanel()
        self.detail.go_to_action.connect(self.select_action)
        self.detail.status_message.connect(self.status_message)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("planSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([300, 850, 450])
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setCollapsible(0, True)  # the tree can go (the filter bar also chooses the objective)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.setTabOrder(self.tree, self.filter_bar.search)
        self.setTabOrder(self.filter_bar.clear_button, self.table)
        self.setTabOrder(self.table, self.detail)
        # From the keyboard: Down or Enter in the search box moves to the actions; Enter or F2 on an
        # action opens the field under the cursor in the detail panel; Escape there comes back.
        self.table.installEventFilter(self)
        self.filter_bar.search.installEventFilter(self)
        self.detail.back_to_list.connect(self.focus_table)

    def fit_panels(self, width: int) -> None:
        """First run: on a laptop (1280 wide) the tree narrows so Due, Status and Forecast are in sight."""
        detail = self.detail.minimumWidth()
        tree = 300 if width >= 1560 else 240 if width >= 1400 else 170
        table = max(400, width - tree - detail - 20)
        self.splitter.setSizes([tree, table, detail + (60 if width >= 1560 else 0)])
        # The action's title gives way (never under 160 px; the whole title is in its tooltip) before Forecast does.
        in_sight = (Column.REF, Column.RAG, Column.DUE, Column.STATUS, Column.FORECAST)
        others = sum(self.table.columnWidth(c) for c in in_sight)
        chrome = self.table.verticalScrollBar().sizeHint().width() + 2 * self.table.frameWidth() + 16  # + margins
        spare = self.splitter.sizes()[1] - others - chrome
        self.table.setColumnWidth(Column.TITLE, max(160, min(COLUMN_WIDTHS[Column.TITLE], spare)))

    # --- feeding ------------------------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        self.document = document
        self.filter_bar.set_document(document)
        self.tree_model.set_document(document)
        self.tree.expandAll()
        self.actions_model.set_document(document)
        self.proxy.set_criteria(self.filter_bar.criteria())
        self.detail.set_document(document)
        if document is not None:
            self.tree.setCurrentIndex(self.tree_model.index_of(None))
            first = self.proxy.action_id_at(0)
            if first is not None:
                self._select_row(first, scroll=True)  # the detail panel is never empty on opening
            QTimer.singleShot(0, self.proxy.warm_up)
        self._update_count()

    def refresh(self) -> None:
        """Follow a change: keep the selection, the filter and the scroll position."""
        document = self.document
        if document is None:
            return
        selected = self.selected_action_id()
        full = document.last_scope == "full"
        # A whole new reading (another officer's change, a reload) keeps the officer's place: the objective
        # chosen, the tree folded or not, where the table was scrolled to.
        objective = self.tree_model.objective_id_of(self.tree.currentIndex())
        folded = not self.tree.isExpanded(self.tree_model.index_of(None))
        scrolled = self.table.verticalScrollBar().value()
        self.filter_bar.set_document(document)
        rebuilt = self.tree_model.refresh()  # another officer's new or deleted objective, caught up alone
        if full or rebuilt:
            self.tree.expandAll()  # a reset tree comes back folded (expanding redraws it: not every edit)
            if folded:
                self.tree.collapse(self.tree_model.index_of(None))
            if self.tree_model.objective_id_of(self.tree.currentIndex()) != objective:
                with QSignalBlocker(self.tree.selectionModel()):
                    self.tree.setCurrentIndex(self.tree_model.index_of(objective))
        self.actions_model.refresh()
        self.proxy.refilter()
        self.detail.refresh_lists()
        if selected is not None and document.action(selected) is not None:
            self._select_row(selected, scroll=False)
            self.detail.show_action(selected)
        else:
            self.detail.show_action(self.selected_action_id())
        if full:
            self.table.verticalScrollBar().setValue(scrolled)
        self._update_count()

    def set_editable(self, editable: bool) -> None:
        self.detail.set_editable(editable)

    # --- the keyboard -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.tree and event.type() == QEvent.Type.Resize:
            # At 1280 wide the tree is ~170 px: with the count beside it a title showed only "O1 …".
            # The count is in each row's tooltip, so the titles take the whole width.
            self.tree.setColumnHidden(1, self.tree.width() < TREE_COUNT_WIDTH)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            if watched is self.table and plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
                self.edit_current()
                return True
            if watched is self.filter_bar.search and plain and key in _TO_TABLE_KEYS:
                self.focus_table()
                return True
            search = self.filter_bar.search
            if watched is search and plain and key == Qt.Key.Key_Escape and search.text():
                search.clear()  # as in a browser's find box: Escape empties the search
                return True
        return super().eventFilter(watched, event)

    def focus_table(self) -> None:
        """Into the actions table, on the selected action (else the first)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.selected_action_id() is None:
            first = self.proxy.action_id_at(0)
            if first is not None:
                self._select_row(first, scroll=True)
        else:
            self.table.scrollTo(self.table.currentIndex(), QAbstractItemView.ScrollHint.EnsureVisible)

    def edit_current(self) -> None:
        """Open the selected action's field for the table column under the cursor (else its title)."""
        if self.selected_action_id() is None or self.detail.current_action() is None:
            return
        column = self.table.currentIndex().column()
        self.detail.focus_field(_FIELD_OF_COLUMN.get(Column(column), "title") if 0 <= column < len(Column) else "title")

    # --- filter and selection -----------------------------------------------------------------------

    def apply_filter(self, criteria: ActionFilter) -> None:
        selected = self.selected_action_id()
        self.proxy.set_criteria(criteria)
        self._update_count()
        # The tree follows the objective chosen in the bar.
        tree_index = self.tree_model.index_of(criteria.objective_id)
        if self.tree.currentIndex() != tree_index:
            self.tree.blockSignals(True)
            self.tree.selectionModel().blockSignals(True)
            self.tree.setCurrentIndex(tree_index)
            self.tree.selectionModel().blockSignals(False)
            self.tree.blockSignals(False)
            self.tree.viewport().update()
        if selected is not None and self.proxy.proxy_row_of(selected) >= 0:
            self._select_row(selected, scroll=True)
        elif selected is not None or self.detail.action_id is not None:
            # The filter hid the action on show: the panel moves to the first one shown (or empties),
            # never edits an action the officer can no longer see in the table.
            first = self.proxy.action_id_at(0)
            if first is not None:
                self._select_row(first, scroll=True)
            else:
                self.table.selectionModel().clearSelection()
            self.detail.show_action(first)
            self.selection_changed.emit()

    def show_flag(self, flag: FlagChoice) -> None:
        self.filter_bar.set_flag(flag)

    def _update_count(self) -> None:
        self.filter_bar.show_count(self.proxy.rowCount(), self.actions_model.rowCount())

    def _objective_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.filter_bar.set_objective(self.tree_model.objective_id_of(current))

    def _action_chosen(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        # Filtering moves the selected row many times over; only a different action needs the panel redrawn.
        chosen = self.selected_action_id()
        if chosen is not None and self._hold_for_correction(chosen):
            return
        if chosen != self.detail.action_id or (chosen is None and self.detail.stack.currentIndex() != 0):
            self.detail.show_action(chosen)
            self.selection_changed.emit()

    def _hold_for_correction(self, chosen: int) -> bool:
        """Moving to another action while a field is red would drop what was typed: stay, and say so."""
        held = self.detail.action_id
        unsaved = self.detail.unsaved_field() if held is not None and chosen != held else None
        if unsaved is None or held is None or self.proxy.proxy_row_of(held) < 0:
            return False
        name, label, problem = unsaved
        record = self.detail.current_action()
        ref = record.ref if record is not None else "this action"
        self._select_row(held, scroll=True)
        self.status_message.emit(
            f"Still on {ref}: its {label} is not saved ({problem}). "
            "Correct it, or press Escape to put back the saved one."
        )
        self.detail.focus_field(name)
        return True

    def selected_action_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.action_id_at(rows[0].row())

    def selected_objective_id(self) -> int | None:
        """The objective chosen in the tree, else that of the selected action."""
        objective_id = self.tree_model.objective_id_of(self.tree.currentIndex())
        if objective_id is not None:
            return objective_id
        action_id = self.selected_action_id()
        record = self.document.action(action_id) if self.document and action_id else None
        return record.objective_id if record else None

    def selected_action(self) -> ActionRecord | None:
        """The selected action's record (None when none is selected, or it has just gone)."""
        action_id = self.selected_action_id()
        return self.document.action(action_id) if self.document is not None and action_id is not None else None

    def selected_objective(self) -> ObjectiveRecord | None:
        """The record of selected_objective_id (None when there is none, or it has just gone)."""
        objective_id = self.selected_objective_id()
        return self.document.objective(objective_id) if self.document is not None and objective_id is not None else None

    def select_action(self, action_id: int) -> None:
        """Select an action, clearing the filter if it hides it."""
        if self.proxy.proxy_row_of(action_id) < 0:
            self.filter_bar.clear()
        self._select_row(action_id, scroll=True)

    def _select_row(self, action_id: int, scroll: bool) -> None:
        row = self.proxy.proxy_row_of(action_id)
        if row < 0:
            return
        index = self.proxy.index(row, 0)
        selection = self.table.selectionModel()
        if self.selected_action_id() != action_id:
            selection.select(
                index,
                selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows,
            )
        selection.setCurrentIndex(index, selection.SelectionFlag.NoUpdate)
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
