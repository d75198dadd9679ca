"""External dependencies (the register) and which actions wait on them."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from egov_planner.model.entities import (
    Action,
    ActionExternal,
    ExternalDependency,
)
from egov_planner.model.errors import ConflictError, NotFound, ValidationError
from egov_planner.model.records import ExternalRecord
from egov_planner.model.service.change_sets import ExternalChanges
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
    DeletedExternal,
)
from egov_planner.model.service.unit_of_work import Area, action_change, as_record, column_values, in_plan_again
from egov_planner.model.validation import check_external, clean


class Externals(Area):
    """External dependencies (the register) and which actions wait on them."""

    def add_external(
        self,
        name: str,
        organisation: str = "",
        expected_on: date | None = None,
        confidence: str = "medium",
        last_checked_on: date | None = None,
        delivered_on: date | None = None,
        notes: str = "",
    ) -> int:
        """A new external dependency in the register. Returns its id."""
        values = {
            "name": clean(name),
            "organisation": clean(organisation),
            "expected_on": expected_on,
            "confidence": confidence,
            "last_checked_on": last_checked_on,
            "delivered_on": delivered_on,
            "notes": notes or "",
        }
        check_external(values)

        taken_message = f"there is already an external dependency called {values['name']}"
        taken = (ExternalDependency.name, values["name"], "name", taken_message)
        return self._add_unique(
            ChangeKind.EXTERNAL, "add an external dependency", taken, lambda _: ExternalDependency(**values)
        )

    def update_external(
        self, external_id: int, expected_version: int | None = None, **changes: Unpack[ExternalChanges]
    ) -> None:
        """Change an external dependency: expected date, confidence, last checked, delivered…"""
        check_external(changes)
        self._update_simple(ExternalDependency, "external", external_id, expected_version, changes)

    def delete_external(self, external_id: int, expected_version: int | None = None) -> DeletedExternal:
        """Delete an external dependency; returns it and the actions that waited on it (for undo).
        expected_version (an undo of its add): changed since by someone else, refused naming them."""

        def work(session: Session) -> DeletedExternal:
            external = self._get(session, ExternalDependency, external_id, "external dependency")
            self._expect(external, expected_version, f"External dependency {external.name}")
            waiting = session.scalars(select(ActionExternal.action_id).where(ActionExternal.external_id == external_id))
            saved = DeletedExternal(as_record(ExternalRecord, ExternalDependency)(external), tuple(waiting))
            session.delete(external)
            return saved

        result: DeletedExternal = self._write(
            work,
            lambda _: Change(ChangeKind.EXTERNAL, "delete an external dependency", entity_ids=frozenset({external_id})),
        )
        return result

    def restore_external(self, saved: DeletedExternal) -> None:
        """Undo delete_external: the dependency and the actions that waited on it come back."""
        ident = saved.external.id

        def work(session: Session) -> None:
            name = saved.external.name
            if session.scalar(select(ExternalDependency.id).where(ExternalDependency.name == name)) is not None:
                # Another officer has added one under this name since: say who rather than the database's words.
                raise ConflictError(in_plan_again(session, ExternalDependency.name, name))
            session.execute(insert(ExternalDependency), [column_values(ExternalDependency, saved.external)])
            if saved.waiting:
                session.execute(insert(ActionExternal), [{"action_id": a, "external_id": ident} for a in saved.waiting])

        self._write(
            work,
            lambda _: Change(ChangeKind.EXTERNAL, "restore an external dependency", entity_ids=frozenset({ident})),
        )

    def link_external(self, action_id: int, external_id: int) -> None:
        """The action waits on the external dependency."""

        def work(session: Session) -> None:
            action = self._get(session, Action, action_id, "action")
            external = self._get(session, ExternalDependency, external_id, "external dependency")
            if session.get(ActionExternal, (action_id, external_id)) is not None:
                raise ValidationError("external", f"{action.ref} already waits on {external.name}")
            session.add(ActionExternal(action_id=action_id, external_id=external_id))

        self._write(work, lambda _: action_change(ChangeKind.ACTION, "wait on an external dependency", {action_id}))

    def unlink_external(self, action_id: int, external_id: int) -> None:
        """The action no longer waits on the external dependency."""

        def work(session: Session) -> None:
            row = session.get(ActionExternal, (action_id, external_id))
            if row is None:
                raise NotFound("that action does not wait on that external dependency")
            session.delete(row)

        stop = "stop waiting on an external dependency"
        self._write(work, lambda _: action_change(ChangeKind.ACTION, stop, {action_id}))
