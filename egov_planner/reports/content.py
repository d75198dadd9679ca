"""The report as plain data: one content model that the HTML and Word writers draw (reports/html.py, docx.py).

Everything a reader sees is decided here, from the assessed snapshot (reports/data.py) in the pack's own
words (wording.py): numbered sections and paragraphs as the seed report numbers them, headings, tables with
their captions and header rows, the RAG as words, the BVPI 157 chart and its figures, Appendices A-D and the
Part II filtering. A writer only chooses how each block looks; it never words or counts anything itself.
Text here is as the officer typed it (unescaped): each writer escapes for its own format.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.graphics.shapes import Drawing

from egov_planner.model.bvpi import BvpiPosition, bvpi_position
from egov_planner.model.dates import british, long_british
from egov_planner.model.records import PlanDetails
from egov_planner.model.rules import Rag
from egov_planner.model.timeline import Timeline
from egov_planner.reports.data import PackData
from egov_planner.reports.story import RAG_KEY
from egov_planner.reports.text import plan_items

NO_TEXT = "No text has been entered for this part of the report."
RAG_WORDS = dict(RAG_KEY)

# --- the blocks -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: level 1 the report's title, 2 a section or appendix, 3 a subsection or objective, 4 a list."""

    text: str
    level: int
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph. number is the seed-style paragraph number ('3.2.1') or ''; strong a bold lead ('O1').

    style: body, bullet (under a numbered paragraph), lead (an unnumbered lead-in), note (muted),
    front (the front page's lines), banner (NOT FOR PUBLICATION).
    """

    text: str
    number: str = ""
    style: str = "body"
    strong: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: text (lines split by '\\n'), a RAG whose colour and words it shows, a muted note under it."""

    text: str
    rag: Rag | None = None
    strong: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A data table: every table has a caption and a header row; the first column heads its row when row_header."""

    caption: str
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    numeric: frozenset[int] = frozenset()  # columns of figures (right-aligned)
    row_header: bool = True
    widths: tuple[float, ...] = ()  # relative widths, for the Word writer
    # A full-width row under row i: (label, text) pairs, so a long description never runs down a narrow column.
    details: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Figure:
    """The BVPI 157 chart (the PDF's own drawing) with its title, a description and the same figures as a table."""

    title: str
    description: str
    drawing: Drawing
    figures: Table


@dataclass(frozen=True, slots=True)
class TimelineFigure:
    """The timeline chart: the window's layout (model/timeline.py), and the pack it was laid out from.

    The HTML draws the layout as SVG, the Word paper pictures of the printed sheets (reports/timeline.py);
    the table after it in the report gives the same facts. table_caption names that table.
    """

    title: str
    description: str
    timeline: Timeline
    objective_rags: dict[int, Rag | None]
    data: PackData
    table_caption: str


@dataclass(frozen=True, slots=True)
class Break:
    """A new page: landscape for the appendices, portrait otherwise."""

    landscape: bool


Block = Heading | Para | Table | Figure | TimelineFigure | Break


@dataclass(slots=True)
class Report:
    """One report as plain data, with the document properties every format carries."""

    title: str
    author: str
    subject: str
    kind: str
    part2: bool
    language: str = "en-GB"
    blocks: list[Block] = field(default_factory=list)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]


# --- text every format can carry ---------------------------------------------------------------------

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object) -> str:
    """User text any format can hold: line breaks as \\n, control characters dropped, a lone surrogate as U+FFFD.

    XML (Word, HTML) cannot carry control characters at all; everything else -- RTL, emoji -- stays as typed.
    """
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    value = _LONE_SURROGATE.sub("\ufffd", value)
    if value.isascii() and value.isprintable():
        return value
    return "".join(
        " " if c in "\t\v\f" else c
        for c in value
        if c == "\n" or c == "\t" or unicodedata.category(c) != "Cc" and c not in "\ufffe\uffff"
    )


@dataclass(frozen=True, slots=True)
class PaperFields:
    """The fields a committee paper carries beyond the plan text (background papers, wards, agenda item, date)."""

    background_papers: list[str]
    wards_affected: str
    agenda_item: str
    report_date: date | None


def paper_fields(details: PlanDetails) -> PaperFields:
    """The report fields a committee paper carries (schema 0006), as the three formats print them."""
    return PaperFields(
        background_papers=[line.strip() for line in details.background_papers.splitlines() if line.strip()],
        wards_affected=details.wards_affected.strip(),
        agenda_item=details.agenda_item.strip(),
        report_date=details.report_date,
    )


