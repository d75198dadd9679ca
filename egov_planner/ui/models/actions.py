"""The actions table: a QAbstractTableModel fed from one snapshot + one assessment, and its filter proxy.

Vorta's pattern (model + QSortFilterProxyModel), tuned for 20,000 rows: the
model keeps only ids and looks records up; cells are formatted when painted;
sorting is a Python sort of the model's own rows (not proxy lessThan calls);
filtering computes the accepted ids in one pass, so filterAcceptsRow is a set lookup.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from egov_planner.model.dates import british
from egov_planner.model.records import ActionRecord
from egov_planner.model.rules import Assessment, Flag, Rag, describe_assessment
from egov_planner.ui.document import PlanDocument

ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
RAG_ROLE = Qt.ItemDataRole.UserRole + 2

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the default 'no parent' index, made once


class Column(enum.IntEnum):
    REF = 0
    TITLE = 1
    OWNER = 2
    DEPARTMENT = 3
    START = 4
    DUE = 5
    STATUS = 6
    PERCENT = 7
    RAG = 8
    FORECAST = 9
    DEPENDS = 10


_COLUMNS = len(Column)

HEADERS = {
    Column.REF: "Ref",
    Column.TITLE: "Action",
    Column.OWNER: "Owner",
    Column.DEPARTMENT: "Department",
    Column.START: "Start",
    Column.DUE: "Due",
    Column.STATUS: "Status",
    Column.PERCENT: "%",
    Column.RAG: "RAG",
    Column.FORECAST: "Forecast",
    Column.DEPENDS: "Depends on",
}

HEADER_TIPS = {
    Column.RAG: "Red overdue, Amber at risk, Green on track, Blue complete, N not rated (deferred or cancelled)",
    Column.FORECAST: "When the action is forecast to finish, given its predecessors and external dependencies",
    Column.PERCENT: "Per cent complete",
}

# Sensible widths for a 1600-pixel screen; the officer can drag them and they are remembered.
COLUMN_WIDTHS = {
    Column.REF: 52,
    Column.TITLE: 260,
    Column.OWNER: 140,
    Column.DEPARTMENT: 130,
    Column.START: 80,
    Column.DUE: 80,
    Column.STATUS: 84,
    Column.PERCENT: 38,
    Column.RAG: 42,
    Column.FORECAST: 80,
    Column.DEPENDS: 110,
}

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_HANDLED_ROLES = frozenset(
    {_DISPLAY, _FOREGROUND, _ALIGNMENT, _FONT, _TOOLTIP, _ACCESSIBLE, int(ACTION_ID_ROLE), int(RAG_ROLE)}
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_OVERDUE_TEXT = QColor(Rag.RED.hex_colour)
_LATE_FORECAST = QColor("#B35900")
_DONE_TEXT = QColor("#6B7280")


def status_label(status: str) -> str:
    """'in_progress' -> 'in progress', as an officer says it."""
    return status.replace("_", " ")


def natural_key(ref: str) -> tuple[Any, ...]:
    """A1.2 before A1.10: numbers compare as numbers."""
    parts: list[Any] = []
    number = ""
    text = ""
    for char in ref:
        if char.isdigit():
            if text:
                parts.append((1, text.lower()))
                text = ""
            number += char
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            text += char
    if number:
        parts.append((0, int(number)))
    if text:
        parts.append((1, text.lower()))
    return tuple(parts)


def depends_text(record: ActionRecord) -> str:
    names = [link.as_text for link in record.predecessors] + list(record.externals)
    return "; ".join(names)


class ActionTableModel(QAbstractTableModel):
    """Every action of the plan, one row each, judged at the status date."""

    def __init__(self, document: PlanDocument | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: PlanDocument | None = None
        self.ids: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._ref_keys: dict[str, tuple[Any, ...]] = {}  # natural sort keys of refs, worked out once
        self.before_refresh: list[Callable[[], None]] = []  # the filter recomputes before views re-filter
        self._bold = QFont()
        self._bold.setBold(True)
        if document is not None:
            self.set_document(document)

    # --- feeding -----------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        self.beginResetModel()
        self.document = document
        self.ids = [a.id for a in document.snapshot.actions] if document else []
        if self._sort is not None and document is not None:
            self._order_rows(*self._sort)
        for callback in self.before_refresh:
            callback()
        self.endResetModel()

    def refresh(self) -> None:
        """Follow the document after a change: in place (rows added or removed one by one), else reset.

        A "records" refresh names the actions added and removed; their rows are inserted and
        dropped, the rest stay. Sorted by a column of the actions' own fields, only the rows
        re-read can move, so only they are placed again; a sort by RAG or forecast (which
        any edit may change anywhere) sorts every row again.
        """
        document = self.document
        if document is None:
            return
        if document.last_scope == "full":
            self.set_document(document)
            return
        for callback in self.before_refresh:
            callback()  # the filter knows which new rows pass before they are inserted
        self._add_and_remove(document.last_added_ids, document.last_removed_ids)
        if len(document.snapshot.actions) != len(self.ids):
            self.set_document(document)
            return
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(Column) - 1))
        if self._sort is not None:
            column, order = self._sort
            changed = document.last_changed_ids
            if changed is None or column not in _RECORD_SORT_COLUMNS or len(changed) > _PLACE_AT_MOST:
                self.sort(column, order)
            elif changed:
                self._place_again(changed, column, order)

    def _add_and_remove(self, added: frozenset[int], removed: frozenset[int]) -> None:
        """Drop the rows of removed actions and insert the added ones where they belong (sorted: where the
        sort puts them; else the plan's order): a few row signals, never a reset of 20,000 rows."""
        document = self.document
        assert document is not None
        for row in sorted((self.ids.index(i) for i in removed if i in self.ids), reverse=True):
            self.beginRemoveRows(_NO_PARENT, row, row)
            del self.ids[row]
            self.endRemoveRows()
        if not added:
            return
        if self._sort is None:
            places = {a.id: row for row, a in enumerate(document.snapshot.actions) if a.id in added}
            for ident in sorted(places, key=places.__getitem__):
                row = min(places[ident], len(self.ids))
                self.beginInsertRows(_NO_PARENT, row, row)
                self.ids.insert(row, ident)
                self.endInsertRows()
            return
        column, order = self._sort
        key = self._sort_key(column, document.state.actions_by_id, document.assessment.actions, self._ref_keys)
        reverse = order == Qt.SortOrder.DescendingOrder
        for ident in sorted(added):
            mine = key(ident)
            # The sort's order holds for the rows already there: the first row after the new one's place.
            row = next(
                (r for r, other in enumerate(self.ids) if (key(other) < mine if reverse else mine < key(other))),
                len(self.ids),
            )
            self.beginInsertRows(_NO_PARENT, row, row)
            self.ids.insert(row, ident)
            self.endInsertRows()

    def record_at(self, row: int) -> ActionRecord | None:
        if self.document is None or not 0 <= row < len(self.ids):
            return None
        return self.document.state.actions_by_id.get(self.ids[row])

    def row_of(self, action_id: int) -> int:
        try:
            return self.ids.index(action_id)
        except ValueError:
            return -1

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else _COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section))
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (Column.PERCENT, Column.RAG):
            return _CENTRE
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times a paint: plain-int roles, unhandled roles out first.
        role = int(role)
        if role not in _HANDLED_ROLES:
            return None
        document = self.document
        if document is None:
            return None
        row = index.row()
        if row < 0:
            return None
        action_id = self.ids[row]
        record = document.state.actions_by_id.get(action_id)
        if record is None:
            return None
        column = index.column()
        judged = document.assessment.actions.get(action_id)
        if role == _DISPLAY:
            return self._display(record, judged, column)
        if role == _FOREGROUND:
            if judged is None:
                return None
            if column == Column.DUE and judged.flag is Flag.OVERDUE:
                return _OVERDUE_TEXT
            if column == Column.FORECAST and judged.forecast > record.due and judged.rag in (Rag.RED, Rag.AMBER):
                return _LATE_FORECAST
            if judged.rag in (Rag.BLUE, Rag.GREY) and column != Column.RAG:
                return _DONE_TEXT
            return None
        if role == _ALIGNMENT:
            if column == Column.PERCENT:
                return _RIGHT
            if column == Column.RAG:
                return _CENTRE
            return None
        if role == _FONT:
            return self._bold if column == Column.REF else None
        if role == ACTION_ID_ROLE:
            return action_id
        if role == RAG_ROLE:
            return judged.rag if judged else None
        if role == _TOOLTIP:
            return self._tooltip(record, judged, column)
        if role == _ACCESSIBLE and column == Column.RAG and judged is not None:
            return f"{judged.rag.label}: {describe_assessment(judged)}"
        return None

    @staticmethod
    def _display(record: ActionRecord, judged: Assessment | None, column: int) -> Any:
        if column == Column.REF:
            return record.ref
        if column == Column.TITLE:
            return record.title
        if column == Column.OWNER:
            return record.owner + (" (left)" if record.owner_left_on else "")
        if column == Column.DEPARTMENT:
            return record.department
        if column == Column.START:
            return british(record.start)
        if column == Column.DUE:
            return british(record.due)
        if column == Column.STATUS:
            return status_label(record.status)
        if column == Column.PERCENT:
            return f"{record.percent_complete}"
        if column == Column.RAG:
            return judged.rag.value if judged else ""
        if column == Column.FORECAST:
            return british(judged.forecast) if judged else ""
        if column == Column.DEPENDS:
            return depends_text(record)
        return None

    @staticmethod
    def _tooltip(record: ActionRecord, judged: Assessment | None, column: int) -> str | None:
        if column in (Column.RAG, Column.DUE, Column.FORECAST) and judged is not None:
            return describe_assessment(judged)
        if column == Column.TITLE:
            return f"{record.ref} {record.title}" + (f"\n\n{record.description}" if record.description else "")
        if column == Column.OWNER and record.owner_left_on:
            return f"{record.owner} left on {british(record.owner_left_on)}"
        if column == Column.DEPENDS and (record.predecessors or record.externals):
            return "Waits on: " + depends_text(record)
        return None

    # --- sorting (the model's own rows, so the proxy never calls Python lessThan) ---------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.document is None:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_ids = list(self.ids)
        persistent = self.persistentIndexList()
        self._order_rows(column, order)
        new_rows = {ident: row for row, ident in enumerate(self.ids)}
        self.changePersistentIndexList(
            persistent,
            [self.index(new_rows[old_ids[index.row()]], index.column()) for index in persistent],
        )
        self.layoutChanged.emit()

    def _place_again(self, changed: frozenset[int], column: int, order: Qt.SortOrder) -> None:
        """Move just the re-read rows to where the sort puts them now (a layout change only if one moved)."""
        document = self.document
        assert document is not None
        key = self._sort_key(column, document.state.actions_by_id, document.assessment.actions, self._ref_keys)
        if order == Qt.SortOrder.DescendingOrder:
            plain = key

            def key(ident: int) -> Any:
                return _Reversed(plain(ident))

        moving = [ident for ident in changed if ident in document.state.actions_by_id]
        new_ids = [ident for ident in self.ids if ident not in changed]
        for ident in sorted(moving, key=self.ids.index):
            bisect.insort_right(new_ids, ident, key=key)
        if new_ids == self.ids:
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = self.ids
        persistent = self.persistentIndexList()
        self.ids = new_ids
        new_rows = {ident: row for row, ident in enumerate(new_ids)}
        self.changePersistentIndexList(
            persistent,
            [self.index(new_rows[old_ids[index.row()]], index.column()) for index in persistent],
        )
        self.layoutChanged.emit()

    def _order_rows(self, column: int, order: Qt.SortOrder) -> None:
        document = self.document
        assert document is not None
        records = document.state.actions_by_id
        judged = document.assessment.actions
        key = self._sort_key(column, records, judged, self._ref_keys)
        self.ids.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    @staticmethod
    def _sort_key(
        column: int,
        records: dict[int, ActionRecord],
        judged: dict[int, Assessment],
        ref_keys: dict[str, tuple[Any, ...]],
    ) -> Callable[[int], Any]:
        far = date.max
        rag_order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3, Rag.GREY: 4}

        def ref_sort_key(ref: str) -> tuple[Any, ...]:
            key = ref_keys.get(ref)
            if key is None:
                key = ref_keys[ref] = natural_key(ref)
            return key

        if column == Column.REF:
            return lambda i: ref_sort_key(records[i].ref)
        if column == Column.TITLE:
            return lambda i: records[i].title.lower()
        if column == Column.OWNER:
            return lambda i: (records[i].owner.lower(), ref_sort_key(records[i].ref))
        if column == Column.DEPARTMENT:
            return lambda i: (records[i].department.lower(), ref_sort_key(records[i].ref))
        if column == Column.START:
            return lambda i: (records[i].start or far, ref_sort_key(records[i].ref))
        if column == Column.DUE:
            return lambda i: (records[i].due, ref_sort_key(records[i].ref))
        if column == Column.STATUS:
            return lambda i: (records[i].status, ref_sort_key(records[i].ref))
        if column == Column.PERCENT:
            return lambda i: (records[i].percent_complete, ref_sort_key(records[i].ref))
        if column == Column.RAG:
            return lambda i: (rag_order[judged[i].rag], records[i].due, ref_sort_key(records[i].ref))
        if column == Column.FORECAST:
            return lambda i: (judged[i].forecast, ref_sort_key(records[i].ref))
        return lambda i: (depends_text(records[i]).lower(), ref_sort_key(records[i].ref))


