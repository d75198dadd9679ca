"""A table model over a list of plain records, described column by column.

Used for the smaller tables (external dependencies, people, departments,
predecessors, progress history, meetings, implications, consultations, BVPI
service rows, breakdowns). An editable column names its editor kind and a
`commit` that turns the new value into an undoable edit; a refusal comes back
as a message, which the delegate shows at the cell (nothing is saved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from egov_planner.model.dates import british
from egov_planner.model.records import ActionRecord
from egov_planner.model.rules import Assessment, Rag, describe_assessment
from egov_planner.ui.models.actions import RAG_ROLE

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the default 'no parent' index, made once
RECORD_ROLE = Qt.ItemDataRole.UserRole + 20
EDITOR_ROLE = Qt.ItemDataRole.UserRole + 21
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 22
SORT_ROLE = Qt.ItemDataRole.UserRole + 23

# Editor kinds the delegate knows.
TEXT, LONG_TEXT, DATE, REQUIRED_DATE, INTEGER, OPTIONAL_INTEGER, YES_NO, CHOICE, NAME = (
    "text",
    "long_text",
    "date",
    "required_date",
    "integer",
    "optional_integer",
    "yes_no",
    "choice",
    "name",
)


Commit = Callable[[Any, Any], str | None]  # (record, new value) -> refusal or None


@dataclass
class RecordColumn:
    """One column: how to show a record, and (when editable) how to change it."""

    header: str
    display: Callable[[Any], Any]
    editor: str | None = None
    value: Callable[[Any], Any] | None = None  # the editor's starting value (default: display)
    commit: Commit | None = None
    choices: Callable[[], Sequence[tuple[str, Any]]] | None = None  # (label, value) for CHOICE/NAME
    width: int = 120
    tooltip: Callable[[Any], str | None] | None = None
    align_right: bool = False
    foreground: Callable[[Any], str | None] | None = None
    rag: Callable[[Any], Rag | None] | None = None  # paint as a RAG badge
    sort_key: Callable[[Any], Any] | None = None
    editable_when: Callable[[Any], bool] | None = None
    stretch: bool = False  # takes the spare width (else the last column does)


class RecordTableModel(QAbstractTableModel):
    """Rows are plain records (immutable); edits go through each column's commit."""

    edit_refused = Signal(QModelIndex, str)

    def __init__(self, columns: Sequence[RecordColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []
        self.read_only = False
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.key: Callable[[Any], Any] = lambda record: getattr(record, "id", id(record))

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace the rows; when the same keys come back in the same order, update in place."""
        new = list(records)
        if self._sort is not None:
            new.sort(key=self._sort_key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        if [self.key(r) for r in new] == [self.key(r) for r in self.records]:
            self.records = new
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self.columns) - 1))
            return
        self.beginResetModel()
        self.records = new
        self.endResetModel()

    def record_at(self, row: int) -> Any:
        return self.records[row] if 0 <= row < len(self.records) else None

    def row_of_key(self, key: Any) -> int:
        for row, record in enumerate(self.records):
            if self.key(record) == key:
                return row
        return -1

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def _editable(self, column: RecordColumn, record: Any) -> bool:
        if self.read_only or column.editor is None or column.commit is None:
            return False
        return column.editable_when(record) if column.editable_when else True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self._editable(self.columns[index.column()], self.records[index.row()]):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.display(record)
            return "" if value is None else value
        if role == Qt.ItemDataRole.EditRole:
            return column.value(record) if column.value else column.display(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip:
                return column.tooltip(record)
            if column.editor and self._editable(column, record):
                return None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            colour = column.foreground(record)
            return QColor(colour) if colour else None
        if role == RAG_ROLE and column.rag:
            return column.rag(record)
        if role == RECORD_ROLE:
            return record
        if role == EDITOR_ROLE:
            return column.editor
        if role == CHOICES_ROLE and column.choices:
            return list(column.choices())
        if role == SORT_ROLE:
            return column.sort_key(record) if column.sort_key else column.display(record)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        record = self.records[index.row()]
        column = self.columns[index.column()]
        if not self._editable(column, record) or column.commit is None:
            return False
        current = column.value(record) if column.value else column.display(record)
        if value == current:
            return False
        refusal = column.commit(record, value)
        if refusal:
            self.edit_refused.emit(self.index(index.row(), index.column()), refusal)
            return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        key = self._sort_key(column)
        self.layoutAboutToBeChanged.emit()
        old = list(self.records)
        persistent = self.persistentIndexList()
        self.records.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(record): row for row, record in enumerate(self.records)}
        self.changePersistentIndexList(
            persistent, [self.index(position[id(old[i.row()])], i.column()) for i in persistent]
        )
        self.layoutChanged.emit()

    def _sort_key(self, column: int) -> Callable[[Any], Any]:
        spec = self.columns[column]
        if spec.sort_key is not None:
            return spec.sort_key
        return lambda record: str(spec.display(record) or "").lower()


def assessed_action_columns(action_width: int = 360) -> list[RecordColumn]:
    """RAG badge (with its tooltip), ref and title, for rows of (ActionRecord, Assessment | None)."""
    return [
        RecordColumn(
            "RAG",
            lambda r: r[1].rag.value if r[1] else "",
            width=44,
            rag=lambda r: r[1].rag if r[1] else None,
            tooltip=lambda r: describe_assessment(r[1]) if r[1] else None,
        ),
        RecordColumn("Ref", lambda r: r[0].ref, width=60),
        RecordColumn("Action", lambda r: r[0].title, width=action_width),
    ]


def assessed_rows(
    actions: Iterable[ActionRecord], assessments: Mapping[int, Assessment]
) -> list[tuple[ActionRecord, Assessment | None]]:
    """Rows for `assessed_action_columns`: each action with its assessment, soonest due first."""
    rows = [(action, assessments.get(action.id)) for action in actions]
    rows.sort(key=lambda row: (row[0].due, row[0].ref))
    return rows


def due_column() -> RecordColumn:
    """The due date of (ActionRecord, …) rows, British, sorted by date."""
    return RecordColumn("Due", lambda r: british(r[0].due), width=90, sort_key=lambda r: r[0].due)


# Editable columns over one attribute of the record; `more` takes any other RecordColumn setting.


def text_column(header: str, name: str, commit: Commit, width: int, **more: Any) -> RecordColumn:
    """A one-line text attribute, edited as text."""
    return RecordColumn(header, lambda r: getattr(r, name), editor=TEXT, commit=commit, width=width, **more)


def name_column(
    header: str, name: str, commit: Commit, width: int, choices: Callable[[], Sequence[tuple[str, Any]]]
) -> RecordColumn:
    """A name picked from `choices` or typed new (a department, say)."""
    return RecordColumn(header, lambda r: getattr(r, name), editor=NAME, commit=commit, width=width, choices=choices)


def notes_column(header: str, name: str, commit: Commit, width: int, **more: Any) -> RecordColumn:
    """A text that may run to several lines: one line in the cell, the whole of it to edit and in the tooltip."""
    return RecordColumn(
        header,
        lambda r: getattr(r, name).replace("\n", " "),
        editor=TEXT,
        value=lambda r: getattr(r, name),
        commit=commit,
        width=width,
        tooltip=lambda r: getattr(r, name) or None,
        **more,
    )


def yes_no_column(
    header: str, name: str, commit: Commit, width: int, shown: tuple[str, str], **more: Any
) -> RecordColumn:
    """A yes/no attribute, shown as `shown` (the words for yes and for no), edited as yes or no."""
    yes, no = shown
    return RecordColumn(
        header,
        lambda r: yes if getattr(r, name) else no,
        editor=YES_NO,
        value=lambda r: getattr(r, name),
        commit=commit,
        width=width,
        **more,
    )


def date_column(
    header: str,
    name: str,
    commit: Commit,
    width: int,
    *,
    required: bool = False,
    blank_first: bool = False,
    **more: Any,
) -> RecordColumn:
    """A date attribute, shown British and sorted by date; a blank sorts last (or first, with `blank_first`)."""
    blank = date.min if blank_first else date.max
    return RecordColumn(
        header,
        lambda r: british(getattr(r, name)),
        editor=REQUIRED_DATE if required else DATE,
        value=lambda r: getattr(r, name),
        commit=commit,
        width=width,
        sort_key=lambda r: getattr(r, name) or blank,
        **more,
    )
