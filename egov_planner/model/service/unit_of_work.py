"""The plumbing every area of PlanService shares: one transaction per change, then tell the listeners."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from egov_planner.model import planning, tables
from egov_planner.model.entities import Base
from egov_planner.model.errors import ConflictError, NotFound, PlanError, TakenError, ValidationError
from egov_planner.model.service.change_sets import (
    ConsultationChanges,
    ExternalChanges,
    ImplicationChanges,
    MeetingChanges,
)
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
    E,
)
from egov_planner.model.service.history import Recorder, last_change, last_change_named
from egov_planner.model.store import Store

R = TypeVar("R")

# The change set each simple (field by field) update checks against.
_CHANGE_SETS: dict[str, Any] = {
    "meeting": MeetingChanges,
    "implication": ImplicationChanges,
    "consultation": ConsultationChanges,
    "external": ExternalChanges,
}


class Owner(Protocol):
    """What an area needs of the facade that owns it (PlanService): its store, clock and listeners."""

    store: Store
    clock: Callable[[], datetime]
    listeners: list[Callable[[Change], None]]
    user: str  # who the history says made each change
    reason: str  # the reason changes are recorded with now ('' none; 'Undo' while the window undoes)


def refuse_nul_text(session: Session, _context: Any, _instances: Any) -> None:
    """Before any write: no text may hold a NUL (it hides inside refs, A\\x001 shows as A1, and breaks export)."""
    for row in (*session.new, *session.dirty):
        state = inspect(row)
        new = row in session.new
        for key, value in state.dict.items():
            if isinstance(value, str) and "\x00" in value and (new or state.attrs[key].history.has_changes()):
                raise ValidationError(
                    key,
                    f"there is a NUL character (a zero byte) in the {key.replace('_', ' ')}; a plan cannot "
                    "store one, remove it. Nothing was saved.",
                )


def column_values(entity: Any, row: object) -> dict[str, Any]:
    """Every column of entity's table, read from row (a live row or a record with those fields)."""
    return {column.key: getattr(row, column.key) for column in entity.__table__.columns}


def as_record(record: Callable[..., R], entity: Any) -> Callable[[Any], R]:
    """Read a live row into its frozen record, when the record's fields are exactly the table's columns."""
    return lambda row: record(**column_values(entity, row))


def add_row(session: Session, row: Any) -> int:
    """Add a new row and give back its id."""
    session.add(row)
    session.flush()
    return int(row.id)


def next_position(session: Session, column: Any, *where: Any) -> int:
    """One after the last position (of the rows matching where): new rows go to the end."""
    return (session.scalar(select(func.max(column)).where(*where)) or 0) + 1


# How a refusal names a row whose name or ref another officer has taken again, by its table.
_TAKEN_LABELS = {
    "department": "the department {}",
    "objective": "objective {}",
    "external_dependency": "the external dependency {}",
}


def in_plan_again(session: Session, column: Any, value: object) -> str:
    """'objective O7 is in the plan again, changed by jsmith at …; nothing was brought back.' (an undone delete)."""
    table = column.class_.__table__.name
    who = last_change_named(session, table, str(value))
    label = _TAKEN_LABELS.get(table, "{}").format(value)
    return f"{label} is in the plan again{f', changed {who}' if who else ''}; nothing was brought back."


def refuse_taken(
    session: Session, column: Any, value: object, field: str, message: str, but: int | None = None
) -> None:
    """A name or ref another row already has is refused (`but`: the row being renamed keeps its own)."""
    query = select(column).where(column == value)
    if but is not None:
        query = query.where(column.class_.id != but)
    if session.scalar(query) is not None:
        raise TakenError(field, message, in_plan_again(session, column, value))


def action_change(kind: ChangeKind, description: str, action_ids: Iterable[int], *entity_ids: int) -> Change:
    """A change to actions' records (entity ids default to the actions themselves)."""
    actions = frozenset(action_ids)
    return Change(kind, description, action_ids=actions, entity_ids=frozenset(entity_ids) or actions)


def apply(row: Any, changes: Mapping[str, object], **setters: Callable[[Any], None]) -> None:
    """Set each changed field on row; a field with a setter (a name to look up…) goes through it instead."""
    for name, value in given(changes):
        if name in setters:
            setters[name](value)
        else:
            setattr(row, name, value)


def given(changes: Mapping[str, object]) -> list[tuple[str, Any]]:
    """A typed change set's fields as (name, value) pairs, to apply one by one."""
    return list(changes.items())


