"""The HTML page and the Word paper, read back as their readers would: a browser with axe-core, an HTML
parser, python-docx and LibreOffice Writer -- with the demo plan and with hostile text."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan
from egov_planner.reports import build_report
from egov_planner.reports.content import Para, paper_fields
from egov_planner.reports.content_packs import build_content
from egov_planner.reports.data import prepare
from tests.reports.browser import axe_violations, run_in_page, screenshot

SCRIPT = '<script>alert("x")</script> <img src=x onerror=alert(1)> & &amp; "q"'
RTL = "مرحبا بالعالم שלום עולם"
EMOJI = "Launch 🚀 done ✅ family 👨‍👩‍👧"
LONG = " ".join(f"Sentence {i:03d} of a long description <b>&</b>." for i in range(100))[:3000]
WORD = "x" * 400  # one unbroken word: must wrap, never widen the page


# --- the plans ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_papers(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo plan's cabinet, Part II and exceptions reports as HTML and Word."""
    folder = tmp_path_factory.mktemp("papers")
    store = open_plan(demo_template, read_only=True)
    service = PlanService(store)
    papers = {}
    try:
        for name, options in {"cabinet": {}, "part2": {"part2": True}, "exceptions": {"kind": "exceptions"}}.items():
            for suffix in (".html", ".docx"):
                path = folder / f"{name}{suffix}"
                result = build_report(service.snapshot(), path, protect=service.store.path, **options)  # type: ignore[arg-type]
                assert result.path == path and result.pages == 0
                papers[f"{name}{suffix}"] = path
    finally:
        store.close()
    return papers


@pytest.fixture(scope="module")
def hostile_plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlanService]:
    path = tmp_path_factory.mktemp("hostile-papers") / "hostile.egov"
    create_plan(path)
    store = open_plan(path)
    service = PlanService(store)
    service.update_plan(
        authority=f"Cyngor {SCRIPT}",
        title=f"Plan {SCRIPT} {EMOJI}",
        report_of=f"Director {RTL}",
        status_date=date(2004, 1, 12),
        introduction=f"{SCRIPT}\n\n{RTL}\n\n{WORD}",
        summary=f"{EMOJI}\n\n{LONG}",
        financial_implications="4.1.2 Budgets are met.\n\nThe strategy follows.",
        officer_name=f"Ŵyn {RTL}",
        officer_phone="0116 <252> 7000",
        officer_email="a&b@example.com",
    )
    objective = service.add_objective("O1", f"Objective {SCRIPT}", description=RTL, lead=EMOJI)
    first = service.add_action(
        objective,
        "A1.1",
        f"Action {SCRIPT}",
        date(2003, 12, 31),
        owner=f"Owner {RTL}",
        description=LONG,
        notes=f"Note {EMOJI}",
        success_measure=f"Measure {SCRIPT}",
        resources="Within budget & more",
    )
    service.add_action(objective, "A1.2", f"Action {EMOJI}", date(2004, 1, 20), description=WORD)
    service.add_progress(first, date(2004, 1, 5), f"{LONG} {RTL}", author=SCRIPT)
    service.add_meeting(f"Cabinet {SCRIPT}", date(2004, 2, 2))
    try:
        yield service
    finally:
        store.close()


