"""build_report: one plan snapshot in, one report pack PDF out (written atomically).

The pack never reads a live plan: whoever calls it takes the snapshot (on the
thread they like) and says which file the pack must never overwrite.
"""

from __future__ import annotations

import errno
import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from egov_planner.model import planning
from egov_planner.model.dates import british, long_british
from egov_planner.model.errors import PlanError
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.safe_files import atomic_path
from egov_planner.model.timeline import Scale
from egov_planner.reports.cabinet import CabinetPack, ExceptionsPack, TimelinePack
from egov_planner.reports.checks import pack_warnings
from egov_planner.reports.data import prepare
from egov_planner.reports.document import PackDocument, PageFurniture
from egov_planner.reports.papers import PAPER_FORMATS, disk_full, write_paper
from egov_planner.reports.styles import TIMELINE_PAPERS
from egov_planner.reports.text import plain

REPORT_KINDS = ("cabinet", "exceptions", "timeline")
# The format is chosen by the output's extension (CONTRACTS.md "Formats by extension").
REPORT_FORMATS = (".pdf", *PAPER_FORMATS)
PREPARE_STEPS = 2  # assess the plan, write the story; then the layout's ticks; then save


class ReportError(PlanError):
    """A pack that cannot be made as asked (bad output path, nothing exempt for Part II…); one line."""


@dataclass(frozen=True, slots=True)
class ReportResult:
    path: Path
    pages: int
    # What to check before issuing it (meetings already held, text unchanged since the last report).
    warnings: list[str] = field(default_factory=list)


