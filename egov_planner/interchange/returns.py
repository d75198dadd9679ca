"""Owners' returns: one workbook per owner listing their open actions, and reading a returned one. No Qt.

Only status, percent complete, completed date, expected date and a progress note
are unlocked; the sheet is protected and each editable column validated. A very
hidden sheet records the plan's id and each action's version and fingerprint as
written, so a return over work changed since is refused (model/service/returns.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from egov_planner.interchange.actions_csv import STATUS_WORDS
from egov_planner.interchange.workbook import (
    cell_text,
    find_sheet,
    parse_date_cell,
    row_texts,
    set_cell,
    write_table,
)
from egov_planner.model.dates import FIRST_DATE, LAST_DATE, british
from egov_planner.model.errors import RowError
from egov_planner.model.import_rows import ReturnImportRow
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.service.returns import ReturnSummary, action_fingerprint
from egov_planner.model.tables import ActionStatus

if TYPE_CHECKING:
    from egov_planner.model.service import PlanService

SHEET = "Your actions"
ABOUT = "About"
HIDDEN = "egov_return"  # very hidden: Excel shows it only to a macro, never in Unhide
MARK = "egov-planner owner's return"
COLUMNS = (
    "ref",
    "action",
    "due",
    "forecast",
    "flag",
    "status",
    "percent_complete",
    "completed_on",
    "expected",
    "progress_note",
)
EDITABLE = ("status", "percent_complete", "completed_on", "expected", "progress_note")
_DATES = ("due", "forecast", "completed_on", "expected")
OPEN = (ActionStatus.NOT_STARTED.value, ActionStatus.IN_PROGRESS.value)
_STATUS_SHOWN = tuple(s.value.replace("_", " ") for s in ActionStatus)
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True, slots=True)
class ReturnsWritten:
    files: list[Path]
    actions: int  # open actions listed, across every workbook
    unowned: int  # open actions with no owner, in no workbook


def safe_file_name(owner: str) -> str:
    """An owner's name as a file name any system accepts ('J/Smith' -> 'J_Smith')."""
    name = _UNSAFE.sub("_", owner).strip(" .")[:80].strip(" .")
    if not name or name.lower().split(".")[0] in _RESERVED:
        name = f"_{name}"
    return name


def write_returns(
    snapshot: PlanSnapshot, plan_id: str, folder: Path, as_of: date, save: Callable[[Workbook, Path], None]
) -> ReturnsWritten:
    """One workbook per owner of open actions: FOLDER/<owner>.xlsx."""
    from egov_planner.model.rules import assess_plan

    assessment = assess_plan(snapshot.facts(), as_of, snapshot.details.due_soon_days)
    by_owner: dict[str, list[Any]] = defaultdict(list)
    unowned = 0
    for action in snapshot.actions:
        if action.status not in OPEN:
            continue
        if not action.owner:
            unowned += 1
            continue
        by_owner[action.owner].append(action)
    files: list[Path] = []
    taken: set[str] = set()
    for owner in sorted(by_owner, key=str.casefold):
        stem = safe_file_name(owner)
        number = 2
        while stem.casefold() in taken:  # two names made the same by safe_file_name
            stem = f"{safe_file_name(owner)} ({number})"
            number += 1
        taken.add(stem.casefold())
        target = folder / f"{stem}.xlsx"
        save(_owner_book(snapshot, plan_id, owner, by_owner[owner], as_of, assessment, target.name), target)
        files.append(target)
    return ReturnsWritten(files, sum(len(v) for v in by_owner.values()), unowned)


