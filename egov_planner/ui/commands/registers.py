"""Undo commands for the registers beside the plan: external dependencies, people and departments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from egov_planner.model.records import PersonRecord
from egov_planner.ui.commands.base import PlanCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- external dependencies --------------------------------------------------------------------------


class AddExternalCommand(PlanCommand):
    """A new external dependency in the register."""

    def __init__(self, document: PlanDocument, name: str, **fields: Any) -> None:
        super().__init__(document, f"add external dependency {name}")
        self.name = name
        self.fields = fields
        self.external_id: int | None = None
        self.saved: tuple[dict[str, Any], list[int]] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_external(*self.saved)
            return
        self.external_id = self.service.add_external(self.name, **self.fields)

    def undo_it(self) -> None:
        assert self.external_id is not None
        self.saved = self.service.delete_external(self.document.current_id("external", self.external_id))


class EditExternalCommand(PlanCommand):
    """Change an external dependency: expected date, confidence, last checked, delivered…"""

    def __init__(
        self, document: PlanDocument, external_id: int, name: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        label = ", ".join(field.replace("_on", "").replace("_", " ") for field in after)
        super().__init__(document, f"change {label} of {name}")
        self.external_id = external_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_external(self.document.current_id("external", self.external_id), **self.after)

    def undo_it(self) -> None:
        self.service.update_external(self.document.current_id("external", self.external_id), **self.before)


class DeleteExternalCommand(PlanCommand):
    """Delete an external dependency; undo brings it back with the actions that waited on it."""

    def __init__(self, document: PlanDocument, external_id: int, name: str) -> None:
        super().__init__(document, f"delete external dependency {name}")
        self.external_id = external_id
        self.saved: tuple[dict[str, Any], list[int]] | None = None

    def do(self) -> None:
        self.saved = self.service.delete_external(self.document.current_id("external", self.external_id))

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_external(*self.saved)


# --- people and departments ------------------------------------------------------------------------


class AddPersonCommand(PlanCommand):
    """A new person (an owner or lead)."""

    def __init__(self, document: PlanDocument, name: str, **fields: Any) -> None:
        super().__init__(document, f"add {name}")
        self.name = name
        self.fields = fields
        self.person_id: int | None = None
        self.first_id: int | None = None

    def do(self) -> None:
        new_id = self.service.add_person(self.name, **self.fields)
        if self.first_id is None:
            self.first_id = new_id
        else:
            self.document.renumber("person", self.first_id, new_id)
        self.person_id = new_id

    def undo_it(self) -> None:
        assert self.person_id is not None
        self.service.delete_person(self.person_id)


class EditPersonCommand(PlanCommand):
    """Change a person's details, or mark them as having left."""

    def __init__(
        self, document: PlanDocument, person: PersonRecord, after: Mapping[str, Any], text: str | None = None
    ) -> None:
        label = ", ".join(field.replace("_on", "").replace("_", " ") for field in after)
        super().__init__(document, text or f"change {label} of {person.name}")
        self.person_id = person.id
        self.before = {name: getattr(person, name) for name in after}
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_person(self.document.current_id("person", self.person_id), **self.after)

    def undo_it(self) -> None:
        self.service.update_person(self.document.current_id("person", self.person_id), **self.before)


class DeletePersonCommand(PlanCommand):
    """Remove a person who owns and leads nothing; undo adds them back."""

    def __init__(self, document: PlanDocument, person: PersonRecord) -> None:
        super().__init__(document, f"remove {person.name}")
        self.person = person

    def do(self) -> None:
        self.service.delete_person(self.document.current_id("person", self.person.id))

    def undo_it(self) -> None:
        person = self.person
        new_id = self.service.add_person(
            person.name, person.job_title, person.department or None, person.email, person.phone
        )
        if person.left_on is not None:
            self.service.update_person(new_id, left_on=person.left_on)
        self.document.renumber("person", self.document.current_id("person", person.id), new_id)


class AddDepartmentCommand(PlanCommand):
    """A new department."""

    def __init__(self, document: PlanDocument, name: str) -> None:
        super().__init__(document, f"add department {name}")
        self.name = name
        self.first_id: int | None = None
        self.department_id: int | None = None

    def do(self) -> None:
        new_id = self.service.add_department(self.name)
        if self.first_id is None:
            self.first_id = new_id
        else:
            self.document.renumber("department", self.first_id, new_id)
        self.department_id = new_id

    def undo_it(self) -> None:
        assert self.department_id is not None
        self.service.delete_department(self.department_id)


class RenameDepartmentCommand(PlanCommand):
    """Rename a department (everyone and everything in it follows)."""

    def __init__(self, document: PlanDocument, department_id: int, before: str, after: str) -> None:
        super().__init__(document, f"rename department {before} to {after}")
        self.department_id = department_id
        self.before = before
        self.after = after

    def do(self) -> None:
        self.service.rename_department(self.document.current_id("department", self.department_id), self.after)

    def undo_it(self) -> None:
        self.service.rename_department(self.document.current_id("department", self.department_id), self.before)


class DeleteDepartmentCommand(PlanCommand):
    """Delete a department nobody and nothing belongs to; undo adds it back."""

    def __init__(self, document: PlanDocument, department_id: int, name: str) -> None:
        super().__init__(document, f"delete department {name}")
        self.department_id = department_id
        self.name = name

    def do(self) -> None:
        self.service.delete_department(self.document.current_id("department", self.department_id))

    def undo_it(self) -> None:
        new_id = self.service.add_department(self.name)
        self.document.renumber("department", self.document.current_id("department", self.department_id), new_id)
