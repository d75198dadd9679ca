"""The demo plan's cabinet pack, read back as a clerk or a councillor reads it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf.generic import DictionaryObject

from egov_planner.model.rules import Flag, Rag
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from tests.reports.conftest import PAGE_NUMBER, Pdf, squash

SECTIONS = [
    "1. INTRODUCTION AND SCOPE",
    "2. RECOMMENDATIONS",
    "3. SUMMARY",
    "3.1 How the review was carried out",
    "3.2 Summary",
    "4. FINANCIAL, LEGAL AND OTHER IMPLICATIONS",
    "4.1 Financial Implications",
    "4.2 Legal Implications",
    "4.3 Other Implications",
    "5. CONSULTATIONS",
    "6. OFFICER TO CONTACT",
    "DECISION STATUS",
    "APPENDIX A Improvement plan",
    "APPENDIX B Exceptions: actions overdue or at risk",
    "APPENDIX C Consultation evidence",
    "APPENDIX D BVPI 157 electronic service delivery",
]


@pytest.fixture(scope="module")
def demo(demo_template):  # type: ignore[no-untyped-def]
    """The demo plan's snapshot and assessment, to check the pack against the rules."""
    store = open_plan(demo_template, read_only=True)
    try:
        service = PlanService(store)
        snapshot = service.snapshot()
        return snapshot, service.assess()
    finally:
        store.close()


def public_actions(snapshot):  # type: ignore[no-untyped-def]
    exempt_objectives = {o.id for o in snapshot.objectives if o.exempt_paragraph}
    return [a for a in snapshot.actions if not a.exempt_paragraph and a.objective_id not in exempt_objectives]


def test_front_page_reads_like_the_seed(cabinet: Pdf) -> None:
    front = squash(cabinet.page_texts[0])
    for line in (
        "Leicester City Council",
        "Finance, Resources and Equal Opportunities Scrutiny",
        "22nd January 2004",
        "Cabinet",
        "2nd February 2004",
        "Best Value Review of e-Government Final Report and Improvement Plan",
        "REPORT OF THE SERVICE DIRECTOR (ICT & CUSTOMER ACCESS)",
        "Position as at 12 January 2004",
        "CONTENTS",
    ):
        assert squash(line) in front, line
    assert front.index(squash("22nd January 2004")) < front.index(squash("2nd February 2004"))


