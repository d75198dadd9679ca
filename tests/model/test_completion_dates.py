"""Completion dates follow the plan's status date, never the computer's clock; `check` finds any after it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan

STATUS_DATE = date(2004, 3, 12)


@pytest.fixture
def plan(plan_path: Path) -> Iterator[PlanService]:
    """An empty plan reported as at 12/03/2004, edited on a computer whose clock says 2026."""
    store = open_plan(plan_path)
    service = PlanService(store, clock=lambda: datetime(2026, 5, 1, 9, 30))
    service.update_plan(status_date=STATUS_DATE)
    try:
        yield service
    finally:
        store.close()


def two_actions(service: PlanService) -> tuple[int, int]:
    objective = service.add_objective("O2", "Publish the e-government strategy")
    first = service.add_action(objective, "A2.1", "Draft the strategy", date(2004, 2, 27))
    second = service.add_action(objective, "A2.2", "Consult the members", date(2004, 4, 16))
    return first, second


def test_marking_complete_fills_the_plans_status_date_not_the_clock(plan: PlanService) -> None:
    first, _ = two_actions(plan)
    done = plan.update_action(first, status="complete")
    assert (done.completed_on, done.percent_complete) == (STATUS_DATE, 100)


def test_a_completed_date_given_with_the_status_is_kept(plan: PlanService) -> None:
    first, _ = two_actions(plan)
    done = plan.update_action(first, status="complete", completed_on=date(2004, 3, 1))
    assert done.completed_on == date(2004, 3, 1)


def test_a_new_action_added_complete_is_dated_the_status_date(plan: PlanService) -> None:
    objective = plan.add_objective("O5", "Joined-up access")
    ident = plan.add_action(objective, "A5.1", "Open the contact centre", date(2004, 3, 1), status="complete")
    assert plan.action(ident).completed_on == STATUS_DATE


def test_a_progress_update_completing_an_action_is_dated_no_later_than_the_status_date(plan: PlanService) -> None:
    first, second = two_actions(plan)
    # An update written before the status date says when it was done…
    plan.add_progress(first, date(2004, 3, 5), "Signed off by SRG", status="complete")
    assert plan.action(first).completed_on == date(2004, 3, 5)
    # …one dated later still cannot put the completion after the position the plan reports.
    plan.add_progress(second, date(2004, 3, 20), "Members agreed it", status="complete")
    assert plan.action(second).completed_on == STATUS_DATE
    assert plan.check() == []


def test_with_no_status_date_the_window_shows_today_and_that_is_the_date(plan: PlanService) -> None:
    first, _ = two_actions(plan)
    plan.update_plan(status_date=None)
    assert plan.update_action(first, status="complete").completed_on == date(2026, 5, 1)


def test_check_reports_a_completion_after_the_status_date(plan: PlanService) -> None:
    first, second = two_actions(plan)
    plan.update_action(first, status="complete", completed_on=date(2004, 4, 2))
    plan.update_action(second, status="complete", completed_on=STATUS_DATE)
    assert [str(p) for p in plan.check()] == ["A2.1: completed on 02/04/2004, after the status date 12/03/2004"]
    # Asked as at a later date, the same completion is in the past.
    assert plan.check(as_of=date(2004, 4, 30)) == []
    assert [str(p) for p in plan.check(as_of=date(2004, 3, 1))] == [
        "A2.1: completed on 02/04/2004, after the status date 01/03/2004",
        "A2.2: completed on 12/03/2004, after the status date 01/03/2004",
    ]
