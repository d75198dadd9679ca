"""Owners' returns: one protected workbook per owner, filled in and imported back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from egov_planner.interchange import import_file
from egov_planner.interchange.returns import COLUMNS, EDITABLE, safe_file_name, save_returns
from egov_planner.model.errors import RowError
from egov_planner.model.service import PlanService

AS_OF = date(2004, 1, 12)


def write_returns(service: PlanService, folder: Path) -> list[Path]:
    return save_returns(service.snapshot(), service.plan_id(), folder, AS_OF).files


def fill(path: Path, target: Path, changes: dict[str, dict[str, object]]) -> Path:
    """What an owner does in Excel: type into the unlocked cells of their rows, then save."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        for column, value in changes.get(row[0].value, {}).items():
            row[COLUMNS.index(column)].value = value
    book.save(target)
    return target


def test_one_protected_workbook_per_owner_with_validations(demo_service, tmp_path):
    files = write_returns(demo_service, tmp_path / "returns")
    assert len(files) == 13 and (tmp_path / "returns" / "Jill Craig.xlsx") in files
    book = openpyxl.load_workbook(tmp_path / "returns" / "Jill Craig.xlsx")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["A3.1", "A3.3"]  # open ones only
    assert sheet.protection.sheet and book.security.lockStructure
    for row in sheet.iter_rows(min_row=2):
        unlocked = {COLUMNS[i] for i, cell in enumerate(row) if not cell.protection.locked}
        assert unlocked == set(EDITABLE)
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status = checks["F2:F3"]
    assert status.type == "list" and status.formula1 == '"not started,in progress,complete,deferred,cancelled"'
    percent = checks["G2:G3"]
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == ("whole", "between", "0", "100")
    assert checks["H2:H3 I2:I3"].type == "date"
    assert sheet["C2"].is_date and sheet["C2"].number_format == "dd/mm/yyyy"
    hidden = book["egov_return"]
    assert hidden.sheet_state == "veryHidden"
    assert hidden["B1"].value == demo_service.plan_id() and hidden["C1"].value == "Jill Craig"


def test_returned_workbook_updates_actions_and_adds_the_owners_notes(demo_service, tmp_path):
    folder = tmp_path / "returns"
    write_returns(demo_service, folder)
    returned = fill(
        folder / "Jill Craig.xlsx",
        tmp_path / "back.xlsx",
        {
            "A3.1": {"status": "complete", "completed_on": datetime(2004, 1, 9), "progress_note": "Draft agreed"},
            "A3.3": {"percent_complete": 15, "expected": "30/06/2004"},
        },
    )
    result = import_file(demo_service, returned)
    assert result.kind == "owner's return"
    assert result.summary.describe() == "2 actions updated, 1 progress note added, 0 rows left as they were"
    done = demo_service.action_by_ref("A3.1")
    assert (done.status, done.completed_on, done.percent_complete) == ("complete", date(2004, 1, 9), 100)
    later = demo_service.action_by_ref("A3.3")
    assert (later.percent_complete, later.expected, later.status) == (15, date(2004, 6, 30), "not_started")
    note = demo_service.progress(done.id)[-1]
    assert (note.note, note.author, note.reported_on) == ("Draft agreed", "Jill Craig", AS_OF)


def test_a_row_changed_in_the_plan_since_is_a_conflict_and_nothing_is_imported(demo_service, tmp_path):
    folder = tmp_path / "returns"
    write_returns(demo_service, folder)
    returned = fill(
        folder / "Web Manager.xlsx",
        tmp_path / "back.xlsx",
        {"A5.1": {"percent_complete": 90, "progress_note": "Nearly there"}, "A5.3": {"percent_complete": 30}},
    )
    a51, a53 = demo_service.action_by_ref("A5.1"), demo_service.action_by_ref("A5.3")
    demo_service.update_action(a51.id, percent_complete=50)  # the office edits after writing the workbook
    demo_service.update_action(a53.id, due=date(2004, 4, 30))
    with pytest.raises(RowError) as refused:
        import_file(demo_service, returned)
    message = str(refused.value)
    assert "2 rows changed in the plan since this workbook was written" in message
    assert "row 2 (A5.1)" in message and "row 3 (A5.3)" in message and "nothing was imported" in message
    assert demo_service.action_by_ref("A5.1").percent_complete == 50
    assert demo_service.action_by_ref("A5.3").percent_complete == 20
    assert all(p.note != "Nearly there" for p in demo_service.progress(a51.id))


