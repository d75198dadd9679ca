"""The dashboard: counts by RAG, the overdue and at-risk lists, what falls due soon, and BVPI 157.

Everything here is read from the document's one assessment, so it follows the
status date the moment it changes. Double-click an action to open it in the plan.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from egov_planner.model.bvpi import bvpi_position
from egov_planner.model.dates import british, shift
from egov_planner.model.records import ActionRecord
from egov_planner.model.rules import DONE_STATUSES, Assessment, Flag, Rag, describe_assessment, sort_key
from egov_planner.ui.models.actions import FlagChoice, status_label
from egov_planner.ui.models.records import RecordColumn
from egov_planner.ui.shared_plan import plan_stem
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.widgets.badges import CountCard
from egov_planner.ui.widgets.bvpi_chart import BvpiChart, snapshot_series
from egov_planner.ui.widgets.panels import section_title
from egov_planner.ui.widgets.tables import ActionRowsView

Row = tuple[ActionRecord, Assessment]

RAG_CAPTIONS = {
    Rag.RED: "Red · overdue",
    Rag.AMBER: "Amber · at risk",
    Rag.GREEN: "Green · on track",
    Rag.BLUE: "Blue · complete",
    Rag.GREY: "Not rated · deferred/cancelled",
}


class _RoomForAction(QObject):
    """Keeps the Action column readable in a narrow list: the other columns give way (elided, tooltips)."""

    def __init__(self, view: ActionRowsView, action_column: int) -> None:
        super().__init__(view)
        self.view = view
        self.action_column = action_column
        self.widths = [column.width for column in view.record_model.columns]
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        room = self.view.viewport().width()
        wanted = max(180, int(room * 0.4))  # the title is what an officer reads first
        # Dates, RAG, ref and % keep their width (a cut date misleads); owner and reason give way.
        narrow = sum(w for n, w in enumerate(self.widths) if n != self.action_column and w <= 90)
        wide = sum(w for n, w in enumerate(self.widths) if n != self.action_column and w > 90)
        scale = min(1.0, max(0.0, room - wanted - narrow) / wide) if wide else 1.0
        for number, width in enumerate(self.widths):
            if number != self.action_column:
                self.view.setColumnWidth(number, width if width <= 90 else max(60, int(width * scale)))


class DashboardView(LazyView):
    """The plan at a glance, as at the status date."""

    open_action = Signal(int)
    show_flag = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        self.heading = QLabel("")
        self.heading.setObjectName("panelTitle")
        layout.addWidget(self.heading)

        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.cards: dict[Rag, CountCard] = {}
        for rag, caption in RAG_CAPTIONS.items():
            card = CountCard(caption, rag)
            card.clicked.connect(lambda rag=rag: self._card_clicked(rag))
            self.cards[rag] = card
            cards.addWidget(card)
        self.due_soon_card = CountCard("Due soon")
        self.due_soon_card.setToolTip(
            "Open actions flagged due soon: due within the plan's due-soon window and not overdue or at risk"
        )
        self.due_soon_card.clicked.connect(lambda: self.show_flag.emit(FlagChoice.DUE_SOON))
        cards.addWidget(self.due_soon_card)
        self.bvpi_card = CountCard("BVPI 157 (actual)")
        cards.addWidget(self.bvpi_card)
        layout.addLayout(cards)

        def action_columns(extra: list[RecordColumn]) -> list[RecordColumn]:
            return [
                RecordColumn(
                    "RAG",
                    lambda r: r[1].rag.value,
                    width=44,
                    rag=lambda r: r[1].rag,
                    tooltip=lambda r: describe_assessment(r[1]),
                ),
                RecordColumn("Ref", lambda r: r[0].ref, width=56),
                RecordColumn("Action", lambda r: r[0].title, width=230, tooltip=lambda r: r[0].title, stretch=True),
                RecordColumn("Owner", lambda r: r[0].owner, width=150),
                RecordColumn("Due", lambda r: british(r[0].due), width=84, sort_key=lambda r: r[0].due),
                *extra,
            ]

        opened = self.open_action.emit
        days = RecordColumn(
            "Days", lambda r: r[1].days_overdue, width=50, align_right=True, sort_key=lambda r: r[1].days_overdue or 0
        )
        self.overdue_view = ActionRowsView(action_columns([days]), "Overdue actions", opened)
        forecast = RecordColumn(
            "Forecast", lambda r: british(r[1].forecast), width=84, sort_key=lambda r: r[1].forecast
        )
        why = RecordColumn("Why", lambda r: r[1].reason, width=200, tooltip=lambda r: describe_assessment(r[1]))
        self.risk_view = ActionRowsView(action_columns([forecast, why]), "At-risk actions", opened)
        status = RecordColumn("Status", lambda r: status_label(r[0].status), width=90)
        percent = RecordColumn("%", lambda r: r[0].percent_complete, width=40, align_right=True)
        self.soon_view = ActionRowsView(action_columns([status, percent]), "Actions due soon", opened)
        self.overdue_model = self.overdue_view.record_model
        self.risk_model = self.risk_view.record_model
        self.soon_model = self.soon_view.record_model
        for view in (self.overdue_view, self.risk_view, self.soon_view):
            _RoomForAction(view, 2)  # column 2 is the Action (after RAG and Ref)
        self.chart = BvpiChart(compact=True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.overdue_title = section_title("&Overdue")
        self.overdue_title.setBuddy(self.overdue_view)
        self.risk_title = section_title("At ri&sk")
        self.risk_title.setBuddy(self.risk_view)
        self.soon_title = section_title("Due &next")
        self.soon_title.setBuddy(self.soon_view)
        self.chart_title = section_title("BVPI 157: e-enabled interactions")
        for title in (self.soon_title, self.chart_title):
            # Long titles (dates, percentages) wrap rather than widen the window past a 1280-wide screen.
            title.setWordWrap(True)
        grid.addWidget(self.overdue_title, 0, 0)
        grid.addWidget(self.overdue_view, 1, 0)
        grid.addWidget(self.risk_title, 0, 1)
        grid.addWidget(self.risk_view, 1, 1)
        grid.addWidget(self.soon_title, 2, 0)
        grid.addWidget(self.soon_view, 3, 0)
        grid.addWidget(self.chart_title, 2, 1)
        grid.addWidget(self.chart, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(3, 1)
        layout.addLayout(grid, 1)
        hint = QLabel(
            "Double-click an action (or press Enter) to open it in the plan. Click a count to filter the plan by it."
        )
        hint.setObjectName("muted")
        layout.addWidget(hint)

    def set_editable(self, _editable: bool) -> None:
        """Nothing to edit here."""

    def refresh(self) -> None:
        document = self.document
        if document is None:
            for model in (self.overdue_model, self.risk_model, self.soon_model):
                model.set_records([])
            return
        assessment = document.assessment
        as_of = assessment.status_date
        details = document.snapshot.details
        self.heading.setText(
            f"{details.authority or plan_stem(document.store)} — position as at {british(as_of)}"
            + (" (today)" if document.status_date_is_today else "")
        )
        counts = assessment.counts_by_rag()
        total = max(1, len(assessment.actions))
        for rag, card in self.cards.items():
            card.set_count(f"{counts[rag]:,}", f"{100 * counts[rag] / total:.0f}%")
        flags = assessment.counts_by_flag()
        self.due_soon_card.set_count(f"{flags[Flag.DUE_SOON]:,}", f"within {assessment.due_soon_days} days")

        rows: list[Row] = []
        records = document.state.actions_by_id
        for action_id, verdict in assessment.actions.items():
            record = records.get(action_id)
            if record is not None:
                rows.append((record, verdict))
        rows.sort(key=lambda row: sort_key(row[1], row[0].facts()))
        overdue = [row for row in rows if row[1].flag is Flag.OVERDUE]
        at_risk = [row for row in rows if row[1].flag is Flag.AT_RISK]
        # The same window as the "Due soon" card (the plan's), so the list and the card agree on "soon".
        horizon = shift(as_of, assessment.due_soon_days)  # clamped: a status date of 31/12/9999 must not overflow
        soon = sorted(
            (
                row
                for row in rows
                if row[0].status not in DONE_STATUSES and row[0].status != "deferred" and as_of <= row[0].due <= horizon
            ),
            key=lambda row: (row[0].due, row[0].ref),
        )
        self.overdue_model.set_records(overdue)
        self.risk_model.set_records(at_risk)
        self.soon_model.set_records(soon)
        self.overdue_title.setText(f"&Overdue ({len(overdue):,})")
        self.risk_title.setText(f"At ri&sk ({len(at_risk):,})")
        self.soon_title.setText(
            f"Due in the &next {assessment.due_soon_days} days, to {british(horizon)} ({len(soon):,})"
            " — open actions, at risk or not"
        )

        snapshot = document.snapshot
        if snapshot.service_rows:
            position = bvpi_position(snapshot, as_of)
            # The position is what is confirmed (actual dates); "actual, else forecast" is named a forecast.
            confirmed = position.confirmed
            self.bvpi_card.set_count(
                f"{confirmed.percent:.1f}%",
                f"{confirmed.enabled} of {confirmed.permissible}; forecast {position.now.percent:.1f}%",
            )
            self.chart.set_series(snapshot_series(snapshot, as_of))
            self.chart.show()
            self.chart_title.setText(
                f"BVPI 157: {confirmed.percent:.1f}% e-enabled as at {british(as_of)} (actual line); "
                f"forecast {position.now.percent:.1f}% (dashed)"
            )
        else:
            self.bvpi_card.set_count("–", "no services yet")
            self.chart.set_series(snapshot_series(snapshot, as_of))
            self.chart_title.setText("BVPI 157: add services to see the chart")

    def _card_clicked(self, rag: Rag) -> None:
        choice = {Rag.RED: FlagChoice.OVERDUE, Rag.AMBER: FlagChoice.AT_RISK}.get(rag, FlagChoice.ALL)
        self.show_flag.emit(choice)
