"""Every table in a pack: light rules, a header row repeated on each page, and rows that always fit.

reportlab raises LayoutError when one row is taller than a page (a
20,000-character note). Rows are therefore measured before the table is made,
and any text too tall for a page is cut, with Paragraph.split, into pieces
carried on continuation rows labelled "(continued)", so a long note flows over
as many pages as it needs while every other row stays whole.
"""

from __future__ import annotations

import math
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


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: markup made with esc(), an optional style and fill colour."""

    markup: Markup
    style: ParagraphStyle | None = None
    fill: colors.Color | None = None


CellValue = Cell | str | None


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


def _pieces(paragraph: Paragraph, width: float, limit: float) -> list[Flowable]:
    """The paragraph cut into pieces no taller than limit (just itself when it fits)."""
    pieces: list[Flowable] = []
    current: Flowable = paragraph
    while True:
        _, height = current.wrap(width, _TALL)
        if height <= limit:
            pieces.append(current)
            return pieces
        parts = current.split(width, limit)
        if len(parts) < 2:
            pieces.append(current)  # cannot be cut (should not happen for text): let reportlab try
            return pieces
        pieces.append(parts[0])
        current = parts[1]


def data_table(
    header: Sequence[CellValue] | None,
    rows: Sequence[Sequence[CellValue]],
    widths: Sequence[float],
    *,
    frame_height: float,
    column_styles: Sequence[ParagraphStyle] | None = None,
    header_style: ParagraphStyle | None = None,
    continued: str = "(continued)",
    rules: bool = True,
) -> Table:
    """A table with a repeated header row, light rules and rows that split safely.

    rows hold Cell, plain user text (escaped here) or None. The first column of
    a continuation row repeats the first cell and says continued.
    """
    look = styles()
    head_style = header_style or look.cell_head
    col_styles = list(column_styles or [look.cell] * len(widths))
    inner = [w - 2 * PAD_X for w in widths]
    # A row may take at most 45% of a page: room for the repeated header and a heading.
    limit = frame_height * 0.45

    data: list[list[Flowable]] = []
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
    if header is not None:
        data.append([Paragraph(c.markup, c.style or head_style) for c in map(_as_cell, header)])
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEABOVE", (0, 0), (-1, 0), 0.9, RULE_DARK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE_DARK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ]
    elif rules:
        commands += [
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE_DARK),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ]
    continued_style = ParagraphStyle("continued", parent=look.cell_small, textColor=MUTED)
    for row in rows:
        cells = [_as_cell(v) for v in row]
        paragraphs = [
            Paragraph(c.markup, c.style or col_styles[i]) for i, c in enumerate(cells)
        ]
        row_index = len(data)
        for column, c in enumerate(cells):
            if c.fill is not None:
                commands.append(("BACKGROUND", (column, row_index), (column, row_index), c.fill))
        tall = [
            i
            for i, (c, p) in enumerate(zip(cells, paragraphs, strict=True))
            if _upper_bound_height(c.markup, p.style, inner[i]) > limit
            and p.wrap(inner[i], _TALL)[1] > limit
        ]
        if not tall:
            data.append(list(paragraphs))
            continue
        columns: list[list[Flowable]] = [
            _pieces(p, inner[i], limit) if i in tall else [p] for i, p in enumerate(paragraphs)
        ]
        for piece in range(max(len(c) for c in columns)):
            line: list[Flowable | str] = []
            for i, pieces in enumerate(columns):
                if piece < len(pieces):
                    line.append(pieces[piece])
                elif piece and i == 0:
                    line.append(Paragraph(cells[0].markup + Markup(f"<br/>{continued}"), continued_style))
                else:
                    line.append("")
            data.append(line)  # type: ignore[arg-type]
    table = Table(data, colWidths=list(widths), repeatRows=1 if header is not None else 0, hAlign="LEFT")
    table.setStyle(commands)
    return table
