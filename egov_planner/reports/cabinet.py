"""The cabinet report pack, in the order and wording of the seed's committee report.

Front page; 1 introduction and scope; 2 recommendations; 3 summary (how the
review was carried out, and a summary whose figures are computed from the
plan); 4 financial, legal and other implications; 5 consultations; 6 officer
to contact; decision status. Then, landscape: Appendix A the improvement plan,
B exceptions, C consultation evidence, D BVPI 157 (only when the plan lists
services), then the timeline under the next letter. A Part II pack carries the
exempt items alone (A, B and its timeline C).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from egov_planner.model.bvpi import bvpi_position
from egov_planner.model.dates import long_british, ordinal_british
from egov_planner.model.rules import Flag, Rag
from egov_planner.reports.appendices import NO_TEXT, Appendices
from egov_planner.reports.data import SCHEDULE_12A, count_text, paragraphs_text
from egov_planner.reports.document import Anchor, ContentsEntry, ContentsList
from egov_planner.reports.since import ProgressSince
from egov_planner.reports.story import Numbering, numbering_claimed, rag_cell
from egov_planner.reports.tables import Cell
from egov_planner.reports.text import BLANK_LINE, Markup, esc, plan_items
from egov_planner.reports.wording import bvpi_paragraph, percent_of, position_sentence, yes_no

# --- the pack ---------------------------------------------------------------------------------


class CabinetPack(ProgressSince, Appendices):
    """The public cabinet pack (or, with data.part2, the Part II pack)."""

    def build(self) -> None:
        data = self.data
        self.bvpi = bvpi_position(data.snapshot, data.status_date) if data.snapshot.service_rows else None
        if data.part2:
            self.part2_front()
            # The exempt actions' own changes since the last report: the public pack leaves them out.
            self.progress_since("1.3")
            self.improvement_plan("A", "Exempt items of the improvement plan")
            self.exceptions("B")
            self.timeline_appendix("appendix-timeline", self.timeline_letter)
            return
        self.front()
        self.introduction()
        self.recommendations()
        self.summary()
        self.implications()
        self.consultations()
        self.officer()
        self.decision_status()
        self.background_papers()
        self.improvement_plan("A", "Improvement plan")
        self.exceptions("B")
        self.consultation_evidence("C")
        if self.bvpi is not None:
            self.bvpi_appendix("D")
        self.timeline_appendix("appendix-timeline", self.timeline_letter)

    @property
    def timeline_letter(self) -> str:
        """The timeline comes after the other appendices, so their letters stay as they were."""
        if self.data.part2:
            return "C"
        return "E" if self.bvpi is not None else "D"

    # --- front page ------------------------------------------------------------------------

    def contents(self) -> list[ContentsEntry]:
        if self.data.part2:
            return [
                ContentsEntry("part2-exempt", "Exempt information"),
                *(
                    [ContentsEntry("progress-since", "1.3 Progress since the last report", level=1)]
                    if self.data.changes is not None
                    else []
                ),
                ContentsEntry("appendix-a", "Appendix A: Exempt items of the improvement plan"),
                ContentsEntry("appendix-b", "Appendix B: Exempt items overdue or at risk"),
                ContentsEntry("appendix-timeline", f"Appendix {self.timeline_letter}: Timeline of the exempt items"),
            ]
        entries = [
            ContentsEntry("section-1", "1. Introduction and scope"),
            ContentsEntry("section-2", "2. Recommendations"),
            ContentsEntry("section-3", "3. Summary"),
            *(
                [ContentsEntry("progress-since", "3.3 Progress since the last report", level=1)]
                if self.data.changes is not None
                else []
            ),
            ContentsEntry("section-4", "4. Financial, legal and other implications"),
            ContentsEntry("section-5", "5. Consultations"),
            ContentsEntry("section-6", "6. Officer to contact"),
            ContentsEntry("decision-status", "Decision status"),
            ContentsEntry("background-papers", "Background papers"),
            ContentsEntry("appendix-a", "Appendix A: Improvement plan"),
            ContentsEntry("appendix-b", "Appendix B: Exceptions: actions overdue or at risk"),
            ContentsEntry("appendix-c", "Appendix C: Consultation evidence"),
        ]
        if self.bvpi is not None:
            entries.append(ContentsEntry("appendix-d", "Appendix D: BVPI 157 electronic service delivery"))
        entries.append(ContentsEntry("appendix-timeline", f"Appendix {self.timeline_letter}: Timeline"))
        return entries

    def not_for_publication(self, opening: str) -> None:
        """The Part II banner and the Schedule 12A paragraphs the exempt items fall under."""
        _, _, paragraphs = self.data.hidden_summary
        self.add(self.para("NOT FOR PUBLICATION", self.look.part2_banner))
        self.add(
            self.para(
                f"{opening} within the meaning of {paragraphs_text(paragraphs)} of Part 1 of Schedule 12A "
                "to the Local Government Act 1972. In all the circumstances of the case, the public interest in "
                "maintaining the exemption outweighs the public interest in disclosing the information.",
                self.look.part2_text,
            )
        )

    def front_block(self) -> None:
        """Authority, committees with their meeting dates, title, 'REPORT OF THE …'."""
        details = self.data.details
        look = self.look
        if details.authority:
            self.add(self.para(details.authority, look.authority))
        meetings = [
            [self.cell(m.committee, look.meeting), self.cell(ordinal_british(m.meets_on), look.meeting)]
            for m in self.data.snapshot.meetings
        ]
        if meetings:
            self.add(self.table(None, meetings, [110, 52], rules=False, flush_left=True))
        title = details.title or "Improvement plan"
        if self.data.part2:
            title = f"{title}: Part II"
        self.add(self.para(title, look.title))
        if details.report_of:
            self.add(self.para(f"REPORT OF THE {details.report_of.upper()}", look.report_of))
        self.add(self.para(f"Position as at {long_british(self.data.status_date)}", look.position))
        self.front_sheet_facts()

    def front_sheet_facts(self) -> None:
        """What the clerk files the paper by: agenda item, report date, wards affected and whom to ask."""
        details = self.data.details
        facts: list[tuple[str, str]] = []
        if details.agenda_item.strip():
            facts.append(("Agenda item", details.agenda_item.strip()))
        if details.report_date is not None:
            facts.append(("Report date", long_british(details.report_date)))
        if details.wards_affected.strip():
            facts.append(("Wards affected", details.wards_affected.strip()))
        contact = [x.strip() for x in (details.officer_name, details.officer_role) if x.strip()]
        if details.officer_phone.strip():
            contact.append(f"telephone {details.officer_phone.strip()}")
        if details.officer_email.strip():
            contact.append(f"email {details.officer_email.strip()}")
        if contact:
            facts.append(("Contact officer", ", ".join(contact)))
        for label, value in facts:
            self.add(self.para(Markup(f"<b>{esc(label)}:</b> {esc(value)}"), self.look.meeting))

    def front(self) -> None:
        self.front_block()
        self.add(self.para("CONTENTS", self.look.contents_title))
        self.add(ContentsList(self.contents(), self.furniture))
        self.tick("front page")
        self.new_page(landscape=False)

    def part2_front(self) -> None:
        data = self.data
        look = self.look
        self.not_for_publication("This report contains exempt information")
        self.front_block()
        self.add(self.para("CONTENTS", look.contents_title))
        self.add(ContentsList(self.contents(), self.furniture))
        self.section("part2-exempt", "EXEMPT INFORMATION", "Exempt information")
        objectives, actions, paragraphs = data.hidden_summary
        numbering = Numbering("1")
        parts = []
        if objectives:
            parts.append(count_text(objectives, "improvement objective"))
        if actions:
            parts.append(count_text(actions, "action"))
        self.add(
            self.numbered(
                numbering.next(),
                (
                    f"This Part II pack carries the exempt information in the improvement plan: {' and '.join(parts)}. "
                    "The exempt items are left out of the public report, its appendices and its figures; read this "
                    "pack with the public report."
                ),
            )
        )
        self.add(
            self.numbered(
                numbering.next(),
                "The exempt items fall under these paragraphs of Part 1 of "
                "Schedule 12A to the Local Government Act 1972:",
            )
        )
        rows = [[str(p), SCHEDULE_12A[p]] for p in sorted(paragraphs)]
        self.add(
            self.captioned(
                "Schedule 12A paragraphs the exempt items fall under",
                ["Paragraph", "Description"],
                rows,
                [24, 138],
                column_styles=[self.look.body_cell, self.look.body_cell],
                header_style=self.look.body_cell_head,
            )
        )
        self.tick("front page")

    # --- sections 1 and 2 ------------------------------------------------------------------------

    def introduction(self) -> None:
        details = self.data.details
        self.section("section-1", "1. INTRODUCTION AND SCOPE")
        numbering = Numbering("1")
        self.plan_text(details.introduction, numbering)
        self.plan_text(details.scope, numbering, empty=NO_TEXT if not details.introduction.strip() else "")

    def recommendations(self) -> None:
        self.section("section-2", "2. RECOMMENDATIONS")
        self.plan_text(self.data.details.recommendations, Numbering("2"), numbered_bullets=True, empty=NO_TEXT)
        self.tick("sections 1 and 2")

    # --- section 3 --------------------------------------------------------------------------------

    def summary(self) -> None:
        data = self.data
        details = data.details
        self.section("section-3", "3. SUMMARY")
        self.subsection("3.1 How the review was carried out")
        method = Numbering("3.1")
        self.plan_text(details.review_method, method, empty=NO_TEXT)
        if data.snapshot.consultations:
            self.add(
                self.numbered(
                    method.next(), "Appendix C sets out the consultation evidence gathered during the review."
                )
            )
        self.subsection("3.2 Summary")
        numbering = Numbering("3.2")
        summary = details.summary
        if self.bvpi is not None:
            # The computed BVPI figures open the summary's first paragraph, as the seed's 3.2.1 does:
            # one paragraph, so the officer's paragraphs keep the seed's numbers (3.2.2, 3.2.3 …).
            items = plan_items(summary)
            opening = bvpi_paragraph(data, self.bvpi)
            if items and items[0].text and not items[0].bullets and not numbering_claimed(items[0].text, "3.2"):
                self.add(self.numbered(numbering.next(), f"{opening} {items[0].text}"))
                parts = BLANK_LINE.split(summary.replace("\r\n", "\n").replace("\r", "\n").strip(), maxsplit=1)
                summary = parts[1] if len(parts) > 1 else ""
            else:
                self.add(self.numbered(numbering.next(), opening))
        self.plan_text(summary, numbering)
        self.objectives_lead_in(numbering)
        self.plan_position(numbering)
        self.objectives_position(numbering)
        self.tick("section 3")
        # What members ask first at the next meeting: what has moved since they last saw the plan.
        self.progress_since("3.3")

    def plan_position(self, numbering: Numbering) -> None:
        """Actions by RAG, % complete, overdue and at-risk counts: all from the rules."""
        data = self.data
        actions = data.actions
        counts = data.counts_by_rag()
        position = self.numbered(numbering.next(), position_sentence(data))
        if not actions:
            self.add(position)
        else:
            position.keepWithNext = 1
            self.add(position, self.position_table(counts))
        statement = data.exempt_statement()
        if statement:
            self.add(self.numbered(numbering.next(), statement))

    def position_table(self, counts: dict[Rag, int]) -> Flowable:
        look = self.look
        total = sum(counts.values())
        rows: list[list[object]] = []
        labels = {
            Rag.RED: "Overdue",
            Rag.AMBER: "At risk",
            Rag.GREEN: "On track",
            Rag.BLUE: "Complete",
            Rag.GREY: "Not rated (deferred or cancelled)",
        }
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY):
            rows.append([rag_cell(rag, ""), labels[rag], str(counts[rag]), f"{percent_of(counts[rag], total)}%"])
        rows.append(["", Markup("<b>All actions in this report</b>"), Markup(f"<b>{total}</b>"), "100%"])
        _, hidden, _ = self.data.hidden_summary
        if hidden:
            rows.append(["", "Exempt (Schedule 12A): not shown, reported in Part II", "exempt", ""])
        head_right = look.cell_head_right
        return self.captioned(
            f"Actions by rating at {long_british(self.data.status_date)}",
            ["Rating", "Position", Cell(Markup("Actions"), head_right), Cell(Markup("Share"), head_right)],
            rows,
            [16, 100, 22, 22],
            fill=False,
            column_styles=[look.cell, look.cell, look.cell_right, look.cell_right],
        )

    def objectives_lead_in(self, numbering: Numbering) -> None:
        data = self.data
        if not data.objectives:
            return
        lead_in = self.numbered(
            numbering.next(), "The following Improvement Objectives were agreed by the Review Group:"
        )
        bullets = [
            self.bullet(Markup(f"<b>{esc(o.ref)}</b>&nbsp;&nbsp;{esc(o.description.strip() or o.title)}"))
            for o in data.objectives
        ]
        self.add(KeepTogether([lead_in, *bullets]))

    def objectives_position(self, numbering: Numbering) -> None:
        data = self.data
        if not data.objectives:
            return
        lead_in = self.numbered(
            numbering.next(), "The position of each objective (the worst rating of its actions) is:"
        )
        lead_in.keepWithNext = 1  # the lead-in never ends a page without its table
        look = self.look
        rows: list[list[object]] = []
        for objective in data.objectives:
            actions = data.actions_of.get(objective.id, [])
            rag = data.objective_rag(objective)
            flags = [data.assessed(a).flag for a in actions]
            rows.append(
                [
                    Cell(Markup(f"<b>{esc(objective.ref)}</b>"), look.cell),
                    objective.title,
                    str(len(actions)),
                    str(sum(1 for a in actions if a.status == "complete")),
                    str(flags.count(Flag.OVERDUE)),
                    str(flags.count(Flag.AT_RISK)),
                    rag_cell(rag, "") if rag is not None else "No actions",
                ]
            )
        right = look.cell_right
        self.add(
            lead_in,
            self.captioned(
                f"Position of each improvement objective at {long_british(data.status_date)}",
                [
                    "Ref",
                    "Objective",
                    Cell(Markup("Actions"), look.cell_head_right),
                    Cell(Markup("Complete"), look.cell_head_right),
                    Cell(Markup("Overdue"), look.cell_head_right),
                    Cell(Markup("At risk"), look.cell_head_right),
                    "Rating",
                ],
                rows,
                [11, 60, 18, 19, 18, 18, 18],
                column_styles=[look.cell, look.cell, right, right, right, right, look.cell],
            ),
        )
        self.space(4 * mm)

    # --- sections 4 to 6 ---------------------------------------------------------------------------

    def implications(self) -> None:
        details = self.data.details
        look = self.look
        self.section("section-4", "4. FINANCIAL, LEGAL AND OTHER IMPLICATIONS")
        self.subsection("4.1 Financial Implications")
        self.plan_text(details.financial_implications, Numbering("4.1"), empty="None.")
        self.subsection("4.2 Legal Implications")
        self.plan_text(details.legal_implications, Numbering("4.2"), empty="None.")
        self.subsection("4.3 Other Implications")
        implications = self.data.snapshot.implications
        if implications:
            rows = [[i.topic, "YES" if i.applies else "NO", i.paragraph_refs] for i in implications]
            self.add(
                self.captioned(
                    "Other implications",
                    ["OTHER IMPLICATIONS", "YES/NO", "Paragraph references within supporting information."],
                    rows,
                    [68, 22, 72],
                    column_styles=[look.body_cell, look.body_cell_bold, look.body_cell],
                    header_style=look.body_cell_head,
                )
            )
        else:
            self.add(self.numbered("4.3.1", "None identified."))

    def consultations(self) -> None:
        self.section("section-5", "5. CONSULTATIONS")
        self.plan_text(self.data.details.consultations, Numbering("5"), empty="None.")

    def officer(self) -> None:
        details = self.data.details
        self.section("section-6", "6. OFFICER TO CONTACT")
        lines = [esc(details.officer_name)] if details.officer_name else []
        if details.officer_role:
            lines.append(esc(details.officer_role))
        if details.officer_phone:
            lines.append(Markup(f"Telephone: {esc(details.officer_phone)}"))
        if details.officer_email:
            lines.append(Markup(f"Email: {esc(details.officer_email)}"))
        if not lines:
            lines.append(Markup(f"<i>{esc('No officer to contact has been named.')}</i>"))
        self.add(self.para(Markup("<br/>".join(lines))))
        self.tick("sections 4 to 6")

    def decision_status(self) -> None:
        details = self.data.details
        look = self.look
        self.add(self.para("", look.body))
        self.section("decision-status", "DECISION STATUS", "Decision status")
        rows = [
            ["Key Decision", yes_no(details.key_decision)],
            ["Reason", details.key_decision_reason or "—"],
            ["Appeared in Forward Plan", yes_no(details.in_forward_plan)],
            ["Executive or Council Decision", details.decision_maker or "—"],
        ]
        self.add(
            self.captioned(
                "Decision status", None, rows, [62, 100], column_styles=[look.body_cell_bold, look.body_cell]
            )
        )

    def background_papers(self) -> None:
        """The list the Local Government Act 1972 s.100D requires with every report: 'None.' when there are none."""
        papers = [line.strip() for line in self.data.details.background_papers.splitlines() if line.strip()]
        self.section(
            "background-papers",
            "BACKGROUND PAPERS – LOCAL GOVERNMENT ACT 1972 s.100D",
            "Background papers",
        )
        if not papers:
            self.add(self.para("None."))
            return
        self.add(self.para("The following papers were relied on in writing this report:"))
        self.add(*(self.bullet(paper, under_number=False) for paper in papers))


class ExceptionsPack(CabinetPack):
    """Appendix B alone, with a short cover, for a management team meeting (landscape throughout)."""

    def build(self) -> None:
        data = self.data
        look = self.look
        details = data.details
        self.landscape = True
        if data.part2:
            self.not_for_publication("Exempt information")
        if details.authority:
            self.add(self.para(details.authority, look.objective))
        title = details.title or "Improvement plan"
        self.add(self.para(title, look.title))
        self.add(Anchor("exceptions", "Exceptions: actions overdue or at risk"))
        self.add(
            self.para(
                ("Exempt items overdue or at risk" if data.part2 else "Exceptions report: actions overdue or at risk")
                + f" — position as at {long_british(data.status_date)}",
                look.report_of,
            )
        )
        actions = data.actions
        flags = [data.assessed(a).flag for a in actions]
        rows = [
            [
                rag_cell(Rag.RED, "Overdue"),
                Markup(f"<b>{flags.count(Flag.OVERDUE)}</b>"),
                rag_cell(Rag.AMBER, "At risk"),
                Markup(f"<b>{flags.count(Flag.AT_RISK)}</b>"),
                rag_cell(Rag.GREEN, "Due soon"),
                Markup(f"<b>{flags.count(Flag.DUE_SOON)}</b>"),
                "Actions in this report",
                Markup(f"<b>{len(actions)}</b>"),
            ]
        ]
        self.space(2 * mm)
        self.add(
            self.captioned(
                "Actions counted in this report",
                None,
                rows,
                [26, 14, 26, 14, 26, 14, 40, 14],
                fill=False,
                column_styles=[look.cell, look.body_cell] * 4,
            )
        )
        self.space(3 * mm)
        self.add(
            self.muted(
                f"Due soon means due within {details.due_soon_days} days of the status date and neither overdue "
                "nor at risk; the due-soon actions are listed after the exceptions."
            )
        )
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.add(self.muted(statement[0].upper() + statement[1:]))
        self.tick("cover")
        self.exceptions_table()
        self.due_soon_table()
        self.progress_since_short()


class TimelinePack(CabinetPack):
    """The timeline alone, on landscape sheets with a short heading (report --kind timeline)."""

    def build(self) -> None:
        data = self.data
        look = self.look
        details = data.details
        self.landscape = True
        self.a3 = self.timeline_paper == "a3"  # the first page's template is chosen to match (pack.py)
        if data.part2:
            self.not_for_publication("Exempt information")
        title = details.title or "Improvement plan"
        heading = f"{details.authority}: {title}" if details.authority else title
        self.add(Anchor("timeline", "Timeline"))
        self.add(self.para(heading, look.objective))
        self.add(
            self.para(
                ("Timeline of the exempt items" if data.part2 else "Timeline")
                + f" — position as at {long_british(data.status_date)}",
                look.report_of,
            )
        )
        self.timeline_chart()