def _owner_book(
    snapshot: PlanSnapshot, plan_id: str, owner: str, actions: list[Any], as_of: date, assessment: Any, name: str
) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    rows = []
    for action in actions:
        judged = assessment.actions.get(action.id)
        flag = judged.flag.value.replace("_", " ") if judged is not None and judged.flag else ""
        rows.append(
            [
                action.ref,
                action.title,
                action.due,
                judged.forecast if judged is not None else None,
                flag,
                action.status.replace("_", " "),
                action.percent_complete,
                action.completed_on,
                action.expected,
                None,
            ]
        )
    count = write_table(sheet, COLUMNS, rows, f"{name} sheet {SHEET}", filters=False)
    last = count + 1
    for column in EDITABLE:
        letter = chr(ord("A") + COLUMNS.index(column))
        for row in range(2, last + 1):
            sheet[f"{letter}{row}"].protection = Protection(locked=False)
    note = chr(ord("A") + COLUMNS.index("progress_note"))
    sheet.column_dimensions[note].width = 60
    for row in range(2, last + 1):
        sheet[f"{note}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    _validate(sheet, last)
    sheet.protection.sheet = True  # only the unlocked cells take typing
    sheet.protection.formatRows = False  # an owner may still make a row taller for a long note

    about = book.create_sheet(ABOUT)
    lines = [
        (f"Return for {owner}", None),
        ("Plan", snapshot.details.title or snapshot.details.authority),
        ("Position as at", as_of),
        ("What to do", "On the first sheet update status, percent complete, the completed date (when complete),"),
        ("", "your expected completion date (when later than due) and a short progress note; save and send it back."),
        ("", "Other cells are locked. Do not add or remove rows; the office imports the file as it is."),
    ]
    for index, (label, value) in enumerate(lines, start=1):
        set_cell(about, index, 1, label, name, "A")
        if value is not None:
            set_cell(about, index, 2, value, name, "B")
    about.column_dimensions["A"].width = 18
    about.protection.sheet = True

    hidden = book.create_sheet(HIDDEN)
    hidden.sheet_state = "veryHidden"
    meta = [MARK, plan_id, owner, as_of.isoformat(), snapshot.details.title or ""]
    for index, text in enumerate(meta, start=1):
        set_cell(hidden, 1, index, text, name, HIDDEN)
    for row, action in enumerate(actions, start=2):
        # Each action as written: a return over an action changed since is refused (model/service/returns.py).
        for index, value in enumerate((action.ref, action.id, action.version, action_fingerprint(action)), start=1):
            set_cell(hidden, row, index, value, name, HIDDEN)
    hidden.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)  # no unhiding, renaming or adding sheets
    return book


def _validate(sheet: Any, last: int) -> None:
    """A drop-down for status, 0-100 for percent and real dates for the two date columns."""

    def column(name: str) -> str:
        letter = chr(ord("A") + COLUMNS.index(name))
        return f"{letter}2:{letter}{max(last, 2)}"

    status = DataValidation(type="list", formula1=f'"{",".join(_STATUS_SHOWN)}"', allow_blank=True)
    status.error, status.errorTitle = f"Choose one of: {', '.join(_STATUS_SHOWN)}", "Status"
    percent = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True)
    percent.error, percent.errorTitle = "A whole number from 0 to 100", "Percent complete"
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({FIRST_DATE.year},{FIRST_DATE.month},{FIRST_DATE.day})",
        formula2=f"DATE({LAST_DATE.year},{LAST_DATE.month},{LAST_DATE.day})",
        allow_blank=True,
    )
    dates.error, dates.errorTitle = "A date, e.g. 31/05/2004", "Date"
    for validation in (status, percent, dates):
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    status.add(column("status"))
    percent.add(column("percent_complete"))
    dates.add(column("completed_on"))
    dates.add(column("expected"))


# --- reading a returned workbook -------------------------------------------------------------------------


def is_returns_workbook(book: Any) -> bool:
    sheet = find_sheet(book, HIDDEN)
    if sheet is None:
        return False
    first: list[Any] = list(next(sheet.iter_rows(max_row=1), []))
    return bool(first) and cell_text(first[0]) == MARK


