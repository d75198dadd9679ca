"""The printed timeline read back as a reader would: every sheet's labels, scale and legend, the pages
tiled across and down, exempt actions left out of a public pack, vector drawing only."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise
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
from egov_planner.reports.timeline_legend import ARROW_INK
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


A3_LANDSCAPE = (1190.55, 841.89)
A4_LANDSCAPE = (841.89, 595.28)


def sheet_facts(pdf: Pdf, label_right: float) -> list[tuple[tuple[float, float], str, list[str], set[str]]]:
    """Each sheet's page size, its caption's 'Rows a–b of n · sheet i of m across', its label column and the
    words of its scale."""
    facts = []
    with pdf.plumber() as doc:
        for index in sheets(pdf):
            page = doc.pages[index]
            caption = squash(pdf.page_texts[index])
            rows = caption[caption.index("Rows") : caption.index("Action", caption.index("Rows"))]
            words = page.extract_words()
            heading = next(w for w in words if w["text"] == "Action" and w["x1"] < label_right)
            legend = next(w for w in words if w["text"] == "Overdue" and w["top"] > heading["bottom"])
            top, bottom = heading["top"], heading["bottom"]
            labels = [w["text"] for w in words if w["x1"] < label_right and bottom < w["top"] < legend["top"]]
            scale = {w["text"] for w in words if w["x0"] > label_right and top - 14 < w["top"] < bottom}
            facts.append(((round(page.width, 2), round(page.height, 2)), rows, labels, scale))
            for words_of_legend in LEGEND:
                assert words_of_legend in pdf.page_texts[index], (index, words_of_legend)
    return facts


def test_a3_sheets_hold_more_rows_and_more_time_at_the_same_type_size(new_plan: PlanService, tmp_path: Path) -> None:
    plan_of(new_plan, 90, 7)
    a4 = build(new_plan, tmp_path / "a4.pdf", kind="timeline", scale=Scale.MONTHS)
    a3 = build(new_plan, tmp_path / "a3.pdf", kind="timeline", scale=Scale.MONTHS, paper="A3")
    from egov_planner.reports.timeline import LABEL_WIDTH_A3

    small = sheet_facts(a4, LABEL_RIGHT)
    large = sheet_facts(a3, LANDSCAPE_MARGINS[0] + LABEL_WIDTH_A3)
    assert {size for size, *_ in small} == {A4_LANDSCAPE}
    assert {size for size, *_ in large} == {A3_LANDSCAPE} and a3.pages_reported == len(large)
    for facts in (small, large):
        for _size, _rows, labels, scale in facts:
            assert any(label.startswith("B") for label in labels)  # the actions' refs on every sheet
            assert scale & MONTHS  # and the months of its scale
        refs = [label for _size, rows, labels, _scale in facts if "sheet1of" in rows
                for label in labels if label.startswith("B")]  # fmt: skip
        assert refs[:1] == ["B1"] and sorted(set(refs), key=lambda r: int(r[1:])) == [f"B{n}" for n in range(1, 91)]
    def across(facts: list[tuple[tuple[float, float], str, list[str], set[str]]]) -> int:
        return max(int(rows.split("sheet")[1].split("of")[1].split("across")[0]) for _s, rows, *_ in facts)

    assert 2 <= across(large) < across(small)  # more time on each A3 sheet
    most = max(len([w for w in labels if w.startswith("B")]) for _s, _r, labels, _sc in large)
    assert most > max(len([w for w in labels if w.startswith("B")]) for _s, _r, labels, _sc in small)  # more rows
    # The same type size: a ref is as tall on A3 as on A4.
    with a4.plumber() as doc4, a3.plumber() as doc3:
        height4 = next(c["size"] for c in doc4.pages[sheets(a4)[0]].chars if c["text"] == "B")
        height3 = next(c["size"] for c in doc3.pages[sheets(a3)[0]].chars if c["text"] == "B")
    assert height3 == pytest.approx(height4)


def test_no_sheet_down_holds_only_a_sliver_of_the_rows(new_plan: PlanService, tmp_path: Path) -> None:
    plan_of(new_plan, 70, 1)
    pdf = build(new_plan, tmp_path / "bands.pdf", kind="timeline")
    counts = []
    for index in sheets(pdf):
        caption = squash(pdf.page_texts[index])
        first, last = caption[caption.index("Rows") + 4 :].split("of")[0].strip().split("–")
        counts.append(int(last) - int(first) + 1)
    assert len(counts) >= 2 and min(counts) >= max(counts) * 0.7, counts


def test_report_takes_a_paper_in_any_case_and_refuses_another_in_one_line(demo_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "a3.pdf"
    assert run(["report", str(demo_path), "-o", str(output), "--kind", "timeline", "--paper", "A3"], io.StringIO()) == 0
    with pdfplumber.open(output) as doc:
        assert {(round(p.width, 2), round(p.height, 2)) for p in doc.pages} == {A3_LANDSCAPE}
    out, err = io.StringIO(), io.StringIO()
    bad = tmp_path / "a5.pdf"
    assert run(["report", str(demo_path), "-o", str(bad), "--kind", "timeline", "--paper", "a5"], out, err) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "--paper" in lines[0] and "'a4'" in lines[0] and "'a3'" in lines[0]
    assert not bad.exists()


def test_report_help_names_the_scale_and_the_paper() -> None:
    out = io.StringIO()
    assert run(["report", "--help"], out) == 0
    text = " ".join(out.getvalue().split())
    assert "--scale {weeks,months,quarters,years}" in text and "--paper {a4,a3}" in text


def test_a_lag_label_never_sits_on_a_bar(new_plan: PlanService, tmp_path: Path) -> None:
    """A successor starting five days after its predecessor leaves too little room between them for the
    label (where it used to be drawn, over the successor's bar): it moves beside the arrow's leg."""
    objective = new_plan.add_objective("O1", "Tight links")
    ids = []
    for n in range(8):  # ten days each, the next starting five days after: FS+5d exactly
        start = date(2004, 1, 12) + timedelta(days=16 * n)
        due = start + timedelta(days=10)
        ids.append(new_plan.add_action(objective, f"T{n + 1}", f"Step {n + 1}", due, start=start))
    for before, after in zip(ids, ids[1:], strict=False):
        new_plan.add_dependency(before, after, "FS", 5)
    pdf = build(new_plan, tmp_path / "tight.pdf", kind="timeline", scale=Scale.WEEKS)
    found = 0
    with pdf.plumber() as doc:
        page = doc.pages[sheets(pdf)[0]]
        labels = [w for w in page.extract_words() if w["text"] == "FS+5d"]
        bars = [r for r in page.rects if r["x0"] > LABEL_RIGHT and 6 < r["height"] < 10 and r["fill"]]
        assert len(bars) >= 8
        found += len(labels)
        for label in labels:
            for bar in bars:
                apart = label["x1"] <= bar["x0"] or label["x0"] >= bar["x1"]
                assert apart or label["bottom"] <= bar["top"] or label["top"] >= bar["bottom"], (label, bar)
        for one, other in zip(labels, labels[1:], strict=False):
            assert one["x1"] <= other["x0"] or one["x0"] >= other["x1"] or one["bottom"] <= other["top"]
    assert found >= 4  # moved beside the arrow, not left out wholesale


def is_arrow_ink(shape: dict[str, object]) -> bool:
    """Stroked in the arrows' grey (not a grid line's, nor the status date's red)."""
    colour = shape.get("stroking_color")
    wanted = (ARROW_INK.red, ARROW_INK.green, ARROW_INK.blue)
    if not isinstance(colour, tuple | list) or len(colour) != 3:
        return False
    return all(abs(a - b) < 0.01 for a, b in zip(colour, wanted, strict=True))


def test_an_arrow_passing_a_sheet_down_is_printed_in_a_plan_of_over_3000_links(tmp_path: Path) -> None:
    """A sheet between an arrow's two ends still shows its leg, however many links the plan has: a reader
    following it down the pages must not lose it on the sheets in between."""
    header = ["objective_ref", "objective", "action_ref", "action", "start", "due", "status", "depends_on"]
    rows = [["P1", "Joined-up services", "KICK", "Agree the programme", "05/04/2004", "30/04/2004", "not started", ""]]
    for n in range(1, 301):  # each starts with the 11 before it: 3,234 links, all among themselves
        depends = "; ".join(f"F{m} SS" for m in range(max(1, n - 11), n))
        start = date(2005, 1, 3) + timedelta(days=n)
        rows.append(["P1", "", f"F{n}", f"Filler step {n}", f"{start:%d/%m/%Y}",
                     f"{start + timedelta(days=20):%d/%m/%Y}", "not started", depends])  # fmt: skip
    rows.append(["P1", "", "SIGN", "Sign off the programme", "01/03/2006", "31/03/2006", "not started", "KICK"])
    csv_path = tmp_path / "links.csv"
    csv_path.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    plan = tmp_path / "links.egov"
    assert run(["init", str(plan)], io.StringIO()) == 0
    assert run(["import", str(plan), str(csv_path)], io.StringIO()) == 0
    output = tmp_path / "links.pdf"
    out = io.StringIO()
    assert run(["report", str(plan), "-o", str(output), "--kind", "timeline", "--as-of", "01/06/2004"], out) == 0
    pdf = Pdf(output, int(out.getvalue().split()[1]))
    with pdf.plumber() as doc:
        pages = sheets(pdf)
        middle = [i for i in pages if not {"KICK", "SIGN"} & set(label_column(doc.pages[i]))]
        assert len(middle) >= 5 and "sheet 2 of" not in " ".join(pdf.page_texts)  # one sheet across, many down
        for index in middle:
            page = doc.pages[index]
            legend = min(w["top"] for w in page.extract_words() if w["text"] == "Overdue")
            bars = [r for r in page.rects if r["x0"] > LABEL_RIGHT and 6 < r["height"] < 10 and r["bottom"] < legend]
            top, bottom = min(r["top"] for r in bars), max(r["bottom"] for r in bars)  # the first bar's, the last's
            legs = [
                x1
                for shape in page.curves + page.lines
                for (x1, y1), (x2, y2) in pairwise(shape.get("pts") or [(shape["x0"], shape["top"]),
                                                                        (shape["x1"], shape["bottom"])])
                if abs(x1 - x2) < 0.1 and x1 > LABEL_RIGHT and min(y1, y2) <= top and max(y1, y2) >= bottom
                and is_arrow_ink(shape)
            ]  # fmt: skip
            # The only arrow long enough to cross every row of the sheet is KICK -> SIGN, leaving KICK's end.
            assert legs, f"page {index + 1}: the arrow from KICK to SIGN is not drawn across it"
