"""PlanService: the one way to change a plan. Refused changes save nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from egov_planner.model.errors import ConflictError, CycleError, NotFound, ValidationError
from egov_planner.model.records import ImplicationRecord
from egov_planner.model.rules import Flag
from egov_planner.model.service import Change, ChangeKind, PlanService
from egov_planner.model.store import ReadOnlyPlan, open_plan

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores


def small_plan(service: PlanService) -> dict[str, int]:
    objective = service.add_objective("O1", "Review progress towards BVPI 157", lead="Jill Craig")
    ids = {
        "A1.1": service.add_action(
            objective,
            "A1.1",
            "Agree the monitoring return",
            date(2004, 3, 31),
            owner="Head of e-Government",
            department="Resources",
            start=date(2004, 1, 1),
        ),
        "A1.2": service.add_action(objective, "A1.2", "Report to SRG", date(2004, 4, 30), start=date(2004, 4, 1)),
        "A3.1": service.add_action(objective, "A3.1", "Draft the strategy", date(2004, 5, 31)),
    }
    return ids


def test_a_new_action_is_stored_with_its_owner_and_department(service: PlanService):
    ids = small_plan(service)
    stored = service.action(ids["A1.1"])
    assert stored.owner == "Head of e-Government"
    assert stored.department == "Resources"
    assert stored.objective_ref == "O1"
    assert [p.name for p in service.people()] == ["Head of e-Government", "Jill Craig"]


def test_due_before_start_is_refused_and_nothing_is_saved(service: PlanService):
    ids = small_plan(service)
    with pytest.raises(ValidationError) as refused:
        service.update_action(ids["A1.1"], due=date(2003, 12, 1))
    assert refused.value.field == "due"
    assert "before start 01/01/2004" in str(refused.value)
    assert service.action(ids["A1.1"]).due == date(2004, 3, 31)


def test_percent_status_ref_and_exempt_are_checked(service: PlanService):
    ids = small_plan(service)
    for changes, field in (
        ({"percent_complete": 101}, "percent_complete"),
        ({"status": "finished"}, "status"),
        ({"ref": "A1.2"}, "ref"),
        ({"ref": "has space"}, "ref"),
        ({"exempt_paragraph": 8}, "exempt_paragraph"),
        ({"title": "  "}, "title"),
    ):
        with pytest.raises(ValidationError) as refused:
            service.update_action(ids["A1.1"], **changes)
        assert refused.value.field == field
    assert service.action(ids["A1.1"]).version == 1


def test_a_dependency_that_would_close_a_cycle_is_refused_naming_it(service: PlanService):
    ids = small_plan(service)
    service.add_dependency(ids["A1.2"], ids["A3.1"])  # A3.1 waits on A1.2
    with pytest.raises(CycleError) as refused:
        service.add_dependency(ids["A3.1"], ids["A1.2"])  # A1.2 would wait on A3.1
    assert refused.value.cycle == "A3.1 → A1.2 → A3.1"
    assert "A3.1 → A1.2 → A3.1" in str(refused.value)
    assert len(service.links()) == 1


def test_self_dependency_and_duplicates_are_refused(service: PlanService):
    ids = small_plan(service)
    with pytest.raises(CycleError):
        service.add_dependency(ids["A1.1"], ids["A1.1"])
    service.add_dependency(ids["A1.1"], ids["A1.2"], "SS", 5)
    with pytest.raises(ValidationError, match="already depends"):
        service.add_dependency(ids["A1.1"], ids["A1.2"])
    with pytest.raises(ValidationError, match="not a dependency type"):
        service.add_dependency(ids["A1.1"], ids["A3.1"], "XX")


def test_dependency_type_and_lag_show_in_depends_on(service: PlanService):
    ids = small_plan(service)
    link = service.add_dependency(ids["A1.1"], ids["A1.2"], "FF", -5)
    assert service.action(ids["A1.2"]).depends_on_text == "A1.1 FF-5d"
    service.update_dependency(link.id, kind="SS", lag_days=10)
    assert service.action(ids["A1.2"]).depends_on_text == "A1.1 SS+10d"
    service.remove_dependency(link.id)
    assert service.action(ids["A1.2"]).depends_on_text == ""


def test_a_stale_version_is_refused_not_overwritten(service: PlanService):
    ids = small_plan(service)
    seen = service.action(ids["A1.1"])
    service.update_action(ids["A1.1"], expected_version=seen.version, title="First edit")
    with pytest.raises(ConflictError, match="changed elsewhere"):
        service.update_action(ids["A1.1"], expected_version=seen.version, title="Second edit from a stale copy")
    assert service.action(ids["A1.1"]).title == "First edit"


def test_completing_an_action_fills_completed_on_and_reopening_clears_it(plan_path):
    store = open_plan(plan_path)
    service = PlanService(store, clock=lambda: datetime(2004, 1, 12, 10, 0))
    try:
        ids = small_plan(service)
        done = service.update_action(ids["A1.1"], status="complete")
        assert (done.completed_on, done.percent_complete) == (date(2004, 1, 12), 100)
        reopened = service.update_action(ids["A1.1"], status="in_progress")
        assert reopened.completed_on is None
    finally:
        store.close()


def test_progress_history_is_appended_and_sets_the_actions_status(service: PlanService):
    ids = small_plan(service)
    service.add_progress(ids["A1.2"], date(2004, 1, 5), "Returns in from five departments", "in_progress", 60, "HeG")
    service.add_progress(ids["A1.2"], date(2004, 1, 9), "Last return in", percent_complete=90)
    history = service.progress(ids["A1.2"])
    assert [(p.reported_on, p.percent_complete, p.note) for p in history] == [
        (date(2004, 1, 5), 60, "Returns in from five departments"),
        (date(2004, 1, 9), 90, "Last return in"),
    ]
    action = service.action(ids["A1.2"])
    assert (action.status, action.percent_complete) == ("in_progress", 90)
    assert service.snapshot().latest_progress[ids["A1.2"]].note == "Last return in"


def test_deleting_an_action_can_be_undone_with_everything_it_had(service: PlanService):
    ids = small_plan(service)
    service.add_dependency(ids["A1.1"], ids["A1.2"])
    service.add_dependency(ids["A1.2"], ids["A3.1"], "FS", 3)
    external = service.add_external("National project", expected_on=date(2006, 6, 30))
    service.link_external(ids["A1.2"], external)
    service.add_progress(ids["A1.2"], date(2004, 1, 5), "note")
    saved = service.delete_action(ids["A1.2"])
    assert {a.ref for a in service.actions()} == {"A1.1", "A3.1"}
    assert service.links() == []
    service.restore_action(saved)
    back = service.action(ids["A1.2"])
    assert back.depends_on_text == "A1.1"
    assert back.externals == ("National project",)
    assert service.action(ids["A3.1"]).depends_on_text == "A1.2 FS+3d"
    assert len(service.progress(ids["A1.2"])) == 1


def test_an_objective_with_actions_cannot_be_deleted(service: PlanService):
    small_plan(service)
    objective = service.objectives()[0]
    with pytest.raises(ValidationError, match="still has 3 actions"):
        service.delete_objective(objective.id)


def test_listeners_hear_what_changed(service: PlanService):
    heard: list[Change] = []
    service.listeners.append(heard.append)
    ids = small_plan(service)
    service.update_action(ids["A1.1"], due=date(2004, 4, 1))
    assert heard[-1].kind is ChangeKind.ACTION and heard[-1].action_ids == frozenset({ids["A1.1"]})
    assert heard[-1].description == "change action A1.1"


def test_a_read_only_plan_refuses_every_edit(plan_path):
    writer = open_plan(plan_path)
    try:
        small_plan(PlanService(writer))
        reader = open_plan(plan_path, allow_read_only_fallback=True)
        try:
            assert reader.read_only and reader.in_use_by is not None
            service = PlanService(reader)
            before = service.snapshot()
            with pytest.raises(ReadOnlyPlan, match="in use by"):
                service.update_action(before.actions[0].id, title="sneaky")
            assert service.snapshot().actions == before.actions
        finally:
            reader.close()
    finally:
        writer.close()


def test_status_date_drives_the_assessment(service: PlanService):
    ids = small_plan(service)
    service.set_status_date(date(2004, 4, 5))
    assessment = service.assess()
    assert assessment.actions[ids["A1.1"]].flag is Flag.OVERDUE
    assert assessment.actions[ids["A1.1"]].days_overdue == 5
    later = service.assess(date(2004, 4, 10))
    assert later.actions[ids["A1.1"]].days_overdue == 10


def test_report_details_meetings_implications_and_consultations(service: PlanService):
    service.update_plan(authority="Cyngor Sir Ddinbych", title="Adolygiad", key_decision=True, due_soon_days=21)
    service.add_meeting("Cabinet", date(2004, 2, 2))
    imp = service.add_implication("Equal Opportunities", True, "Section 10")
    service.add_consultation("Questionnaire", "Public", 411, held_on=date(2003, 11, 30))
    snap = service.snapshot()
    assert snap.details.authority == "Cyngor Sir Ddinbych" and snap.details.due_soon_days == 21
    assert [m.committee for m in snap.meetings] == ["Cabinet"]
    assert snap.implications[0].applies and snap.implications[0].paragraph_refs == "Section 10"
    assert snap.consultations[0].respondents_text == "411"
    saved = service.delete_implication(imp)
    assert service.snapshot().implications == []
    assert isinstance(saved, ImplicationRecord) and saved.topic == "Equal Opportunities"
    service.restore_row(saved)
    assert service.snapshot().implications[0].topic == "Equal Opportunities"
    with pytest.raises(ValidationError):
        service.update_plan(due_soon_days=-1)
    with pytest.raises(ValidationError):
        service.update_plan(nonsense="x")


def test_people_departments_and_leaving(service: PlanService):
    person = service.add_person("Łukasz Żółć", "Web Manager", department="Resources")
    with pytest.raises(ValidationError, match="already in this plan"):
        service.add_person("Łukasz Żółć")
    service.update_person(person, left_on=date(2003, 12, 1))
    assert service.people()[0].left_on == date(2003, 12, 1)
    dept = service.departments()[0]
    service.rename_department(dept.id, "Resources, Access and Diversity")
    assert service.people()[0].department == "Resources, Access and Diversity"


def test_missing_things_are_named(service: PlanService):
    with pytest.raises(NotFound, match="action #999"):
        service.update_action(999, title="x")


def test_renaming_an_action_tells_listeners_its_successors_changed_too(service: PlanService):
    ids = small_plan(service)
    service.add_dependency(ids["A1.1"], ids["A1.2"], "FS", 5)
    heard: list[Change] = []
    service.listeners.append(heard.append)
    service.update_action(ids["A1.1"], ref="A1.0")
    assert heard[-1].action_ids == frozenset({ids["A1.1"], ids["A1.2"]})
    assert service.actions({ids["A1.2"]})[0].depends_on_text == "A1.0 FS+5d"
