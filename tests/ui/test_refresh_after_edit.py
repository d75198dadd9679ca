"""After every kind of edit the window shows what a fresh reading of the file shows.

The window refreshes in place (only the re-read rows move in a sorted table, the
verdict is reused when no fact the rules read changed, the collector waits until
idle): these tests hold that short cut to the long way round.
"""

from __future__ import annotations

import gc
from datetime import date, timedelta

from PySide6.QtCore import Qt

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.ui.commands import (
    AddDependencyCommand,
    AddProgressCommand,
    EditActionCommand,
    EditPlanDetailsCommand,
)
from egov_planner.ui.models.actions import ActionTableModel, Column, FlagChoice

TODAY = date(2004, 6, 1)  # the window fixture's today


def fresh_verdicts(plan_file) -> dict[str, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """The rules' verdict on the file as stored, read from scratch."""
    store = open_plan(plan_file, read_only=True)
    try:
        service = PlanService(store)
        refs = {a.id: a.ref for a in service.actions()}
        assessment = service.assess(today=TODAY)
    finally:
        store.close()
    return {refs[i]: (a.rag, a.flag, a.forecast, a.reason) for i, a in assessment.actions.items()}


def window_verdicts(window) -> dict[str, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    document = window.document
    return {
        document.action(i).ref: (a.rag, a.flag, a.forecast, a.reason) for i, a in document.assessment.actions.items()
    }


def edit(window, ref: str, **changes: object) -> None:  # type: ignore[no-untyped-def]
    document = window.document
    assert document.execute(EditActionCommand(document, document.action_by_ref(ref), changes)) is None


def test_after_each_kind_of_edit_the_verdicts_are_those_of_a_fresh_reading(window, plan_file):
    document = window.document
    assert window_verdicts(window) == fresh_verdicts(plan_file)

    before = document.assessment
    edit(window, "A2.1", title="Agree a corporate approach to customer authentication (revised)")
    assert document.assessment is before  # no fact the rules read changed: the verdict stands
    assert window_verdicts(window) == fresh_verdicts(plan_file)

    edit(window, "A2.1", due=date(2004, 8, 31))  # its successors are pushed
    assert document.assessment is not before
    assert window_verdicts(window) == fresh_verdicts(plan_file)

    assert document.execute(EditPlanDetailsCommand(document, {"status_date": date(2004, 3, 1)})) is None
    assert window_verdicts(window) == fresh_verdicts(plan_file)

    a31, a34 = document.action_by_ref("A3.1"), document.action_by_ref("A3.4")
    assert document.execute(AddDependencyCommand(document, a31, a34, "FS", 10)) is None
    assert window_verdicts(window) == fresh_verdicts(plan_file)

    a14 = document.action_by_ref("A1.4")
    assert (
        document.execute(AddProgressCommand(document, a14, date(2004, 2, 27), "Drafted", "complete", 100, "")) is None
    )
    assert window_verdicts(window) == fresh_verdicts(plan_file)

    for _ in range(5):
        window.undo_action.trigger()
        assert window_verdicts(window) == fresh_verdicts(plan_file)


def full_sort(model: ActionTableModel, column: Column, order: Qt.SortOrder) -> list[int]:
    """The order a sort from scratch gives (the reference for placing rows one at a time)."""
    document = model.document
    assert document is not None
    key = model._sort_key(column, document.state.actions_by_id, document.assessment.actions, {})
    return sorted(model.ids, key=key, reverse=order == Qt.SortOrder.DescendingOrder)


def test_sorted_by_due_an_edited_action_moves_to_its_place_and_stays_selected(window):
    view = window.plan_view
    model = view.actions_model
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        view.table.sortByColumn(Column.DUE, order)
        record = window.document.action_by_ref("A1.3")
        view.select_action(record.id)
        for due in (date(2005, 3, 31), date(2003, 10, 2), record.due):
            edit(window, "A1.3", due=due)
            assert model.ids == full_sort(model, Column.DUE, order)
            assert window.document.action(view.selected_action_id()).ref == "A1.3"
            row = view.table.currentIndex().row()
            assert view.proxy.action_id_at(row) == record.id  # the selection followed the row


def test_sorted_by_rag_every_row_is_placed_again(window):
    view = window.plan_view
    view.table.sortByColumn(Column.RAG, Qt.SortOrder.AscendingOrder)
    edit(window, "A2.1", due=date(2004, 12, 31))  # A2.2 and others turn amber
    assert view.actions_model.ids == full_sort(view.actions_model, Column.RAG, Qt.SortOrder.AscendingOrder)


def test_a_flag_filter_follows_an_edit_that_changes_who_is_flagged(window):
    view = window.plan_view
    view.show_flag(FlagChoice.OVERDUE)
    assert [view.proxy.action_id_at(r) for r in range(view.proxy.rowCount())] == [
        window.document.action_by_ref("A1.2").id
    ]
    edit(window, "A1.4", start=date(2003, 11, 1), due=date(2003, 12, 1))  # overdue now
    edit(window, "A1.2", due=date(2004, 2, 27))  # not any more
    shown = {window.document.action(view.proxy.action_id_at(r)).ref for r in range(view.proxy.rowCount())}
    assert shown == {"A1.4"}
    assert view.filter_bar.count.text() == "1 of 30 actions"


def test_the_collector_waits_for_the_window_to_be_idle_then_runs_again(window, qtbot):
    assert gc.isenabled()
    record = window.document.action_by_ref("A1.4")
    edit(window, "A1.4", due=record.due + timedelta(days=7))
    assert not gc.isenabled()  # no collector pass while the edit is redrawn
    qtbot.waitUntil(gc.isenabled, timeout=10000)
