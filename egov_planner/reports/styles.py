"""Page geometry, palette and paragraph styles of every pack (one place, so packs look alike)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from egov_planner.model.rules import Rag
from egov_planner.reports.fonts import BOLD, FAMILY, ITALIC, REGULAR, register_fonts

PORTRAIT = A4
LANDSCAPE = landscape(A4)
LANDSCAPE_A3 = landscape(A3)  # the printed timeline on A3 (report --paper a3): more rows and time a sheet

# Margins: generous on the report pages, a little tighter on the landscape tables.
PORTRAIT_MARGINS = (24 * mm, 24 * mm, 26 * mm, 22 * mm)  # left, right, top, bottom
LANDSCAPE_MARGINS = (16 * mm, 16 * mm, 22 * mm, 18 * mm)
HEADER_GAP = 10 * mm  # from the page edge to the running header / footer baseline


def frame_size(pagesize: tuple[float, float], margins: tuple[float, float, float, float]) -> tuple[float, float]:
    left, right, top, bottom = margins
    return pagesize[0] - left - right, pagesize[1] - top - bottom


PORTRAIT_FRAME = frame_size(PORTRAIT, PORTRAIT_MARGINS)
LANDSCAPE_FRAME = frame_size(LANDSCAPE, LANDSCAPE_MARGINS)
LANDSCAPE_A3_FRAME = frame_size(LANDSCAPE_A3, LANDSCAPE_MARGINS)
# The paper a printed timeline's sheets are on (report --paper): the page template each one uses.
TIMELINE_PAPERS = {"a4": "landscape", "a3": "landscape-a3"}

# A restrained palette: one dark blue for headings, greys for rules and header rows.
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A6270")
ACCENT = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#C5CCD6")
RULE_DARK = colors.HexColor("#44546A")
HEADER_FILL = colors.HexColor("#E6EBF1")
NOTE_FILL = colors.HexColor("#F3F5F8")
PART2_RED = colors.HexColor("#9B1C1C")


@dataclass(frozen=True, slots=True)
class RagLook:
    fill: colors.Color
    text: colors.Color


# The printed status fills: the rules' colours darkened where white text on them would fall under
# WCAG's 4.5:1 (green 4.25:1, amber 2.85:1, grey 3.36:1), so every status cell is white on a fill.
PRINT_RAG_FILL = {
    Rag.RED: "#C0392B",
    Rag.AMBER: "#AD4A00",
    Rag.GREEN: "#2A7A4D",
    Rag.BLUE: "#2E6DB4",
    Rag.GREY: "#666666",
}
RAG_TEXT = "#FFFFFF"


@cache
def rag_look(rag: Rag) -> RagLook:
    """The cell colour of a RAG rating as printed, and the white text that reads on it."""
    return RagLook(colors.HexColor(PRINT_RAG_FILL[rag]), colors.HexColor(RAG_TEXT))


# Every paragraph style as one row: its name (also its attribute on `Styles`), the style it
# inherits from (parents come first) and what it changes. A table, so the pack's look reads at
# a glance and a new style is one line.
_STYLE_TABLE: tuple[tuple[str, str | None, dict[str, Any]], ...] = (
    (
        "body",
        None,
        dict(
            fontName=REGULAR,
            fontSize=10.5,
            leading=14.5,
            textColor=INK,
            spaceAfter=6,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        ),
    ),
    ("numbered", "body", dict(leftIndent=15 * mm, bulletIndent=0, bulletFontName=REGULAR, bulletFontSize=10.5)),
    ("bullet", "body", dict(leftIndent=21 * mm, bulletIndent=16 * mm, spaceAfter=4, bulletFontName=REGULAR)),
    ("plain_bullet", "bullet", dict(leftIndent=6 * mm, bulletIndent=1 * mm)),
    ("note", "body", dict(fontSize=9.5, leading=13, textColor=MUTED)),
    ("authority", "body", dict(fontName=BOLD, fontSize=22, leading=26, textColor=ACCENT, spaceAfter=14)),
    ("meeting", "body", dict(fontSize=11, leading=14, spaceAfter=0)),
    ("title", "body", dict(fontName=BOLD, fontSize=17, leading=22, textColor=INK, spaceBefore=14, spaceAfter=12)),
    ("report_of", "body", dict(fontName=BOLD, fontSize=11, leading=15, textColor=ACCENT, spaceAfter=4)),
    ("position", "body", dict(fontSize=10, leading=13, textColor=MUTED)),
    (
        "section",
        "body",
        dict(fontName=BOLD, fontSize=12, leading=16, textColor=ACCENT, spaceBefore=14, spaceAfter=8, keepWithNext=1),
    ),
    (
        "subsection",
        "body",
        dict(fontName=BOLD, fontSize=10.5, leading=14, textColor=INK, spaceBefore=6, spaceAfter=6, keepWithNext=1),
    ),
    # Above a table that may run to pages: no keepWithNext (it would pull the whole table
    # to the next page); the writer asks for room with CondPageBreak instead.
    (
        "table_heading",
        "body",
        dict(fontName=BOLD, fontSize=10.5, leading=14, textColor=INK, spaceBefore=8, spaceAfter=5),
    ),
    ("appendix", "body", dict(fontName=BOLD, fontSize=14, leading=18, textColor=ACCENT, spaceAfter=4, keepWithNext=1)),
    ("appendix_sub", "body", dict(fontSize=10, leading=13, textColor=MUTED, spaceAfter=10)),
    (
        "objective",
        "body",
        dict(fontName=BOLD, fontSize=11, leading=14.5, textColor=ACCENT, spaceBefore=10, spaceAfter=2),
    ),
    ("caption", "body", dict(fontName=BOLD, fontSize=9, leading=12, textColor=ACCENT, spaceAfter=3)),
    ("objective_meta", "body", dict(fontSize=9, leading=12, textColor=MUTED, spaceAfter=3)),
    ("objective_text", "body", dict(fontSize=9, leading=12, spaceAfter=6)),
    (
        "part2_banner",
        "body",
        dict(fontName=BOLD, fontSize=13, leading=17, textColor=PART2_RED, alignment=TA_CENTER, spaceAfter=6),
    ),
    ("part2_text", "body", dict(fontSize=10, leading=13.5, textColor=PART2_RED, alignment=TA_CENTER, spaceAfter=10)),
    ("contents_title", "section", dict(spaceBefore=24)),
    ("decision", "section", dict(spaceBefore=18)),
    # Tables
    ("cell", "body", dict(fontSize=8.5, leading=11, spaceAfter=0, allowWidows=1, allowOrphans=1)),
    ("cell_bold", "cell", dict(fontName=BOLD)),
    ("cell_small", "cell", dict(fontSize=7.5, leading=9.5)),
    ("cell_right", "cell", dict(alignment=TA_RIGHT)),
    ("cell_centre", "cell", dict(alignment=TA_CENTER)),
    ("cell_head", "cell", dict(fontName=BOLD, textColor=ACCENT)),
    ("cell_head_right", "cell_head", dict(alignment=TA_RIGHT)),
    ("body_cell", "body", dict(fontSize=10, leading=13, spaceAfter=0, allowWidows=1, allowOrphans=1)),
    ("body_cell_bold", "body_cell", dict(fontName=BOLD)),
    ("body_cell_head", "body_cell", dict(fontName=BOLD, fontSize=9, leading=12, textColor=ACCENT)),
    ("italic", "body", dict(fontName=ITALIC)),
)


class Styles:
    """The paragraph styles of `_STYLE_TABLE`, built once fonts are registered."""

    body: ParagraphStyle
    numbered: ParagraphStyle
    bullet: ParagraphStyle
    plain_bullet: ParagraphStyle
    note: ParagraphStyle
    authority: ParagraphStyle
    meeting: ParagraphStyle
    title: ParagraphStyle
    report_of: ParagraphStyle
    position: ParagraphStyle
    section: ParagraphStyle
    subsection: ParagraphStyle
    table_heading: ParagraphStyle
    appendix: ParagraphStyle
    appendix_sub: ParagraphStyle
    objective: ParagraphStyle
    caption: ParagraphStyle
    objective_meta: ParagraphStyle
    objective_text: ParagraphStyle
    part2_banner: ParagraphStyle
    part2_text: ParagraphStyle
    contents_title: ParagraphStyle
    decision: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    cell_right: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    body_cell: ParagraphStyle
    body_cell_bold: ParagraphStyle
    body_cell_head: ParagraphStyle
    italic: ParagraphStyle

    def __init__(self) -> None:
        register_fonts()
        for name, parent, changes in _STYLE_TABLE:
            inherited = getattr(self, parent) if parent else None
            setattr(self, name, ParagraphStyle(name, parent=inherited, **changes))
        self.left = TA_LEFT
        self.family = FAMILY

    def rag_cell(self, rag: Rag) -> ParagraphStyle:
        """Cell style on a RAG fill: the text colour that reads on it."""
        return _rag_style(self.cell, rag)


@cache
def _rag_style(parent: ParagraphStyle, rag: Rag) -> ParagraphStyle:
    return ParagraphStyle(f"rag_{rag.value}", parent=parent, textColor=rag_look(rag).text)


_styles: Styles | None = None


def styles() -> Styles:
    """The shared styles (built on first use, after the fonts are registered)."""
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles
