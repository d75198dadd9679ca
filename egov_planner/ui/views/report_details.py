"""Report details: every text, meeting, implication, consultation and decision-status field the pack prints.

Text fields are PlanDetails, written through update_plan the moment the officer
leaves them; meetings, other implications and consultation evidence are tables
edited in place through their own service methods. All of it can be undone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.records import ConsultationRecord, ImplicationRecord, MeetingRecord
from egov_planner.ui.commands import (
    AddReportRowCommand,
    DeleteReportRowCommand,
    EditPlanDetailsCommand,
    EditReportRowCommand,
)
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.models.records import (
    OPTIONAL_INTEGER,
    RecordColumn,
    RecordTableModel,
    date_column,
    notes_column,
    text_column,
    yes_no_column,
)
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.views.edits import attempt
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.widgets.editing import repolish
from egov_planner.ui.widgets.fields import ChoiceCombo, DateField, Field, NameCombo, TextArea, TextLine
from egov_planner.ui.widgets.panels import delete_button, grid_box, push_button, section_title
from egov_planner.ui.widgets.tables import RecordTableView

YES_NO_UNSET: list[tuple[str, object]] = [("Not set", None), ("Yes", True), ("No", False)]
DECISION_MAKERS = ["Executive (Cabinet)", "Council", "Executive (individual Cabinet member)", "Committee"]
# Each kind of report row's table: its accessible name, the caption above it, the Add button, its minimum height.
ROW_TABLES: dict[str, tuple[str, str, str, int]] = {
    "meeting": ("Meetings", "Meetings the report goes to", "Add &meeting", 96),
    "implication": ("Other implications", "4.3 Other implications", "Add im&plication", 200),
    "consultation": ("Consultation evidence", "Consultation evidence", "Add evidence", 130),
}
STANDARD_IMPLICATIONS = [
    "Equal Opportunities",
    "Policy",
    "Sustainable and Environmental",
    "Crime and Disorder",
    "Human Rights Act",
    "Elderly/People on Low Income",
    "Property",
]


class ReportDetailsView(LazyView):
    """Everything the report pack prints besides the plan itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, Field] = {}

        content, columns = grid_box((12, 10, 12, 10), (16, 12), stretch=(0, 1))

        # --- front page and meetings
        front = QGroupBox("Front page")
        form = self._form(front)
        self._line(form, "&Authority", "authority")
        self._line(form, "Report &title", "title")
        self._line(form, "Report of", "report_of")
        self._line(form, "A&genda item", "agenda_item")
        self.report_date = DateField(allow_empty=True, accessible_name="Report date")
        self.report_date.committed.connect(lambda value: self._commit("report_date", value))
        self.fields["report_date"] = Field(self.report_date)
        form.addRow(self._buddy_label("Report date", self.report_date), self.fields["report_date"])
        self._line(form, "Wards affected", "wards_affected")
        self.due_soon = QSpinBox()
        self.due_soon.setRange(0, 365)
        self.due_soon.setSuffix(" days")
        self.due_soon.setAccessibleName("Due soon window")
        self.due_soon.setToolTip("An action is 'due soon' when it is due within this many days of the status date")
        self.due_soon.editingFinished.connect(self._due_soon_changed)
        self.due_soon_field = Field(self.due_soon)
        form.addRow(self._buddy_label("&Due-soon window", self.due_soon), self.due_soon_field)
        self.meeting_model = RecordTableModel(
            [
                text_column("Committee", "committee", self._row_edit("meeting", "committee"), 360),
                date_column("Meets on", "meets_on", self._row_edit("meeting", "meets_on"), 100, required=True),
            ]
        )
        self.meeting_view = self._table(form, "meeting", self.meeting_model, self._add_meeting)
        self.meeting_view.setMaximumHeight(150)
        columns.addWidget(front, 0, 0, Qt.AlignmentFlag.AlignTop)

        # --- report text
        text = QGroupBox("Report text")
        form = self._form(text)
        self._area(form, "1. &Introduction", "introduction", 4)
        self._area(form, "1.2 &Scope", "scope", 4)
        self._area(form, "2. Re&commendations", "recommendations", 3)
        self._area(form, "3.1 Ho&w the review was carried out", "review_method", 5)
        self._area(form, "3.2 S&ummary", "summary", 5)
        columns.addWidget(text, 1, 0, 2, 1, Qt.AlignmentFlag.AlignTop)

        # --- implications
        implications = QGroupBox("4. Financial, legal and other implications")
        form = self._form(implications)
        self._area(form, "4.1 Fi&nancial", "financial_implications", 3)
        self._area(form, "4.2 &Legal", "legal_implications", 2)
        self.implication_model = RecordTableModel(
            [
                text_column("Other implication", "topic", self._row_edit("implication", "topic"), 230),
                yes_no_column(
                    "Yes/No",
                    "applies",
                    self._row_edit("implication", "applies"),
                    64,
                    ("YES", "NO"),
                    foreground=lambda i: "#2E5C8A" if i.applies else None,
                ),
                text_column(
                    "Paragraph references", "paragraph_refs", self._row_edit("implication", "paragraph_refs"), 200
                ),
            ]
        )
        self.implication_view = self._table(form, "implication", self.implication_model, self._add_implication)
        columns.addWidget(implications, 0, 1, Qt.AlignmentFlag.AlignTop)

        # --- consultations
        consultations = QGroupBox("5. Consultations")
        form = self._form(consultations)
        self._area(form, "&Bodies consulted", "consultations", 2)
        self._area(form, "Background papers (one a line)", "background_papers", 3)
        self.consultation_model = RecordTableModel(
            [
                text_column("Method", "method", self._row_edit("consultation", "method"), 110),
                text_column("Audience", "audience", self._row_edit("consultation", "audience"), 90),
                RecordColumn(
                    "Number",
                    lambda c: c.respondents,
                    editor=OPTIONAL_INTEGER,
                    commit=self._row_edit("consultation", "respondents"),
                    width=64,
                    align_right=True,
                ),
                yes_no_column(
                    "Over?",
                    "respondents_at_least",
                    self._row_edit("consultation", "respondents_at_least"),
                    52,
                    ("over", ""),
                    tooltip=lambda c: "'over 100': the number is a minimum",
                ),
                date_column("Held on", "held_on", self._row_edit("consultation", "held_on"), 86, blank_first=True),
                notes_column("Summary", "summary", self._row_edit("consultation", "summary"), 260),
            ]
        )
        self.consultation_view = self._table(form, "consultation", self.consultation_model, self._add_consultation)
        columns.addWidget(consultations, 1, 1, Qt.AlignmentFlag.AlignTop)

        # --- officer and decision status
        officer = QGroupBox("6. Officer to contact, and decision status")
        form = self._form(officer)
        self._line(form, "&Officer", "officer_name")
        self._line(form, "Role", "officer_role")
        self._line(form, "Phone", "officer_phone")
        self._line(form, "Email", "officer_email")
        self.key_decision = ChoiceCombo(YES_NO_UNSET, "Key decision")
        self.key_decision.committed.connect(lambda value: self._commit("key_decision", value))
        self.fields["key_decision"] = Field(self.key_decision)
        form.addRow(self._buddy_label("&Key decision", self.key_decision), self.fields["key_decision"])
        self._line(form, "Reason", "key_decision_reason")
        self.forward_plan = ChoiceCombo(YES_NO_UNSET, "Appeared in forward plan")
        self.forward_plan.committed.connect(lambda value: self._commit("in_forward_plan", value))
        self.fields["in_forward_plan"] = Field(self.forward_plan)
        form.addRow(self._buddy_label("Appeared in forward plan", self.forward_plan), self.fields["in_forward_plan"])
        self.decision_maker = NameCombo("Executive or Council decision")
        self.decision_maker.set_names(DECISION_MAKERS)
        self.decision_maker.committed.connect(lambda value: self._commit("decision_maker", value))
        self.fields["decision_maker"] = Field(self.decision_maker)
        form.addRow(
            self._buddy_label("E&xecutive or Council decision", self.decision_maker), self.fields["decision_maker"]
        )
        columns.addWidget(officer, 2, 1, Qt.AlignmentFlag.AlignTop)
        columns.setRowStretch(3, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(
            "  Report details — what the report pack prints. Each field is saved when you leave it; Ctrl+Z undoes."
        )
        heading.setObjectName("muted")
        heading.setContentsMargins(12, 8, 12, 0)
        layout.addWidget(heading)
        layout.addWidget(scroll)

    # --- building helpers ------------------------------------------------------------------------------

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setContentsMargins(10, 14, 10, 10)
        form.setVerticalSpacing(6)
        return form

    @staticmethod
    def _buddy_label(text: str, editor: QWidget) -> QLabel:
        """A label whose mnemonic puts the cursor in the editor itself (a Field takes no focus)."""
        label = QLabel(text)
        label.setBuddy(editor)
        return label

    def _line(self, form: QFormLayout, label: str, name: str) -> None:
        editor = TextLine(label.replace("&", ""))
        editor.committed.connect(lambda value, name=name: self._commit(name, value))
        field = Field(editor)
        self.fields[name] = field
        form.addRow(self._buddy_label(label, editor), field)

    def _area(self, form: QFormLayout, label: str, name: str, lines: int) -> None:
        editor = TextArea(label.replace("&", ""), lines=lines)
        editor.committed.connect(lambda value, name=name: self._commit(name, value))
        field = Field(editor)
        self.fields[name] = field
        caption = QLabel(label)
        caption.setBuddy(editor)
        caption.setWordWrap(True)
        caption.setMaximumWidth(170)
        form.addRow(caption, field)

    def _table(self, form: QFormLayout, kind: str, model: RecordTableModel, add: Any) -> RecordTableView:
        """The table of one kind of report row under its caption, with Add and Delete beneath."""
        name, caption, add_text, height = ROW_TABLES[kind]
        view = RecordTableView(model, name)
        view.setMinimumHeight(height)
        form.addRow(section_title(caption))
        form.addRow(view)
        form.addRow(self._buttons(kind, view, add_text, add))
        return view

    def _buttons(self, kind: str, view: RecordTableView, add_text: str, add: Any) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        add_button = push_button(add_text, add)
        delete = delete_button(
            "Delete", view, lambda: self._delete_row(kind, view), accessible_name=f"Delete selected {kind}"
        )
        row.addWidget(add_button)
        row.addWidget(delete)
        setattr(self, f"{kind}_buttons", (add_button, delete))
        return box

    # --- feeding --------------------------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        for field in self.fields.values():
            field.clear_error()
        super().set_document(document)

    def set_editable(self, editable: bool) -> None:
        for field in self.fields.values():
            setter = getattr(field.editor, "setReadOnly", None)
            if setter is not None:
                setter(not editable)
                repolish(field.editor)
        self.due_soon.setReadOnly(not editable)
        for model in (self.meeting_model, self.implication_model, self.consultation_model):
            model.read_only = not editable
        for kind in ("meeting", "implication", "consultation"):
            for button in getattr(self, f"{kind}_buttons"):
                button.setEnabled(editable)

    def refresh(self) -> None:
        document = self.document
        if document is None:
            return
        snapshot = document.snapshot
        details = snapshot.details
        for name, field in self.fields.items():
            if field.error_text():
                continue
            field.editor.set_value(getattr(details, name))  # type: ignore[attr-defined]
        if not self.due_soon.hasFocus():
            self.due_soon.setValue(details.due_soon_days)
        self.meeting_model.set_records(snapshot.meetings)
        self.implication_model.set_records(snapshot.implications)
        self.consultation_model.set_records(snapshot.consultations)

    # --- edits --------------------------------------------------------------------------------------------

    def _commit(self, name: str, value: Any) -> None:
        document = self.document
        if document is None:
            return
        if getattr(document.snapshot.details, name) == value:
            return
        error = document.execute(EditPlanDetailsCommand(document, {name: value}))
        field = self.fields.get(name)
        if error is not None:
            if field is not None:
                field.set_error(refusal_text(error))
            self.status_message.emit(f"Not saved: {refusal_text(error)}")
        elif field is not None:
            field.clear_error()

    def _due_soon_changed(self) -> None:
        document = self.document
        if document is None or self.due_soon.isReadOnly():
            return
        value = self.due_soon.value()
        if value == document.snapshot.details.due_soon_days:
            return
        error = document.execute(EditPlanDetailsCommand(document, {"due_soon_days": value}))
        if error is not None:
            self.due_soon_field.set_error(refusal_text(error))
        else:
            self.due_soon_field.clear_error()

    def _row_edit(self, kind: str, name: str) -> Any:
        def commit(record: Any, value: Any) -> str | None:
            document = self.document
            assert document is not None
            label = self._label(kind, record)
            command = EditReportRowCommand(
                document, kind, record.id, label, {name: getattr(record, name)}, {name: value}
            )
            return attempt(document, command)

        return commit

    @staticmethod
    def _label(kind: str, record: Any) -> str:
        if isinstance(record, MeetingRecord):
            return record.committee
        if isinstance(record, ImplicationRecord):
            return record.topic
        if isinstance(record, ConsultationRecord):
            return record.method
        return ""

    def _add(self, kind: str, label: str, values: dict[str, Any], view: RecordTableView) -> None:
        document = self.document
        if document is None:
            return
        error = document.execute(AddReportRowCommand(document, kind, label, values))
        if error is not None:
            view.refuse(view.currentIndex(), None, refusal_text(error))
            return
        row = view.record_model.rowCount() - 1
        view.selectRow(row)
        view.edit(view.record_model.index(row, 0))

    def _add_meeting(self) -> None:
        document = self.document
        when = document.status_date if document else date.today()
        self._add("meeting", "Cabinet", {"committee": "Cabinet", "meets_on": when}, self.meeting_view)

    def _add_implication(self) -> None:
        existing = {i.topic for i in self.implication_model.records}
        topic = next((t for t in STANDARD_IMPLICATIONS if t not in existing), "New implication")
        self._add("implication", topic, {"topic": topic, "applies": False}, self.implication_view)

    def _add_consultation(self) -> None:
        self._add("consultation", "questionnaire", {"method": "questionnaire"}, self.consultation_view)

    def _delete_row(self, kind: str, view: RecordTableView) -> None:
        document = self.document
        record = view.selected_record()
        if document is None or record is None:
            self.status_message.emit(f"Select the {kind} to delete first.")
            return
        error = document.execute(DeleteReportRowCommand(document, kind, record.id, self._label(kind, record)))
        if error is not None:
            view.refuse(view.currentIndex(), None, refusal_text(error))
