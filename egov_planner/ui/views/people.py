"""People and departments: edit in place, add, mark someone as having left, see what they own."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from egov_planner.model.dates import british
from egov_planner.model.records import DepartmentRecord, PersonRecord
from egov_planner.model.rules import DONE_STATUSES
from egov_planner.ui.commands import (
    AddDepartmentCommand,
    AddPersonCommand,
    DeleteDepartmentCommand,
    DeletePersonCommand,
    EditPersonCommand,
    RenameDepartmentCommand,
)
from egov_planner.ui.models.actions import status_label
from egov_planner.ui.models.records import (
    RecordColumn,
    RecordTableModel,
    date_column,
    due_column,
    name_column,
    text_column,
)
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.views.edits import add_named, attempt
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.widgets.panels import column, delete_button, entry_row, name_entry, push_button, section_title
from egov_planner.ui.widgets.tables import AssessedActionsView, RecordTableView


class PeopleView(LazyView):
    """Everyone named in the plan, and the departments; both editable."""

    open_action = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._owns: Counter[int] = Counter()
        self._open_owned: Counter[int] = Counter()
        self._leads: dict[int, list[str]] = {}
        self._dept_people: Counter[int] = Counter()
        self._dept_actions: Counter[int] = Counter()
        self._dept_services: Counter[str] = Counter()

        def edit(name: str) -> Any:
            return lambda record, value: self._edit_person(record, name, value)

        self.people_model = RecordTableModel(
            [
                text_column("Name", "name", edit("name"), 200),
                text_column("Job title", "job_title", edit("job_title"), 240),
                name_column("Department", "department", edit("department"), 200, self._department_choices),
                text_column("Email", "email", edit("email"), 170),
                text_column("Phone", "phone", edit("phone"), 110),
                date_column(
                    "Left on", "left_on", edit("left_on"), 90, foreground=lambda p: "#B35900" if p.left_on else None
                ),
                RecordColumn(
                    "Owns",
                    self._owns_text,
                    width=80,
                    align_right=True,
                    sort_key=lambda p: self._owns.get(p.id, 0),
                    tooltip=lambda p: f"{self._owns.get(p.id, 0)} actions, {self._open_owned.get(p.id, 0)} still open",
                ),
                RecordColumn("Leads", lambda p: ", ".join(self._leads.get(p.id, [])), width=90),
            ]
        )
        self.people_view = RecordTableView(self.people_model, "People")
        self.people_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_owned())

        self.new_person, self.new_person_field, self.add_person_button = name_entry(
            "Name of someone new", "New person's name", "&Add person", self.add_person
        )
        self.left_button = push_button(
            "Mark as &left",
            self.mark_left,
            "Record that the selected person has left (today); their open actions need a new owner",
        )
        self.back_button = push_button("&Back in post", self.back_in_post)
        self.delete_person_button = delete_button(
            "Re&move",
            self.people_view,
            self.delete_person,
            "Remove someone who owns and leads nothing (prefer 'Mark as left')",
        )

        self.owned_view = AssessedActionsView(
            380,
            [
                due_column(),
                RecordColumn("Status", lambda r: status_label(r[0].status), width=100),
            ],
            "Actions owned by the selected person",
            self.open_action.emit,
        )
        self.owned_model = self.owned_view.record_model
        self.owned_title = section_title("Actions owned")

        self.department_model = RecordTableModel(
            [
                text_column("Department", "name", self._rename_department, 230),
                RecordColumn("People", lambda d: self._dept_people.get(d.id, 0), width=60, align_right=True),
                RecordColumn("Actions", lambda d: self._dept_actions.get(d.id, 0), width=64, align_right=True),
                RecordColumn("Services", lambda d: self._dept_services.get(d.name, 0), width=64, align_right=True),
            ]
        )
        self.department_view = RecordTableView(self.department_model, "Departments")
        self.new_department, self.new_department_field, self.add_department_button = name_entry(
            "New department", "New department's name", "Add &department", self.add_department
        )
        self.delete_department_button = delete_button(
            "Delete depar&tment",
            self.department_view,
            self.delete_department,
            "Delete a department nobody and nothing belongs to",
        )

        people_box, people_layout = column("People")
        people_layout.addWidget(self.people_view, 3)
        people_layout.addLayout(
            entry_row(
                self.new_person_field,
                self.add_person_button,
                self.left_button,
                self.back_button,
                self.delete_person_button,
            )
        )
        people_layout.addWidget(self.owned_title)
        people_layout.addWidget(self.owned_view, 2)

        departments_box, departments_layout = column("Departments")
        departments_layout.addWidget(self.department_view, 1)
        departments_layout.addLayout(entry_row(self.new_department_field, self.add_department_button))
        departments_layout.addWidget(self.delete_department_button, 0, Qt.AlignmentFlag.AlignRight)

        self.fill_with_splitter(Qt.Orientation.Horizontal, (people_box, departments_box), [1100, 460])

    # --- feeding ------------------------------------------------------------------------------------

    def _department_choices(self) -> list[tuple[str, Any]]:
        if self.document is None:
            return []
        return [(d.name, d.name) for d in self.document.snapshot.departments]

    def _owns_text(self, person: PersonRecord) -> str:
        owned = self._owns.get(person.id, 0)
        return str(owned) if owned else ""

    def set_editable(self, editable: bool) -> None:
        self.people_model.read_only = not editable
        self.department_model.read_only = not editable
        for widget in (
            self.new_person,
            self.add_person_button,
            self.left_button,
            self.back_button,
            self.delete_person_button,
            self.new_department,
            self.add_department_button,
            self.delete_department_button,
        ):
            widget.setEnabled(editable)

    def refresh(self) -> None:
        document = self.document
        if document is None:
            self.people_model.set_records([])
            self.department_model.set_records([])
            self.owned_view.show_assessed([], {})
            return
        snapshot = document.snapshot
        self._owns = Counter(a.owner_id for a in snapshot.actions if a.owner_id is not None)
        self._open_owned = Counter(
            a.owner_id for a in snapshot.actions if a.owner_id is not None and a.status not in DONE_STATUSES
        )
        leads: dict[int, list[str]] = {}
        for objective in snapshot.objectives:
            if objective.lead_id is not None:
                leads.setdefault(objective.lead_id, []).append(objective.ref)
        self._leads = leads
        self._dept_people = Counter(p.department_id for p in snapshot.people if p.department_id is not None)
        self._dept_actions = Counter(a.department_id for a in snapshot.actions if a.department_id is not None)
        self._dept_services = Counter(r.department for r in {(r.service_id): r for r in snapshot.service_rows}.values())
        self.people_view.show_records(snapshot.people)
        self.department_model.set_records(snapshot.departments)
        self._show_owned()

    def selected_person(self) -> PersonRecord | None:
        return self.people_view.selected_of(PersonRecord)

    def _show_owned(self) -> None:
        document = self.document
        person = self.selected_person()
        if document is None or person is None:
            self.owned_view.show_assessed([], {})
            return
        owned = (a for a in document.snapshot.actions if a.owner_id == person.id)
        count = self.owned_view.show_assessed(owned, document.assessment.actions)
        left = f" — left on {british(person.left_on)}: open actions need a new owner" if person.left_on else ""
        self.owned_title.setText(f"Actions owned by {person.name} ({count}){left}")

    # --- edits ---------------------------------------------------------------------------------------

    def _edit_person(self, person: PersonRecord, name: str, value: Any) -> str | None:
        assert self.document is not None
        if isinstance(value, str):
            value = value.strip()
        return attempt(self.document, EditPersonCommand(self.document, person, {name: value}))

    def add_person(self) -> None:
        if self.document is not None:  # then their job title (column 1)
            add_named(
                self.document, self.new_person, self.new_person_field, "person", AddPersonCommand, (self.people_view, 1)
            )

    def mark_left(self) -> None:
        person = self.selected_person()
        document = self.document
        if person is None or document is None:
            self.status_message.emit("Select a person first.")
            return
        error = document.execute(
            EditPersonCommand(document, person, {"left_on": date.today()}, text=f"mark {person.name} as left")
        )
        if error is not None:
            self.people_view.refuse(self.people_view.currentIndex(), None, refusal_text(error))
            return
        open_count = self._open_owned.get(person.id, 0)
        if open_count:
            self.status_message.emit(f"{person.name} marked as left: {open_count} open actions need a new owner")

    def back_in_post(self) -> None:
        person = self.selected_person()
        document = self.document
        if person is None or document is None or person.left_on is None:
            return
        error = document.execute(
            EditPersonCommand(document, person, {"left_on": None}, text=f"mark {person.name} as back in post")
        )
        if error is not None:
            self.people_view.refuse(self.people_view.currentIndex(), None, refusal_text(error))

    def delete_person(self) -> None:
        person = self.selected_person()
        document = self.document
        if person is None or document is None:
            return
        if self._owns.get(person.id) or self._leads.get(person.id):
            self.people_view.refuse(
                self.people_view.currentIndex(),
                None,
                f"{person.name} owns or leads part of the plan; give those a new owner first, or mark them as left",
            )
            return
        error = document.execute(DeletePersonCommand(document, person))
        if error is not None:
            self.people_view.refuse(self.people_view.currentIndex(), None, refusal_text(error))

    def _rename_department(self, department: DepartmentRecord, value: Any) -> str | None:
        assert self.document is not None
        return attempt(
            self.document, RenameDepartmentCommand(self.document, department.id, department.name, str(value).strip())
        )

    def add_department(self) -> None:
        document = self.document
        if document is None:
            return
        add_named(document, self.new_department, self.new_department_field, "department", AddDepartmentCommand)

    def delete_department(self) -> None:
        record = self.department_view.selected_of(DepartmentRecord)
        document = self.document
        if record is None or document is None:
            return
        if (
            self._dept_people.get(record.id)
            or self._dept_actions.get(record.id)
            or self._dept_services.get(record.name)
        ):
            self.department_view.refuse(
                self.department_view.currentIndex(),
                None,
                f"{record.name} still has people, actions or services; move them first",
            )
            return
        error = document.execute(DeleteDepartmentCommand(document, record.id, record.name))
        if error is not None:
            self.department_view.refuse(self.department_view.currentIndex(), None, refusal_text(error))
