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

from egov_planner.model.bvpi import BvpiPosition, bvpi_position, shortfall_title
from egov_planner.model.cycle import ChangesSince
from egov_planner.model.dates import british, long_british, ordinal_british
from egov_planner.model.records import ActionRecord, ObjectiveRecord, PlanDetails
from egov_planner.model.rules import BVPI_TARGET_DATE, Flag, Rag, days_text
from egov_planner.reports.appendices import LONG_DESCRIPTION
from egov_planner.reports.chart import bvpi_chart, pct_label
from egov_planner.reports.data import SCHEDULE_12A, PackData, count_text, paragraphs_text
from egov_planner.reports.since import LIST_TITLES, counts_sentence, rag_text, since_title
from egov_planner.reports.story import RAG_KEY, rag_words, status_label
from egov_planner.reports.text import plan_items
from egov_planner.reports.wording import (
    bvpi_figure_headers,
    bvpi_paragraph,
    bvpi_table_rows,
    excluded_rows,
    join_words,
    no_shortfall_text,
    percent_of,
    position_sentence,
    sentence_case,
    shortfall_rows,
    slip_text,
    yes_no,
)

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
class Break:
    """A new page: landscape for the appendices, portrait otherwise."""

    landscape: bool


Block = Heading | Para | Table | Figure | Break


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


def build_content(data: PackData, kind: str = "cabinet") -> Report:
    """The report (kind 'cabinet' or 'exceptions'; public or Part II as data was prepared) as plain data."""
    title, author, subject = properties(data, kind)
    report = Report(title=title, author=author, subject=subject, kind=kind, part2=data.part2)
    writer = _Writer(data, report)
    if kind == "exceptions":
        writer.exceptions_pack()
    elif data.part2:
        writer.part2_pack()
    else:
        writer.cabinet_pack()
    return report


def _cell(value: object, **options: object) -> Cell:
    return value if isinstance(value, Cell) else Cell(clean(value), **options)  # type: ignore[arg-type]


def _row(*values: object) -> tuple[Cell, ...]:
    return tuple(_cell(v) for v in values)


