"""The detail panel: every field of the selected action, its dependencies, its progress and its recorded changes.

Each field is written the moment the officer finishes it (Enter, Tab, leaving
the field, a pick) as one undoable command. A refusal — due before start, a
dependency cycle — is shown at the field with the reason, and nothing is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.dates import british
from egov_planner.model.entities import STATUS_VALUES
from egov_planner.model.errors import ConflictError, PlanError, ValidationError
from egov_planner.model.records import ActionRecord, ProgressRecord
from egov_planner.model.rules import describe_assessment
from egov_planner.model.service.history import as_shown, when_shown
from egov_planner.model.store import PlanFileError
from egov_planner.ui.commands import AddProgressCommand, EditActionCommand
from egov_planner.ui.commands.base import ACTION_FIELD_LABELS
from egov_planner.ui.document import PlanDocument, refusal_text
from egov_planner.ui.models.actions import status_label
from egov_planner.ui.models.records import RecordColumn, RecordTableModel
from egov_planner.ui.views.action_history import HistoryTab
from egov_planner.ui.views.action_links import REF_TITLE_DASH, DependenciesTab
from egov_planner.ui.views.revision_dialog import ask_revision, expected_passed_text, target_dates_text
from egov_planner.ui.widgets.badges import RagBadge
from egov_planner.ui.widgets.fields import (
    ChoiceCombo,
    DateField,
    Field,
    NameCombo,
    PercentSpin,
    TextArea,
    TextLine,
    being_typed_in,
    forget_typing,
    repolish,
)
from egov_planner.ui.widgets.messages import ClampedLabel
from egov_planner.ui.widgets.panels import grid_box, tab_page
from egov_planner.ui.widgets.tables import RecordTableView

SCHEDULE_12A = {
    1: "information relating to any individual",
    2: "information likely to reveal the identity of an individual",
    3: "financial or business affairs of any particular person",
    4: "labour relations matters (consultations or negotiations)",
    5: "information subject to legal professional privilege",
    6: "notices, orders or directions under an enactment",
    7: "prevention, investigation or prosecution of crime",
}
EXEMPT_CHOICES: list[tuple[str, object]] = [("Not exempt (public)", None)] + [
    (f"Paragraph {number} – {text}", number) for number, text in SCHEDULE_12A.items()
]
STATUS_CHOICES: list[tuple[str, object]] = [(status_label(s).capitalize(), s) for s in STATUS_VALUES]


class ActionDetailPanel(DependenciesTab):
    """Edits every field of one action; shows its predecessors, external waits and history.

    go_to_action and status_message are declared by DependenciesTab (views/action_links.py).
    """

    back_to_list = Signal()  # Escape in a field that has nothing to put back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: PlanDocument | None = None
        self.action_id: int | None = None
        self.editable = True
        self.fields: dict[str, Field] = {}
        self._shown_version: int | None = None  # the version of the action the fields were last filled from
        self._typed_from: tuple[int, int] | None = None  # (action, version) the officer began typing against
        # A field's edit refused as another officer changed the action first: the action as read just after,
        # and the change the officer made, to save over it if they choose.
        self._offers: dict[str, tuple[ActionRecord, dict[str, Any]]] = {}
        self.setMinimumWidth(380)

        self.stack = QStackedWidget(self)
        empty = QLabel("Select an action in the table to see and edit it here.")
        empty.setObjectName("muted")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        self.stack.addWidget(empty)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(8, 6, 8, 6)
        body_layout.setSpacing(6)
        header = QHBoxLayout()
        self.badge = RagBadge()
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        # Each note above the tabs is at most two lines (the rest in its tooltip): the form keeps the height.
        self.heading = ClampedLabel(2)
        self.heading.setObjectName("panelTitle")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(self.heading, 1)
        body_layout.addLayout(header)
        self.verdict = ClampedLabel(2)
        self.verdict.setObjectName("muted")
        self.verdict.setAccessibleName("Assessment")
        body_layout.addWidget(self.verdict)
        # Dates the committee asks about: an expected date already passed, the original target and its revisions.
        self.dates_note = ClampedLabel(2)
        self.dates_note.setObjectName("datesNote")
        self.dates_note.setAccessibleName("Target dates")
        self.dates_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dates_note.hide()
        body_layout.addWidget(self.dates_note)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._details_tab(), "&Details")
        self.tabs.addTab(self._dependencies_tab(), "Depe&ndencies")
        self.tabs.addTab(self._progress_tab(), "Pro&gress")
        self.history_tab = HistoryTab()
        self.tabs.addTab(self.history_tab, "History")
        self.tabs.currentChanged.connect(lambda _index: self._show_history())
        body_layout.addWidget(self.tabs, 1)
        self.stack.addWidget(body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        # As narrow as the splitter may make it: the details form whole (dates readable), no sideways scroll.
        scrollbar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        self.setMinimumWidth(max(380, self.details_form.minimumSizeHint().width() + scrollbar + 24))

    # --- building -------------------------------------------------------------------------------

    def _field(self, name: str, editor: QWidget) -> Field:
        field = Field(editor)
        self.fields[name] = field
        # The line under the field is cut short: the whole refusal goes to the status bar too.
        field.shown.connect(lambda text: self.status_message.emit(f"Not saved: {text}"))
        committed = getattr(editor, "committed", None)
        if committed is not None:
            committed.connect(lambda value, name=name: self._commit(name, value))
        field.conflict.use_theirs.connect(lambda name=name: self._use_theirs(name))
        field.conflict.save_mine.connect(lambda name=name: self._save_mine(name))
        return field

    def _details_tab(self) -> QWidget:
        self.ref_edit = TextLine("Reference")
        self.objective_combo = ChoiceCombo([], "Objective")
        self.title_edit = TextLine("Title")
        self.description_edit = TextArea("Description", lines=3)
        self.owner_combo = NameCombo("Owner")
        self.department_combo = NameCombo("Department")
        self.start_edit = DateField(allow_empty=True, accessible_name="Start date")
        self.due_edit = DateField(allow_empty=False, accessible_name="Due date")
        self.status_combo = ChoiceCombo(STATUS_CHOICES, "Status")
        self.completed_edit = DateField(allow_empty=True, accessible_name="Completed on")
        self.expected_edit = DateField(allow_empty=True, accessible_name="Expected completion date")
        self.expected_edit.setToolTip("When the owner now expects to finish (an open action); it moves the forecast")
        self.percent_spin = PercentSpin("Per cent complete")
        self.measure_edit = TextArea("Success measure", lines=2)
        self.resources_edit = TextArea("Resources", lines=2)
        self.notes_edit = TextArea("Notes", lines=3)
        self.exempt_combo = ChoiceCombo(EXEMPT_CHOICES, "Exempt paragraph (Schedule 12A)")
        self.exempt_combo.setMinimumContentsLength(18)
        self.exempt_combo.setSizeAdjustPolicy(ChoiceCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

        form, grid = grid_box((4, 8, 4, 8), (8, 6), stretch=(1, 3))

        def label(text: str, buddy: QWidget) -> QLabel:
            widget = QLabel(text)
            widget.setBuddy(buddy.line if isinstance(buddy, DateField) else buddy)  # the box that types
            widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            widget.setContentsMargins(0, 5, 0, 0)
            return widget

        row = 0

        def wide(text: str, name: str, editor: QWidget) -> None:
            nonlocal row
            grid.addWidget(label(text, editor), row, 0)
            grid.addWidget(self._field(name, editor), row, 1, 1, 3, Qt.AlignmentFlag.AlignTop)
            row += 1

        def pair(text1: str, name1: str, editor1: QWidget, text2: str, name2: str, editor2: QWidget) -> None:
            nonlocal row
            grid.addWidget(label(text1, editor1), row, 0)
            # Top-aligned: a refusal shown under one field must not shift its neighbour.
            grid.addWidget(self._field(name1, editor1), row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label(text2, editor2), row, 2)
            grid.addWidget(self._field(name2, editor2), row, 3, Qt.AlignmentFlag.AlignTop)
            row += 1

        wide("O&bjective", "objective_id", self.objective_combo)
        wide("&Title", "title", self.title_edit)
        wide("Descr&iption", "description", self.description_edit)
        wide("&Owner", "owner", self.owner_combo)
        wide("De&partment", "department", self.department_combo)
        # The dates stack on the right (due, expected, completed); the Ref sits alone below.
        pair("&Start", "start", self.start_edit, "D&ue", "due", self.due_edit)
        pair("St&atus", "status", self.status_combo, "Expected &when", "expected", self.expected_edit)
        pair("% comp&lete", "percent_complete", self.percent_spin, "&Completed", "completed_on", self.completed_edit)
        grid.addWidget(label("Ref", self.ref_edit), row, 0)
        grid.addWidget(self._field("ref", self.ref_edit), row, 1, Qt.AlignmentFlag.AlignTop)
        row += 1
        wide("Success &measure", "success_measure", self.measure_edit)
        wide("Resources", "resources", self.resources_edit)
        wide("Notes", "notes", self.notes_edit)
        wide("E&xempt", "exempt_paragraph", self.exempt_combo)
        grid.setRowStretch(row, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        self.details_form = form
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the fields (it scrolls to each)
        self.details_scroll = scroll
        # A field reached by its Alt key (or a click on its label) is scrolled into sight, as Tab does.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)
        return scroll

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.details_form.isAncestorOf(new):
            self.details_scroll.ensureWidgetVisible(new)

    def _progress_tab(self) -> QWidget:
        page, layout = tab_page("Progress history (newest first)")
        self.progress_model = RecordTableModel(
            [
                RecordColumn("Date", lambda p: british(p.reported_on), width=80, sort_key=lambda p: p.reported_on),
                RecordColumn("Status", lambda p: status_label(p.status), width=80),
                RecordColumn("%", lambda p: p.percent_complete, width=40, align_right=True),
                RecordColumn(
                    "Note",
                    lambda p: p.note.replace("\n", " "),
                    width=150,
                    tooltip=lambda p: p.note or None,
                    stretch=True,
                ),
                RecordColumn("By", lambda p: p.author, width=100),
            ]
        )
        self.progress_view = RecordTableView(self.progress_model, "Progress history")
        layout.addWidget(self.progress_view, 1)

        box = QGroupBox("Add a progress update")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.progress_date = DateField(allow_empty=False, accessible_name="Update date")
        self.progress_status = ChoiceCombo(STATUS_CHOICES, "Update status")
        self.progress_percent = PercentSpin("Update per cent complete")
        self.progress_author = NameCombo("Update author")
        self.progress_note = TextArea("Update note", lines=3)
        self.progress_date_field = Field(self.progress_date)
        self.progress_note_field = Field(self.progress_note)
        line = QHBoxLayout()
        line.addWidget(self.progress_date_field, 1)
        line.addWidget(self.progress_status, 1)
        line.addWidget(self.progress_percent)
        date_label = QLabel("D&ate, status, %")
        date_label.setBuddy(self.progress_date.line)
        form.addRow(date_label, line)
        author_label = QLabel("B&y")
        author_label.setBuddy(self.progress_author)
        form.addRow(author_label, self.progress_author)
        note_label = QLabel("N&ote")
        note_label.setBuddy(self.progress_note)
        form.addRow(note_label, self.progress_note_field)
        self.add_progress_button = QPushButton("Add &update")
        self.add_progress_button.setAccessibleName("Add progress update")
        self.add_progress_button.clicked.connect(self.add_progress)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_progress_button)
        form.addRow(buttons)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(box)
        return page

    # --- showing ----------------------------------------------------------------------------------

    def set_document(self, document: PlanDocument | None) -> None:
        self.document = document
        self.action_id = None
        self.stack.setCurrentIndex(0)
        for field in self.fields.values():
            field.clear_error()
        self.set_editable(document is not None and not document.read_only)
        if document is not None:
            self.refresh_lists()

    def set_editable(self, editable: bool) -> None:
        """Read-only plans: every editor is locked (and says why in its tooltip)."""
        self.editable = editable
        for field in self.fields.values():
            editor = field.editor
            set_read_only = getattr(editor, "setReadOnly", None)
            if set_read_only is not None:
                set_read_only(not editable)
                repolish(editor)  # the style sheet greys read-only fields
            else:
                editor.setEnabled(editable)
        for widget in (
            self.predecessor_ref,
            self.kind_combo,
            self.lag_spin,
            self.add_predecessor_button,
            self.remove_predecessor_button,
            self.external_combo,
            self.add_external_button,
            self.remove_external_button,
            self.progress_date,
            self.progress_status,
            self.progress_percent,
            self.progress_author,
            self.progress_note,
            self.add_progress_button,
        ):
            widget.setEnabled(editable)
        for model in (self.predecessor_model,):
            model.read_only = not editable

    def refresh_lists(self) -> None:
        """Pickers follow the plan: objectives, people, departments, action refs, externals."""
        document = self.document
        if document is None:
            return
        snapshot = document.snapshot
        objectives = [(f"{o.ref} {o.title}", o.id) for o in snapshot.objectives]
        if [self.objective_combo.itemData(i) for i in range(self.objective_combo.count())] != [
            v for _l, v in objectives
        ]:
            self.objective_combo.clear()
            for text, value in objectives:
                self.objective_combo.addItem(text, value)
        people = [p.name for p in snapshot.people if p.left_on is None]
        self.owner_combo.set_names(people)
        self.progress_author.set_names(people)
        self.department_combo.set_names([d.name for d in snapshot.departments])
        self.predecessor_ref.set_names([f"{a.ref}{REF_TITLE_DASH}{a.title}" for a in snapshot.actions])
        current = [self.external_combo.itemData(i) for i in range(self.external_combo.count())]
        if current != [e.id for e in snapshot.externals]:
            self.external_combo.clear()
            for external in snapshot.externals:
                self.external_combo.addItem(external.name, external.id)

    def current_action(self) -> ActionRecord | None:
        if self.document is None or self.action_id is None:
            return None
        return self.document.action(self.action_id)

    def _typing_in(self, record: ActionRecord) -> bool:
        """Is the officer typing in one of this action's fields? Then their edit keeps the version they began
        from (the one shown before another officer's change), so committing it is checked against that."""
        if not any(being_typed_in(field.editor) for field in self.fields.values()):
            self._typed_from = None
            return False
        if self._typed_from is None or self._typed_from[0] != record.id:
            self._typed_from = (record.id, self._shown_version or record.version)
        return True

    def show_action(self, action_id: int | None) -> None:
        """Show an action (or nothing); switching actions drops any refused, unsaved text."""
        if action_id != self.action_id:
            self._typed_from = None
            self._offers.clear()
            for field in self.fields.values():
                field.clear_error()
            self.predecessor_field.clear_error()
            self.external_field.clear_error()
            self.progress_date_field.clear_error()
            self.progress_note_field.clear_error()
            self.predecessor_ref.set_value("")
            self.progress_note.set_value("")
            self.action_id = action_id
        self.reload()

    def reload(self) -> None:
        """Fill every field from the document (a field showing a refusal keeps the officer's text)."""
        record = self.current_action()
        document = self.document
        if record is None or document is None:
            self.action_id = None
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        judged = document.assessment.actions.get(record.id)
        self.heading.setText(f"{record.ref}  {record.title}")
        if judged is not None:
            self.badge.set_rag(judged.rag)
            text = describe_assessment(judged)
            forecast = f". Forecast finish {british(judged.forecast)}" if judged.flag is not None else ""
            self.verdict.setText(f"{text}{forecast} (position as at {british(document.status_date)})")
            self.badge.setToolTip(text)
        notes = [expected_passed_text(record, document.status_date), target_dates_text(document.snapshot, record)]
        self.dates_note.setText("\n".join(note for note in notes if note))
        self.dates_note.setVisible(bool(self.dates_note.text()))
        values: dict[str, Any] = {
            "ref": record.ref,
            "objective_id": record.objective_id,
            "title": record.title,
            "description": record.description,
            "owner": record.owner,
            "department": record.department,
            "start": record.start,
            "due": record.due,
            "status": record.status,
            "completed_on": record.completed_on,
            "percent_complete": record.percent_complete,
            "expected": record.expected,
            "success_measure": record.success_measure,
            "resources": record.resources,
            "notes": record.notes,
            "exempt_paragraph": record.exempt_paragraph,
        }
        typing = document.from_others and self._typing_in(record)
        for name, value in values.items():
            field = self.fields[name]
            if field.error_text():
                continue
            if typing and being_typed_in(field.editor):
                continue  # another officer's change never overwrites what this officer is typing
            field.editor.set_value(value)  # type: ignore[attr-defined]
        if record.owner_left_on:
            self.owner_combo.setToolTip(f"{record.owner} left on {british(record.owner_left_on)}: choose a new owner")
        else:
            self.owner_combo.setToolTip("")
        self.predecessor_model.set_records(list(record.predecessors))
        successors = document.successors_of(record.id)
        self.successor_model.set_records(successors)
        externals = document.state.externals_by_id
        names = set(record.externals)
        self.external_model.set_records([e for e in externals.values() if e.name in names])
        history: list[ProgressRecord] = document.service.progress(record.id)
        self.progress_model.set_records(sorted(history, key=lambda p: (p.reported_on, p.id), reverse=True))
        if not self.progress_date_field.error_text():
            self.progress_date.set_value(document.status_date)
        self.progress_status.set_value(record.status)
        self.progress_percent.set_value(record.percent_complete)
        if not typing:
            self._shown_version = record.version
        self._show_history()

    def _show_history(self) -> None:
        """The History tab is read only while it is the one showing (after each change, on switching to it)."""
        record = self.current_action()
        if record is not None and self.document is not None and self.tabs.currentWidget() is self.history_tab:
            self.history_tab.show_history(self.document.service, record.ref)

    # --- edits ----------------------------------------------------------------------------------------

    def _run(self, command: QUndoCommand) -> PlanError | None:
        assert self.document is not None
        return self.document.execute(command)

    def _commit(self, name: str, value: Any) -> None:
        record = self.current_action()
        if record is None or self.document is None:
            return
        field = self.fields[name]
        if name in ("owner", "department") and isinstance(value, str):
            value = value.strip()
        changes: dict[str, Any] = {name: value}
        if name == "due":
            notes = ask_revision(self, self.document, record, value)
            if notes is None:  # cancelled: the old target date stays, nothing is saved
                field.editor.set_value(record.due)  # type: ignore[attr-defined]
                field.clear_error()
                self.status_message.emit(f"Target date of {record.ref} not changed")
                return
            changes.update(notes)
        if name == "owner" and value and not record.department:
            # As a new owner's department is usually the action's: filled in (one undo) when still empty.
            person = next((p for p in self.document.snapshot.people if p.name == value), None)
            if person is not None and person.department:
                changes["department"] = person.department
        if field.conflict_version is not None:
            # Their change is still on offer, unanswered: a new Enter is checked against the same version again.
            record = replace(record, version=field.conflict_version)
        elif self._typed_from is not None and self._typed_from[0] == record.id:
            # Typed while another officer changed this action: checked against what was on screen then.
            record = replace(record, version=self._typed_from[1])
        self._typed_from = None
        self._save(name, record, changes)

    def _save(self, name: str, record: ActionRecord, changes: dict[str, Any]) -> None:
        """Send one field's change; a refusal is shown at the field (another officer's change, offered)."""
        assert self.document is not None
        field = self.fields[name]
        error = self._run(EditActionCommand(self.document, record, changes))
        if error is None:
            field.clear_error()
            self._offers.pop(name, None)
            return
        if isinstance(error, ConflictError) and self._offer_theirs(name, record, changes):
            return
        field.set_error(refusal_text(error))
        self.status_message.emit(f"Not saved: {refusal_text(error)}")

    def _offer_theirs(self, name: str, record: ActionRecord, changes: dict[str, Any]) -> bool:
        """Read the action as it is now and say under the field who changed it, when, their value and the
        officer's own, offering both; False when it cannot be read (the plain refusal is shown then)."""
        assert self.document is not None
        field = self.fields[name]
        try:
            current = self.document.service.action(record.id)
            history = self.document.service.history(current.ref)
        except (PlanError, PlanFileError):
            return False
        label = ACTION_FIELD_LABELS.get(name, name.replace("_", " "))
        theirs, mine = getattr(current, name), changes[name]
        last = history[-1] if history else None
        if last is None:
            who = f"another officer changed {current.ref}"
        else:
            who = f"{last.by} changed {current.ref}, at {when_shown(last.at)}"
        if theirs != field.editor.value():  # type: ignore[attr-defined]  # the value the officer began from
            now = f"its {label} is now {self._shown(name, theirs)}"
        else:  # another field of it changed: say which, as this one is as the officer read it
            done = [e for e in history if last is not None and (e.at, e.by) == (last.at, last.by)][-3:]
            what = "; ".join(f"{e.field} {as_shown(e.from_value, 30)} → {as_shown(e.to_value, 30)}" for e in done)
            now = f"{what}; its {label} is still {self._shown(name, theirs)}" if what else f"its {label} is unchanged"
        text = (
            f"Since you began, {who}: {now}. Yours, {self._shown(name, mine)}, is not saved: "
            "use their value, or save yours over it."
        )
        self._offers[name] = (current, changes)
        field.offer_theirs(text, record.version)
        self.status_message.emit(f"Not saved: {text}")
        return True

    def _shown(self, name: str, value: Any) -> str:
        """A field's value as the officer reads it in a sentence: “text”, 31/05/2004, a choice's label."""
        editor = self.fields[name].editor
        if isinstance(editor, ChoiceCombo):
            index = next((i for i in range(editor.count()) if editor.itemData(i) == value), -1)
            return f"“{editor.itemText(index)}”" if index >= 0 else "none"
        if isinstance(value, date):
            return british(value)
        if value is None or value == "":
            return "empty"
        if isinstance(editor, PercentSpin):
            return f"{value} %"
        return f"“{value}”"

    def _use_theirs(self, name: str) -> None:
        """Put the other officer's value in the field; nothing is saved."""
        offered = self._offers.pop(name, None)
        field = self.fields[name]
        field.clear_error()
        if offered is not None:
            current, _changes = offered
            field.editor.set_value(getattr(current, name))  # type: ignore[attr-defined]
            self.status_message.emit(f"{current.ref}: their {ACTION_FIELD_LABELS.get(name, name)} kept; nothing saved")
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_mine(self, name: str) -> None:
        """Save the officer's value over the other officer's, against the action as read when offered (undoable)."""
        offered = self._offers.pop(name, None)
        field = self.fields[name]
        if offered is None or self.document is None:
            field.clear_error()
            return
        current, changes = offered
        field.conflict_version = None
        self._save(name, current, changes)
        if not field.error_text():
            forget_typing(field.editor)  # Ctrl+Z back in the field undoes this save, not the typing before it
            label = ACTION_FIELD_LABELS.get(name, name)
            self.status_message.emit(f"{current.ref}: your {label} saved over theirs (Ctrl+Z undoes it)")
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_progress(self) -> None:
        record = self.current_action()
        document = self.document
        if record is None or document is None:
            return
        try:
            reported_on = self.progress_date.parsed()
        except ValueError as problem:
            self.progress_date_field.set_error(str(problem))
            return
        note = self.progress_note.toPlainText().strip()
        if not note:
            self.progress_note_field.set_error("write a short note of the progress made")
            return
        assert isinstance(reported_on, date)
        command = AddProgressCommand(
            document,
            record,
            reported_on,
            note,
            str(self.progress_status.currentData()),
            self.progress_percent.value(),
            self.progress_author.currentText().strip(),
        )
        error = self._run(command)
        if error is not None:
            field = (
                self.progress_date_field
                if isinstance(error, ValidationError) and error.field == "reported_on"
                else self.progress_note_field
            )
            field.set_error(refusal_text(error))
            return
        self.progress_date_field.clear_error()
        self.progress_note_field.clear_error()
        self.progress_note.set_value("")
        self.status_message.emit(f"Progress update added to {record.ref}")

    def unsaved_field(self) -> tuple[str, str, str] | None:
        """The first field still red with refused typing: (name, what the officer calls it, why)."""
        for name, field in self.fields.items():
            if field.error_text():
                label = field.editor.accessibleName() or name.replace("_", " ")
                return name, label[:1].lower() + label[1:], field.error_text().rstrip(".")
        return None

    def focus_title(self) -> None:
        self.focus_field("title")

    def focus_field(self, name: str) -> None:
        """Put the cursor in one field of the Details tab, its text selected to type over."""
        if name in ("predecessor", "external"):
            self.tabs.setCurrentIndex(1)
            target: QWidget = self.predecessor_ref if name == "predecessor" else self.external_combo
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        self.tabs.setCurrentIndex(0)
        editor = self.fields[name].editor
        line = editor.line if isinstance(editor, DateField) else editor
        line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.details_scroll.ensureWidgetVisible(line)
        select_all = getattr(line, "selectAll", None)
        if select_all is not None:
            select_all()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # A field passes Escape on when it has no typing to undo: go back to the actions.
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.back_to_list.emit()
            return
        super().keyPressEvent(event)
