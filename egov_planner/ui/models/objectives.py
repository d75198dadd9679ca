"""The objectives tree: 'Whole plan' at the top, each improvement objective under it with its roll-up RAG."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from egov_planner.model.rules import Rag, roll_up
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.models.actions import RAG_ROLE
from egov_planner.ui.theme import rag_icon

OBJECTIVE_ID_ROLE = Qt.ItemDataRole.UserRole + 10
ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # the default 'no parent' index, made once
_ROOT = 0  # internal id of the "Whole plan" row (objective ids start at 1)


class ObjectiveTreeModel(QAbstractItemModel):
    """Two levels: the whole plan, then its objectives in plan order."""

    def __init__(self, document: PlanDocument | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: PlanDocument | None = None
        self.objective_ids: list[int] = []
        self._counts: Counter[int] = Counter()
        self._flags: dict[int, Counter[str]] | None = None  # per objective, for tooltips; None: count again
        self._shown: list[tuple[Rag, int]] = []  # what each row last showed: its RAG and count
        if document is not None:
            self.set_document(document)

    def set_document(self, document: PlanDocument | None) -> None:
        self.beginResetModel()
        self.document = document
        self._load(recount=True)
        self.endResetModel()

    def _load(self, recount: bool) -> None:
        document = self.document
        self.objective_ids = [o.id for o in document.snapshot.objectives] if document else []
        self._flags = None
        if document is None:
            self._counts = Counter()
            self._shown = []
            return
        if recount:
            self._counts = Counter(a.objective_id for a in document.snapshot.actions)
        self._shown = self._showing()

    def _showing(self) -> list[tuple[Rag, int]]:
        """Each row's RAG and action count, whole plan first: what a redraw would change."""
        document = self.document
        assert document is not None
        rows = [(self._rag(None), len(document.snapshot.actions))]
        rows += [(self._rag(objective_id), self._counts.get(objective_id, 0)) for objective_id in self.objective_ids]
        return rows

    def _flag_counts(self) -> dict[int, Counter[str]]:
        """Flags per objective, for the tooltips: counted when first asked for after a change."""
        document = self.document
        if document is None:
            return {}
        if self._flags is None:
            flags: dict[int, Counter[str]] = {}
            judged = document.assessment.actions
            for action in document.snapshot.actions:
                verdict = judged.get(action.id)
                if verdict is not None and verdict.flag is not None:
                    flags.setdefault(action.objective_id, Counter())[verdict.flag.label.lower()] += 1
            self._flags = flags
        return self._flags

    def refresh(self) -> bool:
        """Follow a change: redraw only the rows whose RAG or count moved (usually none).

        True when the objectives themselves came or went and the tree was rebuilt (the view unfolds it again)."""
        document = self.document
        if document is None:
            return False
        if [o.id for o in document.snapshot.objectives] != self.objective_ids:
            self.set_document(document)
            return True
        full = document.last_scope == "full"
        before = self._shown
        # Counts change only when actions come, go or move objective: not for a new status date.
        self._load(recount=full or document.last_changed_ids != frozenset())
        top = self.index(0, 0)
        for row, (old, new) in enumerate(zip(before, self._shown, strict=False)):
            if full or old != new:  # after a reload, titles may have changed too
                first = top if row == 0 else self.index(row - 1, 0, top)
                self.dataChanged.emit(first, first.siblingAtColumn(1))
        return False

    # --- structure ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = _NO_PARENT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _ROOT)
        return self.createIndex(row, column, self.objective_ids[row])

    def parent(self, index: ModelIndex = _NO_PARENT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _ROOT:
            return QModelIndex()
        return self.createIndex(0, 0, _ROOT)

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:  # noqa: N802
        if self.document is None:
            return 0
        if not parent.isValid():
            return 1
        if parent.internalId() == _ROOT and parent.column() == 0:
            return len(self.objective_ids)
        return 0

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:  # noqa: N802
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Objectives", "Actions")[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- data -------------------------------------------------------------------------------------

    def objective_id_of(self, index: ModelIndex) -> int | None:
        """None for the whole plan."""
        if not index.isValid() or index.internalId() == _ROOT:
            return None
        return int(index.internalId())

    def index_of(self, objective_id: int | None) -> QModelIndex:
        top = self.index(0, 0)
        if objective_id is None:
            return top
        try:
            return self.index(self.objective_ids.index(objective_id), 0, top)
        except ValueError:
            return top

    def _rag(self, objective_id: int | None) -> Rag:
        document = self.document
        assert document is not None
        if objective_id is None:
            return roll_up(document.assessment.objectives.values())
        return document.assessment.objectives.get(objective_id, Rag.GREY)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        document = self.document
        if document is None or not index.isValid():
            return None
        objective_id = self.objective_id_of(index)
        objective = document.objective(objective_id) if objective_id is not None else None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                count = len(document.snapshot.actions) if objective_id is None else self._counts.get(objective_id, 0)
                return str(count)
            if objective is None:
                return "Whole plan"
            return f"{objective.ref}  {objective.title}"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return rag_icon(self._rag(objective_id))
        if role == RAG_ROLE:
            return self._rag(objective_id)
        if role == OBJECTIVE_ID_ROLE:
            return objective_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            rag = self._rag(objective_id)
            counts = self._flag_counts()
            if objective_id is None:
                flags = Counter[str]()
                for counter in counts.values():
                    flags.update(counter)
                name = "The whole plan"
            else:
                flags = counts.get(objective_id, Counter())
                name = f"{objective.ref} {objective.title}" if objective else ""
            detail = ", ".join(f"{count} {label}" for label, count in sorted(flags.items()))
            lead = f"\nLead: {objective.lead}" if objective is not None and objective.lead else ""
            exempt = (
                f"\nExempt (Schedule 12A paragraph {objective.exempt_paragraph})"
                if objective is not None and objective.exempt_paragraph
                else ""
            )
            count = len(document.snapshot.actions) if objective_id is None else self._counts.get(objective_id, 0)
            actions = f"\n{count} action{'' if count == 1 else 's'}"  # the Actions column hides when narrow
            return (
                f"{name}{actions}\nRAG: {rag.label} ({rag.value})" + (f" — {detail}" if detail else "") + lead + exempt
            )
        return None
