"""Undo commands for the registers beside the plan: external dependencies, people and departments.

Their fields (and a department's name) are changed by EditFields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egov_planner.model.records import PersonRecord
from egov_planner.model.service.common import DeletedExternal
from egov_planner.ui.commands.base import AddCommand, DeleteCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- external dependencies --------------------------------------------------------------------------


class AddExternalCommand(AddCommand[DeletedExternal]):
    """A new external dependency in the register."""

    def __init__(self, document: PlanDocument, name: str, **fields: Any) -> None:
        service = document.service
        super().__init__(
            document,
            f"add external dependency {name}",
            "external",
            lambda: service.add_external(name, **fields),
            service.delete_external,
            service.restore_external,
        )


class DeleteExternalCommand(DeleteCommand[DeletedExternal]):
    """Delete an external dependency; undo brings it back with the actions that waited on it."""

    def __init__(self, document: PlanDocument, external_id: int, name: str) -> None:
        service = document.service
        text = f"delete external dependency {name}"
        super().__init__(document, text, "external", external_id, service.delete_external, service.restore_external)


# --- people and departments: a delete cannot be restored, so undo adds them again under a new id --------


class AddPersonCommand(AddCommand[None]):
    """A new person (an owner or lead)."""

    def __init__(self, document: PlanDocument, name: str, **fields: Any) -> None:
        service = document.service
        super().__init__(
            document, f"add {name}", "person", lambda: service.add_person(name, **fields), service.delete_person
        )


class DeletePersonCommand(DeleteCommand[None]):
    """Remove a person who owns and leads nothing; undo adds them back."""

    def __init__(self, document: PlanDocument, person: PersonRecord) -> None:
        service = document.service

        def add_again(_: None) -> int:
            new_id: int = service.add_person(
                person.name, person.job_title, person.department or None, person.email, person.phone
            )
            if person.left_on is not None:
                service.update_person(new_id, left_on=person.left_on)
            return new_id

        super().__init__(document, f"remove {person.name}", "person", person.id, service.delete_person, add_again)


class AddDepartmentCommand(AddCommand[None]):
    """A new department."""

    def __init__(self, document: PlanDocument, name: str) -> None:
        service = document.service
        text = f"add department {name}"
        super().__init__(document, text, "department", lambda: service.add_department(name), service.delete_department)


class DeleteDepartmentCommand(DeleteCommand[None]):
    """Delete a department nobody and nothing belongs to; undo adds it back."""

    def __init__(self, document: PlanDocument, department_id: int, name: str) -> None:
        service = document.service
        super().__init__(
            document,
            f"delete department {name}",
            "department",
            department_id,
            service.delete_department,
            lambda _: service.add_department(name),
        )
