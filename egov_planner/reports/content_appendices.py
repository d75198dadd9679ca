"""Appendices A-D of the report in the content model: the improvement plan, the exceptions, the consultation
evidence and BVPI 157 (the blocks are in content.py)."""

from __future__ import annotations

from egov_planner.model.bvpi import BvpiPosition, shortfall_title
from egov_planner.model.dates import british, long_british
from egov_planner.model.records import ActionRecord, ObjectiveRecord
from egov_planner.model.rules import BVPI_TARGET_DATE, Flag, days_text
from egov_planner.reports.appendices import LONG_DESCRIPTION
from egov_planner.reports.chart import bvpi_chart, pct_label
from egov_planner.reports.content import (
    Break,
    Cell,
    Figure,
    Table,
    WriterBase,
    _row,
    clean,
)
from egov_planner.reports.data import count_text, paragraphs_text
from egov_planner.reports.story import RAG_KEY, rag_words, status_label
from egov_planner.reports.wording import (
    bvpi_figure_headers,
    bvpi_paragraph,
    bvpi_table_rows,
    excluded_rows,
    join_words,
    no_shortfall_text,
    sentence_case,
    shortfall_rows,
    slip_text,
)


class AppendixSections(WriterBase):
    """Appendices A-D, as content.py's blocks."""

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
