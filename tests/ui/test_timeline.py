"""The Timeline tab: real drags and keys, through the undo stack, read back from the plan file."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from egov_planner.model.timeline import RowKind, Scale
from egov_planner.model.timeline_arrows import End
from egov_planner.ui.views.timeline_paint import ARROW, LABEL_WIDTH, ROW_HEIGHT, TimelineCanvasBase
from tests.model.test_timeline import layout, many_links_plan, plan
from tests.ui.conftest import stored_action
from tests.ui.test_committee_reports import finished, when_dialog_opens


def open_timeline(window, qtbot):  # type: ignore[no-untyped-def]
    window.resize(1600, 900)
    window.tabs.setCurrentWidget(window.timeline_view)
    view = window.timeline_view
    qtbot.waitUntil(lambda: view.canvas.timeline is not None)
    view.set_scale(Scale.WEEKS)  # 16 pixels a day: a drag of 16 * n pixels is n days
    return view


def bar_of(view, ref: str):  # type: ignore[no-untyped-def]
    record = view.document.action_by_ref(ref)
    return view.canvas.timeline.bars[record.id]


def middle_y(view, row: int) -> float:
    return view.canvas.row_top(row) + ROW_HEIGHT / 2


def bring_into_sight(view, bar) -> None:  # type: ignore[no-untyped-def]
    view.canvas.ensure_row_visible(bar.row)
    view.canvas.go_to_date(bar.start)


def send(widget, kind: QEvent.Type, x: float, y: float, buttons: Qt.MouseButton) -> None:  # type: ignore[no-untyped-def]
    """A mouse event as the platform sends it (QTest's moves do not carry the held button)."""
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    point = QPointF(x, y)
    event = QMouseEvent(kind, point, widget.mapToGlobal(point), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(view, start: tuple[float, float], end: tuple[float, float]) -> None:  # type: ignore[no-untyped-def]
    viewport = view.canvas.viewport()
    held = Qt.MouseButton.LeftButton
    send(viewport, QEvent.Type.MouseButtonPress, *start, held)
    steps = 6
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        send(viewport, QEvent.Type.MouseMove, x, y, held)
    send(viewport, QEvent.Type.MouseButtonRelease, *end, Qt.MouseButton.NoButton)


def test_dragging_a_bars_end_changes_its_target_and_undo_puts_it_back(window, qtbot, plan_file):
    view = open_timeline(window, qtbot)
    bar = bar_of(view, "A1.4")
    before = stored_action(plan_file, "A1.4").due
    bring_into_sight(view, bar)
    right = view.canvas.x_of(bar.target + timedelta(days=1)) - 1
    drag(view, (right, middle_y(view, bar.row)), (right + 16 * 10, middle_y(view, bar.row)))
    assert stored_action(plan_file, "A1.4").due == before + timedelta(days=10)
    assert bar_of(view, "A1.4").target == before + timedelta(days=10)  # the bar is redrawn at once
    assert window.document.undo_stack.undoText() == "change due date of A1.4"
    window.document.undo_stack.undo()
    assert stored_action(plan_file, "A1.4").due == before
    assert bar_of(view, "A1.4").target == before


def test_dragging_a_bar_moves_its_start_and_target_together(window, qtbot, plan_file):
    view = open_timeline(window, qtbot)
    bar = bar_of(view, "A2.5")
    stored = stored_action(plan_file, "A2.5")
    bring_into_sight(view, bar)
    middle_x = view.canvas.x_of(bar.start) + 40
    y = middle_y(view, bar.row)
    drag(view, (middle_x, y), (middle_x - 16 * 7, y))
    moved = stored_action(plan_file, "A2.5")
    assert (moved.start, moved.due) == (stored.start - timedelta(days=7), stored.due - timedelta(days=7))
    window.document.undo_stack.undo()
    back = stored_action(plan_file, "A2.5")
    assert (back.start, back.due) == (stored.start, stored.due)


def test_dragging_the_end_before_the_start_is_refused_at_the_bar(window, qtbot, plan_file):
    view = open_timeline(window, qtbot)
    bar = bar_of(view, "A1.4")
    before = stored_action(plan_file, "A1.4")
    count = window.document.undo_stack.count()
    bring_into_sight(view, bar)
    right = view.canvas.x_of(bar.target + timedelta(days=1)) - 1
    y = middle_y(view, bar.row)
    length = (bar.target - bar.start).days
    drag(view, (right, y), (right - 16 * (length + 5), y))
    assert stored_action(plan_file, "A1.4").due == before.due
    assert window.document.undo_stack.count() == count
    notice = view.canvas.notice
    assert notice is not None and notice[0] == bar.row and "start" in notice[2].lower()
    assert notice[2].startswith("Not saved:")


def test_dragging_one_bar_onto_another_links_them_and_a_cycle_is_refused(window, qtbot, plan_file):
    view = open_timeline(window, qtbot)
    document = window.document
    first, second = bar_of(view, "A2.5"), bar_of(view, "A3.4")
    assert document.link_between(first.action_id, second.action_id) is None
    bring_into_sight(view, first)
    x = view.canvas.x_of(first.start) + 20
    view.canvas.verticalScrollBar().setValue(0)
    drag(view, (x, middle_y(view, first.row)), (x, middle_y(view, second.row)))
    link = document.link_between(first.action_id, second.action_id)
    assert link is not None and (link.kind, link.lag_days) == ("FS", 0)
    assert (
        stored_action(plan_file, "A3.4").depends_on_text.startswith("A2.5")
        or "A2.5" in stored_action(plan_file, "A3.4").depends_on_text
    )
    arrows = [
        a
        for a in view.canvas.timeline.arrows
        if (a.predecessor_id, a.successor_id) == (first.action_id, second.action_id)
    ]
    assert len(arrows) == 1 and arrows[0].from_row == first.row and arrows[0].to_row == second.row
    # Back the other way would close a cycle: refused, named at the bar dropped on, nothing saved.
    count = document.undo_stack.count()
    second = bar_of(view, "A3.4")
    x2 = view.canvas.x_of(second.start) + 10
    view.canvas.go_to_date(second.start)
    x2 = view.canvas.x_of(second.start) + 10
    drag(view, (x2, middle_y(view, second.row)), (x2, middle_y(view, first.row)))
    assert document.undo_stack.count() == count
    notice = view.canvas.notice
    assert notice is not None and notice[0] == first.row and "A2.5" in notice[2] and "A3.4" in notice[2]
    document.undo_stack.undo()
    assert document.link_between(first.action_id, second.action_id) is None


def test_the_keyboard_moves_the_target_and_the_bar_and_links(window, qtbot, plan_file):
    view = open_timeline(window, qtbot)
    canvas = view.canvas
    bar = bar_of(view, "A1.4")
    before = stored_action(plan_file, "A1.4")
    canvas.setFocus()
    canvas.set_current_row(bar.row)
    shift, ctrl, alt = (
        Qt.KeyboardModifier.ShiftModifier,
        Qt.KeyboardModifier.ControlModifier,
        Qt.KeyboardModifier.AltModifier,
    )
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    assert stored_action(plan_file, "A1.4").due == before.due + timedelta(days=1)
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift | alt)
    assert stored_action(plan_file, "A1.4").due == before.due + timedelta(days=8)
    qtbot.keyClick(canvas, Qt.Key.Key_Left, shift | ctrl)
    moved = stored_action(plan_file, "A1.4")
    assert (moved.start, moved.due) == (before.start - timedelta(days=1), before.due + timedelta(days=7))
    for _ in range(3):
        window.document.undo_stack.undo()
    assert stored_action(plan_file, "A1.4").due == before.due
    # L, then Down to the next action's row, Enter: it now waits on A1.4.
    target_row = bar.row + 1
    target = canvas.timeline.rows[target_row]
    assert target.kind is RowKind.ACTION
    had = window.document.link_between(bar.action_id, target.ident)
    qtbot.keyClick(canvas, Qt.Key.Key_L)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    if had is None:
        assert window.document.link_between(bar.action_id, target.ident) is not None
    else:
        assert "already waits on A1.4" in canvas.notice[2]


def test_a_reported_target_is_drawn_and_a_dragged_revision_asks_why(window, qtbot, plan_file):
    from egov_planner.ui.views.revision_dialog import RevisionDialog

    window.document.service.record_report("Cabinet 19/01/2004")
    view = open_timeline(window, qtbot)
    view.refresh()
    bar = bar_of(view, "A1.4")
    assert bar.reported == date(2004, 4, 30)
    bring_into_sight(view, bar)
    right = view.canvas.x_of(bar.target + timedelta(days=1)) - 1
    y = middle_y(view, bar.row)

    def cancel(dialog: RevisionDialog) -> None:
        dialog.reject()

    seen = when_dialog_opens(qtbot, RevisionDialog, cancel)
    drag(view, (right, y), (right + 16 * 14, y))
    finished(seen)
    assert stored_action(plan_file, "A1.4").due == date(2004, 4, 30)
    assert "needs its reason" in view.canvas.notice[2]

    def give_reason(dialog: RevisionDialog) -> None:
        dialog.reason_edit.setText("supplier late")
        dialog.ok_button.click()

    seen = when_dialog_opens(qtbot, RevisionDialog, give_reason)
    drag(view, (right, y), (right + 16 * 14, y))
    finished(seen)
    assert stored_action(plan_file, "A1.4").due == date(2004, 5, 14)
    bar = bar_of(view, "A1.4")
    assert bar.target == date(2004, 5, 14) and bar.reported == date(2004, 4, 30)


def test_the_timeline_follows_the_plan_views_filter_and_selection_both_ways(window, qtbot):
    view = open_timeline(window, qtbot)
    plan = window.plan_view
    plan.filter_bar.search.setText("A1.")
    qtbot.waitUntil(lambda: plan.proxy.rowCount() < len(window.document.snapshot.actions))
    view.refresh()
    shown = {r.ref for r in view.canvas.timeline.rows if r.kind is RowKind.ACTION}
    assert shown and all(ref.startswith("A1.") for ref in shown)
    plan.filter_bar.clear()
    view.refresh()
    a31 = window.document.action_by_ref("A3.1")
    plan.select_action(a31.id)
    assert view.selected_action_id() == a31.id
    a24 = window.document.action_by_ref("A2.4")
    bar = view.canvas.timeline.bars[a24.id]
    view.canvas.ensure_row_visible(bar.row)
    qtbot.mouseClick(
        view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(LABEL_WIDTH // 2, int(middle_y(view, bar.row)))
    )
    assert plan.selected_action_id() == a24.id


def test_an_objective_folds_and_unfolds_from_its_row(window, qtbot):
    view = open_timeline(window, qtbot)
    canvas = view.canvas
    o1 = next(r for r in canvas.timeline.rows if r.kind is RowKind.OBJECTIVE and r.ref == "O1")
    rows = len(canvas.timeline.rows)
    canvas.ensure_row_visible(o1.index)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(10, int(middle_y(view, o1.index))))
    folded = next(r for r in canvas.timeline.rows if r.ref == "O1")
    assert folded.collapsed and len(canvas.timeline.rows) == rows - folded.count
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert len(canvas.timeline.rows) == rows


def test_zoom_keys_and_wheel_change_the_scale_and_go_to_status_date(window, qtbot):
    view = open_timeline(window, qtbot)
    canvas = view.canvas
    view.set_scale(Scale.MONTHS)
    canvas.setFocus()
    for _ in range(8):
        qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale_combo.currentText() == "Financial years"
    for _ in range(12):
        qtbot.keyClick(canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale_combo.currentText() == "Weeks"
    # Ctrl+wheel zooms about the pointer: the date under it stays under it.
    viewport = canvas.viewport()
    point = QPointF(LABEL_WIDTH + 300, 200)
    under = canvas.axis.date_at(canvas.chart_x(point.x()))
    wheel = QWheelEvent(point, viewport.mapToGlobal(point), QPoint(), QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(viewport, wheel)
    assert canvas.day_width < Scale.WEEKS.day_width * 1.25**4
    assert abs((canvas.axis.date_at(canvas.chart_x(point.x())) - under).days) <= 1
    view.scale_combo.setCurrentIndex(2)
    view.scale_combo.activated.emit(2)
    assert canvas.day_width == Scale.QUARTERS.day_width
    canvas.horizontalScrollBar().setValue(0)
    view.status_button.click()
    status_x = canvas.x_of(window.document.status_date)
    assert LABEL_WIDTH < status_x < canvas.viewport().width()


def canvas_showing(qtbot, timeline):  # type: ignore[no-untyped-def]
    """A bare timeline canvas (no plan file) showing a layout, at 1280x720."""
    holder = QWidget()
    qtbot.addWidget(holder)
    canvas = TimelineCanvasBase(holder)
    canvas.resize(1280, 720)
    holder.resize(1280, 720)
    holder.show()
    canvas.set_timeline(timeline)
    return holder, canvas


def test_an_arrow_crossing_the_screen_with_both_ends_off_it_is_drawn_in_a_plan_of_thousands(qtbot):
    timeline = layout(many_links_plan())
    assert len(timeline.arrows) > 3000
    _holder, canvas = canvas_showing(qtbot, timeline)
    canvas.verticalScrollBar().setValue(700 * ROW_HEIGHT)
    first_row, last_row = canvas.visible_rows()
    long = next(a for a in timeline.arrows if a.top < first_row - 100 and a.bottom > last_row + 100 and a.kind == "FS")
    canvas.go_to_date(long.from_at)
    ending, uprights = canvas.arrows_in_sight()
    assert long not in ending and (long.from_at, End.FINISH) in uprights
    # ...and on screen: its upright runs down the chart 6 pixels past the day it leaves (between the bars).
    image = canvas.viewport().grab().toImage()
    x = round(canvas.x_of(long.from_at)) + 6
    gaps = [round(canvas.row_top(row)) + 1 for row in range(first_row + 1, last_row)]
    assert all(image.pixelColor(x, y) == ARROW for y in gaps)


def test_arrows_at_the_edges_of_the_screen_and_into_a_folded_objective():
    snapshot = plan()
    timeline = layout(snapshot)
    # Rows 6..8 on screen: FF A1.2 -> A2.1 enters from above (its head on screen); the external's arrow too.
    entering = timeline.arrows_ending_in(6, 8, date(2004, 1, 1), date(2004, 12, 31))
    assert {(a.predecessor_id, a.successor_id) for a in entering} >= {(2, 3), (None, 3), (3, 4), (5, 4)}
    # Rows 2..3 on screen: A1.2 -> A2.1 leaves downwards off the bottom; the external's arrow merely passes.
    leaving = timeline.arrows_ending_in(2, 3, date(2004, 1, 1), date(2004, 12, 31))
    assert (1, 2) in {(a.predecessor_id, a.successor_id) for a in leaving}
    assert [a.external_id for a in timeline.arrows_passing(2, 3, date(2004, 1, 1), date(2004, 12, 31))] == [7]
    assert timeline.uprights_passing(2, 3, date(2004, 1, 1), date(2004, 12, 31)) == [(date(2004, 5, 14), None)]
    # Off to the side: the external's upright stands on 14/05/2004, so a screen ending before it misses it.
    assert timeline.arrows_passing(2, 3, date(2004, 1, 1), date(2004, 5, 13)) == []
    # An arrow into a folded objective is hidden with its action (the summary row does not stand for it).
    folded = layout(snapshot, collapsed={2})
    everything = folded.arrows_in(0, len(folded.rows) - 1, date(2000, 1, 1), date(2010, 1, 1))
    assert [(a.predecessor_id, a.successor_id) for a in everything] == [(1, 2)]


def test_a_bar_starting_off_the_left_edge_keeps_its_rag_letter_in_sight(qtbot):
    timeline = layout(plan())
    _holder, canvas = canvas_showing(qtbot, timeline)
    a21 = timeline.bars[3]  # 01/02/2004 to 30/04/2004: 89 days, 1,424 pixels at the weeks scale
    canvas.set_day_width(Scale.WEEKS.day_width)
    canvas.horizontalScrollBar().setValue(int(canvas.axis.x(a21.start + timedelta(days=30))))
    canvas.verticalScrollBar().setValue(0)
    assert canvas.x_of(a21.start) < LABEL_WIDTH < canvas.x_of(a21.target)
    image = canvas.viewport().grab().toImage()
    top = round(canvas.row_top(a21.row))
    letter = [(x, y) for x in range(LABEL_WIDTH + 2, LABEL_WIDTH + 16) for y in range(top + 5, top + 17)]
    assert any(image.pixelColor(x, y).lightness() > 240 for x, y in letter)  # the white "A" on the amber bar
