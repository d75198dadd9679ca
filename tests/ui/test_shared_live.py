"""Two officers' windows on one shared (server) plan: each sees the other's changes within two seconds,
keeps its place, and undoes only its own edits.

Each "window" is a PlanView on a PlanDocument of its own store (its own connections, as another officer's
program would have). Needs the test server (tests/conftest.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from egov_planner.model.service import PlanService
from egov_planner.model.store.server import ServerPlan, open_server_plan
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.views.plan_view import PlanView
from tests.model.test_shared_officers import officer_url  # noqa: F401 - the fixture

TODAY = date(2004, 1, 12)


class Officer:
    """One officer's window on the plan: a document and the plan view showing it."""

    def __init__(self, url: str, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.store = open_server_plan(ServerPlan.parse(url))
        self.document = PlanDocument(self.store, today=lambda: TODAY)
        self.view = PlanView()
        qtbot.addWidget(self.view)
        self.view.resize(1400, 500)
        self.view.show()
        self.view.set_document(self.document)
        self.document.refreshed.connect(lambda _change: self.view.refresh())
        self.said: list[str] = []
        self.document.others_changed.connect(self.said.append)
        self.document.undo_failed.connect(self.said.append)

    def action(self, ref: str):  # type: ignore[no-untyped-def]
        found = self.document.action_by_ref(ref)
        assert found is not None
        return found

    def edit(self, ref: str, **changes: object) -> None:
        from egov_planner.ui.commands import EditActionCommand

        assert self.document.execute(EditActionCommand(self.document, self.action(ref), changes)) is None

    def close(self) -> None:
        self.view.set_document(None)
        self.document.close()


@pytest.fixture
def shared_plan(server_plan_url: str) -> str:
    """A server plan with forty actions under two objectives."""
    with open_server_plan(ServerPlan.parse(server_plan_url)) as store:
        service = PlanService(store, user="setup")
        for o in (1, 2):
            objective = service.add_objective(f"O{o}", f"Objective {o}")
            for n in range(1, 21):
                service.add_action(objective, f"A{o}.{n}", f"Action {o}.{n}", date(2004, 3, n))
    return server_plan_url


@pytest.fixture
def officers(shared_plan: str, officer_url: str, qtbot) -> Iterator[tuple[Officer, Officer]]:  # type: ignore[no-untyped-def]  # noqa: F811
    a, b = Officer(shared_plan, qtbot), Officer(officer_url, qtbot)
    yield a, b
    a.close()
    b.close()


def seen_within(qtbot, check, seconds: float = 10.0) -> float:  # type: ignore[no-untyped-def]
    """Waits for check (generously: a busy machine is slow); a test of the two-second promise asserts the time."""
    started = time.monotonic()
    qtbot.waitUntil(check, timeout=int(seconds * 1000))
    return time.monotonic() - started


def test_another_officers_edit_shows_within_two_seconds_keeping_selection_and_scroll(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b = officers
    a.view.select_action(a.action("A2.18").id)  # far down: the table is scrolled
    scrolled = a.view.table.verticalScrollBar().value()
    assert scrolled > 0
    b.edit("A1.3", title="Publish the e-government strategy")
    took = seen_within(qtbot, lambda: a.action("A1.3").title == "Publish the e-government strategy")
    assert took < 2.0
    assert a.view.selected_action_id() == a.action("A2.18").id
    assert a.view.detail.heading.text().startswith("A2.18")
    assert a.view.table.verticalScrollBar().value() == scrolled
    qtbot.waitUntil(lambda: bool(a.said), timeout=10000)
    assert a.said[-1].startswith(f"Updated: {b.document.service.user} changed title of A1.3 (Action 1.3 → ")
    assert b.said == []  # a window is not told of its own edits


def test_an_added_action_is_read_alone_and_keeps_the_place(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b = officers
    a.view.select_action(a.action("A2.18").id)
    scrolled = a.view.table.verticalScrollBar().value()
    a.view.tree.collapse(a.view.tree_model.index_of(None))
    objective = b.document.snapshot.objectives[0].id
    b.document.service.add_action(objective, "A1.99", "A new action from another officer", date(2004, 6, 30))
    seen_within(qtbot, lambda: a.document.action_by_ref("A1.99") is not None)
    assert a.view.selected_action_id() == a.action("A2.18").id
    assert a.view.table.verticalScrollBar().value() == scrolled
    assert not a.view.tree.isExpanded(a.view.tree_model.index_of(None))
    qtbot.waitUntil(lambda: bool(a.said), timeout=10000)
    assert a.said[-1] == f"Updated: {b.document.service.user} added action A1.99"


def test_what_the_officer_is_typing_survives_and_its_commit_is_refused_naming_who_changed_it(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b = officers
    a.view.select_action(a.action("A1.5").id)
    title = a.view.detail.fields["title"].editor
    a.view.activateWindow()
    title.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title)
    title.selectAll()
    qtbot.keyClicks(title, "My half-typed title")
    b.edit("A1.5", title="Their title")
    seen_within(qtbot, lambda: a.action("A1.5").title == "Their title")
    assert title.text() == "My half-typed title"  # not overwritten
    qtbot.keyClick(title, Qt.Key.Key_Return)
    refusal = a.view.detail.fields["title"].error_text()
    assert refusal.startswith(f"Since you began, {b.document.service.user} changed A1.5, at ")
    assert "its title is now “Their title”. Yours, “My half-typed title”, is not saved" in refusal
    with open_server_plan(a.store.plan, read_only=True) as store:
        assert PlanService(store).action(a.action("A1.5").id).title == "Their title"


def test_each_officers_undo_undoes_only_their_own_edit(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b = officers
    a.edit("A1.1", title="A's title")
    b.edit("A1.2", title="B's title")
    seen_within(qtbot, lambda: a.action("A1.2").title == "B's title")
    a.document.undo_stack.undo()
    seen_within(qtbot, lambda: b.action("A1.1").title == "Action 1.1")
    with open_server_plan(a.store.plan, read_only=True) as store:
        service = PlanService(store)
        titles = {r.ref: r.title for r in service.actions()}
    assert (titles["A1.1"], titles["A1.2"]) == ("Action 1.1", "B's title")
    assert a.said[-1].startswith("Updated:") and not any("Could not" in s for s in a.said)


def test_undo_of_a_record_another_officer_has_since_changed_is_refused_naming_them(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b = officers
    a.edit("A1.4", title="A's title")
    seen_within(qtbot, lambda: b.action("A1.4").title == "A's title")
    b.edit("A1.4", due=date(2004, 5, 31))
    seen_within(qtbot, lambda: a.action("A1.4").due == date(2004, 5, 31))  # A's window shows B's change
    a.document.undo_stack.undo()
    refusal = next(s for s in a.said if s.startswith("Could not"))
    assert refusal.startswith("Could not change title of A1.4: Action A1.4 was changed elsewhere since you read it, ")
    assert f"by {b.document.service.user} at " in refusal and "due 04/03/2004 → 31/05/2004" in refusal
    with open_server_plan(a.store.plan, read_only=True) as store:
        stored = PlanService(store).action(a.action("A1.4").id)
    assert (stored.title, stored.due) == ("A's title", date(2004, 5, 31))  # B's change was not overwritten


def stored(a: Officer) -> PlanService:
    return PlanService(open_server_plan(a.store.plan, read_only=True))


def test_undo_of_an_add_another_officer_has_since_changed_is_refused_naming_them(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import AddActionCommand

    a, b = officers
    objective = a.document.snapshot.objectives[1].id
    add = AddActionCommand(a.document, objective, "A2.50", "Ask the tenants", date(2004, 7, 1))
    assert a.document.execute(add) is None
    seen_within(qtbot, lambda: b.document.action_by_ref("A2.50") is not None)
    b.edit("A2.50", title="Ask the tenants and the landlords")
    seen_within(qtbot, lambda: a.action("A2.50").title == "Ask the tenants and the landlords")
    a.document.undo_stack.undo()
    refusal = next(s for s in a.said if s.startswith("Could not"))
    assert refusal.startswith("Could not add action A2.50: Action A2.50 was changed elsewhere since you read it, ")
    assert f"by {b.document.service.user} at " in refusal and "title Ask the tenants → Ask the tenants and" in refusal
    assert stored(a).action_by_ref("A2.50").title == "Ask the tenants and the landlords"  # not deleted


def test_undo_of_a_delete_is_refused_when_another_officer_has_since_used_its_ref(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import DeleteActionCommand

    a, b = officers
    assert a.document.execute(DeleteActionCommand(a.document, a.action("A1.6"))) is None
    seen_within(qtbot, lambda: b.document.action_by_ref("A1.6") is None)
    objective = b.document.snapshot.objectives[0].id
    b.document.service.add_action(objective, "A1.6", "Their new A1.6", date(2004, 8, 1))
    seen_within(qtbot, lambda: a.document.action_by_ref("A1.6") is not None)
    a.document.undo_stack.undo()
    refusal = next(s for s in a.said if s.startswith("Could not"))
    assert refusal.startswith("Could not delete action A1.6: action A1.6 is in the plan again, changed by ")
    assert b.document.service.user in refusal and refusal.endswith("nothing was brought back.")
    assert stored(a).action_by_ref("A1.6").title == "Their new A1.6"


def test_undo_of_a_link_whose_lag_another_officer_changed_is_refused_naming_them(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import AddDependencyCommand

    a, b = officers
    command = AddDependencyCommand(a.document, a.action("A1.1"), a.action("A1.2"), "FS", 0)
    assert a.document.execute(command) is None
    seen_within(qtbot, lambda: b.document.link_between(b.action("A1.1").id, b.action("A1.2").id) is not None)
    link = b.document.link_between(b.action("A1.1").id, b.action("A1.2").id)
    b.document.service.update_dependency(link.id, lag_days=5)  # type: ignore[union-attr]
    seen_within(qtbot, lambda: a.document.link_between(a.action("A1.1").id, a.action("A1.2").id).lag_days == 5)  # type: ignore[union-attr]
    a.document.undo_stack.undo()
    refusal = next(s for s in a.said if s.startswith("Could not"))
    assert refusal.startswith("Could not make A1.2 depend on A1.1: A1.2's dependency on A1.1 was changed elsewhere ")
    assert f"by {b.document.service.user} at " in refusal
    assert [k.lag_days for k in stored(a).action_by_ref("A1.2").predecessors] == [5]


def test_undo_of_an_objective_or_person_edit_over_another_officers_change_is_refused(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import AddPersonCommand
    from egov_planner.ui.commands.fields import EditFields

    a, b = officers
    objective = a.document.snapshot.objectives[0]
    before, after = {"title": objective.title}, {"title": "Mine"}
    edit = EditFields.of_record(a.document, "objective", objective.id, "O1", before, after)
    assert a.document.execute(edit) is None
    seen_within(qtbot, lambda: b.document.objective(objective.id).title == "Mine")  # type: ignore[union-attr]
    b.document.service.update_objective(objective.id, description="Theirs")
    seen_within(qtbot, lambda: a.document.objective(objective.id).description == "Theirs")  # type: ignore[union-attr]
    assert a.document.execute(AddPersonCommand(a.document, "Hilda Ogden")) is None
    seen_within(qtbot, lambda: any(p.name == "Hilda Ogden" for p in b.document.snapshot.people))
    hilda = next(p for p in b.document.snapshot.people if p.name == "Hilda Ogden")
    b.document.service.update_person(hilda.id, job_title="Caretaker")
    seen_within(qtbot, lambda: any(p.job_title == "Caretaker" for p in a.document.snapshot.people))
    a.document.undo_stack.undo()  # the person's add: they have a job title from B now
    a.document.undo_stack.undo()  # the objective's title: B changed its description since
    refusals = [s for s in a.said if s.startswith("Could not")]
    assert len(refusals) == 2
    assert refusals[0].startswith("Could not add Hilda Ogden: Hilda Ogden was changed elsewhere since you read it, ")
    assert refusals[1].startswith("Could not change objective O1: ") and "changed elsewhere" in refusals[1]
    assert all(f"by {b.document.service.user} at " in s for s in refusals)
    service = stored(a)
    assert [o.title for o in service.objectives() if o.id == objective.id] == ["Mine"]
    assert any(p.name == "Hilda Ogden" and p.job_title == "Caretaker" for p in service.people())


def test_an_import_of_many_rows_is_read_whole_once_and_the_status_bar_says_so(officers, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import egov_planner.ui.document as document_module

    a, b = officers
    monkeypatch.setattr(document_module, "CATCH_UP_MOST", 5)  # "many" made small: the path an import takes
    objective = b.document.snapshot.objectives[0].id
    for n in range(8):
        b.document.service.add_action(objective, f"A1.{60 + n}", f"Imported {n}", date(2004, 9, 1))
    seen_within(qtbot, lambda: a.document.action_by_ref("A1.67") is not None)
    qtbot.waitUntil(lambda: bool(a.said), timeout=10000)
    user = b.document.service.user
    assert a.said[-1] == f"Updated: more than 5 changes by {user} at once, so the whole plan was read again"
    assert a.view.actions_model.rowCount() == len(a.document.snapshot.actions)


def test_undo_of_an_add_another_officer_has_since_made_wait_on_is_refused_naming_them(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import AddActionCommand

    a, b = officers
    objective = a.document.snapshot.objectives[0].id
    add = AddActionCommand(a.document, objective, "A1.70", "Survey the depots", date(2004, 6, 1))
    assert a.document.execute(add) is None
    seen_within(qtbot, lambda: b.document.action_by_ref("A1.70") is not None)
    b.document.service.add_dependency(b.action("A1.70").id, b.action("A1.9").id, "FS", 3)
    seen_within(qtbot, lambda: a.document.link_between(a.action("A1.70").id, a.action("A1.9").id) is not None)
    a.document.undo_stack.undo()
    refusal = next(s for s in a.said if s.startswith("Could not"))
    assert "\n" not in refusal
    assert refusal.startswith("Could not add action A1.70: A1.9 now waits on A1.70, ")
    assert f"by {b.document.service.user} at " in refusal and refusal.endswith("nothing was deleted.")
    service = stored(a)
    assert service.action_by_ref("A1.70") is not None  # their link and the action are both still there
    assert [k.predecessor_ref for k in service.action_by_ref("A1.9").predecessors] == ["A1.70"]


def test_undo_of_a_delete_whose_name_another_officer_has_since_reused_is_refused_naming_them(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.ui.commands import AddDepartmentCommand, AddPersonCommand, DeleteDepartmentCommand
    from egov_planner.ui.commands.plan import AddObjectiveCommand, DeleteObjectiveCommand
    from egov_planner.ui.commands.registers import AddExternalCommand, DeleteExternalCommand, DeletePersonCommand

    a, b = officers
    user = b.document.service.user

    def refused_undo() -> str:
        a.said.clear()
        a.document.undo_stack.undo()
        refusal = next(s for s in a.said if s.startswith("Could not"))
        assert f"by {user} at " in refusal and refusal.endswith("; nothing was brought back."), refusal
        assert "\n" not in refusal and "refused that change" not in refusal and "constraint" not in refusal
        a.document.undo_stack.clear()
        return refusal

    assert a.document.execute(AddObjectiveCommand(a.document, "O7", "Cut queues at the one-stop shop")) is None
    o7 = next(o for o in a.document.snapshot.objectives if o.ref == "O7")
    assert a.document.execute(DeleteObjectiveCommand(a.document, o7.id, "O7")) is None
    b.document.service.add_objective("O7", "Their own seventh objective")
    seen_within(qtbot, lambda: any(o.ref == "O7" for o in a.document.snapshot.objectives))
    assert refused_undo().startswith("Could not delete objective O7: objective O7 is in the plan again, changed by ")

    assert a.document.execute(AddPersonCommand(a.document, "Bet Lynch")) is None
    bet = next(p for p in a.document.snapshot.people if p.name == "Bet Lynch")
    assert a.document.execute(DeletePersonCommand(a.document, bet)) is None
    b.document.service.add_person("Bet Lynch", job_title="Landlady")
    seen_within(qtbot, lambda: any(p.name == "Bet Lynch" for p in a.document.snapshot.people))
    assert refused_undo().startswith("Could not remove Bet Lynch: Bet Lynch is in the plan again, changed by ")

    assert a.document.execute(AddDepartmentCommand(a.document, "Cleansing")) is None
    cleansing = next(d for d in a.document.snapshot.departments if d.name == "Cleansing")
    assert a.document.execute(DeleteDepartmentCommand(a.document, cleansing.id, "Cleansing")) is None
    b.document.service.add_department("Cleansing")
    seen_within(qtbot, lambda: any(d.name == "Cleansing" for d in a.document.snapshot.departments))
    assert refused_undo().startswith(
        "Could not delete department Cleansing: the department Cleansing is in the plan again, changed by "
    )
    assert a.document.execute(AddExternalCommand(a.document, "Gas board survey")) is None
    survey = next(e for e in a.document.snapshot.externals if e.name == "Gas board survey")
    assert a.document.execute(DeleteExternalCommand(a.document, survey.id, "Gas board survey")) is None
    b.document.service.add_external("Gas board survey", organisation="Transco")
    seen_within(qtbot, lambda: any(e.name == "Gas board survey" for e in a.document.snapshot.externals))
    assert refused_undo().startswith(
        "Could not delete external dependency Gas board survey: the external dependency Gas board survey is in "
    )
    service = stored(a)
    assert [e.organisation for e in service.externals() if e.name == "Gas board survey"] == ["Transco"]
    assert [o.title for o in service.objectives() if o.ref == "O7"] == ["Their own seventh objective"]
    assert [p.job_title for p in service.people() if p.name == "Bet Lynch"] == ["Landlady"]


def test_another_officers_new_objective_keeps_the_tree_open_on_the_chosen_objective(officers, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b = officers
    second = a.document.snapshot.objectives[1].id
    a.view.tree.setCurrentIndex(a.view.tree_model.index_of(second))
    assert a.view.tree.isExpanded(a.view.tree_model.index_of(None))
    b.document.service.add_objective("O3", "Libraries open online")
    seen_within(qtbot, lambda: any(o.ref == "O3" for o in a.document.snapshot.objectives))
    qtbot.waitUntil(lambda: a.view.tree_model.rowCount(a.view.tree_model.index_of(None)) == 3, timeout=10000)
    assert a.view.tree.isExpanded(a.view.tree_model.index_of(None))  # the officer's tree is not folded up
    assert a.view.tree_model.objective_id_of(a.view.tree.currentIndex()) == second


def test_a_catch_up_that_fails_once_is_tried_again_without_another_notice(officers, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from egov_planner.model.store import PlanFileError

    a, b = officers
    real = a.document.service.history_after
    failures = [PlanFileError("improvement_plan: the connection to the server was lost")]

    def first_read_fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        if failures:  # as the first read after a server restart does, on a connection the restart closed
            raise failures.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(a.document.service, "history_after", first_read_fails)
    b.edit("A1.8", title="Read again after the restart")
    seen_within(qtbot, lambda: a.action("A1.8").title == "Read again after the restart")
    assert not failures
