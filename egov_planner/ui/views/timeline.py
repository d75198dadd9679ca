"""The Timeline tab: the plan over time, drawn from model/timeline.py's layout.

One custom-painted QAbstractScrollArea, not a QGraphicsScene: a 20,000-action plan
would mean 20,000 items to build; here each paint draws only the rows on screen and
the arrows that cross them. The label column (ref and title) and the scale stay put
while the chart scrolls under them.

It follows the plan view: the same filter, and the same selected action both ways.
Edits (drag a bar's end, drag the bar, drag onto another bar to link, or the keys)
go through the same undo commands as the detail panel; a refused edit is shown at
the bar it was made on.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import date
from time import monotonic
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QActionGroup, QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.dates import british
from egov_planner.model.records import LinkRecord
from egov_planner.model.rules import PlanAssessment, Rag, describe_assessment
from egov_planner.model.timeline import EXTERNALS_GROUP, Row, RowKind, Scale, build_timeline, scale_for, zoomed
from egov_planner.ui.collector import collector
from egov_planner.ui.commands import (
    AddDependencyCommand,
    ChangeDependencyCommand,
    EditActionCommand,
    RemoveDependencyCommand,
)
from egov_planner.ui.commands.fields import EditFields
from egov_planner.ui.document import refusal_text
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.views.revision_dialog import ask_revision
from egov_planner.ui.views.timeline_edit import TimelineCanvas
from egov_planner.ui.views.timeline_paint import LABEL_WIDTH

if TYPE_CHECKING:
    from egov_planner.ui.views.plan_view import PlanView

KIND_NAMES = {"FS": "Finish to start", "SS": "Start to start", "FF": "Finish to finish", "SF": "Start to finish"}
# How a successor waits on its predecessor, in words: "{successor} now starts after {predecessor} finishes".
KIND_VERBS = {
    "FS": "starts after {} finishes", "SS": "starts with {}",
    "FF": "finishes with {}", "SF": "finishes after {} starts",
}  # fmt: skip
KNOCK_ON_NAMED = 4  # actions named in the status bar before "and N more"
NUDGE_PAUSE = 5.0  # seconds between two key nudges of one action that still make one run (one reason, one undo)
NUDGE_ID = 0x7A1E  # QUndoCommand.id() of a key nudge: Qt offers the next one to it for merging

Forecasts = dict[int, tuple[date, Rag]]


def forecasts(assessment: PlanAssessment) -> Forecasts:
    """Each action's forecast finish and RAG: taken before an edit, to say what it moved."""
    return {ident: (verdict.forecast, verdict.rag) for ident, verdict in assessment.actions.items()}


def knock_on(before: Forecasts, assessment: PlanAssessment, refs: dict[int, str], edited: int) -> str:
    """' Pushed later: A1.5 to 20/06/2004 (now Amber), …' — the other actions whose forecast an edit moved."""
    later: list[tuple[date, str]] = []
    sooner: list[tuple[date, str]] = []
    for ident, verdict in assessment.actions.items():
        was = before.get(ident)
        if ident == edited or was is None or was[0] == verdict.forecast or ident not in refs:
            continue
        words = f"{refs[ident]} to {british(verdict.forecast)}" + (
            f" (now {verdict.rag.label})" if verdict.rag is not was[1] else ""
        )
        (later if verdict.forecast > was[0] else sooner).append((verdict.forecast, words))
    parts = []
    for heading, found in (("Pushed later", later), ("Brought forward", sooner)):
        if found:
            found.sort()
            named = ", ".join(words for _when, words in found[:KNOCK_ON_NAMED])
            more = f" and {len(found) - KNOCK_ON_NAMED} more" if len(found) > KNOCK_ON_NAMED else ""
            parts.append(f"{heading}: {named}{more}")
    return (". " + ". ".join(parts)) if parts else ""


class NudgeCommand(EditFields):
    """A key nudge of an action's dates: the nudges of one run merge, so one Ctrl+Z takes the whole run back.

    Each nudge is still saved (and its revision kept with its reason) as it is made; only undo sees one step.
    """

    run = 0  # which run of nudges this belongs to

    def id(self) -> int:
        return NUDGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        # Only the same fields of the same action in the same run: the first nudge's before stays.
        if not isinstance(other, NudgeCommand) or (other.run, other.ident) != (self.run, self.ident):
            return False
        if other.after.keys() != self.after.keys():
            return False
        self.after = dict(other.after)
        return True


