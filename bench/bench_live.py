"""Benchmark live updates of a shared plan: another officer's commit until it shows in this window.

    python bench/bench_live.py --url postgresql://USER:PW@HOST:PORT/postgres [--actions 20000] [--tries 20]

Makes a plan of --actions actions on a new database of that server (bench/generate.py, copied from a
file), opens it in a plan view (offscreen), and has a second process (the other officer) commit:
- a title change, --tries times: from their commit to the new title in this window (only that record
  is re-read), median and worst;
- a new action, 5 times: the whole plan is read again on a worker thread, then swapped in; the time
  until it shows, and the longest the window's event loop was held up meanwhile (what the officer feels).
Target: within 2 s; the window never held for more than half a second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OTHER_OFFICER = """
import sys, time
from datetime import date
from egov_planner.model.service import PlanService
from egov_planner.model.store.server import ServerPlan, open_server_plan
store = open_server_plan(ServerPlan.parse(sys.argv[1]))
service = PlanService(store, user="other officer")
objective = service.snapshot().objectives[0].id
for line in sys.stdin:
    kind, ref, value = line.rstrip("\\n").split("\\t")
    if kind == "title":
        action = service.action_by_ref(ref)
        service.update_action(action.id, title=value)
    else:
        service.add_action(objective, ref, value, date(2004, 6, 30))
    print(time.time(), flush=True)
"""


def server_plan(admin_url: str, actions: int) -> str:
    """A new database holding a generated plan of `actions` actions; its URL."""
    import psycopg
    from bench_ui import make_plan
    from sqlalchemy.engine import make_url

    from egov_planner.model.store.copying import copy_plan
    from egov_planner.model.store.server import ServerPlan

    folder = Path(tempfile.mkdtemp(prefix="egov-live-"))
    make_plan(folder / "plan.egov", actions)
    url = make_url(admin_url)
    name = f"egov_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                         dbname=url.database, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    plan_url = url.set(database=name).render_as_string(hide_password=False)
    copy_plan(folder / "plan.egov", ServerPlan.parse(plan_url))
    return plan_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("EGOV_TEST_PG_URL", ""), help="a PostgreSQL server's URL")
    parser.add_argument("--actions", type=int, default=20000)
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    if not args.url:
        raise SystemExit("bench_live: give --url (or set EGOV_TEST_PG_URL) naming a PostgreSQL server")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from egov_planner.model.store.server import ServerPlan, open_server_plan
    from egov_planner.ui.document import PlanDocument
    from egov_planner.ui.views.plan_view import PlanView

    plan_url = server_plan(args.url, args.actions)
    app = QApplication.instance() or QApplication([])
    store = open_server_plan(ServerPlan.parse(plan_url))
    started = time.perf_counter()
    document = PlanDocument(store, today=lambda: date(2004, 1, 12))
    view = PlanView()
    view.resize(1400, 800)
    view.show()
    view.set_document(document)
    document.refreshed.connect(lambda _change: view.refresh())
    view.select_action(document.snapshot.actions[len(document.snapshot.actions) // 2].id)
    print(f"opened {len(document.snapshot.actions):,} actions in {time.perf_counter() - started:.1f} s")
    root = str(Path(__file__).resolve().parents[1])
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_OFFICER, plan_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert other.stdin is not None and other.stdout is not None

    ticks = [time.perf_counter(), 0.0]  # the last tick of a 10 ms timer, and the longest gap between ticks

    def tick() -> None:
        now = time.perf_counter()
        ticks[1], ticks[0] = max(ticks[1], now - ticks[0]), now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)

    def until(check: object) -> tuple[float, float]:
        """Run the event loop (idle as a window's is) until check() holds: (seconds since the commit, hold-up)."""
        assert other.stdout is not None
        committed = float(other.stdout.readline())
        ticks[0], ticks[1] = time.perf_counter(), 0.0
        while not check():  # type: ignore[operator]
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            if time.time() - committed > 10:
                raise SystemExit("bench_live: the change did not show within 10 s")
        return time.time() - committed, ticks[1]

    refs = [a.ref for a in document.snapshot.actions[:: max(1, len(document.snapshot.actions) // args.tries)]]
    seen = []
    for n, ref in enumerate(refs[: args.tries]):
        title = f"Retitled by another officer {n}"
        other.stdin.write(f"title\t{ref}\t{title}\n")
        other.stdin.flush()
        seen.append(until(lambda ref=ref, title=title: document.action_by_ref(ref).title == title)[0])  # type: ignore[union-attr]
    print(f"an edit shown after: median {statistics.median(seen) * 1000:.0f} ms, "
          f"worst {max(seen) * 1000:.0f} ms over {len(seen)} tries")
    added, held = [], []
    for n in range(5):
        ref = f"Z9.{n}"
        other.stdin.write(f"add\t{ref}\tAdded by another officer\n")
        other.stdin.flush()
        took, longest = until(lambda ref=ref: document.action_by_ref(ref) is not None)
        added.append(took)
        held.append(longest)
    print(f"a new action (whole plan read again) shown after: median {statistics.median(added) * 1000:.0f} ms, "
          f"worst {max(added) * 1000:.0f} ms; the window held up at most {max(held) * 1000:.0f} ms")
    other.stdin.close()
    other.wait()
    document.close()


if __name__ == "__main__":
    main()
