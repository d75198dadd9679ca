"""The packs in the content model: which sections and appendices each report carries, in order (the cabinet
report, its Part II pack and the exceptions report), and the exceptions report's own parts."""

from __future__ import annotations

from egov_planner.model.dates import long_british
from egov_planner.model.rules import Flag, Rag
from egov_planner.reports.content import (
    Break,
    Cell,
    Numbering,
    Report,
    _row,
    properties,
)
from egov_planner.reports.content_appendices import AppendixSections
from egov_planner.reports.content_sections import CabinetSections
from egov_planner.reports.content_timeline import TimelineSection
from egov_planner.reports.data import SCHEDULE_12A, PackData, count_text, paragraphs_text
from egov_planner.reports.since import LIST_TITLES, counts_sentence, since_title
from egov_planner.reports.wording import (
    sentence_case,
)


class ContentWriter(CabinetSections, AppendixSections, TimelineSection):
    """Writes a whole pack into a Report."""

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
        # Last, as in the PDF pack, so the other appendices keep their letters.
        self.timeline_appendix("E" if self.bvpi is not None else "D")

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
        self.timeline_appendix("C")

    def not_for_publication(self, opening: str) -> None:
        _, _, paragraphs = self.data.hidden_summary
        self.para("NOT FOR PUBLICATION", style="banner")
        self.para(
            f"{opening} within the meaning of {paragraphs_text(paragraphs)} of Part 1 of Schedule 12A "
            "to the Local Government Act 1972.",
            style="banner",
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


def build_content(data: PackData, kind: str = "cabinet") -> Report:
    """The report (kind 'cabinet' or 'exceptions'; public or Part II as data was prepared) as plain data."""
    title, author, subject = properties(data, kind)
    report = Report(title=title, author=author, subject=subject, kind=kind, part2=data.part2)
    writer = ContentWriter(data, report)
    if kind == "exceptions":
        writer.exceptions_pack()
    elif data.part2:
        writer.part2_pack()
    else:
        writer.cabinet_pack()
    return report

