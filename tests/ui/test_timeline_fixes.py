"""The Timeline tab as a new officer meets it: a slip's knock-on named, the fix made on the chart
(a dependency removed or changed from the bar's menu), and the tool row readable on a laptop screen."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

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
