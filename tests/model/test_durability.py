"""Promise: a committed change is never lost, a migration is old or new, files appear whole.

The writer is a real process killed with SIGKILL at random moments (while it
opens the plan, backs it up, commits, or between commits). After every kill
the plan is opened again as the program would open it, and everything the
writer acknowledged (printed after its commit returned) must be there, with
SQLite's integrity_check clean. Nothing here can simulate a power cut (that
needs the disk to lose its cache); SIGKILL proves the journal and commit
protocol the program relies on.
"""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from egov_planner.interchange import csv_common, export_file
from egov_planner.model.errors import PlanError
from egov_planner.model.safe_files import atomic_path, atomic_write_text
from egov_planner.model.service import PlanService
from egov_planner.model.store import (
    SCHEMA_HEAD,
    NewerSchema,
    PlanFileError,
    inspect_plan_file,
    open_plan,
)
from egov_planner.model.store.backups import default_backup_dir, list_backups, verify_copy
from egov_planner.model.store.lock import lock_path_for, read_lock
from tests.model.helpers.plans import (
    Round,
    contents,
    digest,
    integrity,
    make_old_plan,
    make_plan,
    query,
    refs,
    schema_revision,
    tables,
    writer_zygote,
)

KILLS = 60
BVPI_TABLES = {"service", "service_interaction"}


def hidden_temporaries(folder: Path) -> list[Path]:
    """atomic_path's temporaries: dot files beside their target."""
    return sorted(p for p in folder.iterdir() if p.name.startswith("."))


def every_backup_is_whole(plan: Path) -> list[Path]:
    """Every file named as a backup of plan opens and passes its checks; returns them."""
    found = [b.path for b in list_backups(plan, default_backup_dir(plan))]
    for backup in found:
        verify_copy(backup)  # raises PlanFileError for a half-written copy
    return found


def transaction_of(ref: str) -> str:
    """Which commit a ref was written in: K1-0 and A1-0 alone, B1-2 and B1-2.0… together."""
    return ref.split(".")[0]


def check_after_kill(plan: Path, result: Round, acknowledged: set[str]) -> None:
    assert not result.errors, result.errors
    assert result.killed, f"round {result.number} was not killed: {result.events[-3:]}"
    inspect_plan_file(plan)  # opens as the program does; a hot journal is rolled back
    assert integrity(plan) == ["ok"], f"round {result.number}: {integrity(plan)}"
    present = refs(plan)
    lost = acknowledged - present
    assert not lost, f"round {result.number} lost acknowledged changes: {sorted(lost)[:5]}"
    # Beyond what was acknowledged, at most the one commit that finished as the kill came.
    unacknowledged = {transaction_of(r) for r in present - acknowledged}
    assert len(unacknowledged) <= 1, f"round {result.number}: {sorted(unacknowledged)}"
    for batch in {transaction_of(r) for r in present if r.startswith("B")}:
        # a five-row import is one transaction: the objective and all five actions, or none
        assert {f"{batch}.{line}" for line in range(5)} <= present, batch
    every_backup_is_whole(plan)
    holder = read_lock(lock_path_for(plan))
    assert holder is None or holder.is_stale(), "a dead writer's lock must count as abandoned"


def test_every_acknowledged_change_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "improvement plan.egov")
    acknowledged = refs(plan)
    rounds: list[Round] = []
    chance = random.Random(20040112)
    with writer_zygote() as zygote:
        for number in range(KILLS):
            command = {"round": number, "do": "write", "plan": str(plan), "backup_on_open": number % 4 < 2}
            if number % 10 == 0:  # at once: while it opens the plan
                result = zygote.run(command, kill_after=0.0)
            elif number % 2 == 0:  # opening, backing up on open, or the first commits
                result = zygote.run(command, kill_after=chance.uniform(0.0, 0.1))
            else:  # after some commits, during (or just around) the next one
                result = zygote.run(
                    command, after_acks=chance.randint(1, 20), kill_after=chance.uniform(0.0, 0.004)
                )
            acknowledged |= set(result.acked)
            check_after_kill(plan, result, acknowledged)
            acknowledged |= refs(plan)  # an unacknowledged commit that made it is now history too
            rounds.append(result)
    # The kills landed everywhere: before the first commit and after many.
    assert sum(1 for r in rounds if not r.acked) >= 6
    assert sum(1 for r in rounds if len(r.acked) >= 10) >= 10
    # And the plan opens for editing afterwards, the last writer's lock taken over.
    with open_plan(plan, take_over_stale_lock=True) as store:
        assert store.integrity_problems() == []
        service = PlanService(store)
        assert {a.ref for a in service.actions()} | {o.ref for o in service.objectives()} == refs(plan)
        service.add_objective("AFTER", "Written after sixty crashes")
    assert "AFTER" in refs(plan)


