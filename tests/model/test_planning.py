"""The small planning decisions every face shares (model/planning.py)."""

from __future__ import annotations

from datetime import date

from egov_planner.model import planning
from egov_planner.model.service import PlanService


def test_the_status_date_is_the_one_asked_for_else_the_plans_else_today():
    plan, asked, today = date(2004, 3, 31), date(2004, 5, 1), date(2004, 6, 1)
    assert planning.status_date(plan, asked, today) == asked
    assert planning.status_date(plan, None, today) == plan
    assert planning.status_date(None, None, today) == today
    assert planning.status_date(None) == date.today()


def test_a_new_action_is_due_a_month_after_the_status_date():
    assert planning.default_due_date(date(2004, 3, 15)) == date(2004, 4, 15)
    assert planning.default_due_date(date(2004, 1, 31)) == date(2004, 2, 28)  # every month has a 28th
    assert planning.default_due_date(date(2004, 12, 10)) == date(2005, 1, 10)


def test_the_next_refs_follow_the_objective_and_skip_refs_taken(service: PlanService):
    o3 = service.add_objective("O3", "Joined-up working")
    service.add_objective("O7", "Access for all")
    snapshot = service.snapshot()
    assert planning.next_action_ref(snapshot, o3) == "A3.1"
    assert planning.next_objective_ref(snapshot) == "O8"
    service.add_action(o3, "A3.2", "Map the contact centre's calls", date(2004, 9, 30))  # typed out of turn
    assert planning.next_action_ref(service.snapshot(), o3) == "A3.3"
