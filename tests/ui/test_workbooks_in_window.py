"""The window with workbooks: File → Export/Import take .xlsx; Report → Owners' returns… writes them."""

from __future__ import annotations

import openpyxl

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan


def stored_percent(plan_file, ref: str) -> int:
    store = open_plan(plan_file, read_only=True)
    try:
        return PlanService(store).action_by_ref(ref).percent_complete
    finally:
        store.close()


def test_export_a_workbook_then_import_it_back(window, qtbot, prompts, tmp_path, plan_file):
    exported = tmp_path / "plan.xlsx"
    prompts.files = [exported]
    window.export_csv("actions")
    qtbot.waitUntil(window.idle, timeout=10000)
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["Actions", "Services", "Position"]  # a workbook, not a CSV named .xlsx.csv
    book["Actions"]["L3"] = 65  # A1.2's percent complete
    book.save(exported)
    window.import_file(exported)
    qtbot.waitUntil(window.idle, timeout=10000)
    qtbot.waitUntil(lambda: window.document.action_by_ref("A1.2").percent_complete == 65, timeout=5000)
    assert any("Imported actions and services from plan.xlsx" in message for message in prompts.told)


def test_owners_returns_from_the_report_menu(window, qtbot, prompts, tmp_path, plan_file):
    folder = tmp_path / "returns"
    folder.mkdir()
    prompts.files = [folder]
    window.owner_returns_action.trigger()
    qtbot.waitUntil(window.idle, timeout=10000)
    assert any("Wrote 13 owner's return workbooks" in m and str(folder) in m for m in prompts.told), prompts.told
    returned = folder / "Web Manager.xlsx"
    book = openpyxl.load_workbook(returned)
    book.worksheets[0]["G2"] = 80
    book.save(returned)
    window.import_file(returned)
    qtbot.waitUntil(window.idle, timeout=10000)
    qtbot.waitUntil(lambda: window.document.action_by_ref("A5.1").percent_complete == 80, timeout=5000)
    assert stored_percent(plan_file, "A5.1") == 80
