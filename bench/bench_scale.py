"""Benchmark: report packs and imports as plans grow -- time linear in actions, memory bounded.

    python bench/bench_scale.py [--sizes 2000 8000 20000] [--kinds exceptions cabinet]
                                [--deps-per-action 2] [--import-deps 1000000]

Plans come from bench/generate.py, imported through the command line. Each
pack is built in a process of its own (so its peak memory is its own) and
reports its CPU time -- judged, as other work on a busy machine inflates the
wall clock, which is shown too -- and peak resident memory. Targets: the 8,000
action pack takes at most 4.5x the 2,000 action one (linear, not quadratic);
an import costs under 200 bytes of memory per dependency, measured as the
peak of importing 20,000 actions with --import-deps dependencies less the
peak of importing the same actions with none.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generate import write_plan_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 4.5
BYTES_TARGET = 200
IMPORT_ACTIONS = 20_000
AS_OF = "01/06/2004"


def cli(*args: str) -> int:
    """Run one `egov-planner` command as a new process; its peak resident memory in bytes."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"egov-planner {' '.join(args)} failed: {error}")
    return usage.ru_maxrss * 1024


def child_pack(plan: str, kind: str, output: str) -> None:
    """In a fresh process: build one pack and print its figures as JSON."""
    import resource

    from egov_planner.model.dates import parse_date
    from egov_planner.model.service import PlanService
    from egov_planner.model.store import open_plan
    from egov_planner.reports import build_report
    from egov_planner.reports.fonts import register_fonts

    register_fonts()  # reading the font files is not the pack's work
    service = PlanService(open_plan(Path(plan), read_only=True))
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        # Reading the plan counts, as it did when the pack read it itself.
        result = build_report(service.snapshot(), Path(output), protect=Path(plan), kind=kind, as_of=parse_date(AS_OF))
        figures = {
            "cpu": time.process_time() - cpu,
            "wall": time.perf_counter() - wall,
            "pages": result.pages,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    finally:
        service.store.close()
    print(json.dumps(figures))


def pack_figures(plan: Path, kind: str, folder: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child-pack", str(plan), kind, str(folder / f"{kind}.pdf")],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(output.stdout.strip().splitlines()[-1]))


def make_plan(folder: Path, actions: int, deps_per_action: float) -> tuple[Path, int]:
    csv_path = folder / f"plan-{actions}.csv"
    plan = folder / f"plan-{actions}.egov"
    links = write_plan_csv(csv_path, actions, deps_per_action=deps_per_action)
    cli("init", str(plan))
    cli("import", str(plan), str(csv_path))
    return plan, links


def import_bytes_per_dependency(folder: Path, dependencies: int) -> tuple[float, float, float]:
    """(bytes per dependency, peak MB without dependencies, peak MB with them)."""
    peaks = []
    for per_action in (0, dependencies / IMPORT_ACTIONS):
        csv_path = folder / f"import-{per_action:g}.csv"
        plan = folder / f"import-{per_action:g}.egov"
        write_plan_csv(csv_path, IMPORT_ACTIONS, deps_per_action=per_action)
        cli("init", str(plan))
        peaks.append(cli("import", str(plan), str(csv_path)))
        plan.unlink()
        csv_path.unlink()
    return (peaks[1] - peaks[0]) / dependencies, peaks[0] / 2**20, peaks[1] / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 20_000])
    parser.add_argument("--kinds", nargs="+", default=["exceptions", "cabinet"], choices=["exceptions", "cabinet"])
    parser.add_argument("--deps-per-action", type=float, default=2.0)
    parser.add_argument("--import-deps", type=int, default=1_000_000, help="0 to skip the import figure")
    parser.add_argument("--child-pack", nargs=3, metavar=("PLAN", "KIND", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_pack:
        child_pack(*args.child_pack)
        return

    print(f"report packs as at {AS_OF} ({args.deps_per_action:g} dependencies an action); one process each")
    print(f"{'actions':>8} {'deps':>8} {'kind':>11} {'CPU s':>8} {'wall s':>8} {'pages':>6} {'peak MB':>8}")
    cpu: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for size in args.sizes:
            plan, links = make_plan(folder, size, args.deps_per_action)
            for kind in args.kinds:
                figures = pack_figures(plan, kind, folder)
                cpu[kind, size] = figures["cpu"]
                print(
                    f"{size:>8} {links:>8} {kind:>11} {figures['cpu']:>8.2f} {figures['wall']:>8.2f} "
                    f"{figures['pages']:>6.0f} {figures['peak_mb']:>8.0f}",
                    flush=True,
                )
        low, high = min(args.sizes), max(s for s in args.sizes if s <= 4 * min(args.sizes))
        if high == 4 * low:
            for kind in args.kinds:
                ratio = cpu[kind, high] / cpu[kind, low]
                verdict = "met" if ratio <= RATIO_TARGET else "MISSED"
                print(
                    f"{kind}: {high} actions take {ratio:.2f}x the CPU of {low} -> {verdict} "
                    f"(target <= {RATIO_TARGET}x)"
                )
        if args.import_deps:
            per_link, without, with_links = import_bytes_per_dependency(folder, args.import_deps)
            verdict = "met" if per_link < BYTES_TARGET else "MISSED"
            print(
                f"import of {IMPORT_ACTIONS} actions: peak {without:.0f} MB with no dependencies, {with_links:.0f} MB "
                f"with {args.import_deps}: {per_link:.0f} bytes a dependency -> {verdict} (target < {BYTES_TARGET})"
            )


if __name__ == "__main__":
    main()
