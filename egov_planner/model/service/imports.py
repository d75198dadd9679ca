"""Imports of action and service rows, each all or nothing in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from egov_planner.model.cycle_queries import has_reports, load_revisions
from egov_planner.model.entities import (
    INTERACTION_TYPES,
    Action,
    ActionExternal,
    ActionStatus,
    Department,
    Dependency,
    ExternalDependency,
    Objective,
    Person,
    Revision,
    Service,
    ServiceInteraction,
)
from egov_planner.model.errors import RowError, ValidationError
from egov_planner.model.import_rows import ActionImportRow, ServiceImportRow
from egov_planner.model.rules import (
    find_any_cycle,
    name_cycle,
)
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
    ImportSummary,
    _table,
)
from egov_planner.model.service.history import give_field_reason
from egov_planner.model.service.link_graph import CompactGraph
from egov_planner.model.service.lookups import Lookups
from egov_planner.model.service.unit_of_work import Area
from egov_planner.model.validation import (
    ACTION_TITLE,
    check_date,
    check_exempt,
    check_expected_needs_external,
    check_lgsl,
    check_one_expected_date,
    check_percent,
    check_ref,
    check_revision,
    check_service_name,
    check_start_due,
    check_status,
    clean,
    link_errors,
    refuse_first,
    required_text,
    service_row_errors,
)

# Dependencies written per statement by an import: a bounded batch, not every link of the file at once.
_LINK_BATCH = 5000
# An action import row names some fields its own way (a file's "action" is the action's title).
_ROW_FIELD = {"ref": "action_ref", "title": "action", "exempt_paragraph": "exempt", "kind": "depends_on"}
_ROW_FIELD["lag_days"] = "depends_on"
# A service row's field -> the column it sets.
_SERVICE_ROW_COLUMN = {"external": "external_id"}

Row = TypeVar("Row", ActionImportRow, ServiceImportRow)


class Imports(Area):
    """Imports of action and service rows, each all or nothing in one transaction."""

    def import_actions(self, rows: Sequence[ActionImportRow], source: str = "the file") -> ImportSummary:
        """Add or update actions from parsed rows in ONE transaction.

        Refused whole, naming row and column, for: a new objective without a
        title, a depends_on naming no action, a dependency cycle, an external
        given two dates, due before start, a new due date on a reported plan
        without a revision_reason. Rows whose action_ref exists update that
        action (only the columns the file has); a moved due date on a reported
        plan is kept as a revision.
        """
        result: ImportSummary = self._write(
            lambda session: _ActionImport(session, rows, source).run(
                self._completion_date(session), self.clock(), self.owner.user
            ),
            lambda summary: Change(ChangeKind.IMPORT, f"import {summary.added + summary.updated} actions"),
        )
        return result

    def import_services(self, rows: Sequence[ServiceImportRow], source: str = "the file") -> ImportSummary:
        """Add or update service x interaction rows in ONE transaction (all or nothing)."""
        result: ImportSummary = self._write(
            lambda session: _ServiceImport(session, rows, source).run(),
            lambda summary: Change(ChangeKind.SERVICE, f"import {summary.added + summary.updated} service rows"),
        )
        return result

    def import_workbook(
        self,
        actions: Sequence[ActionImportRow],
        services: Sequence[ServiceImportRow],
        action_source: str = "Actions",
        service_source: str = "Services",
    ) -> tuple[ImportSummary | None, ImportSummary | None]:
        """Actions and services from one workbook in ONE transaction: both sheets or neither."""

        def work(session: Session) -> tuple[ImportSummary | None, ImportSummary | None]:
            completion = self._completion_date(session)
            done = (
                _ActionImport(session, actions, action_source).run(completion, self.clock(), self.owner.user)
                if actions
                else None
            )
            return done, (_ServiceImport(session, services, service_source).run() if services else None)

        result: tuple[ImportSummary | None, ImportSummary | None] = self._write(
            work, lambda _summaries: Change(ChangeKind.IMPORT, "import a workbook")
        )
        return result


class _Import(Generic[Row]):
    """One import of rows inside one transaction: names found or added through one Lookups."""

    def __init__(self, session: Session, rows: Sequence[Row], source: str) -> None:
        self.session = session
        self.rows: Sequence[Row] = rows
        self.source = source
        self.lookups = Lookups(session)


class _ActionImport(_Import[ActionImportRow]):
    """One import of action rows inside one transaction."""

    def fail(self, row: ActionImportRow | None, column: str | None, message: str) -> RowError:
        return RowError(self.source, row.row if row else None, column, message)

    def check_row(self, row: ActionImportRow, new: bool) -> None:
        """Every field the row gives, through the checks a single edit makes (nothing trusted from the parser)."""
        present = row.present
        try:
            check_ref(row.objective_ref, "objective_ref")
            check_ref(row.action_ref)
            if new or "action" in present:
                required_text(row.action, "title", ACTION_TITLE)
            if new or "due" in present:
                check_date(row.due, "due", required=True)
            check_start_due(row.start, row.due)
            if "status" in present and row.status is not None:
                check_status(row.status)
            if "percent_complete" in present and row.percent_complete is not None:
                check_percent(row.percent_complete)
            if "expected" in present:
                check_date(row.expected, "expected")
            if "exempt" in present:
                check_exempt(row.exempt)
            for spec in row.depends_on:
                refuse_first(link_errors(spec.kind, spec.lag_days))
        except ValidationError as error:
            raise self.fail(row, _ROW_FIELD.get(error.field, error.field), error.message) from None

    def run(self, completion_date: date, now: datetime, user: str) -> ImportSummary:
        """completion_date: what a row marked complete with no completed_on gets (the plan's status date).

        now: when revisions the import makes are recorded.
        """
        session = self.session
        objectives = {
            ref: (ident, title)
            for ident, ref, title in session.execute(select(Objective.id, Objective.ref, Objective.title))
        }
        actions = dict(session.execute(select(Action.ref, Action.id)).all())
        versions = dict(session.execute(select(Action.id, Action.version)).all())
        lookups = self.lookups
        people = lookups.preload(Person)
        departments = lookups.preload(Department)
        lookups.preload(ExternalDependency)
        created_objectives: list[str] = []
        renamed: dict[str, tuple[str, str]] = {}  # ref -> (title before the import, new title)
        titled_in: dict[str, tuple[str, int]] = {}  # ref -> (title, first row giving it)
        for row in self.rows:
            self.check_row(row, row.action_ref not in actions)

        # Objectives, departments and people first (new ones created on first sight).
        next_position = (session.scalar(select(func.max(Objective.position))) or 0) + 1
        for row in self.rows:
            title = clean(row.objective) if "objective" in row.present else ""
            if title:
                first = titled_in.setdefault(row.objective_ref, (title, row.row))
                if first[0] != title:
                    raise self.fail(
                        row,
                        "objective",
                        f"objective {row.objective_ref} is titled '{first[0]}' in row {first[1]} "
                        f"but '{title}' here; give one title",
                    )
            if row.objective_ref not in objectives:
                if not clean(row.objective):
                    raise self.fail(row, "objective", f"objective {row.objective_ref} is new: give its title")
                objective = Objective(ref=row.objective_ref, title=clean(row.objective), position=next_position)
                next_position += 1
                session.add(objective)
                session.flush()
                objectives[row.objective_ref] = (objective.id, objective.title)
                created_objectives.append(row.objective_ref)
            elif (
                "objective" in row.present
                and clean(row.objective)
                and objectives[row.objective_ref][1] != clean(row.objective)
            ):
                # Like any column of an existing row, the title updates the objective: said, never silent.
                ident, before = objectives[row.objective_ref]
                session.execute(
                    update(Objective)
                    .where(Objective.id == ident)
                    .values(title=clean(row.objective), version=Objective.version + 1)
                )
                objectives[row.objective_ref] = (ident, clean(row.objective))
                renamed[row.objective_ref] = (before, clean(row.objective))
            lookups.person(row.owner, row.owner_role, lookups.department(row.department))

        # Actions: insert the new ones in bulk, update the existing ones by primary key.
        new_values: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        positions: dict[int, int] = defaultdict(int)
        for ident, position in session.execute(
            select(Action.objective_id, func.max(Action.position)).group_by(Action.objective_id)
        ):
            positions[ident] = position or 0
        for row in self.rows:
            values = self._action_values(row, objectives, people, departments)
            existing = actions.get(row.action_ref)
            if existing is None:
                objective_id = values["objective_id"]
                positions[objective_id] += 1
                new_values.append(
                    {
                        "ref": row.action_ref,
                        "title": values.get("title", ""),
                        "description": values.get("description", ""),
                        "owner_id": values.get("owner_id"),
                        "department_id": values.get("department_id"),
                        "start": values.get("start"),
                        "due": values["due"],
                        "status": values.get("status", ActionStatus.NOT_STARTED.value),
                        "completed_on": values.get("completed_on")
                        or (completion_date if values.get("status") == ActionStatus.COMPLETE else None),
                        # Complete with no percent given is 100 %, as marking complete in the window makes it.
                        "percent_complete": values.get(
                            "percent_complete", 100 if values.get("status") == ActionStatus.COMPLETE else 0
                        ),
                        "expected": values.get("expected"),
                        "success_measure": values.get("success_measure", ""),
                        "resources": values.get("resources", ""),
                        "notes": values.get("notes", ""),
                        "exempt_paragraph": values.get("exempt_paragraph"),
                        "objective_id": objective_id,
                        "position": positions[objective_id],
                        "version": 1,
                    }
                )
            else:
                values["id"] = existing
                values["version"] = versions[existing]  # checked and bumped by SQLAlchemy
                updates.append(values)
        if updates:
            refs = {ident: ref for ref, ident in actions.items()}
            self._check_updated_dates(updates, refs)
            revisions = self._revisions(updates, refs, now, user)
            session.execute(update(Action), updates)
            if revisions:
                session.execute(insert(_table(Revision)), revisions)
            # A row marking complete with no date of its own: dated as a single edit would be.
            completing = [u["id"] for u in updates if u.get("status") == ActionStatus.COMPLETE]
            table = _table(Action)
            for start in range(0, len(completing), 900):
                session.execute(
                    update(table)
                    .where(table.c.id.in_(completing[start : start + 900]), table.c.completed_on.is_(None))
                    .values(completed_on=completion_date)
                )
        if new_values:
            # Core executemany: the ORM's bulk path with RETURNING grows quadratically here.
            session.execute(insert(_table(Action)), new_values)
            added = {row["ref"] for row in new_values}
            for ident, ref in session.execute(select(Action.id, Action.ref)):
                if ref in added:
                    actions[ref] = ident

        # Dependencies: a row with a depends_on column replaces that action's predecessors.
        replaced = [row for row in self.rows if "depends_on" in row.present]
        replaced_ids = {actions[row.action_ref] for row in replaced}
        if replaced_ids:
            # Chunked: SQLite limits the number of bound parameters per statement.
            ordered = sorted(replaced_ids)
            for start in range(0, len(ordered), 900):
                session.execute(delete(Dependency).where(Dependency.successor_id.in_(ordered[start : start + 900])))
        # Officers type refs in any case: fall back to a case-insensitive match when it is unique.
        folded: dict[str, int | None] = {}
        for ref, ident in actions.items():
            folded[ref.casefold()] = None if ref.casefold() in folded else ident
        # Written a batch at a time as they are checked (a file may hold millions): a refusal
        # part way rolls the whole transaction back, so nothing is saved either way.
        inserted = 0
        batch: list[dict[str, Any]] = []
        for row in replaced:
            successor = actions[row.action_ref]
            seen: set[int] = set()
            for spec in row.depends_on:
                predecessor = actions.get(spec.predecessor_ref) or folded.get(spec.predecessor_ref.casefold())
                if predecessor is None:
                    raise self.fail(
                        row, "depends_on", f"{spec.predecessor_ref} is not an action in the plan or the file"
                    )
                if predecessor == successor:
                    raise self.fail(row, "depends_on", f"{row.action_ref} cannot depend on itself")
                if predecessor in seen:
                    raise self.fail(row, "depends_on", f"{spec.predecessor_ref} is listed twice")
                seen.add(predecessor)
                batch.append(
                    {
                        "predecessor_id": predecessor,
                        "successor_id": successor,
                        "kind": spec.kind,
                        "lag_days": spec.lag_days,
                        "version": 1,
                    }
                )
                if len(batch) >= _LINK_BATCH:
                    session.execute(insert(_table(Dependency)), batch)
                    inserted += len(batch)
                    batch = []
        if batch:
            session.execute(insert(_table(Dependency)), batch)
            inserted += len(batch)
        if inserted or replaced_ids:
            cycle = find_any_cycle(CompactGraph.of_dependencies(session))
            if cycle:
                refs = {ident: ref for ref, ident in actions.items()}
                by_ref = {row.action_ref: row for row in self.rows}
                culprit = next((by_ref[refs[i]] for i in cycle if refs.get(i) in by_ref), None)
                raise self.fail(culprit, "depends_on", f"dependency cycle {name_cycle(cycle, refs)}")

        self._apply_externals(actions)
        return ImportSummary(
            added=len(new_values),
            updated=len(updates),
            dependencies=inserted,
            created_objectives=created_objectives,
            created_people=lookups.created[Person],
            renamed_objectives=[(ref, old, new) for ref, (old, new) in renamed.items()],
        )

    def _action_values(
        self,
        row: ActionImportRow,
        objectives: Mapping[str, tuple[int, str]],
        people: Mapping[str, int],
        departments: Mapping[str, int],
    ) -> dict[str, Any]:
        present = row.present
        values: dict[str, Any] = {"objective_id": objectives[row.objective_ref][0]}
        if row.due is not None:
            values["due"] = row.due
        if "action" in present:
            values["title"] = row.action
        for name in ("description", "success_measure", "resources", "notes"):
            if name in present:
                values[name] = getattr(row, name)
        if "owner" in present:
            values["owner_id"] = people.get(row.owner) if row.owner else None
        if "department" in present:
            values["department_id"] = departments.get(row.department) if row.department else None
        if "start" in present:
            values["start"] = row.start
        if "status" in present and row.status is not None:
            values["status"] = check_status(row.status)
        if "completed_on" in present:
            values["completed_on"] = row.completed_on
        if "percent_complete" in present and row.percent_complete is not None:
            values["percent_complete"] = row.percent_complete
        if "expected" in present:
            values["expected"] = row.expected
        if "exempt" in present:
            values["exempt_paragraph"] = row.exempt
        return values

    def _check_updated_dates(self, updates: list[dict[str, Any]], refs: Mapping[int, str]) -> None:
        """An update that sets only start or only due must still keep due on or after start."""
        ids = [u["id"] for u in updates if ("start" in u) != ("due" in u)]
        current: dict[int, tuple[date | None, date]] = {}
        for start in range(0, len(ids), 900):
            for ident, first, due in self.session.execute(
                select(Action.id, Action.start, Action.due).where(Action.id.in_(ids[start : start + 900]))
            ):
                current[ident] = (first, due)
        by_id = {u["id"]: u for u in updates}
        rows = {r.action_ref: r for r in self.rows}
        for ident in ids:
            values = by_id[ident]
            try:
                check_start_due(
                    values.get("start", current[ident][0]),
                    values.get("due", current[ident][1]),
                    "due" if "due" in values else "start",
                )
            except ValidationError as error:
                raise self.fail(rows.get(refs[ident]), error.field, error.message) from None

    def _revisions(
        self, updates: list[dict[str, Any]], refs: Mapping[int, str], now: datetime, user: str
    ) -> list[dict[str, Any]]:
        """The revisions rows moving due make on a reported plan; a row without its reason refuses the import."""
        moving = [u for u in updates if "due" in u]
        if not moving or not has_reports(self.session):
            return []
        ids = [u["id"] for u in moving]
        current: dict[int, date] = {}
        for start in range(0, len(ids), 900):
            current.update(
                self.session.execute(select(Action.id, Action.due).where(Action.id.in_(ids[start : start + 900]))).all()
            )
        last_reasons = {i: items[-1].reason for i, items in load_revisions(self.session, set(ids)).items() if items}
        rows = {r.action_ref: r for r in self.rows}
        found: list[dict[str, Any]] = []
        for values in moving:
            ident = values["id"]
            row = rows[refs[ident]]
            try:
                last = last_reasons.get(ident, "")
                reason = check_revision(row.action_ref, current[ident], values["due"], True, row.revision_reason, last)
            except ValidationError as error:
                raise self.fail(row, error.field, error.message) from None
            if reason is not None:
                give_field_reason(self.session, "action", row.action_ref, "due", reason)
                found.append(
                    {
                        "action_id": ident,
                        "from_due": current[ident],
                        "to_due": values["due"],
                        "reason": reason,
                        "agreed_by": "",
                        "at": now,
                        "by": user,
                    }
                )
        return found

    def _apply_externals(self, actions: Mapping[str, int]) -> None:
        session = self.session
        given: dict[str, tuple[date, int]] = {}
        for row in self.rows:
            if "external" not in row.present:
                continue
            for index, name in enumerate(row.external):
                expected = row.external_expected[index] if index < len(row.external_expected) else None
                try:
                    check_one_expected_date(given, name, expected, row.row)
                except ValidationError as error:
                    raise self.fail(row, error.field, error.message) from None
        replaced = [actions[row.action_ref] for row in self.rows if "external" in row.present]
        for start in range(0, len(replaced), 900):
            session.execute(delete(ActionExternal).where(ActionExternal.action_id.in_(replaced[start : start + 900])))
        waits: list[dict[str, int | None]] = []
        for row in self.rows:
            if "external" not in row.present:
                continue
            for name in row.external:
                external_id = self.lookups.external(name, given[name][0] if name in given else None)
                waits.append({"action_id": actions[row.action_ref], "external_id": external_id})
        if waits:
            session.execute(insert(_table(ActionExternal)), waits)


class _ServiceImport(_Import[ServiceImportRow]):
    """One import of BVPI 157 service rows inside one transaction."""

    def check_row(self, row: ServiceImportRow, dates_given: dict[str, tuple[date, int]]) -> None:
        """Every field of the row through the checks a single edit makes (nothing trusted from the parser)."""
        try:
            check_service_name(row.service, "service")
            check_lgsl(row.lgsl)
            refuse_first(
                service_row_errors(row.interaction, row.permissible, row.reason, row.enabled_on, row.forecast_on)
            )
            check_expected_needs_external(row.external, row.external_expected)
            if row.external:
                check_one_expected_date(dates_given, row.external, row.external_expected, row.row)
        except ValidationError as error:
            raise RowError(self.source, row.row, error.field, error.message) from None

    def run(self) -> ImportSummary:
        session = self.session
        services = {
            name: (ident, dept)
            for ident, name, dept in session.execute(select(Service.id, Service.name, Service.department_id))
        }
        lookups = self.lookups
        lookups.preload(Department)
        lookups.preload(ExternalDependency)
        existing = {
            (service_id, interaction): (ident, version)
            for ident, service_id, interaction, version in session.execute(
                select(
                    ServiceInteraction.id,
                    ServiceInteraction.service_id,
                    ServiceInteraction.interaction,
                    ServiceInteraction.version,
                )
            )
        }
        dates_given: dict[str, tuple[date, int]] = {}
        seen: dict[tuple[str, int], int] = {}
        added = updated = 0
        for row in self.rows:
            self.check_row(row, dates_given)
            key = (row.service, row.interaction)
            if key in seen:
                raise RowError(
                    self.source,
                    row.row,
                    "interaction",
                    f"{row.service} / {INTERACTION_TYPES[row.interaction]} is already in row {seen[key]}",
                )
            seen[key] = row.row
            department_id = lookups.department(row.department)
            if row.service not in services:
                new_service = Service(name=row.service, lgsl=row.lgsl, department_id=department_id)
                session.add(new_service)
                session.flush()
                services[row.service] = (new_service.id, department_id)
            else:
                ident, current_dept = services[row.service]
                changes: dict[str, Any] = {}
                if "lgsl" in row.present and row.lgsl is not None:
                    changes["lgsl"] = row.lgsl
                if "department" in row.present and department_id is not None and department_id != current_dept:
                    changes["department_id"] = department_id
                if changes:
                    session.execute(
                        update(Service).where(Service.id == ident).values(**changes, version=Service.version + 1)
                    )
                    services[row.service] = (ident, changes.get("department_id", current_dept))
            external_id = lookups.external(row.external, row.external_expected)
            service_id = services[row.service][0]
            values = {
                "permissible": row.permissible,
                "reason": row.reason,
                "enabled_on": row.enabled_on,
                "forecast_on": row.forecast_on,
                "channels": row.channels,
                "external": external_id,
            }
            current = existing.get((service_id, row.interaction))
            if current is None:
                session.execute(
                    insert(ServiceInteraction),
                    [
                        {
                            "service_id": service_id,
                            "interaction": row.interaction,
                            "version": 1,
                            **{_SERVICE_ROW_COLUMN.get(k, k): v for k, v in values.items()},
                        }
                    ],
                )
                added += 1
            else:
                keep = {_SERVICE_ROW_COLUMN.get(k, k): v for k, v in values.items() if k in row.present}
                if keep:
                    session.execute(
                        update(ServiceInteraction)
                        .where(ServiceInteraction.id == current[0])
                        .values(**keep, version=ServiceInteraction.version + 1)
                    )
                updated += 1
        return ImportSummary(added=added, updated=updated, dependencies=0)
