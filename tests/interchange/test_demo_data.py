"""The demo is data in the import formats, loaded through the import path."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from egov_planner.interchange import export_file
from egov_planner.interchange.demo import demo_file
from egov_planner.interchange.plan_text import apply_plan_text, read_plan_text
from egov_planner.interchange.progress_csv import apply_progress, parse_progress
from egov_planner.model.errors import RowError
from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_demo_plans_export_is_its_own_actions_file(demo_path: Path, tmp_path: Path) -> None:
    store = open_plan(demo_path, read_only=True)
    try:
        export_file(PlanService(store), tmp_path / "out.csv")
    finally:
        store.close()
    with demo_file("actions.csv") as source:
        assert _rows(tmp_path / "out.csv") == _rows(source)


def test_the_demo_keeps_its_progress_notes_with_their_authors(demo_path: Path) -> None:
    store = open_plan(demo_path, read_only=True)
    try:
        service = PlanService(store)
        a12 = service.action_by_ref("A1.2")
        notes = service.progress(a12.id)
    finally:
        store.close()
    assert [(n.reported_on.isoformat(), n.author, n.percent_complete) for n in notes] == [
        ("2004-01-05", "Head of e-Government", 60)
    ]
    assert "Social Care and Health return outstanding" in notes[0].note


@pytest.fixture
def empty_plan(tmp_path: Path) -> PlanService:
    path = tmp_path / "empty.egov"
    create_plan(path)
    return PlanService(open_plan(path))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_progress_row_for_an_unknown_action_is_refused_naming_its_row(
    empty_plan: PlanService, tmp_path: Path
) -> None:
    path = _write(tmp_path / "progress.csv", "action_ref,reported_on,note\nA9.9,05/01/2004,Started\n")
    with pytest.raises(RowError) as refused:
        apply_progress(empty_plan, parse_progress(path), path.name)
    assert str(refused.value) == "progress.csv row 2, column action_ref: there is no action A9.9 in this plan"
    empty_plan.store.close()


def test_a_progress_date_that_is_not_a_date_names_row_and_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "progress.csv", "action_ref,reported_on,note\nA1.1,05/01/2004,ok\nA1.1,31/02/2004,late\n"
    )
    with pytest.raises(RowError, match=r"progress.csv row 3, column reported_on: '31/02/2004' is not a real date"):
        parse_progress(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[plan]\nauthorty = "Leicester"\n', "[plan]: unknown key 'authorty'"),
        ("[plan]\nstatus_date = \"12/01/2004\"\n", "[plan]: status_date must be a date (YYYY-MM-DD)"),
        ('[[meetings]]\ncommittee = "Cabinet"\n', "[[meetings]] entry 1: meets_on is required"),
        ("[[people]]\nname = 7\n", "[[people]] entry 1: name must be text"),
        ('[budget]\nx = 1\n', "unknown section 'budget'"),
        ("[plan\n", "is not valid TOML"),
    ],
)
def test_a_bad_plan_text_file_is_refused_naming_the_entry_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / "plan.toml", text)
    with pytest.raises(RowError) as refused:
        read_plan_text(path)
    assert message in str(refused.value)
    assert str(refused.value).startswith("plan.toml")


def test_plan_text_goes_through_the_edit_checks(empty_plan: PlanService, tmp_path: Path) -> None:
    path = _write(tmp_path / "plan.toml", '[[objectives]]\nref = "O 1"\ntitle = "Bad ref"\n')
    with pytest.raises(RowError, match=r"\[\[objectives\]\] entry 1: .*O 1"):
        apply_plan_text(empty_plan, read_plan_text(path), path.name)
    assert empty_plan.objectives() == []
    empty_plan.store.close()
