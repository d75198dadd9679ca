"""The pack's landscape appendices: A the improvement plan, B exceptions, C consultation evidence, D BVPI 157,
then the timeline (the next letter).

A mixin over StoryWriter: CabinetPack (cabinet.py) writes the report's sections
and then these; ExceptionsPack prints Appendix B with a short cover.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from egov_planner.model.bvpi import BvpiPosition, shortfall_title
from egov_planner.model.dates import british, long_british
from egov_planner.model.records import ActionRecord, ObjectiveRecord
from egov_planner.model.rules import BVPI_TARGET_DATE, Flag, days_text
from egov_planner.model.timeline import Scale
from egov_planner.reports.chart import bvpi_chart, pct_label
from egov_planner.reports.data import count_text, paragraphs_text
from egov_planner.reports.document import Anchor
from egov_planner.reports.story import StoryWriter, action_status_cell, rag_cell, rag_words
from egov_planner.reports.tables import Cell, WideRow
from egov_planner.reports.text import Markup, esc
from egov_planner.reports.timeline import LABEL_WIDTH, LABEL_WIDTH_A3, TimelineChart, lay_out
from egov_planner.reports.wording import (
    bvpi_figure_headers,
    bvpi_paragraph,
    bvpi_table_rows,
    excluded_rows,
    no_shortfall_text,
    sentence_case,
    shortfall_rows,
    slip_text,
)

NO_TEXT = "No text has been entered for this part of the report."
# A description longer than this goes in the full-width row under its action, not down the narrow column.
LONG_DESCRIPTION = 240


class Appendices(StoryWriter):
    """Appendices A-D of the pack, written into the story in order."""

    bvpi: BvpiPosition | None  # the plan's BVPI 157 position, set by the pack before it writes Appendix D
    timeline_scale: Scale | None = None  # the printed timeline's scale (None: the finest that fits the span)
    timeline_paper: str = "a4"  # the printed timeline's paper, a key of styles.TIMELINE_PAPERS

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
        rows: list[list[object]] = []
        for action in actions:
            row = self.action_row(action)
            rows.append(row)
            details = self.action_details(action)
            if details is not None:
                rows.append(WideRow(["", details, "", "", "", "", ""]))
        heading = Markup(f"{esc(objective.ref)}&nbsp;&nbsp;&nbsp;{esc(objective.title)} (continued)")
        self.add(
            self.captioned(
                f"Actions under {objective.ref} {objective.title}",
                ["Ref", "Action", "Lead officer", "Target date", "Status", "Depends on", "Latest progress"],
                rows,
                [14, 56, 33, 22, 28, 40, 68],
                keep_rows=0,
                continued=lambda: self.para(heading, look.objective),
            )
        )

    def action_details(self, action: ActionRecord) -> Markup | None:
        """The full-width row under an action: a long description, success measure, resources and notes."""
        parts: list[str] = []
        description = action.description.strip()
        if len(description) > LONG_DESCRIPTION:
            parts.append(f"<b>Description:</b> {esc(description)}")
        for label, value in (
            ("Success measure", action.success_measure),
            ("Resources", action.resources),
            ("Notes", action.notes),
        ):
            if value.strip():
                parts.append(f"<b>{label}:</b> {esc(value.strip())}")
        if not parts:
            return None
        return Markup("&nbsp;&nbsp;&nbsp; ".join(parts))

    def action_row(self, action: ActionRecord) -> list[object]:
        data = self.data
        look = self.look
        assessment = data.assessed(action)
        ref = Markup(f"<b>{esc(action.ref)}</b>")
        if data.part2 and action.id in data.exempt_actions:
            ref = Markup(f"{ref}<br/><font size='7'>Sch. 12A para {data.exempt_actions[action.id]}</font>")
        title = esc(action.title)
        if action.description.strip() and len(action.description.strip()) <= LONG_DESCRIPTION:
            title = Markup(f"{title}<br/><font color='#5A6270'>{esc(action.description.strip())}</font>")
        revision = data.latest_revision(action.id)
        if revision is not None and revision.reason.strip():
            # Why the target moved, under the action, so the dates column stays narrow.
            agreed = f" (agreed by {revision.agreed_by.strip()})" if revision.agreed_by.strip() else ""
            title = Markup(
                f"{title}<br/><font size='7.5' color='#5A6270'><i>Target revised: "
                f"{esc(revision.reason.strip() + agreed)}</i></font>"
            )
        owner = esc(action.owner or "Not assigned")
        if action.owner_role and action.owner_role != action.owner:
            owner = Markup(f"{owner}<br/><font color='#5A6270'>{esc(action.owner_role)}</font>")
        if action.department:
            owner = Markup(f"{owner}<br/><font color='#5A6270'>{esc(action.department)}</font>")
        due = british(action.due)
        original = data.snapshot.original_due.get(action.id)
        if original is not None and original != action.due:
            due = f"Original {british(original)}\nRevised {due}\n({slip_text((action.due - original).days)})"
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
            self.captioned(
                "Actions overdue or at risk, worst first",
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

    def due_soon_table(self) -> None:
        """The actions the cover counts as due soon, listed as the exceptions are (the count is never bare)."""
        data = self.data
        look = self.look
        due_soon = [a for a in data.actions if data.assessed(a).flag is Flag.DUE_SOON]
        if not due_soon:
            return
        rows: list[list[object]] = []
        for action in sorted(due_soon, key=lambda a: (a.due, a.ref)):
            assessment = data.assessed(action)
            progress = data.snapshot.latest_progress.get(action.id)
            note: object = Cell(Markup("<font color='#5A6270'>No update recorded</font>"), look.cell)
            if progress is not None:
                note = Markup(f"<b>{british(progress.reported_on)}</b>: {esc(progress.note)}")
            rows.append(
                [
                    Cell(Markup(f"<b>{esc(action.ref)}</b>"), look.cell),
                    Markup(
                        f"{esc(action.title)}<br/><font color='#5A6270'>Objective {esc(action.objective_ref)}</font>"
                    ),
                    action.owner or "Not assigned",
                    british(action.due),
                    action_status_cell(data, assessment, action.status, action.percent_complete),
                    note,
                ]
            )
        self.space(4 * mm)
        self.add(
            self.captioned(
                f"Actions due soon (within {data.details.due_soon_days} days of the status date)",
                ["Ref", "Action", "Owner", "Target date", "Status", "Latest note"],
                rows,
                [14, 62, 36, 23, 28, 98],
                keep_rows=0,
            )
        )

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
            self.captioned(
                "Consultation evidence",
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
        confirmed = dict(position.confirmed_milestones)
        for when, forecast in position.milestones:
            # A date reached is stated from actual e-enabled dates; one ahead is the forecast it is.
            basis, figure = ("Position", confirmed[when]) if when <= data.status_date else ("Forecast", forecast)
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

        departments, interactions = bvpi_table_rows(data)
        headers = [Cell(Markup(esc(text)), head_right) for text in bvpi_figure_headers(data)]
        self.titled_table(
            "By department",
            ["Department", *headers],
            departments,
            [78, 32, 32, 32, 34],
            fill=False,
            column_styles=[look.cell, right, right, right, right],
        )
        self.titled_table(
            "By type of interaction",
            ["Code", "Interaction", *headers],
            interactions,
            [12, 96, 32, 32, 32, 34],
            fill=False,
            column_styles=[look.cell, look.cell, right, right, right, right],
        )
        self.tick("BVPI 157 tables")

        # Until the target date the list is a forecast; after it, only recorded e-enabled dates count.
        title = shortfall_title(data.status_date)
        if not position.shortfall:
            self.add(self.para(title, look.table_heading))
            self.add(self.para(no_shortfall_text(data)))
        else:
            self.titled_table(
                title,
                ["Service", "Department", "Interaction", "Why it keeps BVPI 157 under 100%"],
                shortfall_rows(position),
                [60, 50, 60, 91],
            )
        excluded = excluded_rows(data)
        if excluded:
            self.titled_table(
                "Not legally permissible electronically (counted in neither figure)",
                ["Service", "Department", "Interaction", "Reason"],
                excluded,
                [60, 50, 60, 91],
            )
        self.tick("BVPI 157 appendix")

    # --- the timeline -------------------------------------------------------------------------------

    def timeline_appendix(self, key: str, letter: str) -> None:
        """The timeline on landscape sheets (reports/timeline.py), after a heading and the exempt statement."""
        data = self.data
        # Its sheets, heading included, are on the paper asked for; the pack's other pages stay A4.
        self.a3 = self.timeline_paper == "a3"
        self.appendix(
            key,
            letter,
            "Timeline",
            f"Position as at {long_british(data.status_date)}. Each action's bar runs from its start to its target "
            "date; its rating is shown by colour and by letter, here and in the label column.",
        )
        self.timeline_chart()
        self.a3 = False

    def timeline_chart(self) -> None:
        data = self.data
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.add(self.muted(statement[0].upper() + statement[1:]))
        printed = lay_out(data, self.frame, self.timeline_scale, LABEL_WIDTH_A3 if self.a3 else LABEL_WIDTH)
        if not printed.timeline.rows:
            self.add(self.para("The plan has no actions to show on a timeline."))
        else:
            self.add(TimelineChart(printed))
        self.tick("timeline")