# Columns whose order depends only on the actions' own fields (not on the rules' verdict).
_RECORD_SORT_COLUMNS = frozenset(Column) - {Column.RAG, Column.FORECAST}
_PLACE_AT_MOST = 64  # more re-read rows than this: sorting them all is as quick


class _Reversed:
    """A sort key compared the other way round (to place a row in a descending list)."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Reversed) -> bool:
        return bool(other.key < self.key)


class FlagChoice(enum.StrEnum):
    ALL = "all"
    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    DUE_SOON = "due_soon"
    ANY = "any"


FLAG_CHOICES = (
    ("All actions", FlagChoice.ALL),
    ("Overdue", FlagChoice.OVERDUE),
    ("At risk", FlagChoice.AT_RISK),
    ("Due soon", FlagChoice.DUE_SOON),
    ("Overdue, at risk or due soon", FlagChoice.ANY),
)

OPEN_STATUSES = "open"  # status filter value: anything not complete or cancelled


@dataclass(slots=True)
class ActionFilter:
    """What the filter bar asks for; empty means 'any'."""

    text: str = ""
    owner: str = ""
    department: str = ""
    status: str = ""
    flag: FlagChoice = FlagChoice.ALL
    objective_id: int | None = None

    def is_empty(self) -> bool:
        return not (self.text or self.owner or self.department or self.status or self.objective_id) and (
            self.flag == FlagChoice.ALL
        )


class ActionFilterProxy(QSortFilterProxyModel):
    """Filters the actions by text, owner, department, status, flag and objective.

    The accepted ids are computed in one Python pass per change; the proxy then
    asks only `id in accepted` per row. Sorting is handed to the source model.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.criteria = ActionFilter()
        self._accepted: set[int] | None = None  # None: everything
        self._haystacks: dict[int, tuple[ActionRecord, str]] = {}
        self._hay_key: tuple[int, int] | None = None
        self._hay_list: list[str] = []
        self._last: tuple[Any, ...] | None = None  # what the last pass found, to narrow as the officer types
        self._source: ActionTableModel | None = None
        self._filter_stale = False  # the rows passing changed and the view has not re-filtered yet
        self.setDynamicSortFilter(False)  # we say when to re-filter

    def setSourceModel(self, model: Any) -> None:  # noqa: N802
        super().setSourceModel(model)
        if isinstance(model, ActionTableModel):
            self._source = model
            model.before_refresh.append(self._source_refreshing)
            model.layoutChanged.connect(self._source_relaid)
            model.modelReset.connect(self._source_relaid)

    @property
    def actions_model(self) -> ActionTableModel:
        model = self.sourceModel()
        assert isinstance(model, ActionTableModel)
        return model

    def set_criteria(self, criteria: ActionFilter) -> None:
        self.criteria = criteria
        before = self._accepted
        self._recompute()
        if before is not None and self._accepted is not None and before == self._accepted:
            return  # the same rows pass (another letter of a word they all contain): nothing to redo
        self._begin_filter_change()
        self._end_filter_change()

    def _source_refreshing(self) -> None:
        """The plan changed: work out again which rows pass (refilter() applies it if that changed)."""
        before = self._accepted
        self._last = None  # what typing had narrowed to belongs to the old records
        self._hay_key = None
        self._recompute()
        self._filter_stale = before != self._accepted

    def _source_relaid(self) -> None:
        self._filter_stale = False  # a layout change of the source re-filters every row anyway

    def refilter(self) -> None:
        """Apply the same criteria to changed data (after an edit or a new status date).

        Re-filtering 20,000 rows costs a Python call each; it is done only when the rows that
        pass are not the ones shown (an edit seldom changes that).
        """
        if self._filter_stale:
            self._filter_stale = False
            self._begin_filter_change()
            self._end_filter_change()

    def _begin_filter_change(self) -> None:
        """Nothing to announce: the change is applied as one layout change (see _end_filter_change)."""

    def _end_filter_change(self) -> None:
        # One layout change, not a removal signal per range of hidden rows: with 20,000 scattered
        # rows the per-range signals (and the selection updates they cause) cost seconds.
        self.invalidate()

    def _haystacks_for(self, records: list[ActionRecord]) -> list[str]:
        """Lower-case search text per action, built once per snapshot (records are immutable)."""
        key = (id(records), len(records))
        if self._hay_key != key:
            cache = self._haystacks
            hays = []
            for record in records:
                cached = cache.get(record.id)
                if cached is None or cached[0] is not record:
                    text = " ".join((record.ref, record.title, record.owner, record.department, record.description))
                    cached = (record, text.lower())
                    cache[record.id] = cached
                hays.append(cached[1])
            self._hay_list = hays
            self._hay_key = key
        return self._hay_list

    def warm_up(self) -> None:
        """Build the search text ahead of the first keystroke (called when the window is idle)."""
        if self._source is not None and self._source.document is not None:
            self._haystacks_for(self._source.document.snapshot.actions)

    def _recompute(self) -> None:
        model = self._source
        if model is None or model.document is None:
            self._accepted = None
            return
        criteria = self.criteria
        if criteria.is_empty():
            self._accepted = None
            self._last = None
            return
        document = model.document
        records = document.snapshot.actions
        judged = document.assessment.actions
        state = (id(records), id(document.assessment))
        text = criteria.text.lower()
        rows: list[int]
        last = self._last
        if (
            last is not None
            and last[0] == state
            and last[1] == (criteria.owner, criteria.department, criteria.status, criteria.flag, criteria.objective_id)
            and last[2]
            and text.startswith(last[2])
        ):
            rows = last[3]  # typing on narrows what the last keystroke found
        else:
            rows = list(range(len(records)))
            if criteria.objective_id is not None:
                wanted = criteria.objective_id
                rows = [i for i in rows if records[i].objective_id == wanted]
            if criteria.owner:
                owner = criteria.owner.lower()
                rows = [i for i in rows if records[i].owner.lower() == owner]
            if criteria.department:
                department = criteria.department.lower()
                rows = [i for i in rows if records[i].department.lower() == department]
            if criteria.status == OPEN_STATUSES:
                rows = [i for i in rows if records[i].status not in ("complete", "cancelled")]
            elif criteria.status:
                status = criteria.status
                rows = [i for i in rows if records[i].status == status]
            flags: set[Flag] | None = {
                FlagChoice.ALL: None,
                FlagChoice.OVERDUE: {Flag.OVERDUE},
                FlagChoice.AT_RISK: {Flag.AT_RISK},
                FlagChoice.DUE_SOON: {Flag.DUE_SOON},
                FlagChoice.ANY: {Flag.OVERDUE, Flag.AT_RISK, Flag.DUE_SOON},
            }[criteria.flag]
            if flags is not None:
                rows = [i for i in rows if (v := judged.get(records[i].id)) is not None and v.flag in flags]
        if text:
            hays = self._haystacks_for(records)
            for word in text.split():
                rows = [i for i in rows if word in hays[i]]
        self._last = (
            state,
            (criteria.owner, criteria.department, criteria.status, criteria.flag, criteria.objective_id),
            text,
            rows,
        )
        self._accepted = {records[i].id for i in rows}

    def accepted_ids(self) -> set[int] | None:
        """The actions the filter lets through (None: all): the timeline shows the same ones."""
        return self._accepted

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        accepted = self._accepted
        if accepted is None:
            return True
        return self._source.ids[source_row] in accepted  # type: ignore[union-attr]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source sorts its own rows (fast, in Python); the proxy keeps source order.
        if column < 0:
            return
        self.actions_model.sort(column, order)

    def action_id_at(self, proxy_row: int) -> int | None:
        if not 0 <= proxy_row < self.rowCount():
            return None
        source = self.mapToSource(self.index(proxy_row, 0))
        return self.actions_model.ids[source.row()] if source.isValid() else None

    def proxy_row_of(self, action_id: int) -> int:
        row = self.actions_model.row_of(action_id)
        if row < 0:
            return -1
        return self.mapFromSource(self.actions_model.index(row, 0)).row()


ref_sort_key = natural_key  # the name other modules use
