"""An officer does the day's work with the keyboard alone: real key presses, no mouse, no method calls.

Ctrl+F finds, the arrow keys choose, Enter opens the field under the cursor,
Alt+letter jumps to a labelled field, Enter or Tab saves, Ctrl+Z undoes, Ctrl+1…6
change view, F4 or Alt+Down opens a calendar, Escape goes back to the list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar, QWidget

from egov_planner.ui.models.actions import Column
from tests.ui.conftest import stored_action

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def keyboard_window(window, qtbot):  # type: ignore[no-untyped-def]
    """The window, active, so its shortcuts and mnemonics answer as they do on a desk."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key pressed wherever the focus is, as on a real keyboard."""
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(focused(), text)


def in_the_popup_once_it_has_the_keyboard(act: Callable[[], None]) -> None:
    """Run act once the popup opened next is the focus window: keys sent earlier (a busy machine is late
    to activate it) close it before its activation arrives, which then leaves the hidden popup active."""
    deadline = time.monotonic() + 10

    def check() -> None:
        popup = QApplication.activePopupWidget()
        focus_window = QGuiApplication.focusWindow()
        ready = popup is not None and focus_window is not None and focus_window is popup.windowHandle()
        if ready or time.monotonic() > deadline:
            act()  # after the deadline, act anyway: the test then fails on what it sees, and never hangs
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)


