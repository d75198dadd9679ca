"""Undo commands for the registers beside the plan: external dependencies, people and departments.

Their fields (and a department's name) are changed by EditFields.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from egov_planner.model.records import PersonRecord
from egov_planner.model.service.common import DeletedExternal
from egov_planner.ui.commands.base import AddCommand, DeleteCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- external dependencies (restored with the actions that waited on them) -------------------------


class AddExternalCommand(AddCommand[DeletedExternal]):
    """A new external dependency in the register."""

    def __init__(self, document: PlanDocument, name: str, **fields: Any) -> None:
        add = partial(document.service.add_external, name, **fields)
        super().__init__(document, f"add external dependency {name}", "external", add)


class DeleteExternalCommand(DeleteCommand[DeletedExternal]):
    """Delete an external dependency; undo brings it back with the actions that waited on it."""

    def __init__(self, document: PlanDocument, external_id: int, name: str) -> None:
        super().__init__(document, f"delete external dependency {name}", "external", external_id)


# --- people and departments: undo of a delete adds them again, under a new id ----------------------


class AddPersonCommand(AddCommand[None]):
    """A new person (an owner or lead)."""

    def __init__(self, document: PlanDocument, name: str, **fields: Any) -> None:
        super().__init__(document, f"add {name}", "person", partial(document.service.add_person, name, **fields))


class DeletePersonCommand(DeleteCommand[None]):
    """Remove a person who owns and leads nothing; undo adds them back."""

    def __init__(self, document: PlanDocument, person: PersonRecord) -> None:
        service = document.service

        def add_again() -> int:
            new_id: int = service.add_person(
                person.name, person.job_title, person.department or None, person.email, person.phone
            )
            if person.left_on is not None:
                service.update_person(new_id, left_on=person.left_on)
            return new_id

        super().__init__(document, f"remove {person.name}", "person", person.id, add_again)


class AddDepartmentCommand(AddCommand[None]):
    """A new department."""

    def __init__(self, document: PlanDocument, name: str) -> None:
        add = partial(document.service.add_department, name)
        super().__init__(document, f"add department {name}", "department", add)


class DeleteDepartmentCommand(DeleteCommand[None]):
    """Delete a department nobody and nothing belongs to; undo adds it back."""

    def __init__(self, document: PlanDocument, department_id: int, name: str) -> None:
        add_again = partial(document.service.add_department, name)
        super().__init__(document, f"delete department {name}", "department", department_id, add_again)
