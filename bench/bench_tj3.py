"""Benchmark: `egov-planner overdue` beside TaskJuggler (`tj3`) on the same generated plan.

    python bench/bench_tj3.py [--actions 5000] [--deps-per-action 2] [--repeat 5] [--keep DIR]

One plan from bench/generate.py goes two ways: imported into a plan file (as an
officer would, `egov-planner import`), and written as a TaskJuggler project
(`plan.tjp`) with the same tasks, durations and dependencies. Both are timed
as whole new processes on the wall clock, median of --repeat runs each:

- ours: `egov-planner overdue PLAN --as-of 01/06/2004 --format json` -- opens
  the file, reads it, forecasts every action through the dependency graph and
  prints what is overdue, at risk or due soon;
- theirs: `tj3 --silent plan.tjp` -- parses the project, schedules every task
  and writes a CSV of each task's start and end.

Target: ours at least 15x faster. TaskJuggler is the Debian package `tj3`
(`apt-get install tj3`); without it the comparison is skipped, saying so.

How the plan maps onto TaskJuggler: each objective is a container task, each
action a leaf with `duration` = its due date minus its start in calendar days
(a `milestone` when that is 0); a finish-to-start or finish-to-finish link is
`depends X`, a start-to-start or start-to-finish link `depends X { onstart }`,
a positive lag `gapduration`; TaskJuggler has no negative gap, so a negative
lag becomes none. Each external dependency is a milestone fixed at its expected date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import EXTERNALS, HEADER, generate_rows, write_plan_csv  # noqa: E402

from egov_planner.interchange.actions_csv import parse_link  # noqa: E402
from egov_planner.model.dates import parse_date  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPEED_TARGET = 15.0
COLUMN = {name: index for index, name in enumerate(HEADER)}


def _task_id(ref: str) -> str:
    """'A12.3' -> 'a12_3' (TaskJuggler ids are letters, digits and '_')."""
    return "".join(c if c.isalnum() else "_" for c in ref.lower())


def tjp_text(rows: Sequence[Sequence[str]]) -> tuple[str, int]:
    """The generated rows as a TaskJuggler project; returns (text, number of dependencies)."""
    path_of: dict[str, str] = {}
    by_objective: dict[str, list[Sequence[str]]] = {}
    titles: dict[str, str] = {}
    for row in rows:
        objective = row[COLUMN["objective_ref"]]
        by_objective.setdefault(objective, []).append(row)
        titles.setdefault(objective, row[COLUMN["objective"]] or objective)
        path_of[row[COLUMN["action_ref"]]] = f"{_task_id(objective)}.{_task_id(row[COLUMN['action_ref']])}"
    externals = {name: f"ext{index}" for index, (name, _when) in enumerate(EXTERNALS)}
    starts = [parse_date(row[COLUMN["start"]]) for row in rows]
    first = min([*starts, *(when for _name, when in EXTERNALS)])
    lines = [
        f'project bench "Generated plan" {first.isoformat()} +15y {{',
        '  timezone "Europe/London"',
        "}",
    ]
    lines += [
        f'task {key} "{name}" {{ start {when.isoformat()} milestone }}'
        for (name, when), key in zip(EXTERNALS, externals.values(), strict=True)
    ]
    links = 0
    for objective, members in by_objective.items():
        lines.append(f'task {_task_id(objective)} "{titles[objective]}" {{')
        for row in members:
            start: date = parse_date(row[COLUMN["start"]])
            days = (parse_date(row[COLUMN["due"]]) - start).days
            body = [f"duration {days}d" if days else "milestone"]
            depends = []
            for text in filter(None, (part.strip() for part in row[COLUMN["depends_on"]].split(";"))):
                link = parse_link(text)
                assert link is not None, text
                options = []
                if link.kind in ("SS", "SF"):
                    options.append("onstart")
                if link.lag_days > 0:
                    options.append(f"gapduration {link.lag_days}d")
                depends.append(path_of[link.predecessor_ref] + (f" {{ {' '.join(options)} }}" if options else ""))
                links += 1
            if row[COLUMN["external"]]:
                depends.append(externals[row[COLUMN["external"]]])
            if depends:
                body.append("depends " + ", ".join(depends))
            else:
                body.append(f"start {start.isoformat()}")
            lines.append(
                f'  task {_task_id(row[COLUMN["action_ref"]])} "{row[COLUMN["action_ref"]]}" {{ {" ".join(body)} }}'
            )
        lines.append("}")
    lines += ['taskreport schedule "schedule" {', "  formats csv", "  columns id, start, end", "}"]
    return "\n".join(lines) + "\n", links


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one whole process; exits naming the command if it fails.

    CPU (user + system, from wait4) is shown beside the wall clock: on a busy
    machine other work inflates the wall clock but not a process's own CPU time.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {errors.strip()[:500]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def median_of(command: Sequence[str], cwd: Path, repeat: int) -> tuple[float, float]:
    runs = [timed(command, cwd) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--deps-per-action", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="leave the plan, CSV and .tjp in DIR")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="egov-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        csv_path, plan, tjp = folder / "plan.csv", folder / "plan.egov", folder / "plan.tjp"
        plan.unlink(missing_ok=True)
        links = write_plan_csv(csv_path, args.actions, args.objectives, args.deps_per_action)
        rows = generate_rows(args.actions, args.objectives, args.deps_per_action)
        text, tj_links = tjp_text(rows)
        tjp.write_text(text, encoding="utf-8")
        assert tj_links == links, (tj_links, links)
        ours_cmd = [sys.executable, str(ROOT / "main.py")]
        timed([*ours_cmd, "init", str(plan)], folder)
        timed([*ours_cmd, "import", str(plan), str(csv_path)], folder)
        overdue = [*ours_cmd, "overdue", str(plan), "--as-of", "01/06/2004", "--format", "json"]
        ours, ours_cpu = median_of(overdue, folder, args.repeat)
        print(f"plan: {args.actions} actions, {links} dependencies; median of {args.repeat} whole-process runs each")
        print(f"egov-planner overdue:  wall {ours:6.2f} s  CPU {ours_cpu:6.2f} s")
        tj3 = shutil.which("tj3")
        if tj3 is None:
            print(
                "tj3 (TaskJuggler) is not installed, so there is nothing to compare with: "
                "install it (Debian/Ubuntu: apt-get install tj3) and run this again."
            )
            return
        # tj3 writes its report into the current folder.
        theirs, theirs_cpu = median_of([tj3, "--silent", "--no-color", str(tjp)], folder, args.repeat)
        scheduled = sum(
            1 for line in (folder / "schedule.csv").read_text(encoding="utf-8").splitlines()[1:] if "." in line
        )
        ratio = theirs / ours
        print(f"tj3 (TaskJuggler):     wall {theirs:6.2f} s  CPU {theirs_cpu:6.2f} s  ({scheduled} actions scheduled)")
        verdict = "met" if ratio >= SPEED_TARGET else "MISSED"
        print(
            f"ours is {ratio:.1f}x faster on the wall clock ({theirs_cpu / ours_cpu:.1f}x in CPU) -> {verdict} "
            f"(target >= {SPEED_TARGET:.0f}x)"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
