"""Promise: the window and the command line open and recover a plan by the same decisions (model/store/opening.py).

What is offered for a plan in use, a crashed program's lock, a damaged file with or
without a good backup, and an older schema read while free or held — no Qt here.
"""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from egov_planner.model.service import PlanService
from egov_planner.model.store import SCHEMA_HEAD, DamagedPlan, NeedsUpgrade, NotAPlan, PlanInUse, ReadOnlyPlan
from egov_planner.model.store.backups import backup_plan, list_backups
from egov_planner.model.store.lock import lock_path_for, read_lock
from egov_planner.model.store.opening import (
    InUse,
    open_for_editing,
    open_for_reading,
    open_for_writing,
    recovery_for,
)
from tests.model.helpers.plans import (
    contents,
    digest,
    downgrade_to_0002,
    make_old_plan,
    make_plan,
    other_program_holding,
    overwrite_middle,
    query,
    random_bytes,
    schema_revision,
)


def left_lock(plan: Path, *, host: str, pid: int, heartbeat_age: float) -> None:
    """The lock file another program (on this machine or another) left on the plan."""
    now = time.time()
    record = {
        "user": "jill",
        "host": host,
        "pid": pid,
        "since": now - heartbeat_age - 3600,
        "heartbeat": now - heartbeat_age,
        "token": "0123456789abcdef",
    }
    lock_path_for(plan).write_text(json.dumps(record), encoding="utf-8")


def a_dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def refused_for_editing(plan: Path) -> PlanInUse:
    with pytest.raises(PlanInUse) as refused:
        open_for_editing(plan)
    return refused.value


# --- in use ---------------------------------------------------------------------------------------------------


def test_a_plan_a_live_program_is_editing_is_offered_read_only_and_never_taken_over(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "Ward plan.egov")
    with other_program_holding(plan) as other:
        offer = InUse(plan, refused_for_editing(plan).holder)
        assert not offer.may_take_over
        assert offer.line.startswith(f"Ward plan.egov is in use by {other.user} on {other.host} since ")
        assert offer.line.endswith("; it can be opened read-only.")
        with pytest.raises(PlanInUse):
            offer.take_over()
        with offer.open_read_only() as store:
            assert store.read_only
            with pytest.raises(ReadOnlyPlan, match=f"in use by {other.user} on {other.host}"):
                PlanService(store).add_objective("O9", "Never saved")


def test_a_crashed_programs_lock_is_offered_for_take_over(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    left_lock(plan, host=socket.gethostname(), pid=a_dead_pid(), heartbeat_age=5)
    offer = InUse(plan, refused_for_editing(plan).holder)
    assert offer.may_take_over
    assert offer.line.startswith(f"plan.egov was left open by jill on {socket.gethostname()} since ")
    assert offer.line.endswith(", and that program seems to have stopped (it may have crashed).")
    with offer.take_over() as store:
        assert not store.read_only
        PlanService(store).add_objective("O9", "Saved after the take-over")
        held = read_lock(lock_path_for(plan))
        assert held is not None and held.user != "jill"


def test_declining_a_take_over_reads_beside_the_stale_lock(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    left_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=3600)
    offer = InUse(plan, refused_for_editing(plan).holder)
    assert offer.may_take_over and "CITY-PC42" in offer.line
    with offer.open_read_only() as store:
        assert store.read_only and "in use by jill on CITY-PC42" in store.read_only_reason()


def test_the_command_line_takes_over_a_stale_lock_and_backs_up_on_opening(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    left_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=3600)
    with open_for_writing(plan) as store:
        assert not store.read_only and store.last_backup_at is not None
    (taken,) = list_backups(plan)
    assert taken.reason == "on open"
    left_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=1)  # a live one is never taken
    with pytest.raises(PlanInUse, match="in use by jill on CITY-PC42"):
        open_for_writing(plan)


# --- will not open --------------------------------------------------------------------------------------------


