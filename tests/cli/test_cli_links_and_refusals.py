"""Links, read-only files, busy plans, full disks, odd names and memory: the plan stays whole, one clean line.

The lock follows the file, not the name it was reached by; export, report and
backup never write onto the plan; every failure the user can meet is one line
on stderr, exit 2, naming the file, and nothing is changed.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from egov_planner.cli import capture
from egov_planner.model.store import open_plan
from tests.model.helpers.plans import REPO, child_environment, contents, digest, make_plan, other_program_holding, refs

NEW_ROW = (
    "objective_ref,objective,action_ref,action,due\r\n"
    "O7,Digital by default,A7.1,Put council tax online,31/03/2005\r\n"
)


def one_line(stderr: str) -> str:
    """The error, checked to be exactly one line with no traceback, SQL or 'something went wrong'."""
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    for leak in ("Traceback", "something went wrong", "[SQL", "sqlalche.me", "OperationalError"):
        assert leak not in stderr, stderr
    return stderr.rstrip("\n")


def new_rows(folder: Path, name: str = "new rows.csv") -> Path:
    rows = folder / name
    rows.write_text(NEW_ROW, encoding="utf-8")
    return rows


# --- the lock follows the file -------------------------------------------------------------------


@pytest.mark.parametrize("reach", ["link to the file", "link to its folder"])
def test_a_plan_being_written_under_its_real_name_blocks_an_import_through_a_link(tmp_path: Path, reach: str) -> None:
    folder = tmp_path / "Shared plans"
    folder.mkdir()
    plan = make_plan(folder / "Plan #3 ü.egov")
    if reach == "link to the file":
        through = tmp_path / "shortcut.egov"
        through.symlink_to(plan)
    else:
        (tmp_path / "shortcut folder").symlink_to(folder, target_is_directory=True)
        through = tmp_path / "shortcut folder" / plan.name
    rows = new_rows(tmp_path)
    with other_program_holding(plan) as other:
        before = contents(plan)
        code, _out, err = capture(["import", str(through), str(rows)])
        assert code == 2
        line = one_line(err)
        assert "is in use by" in line and other.user in line and plan.name in line
        assert contents(plan) == before and "A7.1" not in refs(plan)
    assert through.is_symlink() or through.parent.is_symlink()


def test_a_hard_linked_plan_is_refused_for_writing_and_still_read(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    other_name = tmp_path / "plan copy.egov"
    os.link(plan, other_name)
    before = digest(plan)
    for name in (plan, other_name):
        code, _out, err = capture(["import", str(name), str(new_rows(tmp_path))])
        assert code == 2
        line = one_line(err)
        assert name.name in line and "hard link" in line and "Nothing was changed" in line
    assert digest(plan) == before
    code, out, err = capture(["overdue", str(other_name)])
    assert code == 0 and err == "" and "position as at" in out


def test_restore_through_a_link_restores_the_real_plan_and_leaves_the_link(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "real plan.egov")
    link = tmp_path / "link.egov"
    link.symlink_to(plan.name)
    code, out, err = capture(["backup", str(link)])
    assert code == 0, err
    backup = Path(out.rstrip("\n").rsplit(" to ", 1)[1])
    assert backup.parent == tmp_path / "real plan.egov backups"  # the real file's backups, not the link's
    before = contents(plan)
    code, _out, err = capture(["import", str(plan), str(new_rows(tmp_path))])
    assert code == 0, err
    assert "A7.1" in refs(plan)
    code, _out, err = capture(["restore", str(link), "--from", str(backup)])
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == plan.name
    assert contents(plan) == before


# --- never write onto the plan -------------------------------------------------------------------


def _aim(tmp_path: Path, plan: Path, how: str, name: str) -> Path:
    if how == "same name":
        return plan
    target = tmp_path / name
    if how == "symlink":
        target.symlink_to(plan)
    elif how == "hard link":
        os.link(plan, target)
    elif how == "symlink to its lock":
        target.symlink_to(plan.with_name(plan.name + ".lock"))
    else:
        target.symlink_to(plan.with_name(plan.name + "-journal"))
    return target


@pytest.mark.parametrize("how", ["same name", "symlink", "hard link", "symlink to its lock", "symlink to its journal"])
def test_export_onto_the_plan_itself_is_refused(tmp_path: Path, how: str) -> None:
    plan = make_plan(tmp_path / "2004 plan.csv")  # a plan file named like an export
    target = _aim(tmp_path, plan, how, "out #1.csv")
    before = digest(plan)
    code, out, err = capture(["export", str(plan), str(target)])
    assert code == 2 and out == ""
    line = one_line(err)
    assert str(target) in line and ("the plan itself" in line or "the plan's" in line)
    assert digest(plan) == before
    assert not plan.with_name(plan.name + "-journal").exists()
    assert not plan.with_name(plan.name + ".lock").exists()


@pytest.mark.parametrize("how", ["symlink", "hard link", "symlink to its lock"])
def test_a_report_onto_the_plan_itself_is_refused(tmp_path: Path, how: str) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    target = _aim(tmp_path, plan, how, "pack.pdf")
    before = digest(plan)
    code, _out, err = capture(["report", str(plan), "-o", str(target)])
    assert code == 2
    line = one_line(err)
    assert str(target) in line and ("the plan itself" in line or "the plan's" in line)
    assert digest(plan) == before


@pytest.mark.parametrize("to", ["the plan", "a link to it", "another file"])
def test_backup_to_a_file_rather_than_a_folder_is_refused(tmp_path: Path, to: str) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    target = {"the plan": plan, "a link to it": tmp_path / "l", "another file": tmp_path / "notes.txt"}[to]
    if to == "a link to it":
        target.symlink_to(plan)
    elif to == "another file":
        target.write_text("notes", encoding="utf-8")
    before = digest(plan)
    code, _out, err = capture(["backup", str(plan), "--to", str(target)])
    assert code == 2
    line = one_line(err)
    assert str(target) in line
    assert ("the plan itself" in line) if to != "another file" else ("not a folder" in line)
    assert digest(plan) == before


# --- read-only files and folders -----------------------------------------------------------------


def test_a_read_only_plan_is_refused_for_writing_in_one_line_and_still_read(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "Plan (final).egov")
    plan.chmod(0o444)
    before = digest(plan)
    code, _out, err = capture(["import", str(plan), str(new_rows(tmp_path))])
    assert code == 2
    line = one_line(err)
    assert plan.name in line and "read-only" in line and "writable" in line
    assert digest(plan) == before and not (tmp_path / f"{plan.name}.lock").exists()
    for command in (["overdue", str(plan)], ["bvpi", str(plan)], ["check", str(plan)]):
        code, out, err = capture(command)
        assert code == 0 and err == "", (command, err)
    code, _out, err = capture(["export", str(plan), str(tmp_path / "out.csv")])
    assert code == 0, err


def test_a_plan_in_a_read_only_folder_is_refused_for_writing_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "Archive 2004"
    folder.mkdir()
    plan = make_plan(folder / "plan.egov")
    folder.chmod(0o555)
    try:
        before = digest(plan)
        code, _out, err = capture(["import", str(plan), str(new_rows(tmp_path))])
        assert code == 2
        line = one_line(err)
        assert plan.name in line and "read-only folder" in line and str(folder) in line
        assert digest(plan) == before
        code, out, err = capture(["overdue", str(plan)])
        assert code == 0 and err == ""
    finally:
        folder.chmod(0o755)


# --- SQLite refusing: busy, full, read-only, failing drive ---------------------------------------


def test_another_program_holding_a_read_lock_gives_a_busy_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import egov_planner.model.store as store
    import egov_planner.model.store.backups as backups
    import egov_planner.model.store.files as files

    for module in (store, files, backups):  # a second, not fifteen: the test waits it out
        monkeypatch.setattr(module, "BUSY_TIMEOUT_SECONDS", 1)
    plan = make_plan(tmp_path / "plan.egov")
    before = contents(plan)
    reader = sqlite3.connect(plan, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM action").fetchone()  # a shared lock held, as a report tool would
        code, _out, err = capture(["import", str(plan), str(new_rows(tmp_path))])
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert code == 2
    line = one_line(err)
    assert plan.name in line and "is busy" in line and "try again" in line
    assert contents(plan) == before


class _RefusingCommit(sqlite3.Connection):
    message = ""

    def commit(self) -> None:
        raise sqlite3.OperationalError(self.message)


@pytest.mark.parametrize(
    ("sqlite_says", "line_says"),
    [
        ("database or disk is full", "the disk is full"),
        ("attempt to write a readonly database", "is read-only"),
        ("database is locked", "is busy"),
        ("disk I/O error", "disk I/O error"),
    ],
)
def test_sqlite_refusing_the_commit_is_one_line_naming_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_says: str, line_says: str
) -> None:
    plan = make_plan(tmp_path / "Plan #4.egov")
    before = contents(plan)
    real_connect = sqlite3.connect

    class Refusing(_RefusingCommit):
        message = sqlite_says

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        if Path(os.fsdecode(args[0])) == plan:  # the plan's own connections, not its backup copies
            kwargs["factory"] = Refusing
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    code, _out, err = capture(["import", str(plan), str(new_rows(tmp_path))])
    monkeypatch.undo()
    assert code == 2
    line = one_line(err)
    assert plan.name in line and line_says in line and "Nothing was changed" in line
    assert contents(plan) == before


@pytest.mark.parametrize("command", ["export", "report"])
def test_a_full_disk_while_writing_a_file_names_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    target = tmp_path / ("actions for cabinet.csv" if command == "export" else "pack for cabinet.pdf")

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # as a full disk says it: no file named

    monkeypatch.setattr(os, "fsync", no_space)
    argv = ["export", str(plan), str(target)] if command == "export" else ["report", str(plan), "-o", str(target)]
    code, _out, err = capture(argv)
    monkeypatch.undo()
    assert code == 2
    line = one_line(err)
    assert str(target) in line and "disk is full" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.egov"]  # no part-written file left


# --- names that are not UTF-8 --------------------------------------------------------------------


def test_every_command_works_on_a_plan_whose_name_is_not_utf8(tmp_path: Path) -> None:
    plan = tmp_path / os.fsdecode(b"plan \xff#1.egov")
    rows = tmp_path / os.fsdecode(b"rows \xfe.csv")
    pdf = tmp_path / os.fsdecode(b"pack \xe9.pdf")
    steps = [
        ["init", str(plan)],
        ["overdue", str(plan)],
        ["export", str(plan), str(rows)],
        ["check", str(plan)],
        ["demo", str(plan), "--force"],
        ["export", str(plan), str(rows)],
        ["import", str(plan), str(rows)],
        ["report", str(plan), "-o", str(pdf)],
        ["bvpi", str(plan)],
        ["backup", str(plan)],
    ]
    for argv in steps:
        code, out, err = capture(argv)
        assert code == 0 and err == "", (argv, err)
    backup = Path(out.rstrip("\n").rsplit(" to ", 1)[1])
    assert os.fsencode(backup.name).startswith(b"plan \xff#1.egov-")
    code, _out, err = capture(["restore", str(plan), "--from", str(backup)])
    assert code == 0, err
    with open_plan(plan, read_only=True) as store:
        assert store.meta("backup_reason") is None  # a restored plan is the plan again, not a copy
    assert refs(plan) == refs(backup) and len(refs(plan)) > 30
    code, _out, err = capture(["init", str(plan)])
    assert code == 2 and "already exists" in one_line(err)


def test_a_name_that_is_not_utf8_is_printed_even_where_the_terminal_is_strict(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/plan \xff.egov"
    for argv in ([b"init", name], [b"init", name]):
        result = subprocess.run(
            [sys.executable.encode(), str(REPO / "main.py").encode(), *argv],
            capture_output=True,
            env={**child_environment(), "PYTHONIOENCODING": "utf-8:strict"},
            cwd=REPO,
        )
        shown = result.stdout + result.stderr
        assert b"plan \xff.egov" in shown and b"Traceback" not in shown and b"went wrong" not in shown, shown
    assert result.returncode == 2 and b"already exists" in result.stderr


# --- memory --------------------------------------------------------------------------------------


def test_running_out_of_memory_is_one_line_and_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import egov_planner.interchange as interchange
    from egov_planner.model import rules

    plan = make_plan(tmp_path / "plan.egov")
    rows = new_rows(tmp_path, "20 million rows.csv")
    before = contents(plan)

    def too_much(*_args: Any, **_kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(interchange, "read_text", too_much)
    code, _out, err = capture(["import", str(plan), str(rows)])
    assert code == 2
    line = one_line(err)
    assert str(rows) in line and "too large" in line and "memory" in line and "nothing was changed" in line
    assert contents(plan) == before and not (tmp_path / "plan.egov.lock").exists()

    monkeypatch.setattr(rules, "assess_plan", too_much)
    code, _out, err = capture(["overdue", str(plan)])
    assert code == 2
    line = one_line(err)
    assert str(plan) in line and "too large" in line and "memory" in line
