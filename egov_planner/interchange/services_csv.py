"""The BVPI 157 services CSV of CONTRACTS.md: one row per service x interaction.

Parsing only types the text; the import checks every value (model/validation.py).
The model names fields, not columns: FIELD_OF_COLUMN and column_of say where they differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from egov_planner.interchange.csv_common import Cell, cell_date, cell_int, date_cell, iterate_rows, read_text, write_csv
from egov_planner.model.errors import RowError
from egov_planner.model.import_rows import ServiceImportRow
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.tables import INTERACTION_TYPES

COLUMNS = (
    "service",
    "lgsl",
    "department",
    "interaction",
    "permissible",
    "reason",
    "enabled_on",
    "forecast",
    "channels",
    "external",
    "external_expected",
)
REQUIRED = ("service", "interaction")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
_BY_NAME = {name.lower(): code for code, name in INTERACTION_TYPES.items()}
# The model's field each column sets, where the two names differ.
FIELD_OF_COLUMN = {"forecast": "forecast_on"}
_COLUMN_OF_FIELD = {field: column for column, field in FIELD_OF_COLUMN.items()}


def column_of(field: str | None) -> str | None:
    """The column of this CSV that a model field came from (for an error the import names by field)."""
    return _COLUMN_OF_FIELD.get(field, field) if field else field


def is_services_header(header: list[str]) -> bool:
    return "service" in header and "interaction" in header and "action_ref" not in header


def _interaction(cell: Cell, source: str) -> int:
    text = cell.values.get("interaction", "")
    if not text:
        raise RowError(source, cell.row, "interaction", "a value is required (LGIL code 0-9 or its name)")
    if text.isdigit():
        return int(text)  # a code out of range is the import's check, the same as an edit's
    if text.lower() in _BY_NAME:
        return _BY_NAME[text.lower()]
    raise RowError(source, cell.row, "interaction", f"'{text}' is not an interaction type (LGIL code 0-9 or its name)")


def _permissible(cell: Cell, source: str) -> bool:
    text = cell.values.get("permissible", "").lower()
    if not text or text in YES:
        return True
    if text in NO:
        return False
    raise RowError(source, cell.row, "permissible", f"'{cell.values['permissible']}' is not yes or no")


def parse_services(
    path: Path, text: str | None = None, cells: Iterable[Cell] | None = None, source: str | None = None
) -> list[ServiceImportRow]:
    """Every row of a services CSV (or the cells of a workbook's sheet), checked; raises RowError naming row, column."""
    source = source or path.name
    text = "" if cells is not None else read_text(path) if text is None else text
    rows: list[ServiceImportRow] = []
    present: frozenset[str] | None = None
    for cell in iterate_rows(text, source, COLUMNS, REQUIRED) if cells is None else cells:
        if present is None:
            present = frozenset(FIELD_OF_COLUMN.get(column, column) for column in cell.values)
        values = cell.values
        rows.append(
            ServiceImportRow(
                row=cell.row,
                service=values.get("service", ""),
                interaction=_interaction(cell, source),
                lgsl=cell_int(cell, "lgsl", source),
                department=values.get("department", ""),
                permissible=_permissible(cell, source),
                reason=values.get("reason", ""),
                enabled_on=cell_date(cell, "enabled_on", source),
                forecast_on=cell_date(cell, "forecast", source),
                channels="; ".join(c.strip() for c in values.get("channels", "").split(";") if c.strip()),
                external=values.get("external", ""),
                external_expected=cell_date(cell, "external_expected", source),
                present=present,
            )
        )
    if not rows:
        raise RowError(source, None, None, "has a header but no service rows")
    return rows


def write_services(path: Path, snapshot: PlanSnapshot) -> int:
    rows = service_rows(snapshot)
    write_csv(path, COLUMNS, rows)
    return len(rows)


def service_rows(snapshot: PlanSnapshot) -> list[list[str]]:
    """Every service row as the CSV's cells, in COLUMNS order."""
    expected = {e.id: e.expected_on for e in snapshot.externals}
    rows = [
        [
            row.service,
            "" if row.lgsl is None else str(row.lgsl),
            row.department,
            str(row.interaction),
            "yes" if row.permissible else "no",
            row.reason,
            date_cell(row.enabled_on),
            date_cell(row.forecast_on),
            row.channels,
            row.external,
            date_cell(expected.get(row.external_id)) if row.external_id else "",
        ]
        for row in snapshot.service_rows
    ]
    return rows
