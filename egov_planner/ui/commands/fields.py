"""EditFields: the one undo command for changing fields of a record, whatever kind of record it is.

It holds the kind of record, its id, the values before and after, and the PlanService
call that applies them. Every step sends the version of the record the window holds —
the one it showed for the first edit, then the one the workspace re-read after the
last step — so an edit made against a stale record is refused and nothing is saved.
The class methods are how each part of the window names its edits in the Edit menu.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from egov_planner.model.records import ActionRecord, PersonRecord
from egov_planner.ui.commands.base import ACTION_FIELD_LABELS, PLAN_FIELD_LABELS, PlanCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument

# Fields an action's change may alter besides itself: status complete fills completed-on and 100%.
_SIDE_EFFECTS = {"status": ("completed_on", "percent_complete")}

# What a change of an action's target date carries that is no field of the action (a revision's why and who).
_REVISION_NOTES = ("revision_reason", "revision_agreed_by")

# How the Edit menu names a change to each kind of record of_record edits.
_EDIT_TEXTS = {
    "objective": "change objective {label}",
    "external": "change {fields} of {label}",
    "meeting": "change meeting {label}",
    "implication": "change implication {label}",
    "consultation": "change consultation {label}",
    "service_row": "change {fields} of {label}",
    "service": "change {fields} of service {label}",
}


def field_names(fields: Iterable[str]) -> str:
    """'expected, last checked': how the Edit menu names changed fields."""
    return ", ".join(name.replace("_on", "").replace("_", " ") for name in fields)


class EditFields(PlanCommand):
    """Change fields of one record (an action, the plan's details, an external, a person, a BVPI row…)."""

    def __init__(
        self,
        document: PlanDocument,
        kind: str,
        ident: int | None,
        text: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        update: Callable[..., Any],
        version: int | None = None,
    ) -> None:
        """kind and ident name the record as the workspace holds it (ident None: the plan's details).

        update(ident, expected_version=…, **values) is the service call; version defaults to the shown record's.
        """
        super().__init__(document, text)
        self.kind = kind
        self.ident = ident
        self.update = update
        self.before = dict(before)  # may name more fields than after: those the service fills in too
        self.after = dict(after)
        self.version = version if version is not None else document.version_of(kind, ident)
        self.first = True

    def do(self) -> None:
        self._apply(self.after)
        # What the service filled in besides the change (completed-on…), so redo repeats exactly that.
        filled = [name for name in self.before if name not in self.after and name not in _REVISION_NOTES]
        if filled:
            record = self.document.record(self.kind, self._current_id())
            self.after.update({name: getattr(record, name) for name in filled})

    def undo_it(self) -> None:
        self._apply(self.before)

    def _current_id(self) -> int | None:
        return None if self.ident is None else self.document.current_id(self.kind, self.ident)

    def _apply(self, values: Mapping[str, Any]) -> None:
        ident = self._current_id()
        # The first edit is checked against the record the window showed; each later step against
        # the one the workspace re-read after the step before (the version moved on with each), never
        # one another officer wrote since: undoing over their change is refused, naming them.
        version = self.version if self.first else self.document.version_to_undo(self.kind, ident)
        if ident is None:
            self.update(expected_version=version, **values)
        else:
            self.update(ident, expected_version=version, **values)
        self.first = False

    # --- how each kind of record is edited -----------------------------------------------------

    @classmethod
    def of_action(cls, document: PlanDocument, action: ActionRecord, changes: Mapping[str, Any]) -> EditFields:
        """Change fields of one action (due date, owner, status…)."""
        fields = [name for name in changes if name not in _REVISION_NOTES]
        if len(fields) == 1:
            (name,) = fields
            text = f"change {ACTION_FIELD_LABELS.get(name, name)} of {action.ref}"
        else:
            text = f"change {action.ref}"
        touched = {*fields, *(extra for name in fields for extra in _SIDE_EFFECTS.get(name, ()))}
        before: dict[str, Any] = {name: getattr(action, name) for name in touched}
        if "due" in fields:
            # Undoing a revised target date is itself a revision (on a reported plan): it says what it undoes.
            reason = str(changes.get("revision_reason") or "").strip()
            before["revision_reason"] = f"Undo of revision: {reason}" if reason else "Undo of a change of target date"
        update = document.service.update_action
        return cls(document, "action", action.id, text, before, changes, update, action.version)

    @classmethod
    def of_plan(cls, document: PlanDocument, changes: Mapping[str, Any]) -> EditFields:
        """Change the plan's details: the status date, report text, officer, decision status…"""
        details = document.snapshot.details
        if len(changes) == 1:
            (name,) = changes
            text = f"change {PLAN_FIELD_LABELS.get(name, name.replace('_', ' '))}"
        else:
            text = "change the plan's details"
        before = {name: getattr(details, name) for name in changes}
        return cls(document, "plan", None, text, before, changes, document.service.update_plan)

    @classmethod
    def of_person(
        cls, document: PlanDocument, person: PersonRecord, after: Mapping[str, Any], text: str | None = None
    ) -> EditFields:
        """Change a person's details, or mark them as having left."""
        text = text or f"change {field_names(after)} of {person.name}"
        before = {name: getattr(person, name) for name in after}
        update = document.service.update_person
        return cls(document, "person", person.id, text, before, after, update, person.version)

    @classmethod
    def of_department(cls, document: PlanDocument, department_id: int, before: str, after: str) -> EditFields:
        """Rename a department (everyone and everything in it follows)."""
        text = f"rename department {before} to {after}"
        rename = document.service.rename_department
        return cls(document, "department", department_id, text, {"name": before}, {"name": after}, rename)

    @classmethod
    def of_record(
        cls,
        document: PlanDocument,
        kind: str,
        ident: int,
        label: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> EditFields:
        """Change fields of an objective, external, meeting, implication, consultation, BVPI row or service.

        label names the record in the Edit menu ("change expected of National Registration Project");
        the service call is update_<kind>.
        """
        text = _EDIT_TEXTS[kind].format(label=label, fields=field_names(after)).strip()
        return cls(document, kind, ident, text, before, after, getattr(document.service, f"update_{kind}"))


def edits_of(kind: str) -> Callable[[PlanDocument, int, str, Mapping[str, Any], Mapping[str, Any]], EditFields]:
    """EditFields.of_record with the kind filled in: (document, id, label, before, after) -> the command."""
    return lambda document, ident, label, before, after: EditFields.of_record(
        document, kind, ident, label, before, after
    )
