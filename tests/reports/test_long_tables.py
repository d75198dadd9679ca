"""A table of hundreds of rows splits page by page: its header on every page, every row once and whole."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from reportlab.platypus import SimpleDocTemplate, Table

from egov_planner.model.import_rows import ActionImportRow
from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan
from egov_planner.reports import tables
from egov_planner.reports.fonts import register_fonts
from egov_planner.reports.styles import LANDSCAPE_FRAME, styles
from egov_planner.reports.text import esc
from tests.reports.conftest import Pdf, build, squash

COUNT = 300
LONG_NOTE = " ".join(f"Step {i:03d} of the delayed procurement is written up here." for i in range(160))
HEADER = "Ref Action Owner Target date Status Days overdue or forecast Reason Latest note"


@pytest.fixture(scope="module")
def exceptions_pack(tmp_path_factory: pytest.TempPathFactory) -> Pdf:
    """300 overdue actions, each due a day later than the one before (so worst first is in ref
    order), one of them with a note too long for a page."""
    folder = tmp_path_factory.mktemp("long")
    path = folder / "long.egov"
    create_plan(path)
    store = open_plan(path)
    try:
        service = PlanService(store)
        service.update_plan(authority="Westborough Council", title="Long plan", status_date=date(2005, 3, 1))
        fields = frozenset({"objective", "action", "due", "owner", "status"})
        service.import_actions(
            [
                ActionImportRow(
                    row=i + 2,
                    objective_ref="P7",
                    objective="Joined-up housing services",
                    action_ref=f"H{i + 1}",
                    action=f"Overdue task {i + 1} of the housing programme",
                    due=date(2003, 1, 6) + timedelta(days=i),
                    owner=f"Officer {i % 17}",
                    status="in_progress",
                    present=fields,
                )
                for i in range(COUNT)
            ]
        )
        middle = service.snapshot().actions[COUNT // 2 - 1]  # H150
        service.add_progress(middle.id, date(2005, 2, 1), LONG_NOTE, author="Officer 5")
        return build(service, folder / "long.pdf", kind="exceptions")
    finally:
        store.close()


def test_every_page_of_a_300_row_table_repeats_its_header(exceptions_pack: Pdf) -> None:
    rows = exceptions_pack.pages_with("Overdue task")
    assert len(rows) > 10
    pages = range(rows[0], rows[-1] + 1)  # with the pages the long note fills alone
    for index in pages:
        assert squash(HEADER) in squash(exceptions_pack.page_texts[index]), f"page {index + 1} has no header"


def test_every_row_prints_once_whole_in_worst_first_order(exceptions_pack: Pdf) -> None:
    text = exceptions_pack.flat
    refs = [int(n) for n in re.findall(r"H(\d+)Overduetask\1of", text)]
    assert refs == list(range(1, COUNT + 1))
    for index in exceptions_pack.pages_with("Overdue task"):
        page = squash(exceptions_pack.page_texts[index])
        # No row is cut at the foot of a page: each one that starts on a page ends on it too.
        for number in re.findall(r"H(\d+)Overduetask", page):
            assert re.search(rf"H{number}Overduetask{number}ofthehousingprogrammeObjectiveP7Officer", page), number


def test_a_note_taller_than_a_page_flows_on_inside_the_long_table(exceptions_pack: Pdf) -> None:
    # The note is cut into pieces on continuation rows, so other text comes between its sentences.
    steps = [int(n) for n in re.findall(r"Step(\d{3})of", exceptions_pack.flat)]
    assert steps == list(range(160))
    continued = exceptions_pack.pages_with("H150 (cont.)")
    assert len(continued) >= 3
    for index in continued:
        assert squash(HEADER) in squash(exceptions_pack.page_texts[index])


def test_a_long_table_builds_each_row_into_a_page_table_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """reportlab rebuilt the rest of a split table on every page (quadratic); pages now take their own rows."""
    built: list[int] = []
    original = Table.__init__

    def counting(self: Table, data: list[object], *args: object, **kwargs: object) -> None:
        built.append(len(data))
        original(self, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Table, "__init__", counting)
    rows = [[f"R{i}", f"Row {i} " * (1 + i % 9)] for i in range(2000)]
    width, height = LANDSCAPE_FRAME
    table = tables.data_table(["Ref", "Text"], rows, [60, width - 60], frame_height=height)
    document = SimpleDocTemplate(str(tmp_path / "t.pdf"))
    document.build([table])
    pages = document.page
    assert pages > 40
    # Each row goes into a measuring table, its page's table and at most one more: never the rest of the table.
    assert sum(built) < 4 * (len(rows) + pages)


@pytest.mark.parametrize("links", [21, 30, 45])
def test_a_dependency_list_cut_over_rows_gains_no_empty_line(links: int) -> None:
    """Twenty-odd dependencies are taller than a row may be: cut, each piece starts with a dependency."""
    register_fonts()
    lines = [f"C{i}.4 SS+{i}d" for i in range(links)]
    paragraph = tables.CellParagraph(esc("\n".join(lines)), styles().cell)
    whole = paragraph.wrap(90, 1e7)[1]
    pieces = tables._pieces(paragraph, 90, 200)
    heights = [piece.wrap(90, 1e7)[1] for piece in pieces]
    assert len(pieces) > 1 and max(heights) <= 200
    assert sum(heights) == whole  # an empty line at the top of a piece would add one
    texts = [" ".join(line.words[0].text for line in piece.blPara.lines) for piece in pieces]  # type: ignore[attr-defined]
    assert " ".join(texts).split() == " ".join(lines).split()
