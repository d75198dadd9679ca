"""History: every change through PlanService is recorded (when, by whom, what, from, to, why), never erased."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from egov_planner.model.entities import Action
from egov_planner.model.errors import NotFound, ValidationError
from egov_planner.model.import_rows import ActionImportRow, LinkSpec
from egov_planner.model.service import Change, ChangeKind, PlanService
from egov_planner.model.service.history import give_reason
from egov_planner.model.store import open_plan
from egov_planner.model.store.opening import open_for_editing
from tests.model.helpers.plans import downgrade_to_0003, make_plan, query, schema_revision

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores

WHEN = datetime(2004, 5, 12, 14, 3)


def seen(service: PlanService, ref: str | None = None) -> list[tuple[str, str, str, str, str]]:
    """(ref, field, from, to, reason) of each entry, oldest first."""
    return [(e.ref, e.field, e.from_value, e.to_value, e.reason) for e in service.history(ref)]


@pytest.fixture
def plan(plan_path: Path):  # type: ignore[no-untyped-def]
    store = open_plan(plan_path)
    service = PlanService(store, clock=lambda: WHEN, user="k.patel")
    objective = service.add_objective("O2", "Join up customer services")
    service.add_action(objective, "A2.4", "Open the contact centre", date(2004, 9, 30), owner="Sam Hussain")
    service.add_action(objective, "A2.5", "Publish the directory", date(2004, 7, 1))
    yield service
    store.close()


def row(ref: str, title: str, due: date, **values: object) -> ActionImportRow:
    present = {"objective", "action", "due", *values}
    return ActionImportRow(
        row=2,
        objective_ref="O2",
        objective="Join up customer services",
        action_ref=ref,
        action=title,
        due=due,
        present=frozenset(present),
        **values,  # type: ignore[arg-type]
    )


def test_an_edit_says_when_who_which_field_from_and_to(plan: PlanService) -> None:
    action = plan.action_by_ref("A2.4")
    plan.update_action(action.id, action.version, due=date(2004, 12, 31), owner="Jo Lee")
    entries = plan.history("A2.4")
    assert seen(plan, "A2.4")[-2:] == [
        ("A2.4", "due", "2004-09-30", "2004-12-31", ""),
        ("A2.4", "owner", "Sam Hussain", "Jo Lee", ""),
    ]
    assert {(e.at, e.by, e.what) for e in entries[-2:]} == {(WHEN, "k.patel", "action")}
    assert entries[-1].as_json() == {
        "at": "2004-05-12T14:03:00",
        "by": "k.patel",
        "ref": "A2.4",
        "field": "owner",
        "from": "Sam Hussain",
        "to": "Jo Lee",
        "reason": "",
    }


def test_additions_and_deletions_are_recorded_and_a_restore_is_a_change_not_an_erasure(plan: PlanService) -> None:
    a24, a25 = plan.action_by_ref("A2.4"), plan.action_by_ref("A2.5")
    plan.add_dependency(a24.id, a25.id, "SS", 3)
    assert seen(plan, "A2.4")[0] == ("A2.4", "added", "", "Open the contact centre", "")
    saved = plan.delete_action(a24.id)
    with plan.giving_reason("Undo"):
        plan.restore_action(saved)
    assert seen(plan, "A2.4")[-2:] == [
        ("A2.4", "deleted", "Open the contact centre", "", ""),
        ("A2.4", "added", "", "Open the contact centre", "Undo"),
    ]
    # A2.5's wait on A2.4 went with it and came back: its list says so, each time.
    assert seen(plan, "A2.5")[-3:] == [
        ("A2.5", "depends_on", "", "A2.4 SS+3", ""),
        ("A2.5", "depends_on", "A2.4 SS+3", "", ""),
        ("A2.5", "depends_on", "", "A2.4 SS+3", "Undo"),
    ]


def test_a_reason_given_inside_a_change_is_recorded_with_it(plan: PlanService) -> None:
    # How an area records a revision's reason: give_reason inside its unit of work.
    action = plan.action_by_ref("A2.5")

    def revise(session: Session) -> None:
        give_reason(session, "Supplier late; agreed SRG 12/05/2004")
        session.get_one(Action, action.id).due = date(2004, 10, 1)

    plan.areas["Actions"]._write(revise, lambda _: Change(ChangeKind.ACTION, "revise A2.5"))
    assert seen(plan, "A2.5")[-1] == ("A2.5", "due", "2004-07-01", "2004-10-01", "Supplier late; agreed SRG 12/05/2004")


def test_a_refused_change_records_nothing(plan: PlanService) -> None:
    before = plan.history()
    action = plan.action_by_ref("A2.4")
    with pytest.raises(ValidationError):
        plan.update_action(action.id, action.version, start=date(2005, 1, 1))  # after its due date
    assert plan.history() == before


def test_an_import_records_each_new_action_each_changed_field_and_nothing_for_an_unchanged_row(
    plan: PlanService,
) -> None:
    before = len(plan.history())
    rows = [
        row("A2.4", "Open the contact centre", date(2004, 9, 30)),
        row("A2.6", "Train the advisers", date(2004, 8, 1), depends_on=[LinkSpec("A2.4")]),
    ]
    summary = plan.import_actions(rows)
    assert (summary.added, summary.updated) == (1, 1)
    assert seen(plan)[before:] == [("A2.6", "added", "", "Train the advisers", "")]
    # Again, with a new date for A2.4 and a new wait for A2.5.
    plan.import_actions(
        [
            row("A2.4", "Open the contact centre", date(2004, 11, 30)),
            row("A2.5", "Publish the directory", date(2004, 7, 1), depends_on=[LinkSpec("A2.6")]),
        ]
    )
    assert seen(plan)[before + 1 :] == [
        ("A2.4", "due", "2004-09-30", "2004-11-30", ""),
        ("A2.5", "depends_on", "", "A2.6", ""),
    ]
    assert all(e.by == "k.patel" and e.at == WHEN for e in plan.history())


def test_history_of_an_unknown_ref_is_refused_by_name_and_a_renamed_action_keeps_its_history(
    plan: PlanService,
) -> None:
    with pytest.raises(NotFound, match="no action or objective A9.9"):
        plan.history("A9.9")
    action = plan.action_by_ref("A2.5")
    plan.update_action(action.id, action.version, ref="A2.7")
    assert [e.field for e in plan.history("A2.7")] == ["added", "ref"]
    assert plan.history("A2.5")[-1].to_value == "A2.7"  # the old ref still finds what happened to it


def test_who_is_the_signed_in_user_with_a_fallback(plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "r.okafor")
    with open_plan(plan_path) as store:
        service = PlanService(store)
        service.add_objective("O1", "Lead the change")
        assert service.history()[-1].by == "r.okafor"

    def no_user() -> str:
        raise OSError("no user name in the environment")

    monkeypatch.setattr(getpass, "getuser", no_user)
    with open_plan(plan_path) as store:
        service = PlanService(store)
        service.add_objective("O3", "Measure it")
        assert service.history()[-1].by == "unknown"


def test_a_plan_from_schema_0003_gains_an_empty_history_that_then_records(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    downgrade_to_0003(plan)
    with open_for_editing(plan) as store:
        service = PlanService(store, user="m.jones")
        assert service.history() == []
        first = service.snapshot().actions[0]
        service.update_action(first.id, first.version, notes="Slipped: supplier")
        assert seen(service) == [(first.ref, "notes", first.notes, "Slipped: supplier", "")]
    assert schema_revision(plan) != "0003"
    assert query(plan, "SELECT by, field FROM change_log") == [("m.jones", "notes")]


def test_removing_a_person_records_each_action_left_without_an_owner(plan: PlanService) -> None:
    owner = next(p for p in plan.people() if p.name == "Sam Hussain")
    plan.delete_person(owner.id)
    assert seen(plan)[-2:] == [
        ("A2.4", "owner", "Sam Hussain", "", ""),
        ("Sam Hussain", "deleted", "", "", ""),
    ]
