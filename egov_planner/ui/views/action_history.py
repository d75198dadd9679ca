"""The History tab of the action detail panel: every recorded change to the action, newest first, read only.

Read from PlanService.history when the tab is shown (and again after each change while it is), so an
officer working in the Details tab never pays for it. Undo shows as a change of its own, reason "Undo".
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from egov_planner.model.cycle import HistoryEntry
from egov_planner.model.errors import PlanError
from egov_planner.model.service import PlanService
from egov_planner.model.service.history import as_shown, when_shown
from egov_planner.ui.models.records import RecordColumn, RecordTableModel
from egov_planner.ui.widgets.panels import tab_page
from egov_planner.ui.widgets.tables import RecordTableView


def _change(entry: HistoryEntry) -> str:
    """'due: 31/12/2003 → 27/02/2004', or what was added or deleted (a row, a progress note)."""
    field = entry.field.replace("_", " ")
    if entry.field in ("added", "deleted"):
        return f"{field}: {as_shown(entry.to_value or entry.from_value)}"
    if entry.field == "progress":
        note = as_shown(entry.to_value or entry.from_value, field_name=entry.field)
        return f"note {'added' if entry.to_value else 'withdrawn'}: {note}"
    before, after = (
        as_shown(value, field_name=entry.field) or "(none)" for value in (entry.from_value, entry.to_value)
    )
    return f"{field}: {before} → {after}"


def _full(entry: HistoryEntry) -> str:
    """The tooltip: the whole change, values unabridged (a note may be paragraphs), dates British."""
    reason = f"\nReason: {entry.reason}" if entry.reason else ""
    before, after = (_unabridged(value, entry.field) for value in (entry.from_value, entry.to_value))
    return f"{when_shown(entry.at)} by {entry.by}\n{entry.field}: {before} → {after}{reason}"


def _unabridged(value: str, field_name: str) -> str:
    """A value as as_shown words it, its lines kept (a note's paragraphs)."""
    first, _, rest = value.partition("\n")
    return as_shown(first, field_name=field_name) + (f"\n{rest}" if rest else "")


class HistoryTab(QWidget):
    """A compact table of one action's recorded changes: when, who, field: from → to, reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        page, layout = tab_page("Changes recorded (newest first)")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page)
        self.model = RecordTableModel(
            [
                RecordColumn("When", lambda e: when_shown(e.at), width=118, tooltip=_full),
                RecordColumn("By", lambda e: e.by, width=64, tooltip=lambda e: e.by),
                # Field, from and to in one column: the panel is narrow, and a change reads as one line.
                RecordColumn("Change", _change, width=150, tooltip=_full, stretch=True),
                RecordColumn("Reason", lambda e: as_shown(e.reason), width=64, tooltip=lambda e: e.reason or None),
            ]
        )
        self.view = RecordTableView(self.model, "Change history")
        self.view.setEditTriggers(RecordTableView.EditTrigger.NoEditTriggers)  # the record is never edited
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self.shown_ref: str | None = None

    def show_history(self, service: PlanService, ref: str) -> None:
        """Read and show ref's history (an action only just added has one entry: added)."""
        try:
            entries = service.history(ref)
        except PlanError as problem:
            entries = []
            self.empty.setText(f"No history: {problem}")
        else:
            self.empty.setText("" if entries else "No changes are recorded for this action yet.")
        self.empty.setVisible(bool(self.empty.text()))
        self.model.set_records(list(reversed(entries)))
        self.shown_ref = ref
