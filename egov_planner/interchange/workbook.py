"""Excel workbooks (.xlsx): the plan's Actions, Services and Position sheets, written and read back. No Qt.

The sheets carry the CSVs' columns and are read through the CSVs' parsers into the
model's one import, all or nothing. Dates are real Excel dates shown dd/mm/yyyy; a
text is always written as text, never as a formula, whatever it begins with.
Errors name the sheet, the row as Excel numbers it, and the column.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import IllegalCharacterError, InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from egov_planner.interchange import actions_csv, services_csv
from egov_planner.interchange.csv_common import MAX_CELL_CHARS, MAX_FILE_BYTES, Cell, normalise_header
from egov_planner.model.dates import DateError, british, parse_date
from egov_planner.model.errors import RowError
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.service.common import ImportSummary

if TYPE_CHECKING:
    from egov_planner.model.service import PlanService

ACTIONS, SERVICES, POSITION = "Actions", "Services", "Position"
DATE_FORMAT = "dd/mm/yyyy"
EXCEL_MAX_CHARS = 32_767  # the most an Excel cell holds; a longer text would be cut short there
_ACTION_DATES = frozenset({"start", "due", "completed_on", "expected", "external_expected"})
_ACTION_NUMBERS = frozenset({"percent_complete", "exempt"})
_SERVICE_DATES = frozenset({"enabled_on", "forecast", "external_expected"})
_SERVICE_NUMBERS = frozenset({"lgsl", "interaction"})
_DATES, _NUMBERS = _ACTION_DATES | _SERVICE_DATES, _ACTION_NUMBERS | _SERVICE_NUMBERS
# A column another part of the program may add to the actions CSV: read past it until it does.
_TOLERATED = frozenset({"revision_reason"}) - frozenset(actions_csv.COLUMNS)
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class WorkbookSummary(ImportSummary):
    """Both sheets of one workbook: the totals, and each sheet's own line."""

    parts: tuple[str, ...] = ()

    def describe(self) -> str:
        return "; ".join(self.parts)


# --- writing --------------------------------------------------------------------------------------------


def set_cell(sheet: Worksheet, row: int, column: int, value: Any, source: str, name: str) -> None:
    """One cell: a date as an Excel date shown dd/mm/yyyy, a number as a number, any text as text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        if len(value) > EXCEL_MAX_CHARS:
            raise RowError(
                source, row, name, f"holds {len(value):,} characters; an Excel cell holds at most {EXCEL_MAX_CHARS:,}"
            )
        try:
            cell.value = value
        except IllegalCharacterError:
            raise RowError(source, row, name, "holds a control character an Excel cell cannot store") from None
        cell.data_type = "s"  # a text beginning = + - @ stays text: Excel never runs it as a formula
        return
    cell.value = value
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT


def write_table(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    source: str,
    first_row: int = 1,
    filters: bool = True,
) -> int:
    """A bold, frozen header with filters, the rows under it and widths that fit; returns the row count."""
    for index, name in enumerate(header, start=1):
        set_cell(sheet, first_row, index, name, source, name)
        sheet.cell(row=first_row, column=index).font = _BOLD
    widths = [len(name) for name in header]
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            set_cell(sheet, first_row + count, index + 1, value, source, header[index])
            shown = 10 if isinstance(value, date) else len(str(value)) if value is not None else 0
            widths[index] = max(widths[index], min(shown, 60))  # a long description wraps, not a 300-wide column
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1).coordinate
    if filters:
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 3
    return count


def _typed(values: Sequence[str], header: Sequence[str], dates: frozenset[str], numbers: frozenset[str]) -> list[Any]:
    """The CSV's cells typed again: dates as dates, whole numbers as numbers, the rest as text."""
    typed: list[Any] = []
    for name, text in zip(header, values, strict=True):
        if text == "":
            typed.append(None)
        elif name in dates and ";" not in text:
            typed.append(parse_date(text))
        elif name in numbers and text.lstrip("-").isdigit():
            typed.append(int(text))
        else:
            typed.append(text)
    return typed


