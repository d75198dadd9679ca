"""Issue 9 tried again as a new user would: other names, values, links and sizes than the first round.

Each test is a hole that round found: the plan and its history stay whole, and
every refusal is one line on stderr, exit 2, naming the file the user knows.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from egov_planner.cli import capture
from tests.cli.test_cli_links_and_refusals import one_line
from tests.model.helpers.plans import REPO, child_environment, contents, make_plan


def action_count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM action").fetchone()[0])
    finally:
        connection.close()


# --- a plan named like another plan's journal or lock ----------------------------------------------


@pytest.mark.parametrize("ending", ["-journal", "-wal", "-shm", ".lock"])
@pytest.mark.parametrize("command", ["init", "demo"])
def test_a_new_plan_named_like_another_plans_journal_or_lock_is_refused(
    tmp_path: Path, ending: str, command: str
) -> None:
    # SQLite took "budget.egov-journal" for budget.egov's hot journal and deleted it on
    # the next read of budget.egov; "budget.egov.lock" made budget.egov look in use forever.
    plan = make_plan(tmp_path / "budget.egov")
    before = contents(plan)
    companion = tmp_path / f"budget.egov{ending}"
    code, _, err = capture([command, str(companion)])
    assert code == 2
    line = one_line(err)
    assert companion.name in line and "budget.egov" in line
    assert not companion.exists()
    assert capture(["check", str(plan)])[0] == 0
    assert contents(plan) == before


def test_a_backup_is_not_restored_under_another_plans_journal_name(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "budget.egov")
    copy = tmp_path / "budget copy.egov"  # a copy the officer made by hand: it records no source
    copy.write_bytes(plan.read_bytes())
    journal = tmp_path / "budget.egov-journal"
    code, _, err = capture(["restore", str(journal), "--from", str(copy)])
    assert code == 2 and journal.name in one_line(err)
    assert not journal.exists()


# --- a killed demo ---------------------------------------------------------------------------------


def test_what_a_killed_demo_left_is_cleaned_up_by_the_next_run(tmp_path: Path) -> None:
    # The demo built its plan under ".NAME.demo-<pid>": a kill left it (and its lock) for good.
    child = subprocess.Popen(
        [sys.executable, str(REPO / "main.py"), "demo", str(tmp_path / "Plan Ω.egov")],
        env=child_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".lock") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert left, "the demo was not caught half way"
    an_hour_ago = time.time() - 3700
    for path in left:
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert capture(["demo", str(tmp_path / "Plan Ω.egov")])[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Plan Ω.egov"]


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))  # the demo needs 180 KB: writes fail (EFBIG)


def run_with_small_file_limit(*argv: str) -> subprocess.CompletedProcess[str]:
    """A command run in its own process whose writes fail past 150 KB, as on an account with a file-size limit."""
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *argv],
        env=child_environment(),
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )


def test_a_demo_that_cannot_be_written_names_the_plan_not_a_hidden_temporary(tmp_path: Path) -> None:
    plan = tmp_path / "Plan Ω.egov"
    done = run_with_small_file_limit("demo", str(plan))
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert line.startswith("egov-planner: Plan Ω.egov"), line
    assert ".new" not in line and "demo-" not in line, line
    assert [p.name for p in tmp_path.iterdir()] == []


# --- restore from another plan ---------------------------------------------------------------------


def test_restore_refuses_another_plans_file_even_when_it_is_no_backup(tmp_path: Path) -> None:
    # belongs_to trusted a file that records no source: another live plan (its own plan id) got in.
    plan = make_plan(tmp_path / "Housing 2004.egov", objectives=2)
    other = make_plan(tmp_path / "Planning 2004.egov", objectives=4)
    before = contents(plan)
    code, _, err = capture(["restore", str(plan), "--from", str(other)])
    assert code == 2
    line = one_line(err)
    assert "Planning 2004.egov" in line and "Housing 2004.egov" in line
    assert contents(plan) == before
    # A copy the officer made by hand of this plan still comes back.
    copy = tmp_path / "Housing monday.egov"
    copy.write_bytes(plan.read_bytes())
    assert capture(["restore", str(plan), "--from", str(copy)])[0] == 0


# --- a plan marked read-only ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["demo --force", "restore"])
def test_a_plan_marked_read_only_is_not_replaced_either(tmp_path: Path, command: str) -> None:
    # import refused a read-only plan, but demo --force and restore renamed a new file over it.
    plan = make_plan(tmp_path / "Read only – Q3.egov")
    copy = tmp_path / "Q3 copy.egov"
    copy.write_bytes(plan.read_bytes())
    plan.chmod(0o444)
    before = contents(plan)
    argv = ["demo", str(plan), "--force"] if command == "demo --force" else ["restore", str(plan), "--from", str(copy)]
    code, _, err = capture(argv)
    assert code == 2
    line = one_line(err)
    assert "Read only – Q3.egov is read-only" in line
    assert contents(plan) == before and plan.stat().st_mode & 0o222 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Q3 copy.egov", "Read only – Q3.egov"]


# --- encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_byte_order_mark_is_named_as_utf32(tmp_path: Path, codec: str) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    before = contents(plan)
    rows = tmp_path / "actions (utf32).csv"
    rows.write_bytes("objective_ref,action_ref,action,due\nO1,N1,Café,31/12/2004\n".encode(codec))
    code, _, err = capture(["import", str(plan), str(rows)])
    assert code == 2
    line = one_line(err)
    assert "actions (utf32).csv" in line and "UTF-32" in line and "UTF-16" not in line
    assert contents(plan) == before


# --- values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lag", ["+1000000000000000000000000000000d", "-99999999999d"])
def test_a_huge_lag_is_not_reported_as_another_number(tmp_path: Path, lag: str) -> None:
    # 10^30 days was reported as "a lag of 1000000000 days": a number the officer never wrote.
    plan = make_plan(tmp_path / "plan.egov")
    before = contents(plan)
    rows = tmp_path / "lags.csv"
    rows.write_text(f"objective_ref,action_ref,action,due,depends_on\nO1,N1,New,31/12/2004,A1.1 FS{lag}\n")
    code, _, err = capture(["import", str(plan), str(rows)])
    assert code == 2
    line = one_line(err)
    assert "lags.csv row 2, column depends_on" in line and "1000000000 " not in line
    assert "more than 999,999,999 days" in line and "3,650" in line
    assert contents(plan) == before


def test_a_backup_that_cannot_be_written_names_where_it_was_going(tmp_path: Path) -> None:
    # "could not copy plan.egov: disk I/O error" blamed the plan; the backup folder's drive refused.
    plan = make_plan(tmp_path / "Plan Ω.egov", objectives=20, actions_each=20)
    before = contents(plan)
    done = run_with_small_file_limit("backup", str(plan))
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert "Plan Ω.egov backups" in line and ".tmp" not in line, line
    assert contents(plan) == before
    assert list((tmp_path / "Plan Ω.egov backups").iterdir()) == []


def test_backup_to_an_empty_path_is_refused_not_taken_as_the_current_folder(tmp_path: Path) -> None:
    plan = tmp_path / "plan.egov"
    assert capture(["demo", str(plan)])[0] == 0
    code, out, err = capture(["backup", str(plan), "--to", ""])
    assert code == 2 and out == ""
    assert "--to: no path given (it is empty)" in err and len(err.strip().splitlines()) == 1


def test_a_stored_backup_folder_that_is_a_file_is_ignored_and_check_says_so(tmp_path: Path) -> None:
    plan = tmp_path / "budget.egov"
    assert capture(["demo", str(plan)])[0] == 0
    connection = sqlite3.connect(plan)
    with connection:
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('backup_dir', 'budget.egov')")
    connection.close()
    code, out, err = capture(["backup", str(plan)])
    assert code == 0, err
    assert Path(out.rstrip("\n").rsplit(" to ", 1)[1]).parent == tmp_path / "budget.egov backups"
    code, out, _err = capture(["check", str(plan)])
    assert code == 1
    assert "names 'budget.egov' for its backups, which is a file, not a folder" in out


def test_restore_into_a_hard_linked_plan_is_refused_and_both_names_stay_one_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.egov"
    assert capture(["demo", str(plan)])[0] == 0
    code, out, err = capture(["backup", str(plan)])
    assert code == 0, err
    copy = Path(out.rstrip("\n").rsplit(" to ", 1)[1])
    other = tmp_path / "other name.egov"
    os.link(plan, other)
    code, _out, err = capture(["restore", str(other), "--from", str(copy)])
    assert code == 2 and "has 2 names on disk (hard links)" in err and len(err.strip().splitlines()) == 1
    assert os.path.samefile(plan, other)


def test_a_restore_that_cannot_be_written_names_the_plan_not_the_backup(tmp_path: Path) -> None:
    plan = tmp_path / "plan.egov"
    assert capture(["demo", str(plan)])[0] == 0
    code, out, err = capture(["backup", str(plan)])
    assert code == 0, err
    copy = Path(out.rstrip("\n").rsplit(" to ", 1)[1])
    before = plan.read_bytes()
    done = run_with_small_file_limit("restore", str(plan), "--from", str(copy))
    assert done.returncode == 2
    assert (
        done.stderr == f"egov-planner: {plan}: File too large (a limit on the size of files this account may "
        "write); nothing was written\n"
    )
    assert plan.read_bytes() == before


def test_a_plan_name_too_long_to_save_safely_is_refused_by_its_own_name(tmp_path: Path) -> None:
    plan = tmp_path / ("p" * 245 + ".egov")
    code, _out, err = capture(["init", str(plan)])
    assert code == 2
    assert (
        err == f"egov-planner: {plan}: the name is too long to save safely here; choose a shorter one "
        "(under about 200 characters)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_backup_to_a_folder_that_takes_no_files_names_the_copy_not_a_temporary(tmp_path: Path) -> None:
    plan = tmp_path / "plan.egov"
    assert capture(["demo", str(plan)])[0] == 0
    code, _out, err = capture(["backup", str(plan), "--to", "/proc"])
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("egov-planner: /proc/plan.egov-") and ".tmp" not in err and "/." not in err


def test_a_reader_that_stops_early_gets_no_error_line(tmp_path: Path) -> None:
    """`egov-planner bvpi PLAN --format json | head`: the pipe closes early, and that is no failure."""
    import io

    from egov_planner.cli import run

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    plan = tmp_path / "plan.egov"
    assert capture(["demo", str(plan)])[0] == 0
    err = io.StringIO()
    assert run(["bvpi", str(plan), "--format", "json"], ClosedPipe(), err) == 0
    assert err.getvalue() == ""
