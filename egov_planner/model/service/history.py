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

import contextlib
import getpass
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, event, func, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import BindParameter

from egov_planner.model import tables
from egov_planner.model.dates import british

_REASON = "history.reason"  # the session.info key a change's reason is given under
_FIELD_REASONS = "history.field_reasons"  # (what, ref, field) -> reason: one row's own reason (a revision's)
_CHUNK = 900  # ids per IN (...): SQLite limits bound parameters per statement
_SKIPPED = frozenset({"id", "version", "position"})  # bookkeeping, not the officer's facts

# A column holding another row's id -> (that table, the field's name in the history).
_NAMED_BY: dict[str, tuple[Table, str]] = {
    "owner_id": (tables.person, "owner"),
    "lead_id": (tables.person, "lead"),
    "department_id": (tables.department, "department"),
    "objective_id": (tables.objective, "objective"),
    "external_id": (tables.external_dependency, "external"),
    "service_id": (tables.service, "service"),
    "action_id": (tables.action, "action"),
    "predecessor_id": (tables.action, "predecessor"),
    "successor_id": (tables.action, "successor"),
}
# The column that names a row of each table another row points to.
_NAME_COLUMN = {"person": "name", "department": "name", "objective": "ref", "external_dependency": "name"}
_NAME_COLUMN |= {"service": "name", "action": "ref"}


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
# Rows whose deletion the database answers by emptying a column of others (ON DELETE SET NULL).
_EMPTIED: dict[str, tuple[tuple[Table, str], ...]] = {
    "person": ((tables.action, "owner_id"), (tables.objective, "lead_id")),
    "department": ((tables.action, "department_id"), (tables.person, "department_id")),
    "external_dependency": ((tables.service_interaction, "external_id"),),
}
_EMPTIED["department"] += ((tables.service, "department_id"),)
# Links are recorded as their action's list: which waits went, which came (one entry a changed list).
_LINK_FIELD = {"dependency": "depends_on", "action_external": "externals"}
# A link's columns as _link_rows reads them: the waiting action, what it waits on[, kind, lag].
_LINK_COLUMNS: dict[str, tuple[str, ...]] = {"dependency": ("successor_id", "predecessor_id", "kind", "lag_days")}
_LINK_COLUMNS["action_external"] = ("action_id", "external_id")
_LINK_TARGET = {"dependency": tables.action, "action_external": tables.external_dependency}


@dataclass(frozen=True, slots=True)
class _Named:
    """A value that is another row's name (an owner, a predecessor…), looked up once before writing."""

    table: Table
    ident: int | None


_Value = str | _Named
# what, ref, field, from, to: names looked up when written
_Entry = tuple[str, _Value, str, _Value, _Value]
_Row = tuple[str, str, str, str, str]  # an entry with every name looked up
# One link in a waiting list: the row waited on (its id; its name when that row is going) and how
# the link differs from a plain one (" SS+3"). Plain tuples: an import brings tens of thousands.
_LinkItem = tuple[int | str, str]


@dataclass
class _Links:
    removed: list[_LinkItem] = field(default_factory=list)
    added: list[_LinkItem] = field(default_factory=list)


def _same_links(links: _Links) -> bool:
    """The same links removed as added (in the same order, as an import puts them back, or any order)."""
    if len(links.removed) != len(links.added):
        return False
    return links.removed == links.added or Counter(links.removed) == Counter(links.added)


def signed_in_user() -> str:
    """Who is signed in to this computer, as the history says it ('unknown' where the system will not say)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - getuser raises OSError, KeyError or ImportError by platform
        return "unknown"


def officer_of(store: object) -> str:
    """Who the history names for changes made through store: on a server, the officer's own database user
    (several officers share the server, each with a role); on a file, the computer's login."""
    database_user = getattr(store, "database_user", None)  # a ServerStore's; a plan file has none
    return str(database_user) if database_user else signed_in_user()