def write_workbook(path: Path, snapshot: PlanSnapshot, status_date: date, save: Callable[[Workbook], None]) -> int:
    """Actions, Services and a read-only Position as at status_date; returns the number of actions."""
    from egov_planner.model.rules import assess_plan

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = ACTIONS
    header: Sequence[str] = actions_csv.COLUMNS
    count = write_table(
        sheet,
        header,
        (_typed(r, header, _ACTION_DATES, _ACTION_NUMBERS) for r in actions_csv.action_rows(snapshot)),
        f"{path.name} sheet {ACTIONS}",
    )
    header = services_csv.COLUMNS
    write_table(
        book.create_sheet(SERVICES),
        header,
        (_typed(r, header, _SERVICE_DATES, _SERVICE_NUMBERS) for r in services_csv.service_rows(snapshot)),
        f"{path.name} sheet {SERVICES}",
    )
    position = book.create_sheet(POSITION)
    assessment = assess_plan(snapshot.facts(), status_date, snapshot.details.due_soon_days)
    position["A1"] = f"Position as at {british(status_date)} (read-only; not read on import)"
    position["A1"].font = _BOLD
    rows = []
    for action in snapshot.actions:
        judged = assessment.actions.get(action.id)
        if judged is None:
            continue
        flag = judged.flag.value.replace("_", " ") if judged.flag else ""
        rows.append(
            [action.ref, action.title, action.owner, action.due, judged.rag.value, flag, judged.forecast, judged.reason]
        )
    header = ("ref", "action", "owner", "due", "rag", "flag", "forecast", "reason")
    write_table(position, header, rows, f"{path.name} sheet {POSITION}", first_row=2, filters=False)
    position.protection.sheet = True  # read-only: the position is the program's, worked out again each time
    save(book)
    return count


# --- reading --------------------------------------------------------------------------------------------


def open_workbook(path: Path) -> Any:
    """The workbook, read-only (streamed); anything that is not a readable .xlsx is refused by name."""
    if not path.exists():
        raise RowError(str(path), None, None, "no such file")
    if path.is_dir():
        raise RowError(str(path), None, None, "is a folder, not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise RowError(path.name, None, None, "is too large to be a plan workbook (over 200 MB)")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        kind = (
            "an Excel 97-2003 workbook (.xls); in Excel use Save As 'Excel Workbook (.xlsx)'"
            if _is_xls(path)
            else (f"not an Excel workbook that can be read ({type(error).__name__})")
        )
        raise RowError(path.name, None, None, f"is {kind}") from None
    # Formulas are read apart from text: a typed '=SUM(' is text, while a real formula gives what Excel calculated.
    book.egov_calculated = _Calculated(path)
    return book