@dataclass
class NudgeRun:
    """Key nudges of one action a few seconds apart: the revision reason given for the first serves them all."""

    action_id: int
    notes: dict[str, str]  # the revision's reason and who agreed it ({}: no revision was asked)
    at: float  # monotonic() when the last nudge was saved
    index: int  # the undo stack's index after it: anything done or undone since ends the run
    number: int
    stack: object  # the plan's undo stack: another plan opened ends the run


class TimelineView(LazyView):
    """The Timeline tab: a tool row (scale, zoom, status date, link) over the canvas."""

    open_action = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan_view: PlanView | None = None
        self.editable = True
        self.collapsed: set[int] = set()
        self.externals_collapsed = False
        self._following = False  # a selection coming from the plan view is not sent back
        self._nudges: NudgeRun | None = None
        self._runs = 0

        self.scale_combo = QComboBox()
        self.scale_combo.setAccessibleName("Scale")
        for scale in Scale:
            self.scale_combo.addItem(scale.label, scale)
        self.scale_combo.setCurrentIndex(list(Scale).index(Scale.MONTHS))
        self.scale_combo.activated.connect(self._scale_chosen)
        scale_label = QLabel("&Scale")
        scale_label.setBuddy(self.scale_combo)
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+minus, or Ctrl+wheel)")
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.clicked.connect(lambda: self.zoom(-1))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl+plus, or Ctrl+wheel)")
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.clicked.connect(lambda: self.zoom(1))
        self.status_button = QPushButton("&Go to status date")
        self.status_button.clicked.connect(self.go_to_status_date)
        self.link_button = QPushButton("&Link from selected")
        self.link_button.setToolTip("Make another action wait on the selected one (or drag from bar to bar)")
        self.link_button.clicked.connect(self._link_clicked)
        # Short enough to read whole on a 1280-pixel screen; every key is in its tooltip and the F1 guide.
        self.hint = QLabel("Drag a bar's end: target · the bar: move · onto a bar: link · Right-click: dependencies")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(False)
        self.hint.setToolTip(
            "Drag a bar's end to change its target, the bar to move it, onto another bar to link.\n"
            "Right-click a bar (or the Menu key) to remove or change what it waits on.\n"
            "Keys: ↑/↓ choose a row · Shift+←/→ target a day (Alt: a week) · Ctrl+Shift+←/→ move the bar · "
            "L link · Enter open in the plan · Space fold an objective"
        )
        # The hint gives way on a narrow screen (it never widens the window).
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        tools = QHBoxLayout()
        tools.setContentsMargins(8, 6, 8, 4)
        tools.setSpacing(6)
        tools.addWidget(scale_label)
        tools.addWidget(self.scale_combo)
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.zoom_in_button)
        tools.addWidget(self.status_button)
        tools.addWidget(self.link_button)
        tools.addWidget(self.hint, 1)

        # A filter in the Plan tab hides bars here too: said on a line of its own, so the hint stays whole.
        self.filter_note = QLabel("")
        self.filter_note.setAccessibleName("Timeline filtered")
        self.filter_note.setToolTip(
            "The timeline shows what the Plan tab's search and filters show.\n"
            "Show all (or Clear in the Plan tab) brings back every action."
        )
        self.show_all_button = QToolButton()
        self.show_all_button.setText("Show all")
        self.show_all_button.setAccessibleName("Show every action (clear the Plan tab's filter)")
        self.show_all_button.clicked.connect(self._show_all)
        self.filter_row = QWidget()
        filtered = QHBoxLayout(self.filter_row)
        filtered.setContentsMargins(8, 0, 8, 4)
        filtered.setSpacing(6)
        filtered.addWidget(self.filter_note)
        filtered.addWidget(self.show_all_button)
        filtered.addStretch(1)
        self.filter_row.hide()

        self.canvas = TimelineCanvas(self)
        self.canvas.selected.connect(self._chosen_here)
        self.canvas.open_action.connect(self.open_action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(tools)
        layout.addWidget(self.filter_row)
        layout.addWidget(self.canvas, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, steps in (
            (QKeySequence.StandardKey.ZoomIn, 1),
            (QKeySequence("Ctrl+="), 1),
            (QKeySequence.StandardKey.ZoomOut, -1),
        ):
            shortcut = QShortcut(QKeySequence(keys), self, context=context)
            shortcut.activated.connect(lambda steps=steps: self.zoom(steps))

    # --- feeding -------------------------------------------------------------------------------------

    def follow(self, plan_view: PlanView) -> None:
        """Show what the plan view's filter shows, and select what it selects (and the other way)."""
        self.plan_view = plan_view
        plan_view.filter_bar.changed.connect(lambda _criteria: self.mark_stale())
        plan_view.selection_changed.connect(self._plan_selection_changed)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.link_button.setEnabled(editable)

    def refresh(self) -> None:
        document = self.document
        if document is None:
            self.canvas.timeline = None
            self.canvas.viewport().update()
            return
        first = self.canvas.timeline is None
        selected = self.canvas._selected_action()
        shown = self.plan_view.proxy.accepted_ids() if self.plan_view is not None else None
        with collector.paused_during():  # tens of thousands of small records: no collector passes meanwhile
            if not first:
                # The youngest pass, so the cycles an edit left behind are freed rather than frozen below
                # (before the layout is made: it has no cycles and would only lengthen the pass).
                gc.collect(0)
            timeline = build_timeline(
                document.snapshot, document.assessment, shown, self.collapsed, self.externals_collapsed
            )
            # The layout is a hundred thousand long-lived objects: kept out of the collector's passes (as the
            # plan is when opened), or the first pass after it resumes walks them all mid-scroll (50-100 ms).
            # The layout it replaces holds no cycles, so it still goes as soon as it is dropped.
            gc.freeze()
        self.canvas.set_timeline(timeline)
        self._show_filter_note(shown, len(document.snapshot.actions))
        wanted = self.plan_view.selected_action_id() if self.plan_view is not None else selected
        row = timeline.row_of_action.get(wanted if wanted is not None else -1, -1)
        if row < 0 and selected is not None:
            row = timeline.row_of_action.get(selected, -1)
        self.canvas.current_row = row
        if first:
            self.go_to_status_date()

    def _show_filter_note(self, shown: set[int] | None, total: int) -> None:
        """'Showing 12 of 38 actions — filtered in the Plan tab' while a filter there hides some; else nothing."""
        if shown is None:
            self.filter_row.hide()
            return
        self.filter_note.setText(f"Showing {len(shown):,} of {total:,} actions — filtered in the Plan tab")
        self.filter_row.show()

    def _show_all(self) -> None:
        if self.plan_view is not None:
            self.plan_view.filter_bar.clear()  # the timeline follows (the filter's change marks it stale)
        self.canvas.setFocus()

    # --- the tool row ----------------------------------------------------------------------------------

    def _scale_chosen(self, _index: int) -> None:
        self.canvas.set_day_width(Scale(self.scale_combo.currentData()).day_width)  # Qt hands the enum back as text

    def zoom(self, steps: int) -> None:
        self.canvas.set_day_width(zoomed(self.canvas.day_width, steps))
        self.zoom_changed()

    def zoom_changed(self) -> None:
        self.scale_combo.setCurrentIndex(list(Scale).index(scale_for(self.canvas.day_width)))

    def set_scale(self, scale: Scale) -> None:
        self.scale_combo.setCurrentIndex(list(Scale).index(scale))
        self.canvas.set_day_width(scale.day_width)

    def go_to_status_date(self) -> None:
        if self.canvas.timeline is not None:
            self.canvas.go_to_date(self.canvas.timeline.status_date)

    def _link_clicked(self) -> None:
        self.canvas.setFocus()
        if self.canvas._selected_action() is None:
            self.status_message.emit("Select the action others will wait on first")
            return
        self.canvas.start_linking()

    def toggle(self, row: Row) -> None:
        """Fold or unfold an objective (or the external dependencies)."""
        if row.kind is RowKind.EXTERNALS and row.ident == EXTERNALS_GROUP:
            self.externals_collapsed = not self.externals_collapsed
        elif row.ident in self.collapsed:
            self.collapsed.discard(row.ident)
        else:
            self.collapsed.add(row.ident)
        self.refresh()
        timeline = self.canvas.timeline
        if timeline is not None:
            found = next((r for r in timeline.rows if r.kind is row.kind and r.ident == row.ident), None)
            if found is not None:
                self.canvas.set_current_row(found.index, tell=False)

    # --- selection, both ways ------------------------------------------------------------------------

    def _chosen_here(self, action_id: int) -> None:
        self._nudges = None  # another action chosen: its nudges are a run of their own
        if self.plan_view is not None and not self._following:
            self.plan_view.select_action(action_id)

    def _plan_selection_changed(self) -> None:
        plan = self.plan_view
        timeline = self.canvas.timeline
        if plan is None or timeline is None or not self.isVisible():
            return
        action_id = plan.selected_action_id()
        row = timeline.row_of_action.get(action_id, -1) if action_id is not None else -1
        if row >= 0 and row != self.canvas.current_row:
            self._following = True
            try:
                self.canvas.set_current_row(row, tell=False)
                self.canvas.ensure_bar_visible(timeline.bars[action_id])  # type: ignore[index]
            finally:
                self._following = False

    def select_action(self, action_id: int) -> None:
        timeline = self.canvas.timeline
        row = timeline.row_of_action.get(action_id, -1) if timeline is not None else -1
        if row >= 0:
            self.canvas.set_current_row(row)
            self.canvas.ensure_bar_visible(timeline.bars[action_id])  # type: ignore[union-attr]

    def selected_action_id(self) -> int | None:
        return self.canvas._selected_action()

    # --- edits ------------------------------------------------------------------------------------

    def change_dates(self, action_id: int, start: date | None, target: date | None, nudge: bool = False) -> bool:
        """Move an action's start and/or target date by one undoable edit; a refusal shows at its bar.

        A nudge (a key press) a few seconds after the last nudge of the same action, with nothing done or undone
        between, carries on its run: the revision reason given at its start is used again, and its undo step
        grows to take the whole run back.
        """
        document = self.document
        record = document.action(action_id) if document is not None else None
        if document is None or record is None:
            return False
        changes: dict[str, Any] = {}
        if start is not None and record.start is not None and start != record.start:
            changes["start"] = start
        if target is not None and target != record.due:
            changes["due"] = target
        if not changes:
            return False
        run = self._run_going_on(action_id) if nudge else None
        notes: dict[str, str] | None = {}
        reused = run is not None and bool(run.notes) and "due" in changes
        if "due" in changes:
            notes = dict(run.notes) if run is not None and reused else ask_revision(self, document, record, target)
            if notes is None:  # a reported target is changed only with a reason
                self._refused(action_id, f"Target date of {record.ref} not changed: a revision needs its reason")
                return False
            changes.update(notes)
        before = forecasts(document.assessment)
        command = (NudgeCommand.of_action if nudge else EditActionCommand)(document, record, changes)
        number = run.number if run is not None else self._runs + 1
        if isinstance(command, NudgeCommand):
            command.run = number
        error = document.execute(command)
        if error is not None:
            self._refused(action_id, f"Not saved: {refusal_text(error)}")
            return False
        if nudge:
            self._runs = number
            self._nudges = NudgeRun(
                action_id, notes or {}, monotonic(), document.undo_stack.index(), number, document.undo_stack
            )
        moved = ", ".join(f"{'target' if name == 'due' else name} {british(changes[name])}"
                          for name in ("start", "due") if name in changes)  # fmt: skip
        kept = f" (reason: {changes['revision_reason']})" if reused else ""
        self.status_message.emit(f"{record.ref}: {moved}{kept}{self._knock_on(before, action_id)}")
        return True

    def _run_going_on(self, action_id: int) -> NudgeRun | None:
        """The run of nudges this one carries on (same action, soon after, nothing done or undone since), or None."""
        run, document = self._nudges, self.document
        if run is None or document is None:
            return None
        stack = document.undo_stack
        same_plan_untouched = run.stack is stack and run.index == stack.index()
        if run.action_id != action_id or monotonic() - run.at > NUDGE_PAUSE or not same_plan_untouched:
            self._nudges = None
            return None
        return run

    def _knock_on(self, before: Forecasts, edited: int) -> str:
        document = self.document
        if document is None:
            return ""
        return knock_on(before, document.assessment, {a.id: a.ref for a in document.snapshot.actions}, edited)

    def add_link(self, predecessor_id: int, successor_id: int) -> bool:
        """Make successor wait on predecessor (finish to start, no lag); a cycle is refused at the bar."""
        document = self.document
        if document is None:
            return False
        predecessor, successor = document.action(predecessor_id), document.action(successor_id)
        if predecessor is None or successor is None:
            return False
        if predecessor_id == successor_id:
            self._refused(successor_id, "Not linked: an action cannot wait on itself")
            return False
        if document.link_between(predecessor_id, successor_id) is not None:
            self._refused(successor_id, f"{successor.ref} already waits on {predecessor.ref}")
            return False
        error = document.execute(AddDependencyCommand(document, predecessor, successor, "FS", 0))
        if error is not None:
            self._refused(successor_id, f"Not linked: {refusal_text(error)}")
            return False
        self.status_message.emit(f"{successor.ref} now waits on {predecessor.ref}")
        return True

    # --- an action's dependencies, from its bar's menu ------------------------------------------------

    def dependency_menu(self, action_id: int) -> QMenu | None:
        """What the action waits on and what waits on it, each to change (FS/SS/FF/SF) or remove."""
        document = self.document
        record = document.action(action_id) if document is not None else None
        if document is None or record is None:
            return None
        menu = QMenu(self)
        refs = {a.id: a.ref for a in document.snapshot.actions}
        waits = [link for link in document.snapshot.links if link.successor_id == action_id]
        waited = [link for link in document.snapshot.links if link.predecessor_id == action_id]
        for link in waits:
            self._link_submenu(menu, link, f"Waits on {refs.get(link.predecessor_id, '?')}")
        if waits and waited:
            menu.addSeparator()
        for link in waited:
            self._link_submenu(menu, link, f"{refs.get(link.successor_id, '?')} waits on this")
        if not waits and not waited:
            menu.addAction(f"{record.ref} has no dependencies").setEnabled(False)
        menu.addSeparator()
        link_here = menu.addAction("Make another action wait on this…\tL")
        link_here.setEnabled(self.editable)
        link_here.triggered.connect(lambda: self._link_from(action_id))
        menu.addAction("Open in the plan\tEnter").triggered.connect(lambda: self.open_action.emit(action_id))
        return menu

    def _link_submenu(self, menu: QMenu, link: LinkRecord, title: str) -> None:
        lag = f", {'+' if link.lag_days > 0 else '−'}{abs(link.lag_days)} days" if link.lag_days else ""
        sub = menu.addMenu(f"{title} ({KIND_NAMES.get(link.kind, link.kind).lower()}{lag})")
        kinds = QActionGroup(sub)
        for kind, name in KIND_NAMES.items():
            choice = sub.addAction(f"{name} ({kind})")
            choice.setCheckable(True)
            choice.setChecked(kind == link.kind)
            choice.setEnabled(self.editable)
            kinds.addAction(choice)
            choice.triggered.connect(lambda _on=False, kind=kind: self.change_link(link, kind))
        sub.addSeparator()
        remove = sub.addAction("Remove this dependency")
        remove.setEnabled(self.editable)
        remove.triggered.connect(lambda: self.remove_link(link))

    def _link_from(self, action_id: int) -> None:
        self.select_action(action_id)
        self.canvas.setFocus()
        self.canvas.start_linking()

    def change_link(self, link: LinkRecord, kind: str) -> bool:
        """Change how the successor waits on the predecessor (its lag kept), by one undoable edit."""
        document = self.document
        if document is None or kind == link.kind:
            return False
        before = forecasts(document.assessment)
        error = document.execute(ChangeDependencyCommand(document, link, kind, link.lag_days))
        if error is not None:
            self._refused(link.successor_id, f"Not changed: {refusal_text(error)}")
            return False
        verb = KIND_VERBS[kind].format(link.predecessor_ref)
        self.status_message.emit(f"{link.successor_ref} now {verb}{self._knock_on(before, -1)}")
        return True

    def remove_link(self, link: LinkRecord) -> bool:
        """The successor stops waiting on the predecessor, by one undoable edit."""
        document = self.document
        if document is None:
            return False
        before = forecasts(document.assessment)
        error = document.execute(RemoveDependencyCommand(document, link))
        if error is not None:
            self._refused(link.successor_id, f"Not removed: {refusal_text(error)}")
            return False
        words = f"{link.successor_ref} no longer waits on {link.predecessor_ref}"
        self.status_message.emit(words + self._knock_on(before, -1))
        return True

    def _refused(self, action_id: int, text: str) -> None:
        self.status_message.emit(text)
        if not self.isVisible():
            return
        if self._stale:
            self._stale = False
            self.refresh()
        self.canvas.show_notice(action_id, text)

    # --- tooltips ------------------------------------------------------------------------------------

    def tooltip_at(self, row: int, x: float) -> str:
        timeline, document = self.canvas.timeline, self.document
        if timeline is None or document is None or not 0 <= row < len(timeline.rows):
            return ""
        found = timeline.rows[row]
        if found.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(found.ident)
            if milestone is None:
                return ""
            return f"{milestone.name}: {'delivered' if milestone.delivered else 'expected'} {british(milestone.on)}"
        bar = timeline.bar_at_row(row)
        if bar is None or x < LABEL_WIDTH:
            return found.title if found.title else ""
        verdict = document.assessment.actions.get(bar.action_id)
        lines = [
            f"{bar.ref} {found.title}",
            f"Start {british(bar.start)} · target {british(bar.target)} · forecast {british(bar.forecast)}",
            f"{bar.rag.label} ({bar.letter})"
            + (f": {describe_assessment(verdict)}" if verdict and verdict.flag else ""),
        ]
        if bar.reported is not None:
            lines.append(f"Reported target {british(bar.reported)}")
        return "\n".join(lines)