def choose_a12_by_keyboard(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+F, type to filter, Down into the table, Down again to A1.2."""
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is window.plan_view.filter_bar.search
    type_text(qtbot, "A1.")
    assert window.plan_view.filter_bar.count.text() == "6 of 30 actions"
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is window.plan_view.table
    press(qtbot, Qt.Key.Key_Down)
    assert window.document.action(window.plan_view.selected_action_id()).ref == "A1.2"


def test_find_choose_edit_the_due_date_and_undo_with_the_keyboard_alone(keyboard_window, qtbot, plan_file):
    window = keyboard_window
    choose_a12_by_keyboard(window, qtbot)
    table = window.plan_view.table
    # Right along the row to the Due column, then Enter opens that field in the detail panel.
    while table.currentIndex().column() != Column.DUE:
        press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Return)
    due = window.plan_view.detail.due_edit.line
    assert focused() is due
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "29/02/2004")
    press(qtbot, Qt.Key.Key_Return)
    assert stored_action(plan_file, "A1.2").due == date(2004, 2, 29)
    assert window.undo_action.text().replace("&", "") == "Undo change due date of A1.2"

    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert stored_action(plan_file, "A1.2").due == date(2003, 12, 31)
    assert due.text() == "31/12/2003"

    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.tabs.currentWidget() is window.dashboard
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert window.tabs.currentWidget() is window.bvpi_view
    press(qtbot, Qt.Key.Key_1, CTRL)
    assert window.tabs.currentWidget() is window.plan_view


def test_alt_u_jumps_to_the_due_field_and_tab_saves_it(keyboard_window, qtbot, plan_file):
    window = keyboard_window
    choose_a12_by_keyboard(window, qtbot)
    press(qtbot, Qt.Key.Key_U, ALT)  # the label is "D&ue"
    assert focused() is window.plan_view.detail.due_edit.line
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "15 February 2004")
    press(qtbot, Qt.Key.Key_Tab)
    assert stored_action(plan_file, "A1.2").due == date(2004, 2, 15)
    assert focused() is window.plan_view.detail.status_combo  # Tab went on to the next field


def test_f4_opens_the_calendar_where_the_arrow_keys_and_enter_pick_a_date(keyboard_window, qtbot, plan_file):
    window = keyboard_window
    choose_a12_by_keyboard(window, qtbot)
    press(qtbot, Qt.Key.Key_U, ALT)
    seen: list[str] = []

    def in_the_calendar() -> None:
        popup = QApplication.activePopupWidget()
        seen.append(type(popup).__name__ if popup else "nothing")
        target = QApplication.focusWidget() or popup
        qtbot.keyClick(target, Qt.Key.Key_Right)  # one day on
        qtbot.keyClick(QApplication.focusWidget() or popup, Qt.Key.Key_Return)

    in_the_popup_once_it_has_the_keyboard(in_the_calendar)
    press(qtbot, Qt.Key.Key_F4)  # returns when the calendar has closed
    assert seen == ["QMenu"]
    assert stored_action(plan_file, "A1.2").due == date(2004, 1, 1)  # 31/12/2003 + 1 day
    # The window is made active again by a queued event once the popup has gone: focus returns then.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.plan_view.detail.due_edit.line, timeout=10000)


def test_a_date_typed_into_the_open_calendar_then_enter_changes_nothing_and_raises_nothing(
    keyboard_window, qtbot, plan_file
):
    """Typing "31/03/2004" into the calendar (not the field) leaves it no valid day; Enter must not crash."""
    window = keyboard_window
    choose_a12_by_keyboard(window, qtbot)
    press(qtbot, Qt.Key.Key_U, ALT)

    def in_the_calendar() -> None:
        popup = QApplication.activePopupWidget()
        qtbot.keyClicks(QApplication.focusWidget() or popup, "31/03/2004")
        qtbot.keyClick(QApplication.focusWidget() or popup, Qt.Key.Key_Return)
        if QApplication.activePopupWidget() is not None:
            qtbot.keyClick(QApplication.focusWidget() or popup, Qt.Key.Key_Escape)

    in_the_popup_once_it_has_the_keyboard(in_the_calendar)
    press(qtbot, Qt.Key.Key_F4)  # returns when the calendar has closed; pytest-qt fails on a slot's traceback
    assert stored_action(plan_file, "A1.2").due == date(2003, 12, 31)
    assert window.plan_view.detail.due_edit.line.text() == "31/12/2003"


def test_escape_in_the_detail_panel_goes_back_to_the_actions(keyboard_window, qtbot):
    window = keyboard_window
    choose_a12_by_keyboard(window, qtbot)
    press(qtbot, Qt.Key.Key_F2)
    assert focused() is window.plan_view.detail.ref_edit  # the Ref column's field
    press(qtbot, Qt.Key.Key_Escape)
    assert focused() is window.plan_view.table
    assert window.document.action(window.plan_view.selected_action_id()).ref == "A1.2"


def test_tab_goes_search_filters_table_then_the_detail_fields(keyboard_window, qtbot):
    window = keyboard_window
    bar = window.plan_view.filter_bar
    press(qtbot, Qt.Key.Key_F, CTRL)
    visited = [focused()]
    for _ in range(9):
        press(qtbot, Qt.Key.Key_Tab)
        visited.append(focused())
    detail = window.plan_view.detail
    expected = [  # reading order: the search's line (status, flag beside it), then the second line
        bar.search,
        bar.status,
        bar.flag,
        bar.objective,
        bar.owner,
        bar.department,
        bar.clear_button,
        window.plan_view.table,
    ]
    assert visited[: len(expected)] == expected
    # Then the detail panel: its tabs, then the first field of Details.
    assert isinstance(visited[8], QTabBar)
    assert visited[9] is detail.objective_combo


def test_the_view_menu_names_a_shortcut_for_every_tab(keyboard_window):
    window = keyboard_window
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in view_menu.actions() if a.text()}
    for number in range(window.tabs.count()):
        assert shortcuts[window.tabs.tabText(number)] == f"Ctrl+{number + 1}"


def mnemonic(text: str) -> str | None:
    position = 0
    while (position := text.find("&", position)) >= 0 and position + 1 < len(text):
        if text[position + 1] != "&":
            return text[position + 1].lower()
        position += 2
    return None


def visible_mnemonics(root: QWidget, menu_titles: list[str]) -> dict[str, list[str]]:
    """Every Alt+letter in reach on screen: menu titles, buttons, tabs, labels with a buddy."""
    found: dict[str, list[str]] = {}
    for title in menu_titles:
        if letter := mnemonic(title):
            found.setdefault(letter, []).append(f"menu {title}")
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None and (letter := mnemonic(widget.text())):
            buddy = widget.buddy()
            assert buddy.focusPolicy() != Qt.FocusPolicy.NoFocus, f"Alt+{letter} ({widget.text()}) reaches nothing"
            found.setdefault(letter, []).append(f"label {widget.text()}")
        elif isinstance(widget, QAbstractButton) and (letter := mnemonic(widget.text())):
            found.setdefault(letter, []).append(f"button {widget.text()}")
        elif isinstance(widget, QGroupBox) and widget.isCheckable() and (letter := mnemonic(widget.title())):
            found.setdefault(letter, []).append(f"group {widget.title()}")
        elif isinstance(widget, QTabBar):
            for tab in range(widget.count()):
                if letter := mnemonic(widget.tabText(tab)):
                    found.setdefault(letter, []).append(f"tab {widget.tabText(tab)}")
    return found


def test_no_two_things_on_screen_share_an_alt_letter(keyboard_window, qtbot):
    window = keyboard_window
    menus = [a.text() for a in window.menuBar().actions()]
    detail_tabs = window.plan_view.detail.tabs
    screens = []
    for number in range(window.tabs.count()):
        window.tabs.setCurrentIndex(number)
        pages = range(detail_tabs.count()) if window.tabs.currentWidget() is window.plan_view else [None]
        for page in pages:
            if page is not None:
                detail_tabs.setCurrentIndex(page)
            screens.append((f"{window.tabs.tabText(number)} {page}", visible_mnemonics(window, menus)))
    window.tabs.setCurrentWidget(window.bvpi_view)
    dialog = window.bvpi_view.open_add_dialog()
    dialog.show()
    screens.append(("Add a BVPI 157 row", visible_mnemonics(dialog, [])))
    dialog.close()
    clashes = {name: {k: v for k, v in found.items() if len(v) > 1} for name, found in screens}
    assert {name: c for name, c in clashes.items() if c} == {}
    assert len(screens[0][1]) >= 15  # the detail fields have their letters


def test_a_bvpi_row_is_added_and_deleted_from_the_keyboard(keyboard_window, qtbot, plan_file):
    window = keyboard_window
    press(qtbot, Qt.Key.Key_3, CTRL)
    bvpi = window.bvpi_view
    press(qtbot, Qt.Key.Key_S, ALT)  # "&Services × interactions": the search box
    assert focused() is bvpi.search
    rows_before = len(window.document.snapshot.service_rows)

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
        assert focused() is dialog.service
        type_text(qtbot, "Garden waste collection")
        press(qtbot, Qt.Key.Key_Tab)  # to the department of the new service
        type_text(qtbot, "Regeneration and Culture")
        press(qtbot, Qt.Key.Key_I, ALT)  # "&Interaction type"
        press(qtbot, Qt.Key.Key_Down)
        press(qtbot, Qt.Key.Key_Down)  # 2 Collecting revenue
        press(qtbot, Qt.Key.Key_E, ALT)  # "e-&enabled on"
        type_text(qtbot, "01/12/2003")
        press(qtbot, Qt.Key.Key_Return)  # Add row is the default button

    bvpi.exec_add_dialog = fill
    press(qtbot, Qt.Key.Key_Tab)  # search -> filters -> the rows
    while focused() is not bvpi.rows_view:
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Insert)
    added = [r for r in window.document.snapshot.service_rows if r.service == "Garden waste collection"]
    assert [(r.interaction, r.enabled_on) for r in added] == [(2, date(2003, 12, 1))]
    assert len(window.document.snapshot.service_rows) == rows_before + 1

    window.activateWindow()  # as the desktop does when a dialog closes (offscreen has no window manager)
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    assert focused() is bvpi.rows_view
    assert bvpi.selected_row().id == added[0].id
    press(qtbot, Qt.Key.Key_Delete)
    assert len(window.document.snapshot.service_rows) == rows_before
