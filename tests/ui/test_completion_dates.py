"""Marking an action complete in the window dates it as at the plan's status date, not the computer's clock."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from tests.ui.conftest import DEMO_STATUS_DATE, stored_action


def select(window, ref: str):  # type: ignore[no-untyped-def]
    record = window.document.action_by_ref(ref)
    window.go_to_action(record.id)
    return record


def test_status_complete_in_the_detail_panel_is_dated_the_status_date(window, qtbot, plan_file):
    select(window, "A4.3")
    detail = window.plan_view.detail
    detail.status_combo.setFocus()
    detail.status_combo.setCurrentIndex(detail.status_combo.findData("complete"))
    detail.status_combo.activated.emit(detail.status_combo.currentIndex())
    assert stored_action(plan_file, "A4.3").completed_on == DEMO_STATUS_DATE
    assert detail.completed_edit.line.text() == "12/01/2004"
    # Moved on to a new position, the next completion is dated as at that one.
    window.document.service.set_status_date(date(2004, 2, 27))
    select(window, "A5.3")
    detail.status_combo.setCurrentIndex(detail.status_combo.findData("complete"))
    detail.status_combo.activated.emit(detail.status_combo.currentIndex())
    assert stored_action(plan_file, "A5.3").completed_on == date(2004, 2, 27)


def test_a_progress_update_that_completes_an_action_is_never_dated_after_the_status_date(window, qtbot, plan_file):
    select(window, "A5.1")
    detail = window.plan_view.detail
    detail.tabs.setCurrentIndex(2)
    assert detail.progress_date.line.text() == "12/01/2004"
    # Written up a fortnight later: the plan still reports as at 12/01/2004, so that is when it is complete.
    detail.progress_date.set_value(date(2004, 1, 26))
    detail.progress_status.setCurrentIndex(detail.progress_status.findData("complete"))
    detail.progress_note.setFocus()
    qtbot.keyClicks(detail.progress_note, "All forms live")
    qtbot.mouseClick(detail.add_progress_button, Qt.MouseButton.LeftButton)
    stored = stored_action(plan_file, "A5.1")
    assert (stored.status, stored.completed_on) == ("complete", DEMO_STATUS_DATE)
    assert detail.progress_model.record_at(0).reported_on == date(2004, 1, 26)
