"""Issue 12 (6, 7, 8, 10, 11): read-only viewing, filtering, data entry, Excel/MS Project habits, externals."""

from __future__ import annotations

import time
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox

from egov_planner.model.rules import Rag
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.ui.application import make_application
from tests.ui.conftest import open_window, stored_action


def click_cell(qtbot, view, row: int, column: int, double: bool = False) -> None:  # type: ignore[no-untyped-def]
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_of_ref(window, ref: str) -> int:  # type: ignore[no-untyped-def]
    return window.plan_view.proxy.proxy_row_of(window.document.action_by_ref(ref).id)


# --- 11. external dependencies: the services waiting are listed -----------------------------------------


def test_the_services_waiting_on_an_external_are_listed_beneath_it(window, qtbot):
    register = window.externals_view
    window.tabs.setCurrentWidget(register)
    model = register.model
    services_column = [c.header for c in model.columns].index("Services waiting")
    row = max(range(model.rowCount()), key=lambda r: int(model.index(r, services_column).data() or 0))
    waiting = int(model.index(row, services_column).data())
    assert waiting > 0
    click_cell(qtbot, register.table, row, 0)
    listed = register.services_view.model()
    assert listed.rowCount() == waiting
    external = model.records[row]
    names = {r.service for r in window.document.snapshot.service_rows if r.external_id == external.id}
    assert {listed.index(i, 0).data() for i in range(listed.rowCount())} == names
    assert listed.index(0, 1).data()  # the interaction is named too
    assert register.services_title.text() == f"Services waiting on {external.name} ({waiting})"


# --- 7. filtering ---------------------------------------------------------------------------------------


def test_a_filter_that_hides_the_selected_action_moves_the_detail_panel_off_it(window, qtbot):
    view = window.plan_view
    window.go_to_action(window.document.action_by_ref("A1.2").id)
    assert view.detail.heading.text().startswith("A1.2")
    owner = window.document.action_by_ref("A1.2").owner
    other = next(a for a in window.document.snapshot.actions if a.owner and a.owner != owner)
    view.filter_bar.owner.setFocus()
    view.filter_bar.owner.setCurrentIndex(view.filter_bar.owner.findData(other.owner))
    shown = view.detail.heading.text()
    assert not shown.startswith("A1.2")
    first = view.proxy.action_id_at(0)
    assert shown.startswith(window.document.action(first).ref)
    assert view.selected_action_id() == first


def test_escape_in_the_search_box_clears_it(window, qtbot):
    view = window.plan_view
    search = view.filter_bar.search
    total = view.proxy.rowCount()
    search.setFocus()
    qtbot.keyClicks(search, "zzqx nothing matches")
    assert view.proxy.rowCount() == 0
    assert view.detail.stack.currentIndex() == 0  # nothing shown: nothing is selected
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    assert view.proxy.rowCount() == total


# --- 6. read-only viewers ---------------------------------------------------------------------------------


@pytest.fixture
def read_only_window(qtbot, plan_file, settings, prompts):  # type: ignore[no-untyped-def]
    """The window on a plan someone else is editing (yielded with that editor's service)."""
    make_application()
    holder = open_plan(plan_file)
    try:
        window = open_window(qtbot, plan_file, settings, prompts)
        assert window.document.read_only
        yield window, PlanService(holder)
        window.close()
    finally:
        holder.close()


def test_a_read_only_viewer_can_look_at_another_status_date_without_saving_it(read_only_window, qtbot, plan_file):
    window, _editor = read_only_window
    document = window.document
    a12 = document.action_by_ref("A1.2").id
    assert document.assessment.actions[a12].rag is Rag.RED  # overdue at 12/01/2004
    edit = window.status_date_edit.line
    assert not edit.isReadOnly()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "01/12/2003")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert document.status_date == date(2003, 12, 1)
    assert document.assessment.actions[a12].rag is not Rag.RED
    assert "01/12/2003" in window.position_label.toolTip()
    assert "not saved" in window.statusBar().currentMessage()
    assert "viewing as at 01/12/2003 (not saved)" in window.read_only_label.text()
    store = open_plan(plan_file, read_only=True)
    try:
        assert PlanService(store).details().status_date == date(2004, 1, 12)  # the file is untouched
    finally:
        store.close()


def test_read_only_fields_look_read_only_and_keys_say_why_nothing_happens(read_only_window, qtbot):
    window, _editor = read_only_window
    window.go_to_action(window.document.action_by_ref("A1.2").id)
    spin = window.plan_view.detail.percent_spin
    assert spin.isReadOnly()
    assert spin.buttonSymbols() == QAbstractSpinBox.ButtonSymbols.NoButtons  # no arrows inviting a click
    before = spin.value()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == before
    window.plan_view.table.setFocus()
    qtbot.keyClick(window.plan_view.table, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert message.startswith("Cannot add an action: plan.egov is read-only — in use by")


def test_a_read_only_viewer_sees_the_editors_changes_without_reloading(read_only_window, qtbot):
    window, editor = read_only_window
    document = window.document
    a16 = document.action_by_ref("A1.6")
    window.go_to_action(a16.id)
    record = editor.action_by_ref("A1.6")
    time.sleep(0.01)  # a new modification time, even on a coarse clock
    editor.update_action(record.id, record.version, title="Agree the registration timetable")
    qtbot.waitUntil(lambda: document.action(a16.id).title == "Agree the registration timetable", timeout=10000)
    assert window.plan_view.selected_action_id() == a16.id
    assert "Agree the registration timetable" in window.plan_view.detail.heading.text()


# --- 8. data entry ---------------------------------------------------------------------------------------


def test_the_dependency_picker_shows_titles_and_adds_by_the_chosen_line(window, qtbot):
    detail = window.plan_view.detail
    document = window.document
    window.go_to_action(document.action_by_ref("A1.2").id)
    detail.tabs.setCurrentIndex(1)
    picker = detail.predecessor_ref
    a41 = document.action_by_ref("A4.1")
    line = f"A4.1 — {a41.title}"
    assert picker.findText(line) >= 0
    picker.setFocus()
    qtbot.keyClicks(picker.lineEdit(), "A4.1")  # the completer offers the line with its title
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().index(0, 0).data() == line
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # Enter on the offered line adds it
    assert not detail.predecessor_field.error_text()
    refs = [k.predecessor_ref for k in document.action_by_ref("A1.2").predecessors]
    assert "A4.1" in refs
    shown = detail.predecessor_model
    assert any(shown.index(r, 0).data() == "A4.1" for r in range(shown.rowCount()))


def test_choosing_an_owner_fills_an_empty_department_from_theirs(window, qtbot, plan_file):
    detail = window.plan_view.detail
    document = window.document
    person = next(p for p in document.snapshot.people if p.department and p.left_on is None)
    window.add_action()  # a new action: no owner, no department
    record = document.action(window.plan_view.selected_action_id())
    assert not record.department
    combo = detail.owner_combo
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), person.name)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert detail.department_combo.currentText() == person.department
    stored = stored_action(plan_file, record.ref)
    assert (stored.owner, stored.department) == (person.name, person.department)


