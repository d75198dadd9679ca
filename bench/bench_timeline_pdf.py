"""Benchmark: the printed timeline (report --kind timeline) of generated plans.

    python bench/bench_timeline_pdf.py [--sizes 2000 20000] [--as-of 01/06/2004]

Each plan comes from bench/generate.py (two dependencies an action) and is imported through the
command line, as an officer would. The time is build_report's, from the snapshot to the saved PDF
(layout, every sheet's drawing and the file), with its page count and file size.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import write_plan_csv  # noqa: E402

from egov_planner.cli import run  # noqa: E402
from egov_planner.model.dates import parse_date  # noqa: E402
from egov_planner.model.service import PlanService  # noqa: E402
from egov_planner.model.store import open_plan  # noqa: E402
from egov_planner.reports import build_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--as-of", default="01/06/2004")
    args = parser.parse_args()
    as_of = parse_date(args.as_of)
    print(f"{'actions':>8} {'pages':>6} {'MB':>6} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            csv_path = Path(folder) / f"plan{size}.csv"
            plan = Path(folder) / f"plan{size}.egov"
            write_plan_csv(csv_path, size)
            quiet = io.StringIO()
            if run(["init", str(plan)], quiet, quiet) or run(["import", str(plan), str(csv_path)], quiet, quiet):
                sys.exit(f"could not import the {size}-action plan: {quiet.getvalue().strip()}")
            store = open_plan(plan, read_only=True)
            try:
                snapshot = PlanService(store).snapshot()
            finally:
                store.close()
            output = Path(folder) / f"timeline{size}.pdf"
            began = time.perf_counter()
            result = build_report(snapshot, output, protect=plan, kind="timeline", as_of=as_of)
            took = time.perf_counter() - began
            print(f"{size:>8} {result.pages:>6} {output.stat().st_size / 1e6:>6.1f} {took:>8.2f}")


if __name__ == "__main__":
    main()
