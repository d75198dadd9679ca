"""The filter bar over the actions table: text, owner, department, status, flag, objective; 'N of M actions'."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from egov_planner.model.entities import STATUS_VALUES
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.models.actions import FLAG_CHOICES, OPEN_STATUSES, ActionFilter, FlagChoice, status_label
from egov_planner.ui.widgets.editing import pass_plan_undo_through
from egov_planner.ui.widgets.panels import clear_quietly


def _fill(combo: QComboBox, items: Sequence[tuple[str, object]]) -> None:
    """Replace a combo's items, keeping the current choice when it still exists."""
    if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
        return
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, value in items:
        combo.addItem(text, value)
    position = combo.findData(current)
    combo.setCurrentIndex(max(position, 0))
    combo.blockSignals(False)


class FilterBar(QWidget):
    """Narrows the actions table; every change answers at once."""

    changed = Signal(object)  # ActionFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search ref, action, owner, department… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search actions")
        self.search.setMinimumWidth(160)
        pass_plan_undo_through(self.search)
        self.owner = QComboBox()
        self.owner.setAccessibleName("Filter by owner")
        self.department = QComboBox()
        self.department.setAccessibleName("Filter by department")
        self.status = QComboBox()
        self.status.setAccessibleName("Filter by status")
        self.flag = QComboBox()
        self.flag.setAccessibleName("Filter by flag")
        self.objective = QComboBox()
        self.objective.setAccessibleName("Filter by objective")
        for combo in (self.owner, self.department, self.status, self.flag, self.objective):
            # Narrow minimums: the bar must fit beside the tree and the detail panel on a laptop.
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumWidth(90)
        _fill(
            self.status,
            [("All statuses", ""), ("Open (not done)", OPEN_STATUSES)]
            + [(status_label(s).capitalize(), s) for s in STATUS_VALUES],
        )
        _fill(self.flag, [(label, value) for label, value in FLAG_CHOICES])
        for combo in (self.status, self.flag):  # their first choice ("All statuses") is always readable
            combo.setMinimumWidth(max(90, combo.fontMetrics().horizontalAdvance(combo.itemText(0)) + 36))
        _fill(self.owner, [("All owners", "")])
        _fill(self.department, [("All departments", "")])
        _fill(self.objective, [("All objectives", None)])
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Show every action")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.clicked.connect(self.clear)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.count.setAccessibleName("Actions shown")
        self.count.setMinimumWidth(110)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        first = QHBoxLayout()
        first.setSpacing(6)
        # Status and flag share the search's line: five boxes on one line were clipped at 1280 wide.
        first.addWidget(self.search, 3)
        first.addWidget(self.status, 1)
        first.addWidget(self.flag, 1)
        first.addWidget(self.count)
        second = QHBoxLayout()
        second.setSpacing(6)
        for combo, stretch in ((self.objective, 3), (self.owner, 2), (self.department, 2)):
            second.addWidget(combo, stretch)
        second.addWidget(self.clear_button)
        layout.addLayout(first)
        layout.addLayout(second)

        self.search.textChanged.connect(self._emit)
        for combo in (self.owner, self.department, self.status, self.flag, self.objective):
            combo.currentIndexChanged.connect(self._emit)

    def set_document(self, document: PlanDocument | None) -> None:
        if document is None:
            return
        snapshot = document.snapshot
        owners = sorted({p.name for p in snapshot.people}, key=str.lower)  # every owner is a person in the plan
        _fill(self.owner, [("All owners", "")] + [(name, name) for name in owners])
        departments = sorted({d.name for d in snapshot.departments}, key=str.lower)
        _fill(self.department, [("All departments", "")] + [(name, name) for name in departments])
        _fill(self.objective, [("All objectives", None)] + [(f"{o.ref} {o.title}", o.id) for o in snapshot.objectives])

    def criteria(self) -> ActionFilter:
        return ActionFilter(
            text=self.search.text().strip(),
            owner=str(self.owner.currentData() or ""),
            department=str(self.department.currentData() or ""),
            status=str(self.status.currentData() or ""),
            flag=FlagChoice(self.flag.currentData() or FlagChoice.ALL),
            objective_id=self.objective.currentData(),
        )

    def _emit(self, *_args: object) -> None:
        self.changed.emit(self.criteria())

    def set_flag(self, flag: FlagChoice) -> None:
        self.flag.setCurrentIndex(max(self.flag.findData(flag), 0))

    def set_objective(self, objective_id: int | None) -> None:
        position = self.objective.findData(objective_id)
        self.objective.setCurrentIndex(max(position, 0))

    def clear(self) -> None:
        clear_quietly(self.search, (self.owner, self.department, self.status, self.flag, self.objective))
        self._emit()

    def show_count(self, shown: int, total: int) -> None:
        self.count.setText(f"{shown:,} of {total:,} actions")
