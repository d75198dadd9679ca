"""What a committed change tells listeners: a kind from a fixed set, and action ids kept apart from row ids."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import date

import pytest

from egov_planner.model.service import Change, ChangeKind, PlanService
from egov_planner.model.service.common import DeletedExternal

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores


def heard_from(service: PlanService) -> list[Change]:
    heard: list[Change] = []
    service.listeners.append(heard.append)
    return heard


def test_the_kind_is_an_enum_that_still_equals_the_old_strings(service: PlanService) -> None:
    heard = heard_from(service)
    objective = service.add_objective("O7", "Join up the contact centre")
    action = service.add_action(objective, "A7.1", "Train the advisers", date(2004, 6, 30))
    assert heard[0].kind is ChangeKind.OBJECTIVE and heard[0].entity_ids == {objective}
    assert heard[1].kind is ChangeKind.ACTION and heard[1].kind == "action"
    assert heard[1].action_ids == heard[1].entity_ids == {action}


def test_a_dependency_names_both_actions_and_its_own_link(service: PlanService) -> None:
    objective = service.add_objective("O7", "Join up the contact centre")
    first = service.add_action(objective, "A7.1", "Buy the telephony", date(2004, 6, 30))
    second = service.add_action(objective, "A7.2", "Train the advisers", date(2004, 9, 30))
    heard = heard_from(service)
    link = service.add_dependency(first, second, "SS", 2)
    assert heard[-1].kind is ChangeKind.DEPENDENCY
    assert heard[-1].action_ids == {first, second}
    assert heard[-1].entity_ids == {link.id}


def test_progress_names_the_action_and_the_entry(service: PlanService) -> None:
    objective = service.add_objective("O7", "Join up the contact centre")
    action = service.add_action(objective, "A7.1", "Buy the telephony", date(2004, 6, 30))
    heard = heard_from(service)
    entry = service.add_progress(action, date(2004, 2, 2), "Tender out", percent_complete=20)
    assert (heard[-1].kind, heard[-1].action_ids, heard[-1].entity_ids) == (ChangeKind.PROGRESS, {action}, {entry.id})


def test_other_kinds_name_only_their_own_rows(service: PlanService) -> None:
    heard = heard_from(service)
    person = service.add_person("Gwen Morgan", "Contact Centre Manager")
    assert heard[-1].kind is ChangeKind.PERSON and heard[-1].action_ids == frozenset()
    assert heard[-1].entity_ids == {person}


def test_a_deleted_action_comes_back_from_typed_records_exactly_as_it_was(service: PlanService) -> None:
    objective = service.add_objective("O7", "Join up the contact centre")
    first = service.add_action(objective, "A7.1", "Buy the telephony", date(2004, 6, 30), owner="Gwen Morgan")
    second = service.add_action(objective, "A7.2", "Train the advisers", date(2004, 9, 30), start=date(2004, 7, 1))
    third = service.add_action(objective, "A7.3", "Open the centre", date(2004, 12, 1))
    service.add_dependency(first, second, "SS", 2)
    service.add_dependency(second, third)
    service.link_external(second, service.add_external("Gateway", expected_on=date(2004, 8, 1)))
    entry = service.add_progress(second, date(2004, 7, 5), "Trainer booked", percent_complete=10)
    before = service.snapshot()

    saved = service.delete_action(second)
    assert saved.action == next(a for a in before.actions if a.id == second)
    assert {(link.predecessor_ref, link.successor_ref, link.kind) for link in saved.links} == {
        ("A7.1", "A7.2", "SS"),
        ("A7.2", "A7.3", "FS"),
    }
    assert saved.progress == (entry,)
    assert isinstance(saved.links, tuple) and isinstance(saved.externals, tuple)

    service.restore_action(saved)
    # Every field comes back; the version restarts, as the ORM numbers a row it inserts (as it always did).
    assert [replace(a, version=0) for a in service.snapshot().actions] == [
        replace(a, version=0) for a in before.actions
    ]
    assert service.progress(second) == [entry]


def test_deleted_objectives_externals_and_report_rows_come_back_from_frozen_records(service: PlanService) -> None:
    objective = service.add_objective("O8", "Publish the plan", lead="Gwen Morgan", exempt_paragraph=3)
    service.update_objective(objective, description="Every library gets a copy")
    (shown,) = service.objectives()
    saved_objective = service.delete_objective(objective)
    assert saved_objective == shown  # the record as the window showed it, lead's name and version too
    with pytest.raises(FrozenInstanceError):
        saved_objective.title = "Changed"  # type: ignore[misc]
    service.restore_objective(saved_objective)
    # Every field comes back; the version restarts, as the ORM numbers a row it inserts.
    assert [replace(o, version=0) for o in service.objectives()] == [replace(shown, version=0)]

    action = service.add_action(objective, "A8.1", "Print the copies", date(2004, 5, 31))
    gateway = service.add_external("Print unit", organisation="Resources", expected_on=date(2004, 4, 30))
    service.link_external(action, gateway)
    (external,) = service.externals()
    saved_external = service.delete_external(gateway)
    assert saved_external == DeletedExternal(external, (action,))
    service.restore_external(saved_external)
    assert [replace(e, version=0) for e in service.externals()] == [replace(external, version=0)]
    assert service.actions({action})[0].externals == ("Print unit",)

    meeting = service.add_meeting("Cabinet", date(2004, 3, 16))
    shown_meetings = service.snapshot().meetings
    saved_meeting = service.delete_meeting(meeting)
    assert saved_meeting == shown_meetings[0]
    heard = heard_from(service)
    service.restore_row(saved_meeting)
    assert [replace(m, version=0) for m in service.snapshot().meetings] == [replace(shown_meetings[0], version=0)]
    assert (heard[-1].kind, heard[-1].entity_ids) == (ChangeKind.MEETING, {meeting})