def test_a_migration_killed_after_its_last_revision_leaves_the_old_plan(tmp_path: Path) -> None:
    plan = make_old_plan(tmp_path / "plan.egov")
    before = contents(plan)
    with writer_zygote() as zygote:
        result = zygote.run(
            {"round": 0, "do": "migrate", "plan": str(plan), "pause_after_revision": True},
            kill_on="migrated",
        )
    assert result.killed and "migrated 0" in result.events, result.events
    # Every revision had been applied, but not committed: the file is the old plan.
    assert Path(f"{plan}-journal").exists(), "the kill should have left a hot journal"
    assert schema_revision(plan) == "0001"
    assert not BVPI_TABLES & tables(plan)
    assert contents(plan) == before
    assert integrity(plan) == ["ok"]
    # The copy taken before the upgrade is there and is the old plan.
    (backup,) = every_backup_is_whole(plan)
    assert schema_revision(backup) == "0001" and contents(backup) == before
    # Opening again upgrades it whole.
    with open_plan(plan, take_over_stale_lock=True) as store:
        assert store.integrity_problems() == []
    assert schema_revision(plan) == SCHEMA_HEAD
    assert tables(plan) >= BVPI_TABLES
    assert contents(plan) == before


def test_a_migration_killed_at_any_moment_is_old_or_new_never_half(tmp_path: Path) -> None:
    template = make_old_plan(tmp_path / "template.egov")
    before = contents(template)
    outcomes: list[str] = []
    with writer_zygote() as zygote:
        # How long an upgrade takes here, so the kills spread over all of it.
        for warm_up in (0, 0):  # the second run is timed: the first includes the zygote's start
            clean = tmp_path / f"clean {warm_up}" / "plan.egov"
            clean.parent.mkdir(exist_ok=True)
            shutil.copyfile(template, clean)
            started = time.monotonic()
            result = zygote.run({"round": 0, "do": "migrate", "plan": str(clean)})
            duration = time.monotonic() - started
            assert result.exit_code == 0 and not result.errors, result.events
            assert schema_revision(clean) == SCHEMA_HEAD
            shutil.rmtree(clean.parent)
        kills = 14
        for number in range(1, kills + 1):
            folder = tmp_path / f"round {number}"
            folder.mkdir()
            plan = folder / "plan.egov"
            shutil.copyfile(template, plan)
            # From the start to well past the end (an upgrade's time varies with the disk).
            moment = duration * 2.0 * (number - 1) / (kills - 1)
            result = zygote.run({"round": number, "do": "migrate", "plan": str(plan)}, kill_after=moment)
            assert not result.errors, result.errors
            revision = schema_revision(plan)  # a plain connection rolls back a hot journal
            if revision == "0001":
                assert not BVPI_TABLES & tables(plan), f"round {number}: half a migration"
                outcomes.append("old")
            else:
                assert revision == SCHEMA_HEAD and tables(plan) >= BVPI_TABLES, f"round {number}"
                assert query(plan, "SELECT value FROM meta WHERE key = 'needs_program'")
                outcomes.append("new")
            assert integrity(plan) == ["ok"], f"round {number}"
            assert contents(plan) == before, f"round {number}: the data changed"
            every_backup_is_whole(plan)
            with open_plan(plan, take_over_stale_lock=True) as store:  # and it still opens
                assert store.integrity_problems() == []
            assert schema_revision(plan) == SCHEMA_HEAD and contents(plan) == before
    assert "old" in outcomes and "new" in outcomes, outcomes


