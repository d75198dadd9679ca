"""One QUndoCommand class per kind of edit (orange-canvas-core's pattern).

Each command's first redo() is the edit itself, done by PlanDocument.execute
*before* the push, so a refused edit never reaches the stack. Later redo()/undo()
calls go through PlanService again: every step is written at once, one
transaction each. The text is what the Edit menu shows ("Undo change due date of A1.2").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from egov_planner.model.dates import british
from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.errors import PlanError
from egov_planner.model.records import ActionRecord, LinkRecord, PersonRecord, ServiceRowRecord
from egov_planner.model.service import DeletedAction
from egov_planner.model.store import PlanFileError

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument

# How the Edit menu names each action field.
ACTION_FIELD_LABELS = {
    "ref": "reference",
    "objective_id": "objective",
    "title": "title",
    "description": "description",
    "owner": "owner",
    "department": "department",
    "start": "start date",
    "due": "due date",
    "status": "status",
    "completed_on": "completed-on date",
    "percent_complete": "% complete",
    "success_measure": "success measure",
    "resources": "resources",
    "notes": "notes",
    "exempt_paragraph": "exempt paragraph",
}

PLAN_FIELD_LABELS = {
    "authority": "the authority",
    "title": "the report title",
    "report_of": "'report of'",
    "status_date": "the status date",
    "due_soon_days": "the due-soon window",
    "introduction": "the introduction",
    "scope": "the scope",
    "recommendations": "the recommendations",
    "review_method": "how the review was carried out",
    "summary": "the summary",
    "financial_implications": "the financial implications",
    "legal_implications": "the legal implications",
    "consultations": "the consultations",
    "officer_name": "the officer to contact",
    "officer_role": "the officer's role",
    "officer_phone": "the officer's phone",
    "officer_email": "the officer's email",
    "key_decision": "the key decision",
    "key_decision_reason": "the key decision reason",
    "in_forward_plan": "'appeared in forward plan'",
    "decision_maker": "the decision maker",
}


class PlanCommand(QUndoCommand):
    """Base: first redo is skipped (the edit was done by apply_first); failures are reported, not raised."""

    def __init__(self, document: PlanDocument, text: str) -> None:
        super().__init__(text)
        self.document = document
        self._skip_redo = False

    @property
    def service(self) -> Any:
        return self.document.service

    def apply_first(self) -> None:
        """Do the edit for the first time; raises PlanError when refused (nothing saved, nothing pushed)."""
        self.do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.undo_it)

    def _guard(self, step: Any) -> None:
        try:
            step()
        except (PlanError, PlanFileError) as error:
            # The plan changed underneath (or went read-only): this step cannot be replayed.
            self.setObsolete(True)
            self.document.report_undo_failure(f"Could not {self.text()}: {error}")

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError


# --- actions ---------------------------------------------------------------------------------


def action_values(record: ActionRecord, names: set[str] | list[str]) -> dict[str, Any]:
    """The action's current values for these fields, as update_action takes them."""
    values: dict[str, Any] = {}
    for name in names:
        values[name] = getattr(record, name)
    return values


def _side_effects(changes: Mapping[str, Any]) -> set[str]:
    """Fields a change may alter besides itself (status complete fills completed-on and 100%)."""
    fields = set(changes)
    if "status" in fields:
        fields |= {"completed_on", "percent_complete"}
    return fields


class EditActionCommand(PlanCommand):
    """Change fields of one action (due date, owner, status…)."""

    def __init__(self, document: PlanDocument, action: ActionRecord, changes: Mapping[str, Any]) -> None:
        if len(changes) == 1:
            (name,) = changes
            text = f"change {ACTION_FIELD_LABELS.get(name, name)} of {action.ref}"
        else:
            text = f"change {action.ref}"
        super().__init__(document, text)
        self.action_id = action.id
        self.before = action_values(action, _side_effects(changes))
        self.after: dict[str, Any] = dict(changes)  # after the first do: every field it touched

    def do(self) -> None:
        record = self.service.update_action(self.action_id, **self.after)
        self.after = action_values(record, list(self.before))

    def undo_it(self) -> None:
        self.service.update_action(self.action_id, **self.before)


