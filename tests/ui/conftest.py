"""Fixtures for the desktop app's tests: a fresh demo plan per test, a real window, scripted prompts.

Every modal question goes through ScriptedPrompts, so no test ever blocks on a dialog.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from egov_planner.model.records import ActionRecord  # noqa: E402
from egov_planner.model.service import PlanService  # noqa: E402
from egov_planner.model.store import open_plan  # noqa: E402

DEMO_STATUS_DATE = date(2004, 1, 12)


class ScriptedPrompts:
    """Answers the window's questions from a script and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.told: list[str] = []
        self.answers: list[bool] = []
        self.default_answer = False
        self.files: list[Path | None] = []
        self.suggested: list[Path] = []  # the names save_file suggested
        self.passwords: list[str | None] = []  # typed into the masked password box (None: cancelled)
        self.password_asked: list[str] = []

    def ask(self, title: str, question: str, yes: str = "Yes", no: str = "No", default_yes: bool = True) -> bool:
        self.asked.append(f"{title}: {question}")
        return self.answers.pop(0) if self.answers else self.default_answer

    def offer(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> bool:
        return self.ask(title, message, yes, no)

    def inform(self, title: str, message: str) -> None:
        self.told.append(f"{title}: {message}")

    def warn(self, title: str, message: str) -> None:
        self.told.append(f"{title}: {message}")

    def open_file(self, title: str, folder: Path | None, filter_text: str) -> Path | None:
        return self.files.pop(0) if self.files else None

    def save_file(self, title: str, suggested: Path, filter_text: str) -> Path | None:
        self.suggested.append(suggested)
        return self.files.pop(0) if self.files else None

    def password(self, title: str, message: str) -> str | None:
        self.password_asked.append(f"{title}: {message}")
        return self.passwords.pop(0) if self.passwords else None

    def choose_folder(self, title: str, folder: Path | None) -> Path | None:
        return self.files.pop(0) if self.files else None


@pytest.fixture
def plan_file(tmp_path: Path, demo_template: Path) -> Path:
    """A fresh copy of the demo plan (status date 12/01/2004: A1.2 overdue, A2.2 and A1.6 at risk)."""
    path = tmp_path / "plan.egov"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from egov_planner.ui.settings import AppSettings

    return AppSettings(tmp_path / "settings.ini")


def open_window(qtbot, path: Path, settings, prompts: ScriptedPrompts):  # type: ignore[no-untyped-def]
    from egov_planner.ui.main_window import MainWindow

    window = MainWindow(settings, prompts=prompts, today=lambda: date(2004, 6, 1))
    qtbot.addWidget(window)
    window.show()
    window.open_plan_file(path)
    qtbot.waitUntil(window.idle, timeout=15000)
    return window


@pytest.fixture
def window(qtbot, plan_file: Path, settings, prompts: ScriptedPrompts) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The main window on a fresh demo plan, opened for editing."""
    from egov_planner.ui.application import make_application

    make_application()
    main = open_window(qtbot, plan_file, settings, prompts)
    assert main.document is not None and not main.document.read_only
    yield main
    main.runner.wait(15000)
    main.close()


def stored_action(path: Path, ref: str) -> ActionRecord:
    """Read the action back from the file itself (a separate, read-only connection)."""
    store = open_plan(path, read_only=True)
    try:
        return PlanService(store).action_by_ref(ref)
    finally:
        store.close()


def stored_service(path: Path) -> tuple[PlanService, object]:
    store = open_plan(path, read_only=True)
    return PlanService(store), store
