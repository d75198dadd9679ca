"""The cabinet report pack, in the order and wording of the seed's committee report.

Front page; 1 introduction and scope; 2 recommendations; 3 summary (how the
review was carried out, and a summary whose figures are computed from the
plan); 4 financial, legal and other implications; 5 consultations; 6 officer
to contact; decision status. Then, landscape: Appendix A the improvement plan,
B exceptions, C consultation evidence, D BVPI 157 (only when the plan lists
services). A Part II pack carries the exempt items alone.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from egov_planner.model.bvpi import BvpiPosition, bvpi_position
from egov_planner.model.dates import british, long_british, ordinal_british
from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.records import ActionRecord, ObjectiveRecord
from egov_planner.model.rules import BVPI_TARGET_DATE, Flag, Rag, bvpi_breakdown, days_text
from egov_planner.reports.chart import bvpi_chart, pct_label
from egov_planner.reports.data import SCHEDULE_12A, PackData, count_text, paragraphs_text
from egov_planner.reports.document import Anchor, ContentsEntry, ContentsList
from egov_planner.reports.story import Numbering, StoryWriter, action_status_cell, rag_cell, rag_words
from egov_planner.reports.tables import Cell
from egov_planner.reports.text import Markup, esc

NO_TEXT = "No text has been entered for this part of the report."


def month_year(value: date) -> str:
    """'March 2004', as the seed states its forecasts."""
    return f"{calendar.month_name[value.month]} {value.year}"


def percent_of(part: int, whole: int) -> int:
    """A whole percentage, rounded half up (0 when there is nothing to divide)."""
    return (part * 200 + whole) // (whole * 2) if whole else 0


def sentence_case(text: str) -> str:
    """'overdue by 12 days …' -> 'Overdue by 12 days …' (the rules' reasons start in lower case)."""
    return text[:1].upper() + text[1:]


def yes_no(value: bool | None) -> str:
    return "Not stated" if value is None else ("Yes" if value else "No")


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# --- the BVPI 157 paragraph ------------------------------------------------------------------


def bvpi_paragraph(data: PackData, position: BvpiPosition, *, shortfall: bool = True) -> str:
    """The summary's BVPI 157 paragraph in the seed's words, every figure from model/bvpi.py.

    shortfall adds why the target will not be met (left out in Appendix D, whose table says it).
    """
    status = data.status_date
    now = position.now
    sentences = [
        f"As at {long_british(status)}, {now.enabled} of the {now.permissible} interactions with the public "
        f"that can legally be delivered electronically are e-enabled (BVPI 157: {pct_label(now.percent)})."
    ]
    ahead = [(when, figure) for when, figure in position.milestones if status < when < BVPI_TARGET_DATE]
    if ahead:
        forecasts = [f"{pct_label(figure.percent)} by {month_year(when)}" for when, figure in ahead]
        sentences.append(f"The authority's progress in e-enabling services gives forecasts of {join_words(forecasts)}.")
    target = dict(position.milestones).get(BVPI_TARGET_DATE)
    if target is not None and status < BVPI_TARGET_DATE:
        sentences.append(
            f"We forecast that by {month_year(BVPI_TARGET_DATE)} {pct_label(target.percent)} of our services "
            "will be e-enabled" + (", meeting the target of 100%." if target.enabled == target.permissible else ".")
        )
    elif target is not None:
        sentences.append(
            f"At the target date of {long_british(BVPI_TARGET_DATE)}, {pct_label(target.percent)} of our "
            "services were e-enabled."
        )
    if shortfall:
        sentences += shortfall_sentences(data, position)
    return " ".join(sentences)


def shortfall_sentences(data: PackData, position: BvpiPosition) -> list[str]:
    """Why BVPI 157 stays under 100% at the target date (rules.bvpi_shortfall), grouped by cause."""
    if not position.shortfall:
        return []
    externals = {e.id: e for e in data.snapshot.externals}
    waiting: dict[int, list[str]] = defaultdict(list)
    unforecast: list[str] = []
    late: list[str] = []
    for item in position.shortfall:
        row = item.row
        external = externals.get(row.external_id) if row.external_id is not None else None
        if external is not None and external.delivered_on is None:
            waiting[external.id].append(row.service)
        elif row.forecast_on is None:
            unforecast.append(row.service)
        else:
            late.append(row.service)
    parts = []
    for external_id, services in waiting.items():
        external = externals[external_id]
        names = sorted(set(services))
        when = (
            (
                f"which is not expected to come on line until {month_year(external.expected_on)}"
                if external.expected_on > data.status_date
                else f"which was expected to come on line in {month_year(external.expected_on)}"
            )
            if external.expected_on
            else "which has no expected date"
        )
        parts.append(
            f"{join_words(names)} {'is' if len(names) == 1 else 'are'} dependent on the {external.name}, {when} "
            f"({count_text(len(services), 'interaction')})"
        )
    if late:
        parts.append(
            f"{count_text(len(late), 'interaction')} of {join_words(sorted(set(late)))} "
            f"{'is' if len(late) == 1 else 'are'} forecast after {month_year(BVPI_TARGET_DATE)}"
        )
    if unforecast:
        parts.append(
            f"{count_text(len(unforecast), 'interaction')} of {join_words(sorted(set(unforecast)))} "
            f"{'has' if len(unforecast) == 1 else 'have'} no forecast date"
        )
    if data.status_date >= BVPI_TARGET_DATE:
        # Told after the target date: what was not e-enabled by then.
        opening = (
            "The areas that were not e-enabled by the target date are areas where we depend on the progress of others"
            if waiting and not late and not unforecast
            else f"The areas that were not e-enabled by {month_year(BVPI_TARGET_DATE)} are these"
        )
    else:
        opening = (
            "The areas that will not be e-enabled are areas where we are dependent on the progress of others"
            if waiting and not late and not unforecast
            else f"The areas that will not be e-enabled by {month_year(BVPI_TARGET_DATE)} are these"
        )
    return [f"{opening}: {'; '.join(parts)}. Appendix D sets out the detail."]


# --- the pack ---------------------------------------------------------------------------------


class CabinetPack(StoryWriter):
    """The public cabinet pack (or, with data.part2, the Part II pack)."""

    def build(self) -> None:
        data = self.data
        self.bvpi = bvpi_position(data.snapshot, data.status_date) if data.snapshot.service_rows else None
        if data.part2:
            self.part2_front()
            self.improvement_plan("A", "Exempt items of the improvement plan")
            self.exceptions("B")
            return
        self.front()
        self.introduction()
        self.recommendations()
        self.summary()
        self.implications()
        self.consultations()
        self.officer()
        self.decision_status()
        self.improvement_plan("A", "Improvement plan")
        self.exceptions("B")
        self.consultation_evidence("C")
        if self.bvpi is not None:
            self.bvpi_appendix("D")

    # --- front page ------------------------------------------------------------------------

    def contents(self) -> list[ContentsEntry]:
        if self.data.part2:
            return [
                ContentsEntry("part2-exempt", "Exempt information"),
                ContentsEntry("appendix-a", "Appendix A: Exempt items of the improvement plan"),
                ContentsEntry("appendix-b", "Appendix B: Exempt items overdue or at risk"),
            ]
        entries = [
            ContentsEntry("section-1", "1. Introduction and scope"),
            ContentsEntry("section-2", "2. Recommendations"),
            ContentsEntry("section-3", "3. Summary"),
            ContentsEntry("section-4", "4. Financial, legal and other implications"),
            ContentsEntry("section-5", "5. Consultations"),
            ContentsEntry("section-6", "6. Officer to contact"),
            ContentsEntry("decision-status", "Decision status"),
            ContentsEntry("appendix-a", "Appendix A: Improvement plan"),
            ContentsEntry("appendix-b", "Appendix B: Exceptions: actions overdue or at risk"),
            ContentsEntry("appendix-c", "Appendix C: Consultation evidence"),
        ]
        if self.bvpi is not None:
            entries.append(ContentsEntry("appendix-d", "Appendix D: BVPI 157 electronic service delivery"))
        return entries

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

    def front(self) -> None:
        self.front_block()
        self.add(self.para("CONTENTS", self.look.contents_title))
        self.add(ContentsList(self.contents(), self.furniture))
        self.tick("front page")
        self.new_page(landscape=False)

    def part2_front(self) -> None:
        data = self.data
        look = self.look
        self.add(self.para("NOT FOR PUBLICATION", look.part2_banner))
        _, _, paragraphs = data.hidden_summary
        self.add(
            self.para(
                "This report contains exempt information within the meaning of "
                f"{paragraphs_text(paragraphs)} of Part 1 of Schedule 12A to the Local Government Act 1972.",
                look.part2_text,
            )
        )
        self.front_block()
        self.add(self.para("CONTENTS", look.contents_title))
        self.add(ContentsList(self.contents(), self.furniture))
        self.section("part2-exempt", "EXEMPT INFORMATION", "Exempt information")
        objectives, actions, _ = data.hidden_summary
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
            self.table(
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
        if self.bvpi is not None:
            self.add(self.numbered(numbering.next(), bvpi_paragraph(data, self.bvpi)))
        self.plan_text(details.summary, numbering)
        self.plan_position(numbering)
        self.objectives_summary(numbering)
        self.tick("section 3")

    def plan_position(self, numbering: Numbering) -> None:
        """Actions by RAG, % complete, overdue and at-risk counts: all from the rules."""
        data = self.data
        actions = data.actions
        counts = data.counts_by_rag()
        flags = {flag: sum(1 for a in actions if data.assessed(a).flag is flag) for flag in Flag}
        live = [a for a in actions if a.status != "cancelled"]
        complete = sum(1 for a in actions if a.status == "complete")
        average = percent_of(sum(a.percent_complete for a in live), 100 * len(live)) if live else 0
        status = long_british(data.status_date)
        if not actions:
            self.add(self.numbered(numbering.next(), f"As at {status} the improvement plan has no actions."))
        else:
            rated = [
                (counts[Rag.BLUE], "complete (B)"),
                (counts[Rag.GREEN], "on track (G)"),
                (counts[Rag.AMBER], "at risk (A)"),
                (counts[Rag.RED], "overdue (R)"),
            ]
            sentence = (
                f"As at {status} the improvement plan has {count_text(len(actions), 'action')} under "
                f"{count_text(len(data.objectives), 'improvement objective')}: "
                f"{join_words([f'{n} {text}' for n, text in rated])}"
            )
            if counts[Rag.GREY]:
                sentence += f"; {counts[Rag.GREY]} not rated (N: deferred or cancelled)"
            sentence += (
                f". {complete} of the {len(live)} actions that are not cancelled "
                f"{'is' if complete == 1 else 'are'} complete ({percent_of(complete, len(live))}%), and "
                f"officers report the plan as {average}% complete overall (the average of each action's "
                "percentage complete)."
            )
            overdue, at_risk = flags[Flag.OVERDUE], flags[Flag.AT_RISK]
            if overdue or at_risk:
                sentence += (
                    f" {count_text(overdue, 'action is', 'actions are')} overdue and {at_risk} "
                    f"{'is' if at_risk == 1 else 'are'} at risk of missing the target date; Appendix B lists "
                    "them with the reasons."
                )
            else:
                sentence += " No action is overdue or at risk."
            self.add(self.numbered(numbering.next(), sentence))
            self.add(self.position_table(counts))
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
        return self.table(
            ["Rating", "Position", Cell(Markup("Actions"), head_right), Cell(Markup("Share"), head_right)],
            rows,
            [16, 100, 22, 22],
            fill=False,
            column_styles=[look.cell, look.cell, look.cell_right, look.cell_right],
        )

    def objectives_summary(self, numbering: Numbering) -> None:
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
        self.add(lead_in, *bullets)
        self.add(
            self.numbered(numbering.next(), "The position of each objective (the worst rating of its actions) is:")
        )
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
            self.table(
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
            )
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
                self.table(
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
        self.add(self.table(None, rows, [62, 100], column_styles=[look.body_cell_bold, look.body_cell]))

    # --- Appendix A: the improvement plan ---------------------------------------------------------

    def improvement_plan(self, letter: str, title: str) -> None:
        data = self.data
        self.appendix(
            "appendix-a",
            letter,
            title,
            f"Position as at {long_british(data.status_date)}. Each action's rating is shown by colour and by letter.",
        )
        self.add(self.rag_key())
        self.space(3 * mm)
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.add(self.muted(statement[0].upper() + statement[1:]))
        if not data.objectives:
            self.add(self.para("The plan has no improvement objectives yet."))
        for objective in data.objectives:
            self.objective_block(objective)
            self.tick(f"Appendix A: {objective.ref}")

    def objective_block(self, objective: ObjectiveRecord) -> None:
        data = self.data
        look = self.look
        actions = data.actions_of.get(objective.id, [])
        self.keep_room(48 * mm)
        self.add(
            Anchor(f"objective-{objective.id}", f"{objective.ref} {objective.title}", level=1),
            self.para(Markup(f"{esc(objective.ref)}&nbsp;&nbsp;&nbsp;{esc(objective.title)}"), look.objective),
        )
        rag = data.objective_rag(objective)
        meta = [f"Lead: {objective.lead or 'not named'}", count_text(len(actions), "action")]
        if rag is not None:
            meta.append(f"Objective rating: {rag.value} ({rag.label})")
        if data.part2 and objective.exempt_paragraph:
            meta.append(f"Exempt: Schedule 12A paragraph {objective.exempt_paragraph}")
        self.add(self.para(" · ".join(meta), look.objective_meta))
        if objective.description.strip() and objective.description.strip() != objective.title.strip():
            self.add(self.para(objective.description.strip(), look.objective_text))
        if not data.part2:
            hidden = [
                a for a in data.snapshot.actions if a.objective_id == objective.id and a.id in data.exempt_actions
            ]
            if hidden:
                paragraphs = {data.exempt_actions[a.id] for a in hidden}
                self.add(
                    self.muted(
                        f"{count_text(len(hidden), 'further action', 'further actions')} under this objective "
                        f"{'is' if len(hidden) == 1 else 'are'} exempt ({paragraphs_text(paragraphs)} of "
                        "Schedule 12A) and reported in Part II."
                    )
                )
        if not actions:
            self.add(self.muted("No actions are shown under this objective."))
            return
        rows = [self.action_row(action) for action in actions]
        self.add(
            self.table(
                ["Ref", "Action", "Lead officer", "Target date", "Status", "Depends on", "Latest progress"],
                rows,
                [14, 56, 33, 22, 28, 40, 68],
                keep_rows=0,
            )
        )

    def action_row(self, action: ActionRecord) -> list[object]:
        data = self.data
        look = self.look
        assessment = data.assessed(action)
        ref = Markup(f"<b>{esc(action.ref)}</b>")
        if data.part2 and action.id in data.exempt_actions:
            ref = Markup(f"{ref}<br/><font size='7'>Sch. 12A para {data.exempt_actions[action.id]}</font>")
        title = esc(action.title)
        if action.description.strip():
            title = Markup(f"{title}<br/><font color='#5A6270'>{esc(action.description.strip())}</font>")
        owner = esc(action.owner or "Not assigned")
        if action.owner_role and action.owner_role != action.owner:
            owner = Markup(f"{owner}<br/><font color='#5A6270'>{esc(action.owner_role)}</font>")
        due = british(action.due)
        if action.status == "complete" and action.completed_on:
            due = f"{due}\nDone {british(action.completed_on)}"
        elif assessment.forecast > action.due and assessment.flag is not None:
            due = f"{due}\nForecast {british(assessment.forecast)}"
        depends = data.depends_on(action)
        progress = data.snapshot.latest_progress.get(action.id)
        latest: object = ""
        if progress is not None:
            latest = Markup(
                f"<b>{british(progress.reported_on)}</b>"
                + (f" ({esc(progress.author)})" if progress.author else "")
                + f": {esc(progress.note)}"
            )
        return [
            Cell(ref, look.cell),
            title,
            owner,
            due,
            action_status_cell(data, assessment, action.status, action.percent_complete),
            "\n".join(depends) if depends else "—",
            latest or Cell(Markup("<font color='#5A6270'>No update recorded</font>"), look.cell),
        ]

    # --- Appendix B: exceptions -------------------------------------------------------------------

    def exceptions(self, letter: str, title: str | None = None) -> None:
        data = self.data
        self.appendix(
            "appendix-b",
            letter,
            title or ("Exempt items overdue or at risk" if data.part2 else "Exceptions: actions overdue or at risk"),
            f"Position as at {long_british(data.status_date)}: every action that is overdue or at "
            "risk of missing its target date, worst first.",
        )
        self.exceptions_table()

    def exceptions_table(self) -> None:
        data = self.data
        look = self.look
        overdue = sum(1 for item in data.flagged if item.flag is Flag.OVERDUE)
        at_risk = len(data.flagged) - overdue
        if not data.flagged:
            self.add(self.para("No action is overdue or at risk."))
            self.tick("exceptions")
            return
        self.add(
            self.para(
                f"{count_text(overdue, 'action is', 'actions are')} overdue and {at_risk} "
                f"{'is' if at_risk == 1 else 'are'} at risk."
            )
        )
        actions = {a.id: a for a in data.actions}
        rows: list[list[object]] = []
        for item in data.flagged:
            action = actions[item.action_id]
            assessment = data.assessment.actions[item.action_id]
            if item.flag is Flag.OVERDUE and item.days_overdue is not None:
                timing = f"{days_text(item.days_overdue)} overdue\nForecast {british(item.forecast)}"
            else:
                late = (item.forecast - item.due).days
                timing = f"Forecast {british(item.forecast)}\n{days_text(late)} after target"
            progress = data.snapshot.latest_progress.get(item.action_id)
            note: object = Cell(Markup("<font color='#5A6270'>No update recorded</font>"), look.cell)
            if progress is not None:
                note = Markup(f"<b>{british(progress.reported_on)}</b>: {esc(progress.note)}")
            rows.append(
                [
                    Cell(Markup(f"<b>{esc(item.ref)}</b>"), look.cell),
                    Markup(f"{esc(item.title)}<br/><font color='#5A6270'>Objective {esc(item.objective)}</font>"),
                    item.owner or "Not assigned",
                    british(item.due),
                    rag_cell(assessment.rag, rag_words(assessment, action.status)),
                    timing,
                    sentence_case(data.reason(item)),
                    note,
                ]
            )
        self.add(
            self.table(
                [
                    "Ref",
                    "Action",
                    "Owner",
                    "Target date",
                    "Status",
                    "Days overdue or forecast",
                    "Reason",
                    "Latest note",
                ],
                rows,
                [14, 52, 31, 23, 22, 27, 44, 48],
                keep_rows=0,
            )
        )
        self.tick("exceptions")

    # --- Appendix C: consultation evidence ----------------------------------------------------------

    def consultation_evidence(self, letter: str) -> None:
        data = self.data
        self.appendix(
            "appendix-c", letter, "Consultation evidence", "How the review consulted staff, the public and partners."
        )
        evidence = data.snapshot.consultations
        if not evidence:
            self.add(self.para("No consultation evidence has been recorded."))
            return
        rows = [[c.method, c.audience, c.respondents_text or "—", british(c.held_on, "—"), c.summary] for c in evidence]
        look = self.look
        self.add(
            self.table(
                ["Method", "Audience", "Number", "Date", "Summary"],
                rows,
                [30, 40, 20, 20, 151],
                column_styles=[look.cell_bold, look.cell, look.cell, look.cell, look.cell],
            )
        )
        self.tick("consultation evidence")

    # --- Appendix D: BVPI 157 -------------------------------------------------------------------------

    def bvpi_appendix(self, letter: str) -> None:
        data = self.data
        position = self.bvpi
        assert position is not None
        look = self.look
        self.appendix(
            "appendix-d",
            letter,
            "BVPI 157 electronic service delivery",
            "Types of interaction enabled for electronic delivery as a percentage of the types of "
            "interaction that are legally permissible for electronic delivery. "
            f"Target: 100% by {long_british(BVPI_TARGET_DATE)}.",
        )
        self.add(self.para(bvpi_paragraph(data, position, shortfall=False)))
        width, _ = self.frame
        chart = bvpi_chart(data.snapshot, data.status_date, width, 68 * mm)
        self.add(chart)
        self.space(4 * mm)
        self.tick("BVPI 157 chart")

        right = look.cell_right
        head_right = look.cell_head_right
        rows: list[list[object]] = []
        for when, figure in position.milestones:
            basis = "Position" if when <= data.status_date else "Forecast"
            note = "Target date" if when == BVPI_TARGET_DATE else ""
            rows.append(
                [
                    british(when),
                    basis,
                    str(figure.enabled),
                    str(figure.permissible),
                    Markup(f"<b>{pct_label(figure.percent)}</b>"),
                    note,
                ]
            )
        milestone_header = [
            "Date",
            "Basis",
            Cell(Markup("e-enabled"), head_right),
            Cell(Markup("Legally permissible"), head_right),
            Cell(Markup("BVPI 157"), head_right),
            "Note",
        ]
        self.titled_table(
            "Milestones",
            milestone_header,
            rows,
            [26, 24, 24, 34, 24, 30],
            fill=False,
            column_styles=[look.cell, look.cell, right, right, right, look.cell],
        )

        rows_facts = [row.facts() for row in data.snapshot.service_rows]
        externals = data.snapshot.external_facts()
        target_by_department = bvpi_breakdown(rows_facts, externals, BVPI_TARGET_DATE, "department")
        target_by_interaction = bvpi_breakdown(rows_facts, externals, BVPI_TARGET_DATE, "interaction")
        as_at = british(data.status_date)
        headers = [
            Cell(Markup(esc(text)), head_right)
            for text in (
                "Legally permissible",
                f"e-enabled at {as_at}",
                f"BVPI 157 at {as_at}",
                f"Forecast at {british(BVPI_TARGET_DATE)}",
            )
        ]
        rows = []
        for name, figure in position.by_department.items():
            target = target_by_department.get(name)
            rows.append(
                [
                    name or "(no department)",
                    str(figure.permissible),
                    str(figure.enabled),
                    pct_label(figure.percent),
                    pct_label(target.percent) if target else "—",
                ]
            )
        self.titled_table(
            "By department",
            ["Department", *headers],
            rows,
            [78, 32, 32, 32, 34],
            fill=False,
            column_styles=[look.cell, right, right, right, right],
        )
        rows = []
        for code, figure in position.by_interaction.items():
            target = target_by_interaction.get(code)
            rows.append(
                [
                    str(code),
                    INTERACTION_TYPES[code],
                    str(figure.permissible),
                    str(figure.enabled),
                    pct_label(figure.percent),
                    pct_label(target.percent) if target else "—",
                ]
            )
        self.titled_table(
            "By type of interaction",
            ["Code", "Interaction", *headers],
            rows,
            [12, 96, 32, 32, 32, 34],
            fill=False,
            column_styles=[look.cell, look.cell, right, right, right, right],
        )
        self.tick("BVPI 157 tables")

        title = f"Not e-enabled by {british(BVPI_TARGET_DATE)}"
        if not position.shortfall:
            self.add(self.para(title, look.table_heading))
            self.add(
                self.para("None: every legally permissible interaction is forecast to be e-enabled by the target date.")
            )
        else:
            rows = [
                [
                    item.row.service,
                    item.row.department or "—",
                    f"{item.row.interaction} {INTERACTION_TYPES[item.row.interaction]}",
                    item.reason,
                ]
                for item in position.shortfall
            ]
            self.titled_table(
                title,
                ["Service", "Department", "Interaction", "Why it keeps BVPI 157 under 100%"],
                rows,
                [60, 50, 60, 91],
            )
        excluded = [row for row in data.snapshot.service_rows if not row.permissible]
        if excluded:
            rows = [
                [
                    row.service,
                    row.department or "—",
                    f"{row.interaction} {INTERACTION_TYPES[row.interaction]}",
                    row.reason,
                ]
                for row in excluded
            ]
            self.titled_table(
                "Not legally permissible electronically (counted in neither figure)",
                ["Service", "Department", "Interaction", "Reason"],
                rows,
                [60, 50, 60, 91],
            )
        self.tick("BVPI 157 appendix")


class ExceptionsPack(CabinetPack):
    """Appendix B alone, with a short cover, for a management team meeting (landscape throughout)."""

    def build(self) -> None:
        data = self.data
        look = self.look
        details = data.details
        self.landscape = True
        if data.part2:
            self.add(self.para("NOT FOR PUBLICATION", look.part2_banner))
            _, _, paragraphs = data.hidden_summary
            self.add(
                self.para(
                    "Exempt information within the meaning of "
                    f"{paragraphs_text(paragraphs)} of Part 1 of Schedule 12A to the Local Government Act 1972.",
                    look.part2_text,
                )
            )
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
            self.table(
                None, rows, [26, 14, 26, 14, 26, 14, 40, 14], fill=False, column_styles=[look.cell, look.body_cell] * 4
            )
        )
        self.space(3 * mm)
        self.add(
            self.muted(
                f"Due soon means due within {details.due_soon_days} days of the status date; due-soon actions are "
                "counted here but not listed."
            )
        )
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.add(self.muted(statement[0].upper() + statement[1:]))
        self.tick("cover")
        self.exceptions_table()