class AddActionCommand(PlanCommand):
    """A new action under an objective; undo deletes it, redo brings the same action back."""

    def __init__(
        self, document: PlanDocument, objective_id: int, ref: str, title: str, due: date, **fields: Any
    ) -> None:
        super().__init__(document, f"add action {ref}")
        self.objective_id = objective_id
        self.ref = ref
        self.title = title
        self.due = due
        self.fields = fields
        self.action_id: int | None = None
        self.saved: DeletedAction | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_action(self.saved)
            return
        self.action_id = self.service.add_action(self.objective_id, self.ref, self.title, self.due, **self.fields)

    def undo_it(self) -> None:
        assert self.action_id is not None
        self.saved = self.service.delete_action(self.action_id)


class DeleteActionCommand(PlanCommand):
    """Delete an action with its dependencies and history; undo restores all of it (DeletedAction)."""

    def __init__(self, document: PlanDocument, action: ActionRecord) -> None:
        super().__init__(document, f"delete action {action.ref}")
        self.action_id = action.id
        self.saved: DeletedAction | None = None

    def do(self) -> None:
        self.saved = self.service.delete_action(self.action_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_action(self.saved)


# --- dependencies -------------------------------------------------------------------------------


def _current_link(document: PlanDocument, predecessor_id: int, successor_id: int) -> LinkRecord:
    link = document.link_between(predecessor_id, successor_id)
    if link is None:
        raise PlanError("that dependency is no longer in the plan")
    return link


class AddDependencyCommand(PlanCommand):
    """The successor waits on the predecessor (a cycle is refused by the service, naming it)."""

    def __init__(
        self, document: PlanDocument, predecessor: ActionRecord, successor: ActionRecord, kind: str, lag_days: int
    ) -> None:
        super().__init__(document, f"make {successor.ref} depend on {predecessor.ref}")
        self.predecessor_id = predecessor.id
        self.successor_id = successor.id
        self.kind = kind
        self.lag_days = lag_days

    def do(self) -> None:
        self.service.add_dependency(self.predecessor_id, self.successor_id, self.kind, self.lag_days)

    def undo_it(self) -> None:
        self.service.remove_dependency(_current_link(self.document, self.predecessor_id, self.successor_id).id)


class RemoveDependencyCommand(PlanCommand):
    """Stop a successor waiting on a predecessor; undo puts the same type and lag back."""

    def __init__(self, document: PlanDocument, link: LinkRecord) -> None:
        super().__init__(document, f"remove {link.successor_ref}'s dependency on {link.predecessor_ref}")
        self.predecessor_id = link.predecessor_id
        self.successor_id = link.successor_id
        self.kind = link.kind
        self.lag_days = link.lag_days

    def do(self) -> None:
        self.service.remove_dependency(_current_link(self.document, self.predecessor_id, self.successor_id).id)

    def undo_it(self) -> None:
        self.service.add_dependency(self.predecessor_id, self.successor_id, self.kind, self.lag_days)


class ChangeDependencyCommand(PlanCommand):
    """Change a dependency's type (FS/SS/FF/SF) or lag."""

    def __init__(self, document: PlanDocument, link: LinkRecord, kind: str, lag_days: int) -> None:
        super().__init__(document, f"change {link.successor_ref}'s dependency on {link.predecessor_ref}")
        self.predecessor_id = link.predecessor_id
        self.successor_id = link.successor_id
        self.before = (link.kind, link.lag_days)
        self.after = (kind, lag_days)

    def _set(self, kind: str, lag: int) -> None:
        link = _current_link(self.document, self.predecessor_id, self.successor_id)
        self.service.update_dependency(link.id, kind=kind, lag_days=lag)

    def do(self) -> None:
        self._set(*self.after)

    def undo_it(self) -> None:
        self._set(*self.before)


class LinkExternalCommand(PlanCommand):
    """The action waits on an external dependency."""

    def __init__(self, document: PlanDocument, action: ActionRecord, external_id: int, name: str) -> None:
        super().__init__(document, f"make {action.ref} wait on {name}")
        self.action_id = action.id
        self.external_id = external_id

    def do(self) -> None:
        self.service.link_external(self.action_id, self.document.current_id("external", self.external_id))

    def undo_it(self) -> None:
        self.service.unlink_external(self.action_id, self.document.current_id("external", self.external_id))


class UnlinkExternalCommand(LinkExternalCommand):
    """The action no longer waits on an external dependency."""

    def __init__(self, document: PlanDocument, action: ActionRecord, external_id: int, name: str) -> None:
        super().__init__(document, action, external_id, name)
        self.setText(f"stop {action.ref} waiting on {name}")

    def do(self) -> None:
        super().undo_it()

    def undo_it(self) -> None:
        super().do()


# --- progress ---------------------------------------------------------------------------------


class AddProgressCommand(PlanCommand):
    """Append a dated progress update; undo withdraws it and puts the action's status back."""

    def __init__(
        self,
        document: PlanDocument,
        action: ActionRecord,
        reported_on: date,
        note: str,
        status: str | None,
        percent_complete: int | None,
        author: str,
    ) -> None:
        super().__init__(document, f"add a progress update to {action.ref} ({british(reported_on)})")
        self.action_id = action.id
        self.values = {
            "reported_on": reported_on,
            "note": note,
            "status": status,
            "percent_complete": percent_complete,
            "author": author,
        }
        self.restore = {
            "status": action.status,
            "percent_complete": action.percent_complete,
            "completed_on": action.completed_on,
        }
        self.progress_id: int | None = None

    def do(self) -> None:
        self.progress_id = self.service.add_progress(self.action_id, **self.values).id

    def undo_it(self) -> None:
        assert self.progress_id is not None
        self.service.withdraw_progress(self.progress_id, self.restore)


# --- the plan's details and report text ---------------------------------------------------------


class EditPlanDetailsCommand(PlanCommand):
    """Change the plan's details: the status date, report text, officer, decision status…"""

    def __init__(self, document: PlanDocument, changes: Mapping[str, Any]) -> None:
        details = document.snapshot.details
        if len(changes) == 1:
            (name,) = changes
            text = f"change {PLAN_FIELD_LABELS.get(name, name.replace('_', ' '))}"
        else:
            text = "change the plan's details"
        super().__init__(document, text)
        self.before = {name: getattr(details, name) for name in changes}
        self.after = dict(changes)

    def do(self) -> None:
        self.service.update_plan(**self.after)

    def undo_it(self) -> None:
        self.service.update_plan(**self.before)


# --- objectives -----------------------------------------------------------------------------------


class AddObjectiveCommand(PlanCommand):
    """A new improvement objective; undo deletes it, redo restores the same one."""

    def __init__(self, document: PlanDocument, ref: str, title: str, **fields: Any) -> None:
        super().__init__(document, f"add objective {ref}")
        self.ref = ref
        self.title = title
        self.fields = fields
        self.objective_id: int | None = None
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_objective(self.saved)
            return
        self.objective_id = self.service.add_objective(self.ref, self.title, **self.fields)

    def undo_it(self) -> None:
        assert self.objective_id is not None
        self.saved = self.service.delete_objective(self.objective_id)


class EditObjectiveCommand(PlanCommand):
    """Change an objective's ref, title, description, lead or exempt paragraph."""

    def __init__(
        self, document: PlanDocument, objective_id: int, ref: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        super().__init__(document, f"change objective {ref}")
        self.objective_id = objective_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_objective(self.objective_id, **self.after)

    def undo_it(self) -> None:
        self.service.update_objective(self.objective_id, **self.before)


class DeleteObjectiveCommand(PlanCommand):
    """Delete an objective that has no actions; undo restores it."""

    def __init__(self, document: PlanDocument, objective_id: int, ref: str) -> None:
        super().__init__(document, f"delete objective {ref}")
        self.objective_id = objective_id
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        self.saved = self.service.delete_objective(self.objective_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_objective(self.saved)


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


# --- meetings, other implications, consultation evidence (the report's tables) --------------------

_ROW_METHODS = {
    "meeting": ("add_meeting", "update_meeting", "delete_meeting"),
    "implication": ("add_implication", "update_implication", "delete_implication"),
    "consultation": ("add_consultation", "update_consultation", "delete_consultation"),
}


class AddReportRowCommand(PlanCommand):
    """Add a meeting, an implication or a piece of consultation evidence."""

    def __init__(self, document: PlanDocument, kind: str, label: str, values: Mapping[str, Any]) -> None:
        super().__init__(document, f"add {kind} {label}".strip())
        self.kind = kind
        self.values = dict(values)
        self.row_id: int | None = None
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_row(self.kind, self.saved)
            return
        add = getattr(self.service, _ROW_METHODS[self.kind][0])
        self.row_id = add(**self.values)

    def undo_it(self) -> None:
        assert self.row_id is not None
        self.saved = getattr(self.service, _ROW_METHODS[self.kind][2])(self.row_id)


class EditReportRowCommand(PlanCommand):
    """Change a meeting, an implication or a piece of consultation evidence."""

    def __init__(
        self,
        document: PlanDocument,
        kind: str,
        row_id: int,
        label: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> None:
        super().__init__(document, f"change {kind} {label}".strip())
        self.kind = kind
        self.row_id = row_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        getattr(self.service, _ROW_METHODS[self.kind][1])(self.row_id, **self.after)

    def undo_it(self) -> None:
        getattr(self.service, _ROW_METHODS[self.kind][1])(self.row_id, **self.before)


class DeleteReportRowCommand(PlanCommand):
    """Delete a meeting, an implication or a piece of consultation evidence; undo restores it."""

    def __init__(self, document: PlanDocument, kind: str, row_id: int, label: str) -> None:
        super().__init__(document, f"delete {kind} {label}".strip())
        self.kind = kind
        self.row_id = row_id
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        self.saved = getattr(self.service, _ROW_METHODS[self.kind][2])(self.row_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_row(self.kind, self.saved)


# --- BVPI 157 services ----------------------------------------------------------------------------


class EditServiceRowCommand(PlanCommand):
    """Change one service x interaction row (permissible, dates, channels, external…)."""

    def __init__(
        self, document: PlanDocument, row_id: int, label: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        fields = ", ".join(name.replace("_on", "").replace("_", " ") for name in after)
        super().__init__(document, f"change {fields} of {label}")
        self.row_id = row_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_service_row(self.row_id, **self.after)

    def undo_it(self) -> None:
        self.service.update_service_row(self.row_id, **self.before)


class EditServiceCommand(PlanCommand):
    """Change a service's name, LGSL number or department (all its rows follow)."""

    def __init__(
        self, document: PlanDocument, service_id: int, name: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        fields = ", ".join(field.replace("_", " ") for field in after)
        super().__init__(document, f"change {fields} of service {name}")
        self.service_id = service_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_service(self.service_id, **self.after)

    def undo_it(self) -> None:
        self.service.update_service(self.service_id, **self.before)


def service_row_label(service: str, interaction: int) -> str:
    """'Council Tax / Collecting revenue': how the Edit menu names a BVPI row."""
    return f"{service} / {INTERACTION_TYPES.get(interaction, str(interaction))}"


class AddServiceRowCommand(PlanCommand):
    """A new service x interaction row (its service added when new); undo deletes it, redo brings the same row back."""

    def __init__(self, document: PlanDocument, service: str, interaction: int, **values: Any) -> None:
        super().__init__(document, f"add BVPI row {service_row_label(service.strip(), interaction)}")
        self.service_name = service
        self.interaction = interaction
        self.values = values  # permissible, reason, dates, channels, external, department, lgsl
        self.row_id: int | None = None
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_service_row(self.saved)
            return
        self.row_id = self.service.add_service_row_named(self.service_name, self.interaction, **self.values)

    def undo_it(self) -> None:
        assert self.row_id is not None
        self.saved = self.service.delete_service_row(self.row_id)


class DeleteServiceRowCommand(PlanCommand):
    """Delete one service x interaction row; undo restores it with every value (and the same id)."""

    def __init__(self, document: PlanDocument, row: ServiceRowRecord) -> None:
        super().__init__(document, f"delete BVPI row {service_row_label(row.service, row.interaction)}")
        self.row_id = row.id
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        self.saved = self.service.delete_service_row(self.row_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_service_row(self.saved)
