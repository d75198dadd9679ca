"""Reports: each report to committee as issued, the draft in hand, and what changed since any of them.

The list shows every recorded report (its label, status date, when and by whom it was recorded,
how many actions, with a pack or a snapshot, its meetings) and the draft the plan now holds.
"Record report…" keeps the plan as reported (PlanService.record_report). That is not undoable:
a recorded report is never changed or removed, so the dialog says so before it records.
"Compare with" shows PlanService.changes_since at the window's status date, list by list; a row
opens its action in the plan. Reading it changes nothing, so read-only viewers compare too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.cycle import ChangesSince, RecordedReport, ReportHeader
from egov_planner.model.cycle_text import RAG_WORDS, slippage
from egov_planner.model.dates import british, long_british
from egov_planner.model.errors import PlanError, ValidationError
from egov_planner.ui.document import PlanDocument, refusal_text
from egov_planner.ui.models.records import RecordColumn, RecordTableModel
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.widgets.fields import Field
from egov_planner.ui.widgets.panels import buddy_label, dialog_buttons, push_button, section_title
from egov_planner.ui.widgets.tables import RecordTableView

# Each list of ChangesSince: how its rows are headed and how the summary line counts it (the CLI's words).
CHANGE_GROUPS = {
    "completed": ("Completed", "completed"),
    "newly_overdue": ("Newly overdue", "newly overdue"),
    "newly_at_risk": ("Newly at risk", "newly at risk"),
    "revised": ("Target date revised", "revised"),
    "added": ("Added", "added"),
    "removed": ("Removed", "removed"),
    "rag_changes": ("RAG changed", "RAG changed"),
}


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One line of the Reports list: a recorded report, or the draft (header None)."""

    header: ReportHeader | None
    label: str
    as_of: date
    meetings: tuple[tuple[str, date], ...]
    actions: int

    @property
    def key(self) -> object:
        return "draft" if self.header is None else self.header.id

    def kind(self) -> str:
        if self.header is None:
            return "Draft"
        return "Issued with pack" if self.header.with_pack else "Recorded (snapshot)"

    def meetings_text(self) -> str:
        return "; ".join(f"{committee} {british(when)}" for committee, when in self.meetings) or "no meetings"


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One row of the comparison: which list, the action, what changed (action_id None once removed)."""

    group: str
    ref: str
    title: str
    detail: str
    action_id: int | None


def rag_text(letter: str) -> str:
    """'Red (R)': the word and the letter, for readers who cannot tell the colours apart."""
    return f"{RAG_WORDS.get(letter, letter)} ({letter})"


def default_label(document: PlanDocument) -> str:
    """'Cabinet 2 February 2004': the draft's first meeting, else the status date; never a label in use."""
    meetings = sorted(document.snapshot.meetings, key=lambda m: (m.position, m.meets_on))
    if meetings:
        base = f"{meetings[0].committee} {long_british(meetings[0].meets_on)}"
    else:
        base = f"Report as at {long_british(document.status_date)}"
    taken = {h.label.casefold() for h in document.snapshot.reports}
    label, number = base, 2
    while label.casefold() in taken:
        label, number = f"{base} ({number})", number + 1
    return label


