"""Report packs read back as a reader would: the text of each page, its fonts, bookmarks and shapes.

Packs are built once per test session (they are read, never changed) to keep
the reports tests well under a minute.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan
from egov_planner.reports import build_report


def squash(text: str) -> str:
    """Text with all white space removed: how wrapped lines are compared."""
    return "".join(text.split())


@dataclass
class Pdf:
    """A built pack, opened for reading."""

    path: Path
    pages_reported: int
    reader: PdfReader = field(init=False)

    def __post_init__(self) -> None:
        self.reader = PdfReader(self.path)

    @cached_property
    def page_texts(self) -> list[str]:
        """Each page's text in drawing order (pypdf): a table cell's wrapped lines stay together."""
        return [page.extract_text() or "" for page in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return "\n".join(self.page_texts)

    @cached_property
    def flat(self) -> str:
        return squash(self.text)

    def pages_with(self, needle: str) -> list[int]:
        """0-based numbers of the pages whose text holds needle (white space ignored)."""
        wanted = squash(needle)
        return [i for i, text in enumerate(self.page_texts) if wanted in squash(text)]

    def first_page_with(self, needle: str) -> int:
        pages = self.pages_with(needle)
        assert pages, f"{needle!r} is not in {self.path.name}"
        return pages[0]

    def section_text(self, start: str, end: str | None) -> str:
        """The squashed text from heading start up to heading end (or the end of the pack)."""
        flat = self.flat
        begin = flat.index(squash(start))
        stop = flat.index(squash(end), begin) if end else len(flat)
        return flat[begin:stop]

    def landscape(self, index: int) -> bool:
        box = self.reader.pages[index].mediabox
        return float(box.width) > float(box.height)

    def outline(self) -> list[tuple[str, int, int]]:
        """(title, level, 0-based page) of every bookmark, in order."""
        found: list[tuple[str, int, int]] = []

        def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    found.append((item.title, level, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return found

    def plumber(self) -> pdfplumber.PDF:
        return pdfplumber.open(self.path)


def build(service: PlanService, path: Path, **options: object) -> Pdf:
    """The pack of service's plan as a user would make it: one snapshot, the plan file protected."""
    result = build_report(service.snapshot(), path, protect=service.store.path, **options)  # type: ignore[arg-type]
    assert result.path == path
    return Pdf(path, result.pages)


@pytest.fixture(scope="session")
def demo_packs(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """The demo plan's public cabinet pack, Part II pack and exceptions pack."""
    folder = tmp_path_factory.mktemp("packs")
    store = open_plan(demo_template, read_only=True)
    service = PlanService(store)
    try:
        return {
            "cabinet": build(service, folder / "cabinet.pdf"),
            "part2": build(service, folder / "part2.pdf", part2=True),
            "exceptions": build(service, folder / "exceptions.pdf", kind="exceptions"),
        }
    finally:
        store.close()


@pytest.fixture(scope="session")
def cabinet(demo_packs: dict[str, Pdf]) -> Pdf:
    return demo_packs["cabinet"]


@pytest.fixture
def new_plan(tmp_path: Path) -> Iterator[PlanService]:
    """An empty plan with a status date, open for editing."""
    path = tmp_path / "p.egov"
    create_plan(path)
    store = open_plan(path)
    service = PlanService(store)
    service.update_plan(
        authority="Test Borough Council",
        title="Test improvement plan",
        report_of="Head of Improvement",
        status_date=date(2004, 1, 12),
    )
    try:
        yield service
    finally:
        store.close()


PAGE_NUMBER = re.compile(r"Page\s*(\d+)\s*of\s*(\d+)")
