"""Promise: verified backups in "<plan file name> backups" beside the plan, rotated, and restorable."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from egov_planner.model.service import PlanService
from egov_planner.model.store import PlanFileError, PlanInUse, open_plan
from egov_planner.model.store import backups as backups_module
from egov_planner.model.store.backups import (
    Backup,
    backup_plan,
    backups_to_keep,
    list_backups,
    newest_good_backup,
    restore_plan,
    save_copy,
    verify_copy,
)
from tests.model.helpers.plans import (
    contents,
    digest,
    integrity,
    make_plan,
    other_program_holding,
    query,
    refs,
)

STAMP = "%Y%m%d-%H%M%S-%f"


def backups_beside(plan: Path) -> list[Path]:
    folder = plan.parent / f"{plan.name} backups"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_opening_backs_up_beside_the_plan_then_every_30_minutes_while_it_changes(
    tmp_path: Path,
) -> None:
    plan = make_plan(tmp_path / "Improvement plan 2004.egov")
    start = datetime.now()
    with open_plan(plan, backup_on_open=True) as store:
        (first,) = backups_beside(plan)
        assert first.parent.name == "Improvement plan 2004.egov backups"
        assert contents(first) == contents(plan)
        assert store.backup_if_due(start + timedelta(hours=1)) is None  # nothing changed yet
        service = PlanService(store)
        service.add_objective("O9", "Changed after opening")
        assert store.backup_if_due(start + timedelta(minutes=10)) is None  # too soon
        second = store.backup_if_due(start + timedelta(minutes=31))
        assert second is not None and "O9" in refs(second)
        assert store.backup_if_due(start + timedelta(hours=3)) is None  # no change since
        service.add_objective("O10", "And again")
        assert store.backup_if_due(start + timedelta(minutes=50)) is None  # 19 minutes after
        third = store.backup_if_due(start + timedelta(minutes=62))
        assert third is not None and "O10" in refs(third)
    assert len(backups_beside(plan)) == 3
    for backup in backups_beside(plan):
        verify_copy(backup)


def test_a_periodic_backup_that_failed_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    start = datetime.now()
    with open_plan(plan) as store:
        PlanService(store).add_objective("O9", "A change to back up")
        real = backups_module.take_backup

        def drive_unplugged(*args: object, **kwargs: object) -> Path:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(backups_module, "take_backup", drive_unplugged)
        with pytest.raises(OSError):
            store.backup_if_due(start + timedelta(minutes=31))
        monkeypatch.setattr(backups_module, "take_backup", real)
        # The change is still not backed up, so the next chance takes it.
        retried = store.backup_if_due(start + timedelta(minutes=32))
        assert retried is not None and "O9" in refs(retried)


def test_the_backup_folder_can_be_moved(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    with open_plan(plan) as store:
        PlanService(store).set_backup_folder("Backups of the plan")
    copy = backup_plan(plan)
    assert copy.parent == tmp_path / "Backups of the plan"
    elsewhere = tmp_path / "shared drive" / "plan copies"
    with open_plan(plan, backup_on_open=True) as store:
        PlanService(store).set_backup_folder(str(elsewhere))
    later = backup_plan(plan)
    assert later.parent == elsewhere
    best = newest_good_backup(plan)
    assert best is not None and best.path == later


def test_a_backup_taken_while_another_program_writes_is_whole(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=5, actions_each=20)
    acknowledged: list[tuple[float, str]] = []
    copies: list[tuple[float, Path]] = []
    (tmp_path / "copies").mkdir()
    with other_program_holding(plan, mode="write") as other:

        def collect() -> None:
            while (line := other.read_line()) and line != "closed":
                if line.startswith("ack "):
                    acknowledged.append((time.monotonic(), line.split()[1]))

        reader = threading.Thread(target=collect)
        reader.start()
        try:
            for number in range(6):
                # Each copy waits for a few more commits, however slowly a busy machine runs the writer.
                wanted = len(acknowledged) + 4
                deadline = time.monotonic() + 60
                while len(acknowledged) < wanted:
                    assert time.monotonic() < deadline, "the other program stopped writing"
                    time.sleep(0.01)
                started = time.monotonic()
                when = datetime.now() + timedelta(seconds=number)
                copies.append((started, backup_plan(plan, to=tmp_path / "copies", now=when)))
        finally:
            other.stop()
            reader.join(timeout=20)
    assert len(acknowledged) > 20, "the other program should have been writing throughout"
    for started, copy in copies:
        assert integrity(copy) == ["ok"]
        verify_copy(copy)
        promised = {ref for moment, ref in acknowledged if moment < started}
        assert promised <= refs(copy), "a copy lacks a change committed before it began"
    # The copies were taken at different moments of the writing, not all before it.
    assert len({len(refs(copy)) for _, copy in copies}) > 1


# --- rotation ------------------------------------------------------------------------------


def synthetic(moments: list[datetime]) -> list[Backup]:
    return [Backup(Path(f"plan-{m.strftime(STAMP)}.egov"), m) for m in moments]


def newest_per(
    backups: list[Backup], key: Callable[[datetime], Any], how_many: int
) -> set[Path]:
    """The newest backup in each of the how_many most recent periods (days, months) that have one."""
    best: dict[Any, Backup] = {}
    for backup in backups:
        period = key(backup.taken_at)
        if period not in best or backup.taken_at > best[period].taken_at:
            best[period] = backup
    periods = sorted(best, reverse=True)[:how_many]
    return {best[p].path for p in periods}


def test_rotation_keeps_the_last_10_one_a_day_for_14_days_one_a_month_for_12() -> None:
    now = datetime(2004, 6, 15, 12, 0)
    moments = []
    moment = datetime(2003, 1, 1)
    while moment <= now:  # every six hours for eighteen months
        moments.append(moment)
        moment += timedelta(hours=6)
    backups = synthetic(moments)
    keep = backups_to_keep(list(reversed(backups)), now)
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    last_ten = {b.path for b in newest_first[:10]}
    days = {
        max((b for b in backups if b.taken_at.date() == day), key=lambda b: b.taken_at).path
        for day in (now.date() - timedelta(days=back) for back in range(14))
    }
    months = set()
    year, month = now.year, now.month
    for _ in range(12):
        in_month = [b for b in backups if (b.taken_at.year, b.taken_at.month) == (year, month)]
        months.add(max(in_month, key=lambda b: b.taken_at).path)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    assert keep == last_ten | days | months
    # Concretely: the last 10 are the last two and a half days; the oldest kept copy is
    # the end of July 2003; nothing from June 2003 or before.
    assert min(b.taken_at for b in backups if b.path in keep) == datetime(2003, 7, 31, 18, 0)
    assert len(keep) == 10 + 11 + 11  # today's and the two latest days' copies overlap the last 10


def test_rotation_for_a_plan_changed_once_a_week_keeps_fourteen_weeks() -> None:
    """Days and months count only those with a copy: a quiet plan keeps more history."""
    now = datetime(2004, 6, 15, 9, 0)
    moments = [datetime(2002, 1, 7, 9, 0) + timedelta(weeks=w) for w in range(128)]
    backups = synthetic([m for m in moments if m <= now])
    keep = backups_to_keep(backups, now)
    expected = newest_per(backups, lambda t: t.date(), 14) | newest_per(
        backups, lambda t: (t.year, t.month), 12
    )
    assert keep == expected
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    assert {b.path for b in newest_first[:14]} <= keep


def test_backing_up_prunes_only_this_plans_copies_the_rotation_drops(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    folder = tmp_path / "plan.egov backups"
    folder.mkdir()
    (tmp_path / "template").mkdir()
    template = backup_plan(plan, to=tmp_path / "template")
    now = datetime.now()
    old = [now - timedelta(days=d, hours=1) for d in range(1, 60)]
    for moment in old:
        shutil.copyfile(template, folder / f"plan.egov-{moment.strftime(STAMP)}.egov")
    with open_plan(plan) as store:  # changed since the template, so a new copy is taken
        PlanService(store).add_objective("O9", "A change to back up")
    others = [
        folder / f"plan 2.egov-{now.strftime(STAMP)}.egov",  # another plan's copy
        folder / "notes about the backups.txt",
    ]
    for path in others:
        path.write_text("not ours to delete")
    before = list_backups(plan, folder)
    newest = backup_plan(plan, now=now)
    after = list_backups(plan, folder)
    expected = backups_to_keep([Backup(newest, now), *before], now)
    assert {b.path for b in after} == expected
    assert len(after) < len(before)
    assert all(path.exists() for path in others)


def test_no_copy_is_pruned_unless_the_new_one_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    folder = tmp_path / "plan.egov backups"
    folder.mkdir()
    now = datetime.now()
    for days in range(1, 60):
        (folder / f"plan.egov-{(now - timedelta(days=days)).strftime(STAMP)}.egov").write_bytes(b"old")
    before = sorted(folder.iterdir())

    def fails_its_check(path: Path) -> None:
        raise PlanFileError("the copy failed its integrity check: page 7 is never used")

    monkeypatch.setattr(backups_module, "verify_copy", fails_its_check)
    with pytest.raises(PlanFileError, match="integrity check"):
        backup_plan(plan, now=now)
    assert sorted(folder.iterdir()) == before  # nothing pruned, no half copy, no temporary


def test_temporaries_left_by_a_killed_backup_are_cleared_an_hour_later(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    folder = tmp_path / "plan.egov backups"
    folder.mkdir()
    stamp = datetime.now().strftime(STAMP)
    stale = folder / f".plan.egov-{stamp}.egov.0a1b2c3d.tmp"
    stale_journal = folder / f".plan.egov-{stamp}.egov.0a1b2c3d.tmp-journal"
    fresh = folder / f".plan.egov-{stamp}.egov.99999999.tmp"  # perhaps another program's copy, now
    for path in (stale, stale_journal, fresh):
        path.write_bytes(b"half a copy")
    hour_ago = time.time() - 3700
    for path in (stale, stale_journal):
        os.utime(path, (hour_ago, hour_ago))
    backup_plan(plan)
    assert not stale.exists() and not stale_journal.exists()
    assert fresh.exists()


# --- restore -------------------------------------------------------------------------------


def test_restore_backs_up_the_current_file_first(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    good = backup_plan(plan, now=datetime.now() - timedelta(hours=2))
    old_contents = contents(plan)
    with open_plan(plan) as store:
        PlanService(store).add_objective("O9", "Added after the backup")
    current = contents(plan)
    result = restore_plan(plan, good)
    assert contents(plan) == old_contents
    assert result.previous_saved_as is not None and not result.previous_was_damaged
    assert result.previous_saved_as.parent == tmp_path / "plan.egov backups"
    assert contents(result.previous_saved_as) == current  # the newer work is not lost
    assert good.exists()
    assert not (tmp_path / "plan.egov.lock").exists()
    with open_plan(plan) as store:
        assert store.integrity_problems() == []


def test_restoring_a_copy_the_rotation_would_drop_keeps_that_copy(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    morning = datetime.now().replace(hour=8, minute=0) - timedelta(days=1)
    copies = []
    for number in range(11):  # eleven copies in one day: the 11th newest is due to go
        with open_plan(plan) as store:
            PlanService(store).add_objective(f"M{number}", f"Morning change {number}")
        copies.append(backup_plan(plan, now=morning + timedelta(minutes=number)))
    wanted = copies[1]  # the 10th newest: one more backup pushes it out of the rotation
    wanted_contents = contents(wanted)
    result = restore_plan(plan, wanted)
    assert contents(plan) == wanted_contents
    assert wanted.exists(), "restoring a copy must not delete it"
    assert result.previous_saved_as is not None and result.previous_saved_as.exists()


def test_restore_is_refused_while_the_plan_is_open_elsewhere(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    good = backup_plan(plan)
    with other_program_holding(plan) as other:
        before = digest(plan)
        with pytest.raises(PlanInUse, match=f"in use by {other.user} on {other.host}"):
            restore_plan(plan, good)
        assert digest(plan) == before


def test_restore_refuses_a_file_that_is_not_a_good_plan(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    bad = tmp_path / "plan-20040112-091500-000000.egov"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = digest(plan)
    with pytest.raises(PlanFileError):
        restore_plan(plan, bad)
    assert digest(plan) == before
    assert backups_beside(plan) == []  # refused before anything was touched


def test_save_a_copy_is_whole_and_never_the_plan_itself(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    copy = save_copy(plan, tmp_path / "for the auditors.egov")
    assert contents(copy) == contents(plan) and integrity(copy) == ["ok"]
    with pytest.raises(PlanFileError, match="different file"):
        save_copy(plan, tmp_path / "." / "plan.egov")
    assert query(plan, "PRAGMA application_id") == query(copy, "PRAGMA application_id")


def test_each_backup_says_why_it_was_taken_and_the_plan_itself_is_unchanged(tmp_path):
    from egov_planner.interchange.demo import write_demo
    from egov_planner.model.store.backups import backup_plan, list_backups

    plan = tmp_path / "plan.egov"
    write_demo(plan)
    before = plan.read_bytes()
    backup_plan(plan, reason="before upgrade", now=datetime(2004, 1, 12, 9, 0))
    assert plan.read_bytes() == before
    with open_plan(plan) as store:
        PlanService(store).add_objective("O9", "A change between the copies")
    backup_plan(plan, now=datetime(2004, 1, 12, 10, 0))
    reasons = [b.reason for b in list_backups(plan)]
    assert reasons == ["", "before upgrade"]
