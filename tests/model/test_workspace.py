"""The workspace (model/workspace.py) keeps one reading of a plan in step with each edit, without Qt.

Every short cut it takes (re-reading only the touched rows, reusing a verdict when
no fact the rules read changed) is held to a fresh reading of the file.
"""

from __future__ import annotations

from datetime import date

import pytest

from egov_planner.model.rules import PlanAssessment
from egov_planner.model.service import PlanService
from egov_planner.model.workspace import Workspace

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores

TODAY = date(2004, 6, 1)


def open_workspace(service: PlanService) -> Workspace:
    workspace = Workspace(service, today=lambda: TODAY)
    service.listeners.append(workspace.apply)
    return workspace


def verdicts(workspace: Workspace, assessment: PlanAssessment) -> dict[str, tuple[object, ...]]:
    refs = {a.id: a.ref for a in workspace.service.actions()}
    return {refs[i]: (a.rag, a.flag, a.forecast, a.reason) for i, a in assessment.actions.items()}


def fresh(workspace: Workspace) -> dict[str, tuple[object, ...]]:
    """The rules' verdict on the file as stored, read from scratch."""
    return verdicts(workspace, workspace.service.assess(today=TODAY))


def test_an_edit_re_reads_only_that_action_and_judges_the_plan_as_a_fresh_reading(demo_service):
    workspace = open_workspace(demo_service)
    snapshot = workspace.snapshot
    a21 = workspace.action_by_ref("A2.1")
    assert a21 is not None
    before = workspace.assessment.actions[workspace.action_by_ref("A2.2").id].forecast  # type: ignore[union-attr]

    demo_service.update_action(a21.id, due=date(2004, 9, 30))

    assert workspace.snapshot is snapshot  # refreshed in place, not read again
    assert workspace.last_scope == "records" and workspace.last_changed_ids == frozenset({a21.id})
    assert workspace.action(a21.id).due == date(2004, 9, 30)  # type: ignore[union-attr]
    after = workspace.assessment.actions[workspace.action_by_ref("A2.2").id].forecast  # type: ignore[union-attr]
    assert after > before  # its successor is pushed later
    assert verdicts(workspace, workspace.assessment) == fresh(workspace)


def test_renaming_an_action_refreshes_what_its_successors_say_they_wait_on(demo_service):
    workspace = open_workspace(demo_service)
    a21 = workspace.action_by_ref("A2.1")
    assert a21 is not None
    waiting = [link.successor_ref for link in workspace.successors_of(a21.id)]
    assert "A2.2" in waiting

    demo_service.update_action(a21.id, ref="A2.1a")

    assert workspace.action_by_ref("A2.1") is None
    successor = workspace.action_by_ref("A2.2")
    assert successor is not None and successor.depends_on_text == "A2.1a"
    assert [link.predecessor_ref for link in workspace.successors_of(a21.id)] == ["A2.1a"] * len(waiting)
    assert verdicts(workspace, workspace.assessment) == fresh(workspace)


def test_a_reused_verdict_is_the_verdict_a_fresh_assessment_gives(demo_service):
    workspace = open_workspace(demo_service)
    a21 = workspace.action_by_ref("A2.1")
    assert a21 is not None
    before = workspace.assessment

    demo_service.update_action(a21.id, title="Agree a corporate approach to authentication (revised)")

    assert workspace.assessment is before  # no fact the rules read changed: the verdict stands
    assert workspace.action(a21.id).title.endswith("(revised)")  # type: ignore[union-attr]
    assert verdicts(workspace, workspace.assessment) == fresh(workspace)

    demo_service.update_plan(status_date=date(2004, 3, 1))  # a new status date is never reused
    assert workspace.assessment is not before
    assert workspace.status_date == date(2004, 3, 1)
    assert verdicts(workspace, workspace.assessment) == fresh(workspace)


def same_as_fresh(workspace: Workspace) -> None:
    """The workspace's reading equals the plan read from scratch: the actions in the plan's order, every
    list the views show, and the rules' verdict."""
    stored = workspace.service.snapshot()
    mine = workspace.snapshot
    assert [a.ref for a in mine.actions] == [a.ref for a in stored.actions]
    assert mine.actions == stored.actions
    assert sorted(mine.links, key=lambda k: k.id) == sorted(stored.links, key=lambda k: k.id)
    assert sorted(mine.waits_on) == sorted(stored.waits_on)
    assert mine.latest_progress == stored.latest_progress
    assert (mine.objectives, mine.people, mine.departments, mine.externals) == (
        stored.objectives, stored.people, stored.departments, stored.externals,
    )
    assert mine.service_rows == stored.service_rows
    assert verdicts(workspace, workspace.assessment) == fresh(workspace)
    assert workspace.state.actions_by_id == {a.id: a for a in stored.actions}


