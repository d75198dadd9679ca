"""An officer adds and deletes BVPI 157 rows: each written at once, undoable, the % following at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt

from egov_planner.model.records import ServiceRowRecord
from egov_planner.ui.views.service_row_dialog import ServiceRowDialog
from tests.ui.conftest import stored_service
from tests.ui.test_views import show


def stored_rows(plan_file) -> list[ServiceRowRecord]:  # type: ignore[no-untyped-def]
    service, store = stored_service(plan_file)
    try:
        return service.service_rows()
    finally:
        store.close()  # type: ignore[attr-defined]


def fill(qtbot, dialog: ServiceRowDialog, **typed: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the dialog's fields as an officer would (service, department, dates, channels…)."""
    for name, text in typed.items():
        editor = {
            "service": dialog.service.lineEdit(),
            "department": dialog.department.lineEdit(),
            "reason": dialog.reason,
            "enabled_on": dialog.enabled_on.line,
            "forecast_on": dialog.forecast_on.line,
            "channels": dialog.channels,
        }[name]
        editor.setFocus()
        editor.selectAll()
        qtbot.keyClicks(editor, text)


def add_with(bvpi, qtbot, script: Callable[[ServiceRowDialog], None]) -> ServiceRowDialog:  # type: ignore[no-untyped-def]
    """Press Add row…, let `script` fill the dialog and press Add; returns the dialog."""
    seen: list[ServiceRowDialog] = []

    def run(dialog: ServiceRowDialog) -> None:
        seen.append(dialog)
        dialog.show()
        script(dialog)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    bvpi.exec_add_dialog = run
    qtbot.mouseClick(bvpi.add_row_button, Qt.MouseButton.LeftButton)
    assert seen, "the Add row button opened no dialog"
    return seen[0]


def now_figure(bvpi) -> tuple[str, int, int]:  # type: ignore[no-untyped-def]
    return bvpi.now_card.count_text, bvpi.position.now.enabled, bvpi.position.now.permissible


def test_adding_a_row_for_a_new_service_stores_it_and_the_percent_follows_then_undo_removes_it(
    window, qtbot, plan_file
):
    bvpi = window.bvpi_view
    show(window, bvpi)
    before_text, enabled, permissible = now_figure(bvpi)
    rows_before = len(stored_rows(plan_file))

    def script(dialog: ServiceRowDialog) -> None:
        fill(qtbot, dialog, service="Garden waste collection")
        assert dialog.department.isEnabled(), "a new service asks for its department"
        fill(qtbot, dialog, department="Resources, Access and Diversity", enabled_on="01/12/2003", channels="web")
        dialog.interaction.set_value(2)

    dialog = add_with(bvpi, qtbot, script)
    assert dialog.result() == dialog.DialogCode.Accepted

    added = [r for r in stored_rows(plan_file) if r.service == "Garden waste collection"]
    assert len(added) == 1
    row = added[0]
    assert (row.interaction, row.enabled_on, row.channels) == (2, date(2003, 12, 1), "web")
    assert row.department == "Resources, Access and Diversity"
    # The figures follow at once: one more e-enabled of one more permissible.
    assert (bvpi.position.now.enabled, bvpi.position.now.permissible) == (enabled + 1, permissible + 1)
    assert bvpi.now_card.count_text != before_text
    assert bvpi.selected_row() is not None and bvpi.selected_row().id == row.id
    undo_text = window.undo_action.text().replace("&", "")
    assert undo_text == "Undo add BVPI row Garden waste collection / Collecting revenue"

    window.undo_action.trigger()
    assert len(stored_rows(plan_file)) == rows_before
    assert not any(r.service == "Garden waste collection" for r in window.document.snapshot.service_rows)
    assert bvpi.now_card.count_text == before_text
    assert bvpi.rows_model.row_of_key(row.id) < 0

    window.redo_action.trigger()  # the same row comes back
    assert [r.id for r in stored_rows(plan_file) if r.service == "Garden waste collection"] == [row.id]


