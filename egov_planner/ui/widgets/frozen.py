"""A table whose first columns stay put while the rest scroll sideways (Excel's "freeze panes").

Qt's "Frozen Column" example: a second QTableView over the left edge, sharing the model
and the selection, showing only the frozen columns. The frozen columns are always the
first ones, cannot be moved or hidden; the others can be dragged, hidden and shown
(the header's right-click menu), and the header's state is saved with the window's.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget


class FrozenColumnsTable(QTableView):
    """A QTableView with `frozen` logical columns fixed at its left, in that order."""

    def __init__(self, frozen: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = list(frozen)
        self.default_order: list[int] = []
        self.column_menu: QMenu | None = None
        self._fixing = False
        self.overlay = QTableView(self)
        self.overlay.setObjectName("frozenColumns")
        self.overlay.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays on the table underneath
        self.overlay.verticalHeader().hide()
        self.overlay.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overlay.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overlay.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.overlay.setFrameShape(QTableView.Shape.NoFrame)
        self.overlay.setStyleSheet("QTableView#frozenColumns { border: none; border-right: 1px solid #C5CCD6; }")
        self.overlay.setAccessibleName("Frozen columns")
        self.overlay.setWordWrap(False)
        self.overlay.setAlternatingRowColors(True)
        self.overlay.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Its clicks and double-clicks are the table's own (a row chosen on the ref is chosen).
        self.overlay.clicked.connect(self.clicked)
        self.overlay.doubleClicked.connect(self.doubleClicked)
        self.overlay.activated.connect(self.activated)
        self.overlay.pressed.connect(self.pressed)

        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.sectionResized.connect(self._main_section_resized)
        header.sectionMoved.connect(self._keep_frozen_first)
        header.sortIndicatorChanged.connect(
            lambda column, order: self.overlay.horizontalHeader().setSortIndicator(column, order)
        )
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu_at)
        frozen_header = self.overlay.horizontalHeader()
        frozen_header.setSectionsMovable(False)
        frozen_header.setHighlightSections(False)
        frozen_header.setSortIndicatorShown(True)
        frozen_header.setSectionsClickable(True)
        frozen_header.sectionClicked.connect(self._frozen_header_clicked)
        frozen_header.sectionResized.connect(self._frozen_section_resized)
        frozen_header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        frozen_header.customContextMenuRequested.connect(
            lambda pos: self._header_menu_at(frozen_header.mapTo(header, pos))
        )
        self.verticalScrollBar().valueChanged.connect(self.overlay.verticalScrollBar().setValue)
        self.overlay.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)

    # --- model and order ----------------------------------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        super().setModel(model)
        self.overlay.setModel(model)
        self.overlay.setSelectionModel(self.selectionModel())
        self.overlay.setSelectionBehavior(self.selectionBehavior())
        self.overlay.setSelectionMode(self.selectionMode())
        count = model.columnCount() if model is not None else 0
        for column in range(count):
            self.overlay.setColumnHidden(column, column not in self.frozen)
        self.overlay.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.overlay.horizontalHeader().setStretchLastSection(False)
        self.overlay.setSortingEnabled(False)  # sorting goes through the table (one indicator, one order)

    def setSelectionBehavior(self, behavior: QAbstractItemView.SelectionBehavior) -> None:  # noqa: N802
        super().setSelectionBehavior(behavior)
        self.overlay.setSelectionBehavior(behavior)  # a click on a frozen cell chooses the row, as on the table

    def setSelectionMode(self, mode: QAbstractItemView.SelectionMode) -> None:  # noqa: N802
        super().setSelectionMode(mode)
        self.overlay.setSelectionMode(mode)

    def setItemDelegateForColumn(self, column: int, delegate: object) -> None:  # noqa: N802
        super().setItemDelegateForColumn(column, delegate)  # type: ignore[arg-type]
        self.overlay.setItemDelegateForColumn(column, delegate)  # type: ignore[arg-type]

    def set_default_order(self, order: Sequence[int]) -> None:
        """The columns' order on a first run (and after "Reset columns"): the frozen ones lead."""
        self.default_order = [c for c in self.frozen if c not in order] + list(order)
        self.reset_columns()

    def reset_columns(self) -> None:
        header = self.horizontalHeader()
        self._fixing = True
        try:
            for position, column in enumerate(self.default_order):
                header.showSection(column)
                header.moveSection(header.visualIndex(column), position)
        finally:
            self._fixing = False
        self._follow_order()

    def restore_header(self, state: object) -> bool:
        """Put back a saved header (order, widths, hidden columns); the frozen ones stay first and shown."""
        ok = bool(self.horizontalHeader().restoreState(state))  # type: ignore[arg-type]
        self._keep_frozen_first()
        return ok

    def _keep_frozen_first(self, *_args: object) -> None:
        # A drag may not put a column before (or among) the frozen ones: they go back to the front.
        if self._fixing:
            return
        header = self.horizontalHeader()
        self._fixing = True
        try:
            for position, column in enumerate(self.frozen):
                header.showSection(column)
                if header.visualIndex(column) != position:
                    header.moveSection(header.visualIndex(column), position)
        finally:
            self._fixing = False
        self._follow_order()

    def _follow_order(self) -> None:
        header, frozen_header = self.horizontalHeader(), self.overlay.horizontalHeader()
        for position, column in enumerate(self.frozen):
            if frozen_header.visualIndex(column) != position:
                frozen_header.moveSection(frozen_header.visualIndex(column), position)
            self.overlay.setColumnWidth(column, header.sectionSize(column))
        self._place_overlay()

    # --- hiding and showing -------------------------------------------------------------------------

    def header_menu(self) -> QMenu:
        """Tick the columns to show; the frozen ones cannot be hidden (they name the row)."""
        model = self.model()
        header = self.horizontalHeader()
        menu = QMenu(self)
        menu.setObjectName("columnsMenu")
        title = menu.addAction("Columns shown (drag a heading to reorder)")
        title.setEnabled(False)
        for position in range(header.count()):
            column = header.logicalIndex(position)
            name = str(model.headerData(column, Qt.Orientation.Horizontal)) if model is not None else str(column)
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            if column in self.frozen:
                action.setEnabled(False)
                action.setToolTip("Always shown, at the left")
            action.toggled.connect(lambda shown, column=column: self.set_column_shown(column, shown))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Reset columns", self.reset_columns)
        return menu

    def _header_menu_at(self, pos: QPoint) -> None:
        if self.column_menu is not None:
            self.column_menu.close()
            self.column_menu.deleteLater()
        self.column_menu = self.header_menu()
        self.column_menu.popup(self.horizontalHeader().mapToGlobal(pos))  # not exec(): nothing waits on it

    def set_column_shown(self, column: int, shown: bool) -> None:
        if column in self.frozen:
            return
        self.horizontalHeader().setSectionHidden(column, not shown)
        self._place_overlay()

    def shown_columns(self) -> list[int]:
        """The logical columns on screen, left to right."""
        header = self.horizontalHeader()
        order = [header.logicalIndex(position) for position in range(header.count())]
        return [column for column in order if not header.isSectionHidden(column)]

    # --- geometry, sorting, scrolling ---------------------------------------------------------------

    def frozen_width(self) -> int:
        return sum(self.columnWidth(column) for column in self.frozen if not self.isColumnHidden(column))

    def _place_overlay(self) -> None:
        frame = self.frameWidth()
        rows = self.verticalHeader().defaultSectionSize()
        if self.overlay.verticalHeader().defaultSectionSize() != rows:
            self.overlay.verticalHeader().setDefaultSectionSize(rows)  # the rows line up with the table's
        self.overlay.setGeometry(
            self.verticalHeader().width() + frame,
            frame,
            self.frozen_width(),
            self.viewport().height() + self.horizontalHeader().height(),
        )
        self.overlay.horizontalHeader().setFixedHeight(self.horizontalHeader().height())

    def _main_section_resized(self, column: int, _old: int, size: int) -> None:
        if column in self.frozen:
            self.overlay.setColumnWidth(column, size)
            self._place_overlay()

    def _frozen_section_resized(self, column: int, _old: int, size: int) -> None:
        if column in self.frozen and self.columnWidth(column) != size:
            self.setColumnWidth(column, size)

    def _frozen_header_clicked(self, column: int) -> None:
        header = self.horizontalHeader()
        same = header.sortIndicatorSection() == column
        ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        order = Qt.SortOrder.DescendingOrder if same and ascending else Qt.SortOrder.AscendingOrder
        self.sortByColumn(column, order)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_overlay()

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()
        self._place_overlay()

    def moveCursor(  # noqa: N802
        self, cursor_action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = super().moveCursor(cursor_action, modifiers)
        self._uncover(current)
        return current

    def scrollTo(  # noqa: N802
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if index.isValid() and index.column() in self.frozen:
            across = self.horizontalScrollBar().value()  # a frozen cell is always in sight: scroll only up/down
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(across)
            return
        super().scrollTo(index, hint)
        self._uncover(index)

    def _uncover(self, index: QModelIndex | QPersistentModelIndex) -> None:
        # A cell that has scrolled in under the frozen columns is brought out to their right.
        if not index.isValid() or index.column() in self.frozen:
            return
        left = self.visualRect(index).left()
        if left < self.frozen_width():
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + left - self.frozen_width())
