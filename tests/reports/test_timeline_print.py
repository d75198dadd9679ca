"""The printed timeline read back as a reader would: every sheet's labels, scale and legend, the pages
tiled across and down, exempt actions left out of a public pack, vector drawing only."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from bench.generate import write_plan_csv
from egov_planner.cli import run
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.model.timeline import Scale
from egov_planner.reports.styles import LANDSCAPE_MARGINS
from egov_planner.reports.timeline import LABEL_WIDTH
from tests.reports.conftest import Pdf, build, squash

LABEL_RIGHT = LANDSCAPE_MARGINS[0] + LABEL_WIDTH  # the label column's right edge on the page
MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
LEGEND = (
    "Overdue", "At risk", "On track", "Complete", "Forecast beyond the target date", "Target date as last reported",
    "External dependency", "Dependency finish-to-start", "Continues on the next",
)  # fmt: skip


def label_column(page: pdfplumber.page.Page) -> list[str]:
    """The words of a sheet's label column, top to bottom (under its 'Action' heading, above the legend)."""
    words = page.extract_words()
    heading = next(w for w in words if w["text"] == "Action" and w["x1"] < LABEL_RIGHT)
    legend = next(w for w in words if w["text"] == "Overdue" and w["top"] > heading["bottom"])
    return [w["text"] for w in words if w["x1"] < LABEL_RIGHT and heading["bottom"] < w["top"] < legend["top"]]


def sheets(pdf: Pdf) -> list[int]:
    """0-based pages that carry a timeline sheet (their caption)."""
    return pdf.pages_with("Timeline by")


def test_the_demo_timeline_labels_every_shown_action_on_its_sheet(demo_template: Path, tmp_path: Path) -> None:
    store = open_plan(demo_template, read_only=True)
    try:
        service = PlanService(store)
        snapshot = service.snapshot()
        pdf = build(service, tmp_path / "timeline.pdf", kind="timeline")
    finally:
        store.close()
    exempt_objectives = {o.id for o in snapshot.objectives if o.exempt_paragraph}
    public = [a for a in snapshot.actions if not a.exempt_paragraph and a.objective_id not in exempt_objectives]
    hidden = [a for a in snapshot.actions if a not in public]
    assert hidden  # the demo has an exempt action: the public timeline must not name it
    labelled: list[str] = []
    with pdf.plumber() as doc:
        for index in sheets(pdf):
            page = doc.pages[index]
            assert page.width > page.height  # landscape
            assert not page.images  # vector drawing only
            labelled += label_column(page)
    assert [ref for ref in labelled if ref in {a.ref for a in snapshot.actions}] == [a.ref for a in public]
    for action in hidden:
        assert squash(action.title) not in pdf.flat
    for objective in snapshot.objectives:
        if objective.id not in exempt_objectives:
            assert objective.ref in labelled
    for words in LEGEND:
        assert len(pdf.pages_with(words)) == len(sheets(pdf)), words
    assert len(pdf.pages_with("Status date 12/01/2004")) == len(sheets(pdf))
    assert squash("1 action is exempt information under paragraph 3") in pdf.flat


def test_part2_timeline_shows_the_exempt_actions_alone(demo_template: Path, tmp_path: Path) -> None:
    store = open_plan(demo_template, read_only=True)
    try:
        service = PlanService(store)
        snapshot = service.snapshot()
        pdf = build(service, tmp_path / "part2.pdf", kind="timeline", part2=True)
    finally:
        store.close()
    exempt = [a for a in snapshot.actions if a.exempt_paragraph]
    with pdf.plumber() as doc:
        labelled = [w for i in sheets(pdf) for w in label_column(doc.pages[i])]
    assert [ref for ref in labelled if ref in {a.ref for a in snapshot.actions}] == [a.ref for a in exempt]
    assert all(text.count("NOT FOR PUBLICATION") >= 2 for text in pdf.page_texts)


def test_the_cabinet_pack_ends_with_the_timeline_appendix(cabinet: Pdf) -> None:
    outline = [title for title, _level, _page in cabinet.outline()]
    appendices = [t for t in outline if t.startswith("Appendix")]
    assert appendices[:3] == [
        "Appendix A: Improvement plan",
        "Appendix B: Exceptions: actions overdue or at risk",
        "Appendix C: Consultation evidence",
    ]
    assert appendices[-1] == f"Appendix {chr(ord('A') + len(appendices) - 1)}: Timeline"
    first = cabinet.first_page_with("Timeline by")
    assert first > cabinet.first_page_with("APPENDIX C")
    assert all(cabinet.landscape(i) for i in range(first, len(cabinet.page_texts)))
    assert squash("Appendix D: Timeline") in squash(cabinet.page_texts[0]) or "Appendix E: Timeline" in outline


