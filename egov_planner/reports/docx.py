"""The report as a Word paper (.docx, python-docx), drawn from the content model (reports/content.py).

For democratic services' committee system: real Heading styles (so the navigation pane and an accessibility
checker see the structure), paragraph numbers typed as the report states them (Word's own list numbering
would renumber them), tables with a caption and a header row that repeats and is marked as a header
(w:tblHeader), the BVPI chart as a picture with alternative text, the document properties, English (UK) as
the language, and the appendices in landscape sections.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from egov_planner.reports.content import Break, Cell, Figure, Heading, Para, Report, Table, TimelineFigure
from egov_planner.reports.figures import drawing_png
from egov_planner.reports.html import RAG_TINT
from egov_planner.reports.timeline_png import timeline_pictures

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x4F, 0x56, 0x61)
LANGUAGE = "en-GB"


def _set_language(document: WordDocument) -> None:
    """English (UK) for every run, in the document defaults and the Normal style (spelling, screen readers)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        r_pr_default = defaults.find(qn("w:rPrDefault"))
        if r_pr_default is None:
            r_pr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, r_pr_default)
        r_pr = r_pr_default.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            r_pr_default.append(r_pr)
        targets.append(r_pr)
    targets.append(document.styles["Normal"].element.get_or_add_rPr())
    for r_pr in targets:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
        lang.set(qn("w:bidi"), "ar-SA")


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#"))
    tc_pr.append(shading)


def _left_bar(cell: _Cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    left = OxmlElement("w:left")
    left.set(qn("w:val"), "single")
    left.set(qn("w:sz"), "36")
    left.set(qn("w:color"), colour.lstrip("#"))
    borders.append(left)
    tc_pr.append(borders)


def _mark_header(table: WordTable) -> None:
    """The first row repeats on each page and is a header row (w:tblHeader); rows never split across pages."""
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        if index == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
        else:
            cant = OxmlElement("w:cantSplit")
            cant.set(qn("w:val"), "false")  # a long cell may run on: a tall row must not be pushed off the page
            tr_pr.append(cant)


def _table_caption(table: WordTable, caption: str) -> None:
    """The caption as the table's own title too (w:tblCaption: what Word shows as its alternative text)."""
    tbl_pr = table._tbl.tblPr
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption[:250])
    tbl_pr.append(element)


