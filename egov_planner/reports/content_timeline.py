"""The timeline appendix in the content model: the chart (a TimelineFigure the writers draw) and the same facts
as a table, laid out over the actions the pack shows, as the PDF's appendix is (reports/appendices.py)."""

from __future__ import annotations

from collections import Counter

from egov_planner.model.dates import british, long_british
from egov_planner.model.timeline import RowKind, build_timeline
from egov_planner.reports.content import RAG_WORDS, Break, Cell, TimelineFigure, WriterBase, clean
from egov_planner.reports.story import RAG_KEY
from egov_planner.reports.wording import join_words, sentence_case

# More rows than this and a chart in a web page or a Word paper is no longer legible: the table stands alone
# and the reader is sent to the PDF pack, whose sheets tile any number of rows.
MAX_CHART_ROWS = 300
TABLE_CAPTION = "Timeline: each action's start, target and forecast dates and its rating"


class TimelineSection(WriterBase):
    """The timeline appendix, as content.py's blocks."""

    def timeline_appendix(self, letter: str) -> None:
        data = self.data
        self.add_appendix_start(letter)
        statement = data.exempt_statement() if not data.part2 else ""
        if statement:
            self.para(sentence_case(statement), style="note")
        timeline = build_timeline(data.snapshot, data.assessment, shown={a.id for a in data.actions})
        bars = [timeline.bars[r.ident] for r in timeline.rows if r.kind is RowKind.ACTION]
        if not bars:
            self.para("The plan has no actions to show on a timeline.")
            return
        if len(timeline.rows) > MAX_CHART_ROWS:
            self.para(
                f"The timeline has {len(timeline.rows):,} rows, more than this paper can draw legibly: the chart is "
                f"in the printed PDF pack (Appendix {letter}, or report --kind timeline). The table below gives "
                "every action's dates and rating."
            )
        else:
            objectives = sum(1 for r in timeline.rows if r.kind is RowKind.OBJECTIVE)
            counts = Counter(b.rag for b in bars)
            ratings = join_words(
                [f"{counts[rag]} {words.lower()} ({rag.value})" for rag, words in RAG_KEY if counts[rag]]
            )
            late = sum(1 for b in bars if b.late and not b.complete)
            externals = len(timeline.milestones)
            description = (
                f"Timeline of {len(bars)} action{'s' if len(bars) != 1 else ''} under {objectives} objective"
                f"{'s' if objectives != 1 else ''}, from {british(timeline.first)} to {british(timeline.last)}. "
                "Each action is a bar from its start to its target date in its rating's colour, with its rating's "
                f"letter and its reference beside it: {ratings}. "
                + (
                    f"{late} action{'s have' if late != 1 else ' has'} a forecast finish after the target, drawn as "
                    "a lighter hatched extension. "
                    if late
                    else ""
                )
                + (
                    f"{externals} external dependenc{'ies are' if externals != 1 else 'y is'} shown as diamonds "
                    "at the top. "
                    if externals
                    else ""
                )
                + f"A dashed line marks the status date, {british(timeline.status_date)}. "
                f"The table after the chart, “{TABLE_CAPTION}”, gives the same facts."
            )
            self.add(
                TimelineFigure(
                    f"Timeline of the actions, position as at {long_british(data.status_date)}",
                    description,
                    timeline,
                    {o.id: data.objective_rag(o) for o in data.objectives},
                    data,
                    TABLE_CAPTION,
                )
            )
        objective_refs = {o.id: o.ref for o in data.objectives}
        objective_of = {a.id: a.objective_id for a in data.actions}
        rows = []
        for bar in bars:
            title = timeline.rows[bar.row].title
            forecast = british(bar.forecast)
            note = "completed" if bar.complete else "after the target" if bar.late else ""
            rows.append(
                (
                    Cell(clean(bar.ref), strong=True),
                    Cell(clean(title)),
                    Cell(clean(objective_refs.get(objective_of.get(bar.action_id, -1), ""))),
                    self.rag_cell(bar.rag, RAG_WORDS[bar.rag]),
                    Cell(british(bar.start)),
                    Cell(british(bar.target)),
                    Cell(forecast, note=note),
                )
            )
        self.table(
            TABLE_CAPTION,
            ["Ref", "Action", "Objective", "Rating", "Start", "Target", "Forecast finish"],
            rows,
            widths=(14, 70, 18, 24, 22, 22, 28),
        )
        if timeline.milestones:
            self.table(
                "Timeline: external dependencies the actions wait on",
                ["External dependency", "State", "Date"],
                [
                    (
                        Cell(clean(m.name), strong=True),
                        Cell("Delivered" if m.delivered else "Expected"),
                        Cell(british(m.on)),
                    )
                    for m in timeline.milestones.values()
                ],
                widths=(70, 20, 20),
            )

    def add_appendix_start(self, letter: str) -> None:
        """A landscape page and the appendix heading, as AppendixSections.appendix."""
        self.add(Break(landscape=True))
        self.heading(f"Appendix {letter}: Timeline", 2, "appendix-timeline")
        self.para(
            f"Position as at {long_british(self.data.status_date)}. Each action's bar runs from its start to its "
            "target date; its rating is shown by colour and by letter.",
            style="note",
        )
