"""The views beside the plan: dashboard, BVPI 157, external dependencies, people, report details, the pack."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt

from egov_planner.model.rules import Rag
from tests.ui.conftest import stored_service


def show(window, view) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(view)
    assert view.isVisible()


def test_the_dashboard_counts_by_rag_and_lists_what_needs_attention(window, qtbot):
    dashboard = window.dashboard
    show(window, dashboard)
    assert dashboard.cards[Rag.RED].count_text == "1"
    assert dashboard.cards[Rag.AMBER].count_text == "2"
    assert dashboard.overdue_model.rowCount() == 1
    assert dashboard.overdue_model.record_at(0)[0].ref == "A1.2"
    assert {row[0].ref for row in dashboard.risk_model.records} == {"A2.2", "A1.6"}
    assert "A4.3" in {row[0].ref for row in dashboard.soon_model.records}
    assert dashboard.bvpi_card.count_text.endswith("%")
    qtbot.mouseClick(dashboard.cards[Rag.RED], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.plan_view
    assert window.plan_view.proxy.rowCount() == 1


def test_double_clicking_an_overdue_action_opens_it_in_the_plan(window, qtbot):
    dashboard = window.dashboard
    show(window, dashboard)
    view = dashboard.overdue_view
    rect = view.visualRect(dashboard.overdue_model.index(0, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt wants the press first
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentWidget() is window.plan_view
    assert window.plan_view.detail.heading.text().startswith("A1.2")


def test_bvpi_figures_come_from_the_demo_data(window):
    bvpi = window.bvpi_view
    show(window, bvpi)
    milestones = {card.caption: card.count_text for card in bvpi.milestone_cards if card.isVisible()}
    assert milestones["31/03/2004"] == "72.0%"
    assert milestones["31/03/2005"] == "86.0%"
    assert milestones["31/12/2005 target"] == "98.0%"
    assert bvpi.shortfall_model.rowCount() == 5
    assert all("National Registration" in s.reason for s in bvpi.shortfall_model.records)
    assert bvpi.chart.series.milestones and bvpi.chart.series.forecast[-1] == 100.0


def test_bvpi_rows_filter_and_edit_in_place(window, qtbot, plan_file):
    bvpi = window.bvpi_view
    show(window, bvpi)
    bvpi.state_filter.setCurrentIndex(bvpi.state_filter.findData("shortfall"))
    assert bvpi.rows_model.rowCount() == 5
    row = bvpi.rows_model.record_at(0)
    model = bvpi.rows_model
    forecast_column = [c.header for c in model.columns].index("Waits on")
    assert model.setData(model.index(0, forecast_column), "")  # no longer waits on the national project
    bvpi.state_filter.setCurrentIndex(0)
    service, store = stored_service(plan_file)
    try:
        assert next(r for r in service.service_rows() if r.id == row.id).external == ""
    finally:
        store.close()
    assert window.undo_action.text().replace("&", "").startswith("Undo change external of ")
    window.undo_action.trigger()
    assert any(r.id == row.id and r.external for r in window.document.snapshot.service_rows)


def test_a_refused_bvpi_edit_is_shown_at_the_cell(window, qtbot):
    bvpi = window.bvpi_view
    show(window, bvpi)
    model = bvpi.rows_model
    column = [c.header for c in model.columns].index("Permissible")
    row = next(i for i, r in enumerate(model.records) if r.permissible and not r.reason)
    assert not model.setData(model.index(row, column), False)  # not permissible needs a reason
    assert "say why" in bvpi.rows_view.last_refusal.lower()


def test_the_external_register_edits_the_expected_date_and_recolours(window, qtbot, plan_file):
    register = window.externals_view
    show(window, register)
    model = register.model
    row = next(i for i, e in enumerate(model.records) if e.name.startswith("National Registration"))
    register.table.selectRow(row)
    assert "A1.6" in model.index(row, 6).data()
    assert register.waiting_model.rowCount() == 1
    assert model.setData(model.index(row, 2), date(2005, 6, 30))
    assert window.document.assessment.actions[window.document.action_by_ref("A1.6").id].rag is Rag.GREEN
    window.undo_action.trigger()
    assert window.document.assessment.actions[window.document.action_by_ref("A1.6").id].rag is Rag.AMBER


def test_marking_someone_as_left_shows_their_actions_need_an_owner(window, qtbot):
    people = window.people_view
    show(window, people)
    row = next(i for i, p in enumerate(people.people_model.records) if p.name == "Web Manager")
    people.people_view.selectRow(row)
    assert people.owned_model.rowCount() == 2
    qtbot.mouseClick(people.left_button, Qt.MouseButton.LeftButton)
    person = next(p for p in window.document.snapshot.people if p.name == "Web Manager")
    assert person.left_on is not None
    assert "new owner" in people.owned_title.text()
    window.plan_view.select_action(window.document.action_by_ref("A5.1").id)
    assert (
        "left"
        in window.plan_view.actions_model.index(
            window.plan_view.actions_model.row_of(window.document.action_by_ref("A5.1").id), 2
        ).data()
    )


def test_people_and_departments_are_added_and_renamed(window, qtbot):
    people = window.people_view
    show(window, people)
    qtbot.keyClicks(people.new_person, "Sam Patel")
    qtbot.keyClick(people.new_person, Qt.Key.Key_Return)
    assert "Sam Patel" in {p.name for p in window.document.snapshot.people}
    qtbot.keyClicks(people.new_department, "Neighbourhood Services")
    qtbot.mouseClick(people.add_department_button, Qt.MouseButton.LeftButton)
    model = people.department_model
    row = next(i for i, d in enumerate(model.records) if d.name == "Neighbourhood Services")
    assert model.setData(model.index(row, 0), "Neighbourhoods")
    assert "Neighbourhoods" in {d.name for d in window.document.snapshot.departments}
    qtbot.keyClicks(people.new_department, "Housing")
    qtbot.mouseClick(people.add_department_button, Qt.MouseButton.LeftButton)
    assert "already a department called Housing" in people.new_department_field.error_text()


def test_report_details_text_and_tables_are_editable(window, qtbot, plan_file):
    report = window.report_view
    show(window, report)
    scope = report.fields["scope"].editor
    scope.setFocus()
    scope.selectAll()
    qtbot.keyClicks(scope, "The scope of the review.")
    report.fields["legal_implications"].editor.setFocus()  # leaving the field saves it
    service, store = stored_service(plan_file)
    try:
        assert service.details().scope == "The scope of the review."
    finally:
        store.close()
    assert window.undo_action.text().replace("&", "") == "Undo change the scope"
    key = report.key_decision
    key.setCurrentIndex(key.findData(False))
    key.activated.emit(key.currentIndex())
    assert window.document.snapshot.details.key_decision is False
    meetings = report.meeting_model
    assert [m.committee for m in meetings.records][:1] == ["Finance, Resources and Equal Opportunities Scrutiny"]
    assert meetings.setData(meetings.index(1, 1), date(2004, 2, 9))
    assert window.document.snapshot.meetings[1].meets_on == date(2004, 2, 9)
    implications = report.implication_model
    row = next(i for i, r in enumerate(implications.records) if r.topic == "Property")
    assert implications.setData(implications.index(row, 1), True)
    assert next(i for i in window.document.snapshot.implications if i.topic == "Property").applies
    count = report.consultation_model.rowCount()
    report.consultation_buttons[0].click()
    assert report.consultation_model.rowCount() == count + 1
    window.undo_action.trigger()
    assert report.consultation_model.rowCount() == count


def test_build_a_pack_from_the_dialog_writes_the_pdf(window, qtbot, prompts, tmp_path):
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    output = tmp_path / "cabinet pack.pdf"
    dialog.output.setText(str(output))
    prompts.answers = [False]  # do not open the PDF viewer in a test
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_path is not None or bool(dialog.error_text), timeout=60000)
    assert dialog.error_text == ""
    assert output.exists() and output.read_bytes().startswith(b"%PDF")
    assert dialog.result_pages > 1
    assert "Open it now?" in prompts.asked[-1]


def test_the_timeline_is_built_from_the_dialog(window, qtbot, prompts, tmp_path):
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    dialog.timeline.setChecked(True)
    assert " timeline " in Path(dialog.output.text()).name  # the suggested name follows the choice
    output = tmp_path / "timeline.pdf"
    dialog.output.setText(str(output))
    prompts.answers = [False]
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_path is not None or bool(dialog.error_text), timeout=60000)
    assert dialog.error_text == ""
    assert "Timeline by" in PdfReader(output).pages[0].extract_text()


def test_a_pack_that_cannot_be_written_is_refused_at_the_field(window, qtbot, prompts, tmp_path):
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    dialog.output.setText(str(tmp_path / "no such folder" / "pack.pdf"))
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_text), timeout=30000)
    assert "does not exist" in dialog.output_field.error_text()


def test_a_pack_aimed_at_the_plan_itself_is_refused_at_the_field(window, qtbot, prompts, tmp_path):
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    plan = window.document.path
    before = plan.read_bytes()
    aimed = tmp_path / "pack for cabinet.pdf"
    aimed.symlink_to(plan)
    dialog.output.setText(str(aimed))
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_text), timeout=30000)
    assert "is the plan itself" in dialog.output_field.error_text()
    assert plan.read_bytes() == before


def test_an_objective_is_added_edited_and_its_rag_rolls_up(window, qtbot):
    window.exec_objective_dialog = lambda dialog: {**dialog.values(), "title": "Improve telephone access"}
    window.add_objective_action.trigger()
    objective = next(o for o in window.document.snapshot.objectives if o.ref == "O8")
    assert objective.title == "Improve telephone access"
    view = window.plan_view
    view.tree.setCurrentIndex(view.tree_model.index_of(objective.id))
    window.add_action_action.trigger()
    assert window.document.action_by_ref("A8.1") is not None
    window.exec_objective_dialog = lambda dialog: {**dialog.values(), "lead": "Customer Services Manager"}
    window.edit_objective_action.trigger()
    assert window.document.objective(objective.id).lead == "Customer Services Manager"


def test_a_refusal_in_the_last_visible_row_is_shown_whole_inside_the_table(window, qtbot):
    bvpi = window.bvpi_view
    show(window, bvpi)
    view = bvpi.rows_view
    viewport = view.viewport()
    last = view.rowAt(viewport.height() - 1)
    last = last if last >= 0 else view.model().rowCount() - 1
    model = bvpi.rows_model
    column = [c.header for c in model.columns].index("Service")
    assert not model.setData(model.index(last, column), "Residents' parking permits")
    label = view.refusal
    assert label.isVisible() and label.text().startswith("There is already a service called")
    assert viewport.rect().contains(label.geometry()), (label.geometry(), viewport.rect())
