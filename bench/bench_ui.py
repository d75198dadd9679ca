"""Benchmark the desktop app on a generated 20,000-action plan (offscreen).

    python bench/bench_ui.py [--actions 20000] [--plan PATH] [--keep]

Times, on the wall clock in this process:
- open-to-shown: from creating the window to the plan's rows on screen (the
  file checked and locked, backed up, read on a worker thread, the models fed
  from one snapshot and one assessment, the first paint done);
- filter latency per keystroke: typing into the search box, one character at a
  time, each measured until the table has re-filtered and repainted; also the
  flag and owner filters;
- edits, each until the window has refreshed and redrawn (the table sorted by
  due date): a due date (re-judged by the rules), a title (no fact the rules read
  changes), the status date, and undo; seven of each, median and worst;
  sorting by due date.
Targets: open in under 3 s; each keystroke answered in under 100 ms; an edit
redrawn in under 400 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OPEN_TARGET_S = 3.0
KEYSTROKE_TARGET_MS = 100.0
EDIT_TARGET_MS = 400.0
REPEATS = 7  # each edit is timed this many times: the median, and the worst


def make_plan(path: Path, actions: int) -> None:
    """A plan of `actions` actions with about two dependencies each (bench/generate.py), imported in one go."""
    from egov_planner.interchange import import_file
    from egov_planner.model.service import PlanService
    from egov_planner.model.store import create_plan, open_plan

    try:
        from generate import write_plan_csv
    except ImportError:  # pragma: no cover - the generator ships beside this file
        raise SystemExit("bench/generate.py is missing") from None
    csv_path = path.with_suffix(".csv")
    links = write_plan_csv(csv_path, actions, objectives=max(1, actions // 400), deps_per_action=2.0)
    create_plan(path)
    store = open_plan(path)
    try:
        started = time.perf_counter()
        import_file(PlanService(store), csv_path)
        print(f"generated {actions:,} actions, {links:,} dependencies in {time.perf_counter() - started:.1f} s")
    finally:
        store.close()


def settle(app, until=None, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Process events until `until()` holds and nothing is pending (paint included)."""
    deadline = time.perf_counter() + timeout
    while until is not None and not until():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.001)
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=20_000)
    parser.add_argument("--plan", type=Path, help="use (or create) this plan file instead of a temporary one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary plan")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="egov-bench-ui-"))
    plan = args.plan or folder / f"plan-{args.actions}.egov"
    if not plan.exists():
        make_plan(plan, args.actions)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from egov_planner.ui.application import make_application
    from egov_planner.ui.main_window import MainWindow
    from egov_planner.ui.models.actions import Column, FlagChoice
    from egov_planner.ui.settings import AppSettings

    app = make_application()

    class Silent:
        """No questions in a benchmark."""

        def ask(self, *_args: object, **_kwargs: object) -> bool:
            return False

        def inform(self, *_args: object) -> None: ...

        def warn(self, title: str, message: str) -> None:
            print(f"warning: {title}: {message}")

    # --- open to shown -------------------------------------------------------------------
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.2f} at the start (figures are wall clock unless said)")
    started = time.perf_counter()
    started_cpu = time.process_time()
    window = MainWindow(AppSettings(folder / "settings.ini"), prompts=Silent())  # type: ignore[arg-type]
    window.resize(1600, 1000)
    window.show()
    built = time.perf_counter()
    window.open_plan_file(plan)
    settle(app, lambda: window.document is not None and window.idle())
    window.plan_view.table.viewport().repaint()
    shown = time.perf_counter()
    document = window.document
    assert document is not None
    total = len(document.snapshot.actions)
    open_s = shown - started
    open_cpu = time.process_time() - started_cpu
    print(f"\nplan: {total:,} actions, {len(document.snapshot.links):,} dependencies")
    print(
        f"open to shown:             {open_s:6.2f} s   (window built {built - started:.2f} s, "
        f"plan read and shown {shown - built:.2f} s)   target < {OPEN_TARGET_S:.0f} s: "
        f"{'met' if open_s < OPEN_TARGET_S else 'MISSED'}"
    )
    print(f"                           {open_cpu:6.2f} s of CPU time in this process (all threads)")

    # --- filter per keystroke ---------------------------------------------------------------
    view = window.plan_view
    search = view.filter_bar.search
    search.setFocus()
    timings: list[float] = []
    cpu: list[float] = []
    for text in ("deliver part 12", "officer 04", "a12.3"):
        search.clear()
        settle(app)
        for char in text:
            before, before_cpu = time.perf_counter(), time.process_time()
            QTest.keyClick(search, char)
            settle(app)  # runs the filter's consequences and the repaint it asks for
            timings.append((time.perf_counter() - before) * 1000)
            cpu.append((time.process_time() - before_cpu) * 1000)
        print(f"  typed {text!r}: {view.filter_bar.count.text()}")
    for _ in range(len("deliver part 12")):
        before, before_cpu = time.perf_counter(), time.process_time()
        QTest.keyClick(search, Qt.Key.Key_Backspace)
        settle(app)
        timings.append((time.perf_counter() - before) * 1000)
        cpu.append((time.process_time() - before_cpu) * 1000)
    median = statistics.median(timings)
    worst = max(timings)
    if os.environ.get("BENCH_VERBOSE"):
        print("  per key (ms):", " ".join(f"{t:.0f}" for t in timings))
    print(
        f"filter per keystroke:      median {median:5.1f} ms, p90 {sorted(timings)[int(len(timings) * 0.9)]:5.1f} ms, "
        f"worst {worst:5.1f} ms over {len(timings)} keys (wall clock)   "
        f"target < {KEYSTROKE_TARGET_MS:.0f} ms: {'met' if worst < KEYSTROKE_TARGET_MS else 'MISSED'}"
    )
    print(
        f"                           median {statistics.median(cpu):5.1f} ms, worst {max(cpu):5.1f} ms "
        "(this process's CPU time: what a busy machine cannot inflate)"
    )
    search.clear()
    settle(app)

    flag_times = []
    for choice in (FlagChoice.OVERDUE, FlagChoice.AT_RISK, FlagChoice.DUE_SOON, FlagChoice.ALL):
        before = time.perf_counter()
        view.filter_bar.set_flag(choice)
        view.table.viewport().repaint()
        settle(app)
        flag_times.append((time.perf_counter() - before) * 1000)
        print(f"  flag {choice.value}: {view.filter_bar.count.text()} in {flag_times[-1]:.0f} ms")
    print(f"flag filter:               median {statistics.median(flag_times):5.1f} ms, worst {max(flag_times):5.1f} ms")
    owner = view.filter_bar.owner
    before = time.perf_counter()
    owner.setCurrentIndex(1)
    settle(app)
    owner_ms = (time.perf_counter() - before) * 1000
    owner.setCurrentIndex(0)
    settle(app)
    print(f"owner filter:              {owner_ms:5.1f} ms")

    # --- sort, edit, status date ------------------------------------------------------------
    before = time.perf_counter()
    view.table.sortByColumn(Column.DUE, Qt.SortOrder.AscendingOrder)
    settle(app)
    print(f"sort by due date:          {(time.perf_counter() - before) * 1000:5.0f} ms")

    from egov_planner.ui.commands import EditActionCommand, EditPlanDetailsCommand

    try:
        from egov_planner.ui.collector import collector

        resume_collector = collector.resume
    except ImportError:  # an older tree (to measure before and after on one machine)

        def resume_collector() -> None: ...

    def timed(step) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        """Wall and CPU milliseconds from the step to the window redrawn; then idle long enough for the
        collector's deferred pass (collector.py), which is not part of the answer the officer waits for."""
        before, before_cpu = time.perf_counter(), time.process_time()
        step()
        settle(app)
        wall, cpu = (time.perf_counter() - before) * 1000, (time.process_time() - before_cpu) * 1000
        resume_collector()
        settle(app)
        return wall, cpu

    def report(label: str, figures: list[tuple[float, float]], target: float | None = None) -> None:
        walls = sorted(w for w, _c in figures)
        cpus = sorted(c for _w, c in figures)
        verdict = ""
        if target:
            verdict = f"   target < {target:.0f} ms: {'met' if statistics.median(walls) < target else 'MISSED'}"
        print(
            f"{label:45s} median {statistics.median(walls):5.0f} ms, worst {walls[-1]:5.0f} ms "
            f"(CPU median {statistics.median(cpus):4.0f} ms) over {len(figures)}{verdict}"
        )

    records = document.snapshot.actions
    middle = records[len(records) // 2]
    view.select_action(middle.id)
    settle(app)
    edits, refused = [], []
    for step in range(REPEATS):
        record = document.action(middle.id)
        assert record is not None
        command = EditActionCommand(document, record, {"due": record.due + timedelta(days=7 if step % 2 else -7)})
        edits.append(timed(lambda command=command: refused.append(document.execute(command))))
    report("edit a due date (saved, re-judged, redrawn):", edits, EDIT_TARGET_MS)
    if any(refused):
        print(f"  refused: {[e for e in refused if e]}")
    titles = []
    for step in range(REPEATS):
        record = document.action(middle.id)
        assert record is not None
        command = EditActionCommand(document, record, {"title": f"{record.title.rstrip(' *')}{' *' * (step % 2)}"})
        titles.append(timed(lambda command=command: document.execute(command)))
    report("edit a title (saved, redrawn; no fact changed):", titles)
    moves = []
    for step in range(REPEATS):
        when = date(2004, 6, 1) + timedelta(days=step)
        moves.append(timed(lambda when=when: document.execute(EditPlanDetailsCommand(document, {"status_date": when}))))
    report("change the status date (every colour):", moves, EDIT_TARGET_MS)
    undos = [timed(window.undo_action.trigger) for _ in range(REPEATS)]
    report("undo (status dates, then titles):", undos, EDIT_TARGET_MS)

    # What no window can avoid: the rules' one pass over the whole plan (model/rules.py).
    import gc

    from egov_planner.model.rules import assess_plan

    facts = document.snapshot.facts()
    rules = []
    for _ in range(REPEATS):
        gc.disable()  # as during an edit (collector.py)
        rules.append(timed(lambda: assess_plan(facts, document.status_date, document.snapshot.details.due_soon_days)))
        gc.enable()
    report("  of which the rules' pass (assess_plan):", rules)
    before = time.perf_counter()
    window.tabs.setCurrentWidget(window.dashboard)
    settle(app)
    print(f"show the dashboard:                          {(time.perf_counter() - before) * 1000:5.0f} ms")

    window.close()
    if not args.keep and args.plan is None:
        for item in folder.iterdir():
            if item.is_dir():
                for inner in item.iterdir():
                    inner.unlink()
                item.rmdir()
            else:
                item.unlink()
        folder.rmdir()
    elif args.plan is None:
        print(f"plan kept at {plan}")


if __name__ == "__main__":
    main()
