"""The window sends the version of the record it showed with every edit: one changed behind its back is refused.

"Behind its back" is a second PlanService on the same open plan file: the window's
document does not hear what it writes, so the record the window shows is stale.
"""

from __future__ import annotations

from datetime import date

from egov_planner.model.service import PlanService
from tests.ui.conftest import stored_action
from tests.ui.test_editing import select, type_into
from tests.ui.test_views import show


def behind_the_windows_back(window) -> PlanService:  # type: ignore[no-untyped-def]
    return PlanService(window.document.store)


def test_an_edit_of_an_action_changed_elsewhere_is_refused_at_the_field_and_nothing_is_saved(window, qtbot, plan_file):
    record = select(window, "A1.2")
    behind_the_windows_back(window).update_action(record.id, title="Agree the web standards with Jill")
    detail = window.plan_view.detail
    type_into(qtbot, detail.due_edit.line, "28/02/2004")
    refusal = detail.fields["due"].error_text()
    assert refusal.startswith("Since you began, ") and " changed A1.2, at " in refusal
    assert "→ Agree the web standards with …; its due date is still 31/12/2003. Yours, 28/02/2004, is not" in refusal
    stored = stored_action(plan_file, "A1.2")
    assert (stored.due, stored.title) == (date(2003, 12, 31), "Agree the web standards with Jill")
    assert not window.document.undo_stack.canUndo()


def test_an_external_changed_elsewhere_is_refused_at_its_cell(window, qtbot, plan_file):
    register = window.externals_view
    show(window, register)
    model = register.model
    row = next(i for i, e in enumerate(model.records) if e.name.startswith("National Registration"))
    behind_the_windows_back(window).update_external(model.records[row].id, notes="Chased on the phone")
    assert not model.setData(model.index(row, 2), date(2005, 6, 30))
    assert "changed elsewhere" in register.table.last_refusal
    service = behind_the_windows_back(window)
    external = next(e for e in service.externals() if e.name.startswith("National Registration"))
    assert external.notes == "Chased on the phone" and external.expected_on != date(2005, 6, 30)


def test_undo_of_an_edit_to_a_record_changed_since_is_refused_and_said(window, qtbot, plan_file, prompts):
    record = select(window, "A1.2")
    type_into(qtbot, window.plan_view.detail.due_edit.line, "28/02/2004")
    behind_the_windows_back(window).update_action(record.id, notes="Checked by the auditors")
    window.undo_action.trigger()
    assert any(
        "Undo: Could not change due date of A1.2: Action A1.2 was changed elsewhere" in told for told in prompts.told
    )
    stored = stored_action(plan_file, "A1.2")
    assert (stored.due, stored.notes) == (date(2004, 2, 28), "Checked by the auditors")


def test_edits_undo_and_redo_follow_the_record_as_its_version_moves_on(window, qtbot, plan_file, prompts):
    record = select(window, "A1.4")
    first_version = record.version
    detail = window.plan_view.detail
    type_into(qtbot, detail.due_edit.line, "30/06/2004")
    window.document.execute(window_edit(window, "A1.4", {"status": "complete"}))
    stored = stored_action(plan_file, "A1.4")
    assert (stored.due, stored.status, stored.percent_complete) == (date(2004, 6, 30), "complete", 100)
    assert stored.version == first_version + 2
    window.undo_action.trigger()
    window.undo_action.trigger()
    stored = stored_action(plan_file, "A1.4")
    assert (stored.due, stored.status, stored.completed_on) == (date(2004, 4, 30), record.status, None)
    window.redo_action.trigger()
    window.redo_action.trigger()
    stored = stored_action(plan_file, "A1.4")
    assert (stored.due, stored.status, stored.percent_complete) == (date(2004, 6, 30), "complete", 100)
    assert stored.version == first_version + 6
    assert prompts.told == []  # no step was refused


def window_edit(window, ref: str, changes):  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import EditFields

    return EditFields.of_action(window.document, window.document.action_by_ref(ref), changes)


def test_the_plans_details_changed_elsewhere_are_not_overwritten(window, plan_file):
    from egov_planner.ui.commands import EditPlanDetailsCommand

    document = window.document
    behind_the_windows_back(window).update_plan(authority="Cyngor Sir Ddinbych")
    error = document.execute(EditPlanDetailsCommand(document, {"status_date": date(2004, 3, 31)}))
    assert error is not None and str(error).startswith("The plan was changed elsewhere since you read it")
    details = behind_the_windows_back(window).details()
    assert (details.authority, details.status_date) == ("Cyngor Sir Ddinbych", date(2004, 1, 12))


def test_renaming_a_service_changed_elsewhere_is_refused_and_a_fresh_rename_works(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    row = next(r for r in bvpi.rows_model.records if r.service == "Council Tax")
    behind_the_windows_back(window).update_service(row.service_id, lgsl=65)
    refusal = bvpi._edit_service(row, "name", "Council Tax and Business Rates")
    assert refusal is not None and "changed elsewhere" in refusal
    names = {r.service for r in behind_the_windows_back(window).service_rows()}
    assert "Council Tax" in names and "Council Tax and Business Rates" not in names
    window.document.reload()
    fresh = next(r for r in bvpi.rows_model.records if r.service == "Council Tax")
    assert bvpi._edit_service(fresh, "name", "Council Tax and Business Rates") is None
    names = {r.service for r in behind_the_windows_back(window).service_rows()}
    assert "Council Tax and Business Rates" in names and "Council Tax" not in names
