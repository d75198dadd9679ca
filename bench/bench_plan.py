"""Benchmark: import and `overdue` for plans of 1,000 / 10,000 / 50,000 actions.

    python bench/bench_plan.py [--sizes 1000 10000 50000] [--repeat 3]

Every figure is a whole process (`egov-planner import` / `egov-planner overdue`
started as a new Python process), timed on the wall clock, with its peak
resident memory from the operating system (wait4). Targets (2 cores):
10,000 actions with 20,000 dependencies import in under 10 s and answer
`overdue` in under 1.5 s; 50,000 actions answer in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_plan_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {10_000: (10.0, 1.5), 50_000: (None, 5.0)}


def run_process(*args: str) -> tuple[float, float]:
    """(seconds, peak MB) of one whole `egov-planner` process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"egov-planner {' '.join(args)} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'actions':>8} {'deps':>7} {'import s':>9} {'import MB':>10} {'overdue s':>10} {'overdue MB':>11}  target")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            csv_path = Path(folder) / f"plan-{size}.csv"
            plan = Path(folder) / f"plan-{size}.egov"
            links = write_plan_csv(csv_path, size)
            run_process("init", str(plan))
            import_s, import_mb = run_process("import", str(plan), str(csv_path))
            runs = [
                run_process("overdue", str(plan), "--as-of", "01/06/2004", "--format", "json")
                for _ in range(args.repeat)
            ]
            overdue_s = statistics.median(r[0] for r in runs)
            overdue_mb = max(r[1] for r in runs)
            target = TARGETS.get(size)
            verdict = ""
            if target:
                ok_import = target[0] is None or import_s < target[0]
                ok_overdue = overdue_s < target[1]
                verdict = "met" if ok_import and ok_overdue else "MISSED"
                verdict += f" (import < {target[0]} s, " if target[0] else " ("
                verdict += f"overdue < {target[1]} s)"
            figures = f"{import_s:>9.2f} {import_mb:>10.0f} {overdue_s:>10.2f} {overdue_mb:>11.0f}"
            print(f"{size:>8} {links:>7} {figures}  {verdict}")


if __name__ == "__main__":
    main()