def _add_lines(paragraph: Paragraph, text: str, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    """Text whose line breaks are kept as breaks within the paragraph."""
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        run.bold = bold or None
        if colour is not None:
            run.font.color.rgb = colour


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.document = Document()
        self.landscape = False
        self.figure_number = 0

    def setup(self) -> None:
        document = self.document
        _set_language(document)
        normal = document.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        # The template's light blue headings and captions are under 4.5:1 on white: the accent colour is 11:1.
        for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption"):
            document.styles[name].font.color.rgb = ACCENT
        document.styles["Caption"].font.size = Pt(10)
        core = document.core_properties
        core.title = self.report.title
        core.author = self.report.author
        core.subject = self.report.subject
        core.language = LANGUAGE
        core.keywords = "committee report; improvement plan; BVPI 157"
        core.created = datetime.now().replace(microsecond=0)
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin = section.bottom_margin = Cm(1.8)

    def page(self, landscape: bool) -> None:
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        short, long_ = Cm(21.0), Cm(29.7)
        section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
        self.landscape = landscape

    @property
    def text_width(self) -> int:
        section = self.document.sections[-1]
        return int((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))

    def heading(self, block: Heading) -> None:
        self.document.add_heading(block.text, level=block.level)

    def para(self, block: Para) -> None:
        document = self.document
        if block.style == "bullet":
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.paragraph_format.left_indent = Cm(2.0)
        else:
            paragraph = document.add_paragraph()
        if block.number:
            # The number typed, a tab, and a hanging indent: the seed's layout, numbers that never renumber.
            paragraph.paragraph_format.left_indent = Cm(1.5)
            paragraph.paragraph_format.first_line_indent = Cm(-1.5)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.5))
            paragraph.add_run(f"{block.number}\t").bold = True
        if block.strong and block.strong != block.text and block.strong != "x":
            paragraph.add_run(f"{block.strong}  ").bold = True
        bold = block.style in ("banner", "lead") or (block.style == "front" and bool(block.strong))
        colour = MUTED if block.style == "note" else ACCENT if block.style == "front" and block.strong else None
        _add_lines(paragraph, block.text, bold=bold, colour=colour)
        if block.style == "front" and block.strong == block.text:
            for run in paragraph.runs:
                run.font.size = Pt(18)

    def table(self, block: Table) -> None:
        document = self.document
        caption = document.add_paragraph(style="Caption")
        caption.add_run(block.caption)
        caption.paragraph_format.keep_with_next = True
        columns = len(block.header)
        table = document.add_table(rows=1 + len(block.rows) + len(block.details), cols=columns)
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _table_caption(table, block.caption)
        widths = list(block.widths) if len(block.widths) == columns else [1.0] * columns
        total = sum(widths) or 1.0
        width = self.text_width
        for index, cell in enumerate(table.rows[0].cells):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.keep_with_next = True
            run = paragraph.add_run(block.header[index])
            run.bold = True
            run.font.color.rgb = ACCENT
            _shade(cell, "#EEF1F5")
            if index in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        placed = 1
        wide: list[tuple[int, tuple[tuple[str, str], ...]]] = []
        for row_index, row in enumerate(block.rows):
            cells = table.rows[placed].cells
            for index, value in enumerate(row[:columns]):
                self.cell(cells[index], value, index in block.numeric, block.row_header and index == 0)
            placed += 1
            if row_index in block.details:
                # The action's row stays on the page with its details under it.
                for cell in cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
                wide.append((placed, block.details[row_index]))
                placed += 1
        table.autofit = False
        for column, share in zip(table.columns, widths, strict=False):
            column.width = int(width * share / total)  # w:gridCol, which LibreOffice lays out by
            for cell in column.cells:
                cell.width = int(width * share / total)
        for row_index, details in wide:
            self.details(table.rows[row_index].cells, details)
        _mark_header(table)
        document.add_paragraph()

    def details(self, cells: Sequence[_Cell], details: tuple[tuple[str, str], ...]) -> None:
        """The full-width row under an action: one cell across every column, each part under a bold label."""
        cell = cells[0].merge(cells[-1])
        for index, (label, value) in enumerate(details):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            run = paragraph.add_run(f"{label}: ")
            run.bold = True
            _add_lines(paragraph, value, colour=MUTED)
            for run in paragraph.runs:
                run.font.size = Pt(9)

    def cell(self, cell: _Cell, value: Cell, numeric: bool, row_header: bool) -> None:
        paragraph = cell.paragraphs[0]
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_lines(paragraph, value.text, bold=value.strong or row_header or value.rag is not None)
        if value.note:
            note = cell.add_paragraph()
            _add_lines(note, value.note, colour=MUTED if value.rag is None else None)
            for run in note.runs:
                run.font.size = Pt(9)
        for run in paragraph.runs:
            run.font.size = Pt(9.5)
        if value.rag is not None:
            tint, bar = RAG_TINT[value.rag]
            _shade(cell, tint)
            _left_bar(cell, bar)

    def figure(self, block: Figure) -> None:
        document = self.document
        self.figure_number += 1
        picture = drawing_png(block.drawing)
        width = self.text_width
        document.add_picture(io.BytesIO(picture), width=width)
        inline = document.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")
        for doc_pr in inline:
            doc_pr.set("descr", block.description)
            doc_pr.set("title", block.title)
        caption = document.add_paragraph(style="Caption")
        caption.add_run(f"Figure {self.figure_number}: {block.title}")
        self.table(block.figures)

    def _picture(self, png: bytes, width: int, title: str, description: str) -> None:
        """A picture the width of the text, with its alternative text (what a screen reader says for it)."""
        self.document.add_picture(io.BytesIO(png), width=width)
        for doc_pr in self.document.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr"):
            doc_pr.set("descr", description)
            doc_pr.set("title", title)

    def timeline(self, block: TimelineFigure) -> None:
        """The printed timeline's sheets as pictures, each with alternative text and a caption."""
        if not self.landscape:
            self.page(landscape=True)
        section = self.document.sections[-1]
        width = self.text_width
        # Each sheet below its caption and the heading: the text area's height less about 3 cm.
        height = int((section.page_height or 0) - (section.top_margin or 0) - (section.bottom_margin or 0)) - Cm(3.2)
        sheets = timeline_pictures(block.data, width / 12700, height / 12700)  # EMU to points
        for number, sheet in enumerate(sheets, start=1):
            self.figure_number += 1
            where = f"Sheet {number} of {len(sheets)}: {sheet.caption}"
            self._picture(sheet.png, width, f"{block.title}, sheet {number} of {len(sheets)}",
                          f"{where}. {block.description}")  # fmt: skip
            caption = self.document.add_paragraph(style="Caption")
            caption.add_run(f"Figure {self.figure_number}: {block.title} ({where})")
            if number < len(sheets):
                caption.add_run().add_break(WD_BREAK.PAGE)

    def write(self) -> WordDocument:
        self.setup()
        for block in self.report.blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.figure(block)
            elif isinstance(block, TimelineFigure):
                self.timeline(block)
            elif isinstance(block, Break):
                self.page(block.landscape)
        return self.document


def render_docx(report: Report) -> bytes:
    """The Word document's bytes."""
    out = io.BytesIO()
    _Writer(report).write().save(out)
    return out.getvalue()
