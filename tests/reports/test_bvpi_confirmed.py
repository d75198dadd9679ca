"""A pack as at any date states the BVPI 157 position from actual e-enabled dates; forecasts are called forecasts."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from tests.reports.conftest import Pdf, build, squash

JUNE = date(2004, 6, 1)


def pct(part: int, whole: int) -> str:
    """The pack's percentage: one decimal place, half up, no trailing .0 (counted here, not by the rules)."""
    tenths = (part * 2000 + whole) // (whole * 2)
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}%"


@pytest.fixture(scope="module")
def june(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Pdf, PlanService]:
    """The demo's cabinet pack as at 1 June 2004: months after its last actual e-enabled date."""
    store = open_plan(demo_template, read_only=True)
    service = PlanService(store)
    pack = build(service, tmp_path_factory.mktemp("june") / "june.pdf", as_of=JUNE)
    yield pack, service
    store.close()


def test_the_summary_counts_only_interactions_actually_e_enabled_by_the_status_date(june) -> None:  # type: ignore[no-untyped-def]
    pack, service = june
    rows = [r for r in service.snapshot().service_rows if r.permissible]
    actual = sum(1 for r in rows if r.enabled_on is not None and r.enabled_on <= JUNE)
    forecast = actual + sum(
        1 for r in rows if r.enabled_on is None and r.forecast_on is not None and r.forecast_on <= JUNE
    )
    assert (actual, forecast, len(rows)) == (133, 183, 250)  # the chart's actual line is at 53%
    paragraph = pack.section_text("3.2.1", "3.2.2")
    assert (
        squash(
            f"As at 1 June 2004, {actual} of the {len(rows)} interactions with the public that can legally be "
            f"delivered electronically are e-enabled (BVPI 157: {pct(actual, len(rows))})."
        )
        in paragraph
    )
    assert (
        squash(
            f"A further {forecast - actual} interactions were forecast to be e-enabled by this date but have no "
            f"e-enabled date recorded; counting them, the forecast position is {pct(forecast, len(rows))}."
        )
        in paragraph
    )
    assert squash("183 of the 250") not in pack.flat
    assert squash("forecasts of 86% by March 2005") in paragraph


def test_appendix_d_gives_past_milestones_and_the_tables_from_actual_dates(june) -> None:  # type: ignore[no-untyped-def]
    pack, service = june
    rows = [r for r in service.snapshot().service_rows if r.permissible]
    appendix = pack.section_text("APPENDIX D", None)
    assert squash("As at 1 June 2004, 133 of the 250") in appendix
    march = sum(1 for r in rows if r.enabled_on is not None and r.enabled_on <= date(2004, 3, 31))
    assert squash(f"31/03/2004 Position {march} 250 {pct(march, 250)}") in appendix
    assert squash("31/03/2005 Forecast 215 250 86%") in appendix  # still ahead: a forecast, called one
    permissible = Counter(r.department for r in rows)
    enabled = Counter(r.department for r in rows if r.enabled_on is not None and r.enabled_on <= JUNE)
    for department in ("Housing", "Social Care and Health"):
        figures = f"{department} {permissible[department]} {enabled[department]}"
        assert squash(f"{figures} {pct(enabled[department], permissible[department])}") in appendix, department


def test_a_position_forecast_but_not_yet_recorded_is_not_claimed(new_plan: PlanService, tmp_path: Path) -> None:
    """One interaction e-enabled, one forecast for February 2004 with no e-enabled date: at 31 March, 1 of 2."""
    service = new_plan.add_service("Pest control", department="Environment")
    new_plan.add_service_row(service, 0, enabled_on=date(2003, 9, 1))
    new_plan.add_service_row(service, 4, forecast_on=date(2004, 2, 29))
    new_plan.update_plan(status_date=date(2004, 3, 31))
    pack = build(new_plan, tmp_path / "march.pdf")
    paragraph = pack.section_text("3.2.1", "3.2.2")
    assert squash("As at 31 March 2004, 1 of the 2 interactions") in paragraph
    assert squash("(BVPI 157: 50%)") in paragraph
    assert (
        squash(
            "A further interaction was forecast to be e-enabled by this date but has no e-enabled date recorded; "
            "counting it, the forecast position is 100%."
        )
        in paragraph
    )
    assert squash("Environment 2 1 50% 100%") in pack.section_text("APPENDIX D", None)


def test_after_the_target_date_the_pack_says_what_was_recorded_by_then(new_plan: PlanService, tmp_path: Path) -> None:
    """Told in 2006: one interaction e-enabled in 2003, one only ever forecast for June 2005."""
    service = new_plan.add_service("Trade waste", department="Environment")
    new_plan.add_service_row(service, 4, enabled_on=date(2003, 9, 1))
    new_plan.add_service_row(service, 0, forecast_on=date(2005, 6, 30))
    new_plan.update_plan(status_date=date(2006, 1, 16))
    paragraph = build(new_plan, tmp_path / "late.pdf").section_text("3.2.1", "3.2.2")
    assert squash("At the target date of 31 December 2005, 50% of our services were e-enabled.") in paragraph
    assert (
        squash(
            "The areas that were not e-enabled by December 2005 are these: 1 interaction forecast by then has no "
            "e-enabled date recorded."
        )
        in paragraph
    )