def properties(data: PackData, kind: str) -> tuple[str, str, str]:
    """(title, author, subject) of the document, as the PDF pack states them."""
    details = data.details
    what = "Exceptions report" if kind == "exceptions" else "Report"
    if data.part2:
        what += " (Part II, not for publication)"
    meetings = "; ".join(f"{m.committee} {british(m.meets_on)}" for m in data.snapshot.meetings)
    subject = f"{what}: position as at {long_british(data.status_date)}" + (f". {meetings}" if meetings else "")
    author = ", ".join(clean(x) for x in (details.report_of, details.authority) if x) or "egov-planner"
    title = details.title or "Improvement plan"
    if kind == "exceptions":
        title = f"{title}: exceptions"
    if data.part2:
        title = f"{title}: Part II (not for publication)"
    return clean(title), author, clean(subject)


class Numbering:
    """Paragraph numbers within a section (3.2.1, 3.2.2 …).

    A paragraph of plan text that starts with its own number in this section ('4.1.2 Departments …')
    keeps it and the count goes on from there: a paper's numbers, once cross-referenced in minutes, stay.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}.{self.count}"

    def take(self, text: str) -> tuple[str, str]:
        """(number, text): text's own number when it starts with a later one of this section, else the next."""
        match = re.match(rf"{re.escape(self.prefix)}\.(\d{{1,3}})\s+(?=\S)", text)
        if match and int(match.group(1)) > self.count:
            self.count = int(match.group(1))
            return f"{self.prefix}.{self.count}", text[match.end() :]
        return self.next(), text


# --- the builder ---------------------------------------------------------------------------------------


def _cell(value: object, **options: object) -> Cell:
    return value if isinstance(value, Cell) else Cell(clean(value), **options)  # type: ignore[arg-type]


def _row(*values: object) -> tuple[Cell, ...]:
    return tuple(_cell(v) for v in values)


class WriterBase:
    """The plumbing every part of the report writes through; the parts are in content_sections.py,
    content_appendices.py and content_packs.py."""

    def __init__(self, data: PackData, report: Report) -> None:
        self.data = data
        self.report = report
        self.bvpi: BvpiPosition | None = (
            bvpi_position(data.snapshot, data.status_date) if data.snapshot.service_rows else None
        )

    # --- plumbing ------------------------------------------------------------------------------

    def add(self, *blocks: Block) -> None:
        self.report.blocks.extend(blocks)

    def heading(self, text: str, level: int, anchor: str = "") -> None:
        self.add(Heading(clean(text), level, anchor))

    def para(self, text: object, number: str = "", style: str = "body", strong: str = "") -> None:
        self.add(Para(clean(text), number, style, clean(strong)))

    def table(
        self,
        caption: str,
        header: list[str],
        rows: Sequence[tuple[Cell, ...]],
        *,
        numeric: tuple[int, ...] = (),
        row_header: bool = True,
        widths: tuple[float, ...] = (),
        details: dict[int, tuple[tuple[str, str], ...]] | None = None,
    ) -> None:
        self.add(
            Table(
                clean(caption),
                tuple(clean(h) for h in header),
                list(rows),
                frozenset(numeric),
                row_header,
                widths,
                details or {},
            )
        )

    def plan_text(self, text: str, numbering: Numbering, *, numbered_bullets: bool = False, empty: str = "") -> None:
        """Plan text by its convention, numbered as the PDF numbers it; a paragraph may carry its own number."""
        items = plan_items(clean(text))
        if not items and empty:
            self.para(empty, numbering.next(), "body")
            return
        for item in items:
            if numbered_bullets:
                # Recommendations: the lead-in ("Members are asked to:") is not numbered, each bullet is.
                if item.text:
                    self.para(item.text, style="lead")
                for bullet in item.bullets:
                    number, words = numbering.take(bullet)
                    self.para(words, number)
            else:
                if item.text:
                    number, words = numbering.take(item.text)
                    self.para(words, number)
                for bullet in item.bullets:
                    self.para(bullet, style="bullet")

    def rag_cell(self, rag: Rag | None, words: str, note: str = "") -> Cell:
        """The letter and its words (never colour alone), e.g. 'R Overdue'."""
        if rag is None:
            return Cell("No actions")
        return Cell(f"{rag.value} {words}".strip(), rag=rag, note=note)
