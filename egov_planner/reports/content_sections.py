"""The cabinet report's own sections in the content model: the front page, sections 1-6, background papers
and decision status (the blocks are in content.py; the appendices in content_appendices.py)."""

from __future__ import annotations

from egov_planner.model.cycle import ChangesSince
from egov_planner.model.dates import british, long_british, ordinal_british
from egov_planner.model.rules import Flag, Rag
from egov_planner.reports.content import (
    NO_TEXT,
    RAG_WORDS,
    Cell,
    Numbering,
    WriterBase,
    _row,
    clean,
    paper_fields,
)
from egov_planner.reports.since import LIST_TITLES, counts_sentence, rag_text, since_title
from egov_planner.reports.story import RAG_KEY
from egov_planner.reports.text import plan_items
from egov_planner.reports.wording import (
    bvpi_paragraph,
    percent_of,
    position_sentence,
    sentence_case,
    slip_text,
    yes_no,
)


class CabinetSections(WriterBase):
    """The numbered sections of the cabinet report, as content.py's blocks."""

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


def _item_text(item: object) -> str:
    """A plan item back as plan text (its paragraph, then its bullets), to number the rest as the PDF does."""
    text = getattr(item, "text", "")
    bullets = getattr(item, "bullets", [])
    lines = [text] if text else []
    lines += ["- " + b.replace("\n", "\n  ") for b in bullets]
    return "\n".join(lines)
