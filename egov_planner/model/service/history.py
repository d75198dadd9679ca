"""History: every change a unit of work makes, recorded in change_log from one place.

The unit of work (unit_of_work.Area._write) attaches a Recorder to its session. The ORM's
before_flush hands it every new, changed and deleted row with each attribute's old value;
do_orm_execute hands it every INSERT, UPDATE and DELETE statement (imports and restores write
with Core), whose rows it reads just before the statement runs. No service method records
anything itself, so a new method cannot forget to. The entries are written in the same
transaction just before it commits: a refused change records nothing.

A change may carry a reason: give_reason(session, …) inside the work (a revised target date),
or PlanService.giving_reason(…) around the call (the window's undo and redo).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import BindParameter

from egov_planner.model import tables

_REASON = "history.reason"  # the session.info key a change's reason is given under
_CHUNK = 900  # ids per IN (...): SQLite limits bound parameters per statement
_SKIPPED = frozenset({"id", "version", "position"})  # bookkeeping, not the officer's facts

# A column holding another row's id -> (that table, the column that names it), and the field's name.
_NAMED_BY: dict[str, tuple[Table, str, str]] = {
    "owner_id": (tables.person, "name", "owner"),
    "lead_id": (tables.person, "name", "lead"),
    "department_id": (tables.department, "name", "department"),
    "objective_id": (tables.objective, "ref", "objective"),
    "external_id": (tables.external_dependency, "name", "external"),
    "service_id": (tables.service, "name", "service"),
    "action_id": (tables.action, "ref", "action"),
    "predecessor_id": (tables.action, "ref", "predecessor"),
    "successor_id": (tables.action, "ref", "successor"),
}


@dataclass(frozen=True, slots=True)
class _Kind:
    """How a table's rows are recorded: what they are called, the column naming one, what an addition shows."""

    what: str
    ref: str | None = None  # None: named through `owner` (another row), or "" for the plan itself
    shows: str | None = None  # the column an added or deleted row shows as its value
    owner: str | None = None  # a row recorded under another's ref (its link or note): that column


_KINDS: dict[str, _Kind] = {
    "plan": _Kind("plan"),
    "meeting": _Kind("meeting", "committee", "meets_on"),
    "other_implication": _Kind("implication", "topic", "applies"),
    "consultation_evidence": _Kind("consultation", "method", "summary"),
    "department": _Kind("department", "name"),
    "person": _Kind("person", "name", "job_title"),
    "objective": _Kind("objective", "ref", "title"),
    "action": _Kind("action", "ref", "title"),
    "external_dependency": _Kind("external", "name", "expected_on"),
    "service": _Kind("service", "name", "lgsl"),
    "service_interaction": _Kind("service row", None, "interaction", owner="service_id"),
    "progress_update": _Kind("progress", None, "note", owner="action_id"),
    "dependency": _Kind("dependency", None, owner="successor_id"),
    "action_external": _Kind("external wait", None, owner="action_id"),
}
# Rows whose deletion the database cascades to links: (the link table, its column naming the row).
_CASCADES: dict[str, tuple[Table, str]] = {
    "action": (tables.dependency, "predecessor_id"),
    "external_dependency": (tables.action_external, "external_id"),
}
# Links are recorded as their action's list: which waits went, which came (one entry a changed list).
_LINK_FIELD = {"dependency": "depends_on", "action_external": "externals"}


@dataclass(frozen=True, slots=True)
class _Named:
    """A value that is another row's name (an owner, a predecessor…), looked up once before writing."""

    table: Table
    column: str
    ident: int | None
    suffix: str = ""


_Value = str | _Named


@dataclass(frozen=True, slots=True)
class _Joined:
    """A list of links, named and joined when written."""

    items: tuple[_Value, ...]

    def named(self, names: Mapping[tuple[str, str, int], str]) -> list[str]:
        return [Recorder._text(item, names) for item in self.items]


# what, ref, field, from, to: names looked up when written
_Entry = tuple[str, _Value, str, _Value | _Joined, _Value | _Joined]


@dataclass
class _Links:
    removed: list[_Value] = field(default_factory=list)
    added: list[_Value] = field(default_factory=list)


