"""The actions CSV of CONTRACTS.md: parse (every row checked before anything is saved) and write."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from egov_planner.interchange.csv_common import (
    Cell,
    cell_date,
    cell_int,
    date_cell,
    iterate_rows,
    read_text,
    write_csv,
)
from egov_planner.model.entities import STATUS_VALUES
from egov_planner.model.errors import RowError
from egov_planner.model.import_rows import ActionImportRow, LinkColumns, LinkSpec
from egov_planner.model.records import PlanSnapshot, link_text
from egov_planner.model.service import REF_PATTERN

COLUMNS = (
    "objective_ref",
    "objective",
    "action_ref",
    "action",
    "owner",
    "owner_role",
    "department",
    "start",
    "due",
    "status",
    "completed_on",
    "percent_complete",
    "depends_on",
    "external",
    "external_expected",
    "description",
    "success_measure",
    "resources",
    "exempt",
    "notes",
)
REQUIRED = ("objective_ref", "action_ref", "action", "due")
_LINK = re.compile(
    r"^(?P<ref>[^\s;,]+)(?:\s+(?P<kind>FS|SS|FF|SF))?\s*(?:(?P<sign>[+-])\s*(?P<lag>\d+)\s*d?)?$",
    re.IGNORECASE,
)
STATUS_WORDS = {
    **{s: s for s in STATUS_VALUES},
    "completed": "complete",
    "done": "complete",
    "started": "in_progress",
    "ongoing": "in_progress",
}


def is_actions_header(header: list[str]) -> bool:
    return "action_ref" in header


def parse_link(text: str) -> LinkSpec | None:
    """'A1.2', 'A1.2 SS', 'A1.2 FS+10d', 'A1.2 FF-5d' -> LinkSpec, or None if not of that form."""
    match = _LINK.match(text.strip())
    if not match:
        return None
    lag = int(match["lag"]) if match["lag"] else 0
    if match["sign"] == "-":
        lag = -lag
    return LinkSpec(match["ref"], (match["kind"] or "FS").upper(), lag)


def _status(cell: Cell, source: str) -> str | None:
    text = cell.values.get("status", "")
    if not text:
        return None
    key = "_".join(text.lower().replace("-", " ").split())
    if key not in STATUS_WORDS:
        labels = ", ".join(s.replace("_", " ") for s in STATUS_VALUES)
        raise RowError(source, cell.row, "status", f"'{text}' is not a status (use one of: {labels})")
    return STATUS_WORDS[key]


def _ref(cell: Cell, column: str, source: str) -> str:
    text = cell.values.get(column, "")
    if not text:
        raise RowError(source, cell.row, column, "a value is required")
    if not REF_PATTERN.match(text):
        raise RowError(
            source,
            cell.row,
            column,
            f"'{text}' is not a usable reference (no spaces, ';' or ','; at most 40 characters)",
        )
    return text


def parse_actions(path: Path, text: str | None = None) -> list[ActionImportRow]:
    """Every row of an actions CSV, checked; raises RowError naming row and column."""
    source = path.name
    text = read_text(path) if text is None else text
    rows: list[ActionImportRow] = []
    links = LinkColumns()  # every row's dependencies, compactly (a file may hold millions)
    first_row_of: dict[str, int] = {}
    present: frozenset[str] | None = None
    for cell in iterate_rows(text, source, COLUMNS, REQUIRED):
        if present is None:
            present = frozenset(cell.values)
        values = cell.values
        objective_ref = _ref(cell, "objective_ref", source)
        action_ref = sys.intern(_ref(cell, "action_ref", source))  # shared with the links naming it
        if action_ref in first_row_of:
            raise RowError(source, cell.row, "action_ref", f"{action_ref} is already in row {first_row_of[action_ref]}")
        first_row_of[action_ref] = cell.row
        if not values.get("action"):
            raise RowError(source, cell.row, "action", "a value is required (the action's title)")
        due = cell_date(cell, "due", source)
        if due is None:
            raise RowError(source, cell.row, "due", "a value is required (the due date)")
        start = cell_date(cell, "start", source)
        if start is not None and due < start:
            raise RowError(source, cell.row, "due", f"due {date_cell(due)} is before start {date_cell(start)}")
        first_link = len(links)
        for part in values.get("depends_on", "").split(";"):
            if not part.strip():
                continue
            spec = parse_link(part)
            if spec is None:
                raise RowError(
                    source,
                    cell.row,
                    "depends_on",
                    f"'{part.strip()}' is not a dependency (write A1.2, A1.2 SS, A1.2 FS+10d or A1.2 FF-5d)",
                )
            links.append(spec)
        externals = [name.strip() for name in values.get("external", "").split(";") if name.strip()]
        expected_texts = [t.strip() for t in values.get("external_expected", "").split(";")]
        if expected_texts == [""]:
            expected_texts = []
        if len(expected_texts) > len(externals):
            raise RowError(source, cell.row, "external_expected", "has more dates than there are external dependencies")
        expected = [
            cell_date(Cell(cell.row, {"external_expected": part}), "external_expected", source)
            for part in expected_texts
        ]
        rows.append(
            ActionImportRow(
                row=cell.row,
                objective_ref=objective_ref,
                objective=values.get("objective", ""),
                action_ref=action_ref,
                action=values.get("action", ""),
                owner=values.get("owner", ""),
                owner_role=values.get("owner_role", ""),
                department=values.get("department", ""),
                start=start,
                due=due,
                status=_status(cell, source),
                completed_on=cell_date(cell, "completed_on", source),
                percent_complete=cell_int(cell, "percent_complete", source, 0, 100, "a percentage"),
                depends_on=links.view(first_link),
                external=externals,
                external_expected=expected,
                description=values.get("description", ""),
                success_measure=values.get("success_measure", ""),
                resources=values.get("resources", ""),
                exempt=cell_int(cell, "exempt", source, 1, 7, "a paragraph of Schedule 12A"),
                notes=values.get("notes", ""),
                present=present,
            )
        )
    if not rows:
        raise RowError(source, None, None, "has a header but no actions")
    return rows


def write_actions(path: Path, snapshot: PlanSnapshot) -> int:
    """Every action with every column (so export -> import round-trips). Returns the row count."""
    objectives = {o.id: o for o in snapshot.objectives}
    expected = {e.name: e.expected_on for e in snapshot.externals}
    rows = []
    for action in snapshot.actions:
        objective = objectives[action.objective_id]
        rows.append(
            [
                objective.ref,
                objective.title,
                action.ref,
                action.title,
                action.owner,
                action.owner_role,
                action.department,
                date_cell(action.start),
                date_cell(action.due),
                action.status.replace("_", " "),
                date_cell(action.completed_on),
                str(action.percent_complete),
                "; ".join(link_text(k.predecessor_ref, k.kind, k.lag_days) for k in action.predecessors),
                "; ".join(action.externals),
                "; ".join(date_cell(expected.get(name)) for name in action.externals)
                if any(expected.get(name) for name in action.externals)
                else "",
                action.description,
                action.success_measure,
                action.resources,
                str(action.exempt_paragraph or ""),
                action.notes,
            ]
        )
    write_csv(path, COLUMNS, rows)
    return len(rows)
