"""BVPI 157: the position now and at each milestone, the chart, breakdowns, the shortfall, and the rows.

The figures come from model.bvpi.bvpi_position (rules.py's arithmetic), so the
window, the `bvpi` command and the pack agree. Rows edit in place; Add row… and
Delete row change the list, each one undoable edit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.bvpi import BvpiPosition, bvpi_position
from egov_planner.model.dates import british
from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.records import ServiceRowRecord
from egov_planner.model.rules import BVPI_TARGET_DATE, BvpiFigure, effective_forecast, enabled_at
from egov_planner.ui.commands import (
    DeleteServiceRowCommand,
    EditServiceCommand,
    EditServiceRowCommand,
    service_row_label,
)
from egov_planner.ui.models.records import (
    CHOICE,
    OPTIONAL_INTEGER,
    RecordColumn,
    RecordTableModel,
    date_column,
    name_column,
    text_column,
    yes_no_column,
)
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.views.edits import attempt
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.views.service_row_dialog import ServiceRowDialog
from egov_planner.ui.widgets.badges import CountCard
from egov_planner.ui.widgets.bvpi_chart import BvpiChart, snapshot_series
from egov_planner.ui.widgets.panels import clear_quietly, delete_button, push_button
from egov_planner.ui.widgets.tables import RecordTableView

INTERACTION_CHOICES = [(f"{code} {name}", code) for code, name in INTERACTION_TYPES.items()]
STATE_CHOICES = [
    ("All rows", ""),
    ("e-enabled now", "enabled"),
    ("Not yet e-enabled", "pending"),
    ("Keeping it under 100%", "shortfall"),
    ("Not legally permissible", "not_permissible"),
]


def _percent_colour(percent: float) -> str | None:
    if percent >= 100:
        return "#2E8B57"
    if percent < 50:
        return "#C0392B"
    return None


class BvpiView(LazyView):
    """BVPI 157 as at the status date, with the service x interaction rows to edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.position: BvpiPosition | None = None
        self._shortfall: dict[int, str] = {}

        heading = QLabel(
            "BVPI 157 — interactions e-enabled as a % of those legally permissible (target 100% by 31/12/2005)"
        )
        heading.setObjectName("panelTitle")
        # The position counts only actual e-enabled-on dates; "actual, else forecast" is a forecast and says so.
        self.now_card = CountCard("Position")
        self.forecast_card = CountCard("Forecast")
        self.milestone_cards: list[CountCard] = []
        self.cards_row = QHBoxLayout()
        self.cards_row.setSpacing(8)
        self.cards_row.addWidget(self.now_card)
        self.cards_row.addWidget(self.forecast_card)

        self.chart = BvpiChart()

        figure_columns = [
            RecordColumn("e-enabled", lambda r: r[1].enabled, width=82, align_right=True),
            RecordColumn("Permissible", lambda r: r[1].permissible, width=96, align_right=True),
            RecordColumn(
                "%",
                lambda r: f"{r[1].percent:.1f}%",
                width=70,
                align_right=True,
                sort_key=lambda r: r[1].percent,
                foreground=lambda r: _percent_colour(r[1].percent),
            ),
        ]
        self.department_model = RecordTableModel(
            [RecordColumn("Department", lambda r: r[0] or "(no department)", width=240, stretch=True), *figure_columns]
        )
        self.department_model.key = lambda row: row[0]
        self.interaction_model = RecordTableModel(
            [
                RecordColumn(
                    "Interaction type",
                    lambda r: f"{r[0]} {INTERACTION_TYPES[r[0]]}",
                    width=300,
                    stretch=True,
                    sort_key=lambda r: r[0],
                ),
                *figure_columns,
            ]
        )
        self.interaction_model.key = lambda row: row[0]
        self.shortfall_model = RecordTableModel(
            [
                RecordColumn("Service", lambda s: s.row.service, width=200),
                RecordColumn("Interaction", lambda s: INTERACTION_TYPES[s.row.interaction], width=170),
                RecordColumn("Department", lambda s: s.row.department, width=170),
                RecordColumn("Why", lambda s: s.reason, width=320, tooltip=lambda s: s.reason, stretch=True),
            ]
        )
        self.shortfall_model.key = lambda shortfall: shortfall.row.id
        self.breakdown_tabs = QTabWidget()
        self.breakdown_tabs.setDocumentMode(True)
        self.department_view = RecordTableView(self.department_model, "BVPI 157 by department")
        self.interaction_view = RecordTableView(self.interaction_model, "BVPI 157 by interaction type")
        self.shortfall_view = RecordTableView(self.shortfall_model, "Rows keeping BVPI 157 under 100%")
        self.breakdown_tabs.addTab(self.department_view, "By &department")
        self.breakdown_tabs.addTab(self.interaction_view, "By &interaction type")
        self.breakdown_tabs.addTab(self.shortfall_view, "&Keeping it under 100%")

        def row_edit(name: str) -> Any:
            return lambda record, value: self._edit_row(record, name, value)

        def service_edit(name: str) -> Any:
            return lambda record, value: self._edit_service(record, name, value)

        self.rows_model = RecordTableModel(
            [
                text_column(
                    "Service",
                    "service",
                    service_edit("name"),
                    220,
                    tooltip=lambda r: f"{r.service} (renaming changes every row of this service)",
                ),
                RecordColumn(
                    "LGSL",
                    lambda r: r.lgsl,
                    editor=OPTIONAL_INTEGER,
                    commit=service_edit("lgsl"),
                    width=52,
                    align_right=True,
                    sort_key=lambda r: r.lgsl or 0,
                ),
                name_column("Department", "department", service_edit("department"), 190, self._department_choices),
                RecordColumn(
                    "Interaction",
                    lambda r: f"{r.interaction} {INTERACTION_TYPES.get(r.interaction, '')}",
                    editor=CHOICE,
                    value=lambda r: r.interaction,
                    choices=lambda: INTERACTION_CHOICES,
                    commit=row_edit("interaction"),
                    width=220,
                    sort_key=lambda r: r.interaction,
                ),
                yes_no_column(
                    "Permissible",
                    "permissible",
                    row_edit("permissible"),
                    90,
                    ("Yes", "No"),
                    foreground=lambda r: None if r.permissible else "#6B7280",
                ),
                text_column("Reason not", "reason", row_edit("reason"), 140, tooltip=lambda r: r.reason or None),
                date_column("e-enabled on", "enabled_on", row_edit("enabled_on"), 100),
                date_column("Forecast", "forecast_on", row_edit("forecast_on"), 86),
                text_column("Channels", "channels", row_edit("channels"), 130),
                RecordColumn(
                    "Waits on",
                    lambda r: r.external,
                    editor=CHOICE,
                    value=lambda r: r.external,
                    choices=self._external_choices,
                    commit=row_edit("external"),
                    width=150,
                    tooltip=lambda r: r.external or None,
                ),
                RecordColumn(
                    "Position",
                    self._row_position,
                    width=240,
                    tooltip=self._row_position,
                    foreground=lambda r: "#C0392B" if r.id in self._shortfall else None,
                ),
            ]
        )
        self.rows_view = RecordTableView(self.rows_model, "BVPI 157 service rows")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search services…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search services")
        self.department_filter = QComboBox()
        self.department_filter.setAccessibleName("Filter services by department")
        self.interaction_filter = QComboBox()
        self.interaction_filter.setAccessibleName("Filter services by interaction type")
        self.interaction_filter.addItem("All interaction types", None)
        for label, code in INTERACTION_CHOICES:
            self.interaction_filter.addItem(label, code)
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName("Filter services by position")
        for label, value in STATE_CHOICES:
            self.state_filter.addItem(label, value)
        self.rows_count = QLabel("")
        self.rows_count.setObjectName("muted")
        self.search.textChanged.connect(self._apply_filter)
        for combo in (self.department_filter, self.interaction_filter, self.state_filter):
            combo.currentIndexChanged.connect(self._apply_filter)

        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart)
        self.upper = QSplitter(Qt.Orientation.Horizontal)
        self.upper.addWidget(chart_box)
        self.upper.addWidget(self.breakdown_tabs)
        self.upper.setSizes([820, 700])
        top_layout.addWidget(self.upper)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        caption = QLabel("&Services × interactions")
        caption.setObjectName("sectionTitle")
        caption.setBuddy(self.search)
        filters.addWidget(caption)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.department_filter, 1)
        filters.addWidget(self.interaction_filter, 1)
        filters.addWidget(self.state_filter, 1)
        filters.addWidget(self.rows_count)
        bottom_layout.addLayout(filters)
        bottom_layout.addWidget(self.rows_view, 1)

        self.add_row_button = push_button(
            "&Add row…", self.add_row, "Add a service × interaction row (Insert in the table)", "Add a BVPI 157 row"
        )
        self.delete_row_button = delete_button(
            "De&lete row",
            self.rows_view,
            self.delete_row,
            "Delete the selected row (Delete in the table); Undo brings it back",
            "Delete the selected BVPI 157 row",
        )
        hint = QLabel(
            "Double-click a cell (or press F2) to change it. Every change, addition and deletion can be undone."
        )
        hint.setObjectName("muted")
        row_buttons = QHBoxLayout()
        row_buttons.setContentsMargins(0, 2, 0, 0)
        row_buttons.addWidget(hint, 1)
        row_buttons.addWidget(self.add_row_button)
        row_buttons.addWidget(self.delete_row_button)
        bottom_layout.addLayout(row_buttons)
        # From the keyboard, in the table: Insert adds (and Delete deletes, like the button).
        self.rows_view.on_key(Qt.Key.Key_Insert, self.add_row)
        self.rows_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.rows_model.modelReset.connect(self._update_buttons)
        self.editable = True

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("bvpiSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([380, 420])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addLayout(self.cards_row)
        self.figures_note = QLabel("")
        self.figures_note.setObjectName("muted")
        self.figures_note.setWordWrap(True)
        layout.addWidget(self.figures_note)
        layout.addWidget(self.splitter, 1)

    # --- feeding --------------------------------------------------------------------------------------

    def _department_choices(self) -> list[tuple[str, Any]]:
        if self.document is None:
            return []
        return [(d.name, d.name) for d in self.document.snapshot.departments]

    def _external_choices(self) -> list[tuple[str, Any]]:
        if self.document is None:
            return [("(none)", "")]
        return [("(none)", "")] + [(e.name, e.name) for e in self.document.snapshot.externals]

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.rows_model.read_only = not editable
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_row_button.setEnabled(self.editable and self.document is not None)
        self.delete_row_button.setEnabled(self.editable and self.selected_row() is not None)

    def refresh(self) -> None:
        document = self.document
        if document is None:
            self.rows_model.set_records([])
            return
        snapshot = document.snapshot
        as_of = document.status_date
        position = bvpi_position(snapshot, as_of)
        self.position = position
        self._shortfall = {item.row.id: item.reason for item in position.shortfall}
        confirmed, forecast = position.confirmed, position.now
        self.now_card.caption = "Position (actual)"
        self.now_card.set_count(
            f"{confirmed.percent:.1f}%",
            f"{confirmed.enabled} of {confirmed.permissible} e-enabled as at {british(as_of)}",
        )
        self.forecast_card.caption = "Forecast"
        self.forecast_card.set_count(
            f"{forecast.percent:.1f}%", f"{forecast.enabled} of {forecast.permissible} as at {british(as_of)}"
        )
        self.figures_note.setText(
            f"Position as at {british(as_of)}: {confirmed.enabled} of {confirmed.permissible} interactions with an "
            f"actual e-enabled-on date by then ({confirmed.percent:.1f}%). Forecast: {forecast.percent:.1f}%, counting "
            "forecast dates where no actual date is recorded. Milestones passed show the actual figure; later ones "
            "are forecasts."
        )
        # Milestones passed show what was confirmed by then; later ones are forecasts.
        self._milestone_cards(
            [
                (when, confirmed_then if when <= as_of else figure)
                for (when, figure), (_same, confirmed_then) in zip(
                    position.milestones, position.confirmed_milestones, strict=True
                )
            ],
            as_of,
        )
        self.chart.set_series(snapshot_series(snapshot, as_of))
        self.department_model.set_records(list(position.by_department.items()))
        self.interaction_model.set_records(list(position.by_interaction.items()))
        self.shortfall_model.set_records(position.shortfall)
        self.breakdown_tabs.setTabText(2, f"&Keeping it under 100% ({len(position.shortfall)})")
        self.breakdown_tabs.setTabText(0, f"By &department (forecast as at {british(as_of)})")
        self.breakdown_tabs.setTabText(1, "By &interaction type")
        current = self.department_filter.currentData()
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItem("All departments", None)
        for name in sorted({r.department for r in snapshot.service_rows}, key=str.lower):
            self.department_filter.addItem(name or "(no department)", name)
        self.department_filter.setCurrentIndex(max(0, self.department_filter.findData(current)))
        self.department_filter.blockSignals(False)
        self._apply_filter()

    def _milestone_cards(self, milestones: list[tuple[date, BvpiFigure]], as_of: date) -> None:
        while len(self.milestone_cards) < len(milestones):
            card = CountCard("")
            before = self.milestone_cards[-1] if self.milestone_cards else self.forecast_card
            self.milestone_cards.append(card)
            self.cards_row.addWidget(card)
            self.setTabOrder(before, card)  # left to right, then the breakdowns below
            self.setTabOrder(card, self.breakdown_tabs)
        for card, (when, figure) in zip(self.milestone_cards, milestones, strict=False):
            card.caption = british(when) + (" target" if when == BVPI_TARGET_DATE else "")
            card.set_count(f"{figure.percent:.1f}%", f"{figure.enabled} of {figure.permissible}")
            card.show()
        for card in self.milestone_cards[len(milestones) :]:
            card.hide()

    def _row_position(self, row: ServiceRowRecord) -> str:
        document = self.document
        if document is None:
            return ""
        if not row.permissible:
            return "not legally permissible: counts in neither"
        if row.id in self._shortfall:
            return f"under 100%: {self._shortfall[row.id]}"
        externals = document.snapshot.external_facts()
        facts = row.facts()
        if row.enabled_on is not None and row.enabled_on <= document.status_date:
            return f"e-enabled {british(row.enabled_on)}"
        forecast = row.enabled_on or effective_forecast(facts, externals)
        if enabled_at(facts, externals, document.status_date):
            return f"e-enabled by forecast ({british(forecast)})"
        return f"forecast {british(forecast)}" if forecast else "no forecast date"

    def _apply_filter(self, *_args: object) -> None:
        document = self.document
        if document is None:
            return
        words = self.search.text().lower().split()
        department = self.department_filter.currentData()
        interaction = self.interaction_filter.currentData()
        state = self.state_filter.currentData() or ""
        externals = document.snapshot.external_facts()
        as_of = document.status_date
        shown: list[ServiceRowRecord] = []
        for row in document.snapshot.service_rows:
            if department is not None and row.department != department:
                continue
            if interaction is not None and row.interaction != interaction:
                continue
            if words:
                text = f"{row.service} {row.department} {row.channels} {row.external} {row.lgsl or ''}".lower()
                if not all(word in text for word in words):
                    continue
            if state:
                now = row.permissible and enabled_at(row.facts(), externals, as_of)
                if state == "enabled" and not now:
                    continue
                if state == "pending" and (now or not row.permissible):
                    continue
                if state == "shortfall" and row.id not in self._shortfall:
                    continue
                if state == "not_permissible" and row.permissible:
                    continue
            shown.append(row)
        self.rows_model.set_records(shown)
        self.rows_count.setText(f"{len(shown):,} of {len(document.snapshot.service_rows):,} rows")

    # --- edits ----------------------------------------------------------------------------------------

    def _label(self, row: ServiceRowRecord) -> str:
        return f"{row.service} / {INTERACTION_TYPES.get(row.interaction, row.interaction)}"

    def _edit_row(self, row: ServiceRowRecord, name: str, value: Any) -> str | None:
        document = self.document
        assert document is not None
        before = {name: row.external if name == "external" else getattr(row, name)}
        if name == "external":
            value = value or None
            before = {name: row.external or None}
        return attempt(document, EditServiceRowCommand(document, row.id, self._label(row), before, {name: value}))

    def _edit_service(self, row: ServiceRowRecord, name: str, value: Any) -> str | None:
        document = self.document
        assert document is not None
        current = {"name": row.service, "lgsl": row.lgsl, "department": row.department}[name]
        if isinstance(value, str):
            value = value.strip()
        return attempt(
            document, EditServiceCommand(document, row.service_id, row.service, {name: current}, {name: value})
        )

    # --- adding and deleting rows ---------------------------------------------------------------

    def selected_row(self) -> ServiceRowRecord | None:
        return self.rows_view.selected_of(ServiceRowRecord)

    def open_add_dialog(self) -> ServiceRowDialog | None:
        """The Add row dialog, offering the selected row's service (tests fill it without a modal loop)."""
        if self.document is None or not self.editable:
            return None
        row = self.selected_row()
        return ServiceRowDialog(self.document, self, service=row.service if row else "")

    def add_row(self) -> None:
        dialog = self.open_add_dialog()
        if dialog is None:
            return
        self.exec_add_dialog(dialog)
        self.after_add(dialog)

    def exec_add_dialog(self, dialog: ServiceRowDialog) -> None:
        """Tests replace this to fill the dialog without a modal loop."""
        dialog.exec()

    def after_add(self, dialog: ServiceRowDialog) -> None:
        """Show the row just added (clearing a filter that hides it) and say so."""
        if dialog.added_row_id is None:
            return
        self.select_row(dialog.added_row_id)
        self.rows_view.setFocus()
        self.status_message.emit(f"Added BVPI row {dialog.added_label.removeprefix('add BVPI row ')}")

    def select_row(self, row_id: int) -> None:
        if self._stale:
            self._stale = False
            self.refresh()
        if self.rows_model.row_of_key(row_id) < 0:
            self.clear_filters()
        row = self.rows_model.row_of_key(row_id)
        if row >= 0:
            index = self.rows_model.index(row, 0)
            self.rows_view.setCurrentIndex(index)
            self.rows_view.selectRow(row)
            self.rows_view.scrollTo(index)
        self._update_buttons()

    def clear_filters(self) -> None:
        clear_quietly(self.search, (self.department_filter, self.interaction_filter, self.state_filter))
        self._apply_filter()

    def delete_row(self) -> None:
        document = self.document
        row = self.selected_row()
        if document is None or not self.editable:
            return
        if row is None:
            self.status_message.emit("Select the row to delete first.")
            return
        position = self.rows_view.currentIndex().row()
        error = document.execute(DeleteServiceRowCommand(document, row))
        if error is not None:
            self.rows_view.refuse(self.rows_view.currentIndex(), None, refusal_text(error))
            return
        label = service_row_label(row.service, row.interaction)
        self.status_message.emit(f"Deleted BVPI row {label} (Undo brings it back)")
        if self._stale:
            self._stale = False
            self.refresh()
        following = self.rows_model.record_at(min(position, self.rows_model.rowCount() - 1))
        if following is not None:
            self.select_row(following.id)
        self.rows_view.setFocus()
