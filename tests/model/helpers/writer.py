"""A child that writes to a plan until it is killed: the victim of the data-safety tests.

It runs as a "zygote": the program is imported once, then one writer process
is forked per round, so fifty SIGKILLs cost milliseconds each instead of an
interpreter start-up each. Each forked writer is a whole process of its own:
it opens the plan as the program does (inspection, lock, backup on open,
upgrade) and writes through PlanService, one transaction per change.

Commands on stdin, one JSON object a line:
  {"round": 7, "do": "write", "plan": "...", "backup_on_open": true}
  {"round": 7, "do": "migrate", "plan": "...", "pause_after_revision": true}
  {"round": 7, "do": "export", "plan": "...", "target": "actions.csv"}
  {"round": 7, "do": "backup", "plan": "..."}
Events on stdout, one a line, in the order they happened:
  pid <round> <pid>     the writer for this round has started
  ack <round> <refs>    these refs are committed (printed only after the commit returned)
  migrated <round>      every revision applied, the migration not yet committed
  upgraded <round>      the plan is open at the newest schema
  exported <round>      the CSV export has returned
  backed-up <round> <path>  a backup has returned
  error <round> <text>  the writer failed (a test failure, not a kill)
  done <round> <code>   the writer has ended (negative code: killed by that signal)
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

import alembic.command  # noqa: F401  (imported once here, not again in every forked writer)
import alembic.config  # noqa: F401

from egov_planner.interchange import csv_common, export_file
from egov_planner.model.import_rows import ActionImportRow, LinkSpec
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.model.store.backups import backup_plan

MAX_SECONDS = 5.0  # a writer nobody kills stops by itself, so a failing test cannot hang


def say(line: str) -> None:
    # os.write, not print: the line is in the pipe before the next change
    # starts, and a forked child shares no Python buffer with the zygote.
    os.write(1, (line.replace("\n", " ") + "\n").encode("utf-8"))


def write_round(command: dict[str, Any]) -> None:
    """Add objectives, actions and five-row imports until killed; acknowledge each commit."""
    number = command["round"]
    store = open_plan(
        Path(command["plan"]),
        take_over_stale_lock=True,
        backup_on_open=bool(command.get("backup_on_open")),
    )
    service = PlanService(store)
    deadline = time.monotonic() + MAX_SECONDS
    index = 0
    while time.monotonic() < deadline:
        ref = f"K{number}-{index}"
        objective_id = service.add_objective(ref, f"Objective {index} of round {number}")
        say(f"ack {number} {ref}")
        action_ref = f"A{number}-{index}"
        service.add_action(
            objective_id,
            action_ref,
            f"Action {index} of round {number}",
            date(2004, 3, 31),
            start=date(2003, 10, 1),
            owner=f"Officer {index % 7}",
            department=f"Department {index % 3}",
        )
        say(f"ack {number} {action_ref}")
        if index % 3 == 2:
            # Five actions and a new objective in one transaction: all or none.
            batch = f"B{number}-{index}"
            rows = [
                ActionImportRow(
                    row=line + 2,
                    objective_ref=batch,
                    objective=f"Imported objective {batch}",
                    action_ref=f"{batch}.{line}",
                    action=f"Imported action {line}",
                    due=date(2004, 6, 30),
                    depends_on=[LinkSpec(f"{batch}.{line - 1}")] if line else [],
                    present=frozenset({"objective", "action", "due", "depends_on"}),
                )
                for line in range(5)
            ]
            service.import_actions(rows, source="batch")
            say(f"ack {number} {batch} " + " ".join(r.action_ref for r in rows))
        index += 1
    store.close()


def migrate_round(command: dict[str, Any]) -> None:
    """Open an old plan for editing, which backs it up and upgrades it."""
    number = command["round"]

    def after_revision() -> None:
        if command.get("pause_after_revision"):
            say(f"migrated {number}")
            time.sleep(MAX_SECONDS)  # the test kills us here, mid-migration

    store = open_plan(Path(command["plan"]), take_over_stale_lock=True, on_revision=after_revision)
    say(f"upgraded {number}")
    store.close()


def export_round(command: dict[str, Any]) -> None:
    """Export the plan's actions to a CSV, slowed down so a kill lands mid-file."""
    number = command["round"]
    make_cell_safe = csv_common.make_cell_safe
    cells = 0

    def slow_cell(value: str) -> str:
        nonlocal cells
        cells += 1
        if cells % 25 == 0:
            time.sleep(0.001)  # a slow network drive
        return make_cell_safe(value)

    csv_common.make_cell_safe = slow_cell  # type: ignore[assignment]
    store = open_plan(Path(command["plan"]), read_only=True)
    export_file(PlanService(store), Path(command["target"]), "actions")
    say(f"exported {number}")
    store.close()


def backup_round(command: dict[str, Any]) -> None:
    """Back the plan up again and again (each one is verified, then rotated)."""
    number = command["round"]
    deadline = time.monotonic() + MAX_SECONDS
    while time.monotonic() < deadline:
        say(f"backed-up {number} {backup_plan(Path(command['plan']), reason='test')}")


ROUNDS = {"write": write_round, "migrate": migrate_round, "export": export_round, "backup": backup_round}


def run_forked(command: dict[str, Any]) -> int:
    """The body of one forked writer; returns its exit code."""
    try:
        ROUNDS[command["do"]](command)
    except BaseException as error:  # reported, so the test fails with the reason
        say(f"error {command['round']} {type(error).__name__}: {error} {traceback.format_exc()}")
        return 1
    return 0


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the writer
            os._exit(run_forked(command))
        say(f"pid {command['round']} {pid}")
        _, status = os.waitpid(pid, 0)  # reaped before "done": a dead pid is really gone
        say(f"done {command['round']} {os.waitstatus_to_exitcode(status)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
