"""The external dependencies register: what the council waits on, when it is expected, who waits.

Each cell edits in place (an undoable edit through PlanService); the actions
and BVPI services waiting on the selected dependency are listed beneath.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from egov_planner.model.dates import british
from egov_planner.model.entities import CONFIDENCE_VALUES, INTERACTION_TYPES
from egov_planner.model.records import ExternalRecord, ServiceRowRecord
from egov_planner.ui.commands import AddExternalCommand, DeleteExternalCommand, EditExternalCommand
from egov_planner.ui.models.records import (
    CHOICE,
    RecordColumn,
    RecordTableModel,
    date_column,
    due_column,
    notes_column,
    text_column,
)
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.views.edits import add_named, attempt
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.widgets.panels import column, delete_button, entry_row, name_entry, push_button, section_title
from egov_planner.ui.widgets.tables import AssessedActionsView, RecordTableView

CONFIDENCE_CHOICES = [(value.capitalize(), value) for value in CONFIDENCE_VALUES]


class ExternalsView(LazyView):
    """The register of external dependencies (editable), with what waits on each."""

    open_action = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._waiting_actions: dict[int, list[int]] = {}
        self._waiting_services: dict[int, list[str]] = {}
        self._waiting_rows: dict[int, list[ServiceRowRecord]] = {}

        def edit(name: str) -> Any:
            return lambda record, value: self._edit(record, name, value)

        self.model = RecordTableModel(
            [
                text_column("Name", "name", edit("name"), 300, tooltip=lambda e: e.name),
                text_column("Organisation", "organisation", edit("organisation"), 220),
                date_column(
                    "Expected",
                    "expected_on",
                    edit("expected_on"),
                    90,
                    foreground=lambda e: "#C0392B" if e.expected_on is None and e.delivered_on is None else None,
                    tooltip=lambda e: (
                        "No expected date: the actions waiting on it cannot be forecast"
                        if e.expected_on is None and e.delivered_on is None
                        else None
                    ),
                ),
                RecordColumn(
                    "Confidence",
                    lambda e: e.confidence.capitalize(),
                    editor=CHOICE,
                    value=lambda e: e.confidence,
                    choices=lambda: CONFIDENCE_CHOICES,
                    commit=edit("confidence"),
                    width=90,
                    foreground=lambda e: "#B35900" if e.confidence == "low" and e.delivered_on is None else None,
                ),
                date_column("Last checked", "last_checked_on", edit("last_checked_on"), 108, blank_first=True),
                date_column("Delivered", "delivered_on", edit("delivered_on"), 90),
                RecordColumn("Actions waiting", self._waiting_text, width=170, tooltip=self._waiting_text),
                RecordColumn(
                    "Services waiting",
                    lambda e: len(self._waiting_services.get(e.id, [])) or "",
                    width=124,
                    align_right=True,
                    tooltip=lambda e: "\n".join(self._waiting_services.get(e.id, [])) or None,
                ),
                notes_column("Notes", "notes", edit("notes"), 300, stretch=True),
            ]
        )
        self.table = RecordTableView(self.model, "External dependencies register")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_waiting())

        self.new_name, self.new_name_field, self.add_button = name_entry(
            "Name of a new external dependency, e.g. the national project",
            "New external dependency name",
            "&Add to register",
            self.add_external,
        )
        self.checked_button = push_button(
            "Checked &today", self.checked_today, "Record that the selected dependency's date was checked today"
        )
        self.delete_button = delete_button(
            "De&lete",
            self.table,
            self.delete_external,
            "Delete the selected dependency (undo brings it back with what waited on it)",
        )

        self.waiting_view = AssessedActionsView(
            360,
            [
                RecordColumn("Owner", lambda r: r[0].owner, width=180),
                due_column(),
                RecordColumn("Forecast", lambda r: british(r[1].forecast) if r[1] else "", width=90),
                RecordColumn("Why", lambda r: r[1].reason if r[1] else "", width=300, stretch=True),
            ],
            "Actions waiting on the selected dependency",
            self.open_action.emit,
        )
        self.waiting_model = self.waiting_view.record_model
        self.waiting_title = section_title("Actions waiting on the selected dependency")
        # The count in the register's "Services waiting" column, listed: which service, which interaction.
        self.services_model = RecordTableModel(
            [
                RecordColumn("Service", lambda r: r.service, width=220, tooltip=lambda r: r.service),
                RecordColumn(
                    "Interaction",
                    lambda r: f"{r.interaction} {INTERACTION_TYPES.get(r.interaction, '')}".strip(),
                    width=200,
                    stretch=True,
                ),
                RecordColumn("Department", lambda r: r.department, width=140),
            ]
        )
        self.services_model.read_only = True
        self.services_view = RecordTableView(self.services_model, "Services waiting on the selected dependency")
        self.services_title = section_title("Services waiting on the selected dependency")
        for title in (self.waiting_title, self.services_title):
            title.setWordWrap(True)  # a long dependency name wraps rather than widening the window

        top, top_layout = column("External dependencies register")
        hint = QLabel(
            "Things the council does not control. Double-click a cell (or press F2) to change it; "
            "every change can be undone."
        )
        hint.setObjectName("muted")
        top_layout.addWidget(hint)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(entry_row(self.new_name_field, self.add_button, self.checked_button, self.delete_button))
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        actions_box, actions_layout = column()
        actions_layout.addWidget(self.waiting_title)
        actions_layout.addWidget(self.waiting_view, 1)
        services_box, services_layout = column()
        services_layout.addWidget(self.services_title)
        services_layout.addWidget(self.services_view, 1)
        bottom_layout.addWidget(actions_box, 3)
        bottom_layout.addWidget(services_box, 2)
        self.fill_with_splitter(Qt.Orientation.Vertical, (top, bottom), [420, 300])

    def _waiting_text(self, external: ExternalRecord) -> str:
        document = self.document
        if document is None:
            return ""
        refs = [document.action(a).ref for a in self._waiting_actions.get(external.id, []) if document.action(a)]  # type: ignore[union-attr]
        return ", ".join(refs)

    def set_editable(self, editable: bool) -> None:
        self.model.read_only = not editable
        for widget in (self.new_name, self.add_button, self.checked_button, self.delete_button):
            widget.setEnabled(editable)

    def refresh(self) -> None:
        document = self.document
        if document is None:
            self.model.set_records([])
            self.waiting_view.show_assessed([], {})
            return
        snapshot = document.snapshot
        waiting: dict[int, list[int]] = defaultdict(list)
        for action_id, external_id in snapshot.waits_on:
            waiting[external_id].append(action_id)
        self._waiting_actions = dict(waiting)
        services: dict[int, list[str]] = defaultdict(list)
        rows: dict[int, list[ServiceRowRecord]] = defaultdict(list)
        for row in snapshot.service_rows:
            if row.external_id is not None:
                services[row.external_id].append(f"{row.service}: {INTERACTION_TYPES.get(row.interaction, '')}")
                rows[row.external_id].append(row)
        self._waiting_services = dict(services)
        self._waiting_rows = dict(rows)
        self.table.show_records(snapshot.externals)
        self._show_waiting()

    def selected(self) -> ExternalRecord | None:
        return self.table.selected_of(ExternalRecord)

    def _show_waiting(self) -> None:
        document = self.document
        external = self.selected()
        if document is None or external is None:
            self.waiting_view.show_assessed([], {})
            self.services_model.set_records([])
            self.services_title.setText("Services waiting on the selected dependency")
            return
        waiting = (document.action(action_id) for action_id in self._waiting_actions.get(external.id, []))
        count = self.waiting_view.show_assessed((a for a in waiting if a is not None), document.assessment.actions)
        self.waiting_title.setText(f"Actions waiting on {external.name} ({count})")
        rows = sorted(self._waiting_rows.get(external.id, []), key=lambda r: (r.service.lower(), r.interaction))
        self.services_model.set_records(rows)
        self.services_title.setText(f"Services waiting on {external.name} ({len(rows)})")

    def _edit(self, external: ExternalRecord, name: str, value: Any) -> str | None:
        assert self.document is not None
        if isinstance(value, str):
            value = value.strip() if name != "notes" else value
        before = {name: getattr(external, name)}
        return attempt(
            self.document, EditExternalCommand(self.document, external.id, external.name, before, {name: value})
        )

    def add_external(self) -> None:
        if self.document is not None:  # then its expected date (column 2), what matters next
            add_named(
                self.document, self.new_name, self.new_name_field, "dependency", AddExternalCommand, (self.table, 2)
            )

    def checked_today(self) -> None:
        external = self.selected()
        if external is None or self.document is None:
            self.status_message.emit("Select a dependency first.")
            return
        refusal = self._edit(external, "last_checked_on", date.today())
        if refusal:
            self.table.refuse(self.table.currentIndex(), None, refusal)

    def delete_external(self) -> None:
        external = self.selected()
        document = self.document
        if external is None or document is None:
            self.status_message.emit("Select a dependency first.")
            return
        error = document.execute(DeleteExternalCommand(document, external.id, external.name))
        if error is not None:
            self.table.refuse(self.table.currentIndex(), None, refusal_text(error))
        else:
            self.status_message.emit(f"Deleted {external.name} (Undo brings it back)")
