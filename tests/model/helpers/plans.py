"""Plans and processes for the data-safety tests.

Plans: filled through PlanService, made old by hand (revision 0001), read back
with plain sqlite3 (so the tests do not trust the code they test), damaged on
purpose. Processes: the writer zygote (writer.py) and another program holding
a plan (holder.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from egov_planner.model.import_rows import ActionImportRow, LinkSpec
from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan

HELPERS = Path(__file__).resolve().parent
REPO = HELPERS.parents[2]


# --- making plans ---------------------------------------------------------------------------


def fill_plan(service: PlanService, objectives: int = 3, actions_each: int = 3) -> None:
    """A small plan: objectives, actions with owners and departments, a dependency chain.

    One import (one transaction), so a plan of hundreds of actions takes moments.
    """
    rows: list[ActionImportRow] = []
    for o in range(1, objectives + 1):
        for a in range(1, actions_each + 1):
            rows.append(
                ActionImportRow(
                    row=len(rows) + 2,
                    objective_ref=f"O{o}",
                    objective=f"Objective {o}: join up services",
                    action_ref=f"A{o}.{a}",
                    action=f"Action {o}.{a}",
                    due=date(2004, 1, 1) + timedelta(days=(7 * a) % 300),
                    start=date(2003, 10, 1) + timedelta(days=a % 28),
                    owner=f"Officer {a}",
                    department=f"Department {o}",
                    depends_on=[LinkSpec(rows[-1].action_ref)] if rows else [],
                    present=frozenset(
                        {"objective", "action", "due", "start", "owner", "department", "depends_on"}
                    ),
                )
            )
    service.import_actions(rows, source="the test plan")


def make_plan(path: Path, objectives: int = 3, actions_each: int = 3) -> Path:
    """A new plan at path, filled (and closed again)."""
    create_plan(path)
    with open_plan(path) as store:
        fill_plan(PlanService(store), objectives, actions_each)
    return path


REPORT_FIELDS = ("background_papers", "wards_affected", "agenda_item", "report_date")


def downgrade_to_0005(path: Path) -> None:
    """Make path look as the history release left it: no report fields on the plan, schema 0005."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        for column in REPORT_FIELDS:
            connection.execute(f"ALTER TABLE plan DROP COLUMN {column}")
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
        connection.execute("COMMIT")
    finally:
        connection.close()


