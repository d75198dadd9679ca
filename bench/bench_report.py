"""Benchmark: the cabinet report pack of a 2,000-action plan against a bare reportlab table script.

    python bench/bench_report.py [--actions 2000] [--objectives 50] [--repeat 3] [--as-of 01/06/2004]

The plan comes from bench/generate.py (imported through the command line, as
an officer would). Both contenders run in this process after one warm-up (so
reading the font files is not counted twice) and both start from the same
PlanService: the pack is `build_report`; the bare script reads the same
snapshot, assesses it and draws the same rows -- every action (Appendix A) and
every overdue or at-risk action (Appendix B) -- as Paragraph cells in one plain
reportlab Table per objective, with no header or footer, bookmarks, RAG cells
or text checks. Both run with rl-accel, reportlab's C accelerator (a dependency;
the script says if reportlab fell back to Python). Target: the pack takes at
most 1.3x the bare script and under 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import write_plan_csv  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table  # noqa: E402

from egov_planner.cli import run  # noqa: E402
from egov_planner.model.dates import british, parse_date  # noqa: E402
from egov_planner.model.positions import flagged_actions  # noqa: E402
from egov_planner.model.rules import assess_plan  # noqa: E402
from egov_planner.model.service import PlanService  # noqa: E402
from egov_planner.model.store import open_plan  # noqa: E402
from egov_planner.reports import build_report  # noqa: E402
from egov_planner.reports.fonts import REGULAR, register_fonts  # noqa: E402

RATIO_TARGET = 1.3
SECONDS_TARGET = 10.0


def accelerator() -> str:
    """Whether reportlab runs its C accelerator (rl-accel) or its Python fallbacks."""
    from reportlab.lib import rl_accel

    if rl_accel._py_funcs:
        return "rl-accel NOT in use (Python fallbacks for " + ", ".join(sorted(rl_accel._py_funcs)) + ")"
    return "rl-accel in use (reportlab's C accelerator)"


def bare_tables(service: PlanService, output: Path, as_of: date) -> int:
    """The same rows with nothing but reportlab: returns the number of pages."""
    snapshot = service.snapshot()
    assessment = assess_plan(snapshot.facts(), as_of, snapshot.details.due_soon_days)
    style = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=11)
    story: list[object] = []

    def table(rows: list[list[str]], widths: tuple[float, ...] | list[float] = (14, 58, 33, 23, 25, 40, 68)) -> Table:
        cells = [[Paragraph(escape(text).replace("\n", "<br/>"), style) for text in row] for row in rows]
        return Table(
            cells,
            colWidths=[w * mm for w in widths],
            repeatRows=1,
            style=[
                ("GRID", (0, 0), (-1, -1), 0.25, "grey"),
                ("FONT", (0, 0), (-1, -1), REGULAR, 8.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )

    header = ["Ref", "Action", "Lead officer", "Target date", "Status", "Depends on", "Latest progress"]
    by_objective: dict[int, list[list[str]]] = {}
    for action in snapshot.actions:
        result = assessment.actions[action.id]
        note = snapshot.latest_progress.get(action.id)
        # The same words the pack prints in each cell, without its styling.
        due = british(action.due)
        if result.flag is not None and result.forecast > action.due:
            due += f"\nForecast {british(result.forecast)}"
        by_objective.setdefault(action.objective_id, []).append(
            [
                action.ref,
                "\n".join(t for t in (action.title, action.description) if t),
                "\n".join(t for t in (action.owner, action.owner_role) if t),
                due,
                f"{result.rag.value} {result.flag.label if result.flag else ''}\n"
                f"{action.status} {action.percent_complete}%",
                "\n".join([link.as_text for link in action.predecessors] + list(action.externals)) or "-",
                f"{british(note.reported_on)} ({note.author}): {note.note}" if note else "No update recorded",
            ]
        )
    for objective in snapshot.objectives:
        story.append(Paragraph(escape(f"{objective.ref} {objective.title}"), style))
        story.append(table([header, *by_objective.get(objective.id, [])]))
    labels = {a.id: (a.title, a.objective_ref, a.owner) for a in snapshot.actions}
    exceptions = [
        [
            item.ref,
            f"{item.title}\nObjective {item.objective}",
            item.owner,
            british(item.due),
            item.flag.label,
            f"Forecast {british(item.forecast)}",
            item.reason,
            "No update recorded",
        ]
        for item in flagged_actions(snapshot.facts(), assessment, labels)
        if item.flag.value in ("overdue", "at_risk")
    ]
    story.append(
        table(
            [["Ref", "Action", "Owner", "Due", "Flag", "Forecast", "Reason", "Latest note"], *exceptions],
            [14, 52, 31, 23, 22, 27, 44, 48],
        )
    )
    document = SimpleDocTemplate(str(output), pagesize=landscape(A4), leftMargin=16 * mm, rightMargin=16 * mm)
    document.build(story)  # type: ignore[arg-type]
    return document.page


def interleaved(pack, bare, repeat: int) -> dict[str, tuple[float, float, object]]:  # type: ignore[no-untyped-def]
    """Median (wall s, CPU s) and last result of each contender, run alternately.

    Alternating shares out the noise of a busy machine; CPU time (this
    process only) is the figure judged, as other work on the machine cannot
    inflate it the way it inflates the wall clock.
    """
    runs: dict[str, list[tuple[float, float]]] = {"pack": [], "bare": []}
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, work in (("pack", pack), ("bare", bare)):
            wall, cpu = time.perf_counter(), time.process_time()
            results[name] = work()
            runs[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        name: (statistics.median(w for w, _ in times), statistics.median(c for _, c in times), results[name])
        for name, times in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="01/06/2004")
    args = parser.parse_args()
    as_of = parse_date(args.as_of)
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.egov"
        csv_path = Path(folder) / "plan.csv"
        links = write_plan_csv(csv_path, args.actions, args.objectives)
        for command in (["init", str(plan)], ["import", str(plan), str(csv_path)]):
            if run(command) != 0:
                raise SystemExit(f"egov-planner {' '.join(command)} failed")
        register_fonts()
        service = PlanService(open_plan(plan, read_only=True))
        try:
            pack_pdf, bare_pdf = Path(folder) / "pack.pdf", Path(folder) / "bare.pdf"
            build_report(service.snapshot(), pack_pdf, protect=plan, as_of=as_of)  # warm-up
            bare_tables(service, bare_pdf, as_of)
            figures = interleaved(
                lambda: build_report(service.snapshot(), pack_pdf, protect=plan, as_of=as_of),
                lambda: bare_tables(service, bare_pdf, as_of),
                args.repeat,
            )
            flagged = sum(1 for a in service.assess(as_of).actions.values() if a.flag and a.flag.value != "due_soon")
        finally:
            service.store.close()
    pack_wall, pack_cpu, pack_result = figures["pack"]
    bare_wall, bare_cpu, bare_pages = figures["bare"]
    ratio = pack_cpu / bare_cpu
    print(
        f"plan: {args.actions} actions, {args.objectives} objectives, {links} dependencies, "
        f"{flagged} overdue or at risk as at {british(as_of)}; median of {args.repeat} runs each"
    )
    print(accelerator())
    print(f"pack (build_report):   CPU {pack_cpu:6.2f} s  wall {pack_wall:6.2f} s  {pack_result.pages:4d} pages")  # type: ignore[attr-defined]
    print(f"bare reportlab tables: CPU {bare_cpu:6.2f} s  wall {bare_wall:6.2f} s  {bare_pages:4d} pages")
    verdict = "met" if ratio <= RATIO_TARGET and pack_cpu < SECONDS_TARGET else "MISSED"
    print(
        f"ratio pack/bare (CPU): {ratio:.2f}; wall {pack_wall / bare_wall:.2f}  -> {verdict} "
        f"(target <= {RATIO_TARGET}x and < {SECONDS_TARGET:.0f} s)"
    )


if __name__ == "__main__":
    main()
