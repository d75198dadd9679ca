"""Departments and people (owners and leads)."""

from __future__ import annotations

from typing import Unpack

from sqlalchemy.orm import Session

from egov_planner.model.entities import (
    Department,
    Person,
)
from egov_planner.model.service.change_sets import PersonChanges
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
)
from egov_planner.model.service.lookups import Lookups
from egov_planner.model.service.unit_of_work import Area, apply, given, refuse_taken
from egov_planner.model.validation import check_date, clean, required_text

PERSON_NAME = "the person's name"


class PeopleAndDepartments(Area):
    """Departments and people (owners and leads)."""

    def add_department(self, name: str) -> int:
        """A new department; its name must be new. Returns its id."""
        name = required_text(name, "name", "the department's name")

        taken = (Department.name, name, "name", f"there is already a department called {name}")
        return self._add_unique(ChangeKind.DEPARTMENT, "add a department", taken, lambda _: Department(name=name))

    def rename_department(self, department_id: int, name: str, expected_version: int | None = None) -> None:
        """Rename a department; the new name must not be another department's."""
        name = required_text(name, "name", "the department's name")

        def work(session: Session) -> None:
            department = self._get(session, Department, department_id, "department")
            self._expect(department, expected_version, "This department")
            taken = f"there is already a department called {name}"
            refuse_taken(session, Department.name, name, "name", taken, but=department_id)
            department.name = name

        self._write(
            work, lambda _: Change(ChangeKind.DEPARTMENT, "rename a department", entity_ids=frozenset({department_id}))
        )

    def delete_department(self, department_id: int, expected_version: int | None = None) -> None:
        """Delete a department nobody and nothing belongs to (expected_version: as delete_person)."""

        def work(session: Session) -> None:
            department = self._get(session, Department, department_id, "department")
            self._expect(department, expected_version, f"Department {department.name}")
            session.delete(department)

        self._write(
            work, lambda _: Change(ChangeKind.DEPARTMENT, "delete a department", entity_ids=frozenset({department_id}))
        )

    def add_person(
        self,
        name: str,
        job_title: str = "",
        department: str | None = None,
        email: str = "",
        phone: str = "",
    ) -> int:
        """A new person (an owner or lead), their department by name. Returns their id."""
        name = required_text(name, "name", PERSON_NAME)

        details = {"job_title": clean(job_title), "email": clean(email), "phone": clean(phone)}
        return self._add_unique(
            ChangeKind.PERSON,
            f"add {name}",
            (Person.name, name, "name", f"{name} is already in this plan"),
            lambda session: Person(name=name, department_id=Lookups(session).department(department), **details),
        )

    def update_person(
        self, person_id: int, expected_version: int | None = None, **changes: Unpack[PersonChanges]
    ) -> None:
        """Change a person's details (department by name), or mark them as having left (left_on)."""
        self._unknown(changes, PersonChanges)
        if "name" in changes:
            required_text(changes["name"], "name", PERSON_NAME)
        if "left_on" in changes:
            check_date(changes["left_on"], "left_on")

        def work(session: Session) -> None:
            person = self._get(session, Person, person_id, "person")
            self._expect(person, expected_version, person.name)

            def rename(value: str) -> None:
                name = clean(value)
                refuse_taken(session, Person.name, name, "name", f"{name} is already in this plan", but=person_id)
                person.name = name

            stripped = {k: v.strip() if isinstance(v, str) else v for k, v in given(changes)}
            apply(
                person,
                stripped,
                department=lambda value: setattr(person, "department_id", Lookups(session).department(value)),
                name=rename,
            )

        self._write(work, lambda _: Change(ChangeKind.PERSON, "change a person", entity_ids=frozenset({person_id})))

    def delete_person(self, person_id: int, expected_version: int | None = None) -> None:
        """Remove a person; their actions keep no owner (prefer update_person(left_on=…)).

        expected_version (an undo of their add): changed since by someone else, refused naming them."""

        def work(session: Session) -> None:
            person = self._get(session, Person, person_id, "person")
            self._expect(person, expected_version, person.name)
            session.delete(person)

        self._write(work, lambda _: Change(ChangeKind.PERSON, "remove a person", entity_ids=frozenset({person_id})))
