"""Every add, delete and field edit the window makes goes back with undo and forward again with redo.

Adds and deletes share two commands (AddCommand, DeleteCommand) and field edits one (EditFields):
these walk each kind of thing through do, undo and redo and read the plan back each time.
"""

from __future__ import annotations

from datetime import date

import pytest

from egov_planner.ui.commands import (
    AddDepartmentCommand,
    AddExternalCommand,
    AddObjectiveCommand,
    AddPersonCommand,
    AddReportRowCommand,
    DeleteDepartmentCommand,
    DeleteExternalCommand,
    DeleteObjectiveCommand,
    DeletePersonCommand,
    DeleteReportRowCommand,
    EditFields,
    EditObjectiveCommand,
    EditPersonCommand,
    EditReportRowCommand,
    RenameDepartmentCommand,
)


def names(document, kind: str) -> set[str]:  # type: ignore[no-untyped-def]
    """What the window shows of one kind of thing, by name."""
    snapshot = document.snapshot
    return {
        "objective": lambda: {o.ref for o in snapshot.objectives},
        "external": lambda: {e.name for e in snapshot.externals},
        "person": lambda: {p.name for p in snapshot.people},
        "department": lambda: {d.name for d in snapshot.departments},
        "meeting": lambda: {m.committee for m in snapshot.meetings},
    }[kind]()


def back_and_forth(window, command, kind: str, name: str, present_after: bool) -> None:  # type: ignore[no-untyped-def]
    document = window.document
    assert document.execute(command) is None
    assert (name in names(document, kind)) is present_after
    for _ in range(2):
        document.undo_stack.undo()
        assert (name in names(document, kind)) is not present_after
        document.undo_stack.redo()
        assert (name in names(document, kind)) is present_after
    assert not command.isObsolete()


ADDS = [
    ("objective", "O9", lambda d: AddObjectiveCommand(d, "O9", "Put every form online")),
    ("external", "Print unit", lambda d: AddExternalCommand(d, "Print unit", expected_on=date(2004, 4, 30))),
    ("person", "Sam Patel", lambda d: AddPersonCommand(d, "Sam Patel", job_title="Web Officer")),
    ("department", "Neighbourhoods", lambda d: AddDepartmentCommand(d, "Neighbourhoods")),
    (
        "meeting",
        "Scrutiny",
        lambda d: AddReportRowCommand(
            d, "meeting", "Scrutiny", {"committee": "Scrutiny", "meets_on": date(2004, 3, 2)}
        ),
    ),
]


@pytest.mark.parametrize(("kind", "name", "make"), ADDS, ids=[kind for kind, _, _ in ADDS])
def test_an_add_goes_back_and_forth_and_then_its_delete_does_too(window, kind, name, make):
    document = window.document
    back_and_forth(window, make(document), kind, name, present_after=True)
    record = next(
        r
        for r in (
            *document.snapshot.objectives,
            *document.snapshot.externals,
            *document.snapshot.people,
            *document.snapshot.departments,
            *document.snapshot.meetings,
        )
        if name in {getattr(r, "ref", None), getattr(r, "name", None), getattr(r, "committee", None)}
    )
    delete = {
        "objective": lambda: DeleteObjectiveCommand(document, record.id, record.ref),
        "external": lambda: DeleteExternalCommand(document, record.id, record.name),
        "person": lambda: DeletePersonCommand(document, record),
        "department": lambda: DeleteDepartmentCommand(document, record.id, record.name),
        "meeting": lambda: DeleteReportRowCommand(document, "meeting", record.id, record.committee),
    }[kind]()
    back_and_forth(window, delete, kind, name, present_after=False)


def test_field_edits_follow_a_person_added_again_under_a_new_id(window):
    document = window.document
    assert document.execute(AddPersonCommand(document, "Sam Patel")) is None
    assert document.execute(AddPersonCommand(document, "Alex Jones")) is None  # Sam's id is not the last one
    sam = next(p for p in document.snapshot.people if p.name == "Sam Patel")
    assert document.execute(EditPersonCommand(document, sam, {"job_title": "Web Officer"})) is None
    sam = next(p for p in document.snapshot.people if p.name == "Sam Patel")
    assert document.execute(DeletePersonCommand(document, sam)) is None
    stack = document.undo_stack
    stack.undo()  # the delete: Sam is added again, under a new id and a new version
    (again,) = (p for p in document.snapshot.people if p.name == "Sam Patel")
    assert again.id != sam.id and again.job_title == "Web Officer"
    stack.undo()  # the edit finds Sam by the new id, and sends the version the window now holds
    assert next(p for p in document.snapshot.people if p.name == "Sam Patel").job_title == ""
    stack.redo()
    assert next(p for p in document.snapshot.people if p.name == "Sam Patel").job_title == "Web Officer"
    assert not any(stack.command(i).isObsolete() for i in range(stack.count()))


def test_each_kind_of_field_edit_goes_back_and_forth(window):
    document = window.document
    snapshot = document.snapshot
    objective = snapshot.objectives[0]
    department = snapshot.departments[0]
    meeting = snapshot.meetings[0]
    edits = [
        EditObjectiveCommand(document, objective.id, objective.ref, {"title": objective.title}, {"title": "Renamed"}),
        RenameDepartmentCommand(document, department.id, department.name, "Renamed department"),
        EditReportRowCommand(
            document, "meeting", meeting.id, meeting.committee, {"committee": meeting.committee}, {"committee": "Board"}
        ),
        EditFields.of_plan(document, {"authority": "Cyngor Sir Ddinbych"}),
    ]
    for command in edits:
        assert document.execute(command) is None, command.text()
    shown = lambda: (  # noqa: E731
        document.objective(objective.id).title,
        next(d.name for d in document.snapshot.departments if d.id == department.id),
        next(m.committee for m in document.snapshot.meetings if m.id == meeting.id),
        document.snapshot.details.authority,
    )
    after = ("Renamed", "Renamed department", "Board", "Cyngor Sir Ddinbych")
    assert shown() == after
    for _ in edits:
        document.undo_stack.undo()
    assert shown() == (objective.title, department.name, meeting.committee, snapshot.details.authority)
    for _ in edits:
        document.undo_stack.redo()
    assert shown() == after
    assert not any(command.isObsolete() for command in edits)
