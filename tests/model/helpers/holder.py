"""Another program holding a plan open for editing, for the locking and backup tests.

  python holder.py PLAN hold    open the plan for editing and keep it until stdin closes
  python holder.py PLAN write   the same, adding objectives continuously (one per commit)

Prints "ready <user>|<host>" once the plan is open, then "ack <ref>" after
each commit in write mode. Closing its stdin makes it close the plan and exit.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def main() -> int:
    plan, mode = Path(sys.argv[1]), sys.argv[2]
    store = open_plan(plan)
    assert store.lock is not None
    stop = threading.Event()
    # stdin closing (or the test ending) is the signal to stop

    def wait_for_stdin_to_close() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=wait_for_stdin_to_close, daemon=True).start()
    say(f"ready {store.lock.info.user}|{store.lock.info.host}")
    service = PlanService(store)
    index = 0
    while not stop.is_set():
        if mode == "write":
            ref = f"W-{index}"
            service.add_objective(ref, f"Written while others read, number {index}")
            say(f"ack {ref}")
            index += 1
        else:
            stop.wait(1.0)
    store.close()
    say("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