def import_returns(service: PlanService, path: Path, book: Any) -> ReturnSummary:
    """Apply a returned workbook: refused whole for another plan's workbook or any row changed since."""
    source = path.name
    record = find_sheet(book, HIDDEN)
    assert record is not None  # is_returns_workbook said so
    hidden = list(record.iter_rows())
    meta = [cell_text(c) for c in hidden[0]] + [""] * 5
    plan_id, owner, as_of_text, title = meta[1], meta[2], meta[3], meta[4]
    if plan_id != (service.store.meta("plan_id") or ""):
        named = f"'{title}'" if title else "another plan"
        raise RowError(
            source, None, None, f"is an owner's return written from {named}, not from this plan; nothing was imported"
        )
    as_of = parse_date_cell(as_of_text, source, 1, "as of")
    assert as_of is not None
    written: dict[str, tuple[int, int, str]] = {}
    for cells in hidden[1:]:
        values = [cell_text(c) for c in cells]
        if len(values) >= 4 and values[0]:
            if not (values[1].isdigit() and values[2].isdigit()):
                raise RowError(source, None, None, "its record of the actions as written is damaged; send a new one")
            written[values[0]] = (int(values[1]), int(values[2]), values[3])
    sheet = find_sheet(book, SHEET) or book.worksheets[0]
    where = f"{source} sheet {sheet.title}"
    rows = list(sheet.iter_rows())
    header = [text.lower().replace(" ", "_") for text in row_texts(rows[0], (), (), ())] if rows else []
    for name in ("ref", *EDITABLE):
        if name not in header:
            raise RowError(where, 1, name, "required column is missing (send the owner a new workbook)")
    at = {name: header.index(name) for name in ("ref", *EDITABLE)}
    parsed: list[ReturnImportRow] = []
    for number, cells in enumerate(rows[1:], start=2):
        values = row_texts(cells, header, _DATES, ("percent_complete",)) + [""] * len(header)
        ref = values[at["ref"]]
        if not ref:
            continue
        if ref not in written:
            raise RowError(where, number, "ref", f"{ref} was not in this workbook as it was written")
        action_id, version, fingerprint = written[ref]
        status_text = values[at["status"]]
        key = "_".join(status_text.lower().replace("-", " ").split())
        percent_text = values[at["percent_complete"]].rstrip("%").strip()
        if percent_text and not percent_text.lstrip("-").isdigit():
            raise RowError(where, number, "percent_complete", f"'{percent_text}' is not a whole number")
        parsed.append(
            ReturnImportRow(
                row=number,
                action_ref=ref,
                action_id=action_id,
                version=version,
                fingerprint=fingerprint,
                status=STATUS_WORDS.get(key, status_text) if status_text else None,
                percent_complete=int(percent_text) if percent_text else None,
                completed_on=parse_date_cell(values[at["completed_on"]], where, number, "completed_on"),
                expected=parse_date_cell(values[at["expected"]], where, number, "expected"),
                note=values[at["progress_note"]],
            )
        )
    if not parsed:
        raise RowError(where, None, None, "lists no actions")
    return service.apply_returns(parsed, owner, as_of, where)


def describe_written(result: ReturnsWritten, folder: Path, as_of: date) -> str:
    """The line the command and the window show."""
    books = len(result.files)
    text = (
        f"Wrote {books} owner's return workbook{'s' if books != 1 else ''} "
        f"({result.actions} open actions, as at {british(as_of)}) to {folder}"
    )
    if result.unowned:
        have, are = ("s have", "are") if result.unowned != 1 else (" has", "is")
        text += f"; {result.unowned} open action{have} no owner and {are} in none"
    return text


def save_returns(snapshot: PlanSnapshot, plan_id: str, folder: Path, as_of: date) -> ReturnsWritten:
    """write_returns into folder (made when its parent exists), each workbook written whole or not at all."""
    from egov_planner.model.safe_files import atomic_path

    if folder.exists() and not folder.is_dir():
        raise RowError(str(folder), None, None, "is a file, not a folder")
    if not folder.exists():
        if not folder.parent.is_dir():  # never invent a tree of folders: a mistyped path must say so
            raise RowError(str(folder), None, None, f"cannot be made: the folder {folder.parent} does not exist")
        folder.mkdir()

    def save(book: Workbook, target: Path) -> None:
        with atomic_path(target) as temp:
            book.save(temp)

    return write_returns(snapshot, plan_id, folder, as_of, save)