def test_a_plan_is_backed_up_before_it_is_upgraded(tmp_path: Path) -> None:
    plan = make_old_plan(tmp_path / "plan.egov")
    before = contents(plan)
    with open_plan(plan):
        pass
    (backup,) = every_backup_is_whole(plan)
    assert schema_revision(backup) == "0001" and contents(backup) == before
    assert schema_revision(plan) == SCHEMA_HEAD and contents(plan) == before


def test_an_upgrade_that_would_break_references_changes_nothing(tmp_path: Path) -> None:
    plan = make_old_plan(tmp_path / "plan.egov")
    connection = sqlite3.connect(plan)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("UPDATE action SET objective_id = 999 WHERE ref = 'A1.1'")
    connection.commit()
    connection.close()
    before = digest(plan)
    with pytest.raises(PlanFileError) as refused:
        open_plan(plan)
    assert str(refused.value) == (
        "plan.egov cannot be upgraded: it holds 1 broken reference "
        "(action A1.1: objective_id 999 points to a missing objective); nothing was changed"
    )
    assert digest(plan) == before
    assert not lock_path_for(plan).exists()


def test_a_plan_from_a_newer_program_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    connection = sqlite3.connect(plan)
    connection.execute("UPDATE alembic_version SET version_num = '0007'")
    connection.execute("UPDATE meta SET value = '2.3.0' WHERE key = 'needs_program'")
    connection.commit()
    connection.close()
    before = digest(plan)
    for attempt in (
        lambda: open_plan(plan),
        lambda: open_plan(plan, read_only=True),
        lambda: open_plan(plan, take_over_stale_lock=True, backup_on_open=True),
    ):
        with pytest.raises(NewerSchema) as refused:
            attempt()
        assert str(refused.value) == (
            "plan.egov was written by a newer version of egov-planner (schema 0007); "
            "it needs egov-planner 2.3.0 or newer. The file has not been changed."
        )
    assert digest(plan) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.egov"]  # no lock, no backup folder


# --- files appear whole: atomic_path -------------------------------------------------------


def test_a_csv_export_killed_mid_file_leaves_the_old_file_or_a_whole_one(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=10, actions_each=30)
    action_count = len(query(plan, "SELECT id FROM action"))
    target = tmp_path / "exports" / "actions.csv"
    target.parent.mkdir()
    old = b"an older export the office relies on\r\n"
    outcomes = []
    with writer_zygote() as zygote:
        for warm_up in (0, 0):  # the second run is timed: the first includes the zygote's start
            started = time.monotonic()
            result = zygote.run({"round": warm_up, "do": "export", "plan": str(plan), "target": str(target)})
            duration = time.monotonic() - started
            assert result.exit_code == 0 and not result.errors, result.events
        for number in range(1, 9):
            if number % 2:
                target.write_bytes(old)
            else:
                target.unlink(missing_ok=True)
            moment = duration * 1.2 * (number - 0.5) / 8
            result = zygote.run(
                {"round": number, "do": "export", "plan": str(plan), "target": str(target)},
                kill_after=moment,
            )
            assert not result.errors, result.errors
            if not target.exists():
                outcomes.append("absent")
                assert number % 2 == 0
                continue
            if target.read_bytes() == old:
                outcomes.append("old")
                continue
            rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
            assert rows[0][:3] == ["objective_ref", "objective", "action_ref"], rows[0]
            assert len(rows) == 1 + action_count, f"round {number}: a truncated export"
            outcomes.append("whole")
    assert {"old", "absent"} & set(outcomes), outcomes  # some kills landed before the rename


