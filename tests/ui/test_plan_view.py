"""The officer filters the plan and moves the status date; colours, tooltips and counts follow at once."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from egov_planner.model.rules import Rag
from egov_planner.ui.models.actions import RAG_ROLE, Column, FlagChoice
from tests.ui.conftest import stored_service


def visible_refs(window) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = window.plan_view.proxy
    return [proxy.index(row, Column.REF).data() for row in range(proxy.rowCount())]


def row_of(window, ref: str) -> int:  # type: ignore[no-untyped-def]
    return visible_refs(window).index(ref)


def rag_of(window, ref: str) -> Rag:  # type: ignore[no-untyped-def]
    proxy = window.plan_view.proxy
    return Rag(proxy.index(row_of(window, ref), Column.RAG).data(RAG_ROLE))


def test_the_table_shows_every_action_with_rag_colour_and_letter(window):
    proxy = window.plan_view.proxy
    assert proxy.rowCount() == 30
    row = row_of(window, "A1.2")
    assert proxy.index(row, Column.RAG).data() == "R"
    assert proxy.index(row, Column.RAG).data(Qt.ItemDataRole.ToolTipRole) == "Overdue by 12 days (due 31/12/2003)"
    assert proxy.index(row, Column.DUE).data() == "31/12/2003"
    at_risk = proxy.index(row_of(window, "A2.2"), Column.RAG)
    assert at_risk.data() == "A"
    assert at_risk.data(Qt.ItemDataRole.ToolTipRole) == "At risk: waits on A2.1, forecast 31/03/2004"
    assert window.plan_view.filter_bar.count.text() == "30 of 30 actions"


def test_filter_to_overdue_shows_only_overdue_rows(window, qtbot):
    bar = window.plan_view.filter_bar
    bar.flag.setFocus()
    bar.flag.setCurrentIndex(bar.flag.findData(FlagChoice.OVERDUE))
    assert visible_refs(window) == ["A1.2"]
    assert all(rag_of(window, ref) is Rag.RED for ref in visible_refs(window))
    assert bar.count.text() == "1 of 30 actions"
    bar.flag.setCurrentIndex(bar.flag.findData(FlagChoice.AT_RISK))
    assert sorted(visible_refs(window)) == ["A1.6", "A2.2"]


def test_typing_in_the_search_box_filters_each_keystroke(window, qtbot):
    bar = window.plan_view.filter_bar
    qtbot.keyClicks(bar.search, "regist")
    assert visible_refs(window) == ["A1.6"]
    assert bar.count.text() == "1 of 30 actions"
    bar.clear_button.click()
    assert window.plan_view.proxy.rowCount() == 30


def test_owner_department_and_status_filters_combine(window):
    bar = window.plan_view.filter_bar
    bar.owner.setCurrentIndex(bar.owner.findData("Head of Libraries"))
    assert sorted(visible_refs(window)) == ["A6.1", "A6.2", "A6.3"]
    bar.status.setCurrentIndex(bar.status.findData("not_started"))
    assert visible_refs(window) == ["A6.2"]
    bar.clear()
    bar.department.setCurrentIndex(bar.department.findData("Housing"))
    assert visible_refs(window) == ["A6.4"]


def test_choosing_an_objective_in_the_tree_filters_the_table(window):
    view = window.plan_view
    objective = window.document.snapshot.objectives[1]  # O2
    view.tree.setCurrentIndex(view.tree_model.index_of(objective.id))
    assert all(ref.startswith("A2.") for ref in visible_refs(window))
    assert len(visible_refs(window)) == 5
    assert view.filter_bar.objective.currentData() == objective.id
    view.tree.setCurrentIndex(view.tree_model.index_of(None))
    assert view.proxy.rowCount() == 30


def test_objectives_show_their_roll_up_rag(window):
    model = window.plan_view.tree_model
    objectives = window.document.snapshot.objectives
    assert Rag(model.index_of(objectives[0].id).data(RAG_ROLE)) is Rag.RED  # O1 holds overdue A1.2
    assert Rag(model.index_of(objectives[1].id).data(RAG_ROLE)) is Rag.AMBER  # O2 holds at-risk A2.2
    assert "Red" in model.index_of(objectives[0].id).data(Qt.ItemDataRole.ToolTipRole)


def test_sorting_by_due_date_keeps_the_selection(window):
    view = window.plan_view
    record = window.document.action_by_ref("A3.2")
    view.select_action(record.id)
    view.table.sortByColumn(Column.DUE, Qt.SortOrder.AscendingOrder)
    dues = [view.proxy.index(r, Column.DUE).data() for r in range(view.proxy.rowCount())]
    as_dates = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d in dues]
    assert as_dates == sorted(as_dates)
    assert view.selected_action_id() == record.id


def test_changing_the_status_date_recolours_at_once_and_is_undoable(window, qtbot, plan_file):
    assert rag_of(window, "A4.3") is Rag.GREEN  # due 23/01/2004: due soon on 12/01/2004
    line = window.status_date_edit.line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "01/03/2004")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert rag_of(window, "A4.3") is Rag.RED
    tooltip = window.plan_view.proxy.index(row_of(window, "A4.3"), Column.RAG).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Overdue by 38 days (due 23/01/2004)"
    assert "overdue" in window.position_label.text()
    assert window.document.status_date == date(2004, 3, 1)
    service, store = stored_service(plan_file)
    try:
        assert service.details().status_date == date(2004, 3, 1)
    finally:
        store.close()
    assert window.undo_action.text().replace("&", "") == "Undo change the status date"
    window.undo_action.trigger()
    assert rag_of(window, "A4.3") is Rag.GREEN
    assert window.status_date_edit.line.text() == "12/01/2004"


def test_an_empty_status_date_means_today(window, qtbot):
    window.today_button.click()
    assert window.document.snapshot.details.status_date is None
    assert window.document.status_date == date(2004, 6, 1)  # the window's 'today' in these tests
    assert window.status_date_edit.line.text() == ""
    assert "today" in window.status_date_edit.line.placeholderText()


def test_the_detail_panel_follows_the_selection(window):
    view = window.plan_view
    record = window.document.action_by_ref("A1.6")
    view.select_action(record.id)
    detail = view.detail
    assert detail.heading.text().startswith("A1.6")
    assert "waits on National Registration Services modernisation project" in detail.verdict.text()
    assert detail.external_model.rowCount() == 1
    assert detail.owner_combo.currentText() == "Superintendent Registrar"