class _Writer:
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

    # --- the packs ---------------------------------------------------------------------------------

    def cabinet_pack(self) -> None:
        self.front()
        self.introduction()
        self.recommendations()
        self.summary()
        self.implications()
        self.consultations()
        self.officer()
        self.background_papers()
        self.decision_status()
        self.improvement_plan("A", "Improvement plan")
        self.exceptions("B")
        self.consultation_evidence("C")
        if self.bvpi is not None:
            self.bvpi_appendix("D")

    def part2_pack(self) -> None:
        data = self.data
        self.not_for_publication("This report contains exempt information")
        self.front()
        self.heading("Exempt information", 2, "part2-exempt")
        objectives, actions, paragraphs = data.hidden_summary
        parts = []
        if objectives:
            parts.append(count_text(objectives, "improvement objective"))
        if actions:
            parts.append(count_text(actions, "action"))
        numbering = Numbering("1")
        self.para(
            f"This Part II pack carries the exempt information in the improvement plan: {' and '.join(parts)}. "
            "The exempt items are left out of the public report, its appendices and its figures; read this "
            "pack with the public report.",
            numbering.next(),
        )
        self.para(
            "The exempt items fall under these paragraphs of Part 1 of Schedule 12A to the Local Government Act 1972:",
            numbering.next(),
        )
        self.table(
            "Schedule 12A paragraphs the exempt items fall under",
            ["Paragraph", "Description"],
            [_row(str(p), SCHEDULE_12A[p]) for p in sorted(paragraphs)],
            widths=(1, 6),
        )
        self.improvement_plan("A", "Exempt items of the improvement plan")
        self.exceptions("B")

    def not_for_publication(self, opening: str) -> None:
        _, _, paragraphs = self.data.hidden_summary
        self.para("NOT FOR PUBLICATION", style="banner")
        self.para(
            f"{opening} within the meaning of {paragraphs_text(paragraphs)} of Part 1 of Schedule 12A "
            "to the Local Government Act 1972.",
            style="banner",
        )

    # --- front page --------------------------------------------------------------------------------

    def front(self) -> None:
        data = self.data
        details = data.details
        if details.authority:
            self.para(details.authority, style="front", strong=details.authority)
        meetings = data.snapshot.meetings
        title = details.title or "Improvement plan"
        if data.part2:
            title = f"{title}: Part II"
        self.heading(title, 1, "top")
        if meetings:
            self.table(
                "Meetings this report goes to",
                ["Committee", "Date"],
                [_row(m.committee, ordinal_british(m.meets_on)) for m in meetings],
                widths=(3, 1),
            )
        if details.report_of:
            self.para(f"REPORT OF THE {clean(details.report_of).upper()}", style="front", strong="x")
        fields = paper_fields(details)
        lines = [f"Position as at {long_british(data.status_date)}"]
        if fields.report_date is not None:
            lines.append(f"Report date: {long_british(fields.report_date)}")
        if fields.agenda_item:
            lines.append(f"Agenda item: {fields.agenda_item}")
        if fields.wards_affected:
            lines.append(f"Wards affected: {fields.wards_affected}")
        for line in lines:
            self.para(line, style="front")

    # --- sections 1 and 2 --------------------------------------------------------------------------

    def introduction(self) -> None:
        details = self.data.details
        self.heading("1. Introduction and scope", 2, "section-1")
        numbering = Numbering("1")
        self.plan_text(details.introduction, numbering)
        self.plan_text(details.scope, numbering, empty=NO_TEXT if not details.introduction.strip() else "")

    def recommendations(self) -> None:
        self.heading("2. Recommendations", 2, "section-2")
        self.plan_text(self.data.details.recommendations, Numbering("2"), numbered_bullets=True, empty=NO_TEXT)

    # --- section 3 ----------------------------------------------------------------------------------

    def summary(self) -> None:
        data = self.data
        details = data.details
        self.heading("3. Summary", 2, "section-3")
        self.heading("3.1 How the review was carried out", 3, "section-3-1")
        method = Numbering("3.1")
        self.plan_text(details.review_method, method, empty=NO_TEXT)
        if data.snapshot.consultations:
            self.para("Appendix C sets out the consultation evidence gathered during the review.", method.next())
        self.heading("3.2 Summary", 3, "section-3-2")
        numbering = Numbering("3.2")
        summary = details.summary
        if self.bvpi is not None:
            # As the seed: the BVPI paragraph and the summary's opening paragraph are one paragraph, 3.2.1.
            text = bvpi_paragraph(data, self.bvpi)
            items = plan_items(clean(summary))
            if items and items[0].text and not items[0].bullets:
                text = f"{text} {items[0].text}"
                summary = "\n\n".join(_item_text(item) for item in items[1:])
            self.para(text, numbering.next())
        self.plan_text(summary, numbering)
        self.objectives_list(numbering)
        self.plan_position(numbering)
        self.progress_since("3.3")

    def objectives_list(self, numbering: Numbering) -> None:
        data = self.data
        if not data.objectives:
            return
        self.para("The following Improvement Objectives were agreed by the Review Group:", numbering.next())
        for objective in data.objectives:
            self.para(objective.description.strip() or objective.title, style="bullet", strong=objective.ref)

    def plan_position(self, numbering: Numbering) -> None:
        data = self.data
        actions = data.actions
        counts = data.counts_by_rag()
        status = long_british(data.status_date)
        self.para(position_sentence(data), numbering.next())
        if actions:
            total = sum(counts.values())
            rows: list[tuple[Cell, ...]] = [
                (
                    self.rag_cell(rag, rag.label),
                    Cell(words),
                    Cell(str(counts[rag])),
                    Cell(f"{percent_of(counts[rag], total)}%"),
                )
                for rag, words in RAG_KEY
            ]
            rows.append(
                (Cell(""), Cell("All actions in this report", strong=True), Cell(str(total), strong=True), Cell("100%"))
            )
            _, hidden, _ = data.hidden_summary
            if hidden:
                rows.append(_row("", "Exempt (Schedule 12A): not shown, reported in Part II", "exempt", ""))
            self.table(
                f"Actions by rating, as at {status}",
                ["Rating", "Position", "Actions", "Share"],
                rows,
                numeric=(2, 3),
                row_header=False,
                widths=(1, 5, 1.2, 1.2),
            )
        if data.objectives:
            self.para("The position of each objective (the worst rating of its actions) is:", numbering.next())
            rows = []
            for objective in data.objectives:
                shown = data.actions_of.get(objective.id, [])
                rag = data.objective_rag(objective)
                objective_flags = [data.assessed(a).flag for a in shown]
                rows.append(
                    (
                        Cell(clean(objective.ref), strong=True),
                        Cell(clean(objective.title)),
                        Cell(str(len(shown))),
                        Cell(str(sum(1 for a in shown if a.status == "complete"))),
                        Cell(str(objective_flags.count(Flag.OVERDUE))),
                        Cell(str(objective_flags.count(Flag.AT_RISK))),
                        self.rag_cell(rag, rag.label if rag is not None else ""),
                    )
                )
            self.table(
                "Position of each improvement objective",
                ["Ref", "Objective", "Actions", "Complete", "Overdue", "At risk", "Rating"],
                rows,
                numeric=(2, 3, 4, 5),
                widths=(1, 4.7, 1.6, 2.1, 1.7, 1.5, 1.8),  # each heading whole on one line in Word
            )
        statement = data.exempt_statement()
        if statement:
            self.para(sentence_case(statement), numbering.next())

    # --- 3.3 progress since the last report ------------------------------------------------------------

    def progress_since(self, prefix: str) -> None:
        changes = self.data.changes
        if changes is None:
            return
        data = self.data
        numbering = Numbering(prefix)
        self.heading(f"{prefix} {since_title(changes)}", 3, "progress-since")
        self.para(
            f"This compares the plan as at {long_british(data.status_date)} with the position reported in "
            f"{clean(changes.since.label)} (as at {long_british(changes.since.as_of)}). {counts_sentence(changes)}",
            numbering.next(),
        )
        counts = changes.counts()
        self.table(
            "Changes since the last report",
            ["Since the last report", "Actions"],
            [_row(title, str(counts[name])) for name, title in LIST_TITLES.items()],
            numeric=(1,),
            widths=(4, 1),
        )
        self.para("The actions in each list are:", numbering.next())
        for name, title in LIST_TITLES.items():
            heading = f"{title} ({counts[name]})"
            self.heading(heading, 4)
            if not counts[name]:
                self.para("None.")
                continue
            header, rows = self.change_rows(name, changes)
            self.table(heading, header, rows)

    def change_rows(self, name: str, changes: ChangesSince) -> tuple[list[str], list[tuple[Cell, ...]]]:
        data = self.data
        now = {a.ref: a for a in data.actions}
        report = data.snapshot.last_report
        then = report.by_ref() if report is not None else {}

        def title_of(ref: str) -> str:
            if ref in now:
                return now[ref].title
            return then[ref].title if ref in then else ""

        def ref_cell(ref: str) -> Cell:
            return Cell(clean(ref), strong=True)

        if name == "completed":
            return ["Ref", "Action", "Objective", "Target date", "Completed"], [
                (
                    ref_cell(r),
                    *_row(now[r].title, now[r].objective_ref, british(now[r].due)),
                    Cell(british(now[r].completed_on) if now[r].completed_on else "Not recorded"),
                )
                for r in changes.completed
            ]
        if name in ("newly_overdue", "newly_at_risk"):
            refs = changes.newly_overdue if name == "newly_overdue" else changes.newly_at_risk
            rows = []
            for r in refs:
                assessment = data.assessed(now[r])
                before = then.get(r)
                rows.append(
                    (
                        ref_cell(r),
                        *_row(
                            now[r].title,
                            british(now[r].due),
                            british(assessment.forecast),
                            rag_text(before.rag) if before is not None else "Not reported (new)",
                            sentence_case(data.reason(assessment)),
                        ),
                    )
                )
            return ["Ref", "Action", "Target date", "Forecast", "Reported as", "Reason"], rows
        if name == "revised":
            rows = []
            for item in changes.revised:
                action = now.get(item.ref)
                revision = data.latest_revision(action.id) if action is not None else None
                why = item.reason.strip() or "No reason recorded"
                if revision is not None and revision.agreed_by.strip():
                    why += f" (agreed by {revision.agreed_by.strip()})"
                rows.append(
                    (
                        ref_cell(item.ref),
                        *_row(
                            title_of(item.ref),
                            f"{british(item.from_due)} → {british(item.to_due)}",
                            slip_text(item.slip_days),
                            why,
                        ),
                    )
                )
            return ["Ref", "Action", "Target date: reported → now", "Slippage", "Why"], rows
        if name == "added":
            return ["Ref", "Action", "Objective", "Target date"], [
                (ref_cell(r), *_row(now[r].title, now[r].objective_ref, british(now[r].due))) for r in changes.added
            ]
        if name == "removed":
            return ["Ref", "Action (as reported)", "Objective", "Target date", "Reported as"], [
                (ref_cell(r), *_row(then[r].title, then[r].objective_ref, british(then[r].due), rag_text(then[r].rag)))
                for r in changes.removed
            ]
        rows = []
        for change in changes.rag_changes:
            rows.append(
                (
                    ref_cell(change.ref),
                    Cell(clean(title_of(change.ref))),
                    self._rag(change.from_rag),
                    self._rag(change.to_rag),
                )
            )
        return ["Ref", "Action", "Reported", "Now"], rows

    def _rag(self, letter: str) -> Cell:
        if letter not in Rag._value2member_map_:
            return Cell(clean(letter))
        rag = Rag(letter)
        return self.rag_cell(rag, RAG_WORDS[rag])

    # --- sections 4 to 6, background papers, decision status ---------------------------------------------

    def implications(self) -> None:
        details = self.data.details
        self.heading("4. Financial, legal and other implications", 2, "section-4")
        self.heading("4.1 Financial Implications", 3, "section-4-1")
        self.plan_text(details.financial_implications, Numbering("4.1"), empty="None.")
        self.heading("4.2 Legal Implications", 3, "section-4-2")
        self.plan_text(details.legal_implications, Numbering("4.2"), empty="None.")
        self.heading("4.3 Other Implications", 3, "section-4-3")
        implications = self.data.snapshot.implications
        if implications:
            self.table(
                "Other implications",
                ["Other implications", "Yes/No", "Paragraph references within supporting information"],
                [
                    (
                        Cell(clean(i.topic)),
                        Cell("YES" if i.applies else "NO", strong=True),
                        Cell(clean(i.paragraph_refs)),
                    )
                    for i in implications
                ],
                widths=(3, 1, 3),
            )
        else:
            self.para("None identified.", "4.3.1")

    def consultations(self) -> None:
        self.heading("5. Consultations", 2, "section-5")
        self.plan_text(self.data.details.consultations, Numbering("5"), empty="None.")

    def officer(self) -> None:
        details = self.data.details
        self.heading("6. Officer to contact", 2, "section-6")
        lines = [details.officer_name] if details.officer_name else []
        if details.officer_role:
            lines.append(details.officer_role)
        if details.officer_phone:
            lines.append(f"Telephone: {details.officer_phone}")
        if details.officer_email:
            lines.append(f"Email: {details.officer_email}")
        if not lines:
            lines.append("No officer to contact has been named.")
        for line in lines:
            self.para(line)

    def background_papers(self) -> None:
        """Local Government Act 1972 s.100D: the papers relied on, or a plain statement that there are none."""
        self.heading("Background papers", 2, "background-papers")
        papers = paper_fields(self.data.details).background_papers
        self.para("Background papers (Local Government Act 1972, section 100D):", style="lead")
        if not papers:
            self.para("None.")
        for paper in papers:
            self.para(paper, style="bullet")

    def decision_status(self) -> None:
        details = self.data.details
        self.heading("Decision status", 2, "decision-status")
        self.table(
            "Decision status",
            ["Item", "Status"],
            [
                _row("Key Decision", yes_no(details.key_decision)),
                _row("Reason", details.key_decision_reason or "—"),
                _row("Appeared in Forward Plan", yes_no(details.in_forward_plan)),
                _row("Executive or Council Decision", details.decision_maker or "—"),
            ],
            widths=(2, 3),
        )

    # --- Appendix A ----------------------------------------------------------------------------------

    def appendix(self, anchor: str, letter: str, title: str, subtitle: str) -> None:
        self.add(Break(landscape=True))
        self.heading(f"Appendix {letter}: {title}", 2, anchor)
        if subtitle:
            self.para(subtitle, style="note")

    def improvement_plan(self, letter: str, title: str) -> None:
        data = self.data
        self.appendix(
            "appendix-a",
            letter,
            title,
            f"Position as at {long_british(data.status_date)}. Each action's rating is shown by colour and in words.",
        )
        self.table(
            "Key to the ratings",
            ["Rating", "Meaning"],
            [(self.rag_cell(rag, rag.label), Cell(words)) for rag, words in RAG_KEY],
            widths=(1, 3),
        )
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.para(sentence_case(statement), style="note")
        if not data.objectives:
            self.para("The plan has no improvement objectives yet.")
        for objective in data.objectives:
            self.objective_block(objective)

    def objective_block(self, objective: ObjectiveRecord) -> None:
        data = self.data
        actions = data.actions_of.get(objective.id, [])
        self.heading(f"{clean(objective.ref)} {clean(objective.title)}", 3, f"objective-{objective.id}")
        rag = data.objective_rag(objective)
        meta = [f"Lead: {clean(objective.lead) or 'not named'}", count_text(len(actions), "action")]
        if rag is not None:
            meta.append(f"Objective rating: {rag.value} ({rag.label})")
        if data.part2 and objective.exempt_paragraph:
            meta.append(f"Exempt: Schedule 12A paragraph {objective.exempt_paragraph}")
        self.para(" · ".join(meta), style="note")
        if objective.description.strip() and objective.description.strip() != objective.title.strip():
            self.para(objective.description.strip())
        if not data.part2:
            hidden = [
                a for a in data.snapshot.actions if a.objective_id == objective.id and a.id in data.exempt_actions
            ]
            if hidden:
                paragraphs = {data.exempt_actions[a.id] for a in hidden}
                self.para(
                    f"{count_text(len(hidden), 'further action', 'further actions')} under this objective "
                    f"{'is' if len(hidden) == 1 else 'are'} exempt ({paragraphs_text(paragraphs)} of "
                    "Schedule 12A) and reported in Part II.",
                    style="note",
                )
        if not actions:
            self.para("No actions are shown under this objective.", style="note")
            return
        self.table(
            f"Actions under {clean(objective.ref)}",
            ["Ref", "Action", "Lead officer", "Target date", "Status", "Depends on", "Latest progress"],
            [self.action_row(a) for a in actions],
            widths=(14, 56, 33, 27, 28, 40, 63),
            details={i: d for i, a in enumerate(actions) if (d := self.action_details(a))},
        )

    def action_details(self, action: ActionRecord) -> tuple[tuple[str, str], ...]:
        """The PDF's full-width row under an action: a long description, success measure, resources, notes."""
        parts = []
        description = action.description.strip()
        if len(description) > LONG_DESCRIPTION:
            parts.append(("Description", clean(description)))
        for label, value in (
            ("Success measure", action.success_measure),
            ("Resources", action.resources),
            ("Notes", action.notes),
        ):
            if value.strip():
                parts.append((label, clean(value.strip())))
        return tuple(parts)

    def action_row(self, action: ActionRecord) -> tuple[Cell, ...]:
        data = self.data
        assessment = data.assessed(action)
        ref_note = ""
        if data.part2 and action.id in data.exempt_actions:
            ref_note = f"Sch. 12A para {data.exempt_actions[action.id]}"
        # As the PDF: a short description under the title, the rest in the full-width row (action_details).
        description = action.description.strip()
        details = [description] if len(description) <= LONG_DESCRIPTION else []
        revision = data.latest_revision(action.id)
        if revision is not None and revision.reason.strip():
            agreed = f" (agreed by {revision.agreed_by.strip()})" if revision.agreed_by.strip() else ""
            details.append(f"Target revised: {revision.reason.strip()}{agreed}")
        # The owner's role and department under the name, as the PDF prints them.
        owner_notes = [action.owner_role] if action.owner_role and action.owner_role != action.owner else []
        if action.department.strip():
            owner_notes.append(action.department.strip())
        owner = Cell(clean(action.owner or "Not assigned"), note=clean("\n".join(owner_notes)))
        due = british(action.due)
        original = data.snapshot.original_due.get(action.id)
        if original is not None and original != action.due:
            due = f"Original {british(original)}\nRevised {due}\n({slip_text((action.due - original).days)})"
        if action.status == "complete" and action.completed_on:
            due = f"{due}\nDone {british(action.completed_on)}"
        elif assessment.forecast > action.due and assessment.flag is not None:
            due = f"{due}\nForecast {british(assessment.forecast)}"
        status_note = ""
        if action.status not in ("complete", "cancelled", "deferred"):
            status_note = f"{status_label(action.status)}, {action.percent_complete}%"
        depends = data.depends_on(action)
        progress = data.snapshot.latest_progress.get(action.id)
        latest = Cell("No update recorded")
        if progress is not None:
            who = f" ({progress.author})" if progress.author else ""
            latest = Cell(clean(f"{british(progress.reported_on)}{who}: {progress.note}"))
        return (
            Cell(clean(action.ref), strong=True, note=ref_note),
            Cell(clean(action.title), note=clean("\n".join(d for d in details if d))),
            owner,
            Cell(due),
            self.rag_cell(assessment.rag, rag_words(assessment, action.status), status_note),
            Cell(clean("\n".join(depends)) if depends else "—"),
            latest,
        )

    # --- Appendix B ---------------------------------------------------------------------------------

    def exceptions(self, letter: str) -> None:
        data = self.data
        self.appendix(
            "appendix-b",
            letter,
            "Exempt items overdue or at risk" if data.part2 else "Exceptions: actions overdue or at risk",
            f"Position as at {long_british(data.status_date)}: every action that is overdue or at risk of "
            "missing its target date, worst first.",
        )
        self.exceptions_table()

    def exceptions_table(self) -> None:
        data = self.data
        overdue = sum(1 for item in data.flagged if item.flag is Flag.OVERDUE)
        at_risk = len(data.flagged) - overdue
        if not data.flagged:
            self.para("No action is overdue or at risk.")
            return
        self.para(
            f"{count_text(overdue, 'action is', 'actions are')} overdue and {at_risk} "
            f"{'is' if at_risk == 1 else 'are'} at risk."
        )
        actions = {a.id: a for a in data.actions}
        rows = []
        for item in data.flagged:
            action = actions[item.action_id]
            assessment = data.assessment.actions[item.action_id]
            if item.flag is Flag.OVERDUE and item.days_overdue is not None:
                timing = f"{days_text(item.days_overdue)} overdue\nForecast {british(item.forecast)}"
            else:
                timing = f"Forecast {british(item.forecast)}\n{days_text((item.forecast - item.due).days)} after target"
            progress = data.snapshot.latest_progress.get(item.action_id)
            note = f"{british(progress.reported_on)}: {progress.note}" if progress is not None else "No update recorded"
            rows.append(
                (
                    Cell(clean(item.ref), strong=True),
                    Cell(clean(item.title), note=clean(f"Objective {item.objective}")),
                    Cell(clean(item.owner or "Not assigned")),
                    Cell(british(item.due)),
                    self.rag_cell(assessment.rag, rag_words(assessment, action.status)),
                    Cell(timing),
                    Cell(clean(sentence_case(data.reason(item)))),
                    Cell(clean(note)),
                )
            )
        self.table(
            "Actions overdue or at risk, worst first",
            ["Ref", "Action", "Owner", "Target date", "Status", "Days overdue or forecast", "Reason", "Latest note"],
            rows,
            widths=(14, 50, 29, 27, 22, 27, 44, 48),
        )

    def due_soon_table(self) -> None:
        """The due-soon actions the exceptions cover counts: every item counted is listed."""
        data = self.data
        due_soon = [a for a in data.actions if data.assessed(a).flag is Flag.DUE_SOON]
        self.heading(f"Due soon ({len(due_soon)})", 3, "due-soon")
        if not due_soon:
            self.para("No action is due soon.")
            return
        self.table(
            f"Actions due within {data.details.due_soon_days} days of the status date",
            ["Ref", "Action", "Owner", "Target date", "Status"],
            [
                (
                    Cell(clean(a.ref), strong=True),
                    Cell(clean(a.title), note=clean(f"Objective {a.objective_ref}")),
                    Cell(clean(a.owner or "Not assigned")),
                    Cell(british(a.due)),
                    self.rag_cell(data.assessed(a).rag, "Due soon", f"{status_label(a.status)}, {a.percent_complete}%"),
                )
                for a in due_soon
            ],
            widths=(14, 80, 40, 24, 30),
        )

    # --- Appendix C ---------------------------------------------------------------------------------

    def consultation_evidence(self, letter: str) -> None:
        self.appendix(
            "appendix-c", letter, "Consultation evidence", "How the review consulted staff, the public and partners."
        )
        evidence = self.data.snapshot.consultations
        if not evidence:
            self.para("No consultation evidence has been recorded.")
            return
        self.table(
            "Consultation evidence",
            ["Method", "Audience", "Number", "Date", "Summary"],
            [
                _row(c.method, c.audience, c.respondents_text or "—", british(c.held_on, "—"), c.summary)
                for c in evidence
            ],
            widths=(30, 40, 20, 20, 151),
        )

    # --- Appendix D ---------------------------------------------------------------------------------

    def bvpi_appendix(self, letter: str) -> None:
        data = self.data
        position = self.bvpi
        assert position is not None
        self.appendix(
            "appendix-d",
            letter,
            "BVPI 157 electronic service delivery",
            "Types of interaction enabled for electronic delivery as a percentage of the types of interaction that "
            f"are legally permissible for electronic delivery. Target: 100% by {long_british(BVPI_TARGET_DATE)}.",
        )
        self.para(bvpi_paragraph(data, position, shortfall=False))
        rows = []
        confirmed = dict(position.confirmed_milestones)
        points = []
        for when, forecast in position.milestones:
            basis, figure = ("Position", confirmed[when]) if when <= data.status_date else ("Forecast", forecast)
            points.append(f"{basis.lower()} {pct_label(figure.percent)} at {british(when)}")
            rows.append(
                _row(
                    british(when),
                    basis,
                    str(figure.enabled),
                    str(figure.permissible),
                    pct_label(figure.percent),
                    "Target date" if when == BVPI_TARGET_DATE else "",
                )
            )
        milestones = Table(
            "BVPI 157 milestones (the figures the chart marks)",
            ("Date", "Basis", "e-enabled", "Legally permissible", "BVPI 157", "Note"),
            rows,
            frozenset({2, 3, 4}),
            True,
            (26, 24, 24, 34, 24, 30),
        )
        description = (
            "Line chart of BVPI 157 by month: a solid line for the actual percentage of interactions e-enabled, "
            "a dashed line for the forecast from departments' forecast dates, and the target of 100% by "
            f"{british(BVPI_TARGET_DATE)}. Marked figures: {join_words(points) or 'none'}. "
            "The table that follows gives the same figures."
        )
        # The PDF's own drawing, so the picture in every format is the same chart (width as in the landscape PDF).
        drawing = bvpi_chart(data.snapshot, data.status_date, 760, 193)
        self.add(Figure("BVPI 157: actual and forecast, with the 100% target", description, drawing, milestones))
        self.bvpi_tables(position)

    def bvpi_tables(self, position: BvpiPosition) -> None:
        data = self.data
        departments, interactions = bvpi_table_rows(data)
        figures = bvpi_figure_headers(data)
        self.table(
            "BVPI 157 by department",
            ["Department", *figures],
            [_row(*row) for row in departments],
            numeric=(1, 2, 3, 4),
            widths=(78, 32, 32, 32, 34),
        )
        self.table(
            "BVPI 157 by type of interaction",
            ["Code", "Interaction", *figures],
            [_row(*row) for row in interactions],
            numeric=(2, 3, 4, 5),
            widths=(12, 96, 32, 32, 32, 34),
        )
        title = shortfall_title(data.status_date)
        if not position.shortfall:
            self.heading(title, 3)
            self.para(no_shortfall_text(data))
        else:
            self.table(
                title,
                ["Service", "Department", "Interaction", "Why it keeps BVPI 157 under 100%"],
                [_row(*row) for row in shortfall_rows(position)],
                widths=(60, 50, 60, 91),
            )
        excluded = excluded_rows(data)
        if excluded:
            self.table(
                "Not legally permissible electronically (counted in neither figure)",
                ["Service", "Department", "Interaction", "Reason"],
                [_row(*row) for row in excluded],
                widths=(60, 50, 60, 91),
            )

    # --- the exceptions pack ---------------------------------------------------------------------------

    def exceptions_pack(self) -> None:
        data = self.data
        details = data.details
        if data.part2:
            self.not_for_publication("Exempt information")
        if details.authority:
            self.para(details.authority, style="front", strong=details.authority)
        self.heading(details.title or "Improvement plan", 1, "top")
        self.para(
            ("Exempt items overdue or at risk" if data.part2 else "Exceptions report: actions overdue or at risk")
            + f" — position as at {long_british(data.status_date)}",
            style="front",
        )
        self.add(Break(landscape=True))
        self.heading("Exceptions: actions overdue or at risk", 2, "exceptions")
        flags = [data.assessed(a).flag for a in data.actions]
        self.table(
            "Actions in this report by position",
            ["Position", "Actions"],
            [
                (self.rag_cell(Rag.RED, "Overdue"), Cell(str(flags.count(Flag.OVERDUE)))),
                (self.rag_cell(Rag.AMBER, "At risk"), Cell(str(flags.count(Flag.AT_RISK)))),
                (self.rag_cell(Rag.GREEN, "Due soon"), Cell(str(flags.count(Flag.DUE_SOON)))),
                (Cell("Actions in this report"), Cell(str(len(flags)), strong=True)),
            ],
            numeric=(1,),
            widths=(3, 1),
        )
        self.para(
            f"Due soon means due within {details.due_soon_days} days of the status date; the due-soon actions are "
            "listed after the exceptions.",
            style="note",
        )
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.para(sentence_case(statement), style="note")
        self.heading("Overdue or at risk", 3, "overdue-at-risk")
        self.exceptions_table()
        self.due_soon_table()
        self.progress_since_short()

    def progress_since_short(self) -> None:
        changes = self.data.changes
        if changes is None:
            return
        self.heading(since_title(changes), 2, "progress-since")
        self.para(counts_sentence(changes))
        counts = changes.counts()
        rows = []
        for name, title in LIST_TITLES.items():
            _, listed = self.change_rows(name, changes) if counts[name] else ([], [])
            which = "; ".join(f"{r[0].text} {r[1].text}".strip() for r in listed) or "None"
            rows.append((Cell(title, strong=True), Cell(str(counts[name])), Cell(which)))
        self.table(
            "Progress since the last report",
            ["Since the last report", "Actions", "Which"],
            rows,
            numeric=(1,),
            widths=(40, 16, 209),
        )


def _item_text(item: object) -> str:
    """A plan item back as plan text (its paragraph, then its bullets), to number the rest as the PDF does."""
    text = getattr(item, "text", "")
    bullets = getattr(item, "bullets", [])
    lines = [text] if text else []
    lines += ["- " + b.replace("\n", "\n  ") for b in bullets]
    return "\n".join(lines)
