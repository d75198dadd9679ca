"""File formats in and out of a plan (CSV now; XLSX, MS Project XML, iCalendar later). No Qt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from egov_planner.interchange.actions_csv import is_actions_header, parse_actions, write_actions
from egov_planner.interchange.csv_common import read_header, read_text
from egov_planner.interchange.services_csv import column_of, is_services_header, parse_services, write_services
from egov_planner.model.errors import RowError
from egov_planner.model.records import PlanSnapshot

if TYPE_CHECKING:  # the service (and with it the ORM) only for types: `export` reads through Core
    from egov_planner.model.service import ImportSummary, PlanService

SUPPORTED = (".csv",)


@dataclass(frozen=True, slots=True)
class ImportResult:
    kind: str  # "actions" or "services"
    summary: ImportSummary


def _check_extension(path: Path, writing: bool = False) -> None:
    if path.suffix.lower() not in SUPPORTED:
        shown = path.suffix or "(no extension)"
        if writing:
            raise RowError(path.name, None, None, f"{shown} files cannot be written yet; name the file .csv")
        raise RowError(path.name, None, None, f"{shown} files cannot be read yet; save it as CSV (.csv)")


def import_file(service: PlanService, path: Path) -> ImportResult:
    """Import a file into the plan, all or nothing. The CSV's header tells actions from services."""
    _check_extension(path)
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
    source: PlanService | PlanSnapshot, path: Path, what: str = "actions", plan_path: Path | None = None
) -> int:
    """Write the plan's actions or services (from a service or a snapshot) to path; returns the number of rows.

    plan_path: the plan the snapshot came from, so the export can never be written over it.
    """
    _check_extension(path, writing=True)
    from egov_planner.model.store import refuse_plan_target

    if plan_path is None and not isinstance(source, PlanSnapshot):
        plan_path = source.store.path
    refuse_plan_target(path, plan_path, "export")  # never write an export over the plan itself
    snapshot = source if isinstance(source, PlanSnapshot) else source.snapshot()
    if what == "services":
        return write_services(path, snapshot)
    return write_actions(path, snapshot)
