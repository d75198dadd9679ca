"""The command line keeps the data-safety promises: lock, backup, restore, check, damaged plans.

Exit 0 on success, 1 when check finds problems, 2 with one plain line on
stderr naming the file when a plan is in use, damaged or not a plan.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from egov_planner.cli import capture
from egov_planner.model.store.backups import verify_copy
from tests.model.helpers.plans import (
    REPO,
    child_environment,
    contents,
    digest,
    integrity,
    make_old_plan,
    make_plan,
    other_program_holding,
    other_programs_database,
    overwrite_middle,
    query,
    random_bytes,
    refs,
    schema_revision,
    truncate_half,
)

ACTIONS_CSV = (
    "objective_ref,objective,action_ref,action,due\r\n"
    "O7,Digital by default,A7.1,Put council tax online,31/03/2005\r\n"
)


def one_line(stderr: str) -> str:
    """The error, checked to be exactly one line and no traceback."""
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr.rstrip("\n")


# --- one writer at a time ------------------------------------------------------------------


def test_import_into_a_plan_open_elsewhere_is_refused_naming_who_has_it(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    rows = tmp_path / "new actions.csv"
    rows.write_text(ACTIONS_CSV, encoding="utf-8")
    with other_program_holding(plan) as other:
        before = digest(plan)
        code, out, err = capture(["import", str(plan), str(rows)])
        assert code == 2 and out == ""
        assert re.fullmatch(
            rf"egov-planner: plan\.egov is in use by {re.escape(other.user)} on "
            rf"{re.escape(other.host)} since \d\d/\d\d/\d{{4}} \d\d:\d\d; "
            r"close it there first\. Nothing was changed\.",
            one_line(err),
        )
        assert digest(plan) == before
    assert "A7.1" not in refs(plan)
    # Once the other program has closed it, the same import goes through.
    code, out, _ = capture(["import", str(plan), str(rows)])
    assert code == 0 and "A7.1" in refs(plan)


def test_the_real_command_exits_2_for_a_plan_in_use(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    rows = tmp_path / "rows.csv"
    rows.write_text(ACTIONS_CSV, encoding="utf-8")
    with other_program_holding(plan):
        finished = subprocess.run(
            [sys.executable, str(REPO / "main.py"), "import", str(plan), str(rows)],
            capture_output=True,
            text=True,
            env=child_environment(),
            timeout=60,
        )
    assert finished.returncode == 2
    assert "plan.egov is in use by" in one_line(finished.stderr)


def test_reading_commands_work_while_the_plan_is_open_elsewhere(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    with other_program_holding(plan):
        assert capture(["check", str(plan)])[:2] == (0, "plan.egov: no problems found\n")
        code, _, _ = capture(["export", str(plan), str(tmp_path / "out.csv")])
        assert code == 0


# --- backup and restore --------------------------------------------------------------------


def test_backup_works_while_another_program_writes(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=5, actions_each=20)
    copies = []
    with other_program_holding(plan, mode="write") as other:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(other.read_line, "closed")))
        reader.start()
        try:
            for _ in range(3):
                acks = sum(1 for line in list(lines) if line.startswith("ack "))
                deadline = time.monotonic() + 60  # a busy machine runs the writer slowly
                while sum(1 for line in list(lines) if line.startswith("ack ")) < acks + 5:
                    assert time.monotonic() < deadline, "the other program stopped writing"
                    time.sleep(0.01)
                code, out, err = capture(["backup", str(plan)])
                assert (code, err) == (0, "")
                match = re.fullmatch(r"Backed up plan\.egov to (.+)\n", out)
                assert match, out
                copies.append(Path(match[1]))
        finally:
            other.stop()
            reader.join(timeout=20)
    assert sum(1 for line in lines if line.startswith("ack ")) > 10
    for copy in copies:
        assert copy.parent == tmp_path / "plan.egov backups"
        assert integrity(copy) == ["ok"]
        verify_copy(copy)


def test_backup_to_another_folder(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    stick = tmp_path / "memory stick" / "plans"
    stick.mkdir(parents=True)
    code, out, _ = capture(["backup", str(plan), "--to", str(stick)])
    assert code == 0
    (copy,) = stick.iterdir()
    assert out == f"Backed up plan.egov to {copy}\n"
    assert contents(copy) == contents(plan)


def test_restore_backs_up_the_current_file_first(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    _, out, _ = capture(["backup", str(plan)])
    good = Path(out.removeprefix("Backed up plan.egov to ").strip())
    wanted = contents(plan)
    rows = tmp_path / "rows.csv"
    rows.write_text(ACTIONS_CSV, encoding="utf-8")
    assert capture(["import", str(plan), str(rows)])[0] == 0
    newer = contents(plan)
    code, out, err = capture(["restore", str(plan), "--from", str(good)])
    assert (code, err) == (0, "")
    first, second = out.splitlines()
    assert first == f"Restored plan.egov from {good.name}"
    saved = Path(second.removeprefix("The file it replaced was backed up to "))
    assert saved.parent == tmp_path / "plan.egov backups"
    assert contents(saved) == newer  # the imported work is kept in the backup
    assert contents(plan) == wanted
    assert capture(["check", str(plan)])[0] == 0


def test_restore_is_refused_while_the_plan_is_open_elsewhere(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    _, out, _ = capture(["backup", str(plan)])
    good = out.removeprefix("Backed up plan.egov to ").strip()
    with other_program_holding(plan) as other:
        before = digest(plan)
        code, _, err = capture(["restore", str(plan), "--from", good])
        assert code == 2
        assert f"plan.egov is in use by {other.user} on {other.host}" in one_line(err)
        assert digest(plan) == before


def test_restore_from_a_file_that_is_not_a_backup_changes_nothing(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    junk = tmp_path / "holiday photo.egov"
    random_bytes(junk)
    before = digest(plan)
    code, _, err = capture(["restore", str(plan), "--from", str(junk)])
    assert code == 2
    assert one_line(err) == (
        "egov-planner: holiday photo.egov is not an egov-planner plan (it is not a database file)"
    )
    assert digest(plan) == before
    code, _, err = capture(["restore", str(plan), "--from", str(tmp_path / "missing.egov")])
    assert code == 2 and "missing.egov: no such backup file" in one_line(err)


# --- damaged plans -------------------------------------------------------------------------


def test_a_damaged_plan_names_the_newest_good_backup_and_the_command_that_restores_it(
    tmp_path: Path,
) -> None:
    plan = make_plan(tmp_path / "Improvement plan.egov", objectives=6, actions_each=20)
    _, out, _ = capture(["backup", str(plan)])
    good = Path(out.removeprefix("Backed up Improvement plan.egov to ").strip())
    wanted = contents(plan)
    overwrite_middle(plan)
    damaged = plan.read_bytes()
    rows = tmp_path / "rows.csv"
    rows.write_text(ACTIONS_CSV, encoding="utf-8")
    for command in (
        ["overdue", str(plan)],
        ["export", str(plan), str(tmp_path / "out.csv")],
        ["import", str(plan), str(rows)],
        ["bvpi", str(plan)],
        ["backup", str(plan)],
    ):
        code, out, err = capture(command)
        assert (code, out) == (2, ""), command
        message = one_line(err)
        assert message.startswith("egov-planner: Improvement plan.egov is damaged: "), message
        assert f"The newest good backup is {good} (taken " in message
        assert plan.read_bytes() == damaged, f"{command[0]} changed the damaged file"
    suggested = message.split(" run: ", 1)[1]
    assert suggested == f"egov-planner restore {shlex.quote(str(plan))} --from {shlex.quote(str(good))}"
    # check finds the damage (exit 1), listed like any problem, and ends with the same way back.
    code, out, err = capture(["check", str(plan)])
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == "Improvement plan.egov: 1 problem found"
    assert lines[1].startswith("  - integrity: ")
    assert lines[2].startswith(f"Improvement plan.egov is damaged. The newest good backup is {good} (taken ")
    assert lines[2].endswith(f" run: {suggested}") and len(lines) == 3
    assert plan.read_bytes() == damaged
    # Doing what it says brings the plan back and keeps the damaged file aside.
    code, out, _ = capture(shlex.split(suggested)[1:])
    assert code == 0
    assert f"set aside (not changed) as {plan}.damaged" in out
    assert Path(f"{plan}.damaged").read_bytes() == damaged
    assert contents(plan) == wanted
    assert capture(["check", str(plan)])[0] == 0


def test_a_damaged_plan_without_backups_says_so(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    truncate_half(plan)
    code, _, err = capture(["overdue", str(plan)])
    assert code == 2
    message = one_line(err)
    assert message.startswith("egov-planner: plan.egov is damaged: ")
    assert message.endswith(f"No good backup of it was found in {tmp_path / 'plan.egov backups'}.")


def test_files_that_are_not_plans_are_refused_saying_which(tmp_path: Path) -> None:
    cases = {
        "noise.egov": (random_bytes, "noise.egov is not an egov-planner plan (it is not a database file)"),
        "empty.egov": (lambda p: p.write_bytes(b""), "empty.egov is an empty file, not a plan"),
        "accounts.db": (
            other_programs_database,
            "accounts.db is another program's database, not an egov-planner plan "
            "(it holds tables: invoices)",
        ),
    }
    for name, (make, expected) in cases.items():
        path = tmp_path / name
        make(path)
        before = digest(path)
        code, _, err = capture(["check", str(path)])
        assert code == 2 and one_line(err) == f"egov-planner: {expected}"
        assert digest(path) == before


def test_a_plan_from_a_newer_program_is_refused_and_untouched(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    connection = sqlite3.connect(plan)
    connection.execute("UPDATE alembic_version SET version_num = '0009'")
    connection.execute("UPDATE meta SET value = '3.0.0' WHERE key = 'needs_program'")
    connection.commit()
    connection.close()
    before = digest(plan)
    rows = tmp_path / "rows.csv"
    rows.write_text(ACTIONS_CSV, encoding="utf-8")
    for command in (["check", str(plan)], ["import", str(plan), str(rows)], ["backup", str(plan)]):
        code, _, err = capture(command)
        assert code == 2
        assert one_line(err) == (
            "egov-planner: plan.egov was written by a newer version of egov-planner (schema 0009); "
            "it needs egov-planner 3.0.0 or newer. The file has not been changed."
        )
    assert digest(plan) == before


# --- check ---------------------------------------------------------------------------------


def damage_by_hand(plan: Path) -> None:
    """What a plan edited outside the program might hold (each breaks one rule)."""
    connection = sqlite3.connect(plan, isolation_level=None)
    connection.execute("UPDATE action SET start = '2004-06-01', due = '2004-05-01' WHERE ref = 'A1.1'")
    connection.execute("UPDATE action SET status = 'complete', completed_on = NULL WHERE ref = 'A1.2'")
    connection.execute("PRAGMA ignore_check_constraints = ON")
    connection.execute("UPDATE action SET percent_complete = 140 WHERE ref = 'A2.1'")
    connection.execute(
        "INSERT INTO external_dependency (name, organisation, expected_on, confidence, notes, version) "
        "VALUES ('Government Gateway', 'Cabinet Office', NULL, 'low', '', 1)"
    )
    connection.execute("UPDATE person SET left_on = '2004-01-09' WHERE name = 'Officer 3'")
    # A dependency closing a loop: A3.3 already follows A3.2 (the chain), now A3.2 follows A3.3.
    connection.execute(
        "INSERT INTO dependency (predecessor_id, successor_id, kind, lag_days, version) "
        "SELECT s.id, p.id, 'FS', 0, 1 FROM action p, action s WHERE p.ref = 'A3.2' AND s.ref = 'A3.3'"
    )
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("UPDATE action SET owner_id = 9999 WHERE ref = 'A2.2'")
    connection.close()


def test_check_lists_every_problem_in_a_plan_damaged_by_hand(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    assert capture(["check", str(plan)]) == (0, "plan.egov: no problems found\n", "")
    damage_by_hand(plan)
    code, out, err = capture(["check", str(plan)])
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == f"plan.egov: {len(lines) - 1} problems found"
    assert set(lines[1:]) == {
        "  - broken reference: action A2.2: owner_id 9999 points to a missing person",
        "  - A1.1: due 01/05/2004 is before start 01/06/2004",
        "  - A1.2: complete, but has no completed-on date",
        "  - A2.1: 140% complete is outside 0-100",
        "  - A1.3: its owner left the plan on 09/01/2004",
        "  - A2.3: its owner left the plan on 09/01/2004",
        "  - A3.3: its owner left the plan on 09/01/2004",
        "  - external 'Government Gateway': has no expected date",
        "  - A3.2: dependency cycle A3.2 → A3.3 → A3.2",
    }
    assert len(lines) == 10
    assert capture(["check", str(plan)])[1] == out  # checking reads; it never repairs


def test_check_reports_a_damaged_index_and_where_a_good_copy_is(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    _, out, _ = capture(["backup", str(plan)])
    good = out.removeprefix("Backed up plan.egov to ").strip()
    connection = sqlite3.connect(plan, isolation_level=None)
    connection.execute("PRAGMA writable_schema = ON")  # the index no longer matches its rows
    connection.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_action_due ON action (start)' "
        "WHERE name = 'ix_action_due'"
    )
    connection.close()
    code, out, _ = capture(["check", str(plan)])
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "  - integrity: row 1 missing from index ix_action_due"
    assert lines[-1].startswith("plan.egov is damaged. The newest good backup is ")
    assert lines[-1].endswith(f"--from {shlex.quote(good)}")


def test_check_upgrades_an_old_plan_after_backing_it_up(tmp_path: Path) -> None:
    plan = make_old_plan(tmp_path / "plan.egov")
    code, out, _ = capture(["check", str(plan)])
    assert (code, out) == (0, "plan.egov: no problems found\n")
    (backup,) = (tmp_path / "plan.egov backups").iterdir()
    assert schema_revision(backup) == "0001" and schema_revision(plan) != "0001"
    assert query(plan, "SELECT count(*) FROM action") == query(backup, "SELECT count(*) FROM action")


def test_a_plan_emptied_by_another_tool_still_points_to_its_backup(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    _, out, _ = capture(["backup", str(plan)])
    good = out.removeprefix("Backed up plan.egov to ").strip()
    plan.write_bytes(b"")  # e.g. a sync tool that failed half way
    code, _, err = capture(["overdue", str(plan)])
    assert code == 2
    assert re.fullmatch(
        r"egov-planner: plan\.egov is an empty file, not a plan\. "
        rf"The newest good backup is {re.escape(good)} \(taken \d\d/\d\d/\d{{4}} \d\d:\d\d:\d\d\); "
        r"to bring it back \(the damaged file is set aside, never deleted\) run: "
        rf"egov-planner restore {re.escape(shlex.quote(str(plan)))} --from {re.escape(shlex.quote(good))}",
        one_line(err),
    )
