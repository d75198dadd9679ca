"""Every table in a pack: light rules, a header row repeated on each page, and rows that always fit.

reportlab raises LayoutError when one row is taller than a page (a
20,000-character note). Rows are therefore measured before the table is made,
and any text too tall for a page is cut, with Paragraph.split, into pieces
carried on continuation rows labelled "(continued)", so a long note flows over
as many pages as it needs while every other row stays whole.

A long table is laid out a page at a time (PagedTable): reportlab splits a
Table by rebuilding the rest of it, rows and style commands, once per page,
which made a 4,000-row table quadratic (an 8,000-action pack took minutes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table

from egov_planner.reports.fonts import REGULAR
from egov_planner.reports.styles import HEADER_FILL, MUTED, RULE, RULE_DARK, styles
from egov_planner.reports.text import Markup, esc

PAD_X = 3.5
PAD_TOP = 3.0
PAD_BOTTOM = 3.5
_TALL = 1e7
# A cell up to this many times the tallest row is cut by Paragraph.split; a taller one by chunks.
_FEW_PIECES = 4
# Rows given to reportlab at a time: more than a page of the shortest rows, few enough to stay cheap.
PAGE_ROWS = 48


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: markup made with esc(), an optional style and fill colour."""

    markup: Markup
    style: ParagraphStyle | None = None
    fill: colors.Color | None = None


# What a table cell may be given: a Cell, user text (escaped here), Markup, or None for empty.
CellValue = object


class WideRow(list[CellValue]):
    """A row whose cell at `start` spans every column to its right (the long text under an action).

    It stays on the page of the row above it: they are one record.
    """

    def __init__(self, values: Sequence[CellValue], start: int = 1) -> None:
        super().__init__(values)
        self.start = start


