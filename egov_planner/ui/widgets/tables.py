"""Table views: RAG cells painted as a coloured badge *with* its letter, and editable record tables.

A refused inline edit re-opens the editor on that cell with a red border and
shows the reason in a note under the cell; nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from egov_planner.model.dates import DateError, british
from egov_planner.model.records import ActionRecord
from egov_planner.model.rules import Assessment, Rag
from egov_planner.ui.models.actions import RAG_ROLE
from egov_planner.ui.models.records import (
    CHOICE,
    CHOICES_ROLE,
    DATE,
    EDITOR_ROLE,
    INTEGER,
    NAME,
    OPTIONAL_INTEGER,
    REQUIRED_DATE,
    YES_NO,
    RecordColumn,
    RecordTableModel,
    assessed_action_columns,
    assessed_rows,
)
from egov_planner.ui.theme import rag_badge_pixmap
from egov_planner.ui.widgets.editing import as_sentence, set_error_look
from egov_planner.ui.widgets.fields import DateField, NameCombo

ModelIndex = QModelIndex | QPersistentModelIndex

R = TypeVar("R")  # the record type a caller expects at the current row


def as_rag(value: object) -> Rag | None:
    """A Rag back from a model role (Qt hands a str-based enum back as its letter)."""
    if isinstance(value, Rag):
        return value
    if isinstance(value, str) and value in Rag._value2member_map_:
        return Rag(value)
    return None


class RagDelegate(QStyledItemDelegate):
    """Paints a cell whose RAG_ROLE is a Rag as a badge in its colour with its letter."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        rag = as_rag(index.data(RAG_ROLE))
        if rag is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        rect = QRectF(option.rect)
        width = int(min(28.0, rect.width() - 6))
        height = int(min(18.0, rect.height() - 4))
        if width <= 0 or height <= 0:
            return
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        pixmap = rag_badge_pixmap(rag, width, height, ratio, painter.font().toString())
        left = round(rect.center().x() - width / 2)
        top = round(rect.center().y() - height / 2)
        painter.drawPixmap(QPointF(left, top), pixmap)


class RecordDelegate(RagDelegate):
    """Editors by kind: text, dates typed the British way with a calendar, numbers, yes/no, lists, names."""

    def __init__(self, view: RecordTableView) -> None:
        super().__init__(view)
        self.view = view

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:  # noqa: N802
        kind = index.data(EDITOR_ROLE)
        editor: QWidget
        if kind in (DATE, REQUIRED_DATE):
            editor = DateField(allow_empty=kind == DATE, parent=parent)
            editor.setAutoFillBackground(True)
        elif kind in (YES_NO, CHOICE):
            combo = QComboBox(parent)
            choices = index.data(CHOICES_ROLE) or [("Yes", True), ("No", False)]
            for label, value in choices:
                combo.addItem(label, value)
            editor = combo
        elif kind == NAME:
            names = NameCombo(parent=parent)
            names.set_names([label for label, _value in (index.data(CHOICES_ROLE) or [])])
            editor = names
        else:
            line = QLineEdit(parent)
            if kind in (INTEGER, OPTIONAL_INTEGER):
                line.setAlignment(Qt.AlignmentFlag.AlignRight)
            editor = line
        header = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(str(header or "value"))
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:  # noqa: N802
        pending = self.view.pending_text(index)
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, DateField):
            editor.set_value(value if isinstance(value, date) else None)
            if pending is not None:
                editor.line.setText(pending)
                set_error_look(editor.line, True)
        elif isinstance(editor, NameCombo):
            editor.set_value(pending if pending is not None else str(value or ""))
        elif isinstance(editor, QComboBox):
            position = editor.findData(value)
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(pending if pending is not None else ("" if value is None else str(value)))
            if pending is not None:
                set_error_look(editor, True)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:  # noqa: N802
        kind = index.data(EDITOR_ROLE)
        typed = ""
        try:
            if isinstance(editor, DateField):
                typed = editor.text()
                value: Any = editor.parsed()
            elif isinstance(editor, NameCombo):
                typed = editor.currentText()
                value = typed.strip()
            elif isinstance(editor, QComboBox):
                value = editor.currentData()
            elif isinstance(editor, QLineEdit):
                typed = editor.text()
                value = self._number(typed, kind) if kind in (INTEGER, OPTIONAL_INTEGER) else typed
            else:
                return
        except (DateError, ValueError) as error:
            self.view.refuse(index, typed, str(error))
            return
        self.view.remember_typed(index, typed)
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    @staticmethod
    def _number(text: str, kind: str) -> int | None:
        cleaned = text.strip().removesuffix("d").removesuffix("days").strip()
        if not cleaned:
            if kind == OPTIONAL_INTEGER:
                return None
            raise ValueError("a whole number is required")
        try:
            return int(cleaned.replace("+", ""))
        except ValueError:
            raise ValueError(f"'{text.strip()}' is not a whole number") from None

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> None:  # noqa: N802
        rect = option.rect
        if isinstance(editor, DateField):
            rect = rect.adjusted(0, 0, 0, 0)
            rect.setWidth(max(rect.width(), 130))
        editor.setGeometry(rect)