class _Calculated:
    """The values Excel saved with the formula cells, read from a data-only view of the same file, row by row.

    Opened only when a formula turns up; each sheet's rows are walked forward alongside the reader's, so a
    sheet full of formulas is read twice, never once per cell.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book: Any = None
        self._rows: dict[str, tuple[int, Iterator[tuple[Any, ...]], tuple[Any, ...]]] = {}

    def cell(self, cell: Any) -> Any | None:
        """The data-only twin of a formula cell (None when Excel saved no value with it)."""
        title = cell.parent.title
        at = self._rows.get(title)
        if at is None or at[0] > cell.row:  # a new pass over the sheet starts from its top again
            if self._book is None:
                self._book = load_workbook(self.path, read_only=True, data_only=True)
            sheet = self._book[title]
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            rows: Iterator[tuple[Any, ...]] = iter(sheet.iter_rows())
            at = (0, rows, ())
        number, rows, cells = at
        while number < cell.row:
            cells = next(rows, ())
            number += 1
        self._rows[title] = (number, rows, cells)
        return cells[cell.column - 1] if cell.column <= len(cells) else None

    def close(self) -> None:
        if self._book is not None:
            self._book.close()


def close_workbook(book: Any) -> None:
    book.close()
    calculated = getattr(book, "egov_calculated", None)
    if calculated is not None:
        calculated.close()


class UncalculatedFormula(RowError):
    """A formula saved with no value, by a program that does not calculate (openpyxl, some exporters)."""

    def __init__(self, source: str, row: int, column: str, formula: str) -> None:
        self.formula = formula
        super().__init__(source, row, column, _UNCALCULATED.format(what="value"))


_UNCALCULATED = "is a formula Excel has not calculated; type the {what} itself or open and save the workbook in Excel"


def _calculated(cell: Any) -> Any:
    """A formula cell's saved value as a data-only cell; UncalculatedFormula when Excel saved none with it."""
    calculated = getattr(cell.parent.parent, "egov_calculated", None)
    twin = calculated.cell(cell) if calculated is not None else None
    if twin is not None and (twin.value is not None or twin.data_type == "str"):
        return twin  # a value, or a text result that is empty (type str, no value)
    source = f"{calculated.path.name if calculated is not None else 'workbook'} sheet {cell.parent.title}"
    raise UncalculatedFormula(source, cell.row, get_column_letter(cell.column), str(cell.value))


def row_texts(
    cells: Iterable[Any], header: Sequence[str], dates: Collection[str], numbers: Collection[str]
) -> list[str]:
    """A row's cells as text. A formula with no saved value is refused in a date or number column; in a text
    column it is read as written, since openpyxl and its like store any text beginning '=' as a formula."""
    texts = []
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else ""
        try:
            texts.append(cell_text(cell))
        except UncalculatedFormula as error:
            if name in dates or name in numbers:
                what = "date" if name in dates else "number"
                raise RowError(error.source, error.row, name, _UNCALCULATED.format(what=what)) from None
            texts.append(error.formula.strip())
            continue
        if name in dates and getattr(cell, "data_type", None) == "f" and texts[-1].replace(".", "").isdigit():
            # =DATE(2026,2,27) in a cell left in General format saves the day's serial number, not a date
            with suppress(OverflowError, ValueError):  # no day at all: the date parser refuses it by row and column
                texts[-1] = from_excel(float(texts[-1]), cell.parent.parent.epoch).date().isoformat()
    return texts


def _is_xls(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def find_sheet(book: Any, name: str) -> Any | None:
    """A sheet by name, in any case (an officer may retype 'actions')."""
    for sheet in book.worksheets:
        if sheet.title.strip().lower() == name.lower():
            return sheet
    return None


def cell_text(cell: Any) -> str:
    """What a cell holds, as the CSV parsers read text: a real Excel date as an ISO date, 40% as 40."""
    if getattr(cell, "data_type", None) == "f":
        cell = _calculated(cell)
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()  # a time of day is no date: the parser refuses it by column
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            value = round(value * 100, 9)  # shown as 40%, stored as 0.4
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value).strip()