def test_adding_and_deleting_an_action_reads_only_it_and_keeps_the_reading_whole(demo_service):
    workspace = open_workspace(demo_service)
    snapshot = workspace.snapshot
    objective = workspace.snapshot.objectives[0]

    new_id = demo_service.add_action(objective.id, "A1.99", "Ask the residents' panel", date(2004, 7, 30))
    assert workspace.snapshot is snapshot  # the new action read by its id, not the whole plan
    assert workspace.last_scope == "records" and workspace.last_added_ids == frozenset({new_id})
    same_as_fresh(workspace)

    # An action others wait on, with progress: deleting it shortens their waiting lists; undo brings all back.
    a11 = next(a for a in workspace.snapshot.actions if workspace.successors_of(a.id))
    demo_service.add_progress(a11.id, date(2004, 5, 1), "Panel booked", percent_complete=40)
    saved = demo_service.delete_action(a11.id)
    assert workspace.last_scope == "records" and workspace.last_removed_ids == frozenset({a11.id})
    assert workspace.action_by_ref(a11.ref) is None
    same_as_fresh(workspace)
    demo_service.restore_action(saved)
    assert workspace.last_added_ids == frozenset({a11.id})
    same_as_fresh(workspace)
    demo_service.add_dependency(new_id, a11.id)
    same_as_fresh(workspace)
    assert workspace.snapshot is snapshot


def test_objectives_people_and_externals_added_changed_or_deleted_re_read_their_lists(demo_service):
    workspace = open_workspace(demo_service)
    snapshot = workspace.snapshot
    objective = demo_service.add_objective("O9", "Open the data", lead=workspace.snapshot.people[0].name)
    assert workspace.objective(objective) is not None
    same_as_fresh(workspace)
    demo_service.add_action(objective, "O9.1", "Publish the spending data", date(2004, 8, 31), owner="Ken Barlow")
    same_as_fresh(workspace)
    ken = next(p for p in workspace.snapshot.people if p.name == "Ken Barlow")
    demo_service.update_person(ken.id, name="Kenneth Barlow")  # every action he owns shows his new name
    assert workspace.action_by_ref("O9.1").owner == "Kenneth Barlow"  # type: ignore[union-attr]
    same_as_fresh(workspace)
    lead = workspace.snapshot.people[0]
    demo_service.update_person(lead.id, name=f"{lead.name} Jr")  # the objective shows its lead's new name
    same_as_fresh(workspace)
    demo_service.update_objective(objective, ref="O0", position=0)  # its actions move to the top
    assert workspace.snapshot.actions[0].objective_ref == "O0"
    same_as_fresh(workspace)
    waited = next(e for e in workspace.snapshot.externals if any(x == e.id for _, x in workspace.snapshot.waits_on))
    demo_service.delete_external(waited.id)
    same_as_fresh(workspace)
    assert workspace.snapshot is snapshot  # none of it read the whole plan again


def test_another_officers_additions_and_deletions_are_caught_up_from_the_history(demo_service):
    """Another officer's writes reach this reading through the history alone (no Change heard)."""
    workspace = Workspace(demo_service, today=lambda: TODAY)
    other = PlanService(demo_service.store, user="rfairclough")
    snapshot = workspace.snapshot
    seen = demo_service.history_after(None)[0]

    def catch_up() -> None:
        nonlocal seen
        seen, entries = demo_service.history_after(seen)
        changes = workspace.changes_from_history(entries)
        assert changes is not None, [(e.what, e.field) for e in entries]
        for change in changes:
            workspace.apply(change)

    objective = other.add_objective("O8", "Join up the front desk")
    new_id = other.add_action(objective, "O8.1", "One number for the council", date(2004, 9, 1), owner="New Person")
    waiting = workspace.snapshot.actions[3]
    other.add_dependency(new_id, waiting.id)
    catch_up()
    assert workspace.action(new_id) is not None
    same_as_fresh(workspace)
    going = next(a for a in workspace.snapshot.actions if workspace.successors_of(a.id))
    other.delete_action(going.id)
    other.add_action(objective, "O8.2", "Added and deleted at once", date(2004, 9, 1))
    other.delete_action(other.action_by_ref("O8.2").id)
    catch_up()
    assert workspace.action(going.id) is None and workspace.action_by_ref("O8.2") is None
    same_as_fresh(workspace)
    assert workspace.snapshot is snapshot