def downgrade_to_0003(path: Path) -> None:
    """Make path look as the expected-dates release left it: no recorded reports, revisions or history, schema 0003."""
    downgrade_to_0005(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        for table in ("reported_action", "recorded_report", "revision", "change_log"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("UPDATE alembic_version SET version_num = '0003'")
        connection.execute("COMMIT")
    finally:
        connection.close()


def downgrade_to_0002(path: Path) -> None:
    """Make path look as the BVPI release left it: no expected dates, schema 0002."""
    downgrade_to_0003(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        connection.execute("ALTER TABLE action DROP COLUMN expected")
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
        connection.execute("COMMIT")
    finally:
        connection.close()


def downgrade_to_0001(path: Path) -> None:
    """Make path look as the first release left it: no BVPI tables, schema 0001."""
    downgrade_to_0002(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        connection.execute("DROP TABLE service_interaction")
        connection.execute("DROP TABLE service")
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
        connection.execute("COMMIT")
    finally:
        connection.close()


def make_old_plan(path: Path) -> Path:
    """A filled plan at schema 0001, which opening for editing must upgrade."""
    make_plan(path)
    downgrade_to_0001(path)
    return path


# --- reading plans back with plain sqlite3 -------------------------------------------------


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows from the plan. A plain read-write connection, so a crashed writer's
    hot journal is rolled back first, as any SQLite program would do."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def integrity(path: Path) -> list[str]:
    """integrity_check's lines (["ok"] when whole) plus any broken foreign key."""
    rows = [str(r[0]) for r in query(path, "PRAGMA integrity_check")]
    rows += [f"foreign key: {r}" for r in query(path, "PRAGMA foreign_key_check")]
    return rows


def schema_revision(path: Path) -> str:
    return str(query(path, "SELECT version_num FROM alembic_version")[0][0])


def tables(path: Path) -> set[str]:
    return {str(r[0]) for r in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def refs(path: Path) -> set[str]:
    """Every objective and action ref in the plan."""
    return {
        str(r[0]) for r in query(path, "SELECT ref FROM objective UNION ALL SELECT ref FROM action")
    }


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What an officer would call the plan's content: its objectives, actions, people, links."""
    return {
        "objective": query(path, "SELECT ref, title FROM objective ORDER BY ref"),
        "action": query(
            path,
            "SELECT a.ref, a.title, a.due, a.start, p.name, d.name FROM action a "
            "LEFT JOIN person p ON p.id = a.owner_id LEFT JOIN department d ON d.id = a.department_id "
            "ORDER BY a.ref",
        ),
        "dependency": query(
            path,
            "SELECT p.ref, s.ref FROM dependency JOIN action p ON p.id = predecessor_id "
            "JOIN action s ON s.id = successor_id ORDER BY 1, 2",
        ),
    }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- damaging plans ------------------------------------------------------------------------


def overwrite_middle(path: Path, seed: int = 1) -> None:
    """Random bytes over the middle third of the file: many pages ruined, header intact."""
    size = path.stat().st_size
    noise = random.Random(seed).randbytes(size // 3)
    with open(path, "r+b") as handle:
        handle.seek(size // 3)
        handle.write(noise)


def truncate_half(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def random_bytes(path: Path, size: int = 50_000) -> None:
    path.write_bytes(random.Random(2).randbytes(size))


def other_programs_database(path: Path, replacing: bool = False) -> None:
    """An SQLite database another program made (replacing whatever was at path)."""
    if replacing:
        path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    connection.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    connection.commit()
    connection.close()


# --- child processes -----------------------------------------------------------------------


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclass
class Round:
    """What one forked writer said before it ended."""

    number: int
    pid: int = 0
    acked: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exit_code: int | None = None

    @property
    def killed(self) -> bool:
        return self.exit_code == -signal.SIGKILL


class Zygote:
    """The writer zygote (writer.py): one process start, a forked writer per round."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HELPERS / "writer.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_environment(),
            cwd=REPO,
            text=True,
            bufsize=1,
        )

    def _stdout(self) -> IO[str]:
        assert self.process.stdout is not None
        return self.process.stdout

    def _next(self, result: Round) -> str:
        line = self._stdout().readline()
        if not line:
            raise RuntimeError(f"the writer zygote ended: {self.process.wait()}")
        event = line.rstrip("\n")
        result.events.append(event)
        kind, _number, *rest = event.split(" ")
        if kind == "ack":
            result.acked.extend(rest)
        elif kind == "error":
            result.errors.append(" ".join(rest))
        elif kind == "pid":
            result.pid = int(rest[0])
        elif kind == "done":
            result.exit_code = int(rest[0])
        return kind

    def run(
        self,
        command: dict[str, Any],
        kill_after: float | None = None,
        kill_on: str | None = None,
        after_acks: int = 0,
    ) -> Round:
        """Start one writer and SIGKILL it: kill_after seconds after it started
        (or after it acknowledged after_acks commits), or as soon as it reports
        the event kill_on. Returns what it acknowledged."""
        result = Round(command["round"])
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        while self._next(result) != "pid":
            pass
        acks = 0
        while acks < after_acks:
            kind = self._next(result)
            if kind == "done":
                return result  # it ended first (the test will see it was not killed)
            acks += kind == "ack"
        if kill_on is not None:
            while (kind := self._next(result)) not in (kill_on, "done"):
                pass
            if kind == kill_on:
                os.kill(result.pid, signal.SIGKILL)
        elif kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(result.pid, signal.SIGKILL)
        while result.exit_code is None:
            self._next(result)
        return result

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextmanager
def writer_zygote() -> Iterator[Zygote]:
    zygote = Zygote()
    try:
        yield zygote
    finally:
        zygote.close()


@dataclass
class Holder:
    """Another program with the plan open for editing (holder.py)."""

    process: subprocess.Popen[str]
    user: str
    host: str

    def read_line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().rstrip("\n")

    def stop(self) -> None:
        """Ask it to close the plan and exit (whoever reads its output sees the end)."""
        assert self.process.stdin is not None
        self.process.stdin.close()


@contextmanager
def other_program_holding(plan: Path, mode: str = "hold") -> Iterator[Holder]:
    """Run holder.py on plan until the block ends (then it closes the plan and exits)."""
    process = subprocess.Popen(
        [sys.executable, str(HELPERS / "holder.py"), str(plan), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=child_environment(),
        cwd=REPO,
        text=True,
        bufsize=1,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().rstrip("\n")
        if not first.startswith("ready "):
            raise RuntimeError(f"the other program did not start: {first!r}")
        user, host = first.removeprefix("ready ").split("|", 1)
        yield Holder(process, user, host)
    finally:
        # Closing stdin tells it to stop; reading what is left keeps a busy
        # writer from blocking on a full pipe meanwhile (unless a test's own
        # thread is reading it: see Holder.stop).
        if process.stdin is not None and not process.stdin.closed:
            process.stdin.close()
            if process.stdout is not None:
                process.stdout.read()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
