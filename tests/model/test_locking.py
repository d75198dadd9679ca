"""Promise: one writer at a time, and everyone else is told who has the plan.

"Another program" here is a real second process (helpers/holder.py) or, for
another machine on a shared drive, the lock file such a machine writes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from egov_planner.model.errors import PlanError
from egov_planner.model.import_rows import ActionImportRow
from egov_planner.model.service import PlanService
from egov_planner.model.store import PlanInUse, ReadOnlyPlan, open_plan
from egov_planner.model.store import lock as lock_module
from egov_planner.model.store.lock import PlanLock, lock_path_for, read_lock
from tests.model.helpers.plans import contents, digest, make_plan, other_program_holding


def write_lock(
    plan: Path, *, host: str, pid: int, heartbeat_age: float, user: str = "jill"
) -> None:
    """The lock file another program (perhaps on another machine) would have left."""
    now = time.time()
    lock_path_for(plan).write_text(
        json.dumps(
            {
                "user": user,
                "host": host,
                "pid": pid,
                "since": now - heartbeat_age - 3600,
                "heartbeat": now - heartbeat_age,
                "token": "0123456789abcdef",
            }
        ),
        encoding="utf-8",
    )


def a_dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_a_second_program_is_told_who_has_the_plan_and_since_when(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    with other_program_holding(plan) as other:
        with pytest.raises(PlanInUse) as refused:
            open_plan(plan)
        holder = refused.value.holder
        assert (holder.user, holder.host) == (other.user, other.host)
        assert holder.pid == other.process.pid
        message = str(refused.value)
        assert message.startswith(f"plan.egov is in use by {other.user} on {other.host} since ")
        assert time.strftime("%d/%m/%Y") in message
        assert "abandoned" not in message
        # Taking over is only for crashed programs: a live holder keeps the plan.
        with pytest.raises(PlanInUse):
            open_plan(plan, take_over_stale_lock=True)
    # Once it closes the plan, the lock is gone and the plan opens for editing.
    assert not lock_path_for(plan).exists()
    with open_plan(plan) as store:
        assert not store.read_only


def test_read_only_while_in_use_every_edit_refused_naming_the_holder(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    before = contents(plan)
    with other_program_holding(plan) as other:
        unchanged = digest(plan)
        with open_plan(plan, allow_read_only_fallback=True) as store:
            assert store.read_only
            assert store.in_use_by is not None and store.in_use_by.user == other.user
            service = PlanService(store)
            first = service.actions()[0]
            assert service.snapshot().actions  # reading works
            edits = [
                lambda: service.add_objective("O9", "Sneaked in"),
                lambda: service.update_action(first.id, title="Changed while read-only"),
                lambda: service.delete_action(first.id),
                lambda: service.set_status_date(date(2004, 1, 12)),
                lambda: service.set_backup_folder("elsewhere"),
                lambda: service.import_actions(
                    [
                        ActionImportRow(
                            row=2,
                            objective_ref="O1",
                            action_ref="A9.9",
                            action="x",
                            due=date(2004, 5, 1),
                        )
                    ]
                ),
            ]
            for edit in edits:
                with pytest.raises(ReadOnlyPlan) as refused:
                    edit()
                assert isinstance(refused.value, PlanError)  # shown like any refused change
                assert str(refused.value) == (
                    f"plan.egov is open read-only: it is in use by {other.user} on {other.host} "
                    f"since {store.in_use_by.since_text}; nothing was changed"
                )
        assert digest(plan) == unchanged
    assert contents(plan) == before


def test_a_reader_keeps_reading_while_the_other_program_writes(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    with other_program_holding(plan, mode="write") as other:
        with open_plan(plan, allow_read_only_fallback=True) as store:
            service = PlanService(store)
            seen = [len(service.objectives())]
            deadline = time.monotonic() + 10
            while len(set(seen)) < 5 and time.monotonic() < deadline:
                seen.append(len(service.objectives()))
        other.read_line()  # it is still writing
    # Each read saw a whole, newer state: never blocked for long, never going back.
    assert seen == sorted(seen) and len(set(seen)) >= 5, seen


def test_a_lock_left_by_a_crashed_program_on_this_machine_is_taken_over(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    write_lock(plan, host=socket.gethostname(), pid=a_dead_pid(), heartbeat_age=1)
    with pytest.raises(PlanInUse, match="it looks abandoned"):
        open_plan(plan)  # told, not silently taken
    with open_plan(plan, take_over_stale_lock=True) as store:
        assert not store.read_only
        current = read_lock(lock_path_for(plan))
        assert current is not None and current.pid == os.getpid()
        PlanService(store).add_objective("O9", "Written after taking over")
    assert not lock_path_for(plan).exists()


def test_a_lock_from_another_machine_is_respected_while_its_heartbeat_beats(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    write_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=30, user="jill")
    with pytest.raises(
        PlanInUse,
        match=r"^plan.egov is in use by jill on CITY-PC42 since \d\d/\d\d/\d{4} \d\d:\d\d$",
    ):
        open_plan(plan, take_over_stale_lock=True)
    # Its heartbeat stopped two minutes ago: that machine crashed or lost the drive.
    write_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=lock_module.STALE_AFTER_SECONDS + 5)
    with open_plan(plan, take_over_stale_lock=True) as store:
        assert not store.read_only


def test_the_heartbeat_keeps_a_live_lock_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    monkeypatch.setattr(lock_module, "HEARTBEAT_SECONDS", 0.05)
    lock = PlanLock.acquire(plan)
    try:
        first = read_lock(lock.path)
        assert first is not None
        deadline = time.monotonic() + 10  # the heartbeat thread may wait its turn on a busy machine
        while (later := read_lock(lock.path)) is not None and later.heartbeat == first.heartbeat:
            assert time.monotonic() < deadline, "the heartbeat never freshened the lock"
            time.sleep(0.01)
        assert later is not None and later.token == first.token
        assert later.heartbeat > first.heartbeat and later.since == first.since
    finally:
        lock.release()
    assert not lock.path.exists()


def test_an_unreadable_lock_is_waited_for_briefly_then_taken_over(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    lock_file = lock_path_for(plan)
    lock_file.write_bytes(b"")  # another program is between creating and writing it
    with pytest.raises(PlanInUse):
        open_plan(plan, take_over_stale_lock=True)
    old = time.time() - lock_module.UNREADABLE_STALE_AFTER_SECONDS - 5
    os.utime(lock_file, (old, old))  # nobody ever wrote it: a crash at that moment
    with open_plan(plan, take_over_stale_lock=True) as store:
        assert not store.read_only


def test_a_program_whose_lock_was_taken_over_can_no_longer_write(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    with open_plan(plan) as store:
        service = PlanService(store)
        # Another machine judged us crashed (say the laptop slept) and took over.
        write_lock(plan, host="CITY-PC42", pid=4242, heartbeat_age=0, user="raj")
        before = contents(plan)
        with pytest.raises(
            ReadOnlyPlan,
            match=r"^plan.egov was taken over by raj on CITY-PC42 since .*; nothing was changed$",
        ):
            service.add_objective("O9", "Written by a program that lost its lock")
        assert contents(plan) == before
    # Closing does not delete the other program's lock.
    holder = read_lock(lock_path_for(plan))
    assert holder is not None and holder.user == "raj"


def test_a_plan_uses_the_rollback_journal_never_wal(tmp_path: Path) -> None:
    """WAL needs shared memory, which network drives do not give."""
    plan = make_plan(tmp_path / "plan.egov")
    with open_plan(plan) as store:
        PlanService(store).add_objective("O9", "One more")
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert not Path(f"{plan}-wal").exists() and not Path(f"{plan}-shm").exists()
    header = plan.read_bytes()[:20]
    assert header[18:20] == b"\x01\x01"  # file format: legacy (rollback journal), not WAL
