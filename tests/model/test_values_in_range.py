"""Dates and lags a plan accepts, checked by the service; rules that never overflow on stored values."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_planner.model.dates import DateError, parse_date, shift
from egov_planner.model.errors import ValidationError
from egov_planner.model.rules import (
    ActionFacts,
    ExternalFacts,
    LinkFacts,
    PlanFacts,
    ServiceRowFacts,
    assess_plan,
    bvpi_milestones,
)
from egov_planner.model.service import PlanService

RANGE = "is outside the dates this plan accepts (01/01/1900–31/12/2199)"
FAR = date(9999, 12, 31)


@pytest.mark.parametrize("text", ["31/05/0000", "01/01/10000", "31/12/9999", "0001-01-01", "May 0000", "31 Dec 1899"])
def test_parse_date_refuses_years_outside_the_range_by_naming_it(text):
    with pytest.raises(DateError) as refused:
        parse_date(text)
    assert str(refused.value) == f"'{text}' {RANGE}"


@pytest.mark.parametrize(("text", "expected"), [("01/01/1900", date(1900, 1, 1)), ("31/12/2199", date(2199, 12, 31))])
def test_the_ends_of_the_range_are_accepted(text, expected):
    assert parse_date(text) == expected


def test_shift_clamps_instead_of_overflowing():
    assert shift(FAR, 5) == FAR
    assert shift(date(1, 1, 1), -5) == date(1, 1, 1)
    assert shift(date(2004, 1, 1), 31) == date(2004, 2, 1)


def small(service: PlanService) -> tuple[int, int]:
    objective = service.add_objective("O1", "Objective")
    first = service.add_action(objective, "A1", "First", date(2004, 5, 31))
    second = service.add_action(objective, "A2", "Second", date(2004, 6, 30))
    return first, second


@pytest.mark.parametrize("bad", [FAR, date(1, 1, 1), date(1899, 12, 31), date(2200, 1, 1)])
def test_every_typed_date_is_bounded_by_the_service(service: PlanService, bad: date):
    first, _ = small(service)
    before = service.snapshot()
    edits = [
        ("due", lambda: service.update_action(first, due=bad)),
        ("start", lambda: service.update_action(first, start=bad)),
        ("completed_on", lambda: service.update_action(first, status="complete", completed_on=bad)),
        ("expected", lambda: service.update_action(first, expected=bad)),
        ("status_date", lambda: service.set_status_date(bad)),
        ("expected_on", lambda: service.add_external("Gov Connect", expected_on=bad)),
        ("forecast_on", lambda: service.add_service_row_named("Council Tax", 1, forecast_on=bad)),
        ("enabled_on", lambda: service.add_service_row_named("Council Tax", 1, enabled_on=bad)),
        ("meets_on", lambda: service.add_meeting("Cabinet", bad)),
        ("held_on", lambda: service.add_consultation("Workshop", held_on=bad)),
        ("reported_on", lambda: service.add_progress(first, bad, "note")),
    ]
    for field, edit in edits:
        with pytest.raises(ValidationError) as refused:
            edit()
        assert refused.value.field == field
        assert str(refused.value).endswith(RANGE), str(refused.value)
    assert service.snapshot() == before


@pytest.mark.parametrize("lag", [3651, -3651, 99_999_999_999_999_999_999])
def test_lags_are_bounded_on_add_and_update(service: PlanService, lag: int):
    first, second = small(service)
    with pytest.raises(ValidationError) as refused:
        service.add_dependency(first, second, "FS", lag)
    assert refused.value.field == "lag_days" and "3,650 days" in str(refused.value)
    link = service.add_dependency(first, second, "FS", 3650)
    with pytest.raises(ValidationError) as refused:
        service.update_dependency(link.id, lag_days=lag)
    assert "3,650 days" in str(refused.value)
    assert service.links()[0].lag_days == 3650


def test_assess_clamps_sums_past_the_calendar():
    # check naming such stored values: tests/cli/test_extreme_values.py (through the plan file, as stored)
    facts = PlanFacts(
        actions=[
            ActionFacts(1, "A1", 1, None, FAR, "in_progress"),
            ActionFacts(2, "A2", 1, date(2004, 1, 1), date(2004, 6, 30), "not_started"),
            ActionFacts(3, "A3", 1, date(2004, 1, 1), date(2004, 6, 30), "not_started"),
            ActionFacts(4, "A4", 1, date(2004, 1, 1), date(2004, 6, 30), "not_started"),
        ],
        links=[
            LinkFacts(1, 2, "FS", 5),
            LinkFacts(1, 3, "SS", 10**12),  # beyond what timedelta holds
            LinkFacts(3, 4, "SF", -(10**12)),
        ],
        externals={7: ExternalFacts(7, "Gov Connect", FAR)},
        waits_on=[(4, 7)],
    )
    result = assess_plan(facts, FAR, 14)
    assert result.actions[2].forecast == FAR and result.actions[3].forecast == FAR
    assert result.actions[4].forecast == FAR
    rows = [ServiceRowFacts(1, "Council Tax", "Finance", 1, True, None, FAR)]
    assert bvpi_milestones(rows, facts.externals)[-1] == date(2200, 3, 31)


@settings(max_examples=200, deadline=None)
@given(
    due=st.dates(),
    start=st.one_of(st.none(), st.dates()),
    status_date=st.dates(),
    lag=st.integers(-(10**15), 10**15),
    kind=st.sampled_from(["FS", "SS", "FF", "SF"]),
    expected=st.one_of(st.none(), st.dates()),
)
def test_the_rules_never_overflow_on_any_stored_dates(due, start, status_date, lag, kind, expected):
    first_start = start if start is not None and start <= due else None
    facts = PlanFacts(
        actions=[
            ActionFacts(1, "A1", 1, first_start, due, "in_progress"),
            ActionFacts(2, "A2", 1, first_start, due, "not_started"),
        ],
        links=[LinkFacts(1, 2, kind, lag)],
        externals={1: ExternalFacts(1, "E", expected)},
        waits_on=[(2, 1)],
    )
    result = assess_plan(facts, status_date, 365)
    assert set(result.actions) == {1, 2}


def test_no_text_the_service_stores_may_hold_a_nul(service: PlanService):
    first, second = small(service)
    objective = service.objectives()[0].id
    before = service.snapshot()
    edits = [
        ("ref", lambda: service.add_action(objective, "A\x001", "Hidden", date(2004, 5, 31))),
        ("ref", lambda: service.update_action(first, ref="A\x009")),
        ("title", lambda: service.update_action(first, title="Bad\x00title")),
        ("notes", lambda: service.update_action(first, notes="a\x00b")),
        ("title", lambda: service.update_objective(objective, title="O\x00")),
        ("name", lambda: service.add_person("Jo\x00 Bloggs")),
        ("name", lambda: service.add_department("Fin\x00ance")),
        ("authority", lambda: service.update_plan(authority="Leic\x00ester")),
        ("name", lambda: service.add_external("Gov\x00Connect")),
        ("note", lambda: service.add_progress(first, date(2004, 1, 1), "n\x00te")),
        ("name", lambda: service.add_service("Council\x00Tax")),
        ("committee", lambda: service.add_meeting("Cab\x00inet", date(2004, 1, 1))),
    ]
    for field, edit in edits:
        with pytest.raises(ValidationError) as refused:
            edit()
        assert refused.value.field == field, str(refused.value)
        assert f"NUL character (a zero byte) in the {field}" in str(refused.value)
    assert service.snapshot() == before
