"""Officers on one server plan: the history names each by their own database user; each hears the others.

Needs the test server (conftest.py: EGOV_TEST_PG_URL, else a throwaway one).
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.model.store.server import Listener, ServerPlan, open_server_plan
from tests.conftest import _admin


@pytest.fixture
def officer_url(server_plan_url: str) -> Iterator[str]:
    """The plan's URL as another officer, with a database user (role) of their own who may edit it."""
    role = f"jbloggs_{uuid.uuid4().hex[:6]}"
    with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'officer-pw'")
        admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        admin.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    try:
        yield make_url(server_plan_url).set(username=role, password="officer-pw").render_as_string(hide_password=False)
    finally:
        with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_the_history_of_a_server_plan_names_each_officers_database_user_not_the_computers_login(
    server_plan_url: str, officer_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "shared-pc-login")
    officer = str(make_url(officer_url).username)
    with open_server_plan(ServerPlan.parse(server_plan_url)) as store:
        PlanService(store).add_objective("O1", "Channel shift")
    with open_server_plan(ServerPlan.parse(officer_url)) as store:
        PlanService(store).add_objective("O2", "Joined-up services")
    code, out, err = capture(["history", officer_url])
    assert (code, err) == (0, "")
    by = [line.split()[2] for line in out.splitlines()[1:]]  # When is two words: date and time
    assert by == [make_url(server_plan_url).username, officer]
    assert "shared-pc-login" not in out


def test_the_history_of_a_plan_file_names_the_computers_login(plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "m.patel")
    with open_plan(plan_path) as store:
        PlanService(store).add_objective("O1", "Channel shift")
    code, out, _ = capture(["history", str(plan_path)])
    assert code == 0 and out.splitlines()[1].split()[2] == "m.patel"


def test_a_listener_hears_other_officers_changes_but_not_its_own_windows(
    server_plan_url: str, officer_url: str
) -> None:
    with open_server_plan(ServerPlan.parse(server_plan_url)) as mine:
        listener = Listener(mine.plan, ignore=mine.writer)
        try:
            PlanService(mine).update_plan(authority="Rutland County Council")
            assert listener.changed(timeout=0.5) == []  # this window shows its own change already
            with open_server_plan(ServerPlan.parse(officer_url)) as theirs:
                objective = PlanService(theirs).add_objective("O1", "Channel shift")
                PlanService(theirs).add_action(objective, "A1.1", "Publish the strategy", date(2004, 3, 31))
            heard = listener.changed(timeout=10.0)  # returns on the first notice
            if len(heard) < 2:  # the second notice may still be on its way when the first is read
                heard += listener.changed(timeout=10.0)
            assert heard == [make_url(officer_url).username] * 2
        finally:
            listener.close()
