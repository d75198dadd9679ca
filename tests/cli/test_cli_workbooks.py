"""The command line with workbooks: export/import .xlsx and `returns PLAN FOLDER`."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from egov_planner.cli import capture


def run_ok(*argv: object) -> str:
    code, out, err = capture([str(a) for a in argv])
    assert code == 0, err
    return out


def refused(*argv: object) -> str:
    code, out, err = capture([str(a) for a in argv])
    assert code == 2, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_export_then_import_a_workbook_into_a_new_plan(demo_path, tmp_path):
    book = tmp_path / "plan.xlsx"
    assert run_ok("export", demo_path, book) == f"Wrote 30 actions to {book}\n"
    fresh = tmp_path / "fresh.egov"
    run_ok("init", fresh)
    out = run_ok("import", fresh, book)
    assert out.startswith("Imported plan.xlsx into fresh.egov (actions and services): actions: 30 added")
    for plan, name in ((demo_path, "old"), (fresh, "new")):
        run_ok("export", plan, tmp_path / f"{name}.csv")
    assert (tmp_path / "old.csv").read_bytes() == (tmp_path / "new.csv").read_bytes()


def test_returns_writes_one_workbook_per_owner_and_imports_one_back(demo_path, tmp_path):
    folder = tmp_path / "returns"
    out = run_ok("returns", demo_path, folder, "--as-of", "31/01/2004")
    assert out == f"Wrote 13 owner's return workbooks (24 open actions, as at 31/01/2004) to {folder}\n"
    path = folder / "Head of Libraries.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.protection.sheet
    assert [c.value for c in sheet["A"]][1:] == ["A6.1", "A6.2"]
    sheet["G2"] = 75
    sheet["J2"] = "Posters in every library"
    book.save(path)
    out = run_ok("import", demo_path, path)
    assert "(owner's return): 1 action updated, 1 progress note added, 1 row left as they were" in out
    again = refused("import", demo_path, path)  # the same return twice: refused, and said so
    assert again == (
        "egov-planner: Head of Libraries.xlsx sheet Your actions: this return from Head of Libraries "
        "(as at 31/01/2004) has already been imported; row 2 (A6.1) already holds what it says, "
        "so nothing was imported again"
    )


def test_returns_refuses_a_folder_it_cannot_make(demo_path, tmp_path):
    message = refused("returns", demo_path, tmp_path / "no" / "such")
    assert "cannot be made: the folder" in message and "does not exist" in message
    (tmp_path / "file").write_text("x")
    assert "is a file, not a folder" in refused("returns", demo_path, tmp_path / "file")
    assert not (tmp_path / "no").exists()


def test_import_of_a_bad_workbook_names_sheet_row_and_column(demo_path, tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(["objective_ref", "action_ref", "action", "due"])
    sheet.append(["O1", "A1.1", "Renamed", "31/13/2004"])
    book.save(tmp_path / "bad.xlsx")
    message = refused("import", demo_path, tmp_path / "bad.xlsx")
    assert message.startswith("egov-planner: bad.xlsx sheet Actions row 2, column due:")
