"""What the actions and services CSVs share: reading text safely, headers, cells, dates.

Rows are numbered as a spreadsheet numbers them (the header is row 1), so an
officer can go straight to the cell an error names.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from egov_planner.model.dates import DateError, british, parse_date
from egov_planner.model.errors import RowError

# Cells starting with these are formulas to a spreadsheet program: export
# prefixes them with an apostrophe, import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_FILE_BYTES = 200 * 1024 * 1024
# A cell longer than this is refused by row and column (about 30 pages of text): no title or note is.
MAX_CELL_CHARS = 100_000
# The csv module's own limit (128 KB) fails with no column and on the wrong row; let it read any
# cell a file under the size cap can hold, and refuse long cells ourselves, by name.
csv.field_size_limit(MAX_FILE_BYTES)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def make_cell_safe(text: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula (and a leading apostrophe, to round-trip)."""
    if text.startswith(FORMULA_STARTS) or text.startswith("'"):
        return "'" + text
    return text


def undo_cell_safe(text: str) -> str:
    """Reverse make_cell_safe."""
    if len(text) >= 2 and text[0] == "'" and (text[1] in "'" or text[1:].startswith(FORMULA_STARTS)):
        return text[1:]
    return text


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class Cell:
    """One row's cells by column name, and where they came from."""

    row: int
    values: dict[str, str]


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (a BOM is accepted); anything else is refused by name."""
    if not path.exists():
        raise RowError(str(path), None, None, "no such file")
    if path.is_dir():
        raise RowError(str(path), None, None, "is a folder, not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise RowError(path.name, None, None, "is too large to be a plan CSV (over 200 MB)")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise RowError(
            path.name,
            None,
            None,
            "is a spreadsheet workbook (.xlsx), not a text file; in Excel use Save As 'CSV UTF-8'",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise RowError(
            path.name,
            None,
            None,
            "is an Excel 97-2003 workbook (.xls), not a text file; in Excel use Save As 'CSV UTF-8'",
        )
    for bom, codec, name in _BOMS:
        if data.startswith(bom):  # Excel's "Unicode text" and Notepad's "Unicode" are UTF-16 with a BOM
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise RowError(
                    path.name, None, None, f"is damaged {name} text; in Excel use Save As 'CSV UTF-8'"
                ) from None
            break
    else:
        head = data[:4096]
        if len(head) >= 16 and min(head[1::4].count(0), head[2::4].count(0)) * 16 >= len(head) * 3:
            # The middle two bytes of each four zero: UTF-32, whose BOM-less form is no more certain.
            raise RowError(
                path.name,
                None,
                None,
                "looks like UTF-32 text without a byte order mark; in Excel use Save As 'CSV UTF-8'",
            )
        if len(head) >= 8 and max(head[0::2].count(0), head[1::2].count(0)) * 4 >= len(head):
            # Every other byte zero: UTF-16 without a BOM, which cannot be read for sure.
            raise RowError(
                path.name,
                None,
                None,
                "looks like UTF-16 text without a byte order mark; in Excel use Save As 'CSV UTF-8'",
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise RowError(
                path.name,
                None,
                None,
                f"is not UTF-8 text (line {line}); in Excel use Save As 'CSV UTF-8'",
            ) from None
    if "\x00" in text:
        _refuse_nul(text, path.name)
    return text


def _refuse_nul(text: str, source: str) -> None:
    """Name the row and column of the first NUL character (stored, it would hide inside a ref or title)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    for row_number, raw in enumerate(reader, start=1):
        if row_number == 1:
            header = [normalise_header(name) for name in raw]
        for index, value in enumerate(raw):
            if "\x00" in value:
                column = header[index] if row_number > 1 and index < len(header) and header[index] else ""
                raise RowError(
                    source,
                    row_number,
                    column or f"{index + 1}",
                    "holds a NUL character (a zero byte), which a plan cannot store; remove it",
                )
    raise RowError(source, None, None, "holds a NUL character (a zero byte), which a plan cannot store; remove it")


def _check_separator(raw_header: list[str], source: str) -> None:
    """A spreadsheet saved with ';' or tabs between columns gives one long header cell."""
    if len(raw_header) == 1:
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if separator in raw_header[0]:
                raise RowError(source, 1, None, f"its columns are separated by {name}; save it as CSV with commas")


def read_header(text: str, source: str) -> list[str]:
    """The normalised header names of a CSV text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RowError(source, None, None, "is empty") from None
    except csv.Error as error:
        raise RowError(source, 1, None, f"cannot be read as CSV ({error})") from None
    _check_separator(header, source)
    return [normalise_header(name) for name in header]


def iterate_rows(text: str, source: str, known: Sequence[str], required: Sequence[str]) -> Iterator[Cell]:
    """Check the header, then yield each non-blank row's cells (stripped, made unsafe again)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_header = next(reader)
    except StopIteration:
        raise RowError(source, None, None, "is empty") from None
    _check_separator(raw_header, source)
    header = [normalise_header(name) for name in raw_header]
    while header and header[-1] == "":
        header.pop()  # trailing empty columns a spreadsheet may add
    for index, name in enumerate(header):
        if not name:
            raise RowError(source, 1, None, f"column {index + 1} has no name")
        if name not in known:
            raise RowError(
                source, 1, raw_header[index].strip(), f"unknown column (expected some of: {', '.join(known)})"
            )
        if header.index(name) != index:
            raise RowError(source, 1, name, "this column appears twice")
    missing = [name for name in required if name not in header]
    if missing:
        raise RowError(source, 1, missing[0], "required column is missing")
    width = len(header)
    row_number = 1
    try:
        for raw in reader:
            row_number += 1
            cells = [c.strip() for c in raw]
            if not any(cells):
                continue
            if max(map(len, cells)) > MAX_CELL_CHARS:
                index = next(i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS)
                name = header[index] if index < width else f"{index + 1}"
                raise RowError(
                    source,
                    row_number,
                    name,
                    f"this cell holds {len(cells[index]):,} characters; a cell can hold at most {MAX_CELL_CHARS:,}",
                )
            if len(cells) > width and any(cells[width:]):
                raise RowError(source, row_number, None, f"has {len(cells)} cells but the header has {width} columns")
            cells += [""] * (width - len(cells))
            yield Cell(row_number, {name: undo_cell_safe(cells[i]) for i, name in enumerate(header)})
    except csv.Error as error:  # raised while reading the row after the last one yielded
        raise RowError(source, row_number + 1, None, f"cannot be read as CSV ({error})") from None


def cell_date(cell: Cell, column: str, source: str) -> date | None:
    text = cell.values.get(column, "")
    if not text:
        return None
    try:
        return parse_date(text)
    except DateError as error:
        raise RowError(source, cell.row, column, str(error)) from None


def cell_int(cell: Cell, column: str, source: str) -> int | None:
    """A whole number ('40%' is 40); its range is the import's check, the same as an edit's."""
    text = cell.values.get(column, "").rstrip("%").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise RowError(source, cell.row, column, f"'{cell.values[column]}' is not a whole number") from None


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """UTF-8 with a BOM (so Excel reads Welsh and Polish names right), written atomically."""
    from egov_planner.model.safe_files import atomic_path

    with atomic_path(path) as temp, open(temp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([make_cell_safe(value) for value in row])


def date_cell(value: date | None) -> str:
    return british(value)
