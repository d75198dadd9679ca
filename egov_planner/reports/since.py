"""'Progress since the last report': what changed since the plan was last reported, in committee words.

A mixin over StoryWriter. The lists are data.changes (cycle.changes_since over the pack's own
assessment, reports/data.py); this only lays them out: in full as section 3.3 of the cabinet pack,
and in short on the exceptions pack's cover.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from egov_planner.model.cycle import ChangesSince, ReportedAction, Revised
from egov_planner.model.dates import british, long_british
from egov_planner.model.records import ActionRecord
from egov_planner.model.rules import Rag
from egov_planner.reports.data import count_text
from egov_planner.reports.document import Anchor
from egov_planner.reports.story import RAG_KEY, Numbering, StoryWriter, rag_cell
from egov_planner.reports.tables import Cell
from egov_planner.reports.text import Markup, esc
from egov_planner.reports.wording import join_words, sentence_case, slip_text

RAG_WORDS = dict(RAG_KEY)
# Each list's heading, in the contract's order (cycle.CHANGE_LISTS).
LIST_TITLES = {
    "completed": "Completed",
    "newly_overdue": "Newly overdue",
    "newly_at_risk": "Newly at risk",
    "revised": "Target dates revised",
    "added": "Added to the plan",
    "removed": "Removed from the plan",
    "rag_changes": "Rating changed",
}


def since_title(changes: ChangesSince) -> str:
    """'Progress since the last report (Cabinet 2 February 2004, position as at 12/01/2004)'."""
    return f"Progress since the last report ({changes.since.label}, position as at {british(changes.since.as_of)})"


def rag_text(letter: str) -> str:
    """'G On track': the letter and its words, so a change reads without colour."""
    rag = Rag(letter) if letter in Rag._value2member_map_ else None
    return f"{letter} {RAG_WORDS[rag]}" if rag is not None else letter


def counts_sentence(changes: ChangesSince) -> str:
    """'Since then 2 actions have been completed, 1 has become overdue, …' (every count, zeros included)."""
    counts = changes.counts()

    def have(n: int) -> str:
        return "has" if n == 1 else "have"

    parts = [
        f"{count_text(counts['completed'], 'action')} {have(counts['completed'])} been completed",
        f"{counts['newly_overdue']} {have(counts['newly_overdue'])} become overdue",
        f"{counts['newly_at_risk']} {have(counts['newly_at_risk'])} become at risk",
        f"{count_text(counts['revised'], 'target date')} {have(counts['revised'])} been revised",
        f"{count_text(counts['added'], 'action')} {have(counts['added'])} been added",
        f"{counts['removed']} {have(counts['removed'])} been removed",
        f"{counts['rag_changes']} {have(counts['rag_changes'])} changed rating",
    ]
    return f"Since that report, {join_words(parts)}."


class ProgressSince(StoryWriter):
    """Writes data.changes into the story (nothing when the plan has no earlier report)."""

    # --- helpers --------------------------------------------------------------------------------

    @cached_property
    def _now(self) -> dict[str, ActionRecord]:
        return {a.ref: a for a in self.data.actions}

    @cached_property
    def _then(self) -> dict[str, ReportedAction]:
        report = self.data.snapshot.last_report
        return report.by_ref() if report is not None else {}

    def _now_by_ref(self) -> dict[str, ActionRecord]:
        return self._now

    def _then_by_ref(self) -> dict[str, ReportedAction]:
        return self._then

    def _title(self, ref: str) -> object:
        """The action's title now, else as it was reported (a removed action)."""
        action = self._now_by_ref().get(ref)
        if action is not None:
            return action.title
        reported = self._then_by_ref().get(ref)
        return reported.title if reported is not None else ""

    def _completed_on(self, ref: str) -> str:
        done = self._now[ref].completed_on
        return f"completed {british(done)}" if done else "complete, no date recorded"

    def _ref(self, ref: str) -> Cell:
        return Cell(Markup(f"<b>{esc(ref)}</b>"), self.look.cell)

    def _revision_detail(self, item: Revised) -> str:
        """'Reason … (agreed by SRG 12/05/2004)', or a plain note when no reason was recorded."""
        action = self._now_by_ref().get(item.ref)
        revision = self.data.latest_revision(action.id) if action is not None else None
        reason = item.reason.strip() or "No reason recorded"
        if revision is not None and revision.agreed_by.strip():
            reason += f" (agreed by {revision.agreed_by.strip()})"
        return reason

    # --- the cabinet pack's section 3.3 --------------------------------------------------------

    def progress_since(self, prefix: str) -> None:
        """Section prefix ('3.3'): the counts, then each list with ref and title ('None.' when empty)."""
        changes = self.data.changes
        if changes is None:
            return
        look = self.look
        numbering = Numbering(prefix)
        counts = changes.counts()
        count_rows: list[list[object]] = [[LIST_TITLES[name], str(counts[name])] for name in LIST_TITLES]
        # The heading, the counts and their table on one page: the section's opening reads as one.
        self.add(
            KeepTogether(
                [
                    Anchor("progress-since", f"{prefix} Progress since the last report", level=1),
                    self.para(f"{prefix} {since_title(changes)}", look.subsection),
                    self.numbered(
                        numbering.next(),
                        f"This compares the plan as at {long_british(self.data.status_date)} with the position "
                        f"reported in {changes.since.label} (as at {long_british(changes.since.as_of)}). "
                        f"{counts_sentence(changes)}",
                    ),
                    self.table(
                        ["Since the last report", Cell(Markup("Actions"), look.cell_head_right)],
                        count_rows,
                        [70, 22],
                        fill=False,
                        keep_rows=0,
                        column_styles=[look.cell, look.cell_right],
                    ),
                ]
            )
        )
        self.space(2 * mm)
        self.add(self.numbered(numbering.next(), "The actions in each list are:"))
        writers: dict[str, Callable[[], tuple[list[object], list[list[object]], list[float]]]] = {
            "completed": self._completed_rows,
            "newly_overdue": lambda: self._flagged_rows(changes.newly_overdue),
            "newly_at_risk": lambda: self._flagged_rows(changes.newly_at_risk),
            "revised": self._revised_rows,
            "added": self._added_rows,
            "removed": self._removed_rows,
            "rag_changes": self._rag_rows,
        }
        for name, title in LIST_TITLES.items():
            heading = f"{title} ({counts[name]})"
            if not counts[name]:
                self.add(self.para(heading, look.table_heading), self.para("None."))
                continue
            header, rows, widths = writers[name]()
            self.titled_table(heading, header, rows, widths)
        self.tick("progress since the last report")

    def _completed_rows(self) -> tuple[list[object], list[list[object]], list[float]]:
        changes = self.data.changes
        assert changes is not None
        now = self._now_by_ref()
        rows: list[list[object]] = []
        for ref in changes.completed:
            action = now[ref]
            done = british(action.completed_on) if action.completed_on else "Not recorded"
            rows.append([self._ref(ref), action.title, action.objective_ref, british(action.due), done])
        return ["Ref", "Action", "Objective", "Target date", "Completed"], rows, [13, 85, 20, 22, 22]

    def _flagged_rows(self, refs: tuple[str, ...]) -> tuple[list[object], list[list[object]], list[float]]:
        now = self._now_by_ref()
        then = self._then_by_ref()
        rows: list[list[object]] = []
        for ref in refs:
            action = now[ref]
            assessment = self.data.assessed(action)
            before = then.get(ref)
            reported = rag_text(before.rag) if before is not None else "Not reported (new)"
            rows.append(
                [
                    self._ref(ref),
                    action.title,
                    british(action.due),
                    british(assessment.forecast),
                    reported,
                    sentence_case(self.data.reason(assessment)),
                ]
            )
        return (
            ["Ref", "Action", "Target date", "Forecast", "Reported as", "Reason"],
            rows,
            [13, 46, 21, 21, 19, 42],
        )

    def _revised_rows(self) -> tuple[list[object], list[list[object]], list[float]]:
        changes = self.data.changes
        assert changes is not None
        rows: list[list[object]] = []
        for item in changes.revised:
            rows.append(
                [
                    self._ref(item.ref),
                    self._title(item.ref),
                    f"{british(item.from_due)}\n→ {british(item.to_due)}",
                    slip_text(item.slip_days),
                    self._revision_detail(item),
                ]
            )
        return (
            [
                "Ref",
                "Action",
                "Target date: reported → now",
                Cell(Markup("Slippage"), self.look.cell_head_right),
                "Why",
            ],
            rows,
            [13, 44, 25, 19, 61],
        )

    def _added_rows(self) -> tuple[list[object], list[list[object]], list[float]]:
        changes = self.data.changes
        assert changes is not None
        now = self._now_by_ref()
        rows: list[list[object]] = [
            [self._ref(ref), now[ref].title, now[ref].objective_ref, british(now[ref].due)] for ref in changes.added
        ]
        return ["Ref", "Action", "Objective", "Target date"], rows, [13, 105, 22, 22]

    def _removed_rows(self) -> tuple[list[object], list[list[object]], list[float]]:
        changes = self.data.changes
        assert changes is not None
        then = self._then_by_ref()
        rows: list[list[object]] = [
            [self._ref(ref), then[ref].title, then[ref].objective_ref, british(then[ref].due), rag_text(then[ref].rag)]
            for ref in changes.removed
        ]
        return ["Ref", "Action (as reported)", "Objective", "Target date", "Reported as"], rows, [13, 85, 20, 22, 22]

    def _rag_rows(self) -> tuple[list[object], list[list[object]], list[float]]:
        changes = self.data.changes
        assert changes is not None
        rows: list[list[object]] = [
            [self._ref(c.ref), self._title(c.ref), self._rag(c.from_rag), "→", self._rag(c.to_rag)]
            for c in changes.rag_changes
        ]
        return ["Ref", "Action", "Reported", "", "Now"], rows, [13, 93, 25, 6, 25]

    def _rag(self, letter: str) -> object:
        if letter not in Rag._value2member_map_:
            return letter
        rag = Rag(letter)
        return rag_cell(rag, RAG_WORDS[rag])

    # --- the exceptions pack's short version ---------------------------------------------------

    def progress_since_short(self) -> None:
        """The same counts and lists in one short table: a row a list, 'None' for an empty one."""
        changes = self.data.changes
        if changes is None:
            return
        look = self.look
        now, then = self._now, self._then
        self.space(4 * mm)
        opening = [
            Anchor("progress-since", "Progress since the last report", level=0),
            self.para(since_title(changes), look.report_of),
            self.para(counts_sentence(changes)),
        ]

        def titled(ref: str, title: object, detail: str) -> str:
            return f"<b>{esc(ref)}</b> {esc(title)} ({esc(detail)})"

        lines: dict[str, list[str]] = {
            "completed": [titled(r, now[r].title, self._completed_on(r)) for r in changes.completed],
            # Listed with their reasons in the table above: the refs are enough here.
            "newly_overdue": [", ".join(f"<b>{esc(r)}</b>" for r in changes.newly_overdue)],
            "newly_at_risk": [", ".join(f"<b>{esc(r)}</b>" for r in changes.newly_at_risk)],
            "revised": [
                f"<b>{esc(r.ref)}</b> {esc(self._title(r.ref))}: {british(r.from_due)} → {british(r.to_due)} "
                f"({slip_text(r.slip_days)}). {esc(self._revision_detail(r))}"
                for r in changes.revised
            ],
            "added": [titled(r, now[r].title, f"target {british(now[r].due)}") for r in changes.added],
            "removed": [titled(r, then[r].title, f"was due {british(then[r].due)}") for r in changes.removed],
            "rag_changes": [
                "; ".join(
                    f"<b>{esc(c.ref)}</b> {rag_text(c.from_rag)} → {rag_text(c.to_rag)}" for c in changes.rag_changes
                )
            ],
        }
        counts = changes.counts()
        rows: list[list[object]] = []
        for name, title in LIST_TITLES.items():
            text = "<br/>".join(line for line in lines[name] if line) if counts[name] else "None"
            rows.append([Cell(Markup(f"<b>{esc(title)}</b>"), look.cell), str(counts[name]), Markup(text)])
        table = self.table(
            ["Since the last report", Cell(Markup("Actions"), look.cell_head_right), "Which"],
            rows,
            [40, 16, 209],
            keep_rows=0,
            column_styles=[look.cell, look.cell_right, look.cell],
        )
        self.add(KeepTogether([*opening, table]))  # the heading never ends a page without its table
        self.tick("progress since the last report")
