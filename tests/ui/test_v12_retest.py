"""Issue 12 tried again as a new user, on a plan of one's own (init + CSV import) at 1280×720."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from egov_planner.cli import run as cli_run
from egov_planner.model.store import open_plan
from egov_planner.ui.application import make_application
from tests.ui.conftest import open_window

ACTIONS = (
    "objective_ref,objective,action_ref,action,owner,department,due,status,percent_complete,"
    "depends_on,external,external_expected\n"
    "R1,Council tax and benefits online,R1.1,Online council tax direct debit sign-up,"
    "Maria Kowalski,Revenues,30/11/2003,complete,100,,,\n"
    "R1,,R1.2,Benefit claim form online with evidence upload,"
    "Maria Kowalski,Revenues,31/03/2004,in progress,35,R1.1,DWP data link,29/02/2004\n"
    "W1,Waste services reported online,W1.1,Report a missed bin collection on the web,"
    "Dev Patel,Environment,30/06/2004,not started,0,R1.2 SS,,\n"
)
SERVICES = """service,department,interaction,permissible,enabled_on,forecast,external,external_expected
Council tax,Revenues,2,yes,01/12/2003,,,
Housing benefit,Revenues,1,yes,,31/03/2004,DWP data link,29/02/2004
Missed bins,Environment,4,yes,,30/06/2004,,
"""


@pytest.fixture
def own_plan(tmp_path: Path) -> Path:
    """A plan built as a new user would: init, then an actions CSV and a services CSV of one's own."""
    plan = tmp_path / "revenues.plan"
    (tmp_path / "actions.csv").write_text(ACTIONS, encoding="utf-8")
    (tmp_path / "services.csv").write_text(SERVICES, encoding="utf-8")
    assert cli_run(["init", str(plan)]) == 0
    assert cli_run(["import", str(plan), str(tmp_path / "actions.csv")]) == 0
    assert cli_run(["import", str(plan), str(tmp_path / "services.csv")]) == 0
    return plan


@pytest.fixture
def own_window(qtbot, own_plan, settings, prompts):  # type: ignore[no-untyped-def]
    make_application()
    window = open_window(qtbot, own_plan, settings, prompts)
    window.resize(1280, 720)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    yield window
    window.runner.wait(15000)
    window.close()


def test_the_dashboard_at_1280_wide_keeps_the_window_on_the_screen(own_window, qtbot):
    window = own_window
    qtbot.keyClick(window.plan_view.table, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.dashboard
    qtbot.wait(50)
    assert window.width() <= 1280  # the long section titles wrap instead of widening the window
    assert window.minimumSizeHint().width() <= 1280
    title = window.dashboard.chart_title.text()
    assert title.startswith("BVPI 157: 33.3% e-enabled") and "forecast" in title  # whole, not cut


def test_the_empty_status_date_shows_today_in_full(own_window):
    line = own_window.status_date_edit.line
    assert line.text() == "" and line.placeholderText() == "today, 01/06/2004"
    room = line.width() - 16  # the sheet's 5-pixel padding, 1-pixel border and Qt's 2-pixel margin, each side
    assert line.fontMetrics().horizontalAdvance(line.placeholderText()) <= room


def menu_item_by_letter(qtbot, window, menu_key: Qt.Key, letter: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, menu_key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=10000)
    qtbot.keyClick(QApplication.activePopupWidget(), letter)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=10000)


def test_each_letter_in_the_view_menu_does_one_thing(own_window, qtbot):
    window = own_window
    menu_item_by_letter(qtbot, window, Qt.Key.Key_V, Qt.Key.Key_E)  # P&eople and departments
    assert window.tabs.currentWidget() is window.people_view
    menu_item_by_letter(qtbot, window, Qt.Key.Key_V, Qt.Key.Key_X)  # E&xternal dependencies
    assert window.tabs.currentWidget() is window.externals_view
    menu_item_by_letter(qtbot, window, Qt.Key.Key_V, Qt.Key.Key_R)  # &Report details
    assert window.tabs.currentWidget() is window.report_view


def test_no_two_items_of_a_menu_share_a_letter(own_window):
    for menu in own_window.menuBar().findChildren(QMenu):
        letters = [a.text().split("&", 1)[1][0].lower() for a in menu.actions() if "&" in a.text()]
        assert len(letters) == len(set(letters)), (menu.title(), letters)


def test_a_read_only_viewer_sees_the_per_cent_complete(qtbot, own_plan, settings, prompts):  # type: ignore[no-untyped-def]
    make_application()
    holder = open_plan(own_plan)  # someone else is editing it
    try:
        window = open_window(qtbot, own_plan, settings, prompts)
        assert window.document.read_only
        view = window.plan_view
        row = view.proxy.proxy_row_of(window.document.action_by_ref("R1.2").id)
        rect = view.table.visualRect(view.proxy.index(row, 0))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        spin = view.detail.percent_spin
        assert spin.text() == "35 %"
        line = spin.lineEdit()
        assert line.isVisible()
        assert line.width() >= line.fontMetrics().horizontalAdvance("35 %")  # blank before: 1 pixel wide
        window.close()
    finally:
        holder.close()


def test_the_guide_names_every_tab_key_and_the_committee_cycle(own_window, qtbot):
    window = own_window
    qtbot.keyClick(window.plan_view.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide is not None and window.guide.isVisible())
    text = window.guide.browser.toPlainText()
    assert f"Ctrl+1 … Ctrl+{window.tabs.count()}" in text  # 7 tabs: it said Ctrl+6
    assert "Record report" in text and "Committee reports" in text and "History" in text
    window.guide.close()
