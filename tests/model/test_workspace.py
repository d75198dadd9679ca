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


def test_adding_an_action_reads_the_plan_again(demo_service):
    workspace = open_workspace(demo_service)
    objective = workspace.snapshot.objectives[0]
    count = len(workspace.snapshot.actions)

    new_id = demo_service.add_action(objective.id, "A1.99", "Ask the residents' panel", date(2004, 7, 30))

    assert workspace.last_scope == "full"
    assert len(workspace.snapshot.actions) == count + 1
    assert workspace.action(new_id) is not None
    assert verdicts(workspace, workspace.assessment) == fresh(workspace)
