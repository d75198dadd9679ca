"""The command line as a user or a script meets it (CONTRACTS.md)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from egov_planner.cli import capture

ROOT = Path(__file__).resolve().parents[2]


def run_ok(*argv: str) -> str:
    code, out, err = capture([str(a) for a in argv])
    assert code == 0, err
    assert err == ""
    return out


def refused(*argv: str, code: int = 2) -> str:
    got, out, err = capture([str(a) for a in argv])
    assert got == code, (out, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_init_then_demo_and_refusing_to_overwrite(tmp_path):
    plan = tmp_path / "new.egov"
    assert "Created an empty plan" in run_ok("init", plan)
    assert "already exists" in refused("init", plan)
    assert "already exists; use --force" in refused("demo", plan)
    run_ok("demo", plan, "--force")
    assert "Leicester City Council" in run_ok("overdue", plan)


def test_overdue_as_at_the_demos_status_date(demo_path):
    data = json.loads(run_ok("overdue", demo_path, "--format", "json"))
    assert data["status_date"] == "2004-01-12"
    flags = [(i["ref"], i["flag"]) for i in data["items"]]
    assert flags == [("A1.2", "overdue"), ("A2.2", "at_risk"), ("A1.6", "at_risk"), ("A4.3", "due_soon")]
    first = data["items"][0]
    assert first == {
        "ref": "A1.2",
        "title": "Report the quarter 3 BVPI 157 position and issues of concern to SRG",
        "objective": "O1",
        "owner": "Chair, Heads of ICT",
        "due": "2003-12-31",
        "flag": "overdue",
        "days_overdue": 12,
        "forecast": "2004-01-12",
        "reason": "overdue by 12 days (due 31/12/2003)",
    }
    at_risk = {i["ref"]: i for i in data["items"] if i["flag"] == "at_risk"}
    assert at_risk["A2.2"]["reason"] == "waits on A2.1, forecast 31/03/2004"
    assert at_risk["A1.6"]["reason"].startswith("waits on National Registration Services")
    assert all(i["days_overdue"] is None for i in data["items"][1:])


def test_overdue_text_and_csv_carry_the_same_items(demo_path):
    text = run_ok("overdue", demo_path)
    assert "position as at 12 January 2004: 1 overdue, 2 at risk, 1 due soon" in text
    assert "↳ overdue by 12 days (due 31/12/2003)" in text
    rows = list(csv.DictReader(io.StringIO(run_ok("overdue", demo_path, "--format", "csv"))))
    assert [r["ref"] for r in rows] == ["A1.2", "A2.2", "A1.6", "A4.3"]
    assert rows[0]["days_overdue"] == "12" and rows[1]["days_overdue"] == ""
    assert list(rows[0]) == ["ref", "title", "objective", "owner", "due", "flag", "days_overdue", "forecast", "reason"]


@pytest.mark.parametrize("as_of", ["2004-03-01", "01/03/2004", "1 March 2004", "1st March 2004"])
def test_every_date_form_on_the_command_line(demo_path, as_of):
    data = json.loads(run_ok("overdue", demo_path, "--as-of", as_of, "--format", "json"))
    assert data["status_date"] == "2004-03-01"


def test_month_only_means_the_last_day(demo_path):
    data = json.loads(run_ok("overdue", demo_path, "--as-of", "May 2004", "--format", "json"))
    assert data["status_date"] == "2004-05-31"


def test_soon_days_widens_the_window(demo_path):
    narrow = json.loads(run_ok("overdue", demo_path, "--soon-days", "0", "--format", "json"))
    wide = json.loads(run_ok("overdue", demo_path, "--soon-days", "60", "--format", "json"))
    assert [i["ref"] for i in narrow["items"] if i["flag"] == "due_soon"] == []
    assert {"A4.3", "A7.1", "A4.4"} <= {i["ref"] for i in wide["items"] if i["flag"] == "due_soon"}


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["overdue", "{plan}", "--as-of", "31/02/2004"], "February 2004 has 29 days"),
        (["overdue", "{plan}", "--as-of", "05/31/2004"], "no month 31"),
        (["overdue", "{plan}", "--format", "xml"], "invalid choice: 'xml'"),
        (["overdue", "{plan}", "--soon-days", "-3"], "cannot be negative"),
        (["overdue"], "the following arguments are required: PLAN"),
        (["overdue", "{plan}", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(demo_path, argv, words):
    args = [a.replace("{plan}", str(demo_path)) for a in argv]
    assert words in refused(*args)


def test_files_that_are_not_plans_are_refused_by_name(tmp_path):
    random_bytes = tmp_path / "random.egov"
    random_bytes.write_bytes(os.urandom(4096))
    assert "random.egov is not an egov-planner plan (it is not a database file)" in refused("overdue", random_bytes)
    empty = tmp_path / "empty.egov"
    empty.write_bytes(b"")
    assert "empty.egov is an empty file" in refused("check", empty)
    other = tmp_path / "firefox.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    assert "another program's database" in refused("overdue", other)
    assert "moz_places" in refused("overdue", other)
    assert "no such file" in refused("overdue", tmp_path / "missing.egov")
    assert "is a folder" in refused("overdue", tmp_path)


def test_a_newer_plan_is_refused_naming_the_version_it_needs_and_left_untouched(demo_path):
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
        connection.execute("UPDATE meta SET value = '9.1.0' WHERE key = 'needs_program'")
    before = demo_path.read_bytes()
    message = refused("overdue", demo_path)
    assert "written by a newer version of egov-planner" in message
    assert "needs egov-planner 9.1.0 or newer" in message
    refused("import", demo_path, demo_path)
    assert demo_path.read_bytes() == before


def test_import_names_the_file_row_and_column_and_changes_nothing(demo_path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("objective_ref,action_ref,action,due\nO1,A9.1,New,31/05/2004\nO1,A9.2,Bad,31/02/2004\n")
    before = run_ok("export", demo_path, tmp_path / "before.csv")
    assert "bad.csv row 3, column due: '31/02/2004' is not a real date" in refused("import", demo_path, bad)
    run_ok("export", demo_path, tmp_path / "after.csv")
    assert (tmp_path / "before.csv").read_bytes() == (tmp_path / "after.csv").read_bytes()
    assert before.startswith("Wrote 30 actions")
    assert "no such file" in refused("import", demo_path, tmp_path / "nothing.csv")


def test_import_adds_and_reports_what_it_did(demo_path, tmp_path):
    good = tmp_path / "more.csv"
    good.write_text(
        "objective_ref,objective,action_ref,action,owner,due,depends_on\n"
        "O8,Welsh language scheme,A8.1,Cyfieithu'r wefan,Siân Ŵyn,31/05/2004,A3.3 FS+5d\n"
        "O1,,A1.2,Report the quarter 3 position,Chair, Heads of ICT,20/01/2004,\n".replace(
            "Chair, Heads of ICT", '"Chair, Heads of ICT"'
        ),
        encoding="utf-8",
    )
    out = run_ok("import", demo_path, good)
    assert "1 added, 1 updated, 1 dependencies, 1 new objectives, 1 new people" in out
    data = json.loads(run_ok("overdue", demo_path, "--format", "json"))
    assert "A1.2" in [i["ref"] for i in data["items"] if i["flag"] == "due_soon"]


def test_check_is_clean_on_the_demo_and_exit_1_with_a_list(demo_path):
    assert "no problems found" in run_ok("check", demo_path)
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE action SET start = '2004-06-01' WHERE ref = 'A1.4'")
        connection.execute("UPDATE action SET status = 'complete', completed_on = NULL WHERE ref = 'A1.5'")
    code, out, _err = capture(["check", str(demo_path)])
    assert code == 1
    assert "2 problems found" in out
    assert "A1.4: due 30/04/2004 is before start 01/06/2004" in out
    assert "A1.5: complete, but has no completed-on date" in out


def test_bvpi_gives_the_seeds_figures_from_the_demo_data(demo_path):
    data = json.loads(run_ok("bvpi", demo_path, "--format", "json"))
    milestones = {m["date"]: m["percent"] for m in data["milestones"]}
    assert milestones["2004-03-31"] == 72.0
    assert milestones["2005-03-31"] == 86.0
    assert milestones["2005-12-31"] == 98.0
    assert max(m["percent"] for m in data["milestones"] if m["date"] < "2006-01-01") < 100
    assert any(m["percent"] == 100.0 for m in data["milestones"] if m["date"].startswith("2007"))
    assert data["as_of"] == "2004-01-12"
    assert data["permissible"] == 250
    assert {s["reason"] for s in data["shortfall"]} == {
        "waits on National Registration Services modernisation project, expected 30/06/2006"
    }
    assert {d["code"] for d in data["by_interaction"]} <= set(range(10))
    text = run_ok("bvpi", demo_path, "--as-of", "31/03/2005")
    assert "215 of 250 legally permissible interactions (86.0%)" in text


def test_help_version_and_the_main_py_shim():
    assert "overdue" in run_ok("--help")
    assert run_ok("--version").startswith("egov-planner ")
    shim = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"], capture_output=True, text=True)
    assert shim.returncode == 0 and shim.stdout.startswith("egov-planner ")


def test_the_window_without_a_display_says_so_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(tmp_path / "x.egov")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 2
    assert "no display" in result.stderr and "Traceback" not in result.stderr


def test_an_unexpected_failure_is_one_line_with_a_log_not_a_traceback(demo_path, monkeypatch, tmp_path):
    import egov_planner.model.rules as rules

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(rules, "assess_plan", broken)
    message = refused("overdue", demo_path)
    assert "something went wrong (ZeroDivisionError: division by zero)" in message
    logs = list((tmp_path / "data" / "egov-planner" / "logs").glob("error-*.log"))
    assert len(logs) == 1 and "Traceback" in logs[0].read_text()


def test_export_and_restore_refuse_what_a_user_mistypes(demo_path, tmp_path):
    assert "the folder does not exist" in refused("export", demo_path, tmp_path / "no-such-folder" / "plan.csv")
    assert not (tmp_path / "no-such-folder").exists()
    assert ".ods files cannot be written" in refused("export", demo_path, tmp_path / "plan.ods")
    assert ".txt files cannot be written; name it .csv" in refused("export", demo_path, tmp_path / "plan.txt")
    assert "is the plan itself" in refused("restore", demo_path, "--from", demo_path)
