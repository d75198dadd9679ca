"""The timeline appendix in the HTML and Word papers, read back as a reader gets it: the SVG's bars and their
letters, the table of the same facts, the Word pictures with alternative text in a landscape section."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.reports import build_report, content_timeline
from egov_planner.reports.content import TimelineFigure
from egov_planner.reports.content_packs import build_content
from egov_planner.reports.data import prepare
from tests.reports.browser import axe_violations, run_in_page
from tests.reports.test_papers import read_html


@pytest.fixture(scope="module")
def demo_service(demo_template: Path) -> Iterator[PlanService]:
    store = open_plan(demo_template, read_only=True)
    try:
        yield PlanService(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def papers(demo_service: PlanService, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("timeline-papers")
    found = {}
    for name, part2 in (("cabinet", False), ("part2", True)):
        for suffix in (".html", ".docx"):
            path = folder / f"{name}{suffix}"
            build_report(demo_service.snapshot(), path, protect=demo_service.store.path, part2=part2)
            found[f"{name}{suffix}"] = path
    return found


def _shown_actions(service: PlanService, part2: bool) -> dict[str, str]:
    """ref -> RAG letter of every action the pack shows, as the rules assess it."""
    snapshot = service.snapshot()
    data = prepare(snapshot, snapshot.details.status_date, part2)
    return {a.ref: data.assessed(a).rag.value for a in data.actions}


def _bars(html: str) -> dict[str, str]:
    start = html.index('class="timeline"')
    svg = html[html.rindex("<svg", 0, start) : html.index("</svg>", start)]
    bars = re.findall(r'<g class="bar" data-ref="([^"]*)" data-rag="(\w)">(.*?)</g>', svg)
    # What is drawn beside each bar: its letter and its ref.
    for ref, letter, body in bars:
        assert f">{letter} {ref}</text>" in body, (ref, body)
    return {ref: letter for ref, letter, _ in bars}


def test_the_html_timeline_draws_every_shown_action_with_its_letter(
    papers: dict[str, Path], demo_service: PlanService
) -> None:
    for name, part2 in (("cabinet.html", False), ("part2.html", True)):
        html = papers[name].read_text(encoding="utf-8")
        page = read_html(papers[name])
        letter = "C" if part2 else "E"  # after the other appendices, as in the PDF pack
        assert (2, f"Appendix {letter}: Timeline") in page.headings, page.headings
        expected = _shown_actions(demo_service, part2)
        assert _bars(html) == expected and expected
        start = html.index('class="timeline"')
        svg = html[html.rindex("<svg", 0, start) : html.index("</svg>", start)]
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "aria-labelledby" in svg
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
        assert desc and f"Timeline of {len(expected)} action" in desc.group(1)
        assert "stroke-dasharray" in svg, "the status-date line"
        assert "hatch" in svg and "2004/05" in svg, "forecast hatching and the year scale"
        # The chart sits in a labelled region a keyboard can scroll; the same facts follow as a table.
        region = html[html.rindex("<div", 0, start) : start]
        assert 'role="region"' in region and 'tabindex="0"' in region and "aria-label=" in region
        after = page.all_text[page.all_text.index("Appendix " + letter + ": Timeline") :]
        assert "Timeline: each action's start, target and forecast dates and its rating" in after
        for ref in expected:
            assert re.search(rf"\b{re.escape(ref)}\b", after), ref
    # The public page never draws an exempt action.
    public = set(_bars(papers["cabinet.html"].read_text(encoding="utf-8")))
    exempt = set(_bars(papers["part2.html"].read_text(encoding="utf-8")))
    assert not public & exempt


def test_the_html_timeline_passes_axe_and_scrolls_in_its_region_at_320(
    papers: dict[str, Path], tmp_path: Path
) -> None:
    page = papers["cabinet.html"]
    for width in (1280, 320):
        assert axe_violations(page, tmp_path, width) == [], width
    sizes = run_in_page(
        page,
        "var r=doc.querySelector('.chart-scroll');"
        "report({inner: win.innerWidth, scroll: doc.documentElement.scrollWidth, region: r.clientWidth,"
        "chart: r.scrollWidth});",
        tmp_path,
        width=320,
    )
    assert isinstance(sizes, dict)
    assert sizes["scroll"] <= sizes["inner"] == 320, sizes  # the page itself never scrolls sideways
    assert sizes["chart"] > sizes["region"], sizes  # the chart keeps a readable size in its own region


def test_a_timeline_too_long_to_draw_sends_the_reader_to_the_pdf(
    demo_service: PlanService, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = demo_service.snapshot()
    data = prepare(snapshot, snapshot.details.status_date, False)
    assert any(isinstance(b, TimelineFigure) for b in build_content(data).blocks)
    monkeypatch.setattr(content_timeline, "MAX_CHART_ROWS", 10)
    report = build_content(data)
    assert not any(isinstance(b, TimelineFigure) for b in report.blocks)
    texts = [getattr(b, "text", "") for b in report.blocks]
    assert any("the chart is in the printed PDF pack (Appendix E" in t for t in texts)
    captions = [getattr(b, "caption", "") for b in report.blocks]
    assert content_timeline.TABLE_CAPTION in captions


def test_the_word_paper_has_the_timeline_sheets_as_pictures_in_a_landscape_section(
    papers: dict[str, Path], demo_service: PlanService
) -> None:
    for name, part2 in (("cabinet.docx", False), ("part2.docx", True)):
        document = Document(str(papers[name]))
        body = document.element.body
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        letter = "C" if part2 else "E"
        assert f"Appendix {letter}: Timeline" in headings
        pictures = [d for d in body.iter(qn("wp:docPr")) if "Timeline" in (d.get("title") or "")]
        assert pictures, name
        for number, picture in enumerate(pictures, start=1):
            descr = picture.get("descr") or ""
            assert descr.startswith(f"Sheet {number} of {len(pictures)}: Timeline by "), descr
            assert "Rows 1–" in descr if number == 1 else "Rows " in descr
            assert "A dashed line marks the status date" in descr
        # The timeline's section is landscape: every paragraph from its heading on is in the last section.
        last = document.sections[-1]
        assert last.page_width > last.page_height
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and "Sheet " in p.text]
        assert len(captions) == len(pictures)
        # The pictures are real images of the sheets, at about 150 dpi across the text width.
        blobs = [r.target_part.blob for r in document.part.rels.values() if "image" in r.reltype]
        sizes = [Image.open(io.BytesIO(b)).size for b in blobs]
        assert sum(1 for w, _ in sizes if w > 1400) >= len(pictures)
        # The table of the same facts follows, with every shown action.
        table = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")) is not None
                     and "Timeline: each action" in t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")))  # fmt: skip
        refs = {row.cells[0].text for row in table.rows[1:]}
        assert refs == set(_shown_actions(demo_service, part2))