class CellParagraph(Paragraph):
    """A Paragraph that remembers its line breaking for the width it was last wrapped to.

    reportlab wraps every table cell at least twice with the same width -- to
    size its row, again to draw it, and again in each piece of a table split
    across pages -- and line breaking is most of the cost of a long pack.
    Breaking lines does not depend on the height offered, so it is reused.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        if getattr(self, "_wrapped_width", None) == availWidth:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return width, height


def cell(text: object, style: ParagraphStyle | None = None, fill: colors.Color | None = None) -> Cell:
    """A cell holding user text (escaped here) or Markup (kept as it is)."""
    markup = text if isinstance(text, Markup) else esc("" if text is None else text)
    return Cell(markup, style, fill)


def _as_cell(value: CellValue) -> Cell:
    return value if isinstance(value, Cell) else cell(value)


def _upper_bound_height(markup: str, style: ParagraphStyle, width: float) -> float:
    """A cheap height no paragraph of this markup can exceed (no glyph is wider than 1 em)."""
    per_line = max(1, int(width // style.fontSize))
    lines = markup.count("<br/>") + 1 + math.ceil(len(markup) / per_line)
    return lines * style.leading


_TOKENS = re.compile(r"<[^>]*>|&[^;\s<]*;|\s+|[^<&\s]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z]+)")


def split_markup(markup: str, target: int, line_chars: int) -> list[Markup]:
    """Cut markup into chunks of about target characters, between words where there are any.

    Only the pack's own tags can occur (user text is escaped by esc()), so a
    cut outside a tag or entity is safe; tags open at a cut are closed at the
    end of the chunk and opened again at the start of the next. A <br/> counts
    as a whole line of characters.
    """
    chunks: list[Markup] = []
    current: list[str] = []
    size = 0
    open_tags: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal current, size
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        chunks.append(Markup("".join(current) + closing))
        current = [tag for _, tag in open_tags]
        size = 0

    for token in _TOKENS.findall(markup):
        if token.startswith("<") and len(token) > 1:
            match = _TAG_NAME.match(token)
            name = match.group(1).lower() if match else ""
            if token.startswith("</"):
                if open_tags and open_tags[-1][0] == name:
                    open_tags.pop()
            elif token.endswith("/>"):
                current.append(token)
                size += line_chars  # <br/>: a line of its own
                if size >= target:
                    flush()
                continue
            else:
                open_tags.append((name, token))
            current.append(token)
            continue
        if token.isspace():
            current.append(token)  # kept, so chunks joined again read as the original
            size += 1
            if size >= target:
                flush()
            continue
        length = 1 if token.startswith("&") else len(token)  # an entity prints as one character
        if size and size + length > target:
            flush()
        if length <= target:
            current.append(token)
            size += length
            continue
        # A word longer than a whole chunk (a 300-character code): cut it anywhere.
        for start in range(0, len(token), target):
            part = token[start : start + target]
            if size and size + len(part) > target:
                flush()
            current.append(part)
            size += len(part)
    if any(not t.startswith("<") for t in current) or not chunks:
        flush()
    return chunks


def _without_leading_break(piece: Flowable, width: float) -> Flowable:
    """The piece without an empty first line.

    Paragraph.split can leave the <br/> that ended the first part's last line
    at the start of the second part, where it prints as an empty line.
    """
    piece.wrap(width, _TALL)
    para = getattr(piece, "blPara", None)
    lines = getattr(para, "lines", None)
    if getattr(para, "kind", 0) == 1 and lines and getattr(lines[0], "wordCount", 1) == 0 and len(piece.frags) > 1:
        return type(piece)(None, piece.style, frags=piece.frags[1:])
    return piece


def _pieces(paragraph: Paragraph, width: float, limit: float) -> list[Flowable]:
    """The paragraph cut into pieces no taller than limit (just itself when it fits).

    One wrap of the whole text tells roughly how many characters fit in limit.
    The text is cut into small chunks (an eighth of that), and each piece takes
    as many chunks as fit, checked by wrapping the piece alone -- so a
    20,000-character note costs a few wraps per piece, never one of the whole
    remaining text per page (which made long notes quadratic).
    """
    _, height = paragraph.wrap(width, _TALL)
    if height <= limit:
        return [paragraph]
    if height <= _FEW_PIECES * limit:
        # A few pieces' worth (an action with twenty dependencies): reportlab cuts it between lines,
        # reusing its line breaking -- much cheaper than re-parsing chunks, and never quadratic here.
        pieces: list[Flowable] = []
        rest: Flowable = paragraph
        while rest.wrap(width, _TALL)[1] > limit:
            parts = rest.split(width, limit)
            if len(parts) != 2:
                break  # cannot happen at sane widths: cut by chunks instead
            pieces.append(parts[0])
            rest = _without_leading_break(parts[1], width)
        else:
            return [*pieces, rest]
    style = paragraph.style
    markup = paragraph.text if isinstance(paragraph.text, str) else ""
    line_chars = max(1, int(width / (style.fontSize * 0.55)))
    weighted = len(markup) + markup.count("<br/>") * line_chars
    per_piece = max(8, int(weighted * limit / height))
    chunks = split_markup(markup, max(4, per_piece // 8), line_chars)
    pieces = []
    start = 0
    guess = 8
    while start < len(chunks):
        take = min(guess, len(chunks) - start)
        while True:
            piece = CellParagraph(Markup("".join(chunks[start : start + take])), style)
            if take == 1 or piece.wrap(width, _TALL)[1] <= limit:
                break
            take -= max(1, take // 8)
        if take == 1 and piece.wrap(width, _TALL)[1] > limit:
            piece = CellParagraph(Markup(chunks[start]), style)  # one chunk too tall: cannot happen at sane widths
        pieces.append(piece)
        start += take
        guess = max(take, 2)
    return pieces


Row = list[Flowable | str]  # a table row: one entry a column (empty once its page is made)
Fills = list[tuple[int, colors.Color]]  # (column, colour) of the cells of one row that are filled


@dataclass(frozen=True, slots=True)
class Line:
    """One table row as made: its cells, filled cells, the column a wide cell spans from, and whether
    it belongs to the record above (a wide row: no page break before it)."""

    row: Row
    fills: Fills
    span: int | None = None
    joined: bool = False
    tall: bool = False  # part of a row cut into pieces: it already runs over pages, so no record rule holds it


@dataclass(frozen=True, slots=True)
class _RowMaker:
    """Turns one row of cell values into table rows: one, or more when a cell is too tall for a page."""

    column_styles: list[ParagraphStyle]
    inner: list[float]  # each column's width inside its padding
    limit: float  # the tallest a row may be
    continued: str
    continued_style: ParagraphStyle

    def __call__(self, row: Sequence[CellValue]) -> list[Line]:
        cells = [_as_cell(v) for v in row]
        paragraphs = [CellParagraph(c.markup, c.style or self.column_styles[i]) for i, c in enumerate(cells)]
        fills = [(column, c.fill) for column, c in enumerate(cells) if c.fill is not None]
        inner, limit = list(self.inner), self.limit
        span = row.start if isinstance(row, WideRow) else None
        if span is not None:
            # The wide cell wraps to the width of every column it spans (their padding between included).
            inner[span] = sum(self.inner[span:]) + 2 * PAD_X * (len(self.inner) - span - 1)
            for i in range(span + 1, len(inner)):
                paragraphs[i] = CellParagraph(Markup(""), self.column_styles[i])
        tall = [
            i
            for i, (c, p) in enumerate(zip(cells, paragraphs, strict=True))
            if _upper_bound_height(c.markup, p.style, inner[i]) > limit and p.wrap(inner[i], _TALL)[1] > limit
        ]
        if not tall:
            return [Line(list(paragraphs), fills, span, span is not None)]
        columns: list[list[Flowable]] = [
            _pieces(p, inner[i], limit) if i in tall else [p] for i, p in enumerate(paragraphs)
        ]
        lines: list[Line] = []
        for piece in range(max(len(c) for c in columns)):
            line: Row = []
            for i, pieces in enumerate(columns):
                if piece < len(pieces):
                    line.append(pieces[piece])
                elif piece and i == 0 and span != 0:
                    line.append(CellParagraph(cells[0].markup + Markup(f"<br/>{self.continued}"), self.continued_style))
                else:
                    line.append("")
            # The fill marks the row's first line only; a wide row's first line keeps to the row above.
            lines.append(Line(line, fills if piece == 0 else [], span, span is not None and piece == 0, True))
        return lines


class _TableRows:
    """A long table's rows, shared by its pages: made from the cell values a page ahead, measured once,
    and let go of once their page is made, so a long table holds about a page of paragraphs at a time."""

    def __init__(
        self,
        header: Row,
        source: list[Sequence[CellValue] | None],
        make: _RowMaker,
        widths: list[float],
        commands: list[tuple[object, ...]],
        page_height: float,
    ) -> None:
        self.header, self.source, self.make, self.widths, self.commands = header, source, make, widths, commands
        self.page_height = page_height
        self.made = 0  # rows of source turned into table rows so far
        self.rows: list[Row] = []
        self.fills: list[Fills] = []
        self.spans: list[int | None] = []
        self.joined: list[bool] = []
        self.header_height = 0.0
        self.heights: list[float] = []
        self.released = 0  # table rows before this are on pages already made

    def has(self, index: int) -> bool:
        """True when the table has a row index (making rows up to it)."""
        while len(self.rows) <= index and self.made < len(self.source):
            values = self.source[self.made]
            self.source[self.made] = None  # its table rows replace it
            self.made += 1
            for line in self.make(values or []):
                self.rows.append(line.row)
                self.fills.append(line.fills)
                self.spans.append(line.span)
                self.joined.append(line.joined)
        return index < len(self.rows)

    def height(self, index: int) -> float:
        """Row index's height, as reportlab sizes it (measured PAGE_ROWS rows at a time)."""
        while len(self.heights) <= index:
            done = len(self.heights)
            self.has(done + PAGE_ROWS - 1)
            probe = self.table(done, min(len(self.rows), done + PAGE_ROWS), measured=False)
            probe.wrap(sum(self.widths), _TALL)
            self.header_height = probe._rowHeights[0]
            self.heights += probe._rowHeights[1:]
        return self.heights[index]

    def records_from(self, index: int) -> int:
        """How many records start at or after row index, counting those not made yet."""
        return _records(self.joined, index, None) + len(self.source) - self.made

    def release(self, end: int) -> None:
        """Let go of rows before end: their page holds them."""
        for index in range(self.released, end):  # (heights, spans and flags stay: they are small)
            self.rows[index] = []
        self.released = max(self.released, end)

    def table(self, start: int, end: int, *, measured: bool = True) -> Table:
        """A Table of the header and rows start to end (with their known heights when measured)."""
        commands = list(self.commands)
        for offset, fills in enumerate(self.fills[start:end], start=1):
            commands += [("BACKGROUND", (column, offset), (column, offset), fill) for column, fill in fills]
        for offset, span in enumerate(self.spans[start:end], start=1):
            if span is not None:
                commands.append(("SPAN", (span, offset), (-1, offset)))
        heights = [self.header_height, *self.heights[start:end]] if measured else None
        table = Table(
            [self.header, *self.rows[start:end]], colWidths=self.widths, rowHeights=heights, repeatRows=1, hAlign="LEFT"
        )
        table.setStyle(commands)
        return table


