"""Issue 12 (6, 7, 8, 10, 11): read-only viewing, filtering, data entry, Excel/MS Project habits, externals."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import stored_action


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