def test_a_workbook_from_another_plan_and_a_bad_cell_are_refused(demo_service, service, tmp_path):
    folder = tmp_path / "returns"
    write_returns(demo_service, folder)
    with pytest.raises(RowError, match="Jill Craig.xlsx: is an owner's return written from 'Best Value Review"):
        import_file(service, folder / "Jill Craig.xlsx")
    bad = fill(folder / "Jill Craig.xlsx", tmp_path / "bad.xlsx", {"A3.3": {"status": "finished-ish"}})
    with pytest.raises(RowError, match="bad.xlsx sheet Your actions row 3, column status"):
        import_file(demo_service, bad)
    dated = fill(folder / "Jill Craig.xlsx", tmp_path / "dated.xlsx", {"A3.1": {"completed_on": "10/01/2004"}})
    with pytest.raises(RowError, match="row 2, column completed_on: a completed date is given but the status is"):
        import_file(demo_service, dated)
    assert demo_service.action_by_ref("A3.1").status == "in_progress"


def test_owner_names_make_safe_distinct_file_names():
    assert safe_file_name('J/Smith: "ICT"') == "J_Smith_ _ICT_"
    assert safe_file_name("CON") == "_CON"
    assert safe_file_name("...") == "_"


def test_importing_the_same_return_twice_says_it_was_already_imported(demo_service, tmp_path):
    folder = tmp_path / "returns"
    write_returns(demo_service, folder)
    returned = fill(
        folder / "Web Manager.xlsx",
        tmp_path / "back.xlsx",
        {"A5.1": {"status": "complete", "progress_note": "Went live"}, "A5.3": {"expected": datetime(2004, 7, 30)}},
    )
    import_file(demo_service, returned)
    a51 = demo_service.action_by_ref("A5.1")
    notes = len(demo_service.progress(a51.id))
    with pytest.raises(RowError) as refused:
        import_file(demo_service, returned)
    assert str(refused.value) == (
        "back.xlsx sheet Your actions: this return from Web Manager (as at 12/01/2004) has already been imported; "
        "rows 2 (A5.1) and 3 (A5.3) already hold what it says, so nothing was imported again"
    )
    assert len(demo_service.progress(a51.id)) == notes  # no second copy of the note
    demo_service.update_action(a51.id, percent_complete=90, status="in_progress", completed_on=None)
    with pytest.raises(RowError, match=r"2 rows changed in the plan since this workbook was written: row 2 \(A5.1\)"):
        import_file(demo_service, returned)  # A5.1 changed again since: a real conflict, named as one


def test_a_formula_in_a_returned_date_cell_gives_its_calculated_date(demo_service, tmp_path):
    from tests.interchange.test_workbook import with_cached_values

    folder = tmp_path / "returns"
    write_returns(demo_service, folder)
    changes = {"A3.3": {"expected": "=DATE(2004,6,30)"}}
    uncalculated = fill(folder / "Jill Craig.xlsx", tmp_path / "openpyxl.xlsx", changes)
    with pytest.raises(RowError) as refused:
        import_file(demo_service, uncalculated)
    assert str(refused.value) == (
        "openpyxl.xlsx sheet Your actions row 3, column expected: is a formula Excel has not calculated; "
        "type the date itself or open and save the workbook in Excel"
    )
    saved = with_cached_values(fill(folder / "Jill Craig.xlsx", tmp_path / "excel.xlsx", changes), {"I3": "38168"})
    import_file(demo_service, saved)
    assert demo_service.action_by_ref("A3.3").expected == date(2004, 6, 30)
