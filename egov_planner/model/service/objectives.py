"""Improvement objectives."""

from __future__ import annotations

from typing import Unpack

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from egov_planner.model.entities import (
    Action,
    Objective,
)
from egov_planner.model.errors import ValidationError
from egov_planner.model.records import ObjectiveRecord
from egov_planner.model.service.change_sets import ObjectiveChanges
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
)
from egov_planner.model.service.lookups import Lookups
from egov_planner.model.service.unit_of_work import Area, apply, column_values, next_position, refuse_taken
from egov_planner.model.validation import check_exempt, check_ref, clean, required_text

OBJECTIVE_TITLE = "the objective's title"


class Objectives(Area):
    """Improvement objectives."""

    def add_objective(
        self,
        ref: str,
        title: str,
        description: str = "",
        lead: str | None = None,
        exempt_paragraph: int | None = None,
        position: int | None = None,
    ) -> int:
        """A new improvement objective (its lead by name, added when new). Returns its id."""
        ref = check_ref(ref)
        required_text(title, "title", OBJECTIVE_TITLE)
        check_exempt(exempt_paragraph)

        def make(session: Session) -> Objective:
            return Objective(
                ref=ref,
                title=clean(title),
                description=description or "",
                lead_id=Lookups(session).person(lead),
                exempt_paragraph=exempt_paragraph,
                position=position if position is not None else next_position(session, Objective.position),
            )

        taken = (Objective.ref, ref, "ref", f"there is already an objective {ref}")
        return self._add_unique(ChangeKind.OBJECTIVE, f"add objective {ref}", taken, make)

    def update_objective(
        self, objective_id: int, expected_version: int | None = None, **changes: Unpack[ObjectiveChanges]
    ) -> None:
        """Change an objective's ref, title, description, lead (a name), position or exempt paragraph."""
        self._unknown(changes, ObjectiveChanges)
        if "ref" in changes:
            changes["ref"] = check_ref(changes["ref"])
        if "title" in changes:
            required_text(changes["title"], "title", OBJECTIVE_TITLE)
        if "exempt_paragraph" in changes:
            check_exempt(changes["exempt_paragraph"])

        def work(session: Session) -> None:
            objective = self._get(session, Objective, objective_id, "objective")
            self._expect(objective, expected_version, f"Objective {objective.ref}")

            def new_ref(value: str) -> None:
                taken = f"there is already an objective {value}"
                refuse_taken(session, Objective.ref, value, "ref", taken, but=objective_id)
                objective.ref = value

            lead = {"lead": lambda value: setattr(objective, "lead_id", Lookups(session).person(value))}
            apply(objective, changes, ref=new_ref, **lead)

        self._write(
            work, lambda _: Change(ChangeKind.OBJECTIVE, "change an objective", entity_ids=frozenset({objective_id}))
        )

    def delete_objective(self, objective_id: int, expected_version: int | None = None) -> ObjectiveRecord:
        """Delete an objective that has no actions (move or delete its actions first); returns it as it was."""

        def refuse(session: Session, objective: Objective) -> None:
            count = session.scalar(select(func.count()).where(Action.objective_id == objective_id)) or 0
            if count:
                raise ValidationError(
                    "objective", f"objective {objective.ref} still has {count} actions; move or delete them first"
                )

        def saved(objective: Objective) -> ObjectiveRecord:
            lead = objective.lead.name if objective.lead is not None else ""
            return ObjectiveRecord(**column_values(Objective, objective), lead=lead)

        return self._delete_simple(
            Objective, "objective", objective_id, saved, refuse=refuse, expected_version=expected_version
        )

    def restore_objective(self, saved: ObjectiveRecord) -> None:
        """Undo delete_objective: the same objective (same id and values) comes back."""
        self._restore_simple(Objective, ChangeKind.OBJECTIVE, "restore an objective", saved, unique=Objective.ref)