def give_reason(session: Session, reason: str) -> None:
    """The reason this unit of work's changes are recorded with (a revision's reason, 'Undo'…)."""
    session.info[_REASON] = reason


def give_field_reason(session: Session, what: str, ref: str, field_name: str, reason: str) -> None:
    """The reason one row's field changed (an import's revision_reason is the row's own, not the file's)."""
    session.info.setdefault(_FIELD_REASONS, {})[(what, ref, field_name)] = reason


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
        self.added_actions: set[str] = set()  # refs of the actions this change adds
        # Actions inserted by a statement are numbered above the largest id before it (their links are theirs).
        self.new_ids_above: int | None = None
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
            self._many(table, rows, added=True)
        elif state.is_update and rows and statement.whereclause is None:
            # An update by primary key, one parameter set a row (an import's updated actions).
            old = self._current(table, [values["id"] for values in rows], set().union(*rows))
            for values in rows:
                if values["id"] in old:
                    self._compare(table, old[values["id"]], values)
        elif state.is_delete and table.name in _LINK_FIELD:
            # An import replacing links: the rows going, as plain tuples (tens of thousands of them).
            query = select(*(table.c[c] for c in _LINK_COLUMNS[table.name])).where(statement.whereclause)
            self._link_rows(table.name, self._connection.execute(query).all(), added=False)
        elif statement.whereclause is not None:
            found = cast(
                list[Mapping[str, Any]],
                self._connection.execute(select(table).where(statement.whereclause)).mappings().all(),
            )
            if state.is_delete:
                self._many(table, found, added=False)
            else:
                # Statement._values holds what .values() set; expressions (version + 1) are bookkeeping.
                raw = getattr(statement, "_values", None) or {}
                new = {
                    getattr(key, "key", key): bound.value
                    for key, bound in raw.items()
                    if isinstance(bound, BindParameter)
                }
                for values in found:
                    self._compare(table, values, new)

    # --- entries ---------------------------------------------------------------------------------

    @property
    def _connection(self) -> Connection:
        return self.session.connection()

    def _current(self, table: Table, ids: list[Any], names: set[str]) -> dict[Any, dict[str, Any]]:
        """Those columns of the rows with these ids as they are now (before the statement about to run)."""
        ref = _KINDS[table.name].ref or _KINDS[table.name].owner  # what names the row in its entries
        wanted = {*names, ref}
        columns = [table.c.id, *(c for c in table.columns if c.key in wanted and c.key not in _SKIPPED)]
        keys = [c.key for c in columns]
        found: dict[Any, dict[str, Any]] = {}
        for start in range(0, len(ids), _CHUNK):
            query = select(*columns).where(table.c.id.in_(ids[start : start + _CHUNK]))
            found.update((row[0], dict(zip(keys, row, strict=True))) for row in self._connection.execute(query))
        return found

    def _ref(self, kind: _Kind, values: Mapping[str, Any]) -> _Value:
        if kind.ref is not None:
            return as_text(values.get(kind.ref))
        if kind.owner is not None:
            return _Named(_NAMED_BY[kind.owner][0], values.get(kind.owner))
        return ""

    def _value(self, column: str, value: Any) -> _Value:
        if column in _NAMED_BY and value is not None:
            return _Named(_NAMED_BY[column][0], value)
        if column == "interaction" and value is not None:
            return tables.INTERACTION_TYPES.get(value, str(value))
        return as_text(value)

    @staticmethod
    def _link(table: Table, values: Mapping[str, Any]) -> tuple[tuple[str, int], _LinkItem]:
        """A link's owner (the waiting action) and its item in that action's list."""
        if table.name == "dependency":
            kind, lag = values.get("kind") or "FS", int(values.get("lag_days") or 0)
            suffix = "" if (kind, lag) == ("FS", 0) else f" {kind}{lag:+d}" if lag else f" {kind}"
            return (table.name, int(values["successor_id"])), (int(values["predecessor_id"]), suffix)
        return (table.name, int(values["action_id"])), (int(values["external_id"]), "")

    def _many(self, table: Table, rows: Iterable[Mapping[str, Any]], added: bool) -> None:
        """Rows a statement adds or deletes (an import's thousands: links go straight to their lists)."""
        if table.name == "action" and added:
            # An import's new actions: plain text entries, nothing to look up.
            if self.new_ids_above is None:
                self.new_ids_above = self._connection.scalar(select(func.max(table.c.id))) or 0
            for values in rows:
                ref = values["ref"]
                self.added_actions.add(ref)
                self.entries.append(("action", ref, "added", "", values.get("title") or ""))
            return
        if table.name not in _LINK_FIELD:
            for values in rows:
                self._added_or_deleted(table, values, added)
            return
        columns = _LINK_COLUMNS[table.name]
        self._link_rows(table.name, [tuple(values.get(c) for c in columns) for values in rows], added)

    def _link_rows(self, table_name: str, rows: Iterable[Sequence[Any]], added: bool) -> None:
        """Links as (waiting action, what it waits on[, kind, lag]) go to that action's list: plain tuples, fast."""
        links = self.links
        new_above = self.new_ids_above if added else None
        for row in rows:
            if new_above is not None and row[0] > new_above:
                continue  # the first links of an action this change adds are part of its addition
            suffix = ""
            if len(row) > 2:
                kind, lag = row[2] or "FS", row[3] or 0
                if kind != "FS" or lag:
                    suffix = f" {kind}{lag:+d}" if lag else f" {kind}"
            key = (table_name, row[0])
            found = links.get(key)
            if found is None:
                found = links[key] = _Links()
            (found.added if added else found.removed).append((row[1], suffix))

    def _added_or_deleted(self, table: Table, values: Mapping[str, Any], added: bool) -> None:
        kind = _KINDS[table.name]
        if table.name in _LINK_FIELD or (table.name == "action" and added):
            self._many(table, (values,), added)
            return
        if not added and table.name in _CASCADES:
            self._links_going_with(table, values)
        if not added and table.name in _EMPTIED:
            self._emptied_by(table, values)
        shown: _Value = ""
        if kind.shows:
            value = values.get(kind.shows)
            shown = value if isinstance(value, str) else self._value(kind.shows, value)
        if table.name == "progress_update":
            shown = f"{as_text(values.get('reported_on'))}: {as_text(values.get('note'))}"
        before, after = ("", shown) if added else (shown, "")
        # A progress note is added or withdrawn, its action stays: the field says which note.
        name = "progress" if table.name == "progress_update" else "added" if added else "deleted"
        self.entries.append((kind.what, self._ref(kind, values), name, before, after))

    def _links_going_with(self, table: Table, values: Mapping[str, Any]) -> None:
        """A deleted action or external takes its links with it (the database cascades): the waiting lists shrink."""
        links, column = _CASCADES[table.name]
        name = as_text(values.get("ref" if table.name == "action" else "name"))
        for row in self._connection.execute(select(links).where(links.c[column] == values["id"])).mappings():
            key, (_, suffix) = self._link(links, dict(row))
            self.links.setdefault(key, _Links()).removed.append((name, suffix))  # named now: the row is going

    def _emptied_by(self, table: Table, values: Mapping[str, Any]) -> None:
        """A deleted person, department or external leaves the rows that named it without one: each says so."""
        name = as_text(values.get(_KINDS[table.name].ref or "name"))
        for other, column in _EMPTIED[table.name]:
            kind = _KINDS[other.name]
            for row in self._connection.execute(select(other).where(other.c[column] == values["id"])).mappings():
                self.entries.append((kind.what, self._ref(kind, dict(row)), _NAMED_BY[column][1], name, ""))

    def _compare(self, table: Table, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """One entry a column of new (all or some of the row's) whose value differs from old's.

        A link changing kind or lag: its action's list changes.
        """
        if table.name in _LINK_FIELD:
            if any(c in old and old[c] != v for c, v in new.items() if c not in _SKIPPED):
                self._added_or_deleted(table, old, added=False)
                self._added_or_deleted(table, {**old, **new}, added=True)
            return
        ref: _Value | None = None
        for column, value in new.items():
            if column in _SKIPPED or column not in old or old[column] == value:
                continue
            kind = _KINDS[table.name]
            if ref is None:
                ref = self._ref(kind, {**old, **new})  # only for a row that changed: an import's are mostly not
            name = _NAMED_BY[column][1] if column in _NAMED_BY else column
            self.entries.append((kind.what, ref, name, self._value(column, old[column]), self._value(column, value)))

    # --- written before the commit ---------------------------------------------------------------

    def finish(self) -> None:
        """Flush what is pending (so it is heard), then write every entry in one statement."""
        self.session.flush()
        changed = [
            (table_name, owner, links)
            for (table_name, owner), links in self.links.items()
            if not _same_links(links)  # removed and put back as they were: an import's unchanged depends_on
        ]
        names = self._names({tables.action: {owner for _, owner, _ in changed}})
        # An action added by this change shows as added: its first links are part of it, like its fields.
        changed = [c for c in changed if c[2].removed or names.get(("action", c[1])) not in self.added_actions]
        wanted: dict[Table, set[int]] = {}
        for table_name, _, links in changed:
            wanted.setdefault(_LINK_TARGET[table_name], set()).update(
                item[0] for item in (*links.removed, *links.added) if isinstance(item[0], int)
            )
        for entry in self.entries:
            for value in (entry[1], entry[3], entry[4]):
                if isinstance(value, _Named) and value.ident is not None:
                    wanted.setdefault(value.table, set()).add(value.ident)
        names |= self._names(wanted)
        text = self._text
        rows = [
            cast(_Row, entry)  # all text already (an import's added actions): nothing to look up
            if type(entry[1]) is str and type(entry[3]) is str and type(entry[4]) is str
            else (entry[0], text(entry[1], names), entry[2], text(entry[3], names), text(entry[4], names))
            for entry in self.entries
        ]
        for table_name, owner, links in changed:
            target = _LINK_TARGET[table_name]
            old = {self._item(target, item, names) for item in links.removed}
            new = {self._item(target, item, names) for item in links.added}
            ref = names.get((tables.action.name, owner), f"#{owner}")
            what, field_name = _KINDS[table_name].what, _LINK_FIELD[table_name]
            rows.append((what, ref, field_name, ", ".join(sorted(old - new)), ", ".join(sorted(new - old))))
        self._write_rows(rows)
        self.entries.clear()
        self.links.clear()

    def _write_rows(self, rows: list[_Row]) -> None:
        """One executemany of plain tuples: an import's tens of thousands of entries cost little.

        The statement is compiled for the plan's own database and its time bound once, so this stays
        portable while skipping the per-row work Core does for each parameter set.
        """
        if not rows:
            return
        connection = self._connection
        log = tables.change_log
        columns = ("at", "by", "what", "ref", "field", "from_value", "to_value", "reason")
        compiled = insert(log).values({name: bindparam(name) for name in columns}).compile(dialect=connection.dialect)
        to_database = log.c.at.type.bind_processor(connection.dialect)
        at = to_database(self.at) if to_database else self.at
        reason = self.session.info.get(_REASON) or self.reason
        own: dict[tuple[str, str, str], str] = self.session.info.get(_FIELD_REASONS, {})
        params: list[Any] = [(at, self.by, *row, own.get(row[:3]) or reason) for row in rows]
        if not compiled.positional:
            params = [dict(zip(columns, row, strict=True)) for row in params]
        elif list(compiled.positiontup or ()) != list(columns):
            order = [columns.index(name) for name in compiled.positiontup or ()]
            params = [tuple(row[i] for i in order) for row in params]
        connection.exec_driver_sql(str(compiled), params)

    def _names(self, wanted: Mapping[Table, set[int]]) -> dict[tuple[str, int], str]:
        """The name of every row wanted: the whole table when most of it is, else a chunk of ids at a time."""
        names: dict[tuple[str, int], str] = {}
        for table, ids in wanted.items():
            name_of = table.name
            column = table.c[_NAME_COLUMN[table.name]]
            found: Iterable[Any]
            if len(ids) > 2000:
                found = self._connection.execute(select(table.c.id, column))
            else:
                ordered = sorted(ids)
                found = (
                    row
                    for start in range(0, len(ordered), _CHUNK)
                    for row in self._connection.execute(
                        select(table.c.id, column).where(table.c.id.in_(ordered[start : start + _CHUNK]))
                    )
                )
            names.update(((name_of, ident), name if isinstance(name, str) else as_text(name)) for ident, name in found)
        return names

    @staticmethod
    def _item(target: Table, item: _LinkItem, names: Mapping[tuple[str, int], str]) -> str:
        ident, suffix = item
        return (names.get((target.name, ident), f"#{ident}") if isinstance(ident, int) else ident) + suffix

    @staticmethod
    def _text(value: _Value, names: Mapping[tuple[str, int], str]) -> str:
        if isinstance(value, _Named):
            if value.ident is None:
                return ""
            return names.get((value.table.name, value.ident), f"#{value.ident}")
        return value


def as_shown(value: str, width: int | None = None, field_name: str = "") -> str:
    """A recorded value as an officer reads it: ISO dates as British, on one line, cut to width with '…'.

    field_name: the entry's field — a status is shown in words ('in progress'), a progress note's
    leading date ('2004-01-05: …') as British.
    """
    if field_name == "status":
        value = value.replace("_", " ")
    elif field_name == "progress" and value[10:12] == ": ":
        with contextlib.suppress(ValueError):
            value = f"{british(date.fromisoformat(value[:10]))}{value[10:]}"
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        with contextlib.suppress(ValueError):  # text that only looks like a date is shown as it is
            value = british(date.fromisoformat(value))
    value = " ".join(value.split())
    if width is not None and len(value) > width:
        value = value[: width - 1] + "…"
    return value


def when_shown(at: datetime) -> str:
    """When a change was made: 12/05/2004 14:03."""
    return f"{british(at.date())} {at:%H:%M}"


def last_change(session: Session, row: Any) -> str:
    """Who last changed row and when, and what they set ('by jsmith at 12/05/2004 14:03 (due 31/03/2004 → 30/04/2004)').

    Said when an edit made against an older read is refused, so the officer knows whose change they would
    overwrite and what it now holds; "" when the history does not name the row (or holds nothing for it).
    """
    table = getattr(row, "__table__", None)
    kind = _KINDS.get(getattr(table, "name", ""))
    if kind is None or (kind.ref is None and kind.what != "plan"):
        return ""
    ref = "" if kind.ref is None else str(getattr(row, kind.ref, "") or "")
    return last_change_of(session, kind.what, ref)


def last_change_named(session: Session, table_name: str, ref: str) -> str:
    """last_change_of for the row of this table the history records under ref ("" for a table it does not name)."""
    kind = _KINDS.get(table_name)
    return last_change_of(session, kind.what, ref) if kind is not None else ""


def last_change_of(session: Session, what: str, ref: str) -> str:
    """Who last changed what the history records under (what, ref), and when, as last_change says it: a
    dependency is recorded under its waiting action's ref, so a link names its changer through this."""
    log = tables.change_log
    recent = session.execute(
        select(log.c.at, log.c.by, log.c.field, log.c.from_value, log.c.to_value)
        .where(log.c.what == what, log.c.ref == ref)
        .order_by(log.c.id.desc())
        .limit(20)
    ).all()
    if not recent:
        return ""
    at, by = recent[0].at, recent[0].by
    fields = [r for r in recent if r.at == at and r.by == by][:3]
    values = "; ".join(f"{r.field} {as_shown(r.from_value, 30)} → {as_shown(r.to_value, 30)}" for r in reversed(fields))
    return f"by {by} at {when_shown(at)}" + (f" ({values})" if values else "")