def signed_in_user() -> str:
    """Who is signed in to this computer, as the history says it ('unknown' where the system will not say)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - getuser raises OSError, KeyError or ImportError by platform
        return "unknown"


def give_reason(session: Session, reason: str) -> None:
    """The reason this unit of work's changes are recorded with (a revision's reason, 'Undo'…)."""
    session.info[_REASON] = reason


def as_text(value: object) -> str:
    """A value as the history stores it: ISO dates, yes/no, '' for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Recorder:
    """Listens to one writing session and writes what it changed to change_log before the commit."""

    def __init__(self, session: Session, at: datetime, by: str, reason: str = "") -> None:
        self.session = session
        self.at, self.by, self.reason = at, by, reason
        self.entries: list[_Entry] = []
        self.links: dict[tuple[str, int], _Links] = {}
        event.listen(session, "before_flush", self._before_flush)
        event.listen(session, "do_orm_execute", self._before_statement)

    # --- what the session tells us ---------------------------------------------------------------

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        for row in list(session.new):
            self._row(row, added=True)
        for row in list(session.dirty):
            self._changed_row(row)
        for row in list(session.deleted):
            self._row(row, added=False)

    def _row(self, row: Any, added: bool) -> None:
        table = getattr(row, "__table__", None)
        if table is not None and table.name in _KINDS:
            self._added_or_deleted(table, {c.key: getattr(row, c.key, None) for c in table.columns}, added)

    def _changed_row(self, row: Any) -> None:
        table = getattr(row, "__table__", None)
        if table is None or table.name not in _KINDS:
            return
        state = inspect(row)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for column in table.columns:
            history = state.attrs[column.key].history
            if history.added or history.deleted:
                before[column.key] = history.deleted[0] if history.deleted else None
                after[column.key] = history.added[0] if history.added else None
        if after:
            now = {c.key: getattr(row, c.key, None) for c in table.columns}
            self._compare(table, {**now, **before}, now)

    def _before_statement(self, state: ORMExecuteState) -> None:
        statement: Any = state.statement
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = statement.table
        if not isinstance(table, Table) or table.name not in _KINDS:
            return
        given = state.parameters
        rows: list[Mapping[str, Any]] = (
            list(given) if isinstance(given, list) else [given] if isinstance(given, Mapping) else []
        )
        if state.is_insert:
            for values in rows:
                self._added_or_deleted(table, values, added=True)
        elif state.is_update and rows and statement.whereclause is None:
            # An update by primary key, one parameter set a row (an import's updated actions).
            old = self._current(table, [values["id"] for values in rows])
            for values in rows:
                if values["id"] in old:
                    self._compare(table, old[values["id"]], {**old[values["id"]], **values})
        elif statement.whereclause is not None:
            found = [dict(r) for r in self._connection.execute(select(table).where(statement.whereclause)).mappings()]
            if state.is_delete:
                for values in found:
                    self._added_or_deleted(table, values, added=False)
            else:
                # Statement._values holds what .values() set; expressions (version + 1) are bookkeeping.
                raw = getattr(statement, "_values", None) or {}
                new = {
                    getattr(key, "key", key): bound.value
                    for key, bound in raw.items()
                    if isinstance(bound, BindParameter)
                }
                for values in found:
                    self._compare(table, values, {**values, **new})

    # --- entries ---------------------------------------------------------------------------------

    @property
    def _connection(self) -> Connection:
        return self.session.connection()

    def _current(self, table: Table, ids: list[Any]) -> dict[Any, dict[str, Any]]:
        """The rows with these ids as they are now (before the statement about to run)."""
        found: dict[Any, dict[str, Any]] = {}
        for start in range(0, len(ids), _CHUNK):
            query = select(table).where(table.c.id.in_(ids[start : start + _CHUNK]))
            found.update((row["id"], dict(row)) for row in self._connection.execute(query).mappings())
        return found

    def _ref(self, kind: _Kind, values: Mapping[str, Any]) -> _Value:
        if kind.ref is not None:
            return as_text(values.get(kind.ref))
        if kind.owner is not None:
            target, column, _ = _NAMED_BY[kind.owner]
            return _Named(target, column, values.get(kind.owner))
        return ""

    def _value(self, column: str, value: Any) -> _Value:
        if column in _NAMED_BY and value is not None:
            target, name, _ = _NAMED_BY[column]
            return _Named(target, name, value)
        if column == "interaction" and value is not None:
            return tables.INTERACTION_TYPES.get(value, str(value))
        return as_text(value)

    def _link(self, table: Table, values: Mapping[str, Any]) -> tuple[tuple[str, int], _Value]:
        """A link's owner (the waiting action) and how the link reads in its list ('A1.1 SS+3')."""
        owner = int(values["successor_id"] if table.name == "dependency" else values["action_id"])
        if table.name == "dependency":
            kind, lag = values.get("kind") or "FS", int(values.get("lag_days") or 0)
            suffix = "" if (kind, lag) == ("FS", 0) else f" {kind}{lag:+d}" if lag else f" {kind}"
            return (table.name, owner), _Named(tables.action, "ref", values["predecessor_id"], suffix)
        return (table.name, owner), _Named(tables.external_dependency, "name", values["external_id"])

    def _added_or_deleted(self, table: Table, values: Mapping[str, Any], added: bool) -> None:
        kind = _KINDS[table.name]
        if table.name in _LINK_FIELD:
            key, item = self._link(table, values)
            links = self.links.setdefault(key, _Links())
            (links.added if added else links.removed).append(item)
            return
        if not added and table.name in _CASCADES:
            self._links_going_with(table, values)
        shown = self._value(kind.shows, values.get(kind.shows)) if kind.shows else ""
        if table.name == "progress_update":
            shown = f"{as_text(values.get('reported_on'))}: {as_text(values.get('note'))}"
        before, after = ("", shown) if added else (shown, "")
        self.entries.append((kind.what, self._ref(kind, values), "added" if added else "deleted", before, after))

    def _links_going_with(self, table: Table, values: Mapping[str, Any]) -> None:
        """A deleted action or external takes its links with it (the database cascades): the waiting lists shrink."""
        links, column = _CASCADES[table.name]
        name = as_text(values.get("ref" if table.name == "action" else "name"))
        for row in self._connection.execute(select(links).where(links.c[column] == values["id"])).mappings():
            key, item = self._link(links, row)
            if isinstance(item, _Named):
                item = name + item.suffix  # named now: the row is about to go
            self.links.setdefault(key, _Links()).removed.append(item)

    def _compare(self, table: Table, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """One entry a column whose value differs (a link changing kind or lag: its list changes)."""
        if table.name in _LINK_FIELD:
            if any(old.get(c) != new.get(c) for c in new if c not in _SKIPPED):
                self._added_or_deleted(table, old, added=False)
                self._added_or_deleted(table, new, added=True)
            return
        kind = _KINDS[table.name]
        ref = self._ref(kind, new)
        for column, value in new.items():
            if column in _SKIPPED or column not in old or old[column] == value:
                continue
            name = _NAMED_BY[column][2] if column in _NAMED_BY else column
            self.entries.append((kind.what, ref, name, self._value(column, old[column]), self._value(column, value)))

    # --- written before the commit ---------------------------------------------------------------

    def finish(self) -> None:
        """Flush what is pending (so it is heard), then write every entry in one statement."""
        self.session.flush()
        entries = list(self.entries)
        for (table_name, owner), links in self.links.items():
            removed, added = _Joined(tuple(links.removed)), _Joined(tuple(links.added))
            ref: _Value = _Named(tables.action, "ref", owner)
            entries.append((_KINDS[table_name].what, ref, _LINK_FIELD[table_name], removed, added))
        names = self._names(value for entry in entries for value in (entry[1], entry[3], entry[4]))
        reason = self.session.info.get(_REASON) or self.reason
        rows = []
        for what, at_ref, name, before, after in entries:
            if isinstance(before, _Joined) and isinstance(after, _Joined):
                before_text, after_text = _list_difference(before.named(names), after.named(names))
                if not before_text and not after_text:
                    continue  # links removed and put back as they were (an import's unchanged depends_on)
            else:
                before_text, after_text = self._text(before, names), self._text(after, names)
            rows.append(
                {
                    "at": self.at,
                    "by": self.by,
                    "what": what,
                    "ref": self._text(at_ref, names),
                    "field": name,
                    "from_value": before_text,
                    "to_value": after_text,
                    "reason": reason,
                }
            )
        if rows:
            self._connection.execute(insert(tables.change_log), rows)
        self.entries.clear()
        self.links.clear()

    def _names(self, values: Iterable[Any]) -> dict[tuple[str, str, int], str]:
        """Every _Named value's name, one query a table and a chunk of ids."""
        wanted: dict[tuple[str, str], set[int]] = {}
        tables_by_name: dict[str, Table] = {}
        for value in values:
            for named in value.items if isinstance(value, _Joined) else (value,):
                if isinstance(named, _Named) and named.ident is not None:
                    wanted.setdefault((named.table.name, named.column), set()).add(named.ident)
                    tables_by_name[named.table.name] = named.table
        names: dict[tuple[str, str, int], str] = {}
        for (table_name, column), ids in wanted.items():
            table = tables_by_name[table_name]
            ordered = sorted(ids)
            for start in range(0, len(ordered), _CHUNK):
                query = select(table.c.id, table.c[column]).where(
                    table.c.id.in_(bindparam("ids", ordered[start : start + _CHUNK], expanding=True))
                )
                names.update(((table_name, column, i), as_text(n)) for i, n in self._connection.execute(query))
        return names

    @staticmethod
    def _text(value: Any, names: Mapping[tuple[str, str, int], str]) -> str:
        if isinstance(value, _Named):
            if value.ident is None:
                return ""
            return names.get((value.table.name, value.column, value.ident), f"#{value.ident}") + value.suffix
        return str(value)


def _list_difference(old: list[str], new: list[str]) -> tuple[str, str]:
    """Two link lists as what went and what came: a link removed and put back is no change."""
    return ", ".join(sorted(set(old) - set(new))), ", ".join(sorted(set(new) - set(old)))
