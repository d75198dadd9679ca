"""The detail panel's History tab: an action's recorded changes, refreshed after each edit; undo is one more."""

from __future__ import annotations

import getpass

from PySide6.QtCore import Qt

from egov_planner.model.dates import british
from tests.ui.conftest import stored_service
from tests.ui.test_editing import select, type_into


def rows(detail) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """What the History tab's table shows, row by row (newest first)."""
    model = detail.history_tab.model
    return [[str(model.data(model.index(r, c))) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_history_tab_shows_an_edit_at_once_and_undo_as_a_change_of_its_own(window, qtbot, plan_file):
    record = select(window, "A1.2")
    detail = window.plan_view.detail
    detail.tabs.setCurrentWidget(detail.history_tab)
    before = rows(detail)
    assert before and before[-1][2].startswith("added: ")  # the demo's import added it

    type_into(qtbot, detail.due_edit.line, "27/02/2004")
    newest = rows(detail)[0]
    assert newest[1:] == [getpass.getuser(), f"due: {british(record.due)} → 27/02/2004", ""]
    assert len(rows(detail)) == len(before) + 1

    window.document.undo_stack.undo()
    assert rows(detail)[0][2:] == [f"due: 27/02/2004 → {british(record.due)}", "Undo"]
    assert len(rows(detail)) == len(before) + 2  # undo adds to the record, never erases it

    service, store = stored_service(plan_file)
    try:
        assert [(e.field, e.reason) for e in service.history("A1.2")][-2:] == [("due", ""), ("due", "Undo")]
    finally:
        store.close()  # type: ignore[attr-defined]


def test_the_history_is_read_only_while_its_tab_shows(window, qtbot):
    select(window, "A2.1")
    detail = window.plan_view.detail
    assert detail.history_tab.shown_ref is None  # the Details tab is showing: nothing read yet
    detail.tabs.setCurrentWidget(detail.history_tab)
    assert detail.history_tab.shown_ref == "A2.1" and rows(detail)


def test_a_notes_date_and_a_status_read_as_an_officer_writes_them(window, qtbot):
    record = select(window, "A1.2")
    detail = window.plan_view.detail
    window.document.service.update_action(record.id, status="complete")
    detail.tabs.setCurrentWidget(detail.history_tab)
    shown = [row[2] for row in rows(detail)]
    assert (
        "note added: 05/01/2004: Departmental returns in from five of six departments; Social Care and Health "
        "return outstanding. Report to SRG now planned for its February meeting." in shown
    )
    assert "status: in progress → complete" in shown
    model = detail.history_tab.model
    tips = [str(model.data(model.index(r, 0), Qt.ItemDataRole.ToolTipRole)) for r in range(model.rowCount())]
    assert any("progress:  → 05/01/2004: Departmental returns" in tip for tip in tips), tips
    assert not any("2004-01-05" in text or "in_progress" in text for text in shown + tips)