class PagedTable(Flowable):
    """A table with a header row, laid out a page at a time.

    Each page is a plain reportlab Table of the header and the rows that fit,
    broken where Table.split would break it (so pages look as one big Table's
    would: header repeated, no row cut); the rest stays cell values until its
    page comes. Each row is made and measured once and each page costs only its
    own rows, so a pack's time is linear in its rows.
    """

    def __init__(self, rows: _TableRows, start: int = 0) -> None:
        super().__init__()
        self.table_rows, self.start = rows, start
        self.hAlign = "LEFT"

    def _fit(self, height: float) -> tuple[int, float]:
        """(rows, height): how many rows from start fit under the header in height, and their height
        (plus one more row when they do not all fit, so the height shows the overflow)."""
        rows = self.table_rows
        rows.height(self.start)  # measuring a row measures the header too
        total, end = rows.header_height, self.start
        while rows.has(end):
            row = rows.height(end)
            if total + row > height:
                return end - self.start, total + row
            total += row
            end += 1
        return end - self.start, total

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        self.width = sum(self.table_rows.widths)
        _, self.height = self._fit(availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # Table.split's rule, on known heights: break before the first row that would overflow,
        # but never inside a record (an action and its wide row) nor leaving one record alone.
        taken, _ = self._fit(availHeight)
        if taken == 0:
            return []  # not even one row fits under the header here: the frame moves on
        rows = self.table_rows
        end = self.start + taken
        good = end
        while good > self.start and good < len(rows.joined) and rows.joined[good]:
            good -= 1
        if self.start == 0 and good > 0 and _records(rows.joined, 0, good) < 2:
            good = 0  # one record alone at the foot of a page: start the table on the next
        if good > self.start and rows.has(good) and rows.records_from(good) < 2:
            # the last record would stand alone on the next page: take one record across with it
            back = good - 1
            while back > self.start and rows.joined[back]:
                back -= 1
            if back > self.start:
                good = back
        if good == self.start and availHeight < rows.page_height * 0.9:
            return []  # the frame moves on; on a fresh page the rule gives way rather than fail
        end = good if good > self.start else end
        # The page before this one is made and laid out: nothing will ask for its rows again.
        self.table_rows.release(self.start)
        page = self.table_rows.table(self.start, end)
        if not self.table_rows.has(end):
            return [page]
        return [page, PagedTable(self.table_rows, end)]

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
        # Only reached when the rest fits where it is (wrap made all of it).
        table = self.table_rows.table(self.start, len(self.table_rows.rows))
        table.wrap(self.width, _TALL)
        table.drawOn(canvas, x, y, _sW)


def _records(joined: list[bool], start: int, end: int | None) -> int:
    """How many records (a row and the wide rows joined to it) rows start to end hold (end None: all made)."""
    return sum(1 for flag in joined[start:end] if not flag)


class KeptTable(Table):
    """A Table that keeps each record whole and leaves no record alone at a page's foot or head,
    unless that is the only way it fits (then it splits as any table: never a layout failure)."""

    frame_height = 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        if not parts and availHeight >= self.frame_height * 0.9 and getattr(self, "_nosplitCmds", None):
            # On a fresh page and still no break: give the rule up (reportlab's own attributes).
            setattr(self, "_nosplitCmds", [])  # noqa: B010
            setattr(self, "_rowNoSplitCells", [])  # noqa: B010
            setattr(self, "_nosplitRanges", {})  # noqa: B010
            parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, KeptTable):
                part.frame_height = self.frame_height
        return parts