def test_a_backup_killed_mid_copy_never_leaves_a_half_backup(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=10, actions_each=30)
    chance = random.Random(7)
    made = 0
    with writer_zygote() as zygote:
        for number in range(8):
            result = zygote.run(
                {"round": number, "do": "backup", "plan": str(plan)}, kill_after=chance.uniform(0, 0.2)
            )
            assert result.killed and not result.errors, result.events
            made += sum(1 for e in result.events if e.startswith("backed-up"))
            for backup in every_backup_is_whole(plan):
                assert contents(backup) == contents(plan)
    assert made > 8


def test_an_export_that_fails_leaves_the_old_file_and_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "actions.csv"
    target.write_bytes(b"yesterday's export\r\n")
    fresh = folder / "new.csv"
    calls = 0
    real = csv_common.make_cell_safe

    def disk_full_after_a_while(value: str) -> str:
        nonlocal calls
        calls += 1
        if calls > 40:
            raise OSError(28, "No space left on device")
        return real(value)

    monkeypatch.setattr(csv_common, "make_cell_safe", disk_full_after_a_while)
    with open_plan(plan, read_only=True) as store:
        for destination in (target, fresh):
            calls = 0
            with pytest.raises(OSError, match="No space left"):
                export_file(PlanService(store), destination, "actions")
    assert target.read_bytes() == b"yesterday's export\r\n"
    assert not fresh.exists()
    assert hidden_temporaries(folder) == []


def test_atomic_files_appear_whole_with_the_permissions_of_any_saved_file(tmp_path: Path) -> None:
    import os

    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "report.pdf"
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_bytes(b"%PDF-1.4 half a report")
        raise RuntimeError("the printer driver crashed")
    assert not target.exists() and hidden_temporaries(tmp_path) == []
    atomic_write_text(target, "whole")
    assert target.read_text() == "whole"
    # Not mkstemp's 0600: colleagues sharing the folder can open what we save.
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    atomic_write_text(target, "replaced")
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions
    assert hidden_temporaries(tmp_path) == []


def test_a_report_that_fails_half_way_leaves_the_old_pdf_and_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from egov_planner.reports import build_report

    plan = make_plan(tmp_path / "plan.egov")
    folder = tmp_path / "packs"
    folder.mkdir()
    target = folder / "cabinet pack.pdf"
    target.write_bytes(b"%PDF-1.4 last month's pack")
    pages = 0
    real = Canvas.showPage

    def printer_jams(canvas: Canvas) -> None:
        nonlocal pages
        pages += 1
        if pages == 2:
            raise OSError(28, "No space left on device")
        real(canvas)

    monkeypatch.setattr(Canvas, "showPage", printer_jams)
    with open_plan(plan, read_only=True) as store, pytest.raises((OSError, PlanError), match="No space"):
        # reports may wrap the OSError as a ReportError
        build_report(PlanService(store).snapshot(), target, protect=plan)
    assert pages == 2, "the failure should come half way through the pack"
    assert target.read_bytes() == b"%PDF-1.4 last month's pack"
    assert hidden_temporaries(folder) == []


def test_no_other_program_can_change_a_plan_while_it_is_being_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inspection's read lock holds to the end (a file read by open()/close() in the middle drops it)."""
    from egov_planner.model.store import files

    plan = make_plan(tmp_path / "checked.egov", 1, 1)
    writes_refused: list[bool] = []
    real_connection = files._inspection_connection

    class Watched:
        def __init__(self, connection: sqlite3.Connection) -> None:
            self.connection = connection

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA quick_check"):  # the last, longest step: another program tries to write now
                writer = subprocess.run(
                    [sys.executable, "-c", (
                        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None); "
                        "c.execute('BEGIN IMMEDIATE'); c.execute(\"INSERT INTO meta(key, value) VALUES ('x', 'y')\"); "
                        "c.execute('COMMIT')"
                    ), str(plan)],
                    capture_output=True, text=True, timeout=60,
                )
                writes_refused.append(writer.returncode != 0 and "locked" in writer.stderr)
            return self.connection.execute(sql, *args)

        def close(self) -> None:
            self.connection.close()

    monkeypatch.setattr(files, "_inspection_connection", lambda path: Watched(real_connection(path)))
    inspect_plan_file(plan)
    assert writes_refused == [True], "another program committed to the plan in the middle of its check"
