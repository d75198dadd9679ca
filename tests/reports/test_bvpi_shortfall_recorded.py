"""'Not e-enabled by 31/12/2005' after the target date counts recorded e-enabled dates, not forecasts.

Before the target date the list is a forecast and says so; after it, an interaction only forecast by then
(never recorded as e-enabled) is in the list, in the pack's Appendix D and in `bvpi --format json`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from tests.reports.conftest import build, squash


def trade_waste(plan: PlanService) -> None:
    """Three interactions: e-enabled in 2003, only ever forecast for June 2005, e-enabled in March 2006."""
    service = plan.add_service("Trade waste", department="Environment")
    plan.add_service_row(service, 4, enabled_on=date(2003, 9, 1))
    plan.add_service_row(service, 0, forecast_on=date(2005, 6, 30))
    plan.add_service_row(service, 8, enabled_on=date(2006, 3, 1))


def shortfall(plan: PlanService, as_of: str) -> list[dict[str, object]]:
    code, out, err = capture(["bvpi", str(plan.store.path), "--as-of", as_of, "--format", "json"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    return data["shortfall"]  # type: ignore[no-any-return]


def test_after_the_target_date_a_forecast_never_recorded_is_a_shortfall(new_plan: PlanService, tmp_path: Path) -> None:
    trade_waste(new_plan)
    new_plan.update_plan(status_date=date(2006, 4, 3))
    appendix = build(new_plan, tmp_path / "april 2006.pdf").section_text("APPENDIX D", None)
    table = appendix[appendix.index(squash("Not e-enabled by 31/12/2005 (from recorded e-enabled dates)")) :]
    assert (
        squash("Trade waste Environment 0 Applications for service forecast 30/06/2005, but no e-enabled date recorded")
        in table
    )
    assert squash("e-enabled 01/03/2006, after 31/12/2005") in table
    rows = shortfall(new_plan, "03/04/2006")
    assert [(r["code"], r["reason"]) for r in rows] == [
        (0, "forecast 30/06/2005, but no e-enabled date recorded"),
        (8, "e-enabled 01/03/2006, after 31/12/2005"),
    ]
    assert set(rows[0]) == {"service", "department", "code", "interaction", "reason"}


def test_before_the_target_date_the_list_is_a_forecast_and_says_so(new_plan: PlanService, tmp_path: Path) -> None:
    trade_waste(new_plan)
    new_plan.update_plan(status_date=date(2004, 6, 1))
    appendix = build(new_plan, tmp_path / "june 2004.pdf").section_text("APPENDIX D", None)
    assert squash("Not e-enabled by 31/12/2005 (forecast)") in appendix
    assert squash("forecast 30/06/2005, but no e-enabled date recorded") not in appendix  # forecast in time
    assert [r["code"] for r in shortfall(new_plan, "01/06/2004")] == [8]