def data_table(
    header: Sequence[CellValue] | None,
    rows: Sequence[Sequence[CellValue]],
    widths: Sequence[float],
    *,
    frame_height: float,
    column_styles: Sequence[ParagraphStyle] | None = None,
    header_style: ParagraphStyle | None = None,
    continued: str = "(cont.)",
    rules: bool = True,
    flush_left: bool = False,
) -> Flowable:
    """A table with a repeated header row, light rules and rows that split safely.

    rows hold Cell, plain user text (escaped here) or None. The first column of
    a continuation row repeats the first cell and says continued. A table of
    more than PAGE_ROWS rows is a PagedTable.
    """
    look = styles()
    head_style = header_style or look.cell_head
    inner = [w - 2 * PAD_X for w in widths]
    make = _RowMaker(
        list(column_styles or [look.cell] * len(widths)),
        inner,
        # A row may take at most 45% of a page: room for the repeated header and a heading.
        frame_height * 0.45,
        continued,
        ParagraphStyle("continued", parent=look.cell_small, textColor=MUTED),
    )

    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Cells hold Paragraphs, but reportlab still selects the table's font for each cell:
        # make it the embedded one, or an unembedded Helvetica lands in the PDF.
        ("FONT", (0, 0), (-1, -1), REGULAR, 8.5),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
    ]
    if flush_left:
        commands.append(("LEFTPADDING", (0, 0), (0, -1), 0))  # the text lines up with the page's text
    data: list[Row] = []
    if header is not None:
        data.append([CellParagraph(c.markup, c.style or head_style) for c in map(_as_cell, header)])
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEABOVE", (0, 0), (-1, 0), 0.9, RULE_DARK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE_DARK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ]
        if len(rows) > PAGE_ROWS:
            return PagedTable(_TableRows(data[0], list(rows), make, list(widths), commands, frame_height))
    elif rules:
        commands += [
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE_DARK),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ]
    first = len(data)
    starts: list[int] = []  # the first table row of each record
    tall: set[int] = set()
    for row in rows:
        for line in make(row):
            row_index = len(data)
            commands += [("BACKGROUND", (column, row_index), (column, row_index), fill) for column, fill in line.fills]
            if line.span is not None:
                commands.append(("SPAN", (line.span, row_index), (-1, row_index)))
            if not line.joined:
                starts.append(row_index)
            if line.tall:
                tall.add(row_index)
            data.append(line.row)
    last = len(data) - 1
    for index, start in enumerate(starts):
        end = (starts[index + 1] if index + 1 < len(starts) else last + 1) - 1
        if end > start:
            commands.append(("NOSPLIT", (0, start), (-1, end)))  # an action and the wide row under it
    if header is not None and len(starts) >= 2:
        # Never one record alone at a page's foot (with the header) nor alone at the next page's head
        # (rows cut into pieces run over pages anyway: holding them would only leave a page empty).
        head_end = (starts[2] - 1) if len(starts) > 2 else last
        if not tall.intersection(range(first, head_end + 1)):
            commands.append(("NOSPLIT", (0, first), (-1, head_end)))
        if not tall.intersection(range(starts[-2], last + 1)):
            commands.append(("NOSPLIT", (0, starts[-2]), (-1, last)))
    table = KeptTable(data, colWidths=list(widths), repeatRows=1 if header is not None else 0, hAlign="LEFT")
    table.frame_height = frame_height
    table.setStyle(commands)
    return table
