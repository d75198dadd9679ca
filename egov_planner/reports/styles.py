"""Page geometry, palette and paragraph styles of every pack (one place, so packs look alike)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from egov_planner.model.rules import Rag
from egov_planner.reports.fonts import BOLD, FAMILY, ITALIC, REGULAR, register_fonts

PORTRAIT = A4
LANDSCAPE = landscape(A4)

# Margins: generous on the report pages, a little tighter on the landscape tables.
PORTRAIT_MARGINS = (24 * mm, 24 * mm, 26 * mm, 22 * mm)  # left, right, top, bottom
LANDSCAPE_MARGINS = (16 * mm, 16 * mm, 22 * mm, 18 * mm)
HEADER_GAP = 10 * mm  # from the page edge to the running header / footer baseline


def frame_size(pagesize: tuple[float, float], margins: tuple[float, float, float, float]) -> tuple[float, float]:
    left, right, top, bottom = margins
    return pagesize[0] - left - right, pagesize[1] - top - bottom


PORTRAIT_FRAME = frame_size(PORTRAIT, PORTRAIT_MARGINS)
LANDSCAPE_FRAME = frame_size(LANDSCAPE, LANDSCAPE_MARGINS)

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


@cache
def rag_look(rag: Rag) -> RagLook:
    """The cell colour of a RAG rating (the rules' colour) and a text colour that reads on it."""
    dark_text = rag in (Rag.AMBER, Rag.GREY)  # white on amber or grey is too faint to read
    return RagLook(colors.HexColor(rag.hex_colour), INK if dark_text else colors.white)


class Styles:
    """The paragraph styles, built once fonts are registered."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle(
            "body",
            fontName=REGULAR,
            fontSize=10.5,
            leading=14.5,
            textColor=INK,
            spaceAfter=6,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )
        self.body = base
        self.numbered = ParagraphStyle(
            "numbered", parent=base, leftIndent=15 * mm, bulletIndent=0, bulletFontName=REGULAR, bulletFontSize=10.5
        )
        self.bullet = ParagraphStyle(
            "bullet", parent=base, leftIndent=21 * mm, bulletIndent=16 * mm, spaceAfter=4, bulletFontName=REGULAR
        )
        self.plain_bullet = ParagraphStyle("plain_bullet", parent=self.bullet, leftIndent=6 * mm, bulletIndent=1 * mm)
        self.note = ParagraphStyle("note", parent=base, fontSize=9.5, leading=13, textColor=MUTED)
        self.authority = ParagraphStyle(
            "authority", parent=base, fontName=BOLD, fontSize=22, leading=26, textColor=ACCENT, spaceAfter=14
        )
        self.meeting = ParagraphStyle("meeting", parent=base, fontSize=11, leading=14, spaceAfter=0)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=17, leading=22, textColor=INK, spaceBefore=14, spaceAfter=12
        )
        self.report_of = ParagraphStyle(
            "report_of", parent=base, fontName=BOLD, fontSize=11, leading=15, textColor=ACCENT, spaceAfter=4
        )
        self.position = ParagraphStyle("position", parent=base, fontSize=10, leading=13, textColor=MUTED)
        self.section = ParagraphStyle(
            "section",
            parent=base,
            fontName=BOLD,
            fontSize=12,
            leading=16,
            textColor=ACCENT,
            spaceBefore=14,
            spaceAfter=8,
            keepWithNext=1,
        )
        self.subsection = ParagraphStyle(
            "subsection",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            spaceBefore=6,
            spaceAfter=6,
            keepWithNext=1,
        )
        # Above a table that may run to pages: no keepWithNext (it would pull the whole table
        # to the next page); the writer asks for room with CondPageBreak instead.
        self.table_heading = ParagraphStyle(
            "table_heading",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=5,
        )
        self.appendix = ParagraphStyle(
            "appendix",
            parent=base,
            fontName=BOLD,
            fontSize=14,
            leading=18,
            textColor=ACCENT,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.appendix_sub = ParagraphStyle(
            "appendix_sub", parent=base, fontSize=10, leading=13, textColor=MUTED, spaceAfter=10
        )
        self.objective = ParagraphStyle(
            "objective",
            parent=base,
            fontName=BOLD,
            fontSize=11,
            leading=14.5,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=2,
        )
        self.objective_meta = ParagraphStyle(
            "objective_meta", parent=base, fontSize=9, leading=12, textColor=MUTED, spaceAfter=3
        )
        self.objective_text = ParagraphStyle("objective_text", parent=base, fontSize=9, leading=12, spaceAfter=6)
        self.part2_banner = ParagraphStyle(
            "part2_banner",
            parent=base,
            fontName=BOLD,
            fontSize=13,
            leading=17,
            textColor=PART2_RED,
            alignment=TA_CENTER,
            spaceAfter=6,
        )
        self.part2_text = ParagraphStyle(
            "part2_text",
            parent=base,
            fontSize=10,
            leading=13.5,
            textColor=PART2_RED,
            alignment=TA_CENTER,
            spaceAfter=10,
        )
        self.contents_title = ParagraphStyle("contents_title", parent=self.section, spaceBefore=24)
        self.decision = ParagraphStyle("decision", parent=self.section, spaceBefore=18)
        # Tables
        self.cell = ParagraphStyle(
            "cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0, allowWidows=1, allowOrphans=1
        )
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BOLD)
        self.cell_small = ParagraphStyle("cell_small", parent=self.cell, fontSize=7.5, leading=9.5)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_centre = ParagraphStyle("cell_centre", parent=self.cell, alignment=TA_CENTER)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=BOLD, textColor=ACCENT)
        self.cell_head_right = ParagraphStyle("cell_head_right", parent=self.cell_head, alignment=TA_RIGHT)
        self.body_cell = ParagraphStyle(
            "body_cell", parent=base, fontSize=10, leading=13, spaceAfter=0, allowWidows=1, allowOrphans=1
        )
        self.body_cell_bold = ParagraphStyle("body_cell_bold", parent=self.body_cell, fontName=BOLD)
        self.body_cell_head = ParagraphStyle(
            "body_cell_head", parent=self.body_cell, fontName=BOLD, fontSize=9, leading=12, textColor=ACCENT
        )
        self.italic = ParagraphStyle("italic", parent=base, fontName=ITALIC)
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
