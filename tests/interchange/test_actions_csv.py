"""The actions CSV: what an officer's spreadsheet brings in, and what comes back out."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from egov_planner.interchange import export_file, import_file
from egov_planner.interchange.actions_csv import COLUMNS
from egov_planner.model.errors import RowError
from egov_planner.model.service import PlanService

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores

HEADER = "objective_ref,objective,action_ref,action,owner,department,start,due,status,percent_complete,depends_on"


def write(tmp_path: Path, text: str, name: str = "plan.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def without_versions(actions: list) -> list:
    """Actions as a reader sees them: everything but row versions and link ids."""
    return [
        replace(a, version=0, predecessors=tuple(replace(p, id=0, version=0) for p in a.predecessors)) for a in actions
    ]


def fingerprint(service: PlanService) -> tuple:
    snap = service.snapshot()
    return (snap.actions, snap.links, snap.objectives, snap.people, snap.externals)


def test_every_date_form_is_read_day_first(service, tmp_path):
    path = write(
        tmp_path,
        "objective_ref,objective,action_ref,action,due,start\n"
        "O1,Strategy,A1,ISO,2004-05-31,\n"
        "O1,,A2,Day first,31/05/2004,01/05/2004\n"
        "O1,,A3,Dashes,31-05-2004,\n"
        "O1,,A4,Dots,31.05.2004,\n"
        "O1,,A5,Day and month name,31 May 2004,\n"
        "O1,,A6,Ordinal,22nd January 2004,\n"
        "O1,,A7,Month only,May 2004,\n"
        "O1,,A8,Leap day,29/02/2004,\n",
    )
    result = import_file(service, path)
    assert result.kind == "actions" and result.summary.added == 8
    due = {a.ref: a.due for a in service.actions()}
    assert due == {
        "A1": date(2004, 5, 31),
        "A2": date(2004, 5, 31),
        "A3": date(2004, 5, 31),
        "A4": date(2004, 5, 31),
        "A5": date(2004, 5, 31),
        "A6": date(2004, 1, 22),
        "A7": date(2004, 5, 31),
        "A8": date(2004, 2, 29),
    }


def test_every_dependency_type_and_lag(service, tmp_path):
    path = write(
        tmp_path,
        "objective_ref,objective,action_ref,action,due,depends_on\n"
        "O1,Shared services,A1.1,Authentication,31/03/2004,\n"
        "O1,,A1.2,E-payment,30/09/2004,A1.1\n"
        "O1,,A1.3,E-procurement,31/12/2004,A1.1 SS\n"
        "O1,,A1.4,Security,31/12/2004,A1.1 FS+10d; A1.2 FF-5d\n"
        "O1,,A1.5,Smartcards,31/12/2004,a1.3 sf+3\n",
    )
    import_file(service, path)
    text = {a.ref: a.depends_on_text for a in service.actions()}
    assert text["A1.2"] == "A1.1"
    assert text["A1.3"] == "A1.1 SS"
    assert text["A1.4"] == "A1.1 FS+10d; A1.2 FF-5d"
    assert text["A1.5"] == "A1.3 SF+3d"


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        ("O1,T,A1,Act,31/02/2004,", 2, "due", "February 2004 has 29 days"),
        ("O1,T,A1,Act,05/31/2004,", 2, "due", "there is no month 31"),
        ("O1,T,A1,Act,soon,", 2, "due", "is not a date"),
        ("O1,T,A1,Act,,", 2, "due", "a value is required"),
        ("O1,T,,Act,31/05/2004,", 2, "action_ref", "a value is required"),
        ("O1,T,A1,,31/05/2004,", 2, "action", "a value is required"),
        ("O1,T,A1,Act,31/05/2004,101", 2, "percent_complete", "outside 0-100"),
        ("O1,T,A1,Act,31/05/2004,-1", 2, "percent_complete", "outside 0-100"),
        ("O1,T,A1,Act,31/05/2004,half", 2, "percent_complete", "not a whole number"),
        ("O1,T,A1,Act,31/05/2004,\nO1,T,A1,Again,31/05/2004,", 3, "action_ref", "already in row 3"),
        ("O1,T,A 1,Act,31/05/2004,", 2, "action_ref", "not a usable reference"),
    ],
)
def test_bad_rows_are_refused_whole_naming_row_and_column(service, tmp_path, body, row, column, words):
    good = "O1,T,A0,A good row first,31/05/2004,\n"
    path = write(tmp_path, "objective_ref,objective,action_ref,action,due,percent_complete\n" + good + body + "\n")
    before = fingerprint(service)
    with pytest.raises(RowError) as refused:
        import_file(service, path)
    error = refused.value
    expected_row = row + 1  # the good row sits above
    assert (error.row, error.column) == (expected_row, column), str(error)
    assert words in str(error)
    assert str(error).startswith(f"plan.csv row {expected_row}, column {column}: ")
    assert fingerprint(service) == before


def test_dependency_errors_need_the_plan_and_are_refused_whole(service, tmp_path):
    service.add_objective("O1", "Existing")
    before = fingerprint(service)
    missing = write(tmp_path, "objective_ref,action_ref,action,due,depends_on\nO1,A1,Act,31/05/2004,A9.9\n")
    with pytest.raises(RowError, match=r"row 2, column depends_on: A9.9 is not an action in the plan or the file"):
        import_file(service, missing)
    cycle = write(
        tmp_path,
        "objective_ref,action_ref,action,due,depends_on\nO1,A1.2,Two,31/05/2004,A3.1\nO1,A3.1,Three,31/05/2004,A1.2\n",
    )
    with pytest.raises(RowError, match=r"dependency cycle (A1\.2 → A3\.1 → A1\.2|A3\.1 → A1\.2 → A3\.1)"):
        import_file(service, cycle)
    bad_syntax = write(tmp_path, "objective_ref,action_ref,action,due,depends_on\nO1,A1,Act,31/05/2004,A1.2 XX+3\n")
    with pytest.raises(RowError, match="is not a dependency"):
        import_file(service, bad_syntax)
    assert fingerprint(service) == before


def test_header_problems(service, tmp_path):
    cases = {
        "objective_ref,action_ref,action\nO1,A1,x\n": "column due: required column is missing",
        "objective_ref,action_ref,action,due,colour\nO1,A1,x,31/05/2004,red\n": "column colour: unknown column",
        "objective_ref,action_ref,action,due,due\nO1,A1,x,31/05/2004,31/05/2004\n": (
            "column due: this column appears twice"
        ),
        "": "is empty",
        "objective_ref,action_ref,action,due\n": "has a header but no actions",
        "name,age\nbob,3\n": "neither an actions CSV",
        "objective_ref;action_ref;action;due\nO1;A1;x;31/05/2004\n": "separated by semicolons",
        "objective_ref\taction_ref\taction\tdue\nO1\tA1\tx\t31/05/2004\n": "separated by tabs",
    }
    for text, words in cases.items():
        path = write(tmp_path, text, "bad.csv")
        with pytest.raises(RowError) as refused:
            import_file(service, path)
        assert words in str(refused.value)


def test_new_objective_needs_a_title(service, tmp_path):
    path = write(tmp_path, "objective_ref,action_ref,action,due\nO9,A1,Act,31/05/2004\n")
    with pytest.raises(RowError, match="row 2, column objective: objective O9 is new: give its title"):
        import_file(service, path)


def test_files_that_are_not_csv_text(service, tmp_path):
    binary = tmp_path / "plan.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary spreadsheet")
    with pytest.raises(RowError, match="not a text file"):
        import_file(service, binary)
    latin = write(
        tmp_path,
        "objective_ref,objective,action_ref,action,due\nO1,Caf\xe9,A1,x,31/05/2004\n",
        "l.csv",
        encoding="latin-1",
    )
    with pytest.raises(RowError, match="not UTF-8 text"):
        import_file(service, latin)
    with pytest.raises(RowError, match="cannot be read; save it as .csv"):
        import_file(service, tmp_path / "plan.txt")


def test_bom_markup_welsh_polish_and_formula_cells_round_trip(service, tmp_path):
    rows = [
        [
            "O1",
            "Gwasanaethau <b>ar-lein</b> & mwy",
            "A1.1",
            "Cyngor Sir Ddinbych: ŵ ŷ </para>",
            "Łukasz Źdźbło",
            "Adran Gwasanaethau",
            "01/01/2004",
            "31/03/2004",
            "in progress",
            "45",
            "",
            "",
            "",
            '=HYPERLINK("http://evil")',
            "+44 116 254 9922",
            "-5 budget",
            "",
            "@SUM(A1)",
        ],
        [
            "O1",
            "",
            "A1.2",
            "Ελληνικά και Кириллица",
            "",
            "",
            "",
            "30/04/2004",
            "not started",
            "0",
            "A1.1 FS+5d",
            "National project",
            "30/06/2006",
            "'quoted already",
            "",
            "",
            "3",
            "<img src='x'>",
        ],
    ]
    header = [
        "objective_ref",
        "objective",
        "action_ref",
        "action",
        "owner",
        "department",
        "start",
        "due",
        "status",
        "percent_complete",
        "depends_on",
        "external",
        "external_expected",
        "description",
        "success_measure",
        "resources",
        "exempt",
        "notes",
    ]
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    import_file(service, path)
    first = service.action_by_ref("A1.1")
    assert first.title == "Cyngor Sir Ddinbych: ŵ ŷ </para>"
    assert first.owner == "Łukasz Źdźbło"
    assert first.description == '=HYPERLINK("http://evil")'
    assert first.notes == "@SUM(A1)"
    second = service.action_by_ref("A1.2")
    assert second.externals == ("National project",)
    assert second.exempt_paragraph == 3
    assert second.description == "'quoted already"

    exported = tmp_path / "out.csv"
    export_file(service, exported)
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    cells = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert cells[0] == list(COLUMNS)
    by_ref = {row[2]: dict(zip(cells[0], row, strict=True)) for row in cells[1:]}
    assert by_ref["A1.1"]["description"] == '\'=HYPERLINK("http://evil")'  # safe in a spreadsheet
    assert by_ref["A1.1"]["success_measure"] == "'+44 116 254 9922"
    assert by_ref["A1.1"]["notes"] == "'@SUM(A1)"

    before = fingerprint(service)
    summary = import_file(service, exported).summary
    assert (summary.added, summary.updated) == (0, 2)
    after = fingerprint(service)
    assert without_versions(after[0]) == without_versions(before[0])


def test_export_then_import_into_a_new_plan_round_trips_the_demo(demo_service, tmp_path, plan_path):
    from egov_planner.model.store import open_plan

    exported = tmp_path / "demo.csv"
    count = export_file(demo_service, exported)
    assert count == 30
    store = open_plan(plan_path)
    try:
        fresh = PlanService(store)
        import_file(fresh, exported)
        again = tmp_path / "again.csv"
        export_file(fresh, again)
    finally:
        store.close()
    assert again.read_bytes() == exported.read_bytes()


def test_import_updates_existing_actions_only_in_the_columns_given(service, tmp_path):
    import_file(
        service,
        write(tmp_path, HEADER + "\nO1,Strategy,A1,Draft,Jill Craig,ICT,01/01/2004,31/03/2004,in progress,40,\n"),
    )
    import_file(
        service,
        write(
            tmp_path, "objective_ref,action_ref,action,due,percent_complete\nO1,A1,Draft it,30/04/2004,60\n", "u.csv"
        ),
    )
    action = service.action_by_ref("A1")
    assert (action.title, action.due, action.percent_complete) == ("Draft it", date(2004, 4, 30), 60)
    assert (action.owner, action.department, action.status) == ("Jill Craig", "ICT", "in_progress")


def test_an_update_that_moves_due_before_the_stored_start_is_refused(service, tmp_path):
    import_file(service, write(tmp_path, HEADER + "\nO1,Strategy,A1,Draft,,,01/03/2004,31/03/2004,,,\n"))
    path = write(tmp_path, "objective_ref,action_ref,action,due\nO1,A1,Draft,01/02/2004\n", "u.csv")
    with pytest.raises(RowError, match="row 2, column due: due 01/02/2004 is before start 01/03/2004"):
        import_file(service, path)


def test_one_external_name_must_not_get_two_dates(service, tmp_path):
    path = write(
        tmp_path,
        "objective_ref,objective,action_ref,action,due,external,external_expected\n"
        "O1,T,A1,One,31/05/2004,National project,30/06/2006\n"
        "O1,T,A2,Two,31/05/2004,National project,31/12/2006\n",
    )
    with pytest.raises(
        RowError, match="row 3, column external_expected: National project is expected 30/06/2006 in row 2"
    ):
        import_file(service, path)
    assert service.externals() == []


def test_an_owners_expected_date_is_imported_kept_when_not_given_and_exported(service, tmp_path):
    import_file(
        service,
        write(
            tmp_path,
            "objective_ref,objective,action_ref,action,due,status,expected\n"
            "O1,Strategy,A1,Draft,31/12/2003,in progress,29/2/2004\n"
            "O1,Strategy,A2,Consult,31/03/2004,,\n",
        ),
    )
    assert (service.action_by_ref("A1").expected, service.action_by_ref("A2").expected) == (date(2004, 2, 29), None)
    # A file without the column leaves the owners' dates alone; a blank cell in it clears one.
    import_file(service, write(tmp_path, "objective_ref,action_ref,action,due\nO1,A1,Draft it,31/12/2003\n", "u.csv"))
    assert service.action_by_ref("A1").expected == date(2004, 2, 29)
    exported = tmp_path / "out.csv"
    export_file(service, exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["action_ref"]: row for row in csv.DictReader(handle)}
    assert (rows["A1"]["expected"], rows["A2"]["expected"]) == ("29/02/2004", "")
    clearing = "objective_ref,action_ref,action,due,expected\nO1,A1,Draft it,31/12/2003,\n"
    import_file(service, write(tmp_path, clearing, "clear.csv"))
    assert service.action_by_ref("A1").expected is None


@pytest.mark.parametrize(
    ("cell", "words"), [("30/02/2004", "February 2004 has 29 days"), ("later", "is not a date"), ("01/01/2300", "")]
)
def test_a_bad_expected_date_is_refused_whole_naming_row_and_column(service, tmp_path, cell, words):
    path = write(
        tmp_path,
        f"objective_ref,objective,action_ref,action,due,expected\nO1,T,A0,Fine,31/05/2004,\nO1,T,A1,Act,31/05/2004,{cell}\n",
    )
    before = fingerprint(service)
    with pytest.raises(RowError) as refused:
        import_file(service, path)
    assert str(refused.value).startswith("plan.csv row 3, column expected: ") and words in str(refused.value)
    assert fingerprint(service) == before
