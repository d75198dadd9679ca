"""Values that could break a plan for good: far dates, huge lags, NUL bytes, odd encodings, huge cells.

Every door (CSV import, the command line, the service) refuses them in one
line naming the file, row and column; a plan an older version let them into
still gives its reports, and `check` names them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from egov_planner.cli import capture
from tests.model.helpers.plans import digest

RANGE = "is outside the dates this plan accepts (01/01/1900–31/12/2199)"
ACTIONS_HEADER = "objective_ref,objective,action_ref,action,start,due,completed_on,status,external,external_expected"
SERVICES_HEADER = "service,interaction,enabled_on,forecast,external,external_expected"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def refused(args: list[str], *words: str) -> str:
    code, out, err = capture(args)
    assert code == 2, (code, out, err)
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "something went wrong" not in err, err
    for word in words:
        assert word in err, err
    return err


def sql(path: Path, statement: str, *params: object) -> None:
    """Write the plan directly, as an older version (or a hand edit) could have."""
    connection = sqlite3.connect(path)
    try:
        connection.execute(statement, params)
        connection.commit()
    finally:
        connection.close()


# --- dates and lags refused at every door -------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("start", "O1,,X1.1,Start far,31/12/9999,31/12/2004,,,,"),
        ("due", "O1,,X1.1,Due far,,31/12/9999,,,,"),
        ("due", "O1,,X1.1,Year nought,,31/05/0000,,,,"),
        ("due", "O1,,X1.1,Five-digit year,,01/01/10000,,,,"),
        ("due", "O1,,X1.1,Too early,,31/12/1899,,,,"),
        ("completed_on", "O1,,X1.1,Done far,,31/12/2004,9999-12-31,complete,,"),
        ("external_expected", "O1,,X1.1,Waits,,31/12/2004,,,Government Connect,31/12/9999"),
    ],
)
def test_actions_csv_dates_out_of_range_are_refused_naming_row_column_and_range(demo_path, tmp_path, column, row):
    csv_path = write(tmp_path, "far.csv", f"{ACTIONS_HEADER}\r\nO1,,A1.1,Fine,,31/10/2003,,,,\r\n{row}\r\n")
    before = digest(demo_path)
    refused(["import", str(demo_path), str(csv_path)], "far.csv row 3", f"column {column}", RANGE)
    assert digest(demo_path) == before


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("enabled_on", "Council Tax,1,31/12/9999,,,"),
        ("forecast", "Council Tax,1,,31/12/9999,,"),
        ("forecast", "Council Tax,1,,31/05/0000,,"),
        ("external_expected", "Council Tax,1,,31/03/2005,Government Connect,31/12/9999"),
    ],
)
def test_services_csv_dates_out_of_range_are_refused(demo_path, tmp_path, column, row):
    csv_path = write(tmp_path, "services.csv", f"{SERVICES_HEADER}\r\n{row}\r\n")
    refused(["import", str(demo_path), str(csv_path)], "services.csv row 2", f"column {column}", RANGE)


@pytest.mark.parametrize("lag", ["FS+99999999999999999999d", "FS+3000000d", "SS-3651d", "FF+" + "9" * 5000])
def test_huge_lags_are_refused_naming_row_and_column(demo_path, tmp_path, lag):
    csv_path = write(
        tmp_path, "lags.csv", f"objective_ref,action_ref,action,due,depends_on\r\nO1,X1.1,t,31/12/2004,A1.1 {lag}\r\n"
    )
    refused(["import", str(demo_path), str(csv_path)], "lags.csv row 2", "column depends_on", "3,650 days")


def test_a_lag_of_ten_years_either_way_is_accepted(demo_path, tmp_path):
    csv_path = write(
        tmp_path,
        "lags.csv",
        "objective_ref,action_ref,action,due,depends_on\r\nO1,X1.1,t,31/12/2004,A1.1 FS+3650d; A1.2 SS-3650d\r\n",
    )
    code, out, err = capture(["import", str(demo_path), str(csv_path)])
    assert (code, err) == (0, "")
    code, out, err = capture(["overdue", str(demo_path), "--format", "json"])
    assert code == 0 and "X1.1" in out


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("01/01/10000", ["'01/01/10000' " + RANGE]),
        ("31/05/0000", ["'31/05/0000' " + RANGE]),
        ("9999-12-31", ["'9999-12-31' " + RANGE]),
        ("29/02/2100", ["February 2100 has 28 days"]),
    ],
)
@pytest.mark.parametrize("command", ["overdue", "bvpi"])
def test_as_of_out_of_range_is_one_line(demo_path, command, value, words):
    refused([command, str(demo_path), "--as-of", value], *words)


# --- a plan that already holds such values (an older version wrote them) ------------------------


@pytest.fixture
def far_plan(demo_path: Path) -> Path:
    """The demo with 31/12/9999 targets, a positive lag after one, a huge lag and a far forecast."""
    sql(demo_path, "UPDATE action SET due = '9999-12-31', status = 'in_progress' WHERE ref = 'A1.2'")
    sql(
        demo_path,
        "INSERT INTO dependency (predecessor_id, successor_id, kind, lag_days, version) "
        "SELECT p.id, s.id, 'FS', 5, 1 FROM action p, action s WHERE p.ref = 'A1.2' AND s.ref = 'A2.1'",
    )
    sql(
        demo_path,
        "INSERT INTO dependency (predecessor_id, successor_id, kind, lag_days, version) "
        "SELECT p.id, s.id, 'SS', 3000000, 1 FROM action p, action s WHERE p.ref = 'A1.1' AND s.ref = 'A2.2'",
    )
    sql(demo_path, "UPDATE external_dependency SET expected_on = '9999-12-31', delivered_on = NULL")
    sql(demo_path, "UPDATE service_interaction SET forecast_on = '9999-12-31', enabled_on = NULL WHERE id % 7 = 0")
    return demo_path


def test_overdue_report_and_bvpi_carry_on_over_far_stored_values(far_plan, tmp_path):
    code, out, err = capture(["overdue", str(far_plan)])
    assert (code, err) == (0, ""), err
    assert "forecast 31/12/9999" in out  # clamped to the calendar's last day, not an overflow
    code, out, err = capture(["overdue", str(far_plan), "--format", "json"])
    assert (code, err) == (0, ""), err
    code, out, err = capture(["bvpi", str(far_plan)])
    assert (code, err) == (0, ""), err
    assert "31/03/2200" in out and "31/03/9999" not in out  # milestones stop at the accepted range
    code, out, err = capture(["report", str(far_plan), "-o", str(tmp_path / "pack.pdf")])
    assert (code, err) == (0, ""), err
    code, out, err = capture(["report", str(far_plan), "-o", str(tmp_path / "ex.pdf"), "--kind", "exceptions"])
    assert (code, err) == (0, ""), err


def test_a_far_stored_status_date_does_not_break_the_reports(demo_path, tmp_path):
    sql(demo_path, "UPDATE plan SET status_date = '9999-12-31'")
    for command in (["overdue", str(demo_path)], ["bvpi", str(demo_path)]):
        code, out, err = capture(command)
        assert (code, err) == (0, ""), err
    code, out, err = capture(["report", str(demo_path), "-o", str(tmp_path / "pack.pdf")])
    # Built; the one line on stderr is the true warning that 9999 is after the plan's meetings.
    assert code == 0 and err.startswith("warning: the pack is as at 31/12/9999, after its meetings"), err
    assert len(err.splitlines()) == 1
    code, out, err = capture(["check", str(demo_path)])
    assert code == 1
    assert f"the plan: status date 31/12/9999 {RANGE}" in out


def test_check_names_far_stored_values_as_problems(far_plan):
    code, out, err = capture(["check", str(far_plan)])
    assert code == 1, out
    assert "no problems found" not in out
    assert f"A1.2: due 31/12/9999 {RANGE}" in out
    assert "A2.2 (depends on A1.1): a lag of 3000000 days is outside what this plan accepts" in out
    assert f"external 'National Registration Services modernisation project': expected 31/12/9999 {RANGE}" in out
    assert f"interaction 0: forecast 31/12/9999 {RANGE}" in out


# --- NUL bytes, encodings, huge cells -------------------------------------------------------------


def demo_export(demo_path: Path, tmp_path: Path) -> str:
    code, out, err = capture(["export", str(demo_path), str(tmp_path / "demo.csv")])
    assert code == 0, err
    return (tmp_path / "demo.csv").read_bytes().decode("utf-8-sig")  # keeping its CRLF line ends


def test_a_nul_past_the_first_4kb_is_refused_naming_row_and_column(demo_path, tmp_path):
    lines = demo_export(demo_path, tmp_path).split("\r\n")
    lines[20] = lines[20].replace(",A5.", ",A\x005.", 1)  # A5.1 would show as A51
    assert len("\r\n".join(lines[:20])) > 4096
    path = tmp_path / "nul.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    before = digest(demo_path)
    refused(["import", str(demo_path), str(path)], "nul.csv row 21, column action_ref", "NUL character")
    assert digest(demo_path) == before


def test_a_nul_in_the_first_row_is_refused_the_same_way(demo_path, tmp_path):
    path = write(
        tmp_path, "early.csv", "objective_ref,objective,action_ref,action,due\r\nO\x001,Obj,A9.9,x,31/12/2004\r\n"
    )
    refused(["import", str(demo_path), str(path)], "early.csv row 2, column objective_ref", "NUL character")


def test_a_nul_in_the_header_names_the_column_number(demo_path, tmp_path):
    path = write(tmp_path, "head.csv", "objective_ref,action_ref,act\x00ion,due\r\nO1,A1.1,x,31/10/2003\r\n")
    refused(["import", str(demo_path), str(path)], "head.csv row 1, column 3", "NUL character")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_with_a_bom_is_read(demo_path, tmp_path, encoding):
    text = demo_export(demo_path, tmp_path).replace("Leicester", "Caerlŷr")
    path = tmp_path / "unicode.csv"
    data = text.encode(encoding)
    path.write_bytes(data if encoding != "utf-16-be" else b"\xfe\xff" + data)
    code, out, err = capture(["import", str(demo_path), str(path)])
    assert (code, err) == (0, ""), err
    assert "0 added, 30 updated" in out


def test_utf16_unicode_text_without_a_bom_or_with_tabs_is_named(demo_path, tmp_path):
    text = demo_export(demo_path, tmp_path)
    plain = tmp_path / "nobom.csv"
    plain.write_bytes(text.encode("utf-16-le"))
    err = refused(["import", str(demo_path), str(plain)], "nobom.csv", "UTF-16", "CSV UTF-8")
    assert "spreadsheet" not in err
    tabs = tmp_path / "unicode text.csv"
    tabs.write_bytes(text.replace(",", "\t").encode("utf-16"))
    refused(["import", str(demo_path), str(tabs)], "separated by tabs")


def test_workbooks_are_still_named_as_spreadsheets(demo_path, tmp_path):
    xlsx = tmp_path / "book.csv"
    xlsx.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    refused(["import", str(demo_path), str(xlsx)], "book.csv", "spreadsheet workbook (.xlsx)", "CSV UTF-8")
    xls = tmp_path / "old.csv"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200))
    refused(["import", str(demo_path), str(xls)], "old.csv", "(.xls)")


@pytest.mark.parametrize(("row", "quoted"), [(2, False), (5, False), (3, True)])
def test_a_ten_megabyte_cell_is_refused_in_its_own_row_and_column(demo_path, tmp_path, row, quoted):
    rows = [f"O1,Q{n},Title {n},31/05/2004,fine" for n in range(2, 7)]
    big = "x" * 10_000_000
    rows[row - 2] = f'O1,Q{row},"{big}",31/05/2004,' if quoted else f"O1,Q{row},Title,31/05/2004,{big}"
    path = write(tmp_path, "big.csv", "objective_ref,action_ref,action,due,notes\r\n" + "\r\n".join(rows) + "\r\n")
    column = "action" if quoted else "notes"
    refused(["import", str(demo_path), str(path)], f"big.csv row {row}, column {column}", "10,000,000 characters")


def test_a_long_note_within_the_limit_is_accepted(demo_path, tmp_path):
    note = ("A long note. " * 8_000)[:99_000]  # 128 KB was the csv module's own limit
    path = write(
        tmp_path, "long.csv", f"objective_ref,action_ref,action,due,notes\r\nO1,Q1,Title,31/05/2004,{note}\r\n"
    )
    code, out, err = capture(["import", str(demo_path), str(path)])
    assert (code, err) == (0, ""), err


def test_the_plans_own_export_imports_back(demo_path, tmp_path):
    demo_export(demo_path, tmp_path)
    code, out, err = capture(["import", str(demo_path), str(tmp_path / "demo.csv")])
    assert (code, err) == (0, ""), err


# --- an objective's title in a CSV --------------------------------------------------------------


def test_a_new_objective_title_renames_it_and_says_so(demo_path, tmp_path):
    path = write(
        tmp_path,
        "rename.csv",
        "objective_ref,objective,action_ref,action,due\r\n"
        "O1,Know where BVPI 157 stands,A1.1,Agree a return,31/10/2003\r\n",
    )
    code, out, err = capture(["import", str(demo_path), str(path)])
    assert (code, err) == (0, ""), err
    assert (
        "objective O1 renamed from 'Review progress towards the BVPI 157 targets' to 'Know where BVPI 157 stands'"
        in out
    )
    code, out, err = capture(["export", str(demo_path), str(tmp_path / "after.csv")])
    assert ",Know where BVPI 157 stands," in (tmp_path / "after.csv").read_text(encoding="utf-8-sig")


def test_one_objective_given_two_titles_in_a_file_is_refused(demo_path, tmp_path):
    path = write(
        tmp_path,
        "two.csv",
        "objective_ref,objective,action_ref,action,due\r\nO2,First title,A2.1,x,31/10/2003\r\n"
        "O2,,A2.2,y,31/10/2003\r\nO2,Second title,A2.3,z,31/10/2003\r\n",
    )
    before = digest(demo_path)
    refused(
        ["import", str(demo_path), str(path)],
        "two.csv row 4, column objective",
        "objective O2 is titled 'First title' in row 2 but 'Second title' here",
    )
    assert digest(demo_path) == before
