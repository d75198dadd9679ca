"""The progress CSV: dated notes on actions (action_ref, reported_on, status, percent_complete, note, author).

Parsed like the other CSVs (every row checked, errors name row and column),
then applied through PlanService.add_progress, which checks each value again.
"""

from __future__ import annotations

from pathlib import Path

from egov_planner.interchange.actions_csv import status_word
from egov_planner.interchange.csv_common import cell_date, cell_int, iterate_rows, read_text
from egov_planner.model.errors import PlanError, RowError
from egov_planner.model.import_rows import ProgressImportRow
from egov_planner.model.service import PlanService

COLUMNS = ("action_ref", "reported_on", "status", "percent_complete", "note", "author")
REQUIRED = ("action_ref", "reported_on", "note")


def parse_progress(path: Path, text: str | None = None) -> list[ProgressImportRow]:
    """Every row of a progress CSV, checked; raises RowError naming row and column."""
    source = path.name
    text = read_text(path) if text is None else text
    rows: list[ProgressImportRow] = []
    for cell in iterate_rows(text, source, COLUMNS, REQUIRED):
        values = cell.values
        for column in ("action_ref", "note"):
            if not values.get(column):
                raise RowError(source, cell.row, column, "a value is required")
        reported_on = cell_date(cell, "reported_on", source)
        if reported_on is None:
            raise RowError(source, cell.row, "reported_on", "a value is required (the date of the note)")
        rows.append(
            ProgressImportRow(
                row=cell.row,
                action_ref=values["action_ref"],
                reported_on=reported_on,
                note=values["note"],
                status=status_word(cell),
                percent_complete=cell_int(cell, "percent_complete", source),
                author=values.get("author", ""),
            )
        )
    return rows


def apply_progress(service: PlanService, rows: list[ProgressImportRow], source: str) -> int:
    """Add each row as a progress update; every action is found before anything is written.

    One add_progress (one transaction) a row: the demo builds its plan in a temporary
    file renamed into place only when whole. Offered through `import`, this would need
    one transaction for the whole file, like the actions import.
    """
    ids = {record.ref: record.id for record in service.actions()}
    for row in rows:
        if row.action_ref not in ids:
            raise RowError(source, row.row, "action_ref", f"there is no action {row.action_ref} in this plan")
    for row in rows:
        try:
            service.add_progress(
                ids[row.action_ref],
                row.reported_on,
                row.note,
                status=row.status,
                percent_complete=row.percent_complete,
                author=row.author,
            )
        except PlanError as error:
            raise RowError(source, row.row, None, str(error)) from None
    return len(rows)
