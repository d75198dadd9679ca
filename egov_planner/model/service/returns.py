"""Owners' returns: what an owner sent back in their workbook, applied in ONE transaction.

The workbook records each action's version and fingerprint as written; an action
changed in the plan since is a conflict, and the whole return is refused naming
every such row, so nobody's work is silently overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from egov_planner.model.dates import british
from egov_planner.model.entities import Action, ActionStatus, ProgressUpdate
from egov_planner.model.errors import RowError, ValidationError
from egov_planner.model.import_rows import ReturnImportRow
from egov_planner.model.service.actions import Actions
from egov_planner.model.service.common import Change, ChangeKind, ImportSummary
from egov_planner.model.service.unit_of_work import Area
from egov_planner.model.validation import check_date, check_percent, check_status, clean

PLAN_ID_KEY = "plan_id"


def action_fingerprint(action: Any) -> str:
    """A short digest of what an owner's return reads or may change (an ActionRecord or an Action row)."""
    parts = (
        action.ref,
        action.title,
        action.due,
        action.start,
        action.status,
        action.percent_complete,
        action.completed_on,
        action.expected,
        action.owner_id,
    )
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ReturnSummary(ImportSummary):
    """updated: actions changed; notes: progress updates added; unchanged: rows left as they were."""

    notes: int = 0
    unchanged: int = 0

    def describe(self) -> str:
        return f"{_count(self.updated, 'action')} updated, {_count(self.notes, 'progress note')} added, " + (
            f"{_count(self.unchanged, 'row')} left as they were"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class Returns(Area):
    """Owners' returned workbooks."""

    def plan_id(self) -> str:
        """The plan's stable id (a returned workbook names it); an older plan gets one with an empty write."""
        ident = self.store.meta(PLAN_ID_KEY)
        if ident is None:
            with self.store.writing():  # committing any write gives the plan its identity (Store.writing)
                pass
            ident = self.store.meta(PLAN_ID_KEY)
        if ident is None:  # pragma: no cover - the store always gives one on a write
            raise ValidationError("plan_id", "the plan has no identity to write into a returns workbook")
        return ident

    def apply_returns(
        self, rows: Sequence[ReturnImportRow], owner: str, reported_on: date, source: str = "the workbook"
    ) -> ReturnSummary:
        """Apply an owner's returned rows, all or nothing: an action changed since the workbook was written refuses all.

        Changed rows take status, percent complete, completed date and expected date; a note
        becomes a progress update by owner dated reported_on (the workbook's as-of date).
        """
        check_date(reported_on, "reported_on", required=True)

        def work(session: Session) -> tuple[ReturnSummary, set[int]]:
            found = {a.id: a for a in session.scalars(select(Action).where(Action.id.in_([r.action_id for r in rows])))}
            conflicts = []
            for row in rows:
                action = found.get(row.action_id)
                if action is None:
                    conflicts.append(f"row {row.row} ({row.action_ref}: no longer in the plan)")
                elif _conflicting(row, found):
                    conflicts.append(f"row {row.row} ({row.action_ref})")
            if conflicts:
                if self._already_applied(session, rows, found, owner, reported_on):
                    held = [f"{r.row} ({r.action_ref})" for r in rows if _conflicting(r, found)]
                    listed = ", ".join(held[:-1]) + f" and {held[-1]}" if len(held) > 1 else held[0]
                    raise RowError(
                        source,
                        None,
                        None,
                        f"this return from {clean(owner)} (as at {british(reported_on)}) has already been imported; "
                        f"row{'s' if len(held) > 1 else ''} {listed} already hold{'' if len(held) > 1 else 's'} "
                        "what it says, so nothing was imported again",
                    )
                rows_word = "row" if len(conflicts) == 1 else f"{len(conflicts)} rows"
                raise RowError(
                    source,
                    None,
                    None,
                    f"{rows_word} changed in the plan since this workbook was written: {', '.join(conflicts)}; "
                    "importing would overwrite that work, so nothing was imported (send the owner a new workbook)",
                )
            author = clean(owner)
            completion = min(reported_on, self._completion_date(session))
            touched: set[int] = set()
            notes = unchanged = 0
            for row in rows:
                action = found[row.action_id]
                if self._apply_row(session, action, row, completion, source):
                    touched.add(action.id)
                if row.note.strip():
                    session.add(
                        ProgressUpdate(
                            action_id=action.id,
                            reported_on=reported_on,
                            status=action.status,
                            percent_complete=action.percent_complete,
                            note=row.note.strip(),
                            author=author,
                            recorded_at=self.clock(),
                        )
                    )
                    notes += 1
                    touched.add(action.id)
                elif action.id not in touched:
                    unchanged += 1
            session.flush()
            changed = len([r for r in rows if _changed(r, found)])
            return ReturnSummary(0, changed, 0, notes=notes, unchanged=unchanged), touched

        result: tuple[ReturnSummary, set[int]] = self._write(
            work,
            # An import: the window reloads what it shows, as after any import.
            lambda _outcome: Change(ChangeKind.IMPORT, f"import the return of {owner}"),
        )
        return result[0]

    @staticmethod
    def _already_applied(
        session: Session,
        rows: Sequence[ReturnImportRow],
        found: dict[int, Action],
        owner: str,
        reported_on: date,
    ) -> bool:
        """Does the plan already hold all this return says: each changed row as it would set it, each note added?"""
        for row in rows:
            action = found.get(row.action_id)
            if action is None:
                return False
            if _conflicting(row, found) and not _holds(action, row):
                return False
            note = row.note.strip()
            if note and not session.scalar(
                select(ProgressUpdate.id).where(
                    ProgressUpdate.action_id == action.id,
                    ProgressUpdate.note == note,
                    ProgressUpdate.author == clean(owner),
                    ProgressUpdate.reported_on == reported_on,
                )
            ):
                return False
        return True

    @staticmethod
    def _apply_row(session: Session, action: Action, row: ReturnImportRow, completion: date, source: str) -> bool:
        """Set what the owner changed, checked as a single edit is; True when the action changed."""
        before = (action.status, action.percent_complete, action.completed_on, action.expected)
        try:
            status = check_status(row.status) if row.status is not None else action.status
            percent = check_percent(row.percent_complete) if row.percent_complete is not None else None
            check_date(row.completed_on, "completed_on")
            check_date(row.expected, "expected")
            if row.completed_on is not None and status != ActionStatus.COMPLETE:
                raise ValidationError(
                    "completed_on",
                    f"a completed date is given but the status is {status.replace('_', ' ')}; "
                    "set the status to complete or clear the date",
                )
        except ValidationError as error:
            raise RowError(source, row.row, error.field, error.message) from None
        completed_on = row.completed_on
        if status == ActionStatus.COMPLETE:
            completed_on = completed_on or action.completed_on or completion
            if action.status != ActionStatus.COMPLETE and percent in (None, action.percent_complete):
                percent = 100  # marked complete, percent left as sent: complete in full, as a single edit makes it
        after = (status, action.percent_complete if percent is None else percent, completed_on, row.expected)
        if after == before:
            return False
        action.status, action.percent_complete, action.completed_on, action.expected = after
        try:
            Actions._validate_action(session, action)
        except ValidationError as error:
            raise RowError(source, row.row, error.field, error.message) from None
        return True


def _holds(action: Action, row: ReturnImportRow) -> bool:
    """Does the action hold what the row sets (a completion having made the percent 100)?"""
    try:
        status = check_status(row.status) if row.status is not None else action.status
    except ValidationError:
        return False
    percent_held = row.percent_complete in (None, action.percent_complete) or (
        status == ActionStatus.COMPLETE and action.percent_complete == 100
    )
    return (
        status == action.status
        and percent_held
        and row.completed_on in (None, action.completed_on)
        and row.expected == action.expected
    )


def _conflicting(row: ReturnImportRow, found: dict[int, Action]) -> bool:
    """Has the row's action changed in the plan since the workbook was written?"""
    action = found.get(row.action_id)
    return action is None or action.version != row.version or action_fingerprint(action) != row.fingerprint


def _changed(row: ReturnImportRow, found: dict[int, Action]) -> bool:
    """After the flush: did this row's action take a new version (it was written to)?"""
    return found[row.action_id].version != row.version