class RecordReportDialog(QDialog):
    """Asks the label and records; a refused label is shown at the field and the dialog stays open."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.recorded: ReportHeader | None = None
        self.setObjectName("recordReportDialog")
        self.setWindowTitle("Record report")
        self.setModal(True)
        layout = QVBoxLayout(self)
        meetings = "; ".join(
            f"{m.committee} {british(m.meets_on)}" for m in sorted(document.snapshot.meetings, key=lambda m: m.position)
        )
        intro = QLabel(
            f"Record the plan as reported, with the position as at <b>{british(document.status_date)}</b> "
            f"(the status date){f' for {meetings}' if meetings else ''}: every action's status, target date, "
            "forecast, RAG and latest note, the report's text and the BVPI figures.<br><br>"
            "<b>This cannot be undone.</b> A recorded report is kept exactly as it was issued: it is never "
            "changed or removed, and Undo does not take it back. Later changes of target dates become "
            "revisions that need a reason."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        self.label_edit = QLineEdit(default_label(document))
        self.label_edit.setAccessibleName("Report label")
        self.label_edit.setMaxLength(200)
        self.label_field = Field(self.label_edit)
        row = QHBoxLayout()
        row.addWidget(buddy_label("&Label", self.label_edit))
        row.addWidget(self.label_field, 1)
        layout.addLayout(row)
        buttons, self.record_button = dialog_buttons(self, "Record (cannot be undone)", self.record)
        layout.addWidget(buttons)
        self.label_edit.selectAll()
        self.label_edit.setFocus()
        self.resize(560, self.sizeHint().height())

    def record(self) -> None:
        try:
            self.recorded = self.document.service.record_report(self.label_edit.text(), as_of=self.document.status_date)
        except ValidationError as error:
            self.label_field.set_error(refusal_text(error))
            self.label_edit.setFocus()
            return
        except PlanError as error:
            self.label_field.set_error(str(error))
            return
        self.accept()


class ReportsView(LazyView):
    """The reports as issued and the draft; compare the plan now with any of them."""

    open_action = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editable = False
        self._reports: dict[int, RecordedReport] = {}  # read once each: a recorded report never changes
        self.changes: ChangesSince | None = None

        self.reports_model = RecordTableModel(
            [
                RecordColumn("Report", lambda r: r.label, width=240, tooltip=lambda r: r.label),
                RecordColumn("Status date", lambda r: british(r.as_of), width=90, sort_key=lambda r: r.as_of),
                RecordColumn(
                    "Meetings",
                    lambda r: r.meetings_text(),
                    width=260,
                    tooltip=lambda r: r.meetings_text(),
                    stretch=True,
                ),
                RecordColumn(
                    "Recorded",
                    lambda r: "not yet" if r.header is None else r.header.taken_at.strftime("%d/%m/%Y %H:%M"),
                    width=120,
                ),
                RecordColumn("By", lambda r: "" if r.header is None else r.header.taken_by, width=90),
                RecordColumn("Actions", lambda r: r.actions, width=60, align_right=True),
                RecordColumn("Kind", lambda r: r.kind(), width=140),
            ]
        )
        self.reports_model.key = lambda r: r.key
        self.reports_model.read_only = True
        self.reports_view = RecordTableView(self.reports_model, "Reports")
        self.reports_view.setEditTriggers(RecordTableView.EditTrigger.NoEditTriggers)
        self.reports_view.on_open(self._compare_with_row)
        self.reports_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.selected_note = QLabel("")
        self.selected_note.setWordWrap(True)
        self.selected_note.setAccessibleName("Selected report")
        self.selected_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_button = push_button(
            "Recor&d report…",
            self.record_report,
            "Keep the plan as reported at the status date (cannot be undone)",
            "Record report",
        )
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        self.reports_title = section_title("Reports to committee")
        title_row.addWidget(self.reports_title, 1)
        title_row.addWidget(self.record_button)
        top_layout.addLayout(title_row)
        top_layout.addWidget(self.reports_view, 1)
        top_layout.addWidget(self.selected_note)

        self.compare_combo = QComboBox()
        self.compare_combo.setAccessibleName("Compare with report")
        self.compare_combo.setMinimumContentsLength(28)
        self.compare_combo.activated.connect(lambda _index: self.compare())
        self.compare_button = push_button(
            "&Compare", self.compare, "Show what changed since the chosen report", "Compare with the chosen report"
        )
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Changes summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes_model = RecordTableModel(
            [
                RecordColumn("Change", lambda c: c.group, width=150),
                RecordColumn("Ref", lambda c: c.ref, width=60),
                RecordColumn("Action", lambda c: c.title, width=300, tooltip=lambda c: c.title),
                RecordColumn("What changed", lambda c: c.detail, width=420, tooltip=lambda c: c.detail, stretch=True),
            ]
        )
        self.changes_model.key = lambda c: (c.group, c.ref)
        self.changes_model.read_only = True
        self.changes_view = RecordTableView(self.changes_model, "Changes since the report")
        self.changes_view.setEditTriggers(RecordTableView.EditTrigger.NoEditTriggers)
        self.changes_view.on_open(self._open_change)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        compare_row = QHBoxLayout()
        compare_row.addWidget(section_title("Changes since a report"))
        compare_row.addSpacing(12)
        compare_row.addWidget(buddy_label("Compare &with", self.compare_combo))
        compare_row.addWidget(self.compare_combo)
        compare_row.addWidget(self.compare_button)
        compare_row.addStretch(1)
        bottom_layout.addLayout(compare_row)
        bottom_layout.addWidget(self.summary)
        bottom_layout.addWidget(self.changes_view, 1)
        hint = QLabel("Double-click a change (or press Enter) to open its action in the plan.")
        hint.setObjectName("muted")
        bottom_layout.addWidget(hint)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([260, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.splitter)
        self._update_buttons()

    # --- showing --------------------------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        self._reports = {}
        self.changes = None
        super().set_document(document)

    def set_editable(self, editable: bool) -> None:
        """Recording writes to the plan; comparing only reads (read-only viewers compare too)."""
        self.editable = editable
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.record_button.setEnabled(self.editable and self.document is not None)
        self.compare_button.setEnabled(self.compare_combo.count() > 0)
        self.compare_combo.setEnabled(self.compare_combo.count() > 0)

    def recorded(self, header: ReportHeader) -> RecordedReport:
        report = self._reports.get(header.id)
        if report is None:
            assert self.document is not None
            report = self._reports[header.id] = self.document.service.recorded_report(header.label)
        return report

    def refresh(self) -> None:
        document = self.document
        if document is None:
            self.reports_model.set_records([])
            self.changes_model.set_records([])
            self.compare_combo.clear()
            self.summary.setText("")
            self.selected_note.setText("")
            self._update_buttons()
            return
        snapshot = document.snapshot
        meetings = tuple((m.committee, m.meets_on) for m in sorted(snapshot.meetings, key=lambda m: m.position))
        draft = ReportRow(None, "Draft (the report in hand)", document.status_date, meetings, len(snapshot.actions))
        rows = [
            ReportRow(h, h.label, h.as_of, self.recorded(h).meetings, h.actions) for h in reversed(snapshot.reports)
        ]
        self.reports_model.set_records([draft, *rows])
        self.reports_title.setText(
            f"Reports to committee ({len(rows)} recorded)" if rows else "Reports to committee (none recorded yet)"
        )
        chosen = self.compare_combo.currentText()
        labels = [h.label for h in reversed(snapshot.reports)]
        self.compare_combo.blockSignals(True)
        self.compare_combo.clear()
        self.compare_combo.addItems(labels)
        if chosen in labels:
            self.compare_combo.setCurrentIndex(labels.index(chosen))
        self.compare_combo.blockSignals(False)
        if self.reports_view.currentIndex().row() < 0:
            self.reports_view.selectRow(0)
        self._show_selected()
        self._update_buttons()
        self.compare()

    def _show_selected(self) -> None:
        row: ReportRow | None = self.reports_model.record_at(self.reports_view.currentIndex().row())
        if row is None:
            self.selected_note.setText("")
            return
        if row.header is None:
            lead = f"Draft: the plan's report text and meetings, position as at {british(row.as_of)}."
        else:
            lead = (
                f"{row.label}: as at {british(row.as_of)}, recorded {row.header.taken_at.strftime('%d/%m/%Y %H:%M')} "
                f"by {row.header.taken_by or 'unknown'}; {row.kind().lower()}. Never changed since."
            )
        self.selected_note.setText(f"{lead} Meetings: {row.meetings_text()}.")

    # --- comparing -------------------------------------------------------------------------------------

    def compare(self, label: str | None = None) -> None:
        """Show what changed since the report labelled (default: the one chosen), at the window's status date."""
        document = self.document
        if label is not None:
            self.compare_combo.setCurrentIndex(max(0, self.compare_combo.findText(label)))
        label = self.compare_combo.currentText()
        if document is None or not label:
            self.changes = None
            self.changes_model.set_records([])
            self.summary.setText("Record a report to compare the plan with it later." if document is not None else "")
            return
        try:
            changes = document.service.changes_since(label, as_of=document.status_date)
        except PlanError as error:
            self.summary.setText(str(error))
            self.changes_model.set_records([])
            return
        self.changes = changes
        counts = changes.counts()
        since = changes.since
        self.summary.setText(
            f"Since '{since.label}' (position as at {british(since.as_of)}) to the position as at "
            f"{british(changes.as_of)}: "
            + ", ".join(f"{counts[name]} {words}" for name, (_heading, words) in CHANGE_GROUPS.items())
        )
        self.changes_model.set_records(self._change_rows(changes))

    def _change_rows(self, changes: ChangesSince) -> list[ChangeRow]:
        document = self.document
        assert document is not None
        report = self.recorded(changes.since)
        then = report.by_ref()
        revisions = {items[-1].ref: items[-1] for items in document.snapshot.revisions.values() if items}
        rows: list[ChangeRow] = []

        def add(name: str, ref: str, detail: str) -> None:
            record = document.action_by_ref(ref) if ref not in changes.removed else None
            title = record.title if record is not None else (then[ref].title if ref in then else "")
            rows.append(ChangeRow(CHANGE_GROUPS[name][0], ref, title, detail, None if record is None else record.id))

        for ref in changes.completed:
            record = document.action_by_ref(ref)
            add("completed", ref, f"completed {british(record.completed_on)}" if record and record.completed_on else "")
        for name in ("newly_overdue", "newly_at_risk"):
            for ref in getattr(changes, name):
                record = document.action_by_ref(ref)
                verdict = document.assessment.actions.get(record.id) if record is not None else None
                add(name, ref, verdict.reason if verdict is not None else "")
        for item in changes.revised:
            agreed = revisions[item.ref].agreed_by if item.ref in revisions else ""
            add(
                "revised",
                item.ref,
                f"{british(item.from_due)} → {british(item.to_due)} ({slippage(item.slip_days)}): "
                + (item.reason or "no reason recorded")
                + (f"; agreed by {agreed}" if agreed else ""),
            )
        for ref in changes.added:
            add("added", ref, "not in the report")
        for ref in changes.removed:
            add("removed", ref, f"in the report (target {british(then[ref].due)}), no longer in the plan")
        for change in changes.rag_changes:
            add("rag_changes", change.ref, f"{rag_text(change.from_rag)} → {rag_text(change.to_rag)}")
        return rows

    def _compare_with_row(self, row: ReportRow) -> None:
        if row.header is not None:
            self.compare(row.header.label)
            self.changes_view.setFocus()

    def _open_change(self, row: ChangeRow) -> None:
        if row.action_id is None:
            self.status_message.emit(f"{row.ref} was removed from the plan since the report: nothing to open")
            return
        self.open_action.emit(row.action_id)

    # --- recording -------------------------------------------------------------------------------------

    def record_report(self) -> None:
        document = self.document
        if document is None or document.read_only:
            return
        dialog = RecordReportDialog(document, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.recorded is not None:
            header = dialog.recorded
            self.status_message.emit(
                f"Recorded '{header.label}': {header.actions:,} actions as at {british(header.as_of)} (kept as issued)"
            )
            self.compare(header.label)