def test_sections_and_appendices_come_in_the_seeds_order(cabinet: Pdf) -> None:
    body = squash("\n".join(cabinet.page_texts[1:]))  # after the front page's contents list
    positions = [body.find(squash(heading)) for heading in SECTIONS]
    assert all(p >= 0 for p in positions), [h for h, p in zip(SECTIONS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_the_contents_list_gives_the_page_each_part_starts_on(cabinet: Pdf) -> None:
    with cabinet.plumber() as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    wanted = {
        "1. Introduction and scope": "1. INTRODUCTION AND SCOPE",
        "Decision status": "DECISION STATUS",
        "Appendix A: Improvement plan": "APPENDIX A Improvement plan",
        "Appendix B: Exceptions: actions overdue or at risk": "APPENDIX B",
        "Appendix D: BVPI 157 electronic service delivery": "APPENDIX D",
    }
    for entry, heading in wanted.items():
        line = next(line for line in lines if line.startswith(entry))
        page = int(line.rsplit(" ", 1)[1])
        assert page - 1 == cabinet.first_page_with(heading), entry


def test_paragraphs_are_numbered_by_the_pack(cabinet: Pdf) -> None:
    flat = cabinet.flat
    for numbered in (
        "1.1 The Council's ICT function was subject to a Best Value review",
        "1.2 The scope of the review was to:",
        "2.1 Endorse the improvement plan attached as Appendix A.",
        "3.1.1 The IDeA (Improvement Development Agency)",
        "3.1.4 The public were consulted via a short questionnaire",
        # The seed's numbers, which minutes cite: 3.2.1 whole, 4.1 starting at 4.1.2.
        "3.2.1 As at 12 January 2004, 133 of the 250",
        "3.2.2 The final report recognises the distinction",
        "3.2.3 Section 9.1.2 of the final report",
        "3.2.4 The following Improvement Objectives were agreed",
        "4.1.2 Departments have indicated",
        "4.1.3 The development of the Council's joint",
        "4.2.1 None.",
        "5.1 Strategic Resource Group",
    ):
        assert squash(numbered) in flat, numbered
    assert squash("4.1.1") not in flat
    # The seed's 3.2.1 is one paragraph: the BVPI figures and the officer's first summary paragraph.
    assert squash("98% of our services will be e-enabled.") in cabinet.section_text("3.2.1", "3.2.2")
    assert squash("we are on target for 100% of services being e-enabled") in cabinet.section_text("3.2.1", "3.2.2")
    # The recommendations' lead-in is not numbered; each recommendation is.
    assert squash("Members are asked to: 2.1 Endorse") in flat
    # The scope's bullets stay bullets under 1.2.
    assert squash("1.2 The scope of the review was to: • Ensure the Council") in flat


def test_the_bvpi_paragraph_is_computed_from_the_service_rows(cabinet: Pdf) -> None:
    paragraph = cabinet.section_text("3.2.1", "3.2.2")
    for words in (
        "72% by March 2004",
        "86% by March 2005",
        "by December 2005 98% of our services will be e-enabled",
        "dependent on the National Registration Services modernisation project",
        "which is not expected to come on line until June 2006",
        "Register office appointments",
    ):
        assert squash(words) in paragraph, words


def test_summary_figures_come_from_the_rules(cabinet: Pdf, demo) -> None:  # type: ignore[no-untyped-def]
    snapshot, assessment = demo
    shown = public_actions(snapshot)
    rags = [assessment.actions[a.id].rag for a in shown]
    summary = cabinet.section_text("3.2 Summary", "4. FINANCIAL")
    assert squash(f"the improvement plan has {len(shown)} actions under 7 improvement objectives") in summary
    assert (
        squash(
            f"{rags.count(Rag.BLUE)} complete (B), {rags.count(Rag.GREEN)} on track (G), "
            f"{rags.count(Rag.AMBER)} at risk (A) and {rags.count(Rag.RED)} overdue (R)"
        )
        in summary
    )
    # The demo: A1.2 overdue; A2.2 and A1.6 at risk.
    assert squash("1 action is overdue and 2 are at risk") in summary
    assert squash("Heads of ICT to continuously review progress towards the BVPI157 targets") in summary
    assert squash("1 action is exempt information under paragraph 3 of Part 1 of Schedule 12A") in summary
    assert squash("Exempt (Schedule 12A): not shown, reported in Part II exempt") in summary


def test_appendix_a_lists_every_public_action(cabinet: Pdf, demo) -> None:  # type: ignore[no-untyped-def]
    snapshot, _ = demo
    plan = cabinet.section_text("APPENDIX A", "APPENDIX B")
    for action in public_actions(snapshot):
        assert squash(f"{action.ref}{action.title}") in plan, action.ref
    for objective in snapshot.objectives:
        assert squash(f"{objective.ref} {objective.title}") in plan
    # Dependencies with their type and lag, external dependencies and the latest note.
    assert squash("A2.1 SS+30d") in plan
    assert squash("National Registration Services modernisation project (expected 30/06/2006)") in plan
    assert squash("05/01/2004 (Head of e-Government): Departmental returns in from five of six") in plan
    assert squash("Target date") in plan and squash("31/12/2003") in plan


def test_status_cells_carry_colour_and_letter(cabinet: Pdf) -> None:
    plan = cabinet.section_text("APPENDIX A", "APPENDIX B")
    for words in ("R Overdue", "A At risk", "B Complete", "N Deferred", "N Cancelled"):
        assert squash(words) in plan, words
    page = cabinet.first_page_with("A1.2")
    page = [p for p in cabinet.pages_with("A1.2") if cabinet.landscape(p)][0]
    red = tuple(int(Rag.RED.hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    with cabinet.plumber() as pdf:
        sheet = pdf.pages[page]
        word = next(w for w in sheet.extract_words() if w["text"] == "Overdue")
        filled = [
            r
            for r in sheet.rects
            if r["non_stroking_color"]
            and all(abs(a - b) < 0.01 for a, b in zip(r["non_stroking_color"], red, strict=False))
        ]
        assert any(
            r["x0"] <= word["x0"] and word["x1"] <= r["x1"] and r["top"] <= word["top"] <= r["bottom"] for r in filled
        ), "the word Overdue sits on a red cell"
        letters = [
            c for c in sheet.chars if c["text"] == "R" and c["x1"] <= word["x0"] and abs(c["top"] - word["top"]) < 2
        ]
        assert letters, "the letter R is printed beside the word"


def test_appendix_b_lists_the_exceptions_worst_first(cabinet: Pdf) -> None:
    exceptions = cabinet.section_text("APPENDIX B", "APPENDIX C")
    order = [exceptions.find(ref) for ref in ("A1.2", "A2.2", "A1.6")]
    assert -1 not in order and order == sorted(order)
    for words in (
        "12 days overdue",
        "Overdue by 12 days (due 31/12/2003)",
        "Waits on A2.1, forecast 31/03/2004",
        "Waits on National Registration Services modernisation project, expected 30/06/2006",
        "Forecast 29/12/2004",
        "Cannot start until the authentication approach (A2.1) is agreed.",
        "Chair, Heads of ICT",
    ):
        assert squash(words) in exceptions, words
    assert "A4.3" not in exceptions  # due soon is not an exception
    assert "A1.1" not in exceptions


def test_exempt_items_are_left_out_of_the_public_pack_everywhere(cabinet: Pdf, demo) -> None:  # type: ignore[no-untyped-def]
    snapshot, _ = demo
    exempt = [a for a in snapshot.actions if a.exempt_paragraph]
    assert exempt
    for action in exempt:
        assert action.ref not in cabinet.flat
        assert squash(action.title) not in cabinet.flat
    plan = cabinet.section_text("APPENDIX A", "APPENDIX B")
    assert squash("1 further action under this objective is exempt (paragraph 3 of Schedule 12A)") in plan


def test_every_page_has_header_footer_and_page_x_of_y(cabinet: Pdf) -> None:
    total = len(cabinet.page_texts)
    assert total == cabinet.pages_reported
    for index, text in enumerate(cabinet.page_texts):
        numbers = PAGE_NUMBER.findall(text)
        assert numbers == [(str(index + 1), str(total))], (index, numbers)
        flat = squash(text)
        assert squash("Position as at 12 January 2004") in flat
        assert squash("Leicester City Council") in flat
        assert squash("Best Value Review of e-Government Final Report and Improvement Plan") in flat


def test_report_pages_are_portrait_and_appendix_pages_landscape(cabinet: Pdf) -> None:
    first_appendix = cabinet.first_page_with("APPENDIX A")
    assert first_appendix > 1
    for index in range(len(cabinet.page_texts)):
        assert cabinet.landscape(index) == (index >= first_appendix), index


def test_fonts_are_embedded_truetype_only(cabinet: Pdf) -> None:
    seen: set[str] = set()

    def check(resources: DictionaryObject) -> None:
        fonts = resources.get("/Font")
        for ref in (fonts or {}).values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} is not embedded"
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} is not an embedded TrueType font"
        for xobject in (resources.get("/XObject") or {}).values():
            inner = xobject.get_object().get("/Resources")
            if inner is not None:
                check(inner.get_object())

    for page in cabinet.reader.pages:
        check(page["/Resources"].get_object())
    assert seen and all("DejaVuSans" in name for name in seen), seen


def test_pdffonts_reports_every_font_embedded(cabinet: Pdf) -> None:
    # .ci/run installs poppler-utils; a machine without it fails here rather than skipping the check.
    assert shutil.which("pdffonts"), "poppler-utils' pdffonts is not installed (apt-get install poppler-utils)"
    lines = subprocess.run(["pdffonts", str(cabinet.path)], capture_output=True, text=True, check=True).stdout
    rows = lines.splitlines()[2:]
    assert rows
    for row in rows:
        assert "DejaVuSans" in row and " yes yes yes " in row, row


def test_bookmarks_lead_to_each_section_and_appendix(cabinet: Pdf) -> None:
    outline = cabinet.outline()
    titles = [title for title, _, _ in outline]
    for title in (
        "1. INTRODUCTION AND SCOPE",
        "3. SUMMARY",
        "6. OFFICER TO CONTACT",
        "Decision status",
        "Appendix A: Improvement plan",
        "Appendix B: Exceptions: actions overdue or at risk",
        "Appendix C: Consultation evidence",
        "Appendix D: BVPI 157 electronic service delivery",
    ):
        assert title in titles, title
    for title, level, page in outline:
        if level == 0 and title.startswith("Appendix "):
            heading = "APPENDIX " + title.split(":")[0].split()[1]
            assert page == cabinet.first_page_with(heading), title
    objectives = [(t, p) for t, level, p in outline if level == 1]
    assert [t.split()[0] for t, _ in objectives] == ["O1", "O2", "O3", "O4", "O5", "O6", "O7"]
    for title, page in objectives:
        assert squash(title) in squash(cabinet.page_texts[page]), title


def test_document_properties(cabinet: Pdf) -> None:
    meta = cabinet.reader.metadata
    assert meta.title == "Best Value Review of e-Government Final Report and Improvement Plan"
    assert meta.author == "Service Director (ICT & Customer Access), Leicester City Council"
    assert "position as at 12 January 2004" in meta.subject
    assert "Cabinet 02/02/2004" in meta.subject


def test_appendix_c_gives_the_consultation_evidence(cabinet: Pdf) -> None:
    evidence = cabinet.section_text("APPENDIX C", "APPENDIX D")
    for words in (
        "over 100",
        "Staff in every department",
        "130",
        "411",
        "Public",
        "Inspection",
        "28/11/2003",
        "Audit Commission review of progress towards e-government",
    ):
        assert squash(words) in evidence, words


def test_appendix_d_has_a_vector_chart_and_the_tables(cabinet: Pdf) -> None:
    bvpi = cabinet.section_text("APPENDIX D", None)
    for words in (
        "Target 100%",
        "Target date 31/12/2005",
        "Milestones",
        "31/03/2004",
        "72%",
        "86%",
        "98%",
        "By department",
        "Resources, Access and Diversity",
        "By type of interaction",
        "Providing information",
        "Not e-enabled by 31/12/2005",
        "Register office appointments",
        "Not legally permissible electronically",
        "Elections",
    ):
        assert squash(words) in bvpi, words
    page = cabinet.first_page_with("APPENDIX D")
    assert cabinet.landscape(page)
    with cabinet.plumber() as pdf:
        sheet = pdf.pages[page]
        assert sheet.images == []  # drawn, not a picture
        assert len(sheet.lines) + len(sheet.curves) >= 10
    for index in range(len(cabinet.reader.pages)):
        xobjects = cabinet.reader.pages[index]["/Resources"].get("/XObject") or {}
        assert all(x.get_object()["/Subtype"] != "/Image" for x in xobjects.values())


def test_decision_status_and_officer(cabinet: Pdf) -> None:
    tail = cabinet.section_text("6. OFFICER TO CONTACT", "APPENDIX A")
    for words in (
        "Jill Craig",
        "Service Director (ICT & Customer Access)",
        "Key Decision Yes",
        "Reason Significant effect on two or more wards",
        "Appeared in Forward Plan Yes",
        "Executive or Council Decision Executive (Cabinet)",
    ):
        assert squash(words) in tail, words
    implications = cabinet.section_text("4.3 Other Implications", "5. CONSULTATIONS")
    assert squash("OTHER IMPLICATIONS YES/NO Paragraph references within supporting information.") in implications
    assert squash("Equal Opportunities YES Section 10") in implications
    assert squash("Property NO") in implications


def test_no_flag_is_lost_between_rules_and_pack(cabinet: Pdf, demo) -> None:  # type: ignore[no-untyped-def]
    snapshot, assessment = demo
    exceptions = cabinet.section_text("APPENDIX B", "APPENDIX C")
    for action in public_actions(snapshot):
        flag = assessment.actions[action.id].flag
        listed = squash(f"{action.ref}{action.title}") in exceptions
        assert listed == (flag in (Flag.OVERDUE, Flag.AT_RISK)), action.ref
