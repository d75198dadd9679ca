"""BVPI 157 rows added and deleted through PlanService: one transaction each, undoable, refusals save nothing."""

from __future__ import annotations

from datetime import date

import pytest

from egov_planner.model.errors import PlanError, ValidationError
from egov_planner.model.service import Change, ChangeKind, PlanService


def rows_of(service: PlanService, name: str) -> list[tuple[int, bool, str]]:
    return [(r.interaction, r.permissible, r.department) for r in service.service_rows() if r.service == name]


def test_a_row_for_a_new_service_adds_the_service_and_its_department_in_one_change(service: PlanService):
    heard: list[Change] = []
    service.listeners.append(heard.append)
    row_id = service.add_service_row_named(
        "Council Tax",
        2,
        enabled_on=date(2003, 4, 1),
        channels="web; phone",
        department="Resources",
        lgsl=57,
    )
    (row,) = service.service_rows()
    assert (row.id, row.service, row.department, row.lgsl) == (row_id, "Council Tax", "Resources", 57)
    assert (row.interaction, row.enabled_on, row.channels) == (2, date(2003, 4, 1), "web; phone")
    assert [d.name for d in service.departments()] == ["Resources"]
    assert [(c.kind, c.entity_ids) for c in heard] == [(ChangeKind.SERVICE, frozenset({row_id}))]


def test_a_row_for_a_known_service_joins_it(service: PlanService):
    service.add_service_row_named("Council Tax", 2, department="Resources")
    service.add_service_row_named("Council Tax", 8)
    assert rows_of(service, "Council Tax") == [(2, True, "Resources"), (8, True, "Resources")]
    assert len({r.service_id for r in service.service_rows()}) == 1


def test_a_refused_row_saves_no_service_and_no_department(service: PlanService):
    with pytest.raises(ValidationError) as refused:
        service.add_service_row_named("Pest control", 9, permissible=False, department="Environmental Health")
    assert refused.value.field == "reason"
    assert service.service_rows() == []
    assert service.departments() == []
    # The name is still free: nothing half-made is left behind.
    service.add_service_row_named("Pest control", 9, permissible=False, reason="statutory notice on paper")
    assert rows_of(service, "Pest control") == [(9, False, "")]


def test_a_duplicate_service_and_interaction_is_refused_naming_both(service: PlanService):
    service.add_service_row_named("Council Tax", 2)
    with pytest.raises(ValidationError) as refused:
        service.add_service_row_named("Council Tax", 2, channels="kiosk")
    assert refused.value.field == "interaction"
    assert "Council Tax already has a row for 'Collecting revenue'" in str(refused.value)
    assert len(service.service_rows()) == 1


def test_an_empty_service_name_is_refused_at_the_service(service: PlanService):
    with pytest.raises(ValidationError) as refused:
        service.add_service_row_named("  ", 2)
    assert refused.value.field == "service"


def test_a_deleted_row_comes_back_with_every_value_and_its_id(service: PlanService):
    external = service.add_external("Government Gateway", expected_on=date(2004, 9, 30))
    assert external
    row_id = service.add_service_row_named(
        "Housing Benefit",
        7,
        forecast_on=date(2004, 12, 31),
        channels="web",
        external="Government Gateway",
        department="Revenues and Benefits",
    )
    before = next(r for r in service.service_rows() if r.id == row_id)
    heard: list[Change] = []
    service.listeners.append(heard.append)

    saved = service.delete_service_row(row_id)
    assert saved == before  # the row as it was, a frozen record (undo restores it from that)
    assert service.service_rows() == []

    service.restore_service_row(saved)
    assert service.service_rows() == [before]
    assert [(c.kind, c.entity_ids) for c in heard] == [(ChangeKind.SERVICE, frozenset({row_id}))] * 2


def test_a_row_cannot_come_back_over_a_newer_row_for_the_same_interaction(service: PlanService):
    row_id = service.add_service_row_named("Council Tax", 2, channels="web")
    saved = service.delete_service_row(row_id)
    service.add_service_row_named("Council Tax", 2, channels="kiosk")
    with pytest.raises(ValidationError) as refused:
        service.restore_service_row(saved)
    assert refused.value.field == "interaction"
    assert [r.channels for r in service.service_rows()] == ["kiosk"]


def test_deleting_a_row_that_is_gone_is_refused(service: PlanService):
    row_id = service.add_service_row_named("Council Tax", 2)
    service.delete_service_row(row_id)
    with pytest.raises(PlanError):
        service.delete_service_row(row_id)
