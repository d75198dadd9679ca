"""Building blocks shared by the packs' stories: numbering, plan text, headings, RAG cells."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, NextPageTemplate, PageBreak, Paragraph
from reportlab.platypus.flowables import Spacer

from egov_planner.model.entities import ActionStatus
from egov_planner.model.rules import Assessment, Flag, Rag
from egov_planner.reports.data import PackData
from egov_planner.reports.document import Anchor, PageFurniture, Tick
from egov_planner.reports.styles import LANDSCAPE_A3_FRAME, LANDSCAPE_FRAME, PORTRAIT_FRAME, rag_look, styles
from egov_planner.reports.tables import Cell, cell, data_table
from egov_planner.reports.text import Markup, esc, plan_items

RAG_KEY = (
    (Rag.RED, "Overdue"),
    (Rag.AMBER, "At risk"),
    (Rag.GREEN, "On track"),
    (Rag.BLUE, "Complete"),
    (Rag.GREY, "Not rated (deferred or cancelled)"),
)


class Numbering:
    """Paragraph numbers within a section: 1.1, 1.2 … or 3.1.1, 3.1.2 …"""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}.{self.count}"

    def own(self, text: str) -> tuple[str, str]:
        """(number, text): a paragraph that starts with its own number in this section ('4.1.2 Departments…',
        as a paper already cited in minutes numbers it) keeps it, and the numbers after follow on from it."""
        match = re.match(rf"{re.escape(self.prefix)}\.(\d{{1,3}})\s+(?=\S)", text)
        if match is None or int(match.group(1)) <= self.count:
            return self.next(), text
        self.count = int(match.group(1))
        return f"{self.prefix}.{self.count}", text[match.end() :]


def numbering_claimed(text: str, prefix: str) -> bool:
    """True when text starts with its own paragraph number in the section prefix ('3.2.4 …')."""
    return re.match(rf"{re.escape(prefix)}\.\d{{1,3}}\s", text) is not None


class CaptionedTable(Flowable):
    """A table under its caption; on each page it runs on to, under a '(continued)' heading.

    A short table (whole) moves to the next page rather than split; a long one starts where its caption,
    header and first rows fit, and never leaves its caption alone at a page's foot.
    """

    def __init__(
        self,
        caption: Flowable,
        body: Flowable,
        continued: Callable[[], Flowable],
        *,
        whole: bool,
        frame_height: float,
    ) -> None:
        super().__init__()
        self.caption, self.body, self.continued = caption, body, continued
        self.whole, self.frame_height = whole, frame_height
        self._caption_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        _, height = self.caption.wrap(availWidth, availHeight)
        self._caption_height = height + self.caption.getSpaceAfter()
        width, body = self.body.wrap(availWidth, max(0.0, availHeight - self._caption_height))
        self.width, self.height = availWidth, self._caption_height + body
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        if self.whole and self.height <= self.frame_height:
            return []  # a short table goes whole onto the next page
        parts = self.body.split(availWidth, availHeight - self._caption_height)
        if not parts:
            return []
        first = CaptionedTable(self.caption, parts[0], self.continued, whole=False, frame_height=self.frame_height)
        if len(parts) == 1:
            return [first]
        rest = parts[1] if len(parts) == 2 else KeepTogether(parts[1:])
        return [
            first,
            CaptionedTable(self.continued(), rest, self.continued, whole=False, frame_height=self.frame_height),
        ]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
        self.caption.drawOn(canvas, x, y + self.height - self.caption.height)
        self.body.drawOn(canvas, x, y, _sW)


def status_label(action_status: str) -> str:
    """'in progress' -> 'In progress'."""
    label = ActionStatus(action_status).label if action_status in ActionStatus._value2member_map_ else action_status
    return label[:1].upper() + label[1:]


def rag_words(assessment: Assessment, action_status: str) -> str:
    """The words after the RAG letter: 'Overdue', 'At risk', 'Due soon', 'Complete', 'Deferred' or ''."""
    if assessment.flag is Flag.OVERDUE:
        return "Overdue"
    if assessment.flag is Flag.AT_RISK:
        return "At risk"
    if assessment.rag in (Rag.BLUE, Rag.GREY):
        return status_label(action_status)
    if assessment.flag is Flag.DUE_SOON:
        return "Due soon"
    return ""


def rag_cell(rag: Rag, words: str, detail: str = "") -> Cell:
    """A coloured cell that also carries the letter, so colour is never the only signal."""
    look = rag_look(rag)
    markup = Markup(f"<b>{rag.value}</b>")
    if words:
        markup = Markup(f"{markup}&nbsp;&nbsp;{esc(words)}")
    if detail:
        markup = Markup(f"{markup}<br/>{esc(detail)}")
    return Cell(markup, styles().rag_cell(rag), look.fill)


def action_status_cell(data: PackData, assessment: Assessment, action_status: str, percent: int) -> Cell:
    """The status cell of an action row: 'R Overdue' over 'In progress, 60%'."""
    words = rag_words(assessment, action_status)
    detail = ""
    if action_status not in ("complete", "cancelled", "deferred"):
        detail = f"{status_label(action_status)}, {percent}%"
    return rag_cell(assessment.rag, words, detail)


class StoryWriter:
    """Collects a pack's flowables, with the helpers every section uses."""

    def __init__(self, data: PackData, furniture: PageFurniture, report: Callable[[str], None]) -> None:
        self.data = data
        self.furniture = furniture
        self.report = report
        self.story: list[Flowable] = []
        self.look = styles()
        self.ticks = 0
        self.landscape = False
        self.a3 = False  # landscape pages on A3 (a timeline printed with --paper a3)
        self.tables = 0  # tables captioned so far: each caption is "Table N: …"

    # --- plumbing ---------------------------------------------------------------------------

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def tick(self, message: str) -> None:
        """Report progress when the layout reaches this point."""
        self.ticks += 1
        self.story.append(Tick(self.report, message))

    @property
    def frame(self) -> tuple[float, float]:
        if self.landscape:
            return LANDSCAPE_A3_FRAME if self.a3 else LANDSCAPE_FRAME
        return PORTRAIT_FRAME

    def new_page(self, landscape: bool) -> None:
        if self.story:
            template = ("landscape-a3" if self.a3 else "landscape") if landscape else "portrait"
            self.story.append(NextPageTemplate(template))
            self.story.append(PageBreak())
        self.landscape = landscape

    def table(
        self,
        header: Sequence[object] | None,
        rows: Sequence[Sequence[object]],
        widths_mm: list[float],
        *,
        fill: bool = True,
        keep_rows: int = 12,
        **options: Any,
    ) -> Flowable:
        """A data table in the current page shape.

        widths are in mm, scaled to fill the frame unless fill is False. A table of
        at most keep_rows rows is kept on one page (a short table split in two reads badly).
        """
        width, height = self.frame
        scale = width / sum(widths_mm) if fill else mm
        widths = [w * scale for w in widths_mm]
        table = data_table(header, rows, widths, frame_height=height, **options)
        if len(rows) <= keep_rows:
            return KeepTogether([table])
        return table

    def captioned(
        self,
        caption: str,
        header: Sequence[object] | None,
        rows: Sequence[Sequence[object]],
        widths_mm: list[float],
        *,
        fill: bool = True,
        keep_rows: int = 12,
        continued: Callable[[], Flowable] | None = None,
        **options: Any,
    ) -> Flowable:
        """A data table numbered and captioned ('Table 3: Other implications'); continued pages say so."""
        self.tables += 1
        label = f"Table {self.tables}: {caption}"
        width, height = self.frame
        scale = width / sum(widths_mm) if fill else mm
        table = data_table(header, rows, [w * scale for w in widths_mm], frame_height=height, **options)
        look = self.look
        return CaptionedTable(
            self.para(label, look.caption),
            table,
            continued or (lambda: self.para(f"{label} (continued)", look.caption)),
            whole=len(rows) <= keep_rows,
            frame_height=height,
        )

    def titled_table(
        self,
        title: str,
        header: Sequence[object] | None,
        rows: Sequence[Sequence[object]],
        widths_mm: list[float],
        *,
        keep_rows: int = 12,
        **options: Any,
    ) -> None:
        """A small heading and its table: a short table goes on one page with its heading;
        a long one starts where at least a heading and a few rows fit."""
        self.space(3 * mm)
        self.add(self.captioned(title, header, rows, widths_mm, keep_rows=keep_rows, **options))

    # --- text ---------------------------------------------------------------------------------

    def para(self, text: object, style: object = None) -> Paragraph:
        """A paragraph of user text (escaped) or Markup."""
        markup = text if isinstance(text, Markup) else esc(text)
        return Paragraph(markup, style or self.look.body)

    def numbered(self, number: str, text: object) -> Paragraph:
        markup = text if isinstance(text, Markup) else esc(text)
        return Paragraph(markup, self.look.numbered, bulletText=number)

    def bullet(self, text: object, under_number: bool = True) -> Paragraph:
        markup = text if isinstance(text, Markup) else esc(text)
        return Paragraph(markup, self.look.bullet if under_number else self.look.plain_bullet, bulletText="•")

    def plan_text(self, text: str, numbering: Numbering, *, numbered_bullets: bool = False, empty: str = "") -> None:
        """Plan text by its convention, numbered by the pack; a lead-in ending ':' keeps its bullets."""
        items = plan_items(text)
        if not items and empty:
            self.add(self.numbered(numbering.next(), Markup(f"<i>{esc(empty)}</i>")))
            return
        for item in items:
            group: list[Flowable] = []
            if numbered_bullets:
                # Recommendations: the lead-in ("Members are asked to:") is not numbered, each bullet is.
                if item.text:
                    group.append(self.para(item.text))
                group += [self.numbered(numbering.next(), b) for b in item.bullets]
            else:
                if item.text:
                    number, text = numbering.own(item.text)
                    group.append(self.numbered(number, text))
                group += [self.bullet(b) for b in item.bullets]
            if item.text.rstrip().endswith(":") and item.bullets:
                self.add(KeepTogether(group))
            else:
                self.add(*group)

    def section(self, key: str, heading: str, outline: str | None = None) -> None:
        """A numbered section heading ('3. SUMMARY') with its bookmark."""
        self.add(Anchor(key, outline or heading, level=0), self.para(heading, self.look.section))

    def subsection(self, heading: str) -> None:
        self.add(self.para(heading, self.look.subsection))

    def appendix(self, key: str, letter: str, title: str, subtitle: str = "") -> None:
        """A new landscape page headed 'APPENDIX A  Improvement plan'."""
        self.new_page(landscape=True)
        label = f"Appendix {letter}: {title}" if letter else title
        self.add(Anchor(key, label, level=0, closed=False))
        heading = Markup(f"APPENDIX {esc(letter)}&nbsp;&nbsp;&nbsp;{esc(title)}") if letter else esc(title)
        self.add(self.para(heading, self.look.appendix))
        if subtitle:
            self.add(self.para(subtitle, self.look.appendix_sub))

    def keep_room(self, height: float) -> None:
        """Start a new page unless height points are left (a heading never ends a page alone)."""
        self.add(CondPageBreak(height))

    def space(self, height: float) -> None:
        self.add(Spacer(1, height))

    def rag_key(self) -> Flowable:
        """The colour key: each colour with its letter and meaning."""
        cells: list[object] = [rag_cell(rag, words) for rag, words in RAG_KEY]
        return self.table(None, [cells], [22, 22, 24, 24, 68], rules=False, fill=False)

    def muted(self, text: object) -> Paragraph:
        return self.para(text, self.look.note)

    def cell(self, text: object, style: object = None) -> Cell:
        return cell(text, style)
