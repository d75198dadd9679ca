"""What a committed change tells listeners: a kind from a fixed set, and action ids kept apart from row ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from egov_planner.model.service import Change, ChangeKind, PlanService


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
