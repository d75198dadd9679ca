"""Excel workbooks (.xlsx): what an officer opens in Excel, and what comes back from it."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from egov_planner.interchange import export_file, import_file
from egov_planner.interchange.actions_csv import COLUMNS
from egov_planner.model.errors import RowError
from egov_planner.model.service import PlanService


def sheet_rows(path: Path, name: str) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    return list(book[name].iter_rows(values_only=True))


def as_csv(service: PlanService, tmp_path: Path, name: str) -> tuple[str, str]:
    """Everything an export carries, as text, to compare two plans."""
    actions, services = tmp_path / f"{name}-actions.csv", tmp_path / f"{name}-services.csv"
    export_file(service, actions, "actions")
    export_file(service, services, "services")
    return actions.read_text(encoding="utf-8-sig"), services.read_text(encoding="utf-8-sig")


def workbook(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "officer.xlsx") -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_export_writes_typed_sheets_with_frozen_bold_filtered_header(demo_service, tmp_path):
    path = tmp_path / "plan.xlsx"
    assert export_file(demo_service, path) == 30
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Actions", "Services", "Position"]
    actions = book["Actions"]
    assert [c.value for c in actions[1]] == list(COLUMNS)
    assert all(c.font.bold for c in actions[1])
    assert actions.freeze_panes == "A2"
    assert actions.auto_filter.ref.startswith("A1:")
    due = actions.cell(row=2, column=COLUMNS.index("due") + 1)
    assert due.is_date and due.value == datetime(2003, 10, 31) and due.number_format == "dd/mm/yyyy"
    assert actions.cell(row=2, column=COLUMNS.index("percent_complete") + 1).value == 100
    assert actions.column_dimensions["D"].width > 40  # the titles' column fits them
    services = book["Services"]
    assert services["A1"].value == "service" and services.freeze_panes == "A2"
    position = book["Position"]
    assert position.protection.sheet
    assert position["A1"].value == "Position as at 12/01/2004 (read-only; not read on import)"
    rows = {r[0]: r for r in position.iter_rows(min_row=3, values_only=True)}
    assert rows["A1.2"][4:6] == ("R", "overdue")  # due 31/12/2003, open on 12/01/2004


def test_text_that_looks_like_a_formula_is_written_and_read_as_text(service, tmp_path):
    titles = {"A1": "=SUM(A1:A2)", "A2": '=HYPERLINK("http://evil.example","click")', "A3": "+44 116 254 9922"}
    rows = [["objective_ref", "objective", "action_ref", "action", "due", "notes"]]
    for ref, title in titles.items():
        rows.append(["O1", "Strategy", ref, title, date(2004, 5, 31), "@risk -1"])
    import_file(service, workbook(tmp_path, {"Actions": rows}))
    path = tmp_path / "out.xlsx"
    export_file(service, path)
    sheet = openpyxl.load_workbook(path)["Actions"]
    title_column = COLUMNS.index("action") + 1
    cells = [sheet.cell(row=r, column=title_column) for r in range(2, 5)]
    assert [c.value for c in cells] == list(titles.values())
    assert [c.data_type for c in cells] == ["s", "s", "s"]  # never 'f': Excel runs no formula
    assert sheet.cell(row=2, column=COLUMNS.index("notes") + 1).data_type == "s"
    with zipfile.ZipFile(path) as archive:  # what Excel reads: no formula element anywhere
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert [a.title for a in service.actions()] == list(titles.values())  # typed as formulas, stored as text


def test_round_trip_plan_to_workbook_to_new_plan_changes_nothing(demo_service, service, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_file(demo_service, path)
    result = import_file(service, path)
    assert result.kind == "actions and services"
    assert result.summary.added == 30 + 257
    assert as_csv(service, tmp_path, "new") == as_csv(demo_service, tmp_path, "old")
    again = import_file(service, path)  # importing it again updates, and still changes nothing
    assert again.summary.updated == 30 + 257
    assert as_csv(service, tmp_path, "again") == as_csv(demo_service, tmp_path, "old")


def test_headers_any_order_and_case_real_and_typed_dates_numbers_and_percent(service, tmp_path):
    path = workbook(
        tmp_path,
        {
            "actions": [
                ["Due", "ACTION_REF", "Action", "Objective_Ref", "Objective", "Percent Complete", "start"],
                [datetime(2004, 5, 31), "A1", "Real date", "O1", "Strategy", 40, "01/05/2004"],
                ["31/05/2004", "A2", "Typed date", "O1", "", "25", date(2004, 4, 1)],
                ["31 May 2004", "A3", "Percent cell", "O1", "", 0.6, None],
            ]
        },
    )
    book = openpyxl.load_workbook(path)
    book["actions"]["F4"].number_format = "0%"
    book.save(path)
    import_file(service, path)
    got = {a.ref: a for a in service.actions()}
    assert {a.due for a in got.values()} == {date(2004, 5, 31)}
    assert (got["A1"].start, got["A2"].start) == (date(2004, 5, 1), date(2004, 4, 1))
    assert [got[r].percent_complete for r in ("A1", "A2", "A3")] == [40, 25, 60]


def test_bad_rows_are_refused_by_sheet_excel_row_and_column_and_change_nothing(demo_service, tmp_path):
    before = as_csv(demo_service, tmp_path, "before")
    header = ["objective_ref", "action_ref", "action", "due", "percent_complete"]
    cases = [
        ([header, ["O1", "A1.1", "x", "31/02/2004", 1]], "officer.xlsx sheet Actions row 2, column due"),
        ([header, [], [], ["O1", "A1.1", "x", "31/05/2004", 140]], "sheet Actions row 4, column percent_complete"),
        ([header, ["O1", "A1.1", "x", "31/05/2004", 1.5]], "row 2, column percent_complete: '1.5' is not a whole"),
        ([header, ["O1", "A1.1", "x", "05/31/2004", 1]], "row 2, column due"),
        ([[*header, "colour"], ["O1", "A1.1", "x", "31/05/2004", 1]], "row 1, column colour: unknown column"),
        ([header[1:], ["A1.1", "x", "31/05/2004", 1]], "row 1, column objective_ref: required column is missing"),
    ]
    for rows, message in cases:
        path = workbook(tmp_path, {"Actions": rows})
        with pytest.raises(RowError, match=message.replace("(", r"\(")):
            import_file(demo_service, path)
    services = workbook(
        tmp_path,
        {
            "Actions": [header, ["O1", "A1.1", "Renamed", "31/05/2004", 10]],
            "Services": [["service", "interaction", "forecast"], ["Library", 1, "30/02/2005"]],
        },
    )
    with pytest.raises(RowError, match="sheet Services row 2, column forecast"):
        import_file(demo_service, services)  # the good Actions sheet is not imported either
    assert as_csv(demo_service, tmp_path, "after") == before


def test_files_that_are_not_workbooks_are_refused_by_name(service, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("objective_ref,action_ref\n", encoding="utf-8")
    with pytest.raises(RowError, match="fake.xlsx: is not an Excel workbook"):
        import_file(service, fake)
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(RowError, match=r"old.xlsx: is an Excel 97-2003 workbook \(.xls\)"):
        import_file(service, old)
    other = workbook(tmp_path, {"Budget": [["a", "b"], [1, 2]]}, "budget.xlsx")
    with pytest.raises(RowError, match=r"budget.xlsx: has no Actions or Services sheet \(its sheets: Budget\)"):
        import_file(service, other)


def with_cached_values(path: Path, cached: dict[str, str]) -> Path:
    """The file as Excel saves it: each formula cell keeps the value it last calculated (openpyxl writes none)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for coordinate, value in cached.items():
        start = xml.index(f'<c r="{coordinate}"')
        end = xml.index("</c>", start)
        cell = xml[start:end]
        kind = "" if value.replace(".", "").isdigit() else ' t="str"'  # a text result is typed str, as Excel does
        cell = cell.replace("<v></v>", "").replace("<v />", "").replace(f'r="{coordinate}"', f'r="{coordinate}"{kind}')
        xml = xml[:start] + cell + f"<v>{value}</v>" + xml[end:]
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_formula_cell_gives_the_value_excel_calculated(service, tmp_path):
    header = ["objective_ref", "objective", "action_ref", "action", "due"]
    rows = [header, ["O1", "Strategy", "A1", '="Fix "&"roads"', "=DATE(2026,2,27)"], ["O1", "", "A2", "Plain", None]]
    path = workbook(tmp_path, {"Actions": rows})
    book = openpyxl.load_workbook(path)
    book["Actions"]["E2"].number_format = "dd/mm/yyyy"  # Excel formats a cell typed =DATE(...) as a date
    book["Actions"]["E3"] = "=E2+1"
    book["Actions"]["E3"].number_format = "dd/mm/yyyy"
    book.save(path)
    import_file(service, with_cached_values(path, {"D2": "Fix roads", "E2": "46080", "E3": "46081"}))
    got = {a.ref: (a.title, a.due) for a in service.actions()}
    assert got == {"A1": ("Fix roads", date(2026, 2, 27)), "A2": ("Plain", date(2026, 2, 28))}


def test_a_formula_excel_never_calculated_is_refused_by_sheet_row_and_column(service, tmp_path):
    header = ["objective_ref", "objective", "action_ref", "action", "due"]
    rows = [header, ["O1", "Strategy", "A1", "Roads", "31/05/2004"], ["O1", "", "A2", "Paths", "=DATE(2026,2,27)"]]
    path = workbook(tmp_path, {"Actions": rows})  # openpyxl, like any program that does not calculate
    message = (
        "officer.xlsx sheet Actions row 3, column due: is a formula Excel has not calculated; "
        "type the date itself or open and save the workbook in Excel"
    )
    with pytest.raises(RowError, match=f"^{message.replace('(', '[(]')}$"):
        import_file(service, path)
    assert service.actions() == []
