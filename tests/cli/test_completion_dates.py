"""`check [--as-of DATE]` finds completions after the status date; an import marking complete dates them."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from egov_planner.cli import capture


def run(*argv: object) -> tuple[int, str, str]:
    return capture([str(a) for a in argv])


def exported(plan: Path, tmp_path: Path) -> dict[str, dict[str, str]]:
    """The actions as the officer's export shows them, by ref."""
    out = tmp_path / "out.csv"
    code, _, err = run("export", plan, out)
    assert code == 0, err
    return {row["action_ref"]: row for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}


def test_check_names_a_completion_after_the_plans_status_date(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE action SET completed_on = '2004-02-15' WHERE ref = 'A1.1'")
    code, out, err = run("check", demo_path)
    assert (code, err) == (1, "")
    assert "1 problem found" in out
    assert "A1.1: completed on 15/02/2004, after the status date 12/01/2004" in out


def test_check_as_of_judges_completions_against_that_date(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE action SET completed_on = '2004-02-15' WHERE ref = 'A1.1'")
    code, out, _ = run("check", demo_path, "--as-of", "31 March 2004")
    assert (code, out.strip()) == (0, "demo.egov: no problems found")
    code, out, _ = run("check", demo_path, "--as-of", "14/02/2004")
    assert code == 1
    assert "A1.1: completed on 15/02/2004, after the status date 14/02/2004" in out


def test_check_refuses_an_as_of_that_is_not_a_date(demo_path: Path) -> None:
    code, out, err = run("check", demo_path, "--as-of", "30/02/2004")
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        "egov-planner: argument --as-of: '30/02/2004' is not a real date: February 2004 has 29 days "
        "(see 'egov-planner check --help')"
    ]


def test_an_import_marking_complete_without_a_date_takes_the_status_date(demo_path: Path, tmp_path: Path) -> None:
    before = exported(demo_path, tmp_path)
    assert (before["A1.2"]["status"], before["A1.2"]["completed_on"]) == ("in progress", "")
    rows = tmp_path / "done.csv"
    rows.write_text(
        "objective_ref,action_ref,action,due,status\n"
        "O1,A1.2,Report the quarter 3 BVPI 157 position and issues of concern to SRG,31/12/2003,complete\n"
        "O1,A1.9,Publish the BVPI 157 return on the intranet,31/12/2003,complete\n",
        encoding="utf-8",
    )
    code, _, err = run("import", demo_path, rows)
    assert code == 0, err
    after = exported(demo_path, tmp_path)
    assert after["A1.2"]["completed_on"] == "12/01/2004"
    assert after["A1.9"]["completed_on"] == "12/01/2004"
    assert after["A1.1"]["completed_on"] == before["A1.1"]["completed_on"]  # not in the file: untouched
    code, out, _ = run("check", demo_path)
    assert (code, out.strip()) == (0, "demo.egov: no problems found")


def test_a_new_action_imported_as_complete_without_a_percent_is_100_percent(demo_path: Path, tmp_path: Path) -> None:
    rows = tmp_path / "done.csv"
    rows.write_text(
        "objective_ref,action_ref,action,due,status\n"
        "O2,A2.9,Close the old payments kiosk,30/11/2003,complete\n"
        "O2,A2.8,Open the new payments kiosk,31/03/2004,in progress\n",
        encoding="utf-8",
    )
    code, _, err = run("import", demo_path, rows)
    assert code == 0, err
    after = exported(demo_path, tmp_path)
    assert after["A2.9"]["percent_complete"] == "100"  # as marking complete in the window makes it
    assert after["A2.8"]["percent_complete"] == "0"