def _check_output(output: Path, plan_path: Path | None) -> Path:
    """Refuse an output the pack must not or cannot be written to, before doing any work."""
    if output.suffix.lower() not in REPORT_FORMATS:
        raise ReportError(f"{output}: the report must be saved as a .pdf, .html or .docx file")
    if output.is_dir():
        raise ReportError(f"{output} is a folder; give a file name ending in .pdf, .html or .docx")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.exists():
        raise ReportError(f"{output}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise ReportError(f"{output}: {folder} is not a folder")
    from egov_planner.model.store import PlanFileError, refuse_plan_target

    try:
        refuse_plan_target(output, plan_path, "report")
    except PlanFileError as error:
        raise ReportError(str(error)) from None
    if output.exists() and not os.access(output, os.W_OK):
        raise ReportError(f"{output}: the existing file cannot be replaced (permission denied)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReportError(f"{output}: cannot write in {folder} (permission denied)")
    return output


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """Keep the garbage collector off the objects made so far (the plan, the story) while laying out.

    Layout makes and drops millions of short-lived objects; each full collection would otherwise walk
    the whole plan again (a fifth of a 10,000-action, 200,000-dependency pack's time). Objects still
    go when their last reference does; only cycles among them wait for the unfreeze.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def build_report(
    snapshot: PlanSnapshot,
    output: Path,
    *,
    protect: Path | None,
    kind: str = "cabinet",
    as_of: date | None = None,
    part2: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    today: date | None = None,
    scale: Scale | None = None,
    paper: str = "a4",
) -> ReportResult:
    """Build a report pack of the plan as snapshot holds it and write it to output, atomically.

    The format is output's extension: .pdf the printed pack, .html one accessible web page, .docx a Word
    paper; the HTML and Word papers are drawn from one content model (content.py) with the PDF's words
    and figures, and their result has pages 0.

    protect is the plan's own file (Store.path; None for a plan on a server):
    an output that is it, or its lock or journal, is refused. It has no default
    so that no caller can forget it.

    kind 'cabinet' is the committee report with Appendices A-D; 'exceptions' is
    the overdue and at-risk list with a short cover; 'timeline' the timeline alone on landscape sheets
    (the cabinet pack carries it too, as its last appendix), at `scale` or the finest that fits, on
    `paper` ('a4' or 'a3', landscape; the rest of a pack stays A4); a PDF only. part2 builds the exempt
    (Part II, not for publication) pack instead of the public one; a plan with
    nothing exempt has no Part II pack and raises ReportError. The status date is
    as_of, else the plan's status date, else today. progress(done, total, message)
    is called as the work advances (from the calling thread). The result's warnings say what makes the
    pack untrue as at its date (reports/checks.py); the pack is made all the same. Raises ReportError
    (a PlanError) with a one-line message for an unusable output or request.
    """
    if kind not in REPORT_KINDS:
        raise ReportError(f"'{kind}' is not a kind of report (use {' or '.join(REPORT_KINDS)})")
    paper = paper.lower()
    if paper not in TIMELINE_PAPERS:
        raise ReportError(f"'{paper}' is not a paper the timeline is printed on (use {' or '.join(TIMELINE_PAPERS)})")
    output = _check_output(Path(output), protect)
    if kind == "timeline" and output.suffix.lower() in PAPER_FORMATS:
        raise ReportError(f"{output.name}: the timeline is printed as a PDF only; name the file .pdf")

    state = {"done": 0, "total": PREPARE_STEPS + 1}

    def step(message: str) -> None:
        state["done"] = min(state["done"] + 1, state["total"])
        if progress is not None:
            progress(state["done"], state["total"], message)

    details = snapshot.details
    status_date = planning.status_date(details.status_date, as_of, today)
    data = prepare(snapshot, status_date, part2)
    if part2 and not data.exempt_actions and not data.exempt_objectives:
        raise ReportError("nothing in this plan is exempt, so there is no Part II pack to print")
    step("assessed the actions")

    if output.suffix.lower() in PAPER_FORMATS:
        try:
            write_paper(data, output, kind, step)
        except PermissionError as error:
            raise ReportError(f"{output}: cannot write the report (permission denied)") from error
        except OSError as error:
            if disk_full(error):
                raise ReportError(f"{output}: the disk is full; free some space and try again") from error
            raise ReportError(f"{output}: cannot write the report ({error.strerror or error})") from error
        state["done"] = state["total"] - 1
        step("saved the report")
        return ReportResult(output, 0, pack_warnings(snapshot, status_date, kind, part2))

    marking = "NOT FOR PUBLICATION" if part2 else ""
    furniture = PageFurniture(
        authority=details.authority,
        title=details.title or "Improvement plan",
        footer_left=f"Position as at {long_british(status_date)}",
        marking=marking,
    )
    writer_class = {"exceptions": ExceptionsPack, "timeline": TimelinePack}.get(kind, CabinetPack)
    writer = writer_class(data, furniture, step)
    writer.timeline_scale = scale
    writer.timeline_paper = paper
    writer.build()
    state["total"] = PREPARE_STEPS + writer.ticks + 1
    step("wrote the pack's text")

    what = {"exceptions": "Exceptions report", "timeline": "Timeline"}.get(kind, "Report")
    if part2:
        what += " (Part II, not for publication)"
    meetings = "; ".join(f"{m.committee} {british(m.meets_on)}" for m in snapshot.meetings)
    subject = f"{what}: position as at {long_british(status_date)}" + (f". {meetings}" if meetings else "")
    author = ", ".join(plain(x) for x in (details.report_of, details.authority) if x) or "egov-planner"
    title = details.title or "Improvement plan"
    if kind in ("exceptions", "timeline"):
        title = f"{title}: {kind}"
    if part2:
        title = f"{title}: Part II (not for publication)"

    try:
        with atomic_path(output, suffix=".part") as temp:
            document = PackDocument(
                str(temp),
                furniture,
                title=title,
                author=author,
                subject=subject,
                first_template={"exceptions": "landscape", "timeline": TIMELINE_PAPERS[paper]}.get(kind, "portrait"),
            )
            with _long_lived_frozen():
                pages = document.build_pack(writer.story)
    except PermissionError as error:
        raise ReportError(f"{output}: cannot write the report (permission denied)") from error
    except OSError as error:
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise ReportError(f"{output}: the disk is full; free some space and try again") from error
        raise ReportError(f"{output}: cannot write the report ({error.strerror or error})") from error
    state["done"] = state["total"] - 1
    step(f"saved {pages} pages")
    return ReportResult(output, pages, pack_warnings(snapshot, status_date, kind, part2))