class Area:
    """One area of PlanService; the store, clock and listeners are the facade's (tests may swap the clock)."""

    def __init__(self, owner: Owner) -> None:
        self.owner = owner

    @property
    def store(self) -> Store:
        return self.owner.store

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.owner.clock

    @property
    def listeners(self) -> list[Callable[[Change], None]]:
        return self.owner.listeners

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def _completion_date(self, session: Session) -> date:
        """The date an action marked complete without one gets: the plan's status date (the window's
        "position as at"), today only when the plan has none; a completion is never after the position."""
        plan_date = session.scalar(select(tables.plan.c.status_date).order_by(tables.plan.c.id).limit(1))
        return planning.status_date(plan_date, today=self.clock().date())

    def _changed(self, change: Change) -> None:
        for listener in list(self.listeners):
            listener(change)

    def _write(self, work: Callable[[Session], Any], change: Callable[[Any], Change]) -> Any:
        try:
            with self.store.writing() as session:
                event.listen(session, "before_flush", refuse_nul_text)
                recorder = Recorder(session, self.clock(), self.owner.user, self.owner.reason)
                result = work(session)
                recorder.finish()
        except StaleDataError:
            raise ConflictError(
                "someone else changed this since it was read; reload and try again. Nothing was saved."
            ) from None
        except IntegrityError as error:
            # The driver's first line only: PostgreSQL adds a DETAIL line, and a refusal is one line.
            said = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else "a rule of the plan"
            raise PlanError(f"the plan refused that change ({said}); nothing was saved") from None
        self._changed(change(result))
        return result

    @staticmethod
    def _get(session: Session, entity: type[E], ident: int, label: str) -> E:
        row = session.get(entity, ident)
        if row is None:
            raise NotFound(f"{label} #{ident} is not in this plan (it may have been deleted)")
        return row

    @staticmethod
    def _expect(row: Any, expected_version: int | None, label: str) -> None:
        if expected_version is not None and row.version != expected_version:
            from sqlalchemy.orm import object_session

            session = object_session(row)
            who = last_change(session, row) if session is not None else ""
            raise ConflictError(
                f"{label} was changed elsewhere since you read it{f', {who}' if who else ''}; "
                "reload to see its current values and try again. Nothing was saved."
            )

    @staticmethod
    def _unknown(fields: Iterable[str], allowed: Any) -> None:
        """Refuse a field the change set (a TypedDict of change_sets.py) does not list: the window sends plain dicts."""
        bad = sorted(set(fields) - allowed.__optional_keys__)
        if bad:
            raise ValidationError(bad[0], f"'{bad[0]}' cannot be changed here")

    def _add(self, kind: ChangeKind, description: str, work: Callable[[Session], int]) -> int:
        """Write a new row; listeners hear its id (as an action id too when it is an action)."""
        actions = kind is ChangeKind.ACTION
        return int(
            self._write(
                work,
                lambda ident: Change(
                    kind, description, action_ids=frozenset({ident} if actions else ()), entity_ids=frozenset({ident})
                ),
            )
        )

    def _add_simple(self, entity: type[E], what: str, values: dict[str, Any]) -> int:
        def work(session: Session) -> int:
            if "position" not in values or values["position"] is None:
                values["position"] = next_position(session, entity.position)  # type: ignore[attr-defined]
            return add_row(session, entity(**values))

        return self._add(ChangeKind(what), f"add a {what}", work)

    def _update_simple(
        self, entity: type[E], what: str, ident: int, expected_version: int | None, changes: Mapping[str, object]
    ) -> None:
        self._unknown(changes, _CHANGE_SETS[what])

        def work(session: Session) -> None:
            row = self._get(session, entity, ident, what)
            self._expect(row, expected_version, f"This {what}")
            apply(row, changes)

        self._write(work, lambda _: Change(ChangeKind(what), f"change a {what}", entity_ids=frozenset({ident})))

    def _delete_simple(
        self,
        entity: type[E],
        what: str,
        ident: int,
        saved: Callable[[E], R],
        kind: ChangeKind | None = None,
        refuse: Callable[[Session, E], None] | None = None,
        expected_version: int | None = None,
    ) -> R:
        """Delete one row (refuse may say why not) and give back its record as it was (saved), for undo.

        expected_version: the row as this window last wrote it (an undo of its add): changed since by
        someone else, the delete is refused naming them, never taking their change with it."""

        def work(session: Session) -> R:
            row = self._get(session, entity, ident, what)
            self._expect(row, expected_version, f"This {what}")
            if refuse is not None:
                refuse(session, row)
            record = saved(row)
            session.delete(row)
            return record

        change = Change(kind or ChangeKind(what), f"delete a {what}", entity_ids=frozenset({ident}))
        result: R = self._write(work, lambda _: change)
        return result

    def _restore_simple(
        self,
        entity: type[Base],
        kind: ChangeKind,
        description: str,
        record: Any,
        check: Callable[[Session], None] | None = None,
        unique: Any = None,
    ) -> None:
        """Undo a delete: the row comes back from its record with the same id and values (check may refuse).

        unique: the column (a ref or name) another officer may have given a new row since: refused naming them."""

        def work(session: Session) -> None:
            if unique is not None:
                value = getattr(record, unique.key)
                if session.scalar(select(unique).where(unique == value)) is not None:
                    raise ConflictError(in_plan_again(session, unique, value))
            if check is not None:
                check(session)
            session.execute(insert(entity), [column_values(entity, record)])

        self._write(work, lambda _: Change(kind, description, entity_ids=frozenset({record.id})))

    def _add_unique(
        self, kind: ChangeKind, description: str, taken: tuple[Any, object, str, str], make: Callable[[Session], Any]
    ) -> int:
        """Add the row make builds, refusing a name or ref another row has: taken is (column, value, field, message)."""

        def work(session: Session) -> int:
            refuse_taken(session, *taken)
            return add_row(session, make(session))

        return self._add(kind, description, work)
