"""Actions and their dated progress updates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Unpack

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from egov_planner.model import queries
from egov_planner.model.cycle_queries import has_reports, load_revisions
from egov_planner.model.entities import (
    Action,
    ActionExternal,
    ActionStatus,
    Dependency,
    Objective,
    ProgressUpdate,
    Revision,
)
from egov_planner.model.errors import ConflictError, ValidationError
from egov_planner.model.records import (
    ActionRecord,
    ProgressRecord,
)
from egov_planner.model.service.change_sets import ActionChanges
from egov_planner.model.service.common import (
    ChangeKind,
    DeletedAction,
)
from egov_planner.model.service.history import give_field_reason, last_change_of
from egov_planner.model.service.lookups import Lookups
from egov_planner.model.service.unit_of_work import (
    Area,
    action_change,
    add_row,
    apply,
    column_values,
    given,
    next_position,
)
from egov_planner.model.validation import (
    action_errors,
    check_date,
    check_percent,
    check_ref,
    check_revision,
    check_status,
    clean,
    refuse_first,
)

# Free-text fields: None is stored as an empty text.
_TEXT_FIELDS = frozenset({"title", "description", "success_measure", "resources", "notes"})


class Actions(Area):
    """Actions and their dated progress updates."""

    @staticmethod
    def _validate_action(session: Session, action: Action) -> None:
        refuse_first(action_errors(action))
        action.ref = check_ref(action.ref)
        action.status = check_status(action.status)
        action.percent_complete = check_percent(action.percent_complete)
        clash = session.scalar(select(Action.id).where(Action.ref == action.ref, Action.id != action.id))
        if clash is not None:
            raise ValidationError("ref", f"there is already an action {action.ref}")
        if session.get(Objective, action.objective_id) is None:
            raise ValidationError("objective_id", "choose an objective for the action")

    def add_action(
        self,
        objective_id: int,
        ref: str,
        title: str,
        due: date,
        *,
        owner: str | None = None,
        department: str | None = None,
        start: date | None = None,
        status: str = ActionStatus.NOT_STARTED.value,
        completed_on: date | None = None,
        percent_complete: int = 0,
        expected: date | None = None,
        description: str = "",
        success_measure: str = "",
        resources: str = "",
        notes: str = "",
        exempt_paragraph: int | None = None,
        position: int | None = None,
    ) -> int:
        """A new action under an objective; owner and department are names (new ones are added). Returns its id."""

        def work(session: Session) -> int:
            action = Action(
                objective_id=objective_id,
                ref=ref,
                title=clean(title),
                due=due,
                start=start,
                status=status,
                completed_on=completed_on,
                percent_complete=percent_complete,
                expected=expected,
                description=description or "",
                success_measure=success_measure or "",
                resources=resources or "",
                notes=notes or "",
                exempt_paragraph=exempt_paragraph,
                position=position
                if position is not None
                else next_position(session, Action.position, Action.objective_id == objective_id),
            )
            self._validate_action(session, action)
            if action.status == ActionStatus.COMPLETE and action.completed_on is None:
                action.completed_on = self._completion_date(session)
            action.department_id = Lookups(session).department(department)
            action.owner_id = Lookups(session).person(owner, department_id=action.department_id)
            return add_row(session, action)

        return self._add(ChangeKind.ACTION, f"add action {clean(ref)}", work)

    def update_action(
        self, action_id: int, expected_version: int | None = None, **changes: Unpack[ActionChanges]
    ) -> ActionRecord:
        """Change fields of an action: due, status, owner (a name; new people are added)…

        Setting status complete fills an empty completed-on with the plan's status date
        (today when it has none); any other status clears it. Once the plan has a recorded
        report, a new due date is a revision: revision_reason is required (revision_agreed_by
        optional) and the revision is kept with who made it and when.
        """
        self._unknown(changes, ActionChanges)
        fields: dict[str, object] = dict(changes)
        reason = changes.get("revision_reason")
        agreed_by = changes.get("revision_agreed_by")
        fields.pop("revision_reason", None)
        fields.pop("revision_agreed_by", None)

        def work(session: Session) -> ActionRecord:
            action = self._get(session, Action, action_id, "action")
            self._expect(action, expected_version, f"Action {action.ref}")
            was_due = action.due
            lookups = Lookups(session)
            texts = {
                name: ("" if value is None else str(value)) if name in _TEXT_FIELDS else value
                for name, value in given(fields)
            }
            apply(
                action,
                texts,
                owner=lambda value: setattr(
                    action, "owner_id", lookups.person(value, department_id=action.department_id)
                ),
                department=lambda value: setattr(action, "department_id", lookups.department(value)),
            )
            self._validate_action(session, action)
            revised = check_revision(action.ref, was_due, action.due, has_reports(session), reason)
            if revised is not None:
                # The history names who agreed the new date too: members ask it with "why".
                agreed = clean(agreed_by)
                give_field_reason(
                    session, "action", action.ref, "due", f"{revised} (agreed by {agreed})" if agreed else revised
                )
                session.add(
                    Revision(
                        action_id=action_id,
                        from_due=was_due,
                        to_due=action.due,
                        reason=revised,
                        agreed_by=clean(agreed_by),
                        at=self.clock(),
                        by=self.owner.user,
                    )
                )
            if "status" in changes:
                if action.status == ActionStatus.COMPLETE:
                    if action.completed_on is None:
                        action.completed_on = self._completion_date(session)
                    if "percent_complete" not in changes:
                        action.percent_complete = 100
                elif "completed_on" not in changes:
                    action.completed_on = None
            session.flush()
            if "ref" in changes:
                # Successors show this ref in their "depends on": they changed too.
                touched.update(
                    session.scalars(select(Dependency.successor_id).where(Dependency.predecessor_id == action_id))
                )
            return queries.load_actions(session, only_ids={action_id})[0]

        touched = {action_id}
        result: ActionRecord = self._write(
            work, lambda record: action_change(ChangeKind.ACTION, f"change action {record.ref}", touched, action_id)
        )
        return result

    def delete_action(self, action_id: int, expected_version: int | None = None) -> DeletedAction:
        """Delete an action with its dependencies and history; the result brings it back.

        expected_version (an undo of its add): changed since by someone else, the delete is refused naming them."""

        def work(session: Session) -> DeletedAction:
            action = self._get(session, Action, action_id, "action")
            self._expect(action, expected_version, f"Action {action.ref}")
            links = tuple(queries.load_links_of(session, action_id))
            if expected_version is not None and links:
                # Undoing an add: any link now is another officer's (this window's own were undone first).
                link = links[0]
                who = last_change_of(session, "dependency", link.successor_ref)
                raise ConflictError(
                    f"{link.successor_ref} now waits on {link.predecessor_ref}{f', {who}' if who else ''}; "
                    "nothing was deleted."
                )
            saved = DeletedAction(
                action=queries.load_actions(session, only_ids={action_id})[0],
                links=links,
                externals=tuple(
                    session.scalars(select(ActionExternal.external_id).where(ActionExternal.action_id == action_id))
                ),
                progress=tuple(queries.load_progress(session, action_id)),
                revisions=load_revisions(session, {action_id}).get(action_id, ()),
            )
            session.delete(action)
            return saved

        result: DeletedAction = self._write(
            work,
            lambda saved: action_change(ChangeKind.ACTION, f"delete action {saved.action.ref}", {action_id}),
        )
        return result

    def restore_action(self, saved: DeletedAction) -> None:
        """Undo delete_action: the action, its links, external waits and history come back."""

        def work(session: Session) -> None:
            ref = saved.action.ref
            taken = session.scalar(select(Action.ref).where(func.lower(Action.ref) == ref.lower()))
            if taken is not None:
                # Someone added an action under this ref since: bringing this one back would take its place.
                who = last_change_of(session, "action", taken)
                raise ConflictError(
                    f"action {taken} is in the plan again{f', changed {who}' if who else ''}; nothing was brought back."
                )
            session.execute(insert(Action), [column_values(Action, saved.action)])
            if saved.links:
                session.execute(insert(Dependency), [column_values(Dependency, link) for link in saved.links])
            if saved.externals:
                session.execute(
                    insert(ActionExternal),
                    [{"action_id": saved.action.id, "external_id": e} for e in saved.externals],
                )
            if saved.progress:
                session.execute(insert(ProgressUpdate), [column_values(ProgressUpdate, p) for p in saved.progress])
            if saved.revisions:
                session.execute(insert(Revision), [column_values(Revision, r) for r in saved.revisions])

        self._write(
            work,
            lambda _: action_change(ChangeKind.ACTION, f"restore action {saved.action.ref}", {saved.action.id}),
        )

    def add_progress(
        self,
        action_id: int,
        reported_on: date,
        note: str,
        status: str | None = None,
        percent_complete: int | None = None,
        author: str = "",
    ) -> ProgressRecord:
        """Append a dated progress update; the action takes its status and %.

        Completing an action dates it reported_on, or the plan's status date when that is earlier.
        """
        check_date(reported_on, "reported_on", required=True)
        new_status = check_status(status) if status is not None else None
        new_percent = check_percent(percent_complete) if percent_complete is not None else None

        def work(session: Session) -> ProgressRecord:
            action = self._get(session, Action, action_id, "action")
            if new_status is not None:
                action.status = new_status
                if new_status == ActionStatus.COMPLETE and action.completed_on is None:
                    # The update's own date, unless that is after the position the plan reports.
                    action.completed_on = min(reported_on, self._completion_date(session))
                elif new_status != ActionStatus.COMPLETE:
                    action.completed_on = None
            if new_percent is not None:
                action.percent_complete = new_percent
            elif new_status == ActionStatus.COMPLETE:
                action.percent_complete = 100
            entry = ProgressUpdate(
                action_id=action_id,
                reported_on=reported_on,
                status=action.status,
                percent_complete=action.percent_complete,
                note=note or "",
                author=clean(author),
                recorded_at=self.clock(),
            )
            session.add(entry)
            session.flush()
            return ProgressRecord(
                entry.id,
                action_id,
                entry.reported_on,
                entry.status,
                entry.percent_complete,
                entry.note,
                entry.author,
                entry.recorded_at,
            )

        result: ProgressRecord = self._write(
            work,
            lambda record: action_change(ChangeKind.PROGRESS, "add a progress update", {action_id}, record.id),
        )
        return result

    def withdraw_progress(self, progress_id: int, restore: Mapping[str, Any]) -> None:
        """Undo add_progress: remove that entry and put the action's status back."""

        def work(session: Session) -> int:
            entry = self._get(session, ProgressUpdate, progress_id, "progress update")
            action = self._get(session, Action, entry.action_id, "action")
            for name, value in restore.items():
                setattr(action, name, value)
            session.delete(entry)
            return action.id

        self._write(
            work,
            lambda ident: action_change(ChangeKind.PROGRESS, "withdraw a progress update", {ident}, progress_id),
        )
