"""Eight officers' programs importing and editing one server plan at once, and a writer killed mid-import.

Each worker is its own process (its own connections, as on eight desks). It imports a CSV
whose owners, departments and objective are shared with every other worker (find-or-create
under contention), then edits its own actions and a shared one, writing an acknowledgement
line after each change the store committed. Afterwards every acknowledged change is in the
plan, and the killed import is there whole or not at all.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from egov_planner.model import tables
from egov_planner.model.store.server import ServerPlan, open_server_plan
from tests.conftest import _admin

WORKERS = 8
ACTIONS_EACH = 6
BIG = 5000  # the killed import: large enough to be caught writing
HEADER = ["objective_ref", "objective", "action_ref", "action", "owner", "department", "due", "status"]

_WORKER = r"""
import sys
import time
from datetime import date
from pathlib import Path
from egov_planner.interchange import import_file
from egov_planner.model.errors import ConflictError
from egov_planner.model.service import PlanService
from egov_planner.model.store.opening import open_for_writing, plan_location

url, worker, source, acks = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
with open(acks, "a", encoding="utf-8", buffering=1) as told, open_for_writing(plan_location(url)) as store:
    service = PlanService(store, user=f"officer{worker}")
    result = import_file(service, source)
    told.write(f"import {worker} {result.describe()}\n")
    mine = [a for a in service.actions() if a.ref.startswith(f"W{worker}.")]
    for round_ in range(2):
        for action in mine:
            percent = 10 * (round_ + 1)
            service.update_action(action.id, percent_complete=percent, status="in_progress")
            told.write(f"percent {action.ref} {percent}\n")
    # Everyone also edits one shared action: a stale read is refused (and retried), never lost.
    # Worker 0's import makes it; a worker done first waits for that commit, however busy the machine.
    deadline = time.monotonic() + 180
    while not any(a.ref == "W0.1" for a in service.actions()):
        assert time.monotonic() < deadline, "worker 0's import never committed W0.1"
        time.sleep(0.05)
    for attempt in range(50):
        shared = next(a for a in service.actions() if a.ref == "W0.1")
        try:
            service.update_action(shared.id, expected_version=shared.version, notes=shared.notes + f"[{worker}]")
        except ConflictError:
            continue
        told.write(f"note {worker}\n")
        break
"""


def _csv(path: Path, worker: str, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(1, count + 1):
            writer.writerow([
                "O1", "Shared objective", f"W{worker}.{n}", f"Action {n} of worker {worker}",
                f"Owner {n % 5}", f"Department {n % 3}", "31/03/2004", "not started",
            ])
    return path


def _run(url: str, worker: str, source: Path, acks: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen(
        [sys.executable, "-c", _WORKER, url, worker, str(source), str(acks)],
        env=env, stderr=subprocess.PIPE,
    )


def _killed_once_writing(victim: subprocess.Popen[bytes], admin_url: str, role: str) -> None:
    """SIGKILL the victim once its transaction has written rows (seen from the server), not before."""
    with _admin(admin_url) as admin:  # type: ignore[attr-defined]
        deadline = time.monotonic() + 180  # nine programs starting on a busy 2-core machine
        while time.monotonic() < deadline:
            writing = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND backend_xid IS NOT NULL", (role,)
            ).fetchone()[0]
            if writing:
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait()
                return
            assert victim.poll() is None, "the import to be killed finished first"
            time.sleep(0.01)
    raise AssertionError("the victim never started writing")


@pytest.mark.slow
def test_eight_writers_at_once_and_one_killed_mid_import_lose_nothing(server_plan_url: str, tmp_path: Path) -> None:
    acks = tmp_path / "acks.txt"
    # The killed writer signs in as its own database user, so the server shows when it is mid-transaction.
    role = f"victim_{uuid.uuid4().hex[:8]}"
    with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'victim-pw'")
        admin.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        admin.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    as_victim = make_url(server_plan_url).set(username=role, password="victim-pw").render_as_string(hide_password=False)
    victim = _run(as_victim, "K", _csv(tmp_path / "big.csv", "K", BIG), tmp_path / "victim.txt")
    workers = [
        _run(server_plan_url, str(n), _csv(tmp_path / f"w{n}.csv", str(n), ACTIONS_EACH), acks)
        for n in range(WORKERS)
    ]
    _killed_once_writing(victim, server_plan_url, role)
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err.decode(errors="replace")[-2000:]

    told = acks.read_text(encoding="utf-8").splitlines()
    with open_server_plan(ServerPlan.parse(server_plan_url), read_only=True) as store:
        with store.connection() as connection:
            actions = {r.ref: r for r in connection.execute(select(tables.action))}
            people = connection.execute(select(tables.person.c.name)).scalars().all()
            departments = connection.execute(select(tables.department.c.name)).scalars().all()
        assert store.integrity_problems() == []
    imports = [line for line in told if line.startswith("import ")]
    assert len(imports) == WORKERS
    for line in told:
        kind, *rest = line.split()
        if kind == "percent":
            ref, percent = rest
            assert actions[ref].percent_complete >= int(percent)  # each later round only raises it
    for n in range(WORKERS):
        for i in range(1, ACTIONS_EACH + 1):
            assert actions[f"W{n}.{i}"].percent_complete == 20
    notes = actions["W0.1"].notes
    noted = sorted(line.split()[1] for line in told if line.startswith("note "))
    assert noted == sorted(str(n) for n in range(WORKERS))
    assert all(f"[{n}]" in notes for n in range(WORKERS)), notes
    assert sorted(people) == [f"Owner {n}" for n in range(5)]  # found or made once each, never twice
    assert sorted(departments) == [f"Department {n}" for n in range(3)]
    killed = [ref for ref in actions if ref.startswith("WK.")]
    assert killed == [], "the killed import left nothing behind"
    with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"DROP OWNED BY {role}")
        admin.execute(f"DROP ROLE {role}")
