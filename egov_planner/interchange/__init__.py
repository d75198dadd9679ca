"""File formats in and out of a plan, chosen by the file's extension (CONTRACTS.md "Formats by extension"). No Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egov_planner.interchange.actions_csv import is_actions_header, parse_actions, write_actions
from egov_planner.interchange.csv_common import read_header, read_text
from egov_planner.interchange.services_csv import column_of, is_services_header, parse_services, write_services
from egov_planner.model.errors import RowError
from egov_planner.model.records import PlanSnapshot

if TYPE_CHECKING:  # the service (and with it the ORM) only for types: `export` reads through Core
    from egov_planner.model.service import ImportSummary, PlanService

SUPPORTED = (".csv", ".xlsx", ".xml", ".gan")  # read
WRITTEN = (".csv", ".xlsx", ".xml", ".ics")
PROJECT_FILES = (".xml", ".gan")  # MS Project XML, GanttProject


@dataclass(frozen=True, slots=True)
class ImportResult:
    kind: str  # "actions" or "services"
    summary: ImportSummary
    notes: tuple[str, ...] = ()  # what the import changed on the way in (lags converted...)

    def describe(self) -> str:
        return "; ".join((self.summary.describe(), *self.notes))


def _check_extension(path: Path, writing: bool = False) -> None:
    if path.suffix.lower() not in (WRITTEN if writing else SUPPORTED):
        shown = path.suffix or "(no extension)"
        if writing:
            raise RowError(path.name, None, None, f"{shown} files cannot be written; name it {', '.join(WRITTEN)}")
        raise RowError(path.name, None, None, f"{shown} files cannot be read; save it as {', '.join(SUPPORTED)}")


def import_file(service: PlanService, path: Path) -> ImportResult:
    """Import a file into the plan, all or nothing. The CSV's header tells actions from services."""
    _check_extension(path)
    if path.suffix.lower() == ".xlsx":
        return _import_workbook(service, path)
    if path.suffix.lower() in PROJECT_FILES:
        from egov_planner.interchange.project_import import import_project

        summary, notes = import_project(service, path)
        return ImportResult("actions", summary, notes)
    text = read_text(path)
    header = read_header(text, path.name)
    if is_actions_header(header):
        return ImportResult("actions", service.import_actions(parse_actions(path, text), path.name))
    if is_services_header(header):
        rows = parse_services(path, text)
        try:
            return ImportResult("services", service.import_services(rows, path.name))
        except RowError as error:  # the model names the field; the officer wants the column
            raise RowError(error.source, error.row, column_of(error.column), error.message) from None
    raise RowError(
        path.name,
        1,
        None,
        "the header is neither an actions CSV (needs action_ref) nor a services CSV (needs service and interaction)",
    )


def export_file(
    source: PlanService | PlanSnapshot,
    path: Path,
    what: str = "actions",
    plan_path: Path | None = None,
    status_date: date | None = None,
    plan_id: str | None = None,
    owner: str | None = None,
) -> int:
    """Write the plan's actions or services (from a service or a snapshot) to path; returns the number of rows.

    plan_path: the plan the snapshot came from, so the export can never be written over it.
    A workbook (.xlsx) holds actions, services and the position as at status_date (else the plan's, else today).
    plan_id and owner: for a calendar (.ics), the plan's stable id (its events' UIDs) and one owner's actions.
    """
    _check_extension(path, writing=True)
    from egov_planner.model.store import refuse_plan_target

    if plan_path is None and not isinstance(source, PlanSnapshot):
        plan_path = source.store.path
    refuse_plan_target(path, plan_path, "export")  # never write an export over the plan itself
    snapshot = source if isinstance(source, PlanSnapshot) else source.snapshot()
    suffix = path.suffix.lower()
    if suffix == ".ics":
        from egov_planner.interchange.calendar_ics import write_calendar

        if plan_id is None and not isinstance(source, PlanSnapshot):
            plan_id = source.store.meta("plan_id")
        return write_calendar(path, snapshot, plan_id, owner)
    if owner is not None:
        raise RowError(path.name, None, None, "--owner is for a calendar (.ics) only")
    if suffix == ".xlsx":
        return _export_workbook(snapshot, path, status_date)
    if suffix == ".xml":
        if what == "services":
            raise RowError(path.name, None, None, "MS Project XML holds actions, not services; name the file .csv")
        from egov_planner.interchange.mspdi_export import write_mspdi

        return write_mspdi(path, snapshot)
    if what == "services":
        return write_services(path, snapshot)
    return write_actions(path, snapshot)


def _import_workbook(service: PlanService, path: Path) -> ImportResult:
    """A workbook: an owner's return, or Actions and/or Services sheets."""
    from egov_planner.interchange.returns import import_returns, is_returns_workbook
    from egov_planner.interchange.workbook import close_workbook, import_workbook, open_workbook

    book = open_workbook(path)
    try:
        if is_returns_workbook(book):
            return ImportResult("owner's return", import_returns(service, path, book))
        return ImportResult(*import_workbook(service, path, book))
    finally:
        close_workbook(book)


def _export_workbook(snapshot: PlanSnapshot, path: Path, status_date: date | None) -> int:
    from egov_planner.interchange.workbook import write_workbook
    from egov_planner.model.planning import status_date as position_date
    from egov_planner.model.safe_files import atomic_path

    def save(book: Any) -> None:
        with atomic_path(path) as temp:
            book.save(temp)

    return write_workbook(path, snapshot, position_date(snapshot.details.status_date, status_date), save)
