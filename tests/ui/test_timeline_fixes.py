"""The Timeline tab as a new officer meets it: a slip's knock-on named, the fix made on the chart
(a dependency removed or changed from the bar's menu), and the tool row readable on a laptop screen."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from egov_planner.model.timeline import RowKind
from tests.ui.conftest import stored_action
from tests.ui.test_timeline import bar_of, bring_into_sight, drag, middle_y, open_timeline


def chain(window):  # type: ignore[no-untyped-def]
    """A finish-to-start link of the demo between two open actions: (link, predecessor, successor)."""
    document = window.document
    for link in document.snapshot.links:
        before, after = document.action(link.predecessor_id), document.action(link.successor_id)
        if link.kind == "FS" and before.status != "complete" and after.status != "complete":
            return link, before, after
    raise AssertionError("the demo has no open finish-to-start link")


def messages_of(view) -> list[str]:  # type: ignore[no-untyped-def]
    said: list[str] = []
    view.status_message.connect(said.append)
    return said


def test_a_slip_names_the_actions_it_pushes_later(window, qtbot):
    view = open_timeline(window, qtbot)
    _link, before, after = chain(window)
    said = messages_of(view)
    bar = bar_of(view, before.ref)
    was = window.document.assessment.actions[after.id].forecast
    bring_into_sight(view, bar)
    right = view.canvas.x_of(bar.target + timedelta(days=1)) - 1
    y = middle_y(view, bar.row)
    drag(view, (right, y), (right + 16 * 200, y))  # 200 days later
    now = window.document.assessment.actions[after.id].forecast
    assert now > was
    assert said and f"{before.ref}: target" in said[-1]
    assert "Pushed later" in said[-1] and f"{after.ref} to {now:%d/%m/%Y}" in said[-1], said[-1]
    window.document.undo_stack.undo()
    assert window.document.assessment.actions[after.id].forecast == was


def menu_action(menu: QMenu, *path: str):  # type: ignore[no-untyped-def]
    """The menu item reached through submenus whose text starts with each part of path."""
    for part in path:
        found = next((a for a in menu.actions() if a.text().replace("&", "").startswith(part)), None)
        assert found is not None, (part, [a.text() for a in menu.actions()])
        if found.menu() is not None:
            menu = found.menu()
        else:
            return found
    return menu


def test_a_dependency_is_removed_or_changed_from_the_successors_bar_and_undone(window, qtbot, plan_file):
    view = open_timeline(window, qtbot)
    link, before, after = chain(window)
    document = window.document
    said = messages_of(view)
    menu = view.dependency_menu(after.id)
    menu_action(menu, f"Waits on {before.ref}", "Start to start").trigger()
    changed = document.link_between(before.id, after.id)
    assert changed is not None and changed.kind == "SS" and changed.lag_days == link.lag_days
    assert f"{after.ref} now starts with {before.ref}" in said[-1]
    document.undo_stack.undo()
    assert document.link_between(before.id, after.id).kind == "FS"
    # From the predecessor's bar too: the actions waiting on it.
    menu = view.dependency_menu(before.id)
    menu_action(menu, f"{after.ref} waits on this", "Remove").trigger()
    assert document.link_between(before.id, after.id) is None
    assert all(a.successor_id != after.id or a.predecessor_id != before.id for a in view.canvas.timeline.arrows)
    assert f"{after.ref} no longer waits on {before.ref}" in said[-1]
    assert stored_action(plan_file, after.ref).id == after.id
    document.undo_stack.undo()
    assert document.link_between(before.id, after.id).kind == "FS"


def test_the_menu_key_opens_the_selected_bars_dependency_menu(window, qtbot):
    view = open_timeline(window, qtbot)
    _link, _before, after = chain(window)
    shown: list[list[str]] = []

    def close_when_up() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, close_when_up)
            return
        shown.append([a.text() for a in menu.actions()])
        menu.close()

    canvas = view.canvas
    canvas.setFocus()
    canvas.set_current_row(bar_of(view, after.ref).row)
    for key, modifiers in ((Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)):  # fmt: skip
        QTimer.singleShot(0, close_when_up)
        qtbot.keyClick(canvas, key, modifiers)
    assert len(shown) == 2
    assert any(text.startswith("Waits on") for text in shown[0]), shown[0]


def test_the_tool_row_hint_reads_whole_on_a_1280_pixel_screen(window, qtbot):
    view = open_timeline(window, qtbot)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() <= 1280)
    qtbot.wait(50)  # the layout settles
    hint = view.hint
    assert hint.fontMetrics().horizontalAdvance(hint.text()) <= hint.width(), (hint.text(), hint.width())


def test_the_f1_guide_explains_every_timeline_key():
    from egov_planner.ui.views.guide import guide_text

    guide = guide_text()
    section = guide[guide.index("## The timeline") :].split("\n## ")[0]
    for words in ("Ctrl+8", "Ctrl+wheel", "Go to status date", "financial years", "Shift+←/→", "Ctrl+Shift+←/→",
                  "press L", "Right-click", "Menu key", "Shift+F10", "Enter", "Space", "Ctrl+Z", "reason",
                  "knock-on", "--kind timeline"):  # fmt: skip
        assert words in section, words


def test_a_filter_in_the_plan_tab_is_named_over_the_timeline_and_show_all_ends_it(window, qtbot):
    view = open_timeline(window, qtbot)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() <= 1280)
    qtbot.wait(50)
    assert not view.filter_note.isVisible()  # no filter: no note
    total = len(window.document.snapshot.actions)
    plan = window.plan_view
    plan.filter_bar.search.setText("A2.")
    shown = [r for r in view.canvas.timeline.rows if r.kind is RowKind.ACTION]
    assert 0 < len(shown) < total
    qtbot.waitUntil(view.filter_note.isVisible)
    note = view.filter_note.text()
    assert note.startswith(f"Showing {len(shown)} of {total} actions — filtered in the Plan tab"), note
    qtbot.wait(50)  # the layout settles
    for label in (view.filter_note, view.hint):  # both read whole on a laptop screen
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), (label.text(), label.width())
    view.show_all_button.click()
    assert plan.filter_bar.search.text() == ""
    assert len([r for r in view.canvas.timeline.rows if r.kind is RowKind.ACTION]) == total
    assert not view.filter_note.isVisible()


def answering_every_revision(qtbot, reasons: list[str]):  # type: ignore[no-untyped-def]
    """Answer each revision dialog that opens with the next reason; the dialogs seen (never hangs on a second)."""
    from egov_planner.ui.views.revision_dialog import RevisionDialog

    seen: list[RevisionDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, RevisionDialog) and dialog not in seen:
            seen.append(dialog)
            dialog.reason_edit.setText(reasons[min(len(seen), len(reasons)) - 1])
            dialog.ok_button.click()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(10)
    return seen, timer


def test_a_run_of_nudges_on_a_reported_plan_asks_the_reason_once_and_one_undo_takes_it_back(
    window, qtbot, plan_file, monkeypatch
):
    from egov_planner.ui.views import timeline as timeline_module

    now = [1000.0]
    monkeypatch.setattr(timeline_module, "monotonic", lambda: now[0])
    document = window.document
    document.service.record_report("Cabinet 19/01/2004")
    view = open_timeline(window, qtbot)
    view.refresh()
    canvas = view.canvas
    bar = bar_of(view, "A1.4")
    was = stored_action(plan_file, "A1.4").due
    steps = document.undo_stack.count()
    canvas.setFocus()
    canvas.set_current_row(bar.row)
    shift = Qt.KeyboardModifier.ShiftModifier
    seen, timer = answering_every_revision(qtbot, ["contractor delayed", "waiting on legal", "signed off late"])
    for _ in range(7):  # a week, a day at a time, a second apart
        qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
        now[0] += 1
    assert len(seen) == 1
    assert stored_action(plan_file, "A1.4").due == was + timedelta(days=7)
    # Each saved change is in the history with its reason.
    revisions = document.snapshot.revisions[bar.action_id]
    assert [(r.to_due, r.reason) for r in revisions[-7:]] == [
        (was + timedelta(days=day), "contractor delayed") for day in range(1, 8)
    ]
    # One Ctrl+Z takes the whole run back.
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.undoText() == "change due date of A1.4"
    window.activateWindow()  # so the Edit menu's shortcut answers, as on a desk
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_action(plan_file, "A1.4").due == was
    # Undone, the run is over: the next nudge asks again; after a pause, so does the one after.
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    now[0] += 1
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    assert len(seen) == 2
    now[0] += timeline_module.NUDGE_PAUSE + 1
    qtbot.keyClick(canvas, Qt.Key.Key_Right, shift)
    timer.stop()
    assert len(seen) == 3
    assert [r.reason for r in document.snapshot.revisions[bar.action_id][-3:]] == [
        "waiting on legal", "waiting on legal", "signed off late",
    ]  # fmt: skip
    document.undo_stack.undo()  # the run after the pause is a step of its own
    assert stored_action(plan_file, "A1.4").due == was + timedelta(days=2)
