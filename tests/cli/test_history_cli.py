"""`egov-planner history PLAN [REF] [--format text|json]` (CONTRACTS.md: the committee cycle)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from tests.cli.test_cli import refused, run_ok

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores


def slipped_plan(plan: Path) -> None:
    """A plan whose A3.2 slipped once (by n.ahmed, 12/05/2004 16:45), then was undone (by the window)."""
    run_ok("init", plan)
    with open_plan(plan) as store:
        service = PlanService(store, clock=lambda: datetime(2004, 5, 12, 16, 45), user="n.ahmed")
        objective = service.add_objective("O3", "Modernise housing repairs")
        ident = service.add_action(objective, "A3.2", "Online repair reporting", date(2004, 8, 31))
        record = service.update_action(ident, due=date(2004, 11, 30))
        with service.giving_reason("Undo"):
            service.update_action(ident, record.version, due=date(2004, 8, 31))


def test_text_lists_each_change_in_aligned_columns_with_british_dates(tmp_path: Path) -> None:
    plan = tmp_path / "housing.egov"
    slipped_plan(plan)
    lines = run_ok("history", plan, "A3.2").splitlines()
    assert lines[0].split() == ["When", "By", "What", "Ref", "Field", "From", "→", "to", "Reason"]
    assert lines[1].split() == [
        "12/05/2004",
        "16:45",
        "n.ahmed",
        "action",
        "A3.2",
        "added",
        "→",
        "Online",
        "repair",
        "reporting",
    ]
    assert lines[2].split() == [
        "12/05/2004",
        "16:45",
        "n.ahmed",
        "action",
        "A3.2",
        "due",
        "31/08/2004",
        "→",
        "30/11/2004",
    ]
    assert lines[3].split()[-4:] == ["30/11/2004", "→", "31/08/2004", "Undo"]
    assert lines[0].index("Field") == lines[2].index("due") == lines[3].index("due")  # the columns line up
    everything = run_ok("history", plan)
    assert "O3" in everything and everything.count("\n") == 5


def test_json_is_the_contracts_shape(tmp_path: Path) -> None:
    plan = tmp_path / "housing.egov"
    slipped_plan(plan)
    entries = json.loads(run_ok("history", plan, "A3.2", "--format", "json"))
    assert entries[1] == {
        "at": "2004-05-12T16:45:00",
        "by": "n.ahmed",
        "ref": "A3.2",
        "field": "due",
        "from": "2004-08-31",
        "to": "2004-11-30",
        "reason": "",
    }
    assert [e["reason"] for e in entries] == ["", "", "Undo"]


def test_an_unknown_ref_is_one_line_naming_the_plan_and_the_ref(tmp_path: Path) -> None:
    plan = tmp_path / "housing.egov"
    slipped_plan(plan)
    message = refused("history", plan, "A9.1")
    assert "housing.egov" in message and "A9.1" in message
    empty = tmp_path / "empty.egov"
    run_ok("init", empty)
    assert run_ok("history", empty) == "No changes are recorded in empty.egov.\n"
    assert "missing.egov: no such file" in refused("history", tmp_path / "missing.egov")