class RecordTableView(QTableView):
    """A table of records that edits in place (double-click, F2 or start typing)."""

    def __init__(self, model: RecordTableModel, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.record_model = model
        self.setAccessibleName(accessible_name)
        self.setItemDelegate(RecordDelegate(self))
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, column in enumerate(model.columns):
            self.setColumnWidth(number, column.width)
            if column.stretch:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
                header.setStretchLastSection(False)
        self._pending: dict[tuple[int, int], str] = {}
        self._typed: dict[tuple[int, int], str] = {}
        self.refusal = QLabel(self.viewport())
        self.refusal.setObjectName("fieldMessage")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(
            "QLabel { background: #FDECEA; border: 1px solid #C0392B; border-radius: 3px; padding: 3px 6px; }"
        )
        self.refusal.hide()
        self.last_refusal = ""
        model.edit_refused.connect(self._model_refused)
        model.modelReset.connect(self.clear_refusal)

    def on_key(self, key: QKeySequence | QKeySequence.StandardKey | Qt.Key, slot: Callable[[], object]) -> None:
        """A key that works while this table has the focus (Delete deletes the selected row…)."""
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)

    def on_open(self, slot: Callable[[Any], object]) -> None:
        """Double-click or Enter on a row hands its record to `slot` (to open what the row is about)."""

        def opened(index: QModelIndex) -> None:
            record = self.record_model.record_at(index.row())
            if record is not None:
                slot(record)

        self.doubleClicked.connect(opened)
        self.activated.connect(opened)

    def pending_text(self, index: ModelIndex) -> str | None:
        return self._pending.pop((index.row(), index.column()), None)

    def remember_typed(self, index: ModelIndex, typed: str) -> None:
        self._typed[(index.row(), index.column())] = typed

    def _model_refused(self, index: QModelIndex, message: str) -> None:
        typed = self._typed.pop((index.row(), index.column()), None)
        self.refuse(index, typed, message)

    def refuse(self, index: ModelIndex, typed: str | None, message: str) -> None:
        """Show why an edit was refused, under the cell, and let the officer correct it there."""
        text = as_sentence(message)
        self.last_refusal = text
        rect = self.visualRect(self.model().index(index.row(), index.column()))
        self.refusal.setText(text)
        self.refusal.setMaximumWidth(max(260, self.viewport().width() - rect.left() - 8))
        self.refusal.adjustSize()
        below = rect.bottom() + 2
        if below + self.refusal.height() > self.viewport().height():
            # A cell near the foot of the table: the reason goes above it, or the viewport would cut it off.
            below = max(0, rect.top() - self.refusal.height() - 2)
        self.refusal.move(max(0, rect.left()), below)
        self.refusal.show()
        self.refusal.raise_()
        if typed is not None:
            self._pending[(index.row(), index.column())] = typed
            target = QPersistentModelIndex(index)
            QTimer.singleShot(0, lambda: self._reopen(target))

    def _reopen(self, index: QPersistentModelIndex) -> None:
        if index.isValid():
            self.setCurrentIndex(self.model().index(index.row(), index.column()))
            self.edit(self.model().index(index.row(), index.column()))

    def clear_refusal(self) -> None:
        self.refusal.hide()
        self._pending.clear()

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802
        self.refusal.hide()
        super().mousePressEvent(event)

    def show_records(self, records: Sequence[Any]) -> None:
        """Replace the rows; with no row current yet, the first becomes current (so what hangs on it shows)."""
        self.record_model.set_records(records)
        if not self.currentIndex().isValid() and records:
            self.selectRow(0)

    def selected_record(self) -> Any:
        index = self.currentIndex()
        return self.record_model.record_at(index.row()) if index.isValid() else None

    def selected_of(self, kind: type[R]) -> R | None:
        """The current row's record when it is a `kind` (else None)."""
        record = self.selected_record()
        return record if isinstance(record, kind) else None

    def edit_first(self, match: Callable[[Any], bool], column: int) -> None:
        """Select the first record that matches and open its cell in `column` (a row the officer just added)."""
        row = next((number for number, record in enumerate(self.record_model.records) if match(record)), -1)
        if row >= 0:
            self.selectRow(row)
            self.edit(self.record_model.index(row, column))


class ActionRowsView(RecordTableView):
    """A table of (action, assessment, …) rows kept by action id; double-click or Enter opens the row's action."""

    def __init__(self, columns: list[RecordColumn], accessible_name: str, open_action: Callable[[int], object]) -> None:
        model = RecordTableModel(columns)
        model.key = lambda row: row[0].id
        super().__init__(model, accessible_name)
        self.on_open(lambda row: open_action(row[0].id))


class AssessedActionsView(ActionRowsView):
    """Actions beside their assessment: RAG badge, ref and title (action_width wide), then the `more` columns."""

    def __init__(
        self, action_width: int, more: list[RecordColumn], accessible_name: str, open_action: Callable[[int], object]
    ) -> None:
        super().__init__([*assessed_action_columns(action_width), *more], accessible_name, open_action)

    def show_assessed(self, actions: Iterable[ActionRecord], assessments: Mapping[int, Assessment]) -> int:
        """Show each action beside its assessment, soonest due first; answer how many."""
        rows = assessed_rows(actions, assessments)
        self.record_model.set_records(rows)
        return len(rows)


def date_text(value: date | None) -> str:
    return british(value)