def test_dates_stay_readable_in_the_narrowest_detail_panel_and_a_narrow_width_is_not_remembered(
    qtbot, window, plan_file, settings, prompts
):
    window.resize(1280, 720)
    window.go_to_action(window.document.action_by_ref("A1.2").id)
    splitter = window.plan_view.splitter
    splitter.setSizes([260, 2000, 40])  # as far as a drag of the handle could squeeze it
    qtbot.wait(50)
    line = window.plan_view.detail.due_edit.line
    assert line.text() == "31/12/2003"
    needed = line.fontMetrics().horizontalAdvance(line.text())
    assert line.width() >= needed + 10  # the whole date shows, not "/12/2003"
    assert line.visibleRegion().boundingRect().width() >= needed
    window.close()
    again = open_window(qtbot, plan_file, settings, prompts)
    detail = again.plan_view.detail
    assert detail.width() >= detail.minimumWidth()
    again.close()


# --- 10. habits from Excel and MS Project -----------------------------------------------------------------


def choose_from_menu(qtbot, menu, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def right_click_row(qtbot, window, ref: str, column: int = 2):  # type: ignore[no-untyped-def]
    table = window.plan_view.table
    index = table.model().index(row_of_ref(window, ref), column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    assert table.viewport().rect().contains(rect.center())
    # Through the window, as the system delivers it: that is where Qt turns a right-click into a context menu.
    at = table.viewport().mapTo(window, rect.center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)
    qtbot.waitUntil(lambda: window.context_menu is not None and window.context_menu.isVisible())
    return window.context_menu


def test_right_click_on_a_row_marks_it_complete(window, qtbot, plan_file):
    menu = right_click_row(qtbot, window, "A2.2")
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert texts[1:] == ["Add action", "Add dependency…", "Mark complete", "Delete action…"]
    assert texts[0].startswith("Edit")
    choose_from_menu(qtbot, menu, "Mark complete")
    assert stored_action(plan_file, "A2.2").status == "complete"
    assert window.plan_view.detail.heading.text().startswith("A2.2")
    assert "A2.2 marked complete" in window.statusBar().currentMessage()


def test_right_click_add_dependency_goes_to_the_picker(window, qtbot):
    menu = right_click_row(qtbot, window, "A5.3")
    choose_from_menu(qtbot, menu, "Add dependency")
    detail = window.plan_view.detail
    assert detail.heading.text().startswith("A5.3")
    assert detail.tabs.currentIndex() == 1
    assert detail.predecessor_ref.hasFocus()


def test_double_clicking_a_cell_opens_that_field(window, qtbot):
    from egov_planner.ui.models.actions import Column

    table = window.plan_view.table
    click_cell(qtbot, table, row_of_ref(window, "A4.2"), Column.DUE, double=True)
    detail = window.plan_view.detail
    assert detail.heading.text().startswith("A4.2")
    assert detail.due_edit.line.hasFocus()
    assert detail.due_edit.line.selectedText() == detail.due_edit.line.text()


def test_f1_opens_the_user_guide(window, qtbot):
    window.plan_view.table.setFocus()
    qtbot.keyClick(window.plan_view.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide is not None and window.guide.isVisible())
    text = window.guide.browser.toPlainText()
    assert "status date" in text and "read-only" in text and "Ctrl+Ins" in text


def test_the_pack_dialog_shows_the_folder_previews_and_says_built_with_an_information_icon(
    window, qtbot, prompts, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from egov_planner.ui.prompts import Prompts

    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    assert dialog.folder_label.text() == f"In the folder {window.document.path.parent}"
    output = tmp_path / "packs" / "April cabinet.pdf"
    output.parent.mkdir()
    dialog.output.selectAll()
    qtbot.keyClicks(dialog.output, str(output))
    assert dialog.folder_label.text() == f"In the folder {output.parent}"
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None or bool(dialog.error_text), timeout=60000)
    assert dialog.preview_pages > 0 and not output.exists()  # a preview saves nothing
    assert "Nothing is saved" in dialog.status.text()
    dialog.preview_dialog.close()
    icons = []

    def exec_box(box: QMessageBox) -> int:
        icons.append(box.icon())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    dialog.prompts = Prompts(dialog)
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_path is not None or bool(dialog.error_text), timeout=60000)
    assert output.exists()
    assert icons == [QMessageBox.Icon.Information]
