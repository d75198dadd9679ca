"""The committee cycle in the window: record a report, compare the plan with it, and revise a target date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from tests.ui.conftest import open_window, stored_action

LABEL = "Cabinet 2 February 2004"


def when_dialog_opens(qtbot, kind: type, act: Callable[[Any], None]) -> list[Any]:  # type: ignore[no-untyped-def]
    """Run act on the next modal dialog of kind as soon as it is up (its exec() blocks the test until then).

    act must close the dialog; if it fails, the dialog is rejected so the test ends and reports the failure.
    """
    seen: list[Any] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        try:
            act(dialog)
        except BaseException as problem:  # noqa: BLE001 - handed to the test after the dialog is closed
            seen.append(problem)
            dialog.reject()

    QTimer.singleShot(0, poll)
    return seen


def finished(seen: list[Any]) -> Any:
    assert seen, "no dialog opened"
    for item in seen[1:]:
        if isinstance(item, BaseException):
            raise item
    return seen[0]


def select(window, ref: str):  # type: ignore[no-untyped-def]
    record = window.document.action_by_ref(ref)
    window.go_to_action(record.id)
    return record


def type_due(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    line = window.plan_view.detail.due_edit.line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_recording_a_report_asks_a_label_warns_it_cannot_be_undone_and_lists_it(window, qtbot, plan_file):
    from egov_planner.ui.views.reports_view import RecordReportDialog

    view = window.reports_view
    window.tabs.setCurrentWidget(view)
    assert view.reports_model.rowCount() == 1  # only the draft
    draft = view.reports_model.record_at(0)
    assert draft.kind() == "Draft" and draft.as_of == date(2004, 1, 12)
    assert "Cabinet 02/02/2004" in draft.meetings_text()
    assert not view.compare_button.isEnabled()
    undo_before = window.document.undo_stack.count()

    def fill(dialog: RecordReportDialog) -> None:
        texts = " ".join(w.text() for w in dialog.findChildren(QLabel))
        assert "This cannot be undone" in texts and "12/01/2004" in texts
        assert dialog.label_edit.text() == "Finance, Resources and Equal Opportunities Scrutiny 22 January 2004"
        dialog.label_edit.selectAll()
        qtbot.keyClicks(dialog.label_edit, LABEL)
        qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)

    seen = when_dialog_opens(qtbot, RecordReportDialog, fill)
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    assert finished(seen).result() == QDialog.DialogCode.Accepted

    store = open_plan(plan_file, read_only=True)
    try:
        headers = PlanService(store).recorded_reports()
    finally:
        store.close()
    assert [(h.label, h.as_of) for h in headers] == [(LABEL, date(2004, 1, 12))]
    assert window.document.undo_stack.count() == undo_before  # recording is not on the undo stack
    rows = view.reports_model.records
    assert [r.label for r in rows] == ["Draft (the report in hand)", LABEL]
    assert rows[1].kind() == "Recorded (snapshot)" and rows[1].actions == len(window.document.snapshot.actions)
    assert "Cabinet 02/02/2004" in rows[1].meetings_text()
    assert view.compare_combo.currentText() == LABEL
    assert view.summary.text().endswith(
        "0 completed, 0 newly overdue, 0 newly at risk, 0 revised, 0 added, 0 removed, 0 RAG changed"
    )

    # The same label again is refused at the field; the dialog stays open to correct it.
    def again(dialog: RecordReportDialog) -> None:
        dialog.label_edit.selectAll()
        qtbot.keyClicks(dialog.label_edit, LABEL)
        qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert "already a recorded report" in dialog.label_field.message.text()
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        dialog.reject()

    seen = when_dialog_opens(qtbot, RecordReportDialog, again)
    window.record_report_action.trigger()
    assert finished(seen).result() == QDialog.DialogCode.Rejected
    assert len(window.document.service.recorded_reports()) == 1


def test_a_reported_plans_due_edit_asks_why_cancel_keeps_it_ok_revises_and_undo_restores(window, qtbot, plan_file):
    from egov_planner.ui.views.revision_dialog import RevisionDialog

    window.document.service.record_report(LABEL)
    a14 = select(window, "A1.4")
    detail = window.plan_view.detail
    assert a14.due == date(2004, 4, 30)
    assert not detail.dates_note.isVisible()
    count = window.document.undo_stack.count()

    def cancel(dialog: RevisionDialog) -> None:
        assert "30/04/2004 → <b>30/06/2004</b> (slipped 61 days)" in dialog.change_label.text()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    seen = when_dialog_opens(qtbot, RevisionDialog, cancel)
    type_due(qtbot, window, "30/06/2004")
    assert finished(seen).result() == QDialog.DialogCode.Rejected
    assert stored_action(plan_file, "A1.4").due == date(2004, 4, 30)
    assert detail.due_edit.line.text() == "30/04/2004"
    assert detail.fields["due"].error_text() == ""
    assert window.document.undo_stack.count() == count
    assert window.document.snapshot.revisions.get(a14.id, ()) == ()

    def revise(dialog: RevisionDialog) -> None:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason yet: refused in the dialog
        assert dialog.isVisible() and "Give the reason" in dialog.reason_field.message.text()
        qtbot.keyClicks(dialog.reason_edit, "Supplier delivered the kiosks late")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.agreed_edit, "SRG 12/05/2004")
        qtbot.keyClick(dialog.agreed_edit, Qt.Key.Key_Return)

    seen = when_dialog_opens(qtbot, RevisionDialog, revise)
    type_due(qtbot, window, "30 June 2004")
    assert finished(seen).result() == QDialog.DialogCode.Accepted
    assert stored_action(plan_file, "A1.4").due == date(2004, 6, 30)
    revisions = window.document.service.snapshot().revisions[a14.id]
    assert [(r.from_due, r.to_due, r.reason, r.agreed_by) for r in revisions] == [
        (date(2004, 4, 30), date(2004, 6, 30), "Supplier delivered the kiosks late", "SRG 12/05/2004")
    ]
    note = detail.dates_note.text()
    assert detail.dates_note.isVisible()
    assert "Original target 30/04/2004; now 30/06/2004 (slipped 61 days)" in note
    assert (
        "Revised 30/04/2004 → 30/06/2004 (slipped 61 days): Supplier delivered the kiosks late; "
        "agreed by SRG 12/05/2004" in note
    )
    assert window.undo_action.text().replace("&", "") == "Undo change due date of A1.4"

    window.undo_action.trigger()  # no dialog: undo says what it undoes
    assert stored_action(plan_file, "A1.4").due == date(2004, 4, 30)
    assert detail.due_edit.line.text() == "30/04/2004"
    assert (
        window.document.snapshot.revisions[a14.id][-1].reason == "Undo of revision: Supplier delivered the kiosks late"
    )


def test_compare_after_an_edit_lists_the_revision_and_opens_its_action(window, qtbot, plan_file):
    from egov_planner.ui.views.revision_dialog import RevisionDialog

    window.document.service.record_report(LABEL)
    select(window, "A1.4")

    def revise(dialog: RevisionDialog) -> None:
        qtbot.keyClicks(dialog.reason_edit, "Waiting for the CRM contract")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    seen = when_dialog_opens(qtbot, RevisionDialog, revise)
    type_due(qtbot, window, "31/07/2004")
    finished(seen)

    view = window.reports_view
    window.compare_with()
    assert window.tabs.currentWidget() is view
    assert view.compare_combo.currentText() == LABEL
    qtbot.mouseClick(view.compare_button, Qt.MouseButton.LeftButton)
    assert "1 revised" in view.summary.text() and "0 completed" in view.summary.text()
    rows = view.changes_model.records
    # A1.5 waits on A1.4, so the slip puts it at risk: the comparison says so too.
    assert [(r.group, r.ref, r.detail) for r in rows] == [
        ("Newly at risk", "A1.5", "waits on A1.4, forecast 31/07/2004"),
        ("Target date revised", "A1.4", "30/04/2004 → 31/07/2004 (slipped 92 days): Waiting for the CRM contract"),
        ("RAG changed", "A1.5", "Green (G) → Amber (A)"),
    ]

    table = view.changes_view
    rect = table.visualRect(view.changes_model.index(1, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is window.plan_view
    assert window.plan_view.detail.heading.text().startswith("A1.4")


def test_a_completed_action_shows_in_the_comparison_with_its_rag_in_words_and_letters(window, qtbot):
    from egov_planner.ui.commands import EditActionCommand

    document = window.document
    document.service.record_report(LABEL)
    a12 = document.action_by_ref("A1.2")  # Red (overdue) when reported
    assert document.execute(EditActionCommand(document, a12, {"status": "complete"})) is None
    view = window.reports_view
    window.tabs.setCurrentWidget(view)
    by_group = {(r.group, r.ref): r for r in view.changes_model.records}
    assert by_group[("Completed", "A1.2")].detail == "completed 12/01/2004"
    assert by_group[("RAG changed", "A1.2")].detail == "Red (R) → Blue (B)"
    view.changes_view.setFocus()
    view.changes_view.selectRow(0)
    qtbot.keyClick(view.changes_view, Qt.Key.Key_Return)
    assert window.plan_view.selected_action_id() == a12.id


def test_a_read_only_viewer_compares_but_cannot_record(qtbot, plan_file, settings, prompts):
    from egov_planner.ui.application import make_application

    store = open_plan(plan_file)
    PlanService(store).record_report(LABEL)
    store.close()
    make_application()
    holder = open_plan(plan_file)  # someone else is editing it
    try:
        window = open_window(qtbot, plan_file, settings, prompts)
        assert window.document.read_only
        window.tabs.setCurrentWidget(window.reports_view)
        assert not window.reports_view.record_button.isEnabled()
        assert not window.record_report_action.isEnabled()
        assert window.compare_action.isEnabled() and window.reports_view.compare_button.isEnabled()
        assert window.reports_view.summary.text().startswith(f"Since '{LABEL}' (position as at 12/01/2004)")
        window.close()
    finally:
        holder.close()


def test_bvpi_states_the_confirmed_position_and_names_the_forecast(window):
    document = window.document
    window.change_status_date(date(2004, 6, 1))  # forecasts fall due by then that no actual date confirms
    as_of = document.status_date
    rows = [r for r in document.snapshot.service_rows if r.permissible]
    confirmed = sum(1 for r in rows if r.enabled_on is not None and r.enabled_on <= as_of)
    bvpi = window.bvpi_view
    window.tabs.setCurrentWidget(bvpi)
    assert bvpi.now_card.caption == "Position (actual)"
    assert bvpi.now_card.count_text == f"{100 * confirmed / len(rows):.1f}%"
    assert bvpi.now_card.detail == f"{confirmed} of {len(rows)} e-enabled as at 01/06/2004"
    assert bvpi.forecast_card.caption == "Forecast"
    assert bvpi.figures_note.text().startswith(f"Position as at 01/06/2004: {confirmed} of {len(rows)} interactions")
    assert bvpi.forecast_card.count_text != bvpi.now_card.count_text  # the demo forecasts more than it has
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    assert dashboard.bvpi_card.caption == "BVPI 157 (actual)"
    assert dashboard.chart_title.text().startswith(f"BVPI 157: {bvpi.now_card.count_text} e-enabled as at 01/06/2004")
    assert dashboard.bvpi_card.count_text == bvpi.now_card.count_text
    assert dashboard.bvpi_card.detail.endswith(f"forecast {bvpi.forecast_card.count_text}")


def test_an_expected_date_already_passed_is_called_out(window, qtbot, plan_file):
    select(window, "A1.2")  # overdue at 12/01/2004
    detail = window.plan_view.detail
    line = detail.expected_edit.line
    line.setFocus()
    qtbot.keyClicks(line, "05/01/2004")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert stored_action(plan_file, "A1.2").expected == date(2004, 1, 5)
    assert detail.dates_note.isVisible()
    assert detail.dates_note.text().startswith("Expected 05/01/2004 has passed (position as at 12/01/2004)")
    line.selectAll()
    qtbot.keyClicks(line, "29/02/2004")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert not detail.dates_note.isVisible()
