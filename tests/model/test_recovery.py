"""Promise: a damaged plan is recognised when opened, kept aside untouched, and a good backup offered."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from egov_planner.model.service import PlanService
from egov_planner.model.store import (
    DamagedPlan,
    NotAPlan,
    PlanFileError,
    create_plan,
    inspect_plan_file,
    open_plan,
)
from egov_planner.model.store.backups import (
    backup_plan,
    newest_good_backup,
    restore_plan,
    set_aside_damaged,
    verify_copy,
)
from tests.model.helpers.plans import (
    contents,
    digest,
    integrity,
    make_plan,
    other_program_holding,
    other_programs_database,
    overwrite_middle,
    random_bytes,
    refs,
    truncate_half,
)

DAMAGE: dict[str, tuple[Callable[[Path], object], type[PlanFileError], str]] = {
    "bad pages in the middle": (
        overwrite_middle,
        DamagedPlan,
        r"^plan\.egov is damaged: ",
    ),
    "truncated": (
        truncate_half,
        DamagedPlan,
        r"^plan\.egov is damaged: .*(truncated|malformed)",
    ),
    "random bytes": (
        random_bytes,
        NotAPlan,
        r"^plan\.egov is not an egov-planner plan \(it is not a database file\)$",
    ),
    "zero length": (
        lambda path: path.write_bytes(b""),
        NotAPlan,
        r"^plan\.egov is an empty file, not a plan$",
    ),
    "another program's database": (
        lambda path: other_programs_database(path, replacing=True),
        NotAPlan,
        r"^plan\.egov is another program's database, not an egov-planner plan "
        r"\(it holds tables: invoices\)$",
    ),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_plan_is_recognised_on_opening_and_left_untouched(
    tmp_path: Path, kind: str
) -> None:
    damage, error, message = DAMAGE[kind]
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    damage(plan)
    before = digest(plan)
    for attempt in (
        lambda: open_plan(plan),
        lambda: open_plan(plan, read_only=True),
        lambda: open_plan(plan, allow_read_only_fallback=True, take_over_stale_lock=True),
        lambda: open_plan(plan, backup_on_open=True),
        lambda: inspect_plan_file(plan),
    ):
        with pytest.raises(error, match=message) as refused:
            attempt()
        assert "\n" not in str(refused.value)
    assert digest(plan) == before
    # Nothing was written beside it either: no lock, no backup of a damaged file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.egov"]


def test_a_damaged_plan_never_becomes_a_backup(tmp_path: Path) -> None:
    """A damaged file never becomes a 'good' backup that would push out the real ones."""
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    good = backup_plan(plan)
    overwrite_middle(plan)
    with pytest.raises(PlanFileError):
        backup_plan(plan)
    assert [p.name for p in (tmp_path / "plan.egov backups").iterdir()] == [good.name]


def test_the_newest_good_backup_is_offered_skipping_damaged_copies(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    now = datetime.now()
    older = backup_plan(plan, now=now - timedelta(hours=3))
    with open_plan(plan) as store:
        PlanService(store).add_objective("O9", "Added before the good copy")
    good = backup_plan(plan, now=now - timedelta(hours=2))
    with open_plan(plan) as store:
        PlanService(store).add_objective("O10", "Added after the good copy")
    newest = backup_plan(plan, now=now - timedelta(hours=1))
    overwrite_middle(newest)  # the newest copy went bad on the disk
    # Another plan's copies in the same folder are never offered.
    other = make_plan(tmp_path / "plan 2.egov")
    backup_plan(other, to=tmp_path / "plan.egov backups", now=now)
    overwrite_middle(plan)
    offered = newest_good_backup(plan)
    assert offered is not None and offered.path == good
    assert "O9" in refs(offered.path)
    assert older.exists()
    with pytest.raises(PlanFileError):
        verify_copy(newest)


def test_restoring_over_a_damaged_plan_sets_it_aside_and_never_overwrites_it(
    tmp_path: Path,
) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    good = backup_plan(plan)
    expected = contents(plan)
    overwrite_middle(plan, seed=1)
    first_damage = plan.read_bytes()
    result = restore_plan(plan, good)
    assert result.previous_was_damaged and result.previous_saved_as == tmp_path / "plan.egov.damaged"
    assert (tmp_path / "plan.egov.damaged").read_bytes() == first_damage
    assert contents(plan) == expected
    # It happens again: the first damaged file is kept, the second gets its own name.
    overwrite_middle(plan, seed=2)
    second_damage = plan.read_bytes()
    again = restore_plan(plan, good)
    assert again.previous_saved_as == tmp_path / "plan.egov.damaged2"
    assert (tmp_path / "plan.egov.damaged").read_bytes() == first_damage
    assert (tmp_path / "plan.egov.damaged2").read_bytes() == second_damage
    with open_plan(plan) as store:
        assert store.integrity_problems() == []


def test_setting_aside_keeps_the_journal_with_the_damaged_file(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    Path(f"{plan}-journal").write_bytes(b"a crashed writer's journal")
    aside = set_aside_damaged(plan)
    assert not plan.exists() and not Path(f"{plan}-journal").exists()
    assert Path(f"{aside}-journal").read_bytes() == b"a crashed writer's journal"


@pytest.mark.parametrize("name", ["Plan #2.egov", "Plan 50% review.egov", "What now?.egov", "Plan %41.egov"])
def test_unusual_file_names_open_the_right_file(tmp_path: Path, name: str) -> None:
    """Before the fix, 'Plan #2.egov' opened (and created) 'Plan ' and was called empty."""
    plan = tmp_path / name
    create_plan(plan)
    with open_plan(plan, backup_on_open=True) as store:
        PlanService(store).add_objective("O1", "Reachable")
    with open_plan(plan, read_only=True) as store:
        assert [o.ref for o in PlanService(store).objectives()] == ["O1"]
    best = newest_good_backup(plan)
    assert best is not None
    restore_plan(plan, best.path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [name, f"{plan.name} backups"]
    )


def test_a_crashed_writers_journal_is_rolled_back_on_opening(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    before = contents(plan)
    original = plan.read_bytes()
    # A writer died mid-commit: the journal holds the old pages, the file some new ones.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shutil.copyfile(plan, scratch / "plan.egov")
    connection = sqlite3.connect(scratch / "plan.egov", isolation_level=None)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA cache_size = 1")  # spill pages to the file before commit
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE action SET title = 'half written ' || hex(randomblob(500))")
    assert (scratch / "plan.egov").read_bytes() != original, "pages should have reached the file"
    shutil.copyfile(scratch / "plan.egov", plan)
    shutil.copyfile(scratch / "plan.egov-journal", Path(f"{plan}-journal"))
    connection.execute("ROLLBACK")
    connection.close()
    with open_plan(plan) as store:
        assert store.integrity_problems() == []
    assert contents(plan) == before
    assert not Path(f"{plan}-journal").exists()


def test_a_plan_being_written_by_another_program_is_never_called_damaged(tmp_path: Path) -> None:
    """Inspecting while the other program commits: its journal comes and goes, its file grows."""
    plan = make_plan(tmp_path / "plan.egov")
    looks = 0
    with other_program_holding(plan, mode="write") as other:
        reader = threading.Thread(target=lambda: list(iter(other.read_line, "closed")))
        reader.start()
        try:
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:
                inspect_plan_file(plan, deep=looks % 10 == 0)  # raises on a false alarm
                looks += 1
        finally:
            other.stop()
            reader.join(timeout=20)
    assert looks > 100
    assert integrity(plan) == ["ok"]
