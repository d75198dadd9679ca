"""Whatever an officer types prints as typed: markup, huge notes, endless words, many scripts."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from egov_planner.model.import_rows import ActionImportRow
from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan
from egov_planner.reports.fonts import register_fonts
from egov_planner.reports.text import esc, plain, plan_items
from tests.reports.conftest import PAGE_NUMBER, Pdf, build, squash

MARKUP = '<b>bold?</b> </para> <img src="x.png"/> <img src="http://example.com/x.png"> &amp; & < > "q" \'a\''
TAGS = '<a href="http://example.com/">link</a> <font color="red">red</font> <br/> <para> &nbsp; &#169; %s {0}'
LANGS = "Welsh ŵ ŷ Ŵ Ŷ; Polish Łódź źdźbło żółć; Greek Αθήνα λόγος; Cyrillic Москва Ёжик"
WORD = "".join(chr(ord("a") + i % 26) for i in range(300))
NOTE = " ".join(f"Sentence {i:04d} of a long note, ŵ Ł Ω Ж <tag> & done." for i in range(400))[:20_000]
CONTROL = "Bell\x07 and\ttab and\x00 nul"
UNCOVERED = "Chinese 漢字 and a smile 🙂"
AUTHORITY = "Cyngor <Sir> & Co ŵ"
TITLE = "Plan <b>not bold</b> ŷ Łódź"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Pdf:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.egov"
    create_plan(path)
    store = open_plan(path)
    service = PlanService(store)
    try:
        service.update_plan(
            authority=AUTHORITY,
            title=TITLE,
            report_of="Director <of> & ŵ",
            status_date=date(2004, 1, 12),
            introduction=f"{MARKUP}\n\n{TAGS}\n\n{WORD}\n\n{CONTROL.replace(chr(0), '')}",
            summary=f"{LANGS}:\n- {MARKUP}\n- {WORD}",
            recommendations=f"- {TAGS}",
            consultations=UNCOVERED,
            officer_name="Ŵyn <Jones>",
            officer_phone="+44 116 <ext 1>",
            officer_email="a&b@example.com",
            key_decision_reason=NOTE[:3000],
        )
        objective = service.add_objective("O1", f"Objective {MARKUP}", description=LANGS, lead="Łukasz <lead>")
        first = service.add_action(
            objective, "A1.1", f"Action {MARKUP}", date(2003, 12, 31), owner=f"Owner {LANGS}", description=WORD
        )
        second = service.add_action(
            objective, "A1.2", f"Action {LANGS}", date(2004, 1, 31), notes=TAGS, start=date(2004, 1, 1)
        )
        service.add_action(objective, "A1.3", f"Word {WORD}", date(2004, 6, 30))
        service.add_dependency(first, second, "FS", 5)
        service.add_progress(first, date(2004, 1, 5), NOTE, author="Ŵ <author>")
        service.add_progress(second, date(2004, 1, 6), f"{TAGS} {LANGS}")
        service.add_consultation(
            "Workshop <x>", audience=LANGS, respondents=100, respondents_at_least=True, summary=MARKUP
        )
        service.add_meeting("Cabinet <&>", date(2004, 2, 2))
        service.add_implication("Policy <p>", True, WORD[:200])
        # The service refuses a NUL now; a plan an older version wrote may still hold one.
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE plan SET introduction = ?", (f"{MARKUP}\n\n{TAGS}\n\n{WORD}\n\n{CONTROL}",))
        connection.close()
        return build(service, folder / "hostile.pdf")
    finally:
        store.close()


def test_markup_and_scripts_print_as_typed(hostile: Pdf) -> None:
    for typed in (
        MARKUP,
        TAGS,
        LANGS,
        WORD,
        f"Action {MARKUP}",
        f"Objective {MARKUP}",
        f"Owner {LANGS}",
        "Łukasz <lead>",
        "Workshop <x>",
        "Cabinet <&>",
        "Policy <p>",
        "Ŵyn <Jones>",
        "+44 116 <ext 1>",
        "a&b@example.com",
        "REPORT OF THE DIRECTOR <OF> & Ŵ",
        TITLE,
        AUTHORITY,
        f"{LANGS}:",
    ):
        assert squash(typed) in hostile.flat, typed


def test_the_running_header_prints_typed_text_on_every_page(hostile: Pdf) -> None:
    for index, text in enumerate(hostile.page_texts):
        assert squash(AUTHORITY) in squash(text), index
        assert PAGE_NUMBER.findall(text) == [(str(index + 1), str(len(hostile.page_texts)))]


def test_control_characters_vanish_and_missing_glyphs_are_spelt_out(hostile: Pdf) -> None:
    assert squash("Bell and tab and nul") in hostile.flat
    assert "\x07" not in hostile.text and "\x00" not in hostile.text
    assert squash("Chinese [U+6F22][U+5B57] and a smile [U+1F642]") in hostile.flat
    assert "漢" not in hostile.text


def test_a_20000_character_note_prints_whole_across_pages(hostile: Pdf) -> None:
    """Read the Latest progress column alone, page after page: the note comes back character for character."""
    start = hostile.first_page_with("APPENDIX A")
    stop = hostile.first_page_with("APPENDIX B")
    column: list[str] = []
    with hostile.plumber() as pdf:
        for page in pdf.pages[start:stop]:
            heading = next(w for w in page.extract_words() if w["text"] == "Latest")
            body = page.crop((heading["x0"] - 1, heading["bottom"] + 2, page.width, page.height - 40))
            column.append(body.extract_text())
    assert squash(f"05/01/2004 (Ŵ <author>): {NOTE}") in squash("".join(column))
    assert stop - start > 3  # it really did need several pages
    assert "(cont.)" in hostile.section_text("APPENDIX A", "APPENDIX B")


def test_nothing_runs_off_the_page(hostile: Pdf) -> None:
    with hostile.plumber() as pdf:
        pages = pdf.pages[: hostile.first_page_with("APPENDIX A") + 2]
        for page in pages:
            for char in page.chars:
                assert char["x0"] >= 20 and char["x1"] <= page.width - 20, (page.page_number, char["text"])
                assert char["top"] >= 15 and char["bottom"] <= page.height - 15, (page.page_number, char["text"])


def test_user_text_never_fetches_or_links_anything(hostile: Pdf) -> None:
    for page in hostile.reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        assert all(x.get_object()["/Subtype"] != "/Image" for x in xobjects.values())
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            assert action is None or "/URI" not in action.get_object()
    raw = hostile.path.read_bytes()  # object dictionaries are not compressed: a link or image would show
    assert b"/URI" not in raw and b"/Subtype /Image" not in raw


def test_bookmarks_and_properties_take_typed_text(hostile: Pdf) -> None:
    titles = [title for title, _, _ in hostile.outline()]
    assert f"O1 Objective {MARKUP}"[:120] in titles
    assert hostile.reader.metadata.title == TITLE
    assert hostile.reader.metadata.author == "Director <of> & ŵ, Cyngor <Sir> & Co ŵ"


def test_a_500_action_objective_prints_every_action_with_its_header_on_each_page(tmp_path: Path) -> None:
    path = tmp_path / "big.egov"
    create_plan(path)
    store = open_plan(path)
    try:
        service = PlanService(store)
        service.update_plan(authority="Big Council", title="Big plan", status_date=date(2004, 1, 12))
        fields = frozenset({"objective", "action", "due", "owner"})
        rows = [
            ActionImportRow(
                row=i + 2,
                objective_ref="O1",
                objective="One very large objective",
                action_ref=f"B{i + 1}",
                action=f"Bulk action number {i + 1} {LANGS}",
                due=date(2004, 3, 31),
                owner="Officer Ŵ",
                present=fields,
            )
            for i in range(500)
        ]
        service.import_actions(rows)
        pack = build(service, tmp_path / "big.pdf")
    finally:
        store.close()
    plan = pack.section_text("APPENDIX A", "APPENDIX B")
    positions = [plan.find(squash(f"B{i}Bulk action number {i} ")) for i in range(1, 501)]
    assert -1 not in positions and positions == sorted(positions)
    timeline = pack.first_page_with("Timeline by")  # the timeline appendix has its own column heading
    pages = [i for i in pack.pages_with("Bulk action number") if pack.landscape(i) and i < timeline]
    assert len(pages) > 5
    for index in pages:
        assert squash("Ref Action Lead officer Target date Status Depends on Latest progress") in squash(
            pack.page_texts[index]
        ), index


# --- the escaping helper and the plan-text convention, directly ---------------------------------


def test_esc_is_the_only_door_into_markup() -> None:
    assert esc('<img src="x">') == '&lt;img src="x"&gt;'
    assert esc("&amp;") == "&amp;amp;"
    assert esc("one\ntwo") == "one<br/>two"
    assert esc("a\r\nb\rc") == "a<br/>b<br/>c"
    assert plain("tab\there\x0b\x07") == "tab here "
    assert plain("ŵ Ł Ω Ж") == "ŵ Ł Ω Ж"
    assert plain("漢") == "[U+6F22]"
    assert plain("\ud800") in ("\ufffd", "?")


def test_every_character_that_reaches_the_pdf_has_a_glyph_in_all_three_faces() -> None:
    covered = register_fonts()
    printed = plain(MARKUP + TAGS + LANGS + WORD + NOTE + CONTROL + UNCOVERED + AUTHORITY + TITLE)
    missing = {char for char in printed if char != "\n" and ord(char) not in covered}
    assert missing == set()


def test_plan_text_convention() -> None:
    items = plan_items("First paragraph\nstill first.\n\nLead in:\n- one\n- two\n  more of two\nAfter.\n\n\n- lone")
    assert [(i.text, i.bullets) for i in items] == [
        ("First paragraph\nstill first.", []),
        ("Lead in:", ["one", "two\nmore of two"]),
        ("After.", []),
        ("", ["lone"]),
    ]
    assert plan_items("") == [] and plan_items("   \n\n  ") == []