def test_a_damaged_plan_with_a_good_backup_is_offered_that_backup_by_name(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "Improvement plan.egov", objectives=6, actions_each=20)
    good = backup_plan(plan, reason="test")
    wanted = contents(plan)
    overwrite_middle(plan)
    damaged = plan.read_bytes()
    with pytest.raises(DamagedPlan) as refused:
        open_for_editing(plan)
    recovery = recovery_for(plan, refused.value)
    assert recovery.can_restore
    assert recovery.line.startswith(f"The newest good backup is {good} (taken ")
    command = f"egov-planner restore {shlex.quote(str(plan))} --from {shlex.quote(str(good))}"
    assert recovery.restore_command == command
    assert recovery.line_with_command == (
        f"{recovery.line.removesuffix('.')}; to bring it back (the damaged file is set aside, never deleted) "
        f"run: {command}"
    )
    assert plan.read_bytes() == damaged  # offering changes nothing
    result = recovery.restore()
    assert recovery.backup is not None
    assert recovery.restored(result) == (
        f"Improvement plan.egov was restored from the backup of {recovery.backup.label}. "
        "The damaged file is kept as Improvement plan.egov.damaged."
    )
    assert Path(f"{plan}.damaged").read_bytes() == damaged
    with open_for_editing(plan):
        pass
    assert contents(plan) == wanted


def test_a_damaged_plan_without_a_backup_of_its_own_says_there_is_none(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov", objectives=6, actions_each=20)
    # Another plan's copy in this plan's folder is never offered.
    (tmp_path / "plan.egov backups").mkdir()
    backup_plan(make_plan(tmp_path / "plan 2.egov"), to=tmp_path / "plan.egov backups")
    overwrite_middle(plan)
    before = digest(plan)
    with pytest.raises(DamagedPlan) as refused:
        open_for_reading(plan)
    recovery = recovery_for(plan, refused.value)
    assert not recovery.can_restore and recovery.restore_command is None
    assert recovery.line == f"No good backup of it was found in {tmp_path / 'plan.egov backups'}."
    assert recovery.line_with_command == recovery.line
    assert digest(plan) == before


def test_a_file_that_is_not_a_plan_and_has_no_backups_gets_no_backup_line(tmp_path: Path) -> None:
    """It may simply be the wrong file: talking of backups would mislead."""
    wrong = tmp_path / "holiday photo.egov"
    random_bytes(wrong)
    with pytest.raises(NotAPlan) as refused:
        open_for_editing(wrong)
    recovery = recovery_for(wrong, refused.value)
    assert (recovery.can_restore, recovery.line, recovery.line_with_command) == (False, "", "")


# --- older schema ---------------------------------------------------------------------------------------------


def test_an_older_plan_read_while_free_is_upgraded_after_a_backup_then_read_only(tmp_path: Path) -> None:
    plan = make_old_plan(tmp_path / "plan.egov")
    left_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=3600)  # a crashed program's: no obstacle
    with open_for_reading(plan) as store:
        assert store.read_only
        assert len(PlanService(store).snapshot().actions) == 9
    assert schema_revision(plan) != "0001"
    (taken,) = list_backups(plan)
    assert taken.reason == "before upgrade" and schema_revision(taken.path) == "0001"
    assert not lock_path_for(plan).exists()  # the upgrade's lock is given back


def test_a_0002_plan_opened_for_editing_gains_expected_dates_after_a_backup(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    downgrade_to_0002(plan)
    with open_for_editing(plan) as store:
        service = PlanService(store)
        first = service.snapshot().actions[0]
        service.update_action(first.id, first.version, expected=date(2004, 2, 29))
        assert service.snapshot().actions[0].expected == date(2004, 2, 29)
    assert schema_revision(plan) == SCHEMA_HEAD
    (taken,) = list_backups(plan)
    assert taken.reason == "before upgrade" and schema_revision(taken.path) == "0002"
    assert "expected" not in {row[1] for row in query(taken.path, "PRAGMA table_info(action)")}


def test_an_older_plan_someone_is_editing_is_not_upgraded_under_them(tmp_path: Path) -> None:
    plan = make_old_plan(tmp_path / "plan.egov")
    left_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=1)
    before = digest(plan)
    with pytest.raises(NeedsUpgrade, match="made by an older egov-planner and must be upgraded"):
        open_for_reading(plan)
    assert digest(plan) == before and schema_revision(plan) == "0001"
    assert not (tmp_path / "plan.egov backups").exists()