def plan_of(service: PlanService, actions: int, years: int) -> None:
    """One objective of `actions` actions spread over `years` years, the first waited on by the last."""
    objective = service.add_objective("O1", "Spread over the years")
    ids = []
    for number in range(actions):
        start = date(2003 + number * years // actions, 4 + number % 6, 1 + number % 28)
        ids.append(service.add_action(objective, f"B{number + 1}", f"Step {number + 1}", start.replace(month=9),
                                      start=start))  # fmt: skip
    service.add_dependency(ids[0], ids[-1], "SS", 10)


def test_a_long_plan_is_tiled_across_with_labels_and_scale_on_every_sheet(
    new_plan: PlanService, tmp_path: Path
) -> None:
    plan_of(new_plan, 60, 7)
    pdf = build(new_plan, tmp_path / "months.pdf", kind="timeline", scale=Scale.MONTHS)
    bands: dict[str, list[list[str]]] = defaultdict(list)
    with pdf.plumber() as doc:
        for index in sheets(pdf):
            page = doc.pages[index]
            caption = squash(pdf.page_texts[index])
            rows = caption[caption.index("Rows") : caption.index("of", caption.index("Rows"))]
            bands[rows].append(label_column(page))
            scale_words = {w["text"] for w in page.extract_words() if w["x0"] > LABEL_RIGHT and w["top"] < 140}
            assert scale_words & MONTHS, index  # the months under each sheet's scale
            assert any(len(w) == 7 and w[4] == "/" for w in scale_words), index  # and its financial year, 2004/05
    assert len(bands) >= 2  # tiled down
    across = {len(sheet_labels) for sheet_labels in bands.values()}
    assert across == {max(across)} and max(across) >= 3  # every band is tiled across alike
    for label_sets in bands.values():
        assert all(labels == label_sets[0] for labels in label_sets)  # the same labels on each sheet across
    labelled = [ref for labels in bands.values() for ref in labels[0] if ref.startswith("B")]
    assert labelled == [f"B{n}" for n in range(1, 61)]
    assert "sheet 3 of" in " ".join(pdf.page_texts)


def test_an_arrow_between_sheets_down_is_drawn_on_both(new_plan: PlanService, tmp_path: Path) -> None:
    plan_of(new_plan, 60, 1)
    pdf = build(new_plan, tmp_path / "arrow.pdf", kind="timeline")
    with pdf.plumber() as doc:
        pages = sheets(pdf)
        assert len(pages) >= 2
        first, last = doc.pages[pages[0]], doc.pages[pages[-1]]
        assert "B1" in label_column(first) and "B60" in label_column(last) and "B60" not in label_column(first)
        # The SS+10d arrow leaves B1's start on the first sheet and reaches B60 on the last: its label is there.
        assert "SS+10d" in last.extract_text() and "SS+10d" not in first.extract_text()

        def vertical_runs(page: pdfplumber.page.Page) -> list[float]:
            """x of the long vertical strokes in the chart (the arrow's leg)."""
            runs = []
            for shape in page.curves + page.lines:
                points = shape.get("pts") or [(shape["x0"], shape["top"]), (shape["x1"], shape["bottom"])]
                for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
                    if abs(x1 - x2) < 0.1 and abs(y1 - y2) > 150 and x1 > LABEL_RIGHT:
                        runs.append(round(x1, 1))
            return runs

        assert set(vertical_runs(first)) & set(vertical_runs(last))  # the same leg, on both sheets


@pytest.mark.slow
def test_a_large_plan_prints_on_a_sensible_number_of_vector_pages(tmp_path: Path) -> None:
    csv_path = tmp_path / "big.csv"
    write_plan_csv(csv_path, 2000)
    plan = tmp_path / "big.egov"
    assert run(["init", str(plan)], io.StringIO()) == 0
    assert run(["import", str(plan), str(csv_path)], io.StringIO()) == 0
    output = tmp_path / "big.pdf"
    out = io.StringIO()
    assert run(["report", str(plan), "-o", str(output), "--kind", "timeline", "--as-of", "01/06/2004"], out) == 0
    pdf = Pdf(output, int(out.getvalue().split()[1]))
    rows = 2000 + 50 + 13  # actions, objective headings, the externals' heading and rows at most
    assert rows / 40 <= pdf.pages_reported <= rows / 25 + 1  # one sheet across, 25-40 rows a sheet
    assert not any(page.images for page in pdf.reader.pages)  # vector only: no image XObject anywhere
    with pdf.plumber() as doc:
        for index in (0, len(doc.pages) // 2, len(doc.pages) - 1):
            words = label_column(doc.pages[index])
            assert sum(1 for w in words if w.startswith("A") and "." in w) >= 20, index
            assert "Overdue" in pdf.page_texts[index] and "Status date 01/06/2004" in pdf.page_texts[index]


@pytest.mark.parametrize("scale", ["weeks", "quarters", "years"])
def test_report_takes_a_scale(demo_path: Path, tmp_path: Path, scale: str) -> None:
    output = tmp_path / f"{scale}.pdf"
    out = io.StringIO()
    assert run(["report", str(demo_path), "-o", str(output), "--kind", "timeline", "--scale", scale], out) == 0
    text = squash(Pdf(output, 0).text)
    assert squash(f"Timeline by {Scale[scale.upper()].value}") in text


@pytest.mark.parametrize("name", ["timeline.html", "timeline.docx"])
def test_a_timeline_asked_for_as_a_web_page_or_word_paper_is_refused_in_one_line(
    demo_template: Path, tmp_path: Path, name: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run(["report", str(demo_template), "-o", str(tmp_path / name), "--kind", "timeline"], out, err)
    assert code == 2
    assert err.getvalue().strip().endswith(f"{name}: the timeline is printed as a PDF only; name the file .pdf")
    assert not (tmp_path / name).exists()
