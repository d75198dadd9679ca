"""An officer edits the plan in the detail panel: each edit is written at once and can be undone."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from tests.ui.conftest import stored_action


def select(window, ref: str):  # type: ignore[no-untyped-def]
    record = window.document.action_by_ref(ref)
    window.go_to_action(record.id)
    assert window.plan_view.detail.action_id == record.id
    return record


def type_into(qtbot, line, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what the field holds, type over it and press Enter, as an officer would."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_a_due_date_typed_the_british_way_is_stored_in_the_plan(window, qtbot, plan_file):
    select(window, "A1.2")
    detail = window.plan_view.detail
    type_into(qtbot, detail.due_edit.line, "28/02/2004")
    assert stored_action(plan_file, "A1.2").due == date(2004, 2, 28)
    assert detail.due_edit.line.text() == "28/02/2004"
    assert detail.fields["due"].error_text() == ""


def test_undo_puts_the_due_date_back_and_the_edit_menu_names_it(window, qtbot, plan_file):
    select(window, "A1.2")
    type_into(qtbot, window.plan_view.detail.due_edit.line, "29 February 2004")
    assert window.undo_action.text().replace("&", "") == "Undo change due date of A1.2"
    assert window.undo_action.isEnabled()
    qtbot.keyClick(window.plan_view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    if stored_action(plan_file, "A1.2").due != date(2003, 12, 31):
        window.undo_action.trigger()  # some platforms deliver no shortcut to an offscreen window
    assert stored_action(plan_file, "A1.2").due == date(2003, 12, 31)
    assert window.plan_view.detail.due_edit.line.text() == "31/12/2003"
    assert window.redo_action.text().replace("&", "") == "Redo change due date of A1.2"
    window.redo_action.trigger()
    assert stored_action(plan_file, "A1.2").due == date(2004, 2, 29)


def test_a_due_date_before_the_start_is_refused_at_the_field_and_nothing_is_saved(window, qtbot, plan_file):
    select(window, "A1.2")  # starts 01/12/2003
    detail = window.plan_view.detail
    type_into(qtbot, detail.due_edit.line, "01/11/2003")
    assert "due 01/11/2003 is before start 01/12/2003" in detail.fields["due"].error_text().lower()
    assert detail.due_edit.line.property("fieldError") is True
    assert detail.due_edit.line.text() == "01/11/2003"  # the officer's text stays, to correct
    assert stored_action(plan_file, "A1.2").due == date(2003, 12, 31)
    assert not window.document.undo_stack.canUndo()


def test_a_date_that_is_not_a_date_is_refused_at_the_field(window, qtbot, plan_file):
    select(window, "A1.4")
    detail = window.plan_view.detail
    type_into(qtbot, detail.due_edit.line, "31/02/2004")
    assert "not a real date" in detail.fields["due"].error_text()
    assert stored_action(plan_file, "A1.4").due == date(2004, 4, 30)


def test_a_dependency_that_would_make_a_cycle_is_refused_naming_the_cycle(window, qtbot, plan_file):
    select(window, "A2.1")  # A2.2 already waits on A2.1
    detail = window.plan_view.detail
    detail.tabs.setCurrentIndex(1)
    line = detail.predecessor_ref.lineEdit()
    line.setFocus()
    qtbot.keyClicks(line, "A2.2")
    qtbot.mouseClick(detail.add_predecessor_button, Qt.MouseButton.LeftButton)
    message = detail.predecessor_field.error_text()
    assert "A2.2 → A2.1 → A2.2" in message
    assert detail.predecessor_ref.property("fieldError") is True
    assert stored_action(plan_file, "A2.1").predecessors == ()
    assert not window.document.undo_stack.canUndo()


def test_adding_a_predecessor_with_a_type_and_lag_and_undoing_it(window, qtbot, plan_file):
    select(window, "A3.1")
    detail = window.plan_view.detail
    detail.tabs.setCurrentIndex(1)
    qtbot.keyClicks(detail.predecessor_ref.lineEdit(), "A2.4")
    detail.kind_combo.setCurrentIndex(detail.kind_combo.findData("SS"))
    detail.lag_spin.setValue(10)
    qtbot.mouseClick(detail.add_predecessor_button, Qt.MouseButton.LeftButton)
    assert [link.as_text for link in stored_action(plan_file, "A3.1").predecessors] == ["A2.4 SS+10d"]
    assert detail.predecessor_model.rowCount() == 1
    assert window.undo_action.text().replace("&", "") == "Undo make A3.1 depend on A2.4"
    window.undo_action.trigger()
    assert stored_action(plan_file, "A3.1").predecessors == ()


def test_changing_a_dependency_type_in_place(window, qtbot, plan_file):
    select(window, "A2.2")
    detail = window.plan_view.detail
    detail.tabs.setCurrentIndex(1)
    model = detail.predecessor_model
    assert model.setData(model.index(0, 2), "FF")
    assert stored_action(plan_file, "A2.2").predecessors[0].kind == "FF"
    window.undo_action.trigger()
    assert stored_action(plan_file, "A2.2").predecessors[0].kind == "FS"


def test_owner_picker_accepts_a_new_name(window, qtbot, plan_file):
    select(window, "A5.3")
    detail = window.plan_view.detail
    line = detail.owner_combo.lineEdit()
    type_into(qtbot, line, "Priya Shah")
    assert stored_action(plan_file, "A5.3").owner == "Priya Shah"
    assert "Priya Shah" in [p.name for p in window.document.snapshot.people]


def test_status_complete_fills_completed_on_and_undo_restores_all(window, qtbot, plan_file):
    record = select(window, "A4.3")
    detail = window.plan_view.detail
    detail.status_combo.setFocus()
    detail.status_combo.setCurrentIndex(detail.status_combo.findData("complete"))
    detail.status_combo.activated.emit(detail.status_combo.currentIndex())
    stored = stored_action(plan_file, "A4.3")
    assert stored.status == "complete" and stored.completed_on is not None and stored.percent_complete == 100
    window.undo_action.trigger()
    stored = stored_action(plan_file, "A4.3")
    assert (stored.status, stored.completed_on, stored.percent_complete) == (
        record.status,
        record.completed_on,
        record.percent_complete,
    )


def test_a_progress_update_is_added_with_note_status_and_author_then_withdrawn(window, qtbot, plan_file):
    select(window, "A5.1")
    detail = window.plan_view.detail
    detail.tabs.setCurrentIndex(2)
    before = detail.progress_model.rowCount()
    old_percent = stored_action(plan_file, "A5.1").percent_complete
    detail.progress_percent.setValue(80)
    qtbot.keyClicks(detail.progress_author.lineEdit(), "Web Manager")
    detail.progress_note.setFocus()
    qtbot.keyClicks(detail.progress_note, "Forms for council tax and parking live")
    qtbot.mouseClick(detail.add_progress_button, Qt.MouseButton.LeftButton)
    assert detail.progress_model.rowCount() == before + 1
    newest = detail.progress_model.record_at(0)
    assert newest.note == "Forms for council tax and parking live"
    assert newest.author == "Web Manager" and newest.percent_complete == 80
    assert stored_action(plan_file, "A5.1").percent_complete == 80
    window.undo_action.trigger()
    assert detail.progress_model.rowCount() == before
    assert stored_action(plan_file, "A5.1").percent_complete == old_percent


def test_add_and_delete_an_action_from_the_edit_menu_with_undo(window, qtbot, plan_file, prompts):
    prompts.answers.append(True)  # "Delete A3.5?"
    view = window.plan_view
    view.tree.setCurrentIndex(view.tree_model.index_of(window.document.snapshot.objectives[2].id))  # O3
    window.add_action_action.trigger()
    record = window.document.action(view.selected_action_id())
    assert record.ref == "A3.5" and record.title == "New action"
    type_into(qtbot, view.detail.title_edit, "Publish the strategy on the intranet")
    assert stored_action(plan_file, "A3.5").title == "Publish the strategy on the intranet"
    window.delete_action_action.trigger()
    assert window.document.action_by_ref("A3.5") is None
    window.undo_action.trigger()  # the delete
    assert window.document.action_by_ref("A3.5").title == "Publish the strategy on the intranet"


def test_deleting_an_action_keeps_its_dependencies_for_undo(window, qtbot, plan_file, prompts):
    prompts.answers.append(True)  # "Delete A2.1?"
    record = select(window, "A2.1")
    window.delete_action_action.trigger()
    assert window.undo_action.text().replace("&", "") == "Undo delete action A2.1"
    assert stored_action(plan_file, "A2.2").predecessors == ()
    window.undo_action.trigger()
    assert [k.predecessor_ref for k in stored_action(plan_file, "A2.2").predecessors] == ["A2.1"]
    assert window.document.action(record.id) is not None


def test_edits_in_one_window_are_seen_by_a_fresh_reader(window, qtbot, plan_file):
    select(window, "A6.2")
    type_into(qtbot, window.plan_view.detail.title_edit, "Offer taster sessions in every library")
    store = open_plan(plan_file, read_only=True)
    try:
        assert PlanService(store).action_by_ref("A6.2").title == "Offer taster sessions in every library"
    finally:
        store.close()


def test_text_still_being_typed_is_saved_when_the_window_closes(window, qtbot, plan_file):
    select(window, "A7.2")
    notes = window.plan_view.detail.notes_edit
    notes.setFocus()
    qtbot.keyClicks(notes, "Ask the disability forum to test the checklist")
    window.close()
    assert stored_action(plan_file, "A7.2").notes == "Ask the disability forum to test the checklist"


def test_renaming_an_action_updates_what_its_successors_show_at_once(window, qtbot, plan_file):
    select(window, "A2.1")
    type_into(qtbot, window.plan_view.detail.ref_edit, "A2.1a")
    assert stored_action(plan_file, "A2.1a").title.startswith("Agree a corporate approach")
    successor = window.document.action_by_ref("A2.2")
    assert successor.depends_on_text == "A2.1a"
    model = window.plan_view.table.model()
    shown = [
        model.index(row, column).data()
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        if model.index(row, 0).data() == "A2.2"
    ]
    assert "A2.1a" in shown


def test_the_owners_expected_date_moves_the_forecast_and_the_overdue_reason(window, qtbot, plan_file):
    select(window, "A1.2")  # due 31/12/2003, in progress; the status date is 12/01/2004
    detail = window.plan_view.detail
    assert detail.expected_edit.line.text() == ""
    type_into(qtbot, detail.expected_edit.line, "29 February 2004")
    assert stored_action(plan_file, "A1.2").expected == date(2004, 2, 29)
    assert detail.verdict.text() == (
        "Overdue by 12 days (due 31/12/2003); now expected 29/02/2004. Forecast finish 29/02/2004"
        " (position as at 12/01/2004)"
    )
    assert window.undo_action.text().replace("&", "") == "Undo change expected date of A1.2"
    window.undo_action.trigger()
    assert stored_action(plan_file, "A1.2").expected is None
    assert detail.expected_edit.line.text() == ""
    type_into(qtbot, detail.expected_edit.line, "31/02/2004")
    assert "February 2004 has 29 days" in detail.fields["expected"].error_text()
    assert stored_action(plan_file, "A1.2").expected is None