def sheet_cells(sheet: Any, source: str, known: Sequence[str], required: Sequence[str]) -> Iterator[Cell]:
    """Check the header row (any order, any case), then yield each non-blank row's cells by column name."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
    rows = sheet.iter_rows()
    first = next(rows, None)
    raw = row_texts(first, (), (), ()) if first is not None else []
    while raw and raw[-1] == "":
        raw.pop()
    if not raw:
        raise RowError(source, 1, None, "has no header row (the column names)")
    header = [normalise_header(name) for name in raw]
    accepted = set(known) | _TOLERATED
    for index, name in enumerate(header):
        if not name:
            raise RowError(source, 1, None, f"column {get_column_letter(index + 1)} has no name")
        if name not in accepted:
            raise RowError(source, 1, raw[index], f"unknown column (expected some of: {', '.join(known)})")
        if header.index(name) != index:
            raise RowError(source, 1, name, "this column appears twice")
    missing = [name for name in required if name not in header]
    if missing:
        raise RowError(source, 1, missing[0], "required column is missing")
    width = len(header)
    for number, cells in enumerate(rows, start=2):
        texts = row_texts(cells, header, _DATES, _NUMBERS)
        if not any(texts):
            continue
        for index, text in enumerate(texts):
            if index >= width and text:
                raise RowError(source, number, get_column_letter(index + 1), "holds a value under no column name")
            if len(text) > MAX_CELL_CHARS:
                limit = f"at most {MAX_CELL_CHARS:,}"
                raise RowError(source, number, header[index], f"this cell holds {len(text):,} characters; {limit}")
        texts += [""] * (width - len(texts))
        yield Cell(number, {name: texts[i] for i, name in enumerate(header) if name not in _TOLERATED})


def import_workbook(service: PlanService, path: Path, book: Any) -> tuple[str, ImportSummary]:
    """The Actions and/or Services sheets, parsed whole, then imported in one transaction."""
    actions_sheet, services_sheet = find_sheet(book, ACTIONS), find_sheet(book, SERVICES)
    if actions_sheet is None and services_sheet is None:
        names = ", ".join(s.title for s in book.worksheets)
        raise RowError(path.name, None, None, f"has no Actions or Services sheet (its sheets: {names})")
    # Named as the officer's workbook spells them ('ACTIONS'), so the message points at the right tab.
    action_source = f"{path.name} sheet {actions_sheet.title if actions_sheet is not None else ACTIONS}"
    service_source = f"{path.name} sheet {services_sheet.title if services_sheet is not None else SERVICES}"
    actions = (
        actions_csv.parse_actions(
            path,
            cells=sheet_cells(actions_sheet, action_source, actions_csv.COLUMNS, actions_csv.REQUIRED),
            source=action_source,
        )
        if actions_sheet is not None and _has_rows(actions_sheet)
        else []
    )
    services = (
        services_csv.parse_services(
            path,
            cells=sheet_cells(services_sheet, service_source, services_csv.COLUMNS, services_csv.REQUIRED),
            source=service_source,
        )
        if services_sheet is not None and _has_rows(services_sheet)
        else []
    )
    if not actions and not services:
        raise RowError(path.name, None, None, "its Actions and Services sheets hold no rows")
    try:
        done_actions, done_services = service.import_workbook(actions, services, action_source, service_source)
    except RowError as error:  # the model names a service's field; the officer wants the column
        if error.source == service_source:
            raise RowError(error.source, error.row, services_csv.column_of(error.column), error.message) from None
        raise
    parts = []
    if done_actions is not None:
        parts.append(f"actions: {done_actions.describe()}")
    if done_services is not None:
        parts.append(f"services: {done_services.describe()}")
    done = [d for d in (done_actions, done_services) if d is not None]
    kind = " and ".join(k for k, d in (("actions", done_actions), ("services", done_services)) if d is not None)
    summary = WorkbookSummary(
        added=sum(d.added for d in done),
        updated=sum(d.updated for d in done),
        dependencies=sum(d.dependencies for d in done),
        created_objectives=[r for d in done for r in d.created_objectives],
        created_people=[p for d in done for p in d.created_people],
        renamed_objectives=[r for d in done for r in d.renamed_objectives],
        parts=tuple(parts),
    )
    return kind, summary


def _has_rows(sheet: Any) -> bool:
    """A sheet with only a header (or nothing) is skipped when the other sheet has rows."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > 1 and any(row_texts(cells, (), (), ())):
            return True
    return False


def parse_date_cell(text: str, source: str, row: int, column: str) -> date | None:
    """A date cell's text (a real Excel date arrives as ISO): None when blank, else refused by row and column."""
    if not text:
        return None
    try:
        return parse_date(text)
    except DateError as error:
        raise RowError(source, row, column, str(error)) from None
