"""An officer's edit refused on a shared (server) plan: the refusal is read whole at the field, the other
officer's value is offered, and a save refused while the server was away is made by pressing Enter again.

Officer A is a main window on the plan; officer B is another database user writing through a service of
their own. Needs the test server (tests/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from egov_planner.model.service import PlanService
from egov_planner.model.store.server import ServerPlan, open_server_plan
from tests.conftest import _admin
from tests.model.test_shared_officers import officer_url  # noqa: F401 - the fixture
from tests.ui.test_shared_live import shared_plan  # noqa: F401 - the fixture
from tests.ui.test_shared_plan_window import make_window  # noqa: F401 - the fixture


def stored_title(url: str, ref: str) -> str:
    with open_server_plan(ServerPlan.parse(url), read_only=True) as store:
        return PlanService(store).action_by_ref(ref).title


@pytest.fixture
def officer_a(qtbot, make_window, shared_plan: str) -> Any:  # type: ignore[no-untyped-def]  # noqa: F811
    window = make_window()
    window.open_location(ServerPlan.parse(shared_plan))
    qtbot.waitUntil(window.idle, timeout=20000)
    return window


@pytest.fixture
def officer_b(officer_url: str) -> Iterator[PlanService]:  # noqa: F811
    with open_server_plan(ServerPlan.parse(officer_url)) as store:
        yield PlanService(store)


def type_title(qtbot, window, ref: str, text: str):  # type: ignore[no-untyped-def]
    """Select the action and type over its title, without pressing Enter yet."""
    window.plan_view.select_action(window.document.action_by_ref(ref).id)
    title = window.plan_view.detail.fields["title"].editor
    window.activateWindow()
    title.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title)
    title.selectAll()
    qtbot.keyClicks(title, text)
    return title


def test_a_refused_edit_shows_who_when_and_their_value_and_offers_theirs_or_mine(
    qtbot, officer_a, officer_b: PlanService, shared_plan: str  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    a, b = officer_a, officer_b
    field = a.plan_view.detail.fields["title"]
    title = type_title(qtbot, a, "A1.5", "Survey the depots first")
    b.update_action(b.action_by_ref("A1.5").id, title="Ask the depot managers")
    qtbot.waitUntil(lambda: a.document.action_by_ref("A1.5").title == "Ask the depot managers", timeout=10000)
    qtbot.keyClick(title, Qt.Key.Key_Return)

    # The whole refusal is on screen, wrapped: who, when and their value, nothing only in a tooltip.
    offer = field.conflict
    assert offer.isVisible()
    said = offer.text()
    assert b.user in said and "Ask the depot managers" in said and "Survey the depots first" in said
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", said)
    assert offer.label.wordWrap() and offer.label.text() == said
    label = offer.label  # once laid out, tall enough for every wrapped line: nothing cut short
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()) > label.fontMetrics().height())
    assert offer.use_button.isVisible() and offer.save_button.isVisible()

    # From the keyboard: Tab from the field reaches "Use their value"; it puts theirs in, saving nothing.
    qtbot.keyClick(title, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is offer.use_button
    assert offer.use_button.text().replace("&", "") == "Use their value"
    qtbot.keyClick(offer.use_button, Qt.Key.Key_Space)
    assert title.text() == "Ask the depot managers"
    assert not offer.isVisible() and field.error_text() == ""
    assert not a.document.undo_stack.canUndo()
    assert stored_title(shared_plan, "A1.5") == "Ask the depot managers"

    # Again, and this time the officer keeps theirs: saved over B's, undoable with Ctrl+Z.
    title = type_title(qtbot, a, "A1.5", "Survey the depots first")
    b.update_action(b.action_by_ref("A1.5").id, title="Ask the depot managers by May")
    qtbot.waitUntil(lambda: a.document.action_by_ref("A1.5").title == "Ask the depot managers by May", timeout=10000)
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert offer.isVisible() and "Ask the depot managers by May" in offer.text()
    qtbot.keyClick(title, Qt.Key.Key_Return)  # Enter again does not quietly save over theirs: still offered
    assert offer.isVisible() and stored_title(shared_plan, "A1.5") == "Ask the depot managers by May"
    qtbot.keyClick(title, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is offer.save_button
    assert offer.save_button.text().replace("&", "") == "Save mine over it"
    qtbot.keyClick(offer.save_button, Qt.Key.Key_Space)
    assert stored_title(shared_plan, "A1.5") == "Survey the depots first"
    assert a.statusBar().currentMessage() == "A1.5: your title saved over theirs (Ctrl+Z undoes it)"
    assert not offer.isVisible() and field.error_text() == ""
    assert title.text() == "Survey the depots first"
    assert a.document.undo_stack.canUndo()
    assert QApplication.focusWidget() is title  # back in the field, where Ctrl+Z undoes the save
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_title(shared_plan, "A1.5") == "Ask the depot managers by May"
    assert title.text() == "Ask the depot managers by May"


def test_enter_again_once_the_server_is_back_saves_what_was_refused_while_it_was_away(
    qtbot, officer_a, shared_plan: str, pg_admin_url: str  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    a = officer_a
    database = str(make_url(shared_plan).database)
    field = a.plan_view.detail.fields["title"]
    title = type_title(qtbot, a, "A1.3", "Publish the street-lighting faults online")
    with _admin(pg_admin_url) as admin:  # type: ignore[attr-defined]  # the server lets nobody in and ends every session
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))
    try:
        qtbot.keyClick(title, Qt.Key.Key_Return)
        assert "not saved" in field.error_text()
    finally:
        with _admin(pg_admin_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    assert title.text() == "Publish the street-lighting faults online"  # what was typed is kept
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert stored_title(shared_plan, "A1.3") == "Publish the street-lighting faults online"
    assert field.error_text() == ""
