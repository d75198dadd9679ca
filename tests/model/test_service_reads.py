"""Reading a few actions after an edit gives the same records as a full read, cheaply."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from egov_planner.interchange.demo import write_demo
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan


def test_actions_reads_only_the_asked_actions_with_their_own_predecessors(tmp_path: Path) -> None:
    path = tmp_path / "plan.egov"
    write_demo(path)
    store = open_plan(path)
    try:
        service = PlanService(store)
        a22 = service.action_by_ref("A2.2")
        a23 = service.action_by_ref("A2.3")
        service.update_action(a22.id, due=date(2004, 10, 31))
        fresh = {record.ref: record for record in service.actions({a22.id, a23.id})}
        assert set(fresh) == {"A2.2", "A2.3"}
        assert fresh["A2.2"].due == date(2004, 10, 31)
        assert [link.as_text for link in fresh["A2.2"].predecessors] == ["A2.1"]
        assert [link.as_text for link in fresh["A2.3"].predecessors] == ["A2.1 SS+30d"]
        assert fresh["A2.2"] == service.action(a22.id)  # the same record the full read gives
        assert service.actions(set()) == []
    finally:
        store.close()