@pytest.fixture(scope="module")
def hostile_papers(hostile_plan: PlanService, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-out")
    papers = {}
    for suffix in (".html", ".docx"):
        path = folder / f"hostile{suffix}"
        build_report(hostile_plan.snapshot(), path, protect=hostile_plan.store.path)
        papers[suffix] = path
    return papers


# --- reading HTML back ----------------------------------------------------------------------------------


class Page(HTMLParser):
    """What a reader and a screen reader get from the page: elements, headings, tables, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self._level = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._level = [], int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._level, "".join(self._heading)))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def read_html(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_html_page_is_one_file_without_script_in_en_gb(demo_papers: dict[str, Path]) -> None:
    for name in ("cabinet.html", "part2.html", "exceptions.html"):
        page = read_html(demo_papers[name])
        assert page.named("html")[0]["lang"] == "en-GB"
        assert not page.named("script"), name
        assert not page.named("link") and not [i for i in page.named("img") if i.get("src")], "nothing external"
        assert any(a.get("href") == "#main" for a in page.named("a")), "a skip link"
        assert page.named("main")[0]["id"] == "main"
        # Headings start at one h1 and never skip a level going down.
        levels = [level for level, _ in page.headings]
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), page.headings
        # Every table has a caption and column headers with scope.
        html = demo_papers[name].read_text(encoding="utf-8")
        assert html.count("<table") == html.count("<caption>") > 0
        assert all(th.get("scope") in ("col", "row") for th in page.named("th"))
        assert "@media print" in html


def test_the_html_says_what_the_pdf_says_in_the_seeds_numbering(demo_papers: dict[str, Path]) -> None:
    page = read_html(demo_papers["cabinet.html"])
    text = page.all_text
    for heading in (
        "1. Introduction and scope",
        "3.2 Summary",
        "Appendix A: Improvement plan",
        "Appendix D: BVPI 157 electronic service delivery",
        "Background papers",
        "Decision status",
    ):
        assert (2 if heading[0] != "3" else 3, heading) in page.headings or any(h == heading for _, h in page.headings)
    # The seed: 3.2.1 is the BVPI paragraph with the summary's opening, then 3.2.2, 3.2.3, and 3.2.4 the objectives.
    bvpi = text[text.index("3.2.1") : text.index("3.2.2")]
    assert "72% by March 2004" in bvpi and "We are confident" in bvpi
    assert "3.2.2 The final report recognises" in text
    assert "3.2.3 Section 9.1.2 of the final report" in text
    assert "3.2.4 The following Improvement Objectives were agreed" in text
    # The RAG in words as well as colour; Appendix A prints everything the officer filled in.
    assert "R Overdue" in text and "A At risk" in text
    assert "Success measure:" in text and "Resources:" in text
    # The department under the lead officer's name, as the PDF prints it.
    html_text = demo_papers["cabinet.html"].read_text(encoding="utf-8")
    officers = re.findall(r'<td[^>]*data-label="Lead officer"[^>]*>(.*?)</td>', html_text, re.S)
    assert any("Resources, Access and Diversity" in o for o in officers)
    # The chart: inline SVG with a title and description, and the same figures as a table.
    html = demo_papers["cabinet.html"].read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert "72%" in svg and "BVPI 157 milestones (the figures the chart marks)" in text


def test_part2_and_public_html_split_the_exempt_items(demo_papers: dict[str, Path]) -> None:
    public = read_html(demo_papers["cabinet.html"]).all_text
    part2 = read_html(demo_papers["part2.html"]).all_text
    assert "NOT FOR PUBLICATION" in part2 and "NOT FOR PUBLICATION" not in public
    assert "reported separately in Part II" in public
    assert "Schedule 12A" in part2


def test_the_exceptions_page_lists_every_item_it_counts(demo_papers: dict[str, Path]) -> None:
    page = read_html(demo_papers["exceptions.html"])
    assert any(h.startswith("Due soon (") for _, h in page.headings)


def test_hostile_text_in_html_is_text(hostile_papers: dict[str, Path]) -> None:
    html = hostile_papers[".html"].read_text(encoding="utf-8")
    page = Page(html)
    assert not page.named("script") and not [i for i in page.named("img") if "onerror" in i]
    text = page.all_text
    for typed in (SCRIPT, RTL, EMOJI, squash(LONG)):
        assert squash(typed) in text, typed[:40]
    assert "Telephone: 0116 <252> 7000" in text and "Email: a&b@example.com" in text
    # A paragraph of plan text that carries its own number keeps it (minutes cite it).
    assert "4.1.2 Budgets are met." in text and "4.1.3 The strategy follows." in text


# --- in a real browser ------------------------------------------------------------------------------


def test_axe_core_finds_no_wcag_21_aa_violation(
    demo_papers: dict[str, Path], hostile_papers: dict[str, Path], tmp_path: Path
) -> None:
    for page in (
        demo_papers["cabinet.html"],
        demo_papers["part2.html"],
        demo_papers["exceptions.html"],
        hostile_papers[".html"],
    ):
        for width in (1280, 320):
            violations = axe_violations(page, tmp_path, width)
            assert violations == [], (page.name, width, violations)


def test_the_page_reflows_at_320_pixels_without_sideways_scrolling(
    demo_papers: dict[str, Path], hostile_papers: dict[str, Path], tmp_path: Path
) -> None:
    for page in (demo_papers["cabinet.html"], hostile_papers[".html"]):
        sizes = run_in_page(
            page,
            "report({inner: win.innerWidth, scroll: doc.documentElement.scrollWidth});",
            tmp_path,
            width=320,
        )
        assert isinstance(sizes, dict)
        assert sizes["inner"] == 320, sizes  # the page really was phone-sized
        assert sizes["scroll"] <= sizes["inner"], (page.name, sizes)
        shot = screenshot(page, tmp_path / f"{page.stem}-320.png", 320)
        assert shot.stat().st_size > 10_000


def test_ratings_meet_4_5_to_1_contrast() -> None:
    from egov_planner.reports.html import RAG_TINT

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    ink = luminance("#1A1A1A")
    for tint, _ in RAG_TINT.values():
        assert (luminance(tint) + 0.05) / (ink + 0.05) >= 4.5, tint


# --- Word ---------------------------------------------------------------------------------------------


def test_the_word_paper_has_structure_numbers_and_properties(demo_papers: dict[str, Path]) -> None:
    document = Document(str(demo_papers["cabinet.docx"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Best Value Review of e-Government Final Report and Improvement Plan") in headings
    assert ("Heading 2", "3. Summary") in headings and ("Heading 3", "3.2 Summary") in headings
    assert ("Heading 2", "Appendix A: Improvement plan") in headings
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("3.2.1\tAs at 12 January 2004") and "We are confident" in t for t in texts)
    assert any(t.startswith("3.2.4\tThe following Improvement Objectives") for t in texts)
    # Every table's first row repeats and is marked as a header; every table has a caption.
    assert document.tables
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None
    # The chart is a picture with alternative text.
    pictures = list(document.element.body.iter(qn("wp:docPr")))
    assert pictures and all(d.get("descr") for d in pictures)
    assert any("BVPI 157" in (d.get("title") or "") and "BVPI 157" in d.get("descr") for d in pictures)
    # Properties, language and landscape appendices.
    core = document.core_properties
    assert core.title.startswith("Best Value Review") and core.author and "position as at" in core.subject
    langs = {e.get(qn("w:val")) for e in document.styles.element.iter(qn("w:lang"))}
    assert langs == {"en-GB"}
    orientations = [s.page_width > s.page_height for s in document.sections]
    assert orientations[0] is False and orientations[-1] is True and len(orientations) >= 5


def test_hostile_text_in_word_reads_back_as_typed(hostile_papers: dict[str, Path]) -> None:
    document = Document(str(hostile_papers[".docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for typed in (SCRIPT, RTL, EMOJI):
        assert typed in text + cells, typed
    assert squash(LONG) in squash(cells)
    assert "4.1.2\tBudgets are met." in text


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice Writer is not installed: run .ci/run as root (apt-get install libreoffice-writer)"
    return found


def test_libreoffice_opens_the_word_paper(
    demo_papers: dict[str, Path], hostile_papers: dict[str, Path], tmp_path: Path
) -> None:
    for paper in (demo_papers["cabinet.docx"], demo_papers["exceptions.docx"], hostile_papers[".docx"]):
        done = subprocess.run(
            [
                _soffice(),
                f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(paper),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        converted = tmp_path / f"{paper.stem}.pdf"
        assert done.returncode == 0 and converted.is_file(), (paper.name, done.stdout, done.stderr)
        reader = PdfReader(converted)
        text = " ".join((page.extract_text() or "") for page in reader.pages)
        if paper.stem == "cabinet":
            assert len(reader.pages) > 5 and "3.2.1" in text and "Appendix D" in text
            widths = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
            assert not widths[0] and widths[-1], "portrait report, landscape appendices"


# --- the report fields arriving with schema 0006, and the CLI --------------------------------------------


def test_background_papers_wards_agenda_item_and_date_print_when_the_plan_has_them(
    hostile_plan: PlanService,
) -> None:
    snapshot = hostile_plan.snapshot()
    fields = {
        "background_papers": "Cabinet report 12/05/2003\nIDeA ESD toolkit",
        "wards_affected": "All wards",
        "agenda_item": "7",
        "report_date": date(2004, 1, 14),
    }
    extended = dataclasses.make_dataclass(
        "Details0006",
        [(k, type(v), dataclasses.field(default=v)) for k, v in fields.items()],
        bases=(type(snapshot.details),),
        frozen=True,
    )
    details = extended(**{**dataclasses.asdict(snapshot.details), **fields})
    assert paper_fields(details).background_papers == ["Cabinet report 12/05/2003", "IDeA ESD toolkit"]
    data = prepare(dataclasses.replace(snapshot, details=details), date(2004, 1, 12), False)
    texts = [b.text for b in build_content(data).blocks if isinstance(b, Para)]
    for line in (
        "Agenda item: 7",
        "Report date: 14 January 2004",
        "Wards affected: All wards",
        "Cabinet report 12/05/2003",
        "IDeA ESD toolkit",
    ):
        assert line in texts, line


def test_the_cli_writes_each_format_by_extension_and_refuses_others(demo_path: Path, tmp_path: Path) -> None:
    for suffix in (".html", ".docx"):
        out = tmp_path / f"Paper{suffix}"
        code, stdout, _ = capture(["report", str(demo_path), "-o", str(out), "--kind", "exceptions"])
        assert code == 0 and out.is_file() and f"Wrote the report to {out}" in stdout
    code, _, err = capture(["report", str(demo_path), "-o", str(tmp_path / "x.txt")])
    assert code == 2
    assert err.strip().splitlines() == [
        f"egov-planner: {tmp_path / 'x.txt'}: the report must be saved as a .pdf, .html or .docx file"
    ]
    assert not (tmp_path / "x.txt").exists()


# --- a long description runs the width of the page, as in the PDF ---------------------------------------


def test_a_long_description_runs_full_width_under_its_action_in_html(hostile_papers: dict[str, Path]) -> None:
    html = hostile_papers[".html"].read_text(encoding="utf-8")
    def text_of(cell: str) -> str:
        return squash(unescape(re.sub(r"<[^>]+>", " ", cell)))

    action_cells = [text_of(c) for c in re.findall(r'<td[^>]*data-label="Action"[^>]*>(.*?)</td>', html, re.S)]
    wide = [text_of(c) for c in re.findall(r'<td[^>]*colspan="7"[^>]*>(.*?)</td>', html, re.S)]
    # Printed or on a desktop, 3,000 characters down the narrow Action column ran pages long.
    assert not [c for c in action_cells if "Sentence 050" in c]
    long = [c for c in wide if "Sentence 050" in c]
    assert len(long) == 1
    text = long[0]
    assert squash(LONG) in text and f"Success measure: Measure {SCRIPT}" in text and f"Notes: Note {EMOJI}" in text


def test_a_long_description_runs_full_width_under_its_action_in_word(hostile_papers: dict[str, Path]) -> None:
    document = Document(str(hostile_papers[".docx"]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Ref" and "A1.1" in t.rows[1].cells[0].text)
    assert "Sentence 050" not in table.rows[1].cells[1].text
    under = table.rows[2]
    spans = [e.get(qn("w:val")) for e in under._tr.iter(qn("w:gridSpan"))]
    assert spans == ["7"] and squash(LONG) in squash(under.cells[0].text)
    assert "Resources: Within budget & more" in under.cells[0].text