def test_deleting_a_row_removes_it_and_undo_brings_it_back_with_its_values(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    before_text = bvpi.now_card.count_text
    target = next(r for r in bvpi.rows_model.records if r.enabled_on is not None and r.channels)
    bvpi.select_row(target.id)
    qtbot.mouseClick(bvpi.delete_row_button, Qt.MouseButton.LeftButton)

    assert all(r.id != target.id for r in stored_rows(plan_file))
    assert bvpi.rows_model.row_of_key(target.id) < 0
    assert bvpi.now_card.count_text != before_text
    label = f"{target.service} / "
    assert window.undo_action.text().replace("&", "").startswith(f"Undo delete BVPI row {label}")

    window.undo_action.trigger()
    back = [r for r in stored_rows(plan_file) if r.id == target.id]
    assert back == [target]  # every value, the same id
    assert bvpi.now_card.count_text == before_text
    assert bvpi.rows_model.row_of_key(target.id) >= 0


def test_the_delete_key_in_the_rows_table_deletes_the_selected_row(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    target = bvpi.rows_model.record_at(3)
    bvpi.select_row(target.id)
    bvpi.rows_view.setFocus()
    qtbot.keyClick(bvpi.rows_view, Qt.Key.Key_Delete)
    assert all(r.id != target.id for r in stored_rows(plan_file))


def test_a_duplicate_service_and_interaction_is_refused_at_the_field_and_nothing_is_saved(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    existing = bvpi.rows_model.record_at(0)
    rows_before = stored_rows(plan_file)

    def script(dialog: ServiceRowDialog) -> None:
        fill(qtbot, dialog, service=existing.service, channels="kiosk")
        assert not dialog.department.isEnabled(), "a known service keeps its department"
        dialog.interaction.set_value(existing.interaction)

    dialog = add_with(bvpi, qtbot, script)
    assert dialog.result() != dialog.DialogCode.Accepted  # stays open to correct
    message = dialog.error_text("interaction")
    assert f"{existing.service} already has a row for" in message
    assert dialog.interaction.property("fieldError") is True
    assert stored_rows(plan_file) == rows_before
    assert not window.document.undo_stack.canUndo()
    dialog.close()


def test_not_permissible_without_a_reason_is_refused_at_the_reason(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    rows_before = stored_rows(plan_file)
    departments_before = [d.name for d in window.document.snapshot.departments]

    def script(dialog: ServiceRowDialog) -> None:
        fill(qtbot, dialog, service="Dog wardens", department="Environmental Health")
        dialog.permissible.set_value(False)
        dialog.permissible.currentIndexChanged.emit(dialog.permissible.currentIndex())
        assert dialog.reason.isEnabled()

    dialog = add_with(bvpi, qtbot, script)
    assert "say why" in dialog.error_text("reason").lower()
    assert stored_rows(plan_file) == rows_before
    assert [d.name for d in window.document.service.departments()] == departments_before  # no half-made department
    dialog.close()


def test_a_date_that_is_not_a_date_is_refused_before_anything_is_tried(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    rows_before = stored_rows(plan_file)

    def script(dialog: ServiceRowDialog) -> None:
        fill(qtbot, dialog, service="Dog wardens", department="Environmental Health", forecast_on="31/02/2005")

    dialog = add_with(bvpi, qtbot, script)
    assert "not a real date" in dialog.error_text("forecast_on")
    assert stored_rows(plan_file) == rows_before
    dialog.close()


def test_renaming_a_service_to_another_services_name_says_so_at_the_cell_and_saves_nothing(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    model = bvpi.rows_model
    column = [c.header for c in model.columns].index("Service")
    row = next(i for i, r in enumerate(model.records) if r.service == "Council Tax")
    assert not model.setData(model.index(row, column), "Residents' parking permits")
    assert bvpi.rows_view.last_refusal == "There is already a service called Residents' parking permits"
    names = [r.service for r in stored_rows(plan_file)]
    assert "Council Tax" in names and names.count("Residents' parking permits") == 3
