"""The detail panel's Dependencies tab: the actions this one waits on, those waiting on it, its external waits.

A base of ActionDetailPanel (views/action_detail.py): it builds the tab and makes
its edits (add, remove or change a dependency; wait on an external or stop).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QWidget

from egov_planner.model.dates import british
from egov_planner.model.entities import DEPENDENCY_TYPES
from egov_planner.model.errors import PlanError
from egov_planner.model.records import ActionRecord, ExternalRecord, LinkRecord
from egov_planner.ui.commands import (
    AddDependencyCommand,
    ChangeDependencyCommand,
    LinkExternalCommand,
    RemoveDependencyCommand,
    UnlinkExternalCommand,
)
from egov_planner.ui.document import PlanDocument, refusal_text
from egov_planner.ui.models.records import CHOICE, INTEGER, RecordColumn, RecordTableModel
from egov_planner.ui.widgets.fields import ChoiceCombo, Field, NameCombo
from egov_planner.ui.widgets.panels import push_button, section_title, tab_page
from egov_planner.ui.widgets.tables import RecordTableView

# The picker lists "A2.1 — Agree the timetable": the ref is what is added, the title is how it is recognised.
REF_TITLE_DASH = " — "

KIND_NAMES = {
    "FS": "FS – finish to start",
    "SS": "SS – start to start",
    "FF": "FF – finish to finish",
    "SF": "SF – start to finish",
}
KIND_CHOICES: list[tuple[str, object]] = [(k, k) for k in DEPENDENCY_TYPES]


def _row_field(target: QWidget, stretch: int, *after: QWidget) -> Field:
    """target (stretched) and the widgets after it in one row, a refusal shown under the row; target gets the border."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(target, stretch)
    for widget in after:
        row.addWidget(widget)
    box = QWidget()
    box.setLayout(row)
    return Field(box, target=target)


