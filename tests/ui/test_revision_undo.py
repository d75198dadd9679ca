"""Undoing a revised target date in the window is itself a revision, saying what it undoes."""

from __future__ import annotations

from datetime import date

from tests.ui.conftest import stored_action


def test_undo_and_redo_of_a_revised_date_are_recorded_with_their_reasons(window, plan_file):  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import EditFields

    document = window.document
    document.service.record_report("Cabinet 2 February 2004")
    a14 = document.action_by_ref("A1.4")
    refused = document.execute(EditFields.of_action(document, a14, {"due": date(2004, 6, 30)}))
    assert refused is not None and getattr(refused, "field", None) == "revision_reason"
    assert stored_action(plan_file, "A1.4").due == date(2004, 4, 30)

    changes = {"due": date(2004, 6, 30), "revision_reason": "SRG moved it", "revision_agreed_by": "SRG 12/05/2004"}
    assert document.execute(EditFields.of_action(document, document.action_by_ref("A1.4"), changes)) is None
    assert document.undo_stack.undoText() == "change due date of A1.4"
    document.undo_stack.undo()
    assert stored_action(plan_file, "A1.4").due == date(2004, 4, 30)
    document.undo_stack.redo()
    assert stored_action(plan_file, "A1.4").due == date(2004, 6, 30)
    revisions = document.service.snapshot().revisions[a14.id]
    assert [(r.from_due, r.to_due, r.reason) for r in revisions] == [
        (date(2004, 4, 30), date(2004, 6, 30), "SRG moved it"),
        (date(2004, 6, 30), date(2004, 4, 30), "Undo of revision: SRG moved it"),
        (date(2004, 4, 30), date(2004, 6, 30), "SRG moved it"),
    ]
    assert document.snapshot.revisions[a14.id] == revisions  # the window's reading follows
