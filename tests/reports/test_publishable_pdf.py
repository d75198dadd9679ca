"""Issue 14: a PDF a clerk can publish as it comes — report fields, captions, contrast, metadata, pictures."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from egov_planner.model.errors import PlanError
from egov_planner.model.rules import Rag
from egov_planner.model.service import PlanService
from egov_planner.reports.styles import PRINT_RAG_FILL, RAG_TEXT
from tests.reports.conftest import Pdf, build, squash

HOSTILE = "<b>x</b> & ŵ Łódź"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("rag", list(Rag))
def test_every_status_colour_reads_white_at_4_5_to_1(rag: Rag) -> None:
    assert contrast(PRINT_RAG_FILL[rag], RAG_TEXT) >= 4.5, rag


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Pdf:
    """The demo plan with the fields a committee paper carries, some of them hostile, and a long description."""
    import shutil

    from egov_planner.model.store import open_plan

    folder = tmp_path_factory.mktemp("paper")
    path = folder / "paper.egov"
    shutil.copy(demo_template, path)
    store = open_plan(path)
    service = PlanService(store)
    try:
        service.update_plan(
            agenda_item="B7",
            report_date=date(2004, 1, 14),
            wards_affected=f"Castle; Spinney Hills {HOSTILE}",
            officer_phone="0116 252 7000 <ext 2>",
            officer_email="jill.craig@leicester.gov.uk",
            background_papers=f"  Cabinet minutes 12/01/2004\n\nIDeA toolkit {HOSTILE}  \n",
        )
        snapshot = service.snapshot()
        first = next(a for a in snapshot.actions if a.ref == "A3.1")
        description = " ".join(f"Word{i:04d}" for i in range(375))  # 3,374 characters
        service.update_action(first.id, description=description, notes=f"Note {HOSTILE}")
        return build(service, folder / "paper.pdf")
    finally:
        store.close()


def test_the_front_sheet_carries_agenda_item_date_wards_and_contact(paper: Pdf) -> None:
    front = squash(paper.page_texts[0])
    for words in (
        "Agenda item: B7",
        "Report date: 14 January 2004",
        f"Wards affected: Castle; Spinney Hills {HOSTILE}",
        "telephone 0116 252 7000 <ext 2>",
        "email jill.craig@leicester.gov.uk",
    ):
        assert squash(words) in front, words


def test_background_papers_are_listed_under_section_100d(paper: Pdf, cabinet: Pdf) -> None:
    section = paper.section_text("BACKGROUND PAPERS – LOCAL GOVERNMENT ACT 1972 s.100D", "APPENDIX A")
    assert squash("Cabinet minutes 12/01/2004") in section
    assert squash(f"IDeA toolkit {HOSTILE}") in section
    demo = cabinet.section_text("BACKGROUND PAPERS", "APPENDIX A")
    assert squash("Best Value Review of e-Government: final report (2004)") in demo


def test_appendix_a_prints_success_measure_resources_department_and_notes(paper: Pdf) -> None:
    appendix = paper.section_text("APPENDIX A", "APPENDIX B")
    assert squash("Success measure: Every department returns its ESD toolkit position each quarter") in appendix
    assert squash("Resources: Within existing budgets") in appendix
    assert squash("Resources, Access and Diversity") in appendix  # the department, under the lead officer
    assert squash(f"Notes: Note {HOSTILE}") in appendix


def test_a_long_description_runs_across_the_page_not_down_a_column(paper: Pdf) -> None:
    with paper.plumber() as pdf:
        words = [
            (page.page_number, w) for page in pdf.pages for w in page.extract_words() if w["text"].startswith("Word0")
        ]
    assert len(words) == 375
    pages = {number for number, _ in words}
    assert len(pages) == 1  # before: two and a half pages down the Action column
    lead = max(w["x1"] for _, w in words)
    assert lead > 500  # reaches well past the Action column (which ends near x=200)


def test_continuation_pages_say_continued_and_every_table_is_captioned(cabinet: Pdf) -> None:
    appendix_pages = cabinet.page_texts[cabinet.first_page_with("APPENDIX A") :]
    continued = [squash(t) for t in appendix_pages if "(continued)" in t]
    assert any(squash("O1 Review progress towards the BVPI 157 targets (continued)") in t for t in continued)
    numbers = [int(n) for n in re.findall(r"Table (\d+):", cabinet.text)]
    unique = sorted(set(numbers))
    assert unique == list(range(1, len(unique) + 1)) and len(unique) >= 15
    # Every page with a table header row has a caption or a continued heading on it.
    for text in cabinet.page_texts:
        if re.search(r"\bRef\s+(Action|Objective)", text) or "OTHER IMPLICATIONS" in text:
            assert "Table " in text or "(continued)" in text, text[:200]


def test_the_title_shows_in_the_viewer_and_in_xmp(cabinet: Pdf) -> None:
    reader = PdfReader(cabinet.path)
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/Lang"] == "en-GB"
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": "Best Value Review of e-Government Final Report and Improvement Plan"}
    assert xmp.dc_creator == ["Service Director (ICT & Customer Access), Leicester City Council"]
    assert xmp.dc_language == ["en-GB"]
    assert "position as at 12 January 2004" in xmp.dc_description["x-default"]


def test_part2_carries_the_public_interest_test_and_the_whole_title(demo_packs: dict[str, Pdf]) -> None:
    part2 = demo_packs["part2"]
    assert squash("the public interest in maintaining the exemption outweighs the public interest in disclosing") in (
        part2.flat
    )
    title = "Best Value Review of e-Government Final Report and Improvement Plan"
    for text in part2.page_texts:  # the running header: the title whole beside the marking, never cut with "…"
        header = "\n".join(text.splitlines()[:3])  # the timeline's action labels may be elided; never the header
        assert squash(title) in squash(header) and "…" not in header, text[:200]
        assert text.count("NOT FOR PUBLICATION") >= 2


def test_seed_paragraph_numbers_hold_with_progress_since(cabinet: Pdf) -> None:
    assert squash("3.2.4 The following Improvement Objectives were agreed by the Review Group") in cabinet.flat
    assert squash("4.1.2 Departments have indicated") in cabinet.flat


def test_report_fields_are_checked(new_plan: PlanService) -> None:
    with pytest.raises(PlanError, match="agenda item"):
        new_plan.update_plan(agenda_item="x" * 41)
    with pytest.raises(PlanError, match="report date 31/12/9999"):
        new_plan.update_plan(report_date=date(9999, 12, 31))
    details = new_plan.update_plan(agenda_item=" 7 ", background_papers="\n a   b \n\n c\n")
    assert (details.agenda_item, details.background_papers) == ("7", "a b\nc")
    assert new_plan.snapshot().details.report_date is None


def _pages_as_pictures(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def test_no_ink_outside_the_page_margins(paper: Pdf, tmp_path: Path) -> None:
    """Render every page: the outer 8 mm band is white on each, so nothing overflows the margins."""
    pictures = _pages_as_pictures(paper.path, tmp_path)
    assert len(pictures) == len(paper.page_texts)
    band = round(8 / 25.4 * 40)
    for picture in pictures:
        image = Image.open(picture).convert("L")
        width, height = image.size
        for box in ((0, 0, width, band), (0, height - band, width, height), (0, 0, band, height)):
            assert image.crop(box).getextrema()[0] >= 250, (picture.name, box)
        assert image.crop((width - band, 0, width, height)).getextrema()[0] >= 250, picture.name
        # And the page carries something inside the margins.
        assert image.crop((band, band, width - band, height - band)).getextrema()[0] < 100, picture.name
