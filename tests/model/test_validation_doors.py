"""One bad value, one message: a single edit, a CSV import and `check` all judge it with model/validation.py.

For each field the same bad value goes in by every door it can: an edit through
PlanService, a row of an actions or services CSV, and a value written straight
into the plan file (an old file, or one edited by hand) that `check` reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from egov_planner.interchange import import_file
from egov_planner.model.errors import RowError, ValidationError
from egov_planner.model.service import PlanService
from egov_planner.model.store import create_plan, open_plan

ACTIONS_HEADER = "objective_ref,objective,action_ref,action,start,due,status,percent_complete,exempt,depends_on\n"
SERVICES_HEADER = "service,lgsl,interaction,permissible,reason,external,external_expected\n"


@dataclass(frozen=True)
class Door:
    """One field's bad value as each door receives it (None: that door cannot carry it)."""

    edit: Callable[[PlanService, dict[str, int]], object]
    csv: str | None  # a whole CSV file (actions or services)
    column: str | None  # the column the import names
    sql: str | None  # what a hand edit wrote into the file
    message: str


CASES: dict[str, Door] = {
    "ref": Door(
        lambda s, ids: s.update_action(ids["A1.1"], ref="A 1"),
        ACTIONS_HEADER + "O1,,A 1,Scan the archive,,30/06/2004,,,,\n",
        "action_ref",
        "UPDATE action SET ref = 'A 1' WHERE ref = 'A1.1'",
        "'A 1' is not a usable reference: no spaces, ';' or ',' and at most 40 characters",
    ),
    "missing ref": Door(
        lambda s, ids: s.update_action(ids["A1.1"], ref=" "),
        ACTIONS_HEADER + "O1,,,Scan the archive,,30/06/2004,,,,\n",
        "action_ref",
        "UPDATE action SET ref = '' WHERE ref = 'A1.1'",
        "a value is required (a reference such as A1.1)",
    ),
    "title": Door(
        lambda s, ids: s.update_action(ids["A1.1"], title="  "),
        ACTIONS_HEADER + "O1,,A1.9,,,30/06/2004,,,,\n",
        "action",
        "UPDATE action SET title = '' WHERE ref = 'A1.1'",
        "a value is required (the action's title)",
    ),
    "percent": Door(
        lambda s, ids: s.update_action(ids["A1.1"], percent_complete=140),
        ACTIONS_HEADER + "O1,,A1.9,Scan the archive,,30/06/2004,,140,,\n",
        "percent_complete",
        "UPDATE action SET percent_complete = 140 WHERE ref = 'A1.1'",
        "140% complete is outside 0-100",
    ),
    "status": Door(
        lambda s, ids: s.update_action(ids["A1.1"], status="finished"),
        ACTIONS_HEADER + "O1,,A1.9,Scan the archive,,30/06/2004,finished,,,\n",
        "status",
        "UPDATE action SET status = 'finished' WHERE ref = 'A1.1'",
        "'finished' is not a status (use one of: not started, in progress, complete, deferred, cancelled)",
    ),
    "exempt paragraph": Door(
        lambda s, ids: s.update_action(ids["A1.1"], exempt_paragraph=9),
        ACTIONS_HEADER + "O1,,A1.9,Scan the archive,,30/06/2004,,,9,\n",
        "exempt",
        "UPDATE action SET exempt_paragraph = 9 WHERE ref = 'A1.1'",
        "'9' is not a paragraph of Schedule 12A (use 1 to 7)",
    ),
    "due before start": Door(
        lambda s, ids: s.update_action(ids["A1.1"], due=date(2004, 1, 15)),
        ACTIONS_HEADER + "O1,,A1.9,Scan the archive,01/02/2004,15/01/2004,,,,\n",
        "due",
        "UPDATE action SET due = '2004-01-15' WHERE ref = 'A1.1'",
        "due 15/01/2004 is before start 01/02/2004",
    ),
    "dependency type": Door(
        lambda s, ids: s.add_dependency(ids["A1.1"], ids["A1.3"], "XX"),
        ACTIONS_HEADER + "O1,,A1.9,Scan the archive,,30/06/2004,,,,A1.1 XX\n",
        "depends_on",
        "UPDATE dependency SET kind = 'XX'",
        "'XX' is not a dependency type (FS, SS, FF or SF)",
    ),
    "not permissible without a reason": Door(
        lambda s, ids: s.add_service_row_named("Pest control", 4, permissible=False),
        SERVICES_HEADER + "Pest control,,4,no,,,\n",
        "reason",
        "UPDATE service_interaction SET permissible = 0, reason = ''",
        "say why the interaction is not legally permissible electronically",
    ),
    "interaction": Door(
        lambda s, ids: s.add_service_row_named("Pest control", 12),
        SERVICES_HEADER + "Pest control,,12,yes,,,\n",
        "interaction",
        "UPDATE service_interaction SET interaction = 12",
        "'12' is not an interaction type (LGIL code 0-9)",
    ),
    "LGSL number": Door(
        lambda s, ids: s.add_service("Pest control", lgsl=-4),
        SERVICES_HEADER + "Pest control,-4,4,yes,,,\n",
        "lgsl",
        None,  # nothing reads a service's LGSL number but the pack: check has no rule for it
        "'-4' is not an LGSL number (0 to 999999)",
    ),
    "confidence": Door(
        lambda s, ids: s.update_external(ids["external"], confidence="sure"),
        None,  # no CSV carries an external dependency's confidence
        None,
        "UPDATE external_dependency SET confidence = 'sure'",
        "'sure' is not high, medium or low",
    ),
}


