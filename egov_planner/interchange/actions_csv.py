"""The actions CSV of CONTRACTS.md: parse (text into typed rows) and write.

Parsing only types the text (dates, numbers, dependency syntax); the import
checks every value with the same checks as a single edit (model/validation.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
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
from egov_planner.model.errors import RowError
from egov_planner.model.import_rows import ActionImportRow, LinkColumns, LinkSpec
from egov_planner.model.records import PlanSnapshot, link_text
from egov_planner.model.tables import STATUS_VALUES

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
    "expected",
    "revision_reason",
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
    r"^(?P<ref>[^\s;,]+)(?:\s+(?P<kind>[A-Z]{2}))?\s*(?:(?P<sign>[+-])\s*(?P<lag>\d+)\s*d?)?$",
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
    digits = match["lag"] or "0"
    lag = int(digits) if len(digits) <= 9 else 10**9  # int() of thousands of digits fails; any of these is too big
    if match["sign"] == "-":
        lag = -lag
    return LinkSpec(match["ref"], (match["kind"] or "FS").upper(), lag)


def status_word(cell: Cell) -> str | None:
    """The status a word means ('done' is complete); a word it does not know is passed on for the import to refuse."""
    text = cell.values.get("status", "")
    if not text:
        return None
    return STATUS_WORDS.get("_".join(text.lower().replace("-", " ").split()), text)


def parse_actions(
    path: Path, text: str | None = None, cells: Iterable[Cell] | None = None, source: str | None = None
) -> list[ActionImportRow]:
    """Every row of an actions CSV (or the cells of a workbook's sheet), checked; raises RowError naming row, column."""
    source = source or path.name
    text = "" if cells is not None else read_text(path) if text is None else text
    rows: list[ActionImportRow] = []
    links = LinkColumns()  # every row's dependencies, compactly (a file may hold millions)
    first_row_of: dict[str, int] = {}
    present: frozenset[str] | None = None
    for cell in iterate_rows(text, source, COLUMNS, REQUIRED) if cells is None else cells:
        if present is None:
            present = frozenset(cell.values)
        values = cell.values
        objective_ref = values.get("objective_ref", "")
        action_ref = sys.intern(values.get("action_ref", ""))  # shared with the links naming it
        if action_ref and action_ref in first_row_of:
            raise RowError(source, cell.row, "action_ref", f"{action_ref} is already in row {first_row_of[action_ref]}")
        first_row_of[action_ref] = cell.row
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
                start=cell_date(cell, "start", source),
                due=cell_date(cell, "due", source),
                status=status_word(cell),
                completed_on=cell_date(cell, "completed_on", source),
                percent_complete=cell_int(cell, "percent_complete", source),
                expected=cell_date(cell, "expected", source),
                revision_reason=values.get("revision_reason", ""),
                depends_on=links.view(first_link),
                external=externals,
                external_expected=expected,
                description=values.get("description", ""),
                success_measure=values.get("success_measure", ""),
                resources=values.get("resources", ""),
                exempt=cell_int(cell, "exempt", source),
                notes=values.get("notes", ""),
                present=present,
            )
        )
    if not rows:
        raise RowError(source, None, None, "has a header but no actions")
    return rows


def write_actions(path: Path, snapshot: PlanSnapshot) -> int:
    """Every action with every column (so export -> import round-trips). Returns the row count."""
    rows = action_rows(snapshot)
    write_csv(path, COLUMNS, rows)
    return len(rows)


def action_rows(snapshot: PlanSnapshot) -> list[list[str]]:
    """Every action as the CSV's cells, in COLUMNS order (the workbook types them again).

    revision_reason is the action's latest revision's reason: an import that keeps the due date keeps it.
    """
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
                date_cell(action.expected),
                revised[-1].reason if (revised := snapshot.revisions.get(action.id)) else "",
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
    return rows
