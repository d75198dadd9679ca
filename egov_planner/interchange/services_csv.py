"""The BVPI 157 services CSV of CONTRACTS.md: one row per service x interaction."""

from __future__ import annotations

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


def is_services_header(header: list[str]) -> bool:
    return "service" in header and "interaction" in header and "action_ref" not in header


def _interaction(cell: Cell, source: str) -> int:
    text = cell.values.get("interaction", "")
    if not text:
        raise RowError(source, cell.row, "interaction", "a value is required (LGIL code 0-9 or its name)")
    if text.isdigit():
        code = int(text)
        if code in INTERACTION_TYPES:
            return code
    elif text.lower() in _BY_NAME:
        return _BY_NAME[text.lower()]
    raise RowError(source, cell.row, "interaction", f"'{text}' is not an interaction type (LGIL code 0-9 or its name)")


def _permissible(cell: Cell, source: str) -> bool:
    text = cell.values.get("permissible", "").lower()
    if not text or text in YES:
        return True
    if text in NO:
        return False
    raise RowError(source, cell.row, "permissible", f"'{cell.values['permissible']}' is not yes or no")


def parse_services(path: Path, text: str | None = None) -> list[ServiceImportRow]:
    """Every row of a services CSV, checked; raises RowError naming row and column."""
    source = path.name
    text = read_text(path) if text is None else text
    rows: list[ServiceImportRow] = []
    present: frozenset[str] | None = None
    for cell in iterate_rows(text, source, COLUMNS, REQUIRED):
        if present is None:
            present = frozenset(cell.values)
        values = cell.values
        if not values.get("service"):
            raise RowError(source, cell.row, "service", "a value is required (the service's name)")
        permissible = _permissible(cell, source)
        if not permissible and not values.get("reason"):
            raise RowError(source, cell.row, "reason", "say why the interaction is not legally permissible")
        external = values.get("external", "")
        expected = cell_date(cell, "external_expected", source)
        if expected is not None and not external:
            raise RowError(source, cell.row, "external_expected", "a date is given but no external dependency")
        rows.append(
            ServiceImportRow(
                row=cell.row,
                service=values["service"],
                interaction=_interaction(cell, source),
                lgsl=cell_int(cell, "lgsl", source, 0, 999_999, "an LGSL number"),
                department=values.get("department", ""),
                permissible=permissible,
                reason=values.get("reason", ""),
                enabled_on=cell_date(cell, "enabled_on", source),
                forecast=cell_date(cell, "forecast", source),
                channels="; ".join(c.strip() for c in values.get("channels", "").split(";") if c.strip()),
                external=external,
                external_expected=expected,
                present=present,
            )
        )
    if not rows:
        raise RowError(source, None, None, "has a header but no service rows")
    return rows


def write_services(path: Path, snapshot: PlanSnapshot) -> int:
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
    write_csv(path, COLUMNS, rows)
    return len(rows)