def fill(service: PlanService) -> dict[str, int]:
    """One good row of everything a case breaks."""
    objective = service.add_objective("O1", "Digitise the planning service")
    ids = {
        ref: service.add_action(objective, ref, title, due, start=start)
        for ref, title, start, due in (
            ("A1.1", "Scan the planning archive", date(2004, 2, 1), date(2004, 6, 30)),
            ("A1.2", "Index the scans", None, date(2004, 9, 30)),
            ("A1.3", "Publish on the web site", None, date(2004, 12, 31)),
        )
    }
    service.add_dependency(ids["A1.1"], ids["A1.2"])
    service.add_service_row_named("Planning applications", 4, lgsl=1234, reason="")
    ids["external"] = service.add_external("Planning Portal", expected_on=date(2004, 10, 1))
    return ids


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[tuple[PlanService, dict[str, int], Path]]:
    path = tmp_path / "doors.egov"
    create_plan(path)
    store = open_plan(path)
    try:
        service = PlanService(store)
        yield service, fill(service), path
    finally:
        store.close()


def by_edit(service: PlanService, ids: dict[str, int], door: Door) -> str:
    with pytest.raises(ValidationError) as refused:
        door.edit(service, ids)
    return refused.value.message


def by_import(service: PlanService, folder: Path, door: Door) -> str:
    assert door.csv is not None
    path = folder / "rows.csv"
    path.write_text(door.csv, encoding="utf-8")
    before = service.snapshot()
    with pytest.raises(RowError) as refused:
        import_file(service, path)
    assert (refused.value.row, refused.value.column) == (2, door.column)
    assert service.snapshot() == before  # refused whole: nothing saved
    return refused.value.message


def by_check(path: Path, door: Door) -> list[str]:
    assert door.sql is not None
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA ignore_check_constraints = ON")  # as a hand edit or an old file could
    connection.execute(door.sql)
    connection.close()
    store = open_plan(path, read_only=True)
    try:
        return [problem.message for problem in PlanService(store).check()]
    finally:
        store.close()


@pytest.mark.parametrize("field", list(CASES))
def test_a_bad_value_gets_the_same_message_by_every_door(filled, tmp_path: Path, field: str) -> None:
    service, ids, path = filled
    door = CASES[field]
    assert by_edit(service, ids, door) == door.message
    if door.csv is not None:
        assert by_import(service, tmp_path, door) == door.message
    if door.sql is not None:
        service.store.close()
        assert door.message in by_check(path, door)


def test_every_field_goes_through_at_least_two_doors() -> None:
    for field, door in CASES.items():
        assert (door.csv is not None) + (door.sql is not None) >= 1, field


def test_both_csv_formats_refuse_two_dates_for_one_external_alike(service: PlanService, tmp_path: Path) -> None:
    service.add_objective("O1", "Digitise the planning service")
    actions = tmp_path / "actions.csv"
    actions.write_text(
        "objective_ref,action_ref,action,due,external,external_expected\n"
        "O1,A1.1,Scan,30/06/2004,Planning Portal,01/10/2004\n"
        "O1,A1.2,Index,30/09/2004,Planning Portal,01/11/2004\n",
        encoding="utf-8",
    )
    services = tmp_path / "services.csv"
    services.write_text(
        "service,interaction,external,external_expected\n"
        "Planning applications,4,Planning Portal,01/10/2004\n"
        "Building control,4,Planning Portal,01/11/2004\n",
        encoding="utf-8",
    )
    messages = []
    for path in (actions, services):
        with pytest.raises(RowError) as refused:
            import_file(service, path)
        assert (refused.value.row, refused.value.column) == (3, "external_expected")
        messages.append(refused.value.message)
    assert messages == ["Planning Portal is expected 01/10/2004 in row 2 but 01/11/2004 here; give one date"] * 2


def test_the_import_checks_typed_rows_itself_not_trusting_their_parser(service: PlanService) -> None:
    from egov_planner.model.import_rows import ActionImportRow

    row = ActionImportRow(
        row=7,
        objective_ref="O1",
        objective="Digitise the planning service",
        action_ref="A1.1",
        action="Scan the archive",
        due=date(2004, 6, 30),
        status="complete",
        percent_complete=140,
        exempt=8,
        present=frozenset({"objective", "action", "due", "status", "percent_complete", "exempt"}),
    )
    with pytest.raises(RowError) as refused:
        service.import_actions([row], source="another format")
    assert str(refused.value) == "another format row 7, column percent_complete: 140% complete is outside 0-100"
    assert service.actions() == [] and service.objectives() == []