class DependenciesTab(QWidget):
    """Builds the Dependencies tab and edits what it shows."""

    go_to_action = Signal(int)
    status_message = Signal(str)

    document: PlanDocument | None

    if TYPE_CHECKING:  # ActionDetailPanel's own

        def current_action(self) -> ActionRecord | None: ...
        def _run(self, command: QUndoCommand) -> PlanError | None: ...

    def _dependencies_tab(self) -> QWidget:
        page, layout = tab_page("Waits on (predecessors)")
        self.predecessor_model = RecordTableModel(
            [
                *self._linked_action_columns(lambda k: (k.predecessor_ref, k.predecessor_id), 150),
                RecordColumn(
                    "Type",
                    lambda k: k.kind,
                    editor=CHOICE,
                    value=lambda k: k.kind,
                    choices=lambda: KIND_CHOICES,
                    commit=self._change_kind,
                    width=48,
                    tooltip=lambda k: KIND_NAMES.get(k.kind),
                ),
                RecordColumn(
                    "Lag",
                    lambda k: f"{k.lag_days:+d}d" if k.lag_days else "0",
                    editor=INTEGER,
                    value=lambda k: k.lag_days,
                    commit=self._change_lag,
                    width=52,
                    align_right=True,
                    tooltip=lambda k: "Lag in days (negative: a lead). Double-click to change.",
                ),
                RecordColumn(
                    "Forecast",
                    lambda k: self._forecast_of(k.predecessor_id),
                    width=80,
                    tooltip=lambda k: f"When {k.predecessor_ref} is forecast to finish",
                ),
            ]
        )
        self.predecessor_view = RecordTableView(self.predecessor_model, "Predecessors")
        self.predecessor_view.setMinimumHeight(110)
        self.predecessor_view.doubleClicked.connect(self._open_predecessor)
        layout.addWidget(self.predecessor_view, 2)

        self.predecessor_ref = NameCombo("Predecessor to add")
        self.predecessor_ref.setMinimumContentsLength(16)
        ref_line = self.predecessor_ref.lineEdit()
        assert ref_line is not None
        ref_line.setPlaceholderText("Action ref or words of its title, e.g. A2.1")
        self.kind_combo = ChoiceCombo(KIND_CHOICES, "Dependency type")
        for position, kind in enumerate(DEPENDENCY_TYPES):
            self.kind_combo.setItemData(position, KIND_NAMES[kind], Qt.ItemDataRole.ToolTipRole)
        self.kind_combo.setToolTip(
            "FS finish to start (usual), SS start to start, FF finish to finish, SF start to finish"
        )
        self.lag_spin = QSpinBox()
        self.lag_spin.setRange(-3650, 3650)
        self.lag_spin.setSuffix(" d")
        self.lag_spin.setAccessibleName("Lag in days")
        self.lag_spin.setToolTip("Lag in days (negative for a lead)")
        self.add_predecessor_button = push_button("&Add", self.add_predecessor, accessible_name="Add predecessor")
        ref_line.returnPressed.connect(self.add_predecessor)
        self.remove_predecessor_button = push_button(
            "Rem&ove", self.remove_predecessor, accessible_name="Remove selected predecessor"
        )
        # The refusal (a cycle, named) shows under the whole row; the ref box gets the red border.
        self.predecessor_field = _row_field(
            self.predecessor_ref,
            2,
            self.kind_combo,
            self.lag_spin,
            self.add_predecessor_button,
            self.remove_predecessor_button,
        )
        layout.addWidget(self.predecessor_field)

        layout.addWidget(section_title("Waiting on this action (successors)"))
        self.successor_model = RecordTableModel(
            [
                *self._linked_action_columns(lambda k: (k.successor_ref, k.successor_id), 200),
                RecordColumn("Type", lambda k: k.as_text.split(" ", 1)[1] if " " in k.as_text else "FS", width=80),
            ]
        )
        self.successor_view = RecordTableView(self.successor_model, "Successors")
        self.successor_view.setMinimumHeight(80)
        self.successor_view.doubleClicked.connect(self._open_successor)
        layout.addWidget(self.successor_view, 1)

        layout.addWidget(section_title("External dependencies"))
        self.external_model = RecordTableModel(
            [
                RecordColumn(
                    "Name", lambda e: e.name, width=160, stretch=True, tooltip=lambda e: f"{e.name}\n{e.notes}".strip()
                ),
                RecordColumn("Expected", lambda e: british(e.expected_on), width=78),
                RecordColumn("Delivered", lambda e: british(e.delivered_on), width=78),
                RecordColumn(
                    "Conf.", lambda e: e.confidence, width=60, tooltip=lambda e: f"Confidence: {e.confidence}"
                ),
            ]
        )
        self.external_view = RecordTableView(self.external_model, "External dependencies of this action")
        self.external_view.setMinimumHeight(70)
        layout.addWidget(self.external_view, 1)
        self.external_combo = ChoiceCombo([], "External dependency to add")
        self.add_external_button = push_button(
            "Add &wait", self.add_external, accessible_name="Add external dependency"
        )
        self.remove_external_button = push_button(
            "&Stop waiting", self.remove_external, accessible_name="Remove selected external dependency"
        )
        self.external_field = _row_field(self.external_combo, 1, self.add_external_button, self.remove_external_button)
        layout.addWidget(self.external_field)
        return page

    # --- helpers for the tables -------------------------------------------------------------------

    def _linked_action_columns(self, end: Callable[[LinkRecord], tuple[str, int]], width: int) -> list[RecordColumn]:
        """Ref and title of the action at one end of each link: end gives its ref and id."""
        return [
            RecordColumn("Ref", lambda k: end(k)[0], width=52),
            RecordColumn(
                "Action",
                lambda k: self._title_of(end(k)[1]),
                width=width,
                stretch=True,
                tooltip=lambda k: self._title_of(end(k)[1]),
            ),
        ]

    def _title_of(self, action_id: int) -> str:
        record = self.document.action(action_id) if self.document else None
        return record.title if record else ""

    def _forecast_of(self, action_id: int) -> str:
        if self.document is None:
            return ""
        judged = self.document.assessment.actions.get(action_id)
        return british(judged.forecast) if judged else ""

    def _open_predecessor(self, index: QModelIndex) -> None:
        link = self.predecessor_model.record_at(index.row())
        if link is not None and index.column() in (0, 1, 4):
            self.go_to_action.emit(link.predecessor_id)

    def _open_successor(self, index: QModelIndex) -> None:
        link = self.successor_model.record_at(index.row())
        if link is not None:
            self.go_to_action.emit(link.successor_id)

    def _change_kind(self, link: LinkRecord, kind: Any) -> str | None:
        assert self.document is not None
        error = self._run(ChangeDependencyCommand(self.document, link, str(kind), link.lag_days))
        return refusal_text(error) if error else None

    def _change_lag(self, link: LinkRecord, lag: Any) -> str | None:
        assert self.document is not None
        error = self._run(ChangeDependencyCommand(self.document, link, link.kind, int(lag)))
        return refusal_text(error) if error else None

    def add_predecessor(self) -> None:
        record = self.current_action()
        document = self.document
        if record is None or document is None:
            return
        ref = self.predecessor_ref.currentText().split(REF_TITLE_DASH)[0].strip()  # "A2.1 — title" or "A2.1"
        if not ref:
            self.predecessor_field.set_error("type the ref of the action this one waits on (e.g. A2.1)")
            return
        predecessor = document.action_by_ref(ref)
        if predecessor is None:
            self.predecessor_field.set_error(f"there is no action {ref} in this plan")
            return
        kind = str(self.kind_combo.currentData())
        error = self._run(AddDependencyCommand(document, predecessor, record, kind, self.lag_spin.value()))
        if error is not None:
            self.predecessor_field.set_error(refusal_text(error))
            self.status_message.emit(f"Not saved: {refusal_text(error)}")
            return
        self.predecessor_field.clear_error()
        self.predecessor_ref.set_value("")
        self.lag_spin.setValue(0)
        self.kind_combo.set_value("FS")

    def remove_predecessor(self) -> None:
        link = self.predecessor_view.selected_record()
        if link is None or self.document is None:
            self.status_message.emit("Select the predecessor to remove first.")
            return
        error = self._run(RemoveDependencyCommand(self.document, link))
        if error is not None:
            self.predecessor_field.set_error(refusal_text(error))

    def add_external(self) -> None:
        record = self.current_action()
        document = self.document
        if record is None or document is None:
            return
        external_id = self.external_combo.currentData()
        if external_id is None:
            self.external_field.set_error("add the external dependency in the register first")
            return
        external: ExternalRecord | None = document.state.externals_by_id.get(int(external_id))
        name = external.name if external else ""
        error = self._run(LinkExternalCommand(document, record, int(external_id), name))
        if error is not None:
            self.external_field.set_error(refusal_text(error))
        else:
            self.external_field.clear_error()

    def remove_external(self) -> None:
        record = self.current_action()
        external = self.external_view.selected_record()
        if record is None or external is None or self.document is None:
            self.status_message.emit("Select the external dependency to stop waiting on first.")
            return
        error = self._run(UnlinkExternalCommand(self.document, record, external.id, external.name))
        if error is not None:
            self.external_field.set_error(refusal_text(error))
