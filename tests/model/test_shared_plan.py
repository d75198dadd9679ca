"""A shared plan on PostgreSQL: several officers at once, refusals that explain, credentials never shown.

Every test here needs the test server (conftest.py: EGOV_TEST_PG_URL; CI starts one).
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from egov_planner.cli import capture
from egov_planner.model import tables
from egov_planner.model.errors import ConflictError
from egov_planner.model.service import PlanService
from egov_planner.model.store import NotAPlan, PlanFileError, ReadOnlyPlan, open_plan
from egov_planner.model.store.server import ServerError, ServerPlan, create_server_plan, open_server_plan
from tests.conftest import _admin


def _plan(url: str) -> ServerPlan:
    return ServerPlan.parse(url)


def _add_action(service: PlanService, ref: str = "A1.1") -> int:
    objective = service.add_objective(ref="O1", title="Channel shift")
    return service.add_action(objective_id=objective, ref=ref, title="Publish the e-government strategy",
                              due=date(2004, 3, 31))


def test_a_stale_edit_is_refused_naming_who_changed_it_when_and_to_what(server_plan_url: str) -> None:
    with open_server_plan(_plan(server_plan_url)) as mine, open_server_plan(_plan(server_plan_url)) as theirs:
        jsmith = PlanService(theirs, user="jsmith")
        akhan = PlanService(mine, user="akhan")
        ident = _add_action(jsmith)
        seen = akhan.action(ident)  # both officers have the action on screen
        jsmith.update_action(ident, expected_version=seen.version, due=date(2004, 4, 30))
        with pytest.raises(ConflictError) as refused:
            akhan.update_action(ident, expected_version=seen.version, title="A stale title")
    message = str(refused.value)
    assert "Action A1.1 was changed elsewhere since you read it, by jsmith at " in message
    assert "due 31/03/2004 → 30/04/2004" in message and "Nothing was saved" in message
    with open_server_plan(_plan(server_plan_url), read_only=True) as store:
        action = PlanService(store).action(ident)
    assert (action.title, action.due) == ("Publish the e-government strategy", date(2004, 4, 30))


def test_two_officers_adding_the_same_new_owner_at_once_both_succeed(server_plan_url: str) -> None:
    with open_server_plan(_plan(server_plan_url)) as store:
        objective = PlanService(store).add_objective(ref="O1", title="Channel shift")
    failures: list[BaseException] = []

    def officer(ref: str) -> None:
        try:
            with open_server_plan(_plan(server_plan_url)) as store:
                service = PlanService(store, user=f"officer {ref}")
                due = date(2004, 3, 31)
                ident = service.add_action(objective_id=objective, ref=ref, title=f"Action {ref}", due=due)
                service.update_action(ident, owner="Mary Brown (new to the plan)")
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            failures.append(error)

    threads = [threading.Thread(target=officer, args=(f"A1.{n}",)) for n in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_server_plan(_plan(server_plan_url), read_only=True) as store, store.connection() as connection:
        people = connection.execute(select(tables.person.c.name)).scalars().all()
        owners = connection.execute(select(tables.action.c.owner_id)).scalars().all()
    assert people == ["Mary Brown (new to the plan)"] and len(owners) == 6 and len(set(owners)) == 1


def test_a_database_user_with_read_rights_only_gets_a_read_only_plan(server_plan_url: str) -> None:
    url = make_url(server_plan_url)
    reader = f"reader_{uuid.uuid4().hex[:8]}"
    with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {reader} LOGIN PASSWORD 'reader-pw'")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}")
    try:
        as_reader = url.set(username=reader, password="reader-pw").render_as_string(hide_password=False)
        with open_server_plan(_plan(as_reader)) as store:
            assert store.read_only
            assert f"user {reader} may read this plan but not change it" in store.read_only_reason()
            assert PlanService(store).details().authority == ""
            with pytest.raises(ReadOnlyPlan, match="nothing was changed"):
                PlanService(store).update_plan(authority="Not saved")
        code, out, err = capture(["import", as_reader, "no-such.csv"])
        assert code == 2 and "reader-pw" not in err
    finally:
        with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f"DROP OWNED BY {reader}")
            admin.execute(f"DROP ROLE {reader}")


def test_a_database_holding_other_tables_is_refused_and_left_alone(server_url: str) -> None:
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        admin.execute("CREATE TABLE invoice (id integer PRIMARY KEY, amount numeric)")
    with pytest.raises(PlanFileError, match=r"holds other tables \(invoice\); a plan needs a database of its own"):
        create_server_plan(_plan(server_url))
    with pytest.raises(NotAPlan, match=r"holds other tables \(invoice\), not a plan"):
        open_server_plan(_plan(server_url))
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        tables_now = [r[0] for r in admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert tables_now == ["invoice"]


def test_an_older_schema_on_a_server_is_upgraded_in_one_transaction(server_url: str) -> None:
    from alembic import command

    from egov_planner.model.store import SCHEMA_HEAD, _alembic_config
    from egov_planner.model.store.server import make_server_engine

    plan = _plan(server_url)
    engine = make_server_engine(plan)
    with engine.connect() as connection, connection.begin():
        command.upgrade(_alembic_config(connection, None), "0004")
        connection.execute(text("INSERT INTO plan (authority, title, report_of, due_soon_days, introduction, scope, "
                                "recommendations, review_method, summary, financial_implications, legal_implications, "
                                "consultations, officer_name, officer_role, officer_phone, officer_email, "
                                "key_decision_reason, decision_maker, version) VALUES ('Rutland', '', '', 14, '', '', "
                                "'', '', '', '', '', '', '', '', '', '', '', '', 1)"))
    engine.dispose()
    with pytest.raises(PlanFileError, match="must be upgraded"):
        open_server_plan(plan, read_only=True)
    with open_server_plan(plan) as store, store.connection() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == SCHEMA_HEAD
        assert PlanService(store).details().authority == "Rutland"


def test_a_plan_moves_from_a_file_to_a_server_and_back_whole(demo_path: Path, server_url: str, tmp_path: Path) -> None:
    code, out, err = capture(["copy", str(demo_path), server_url])
    assert (code, err) == (0, ""), err
    assert "checked row for row" in out and make_url(server_url).password not in out
    back = tmp_path / "back.egov"
    assert capture(["copy", server_url, str(back)])[0] == 0
    with open_plan(demo_path, read_only=True) as a, open_plan(back, read_only=True) as b:
        first, second = PlanService(a).snapshot(), PlanService(b).snapshot()
    assert first == second
    with open_server_plan(_plan(server_url)) as store:  # the copy's ids go on from the source's
        PlanService(store).add_objective(ref="O99", title="Added after the move")
    code, _, err = capture(["copy", str(demo_path), server_url])
    assert code == 2 and "already holds a plan; nothing was changed" in err


def test_backup_of_a_server_plan_is_a_plan_file(server_demo_url: str, tmp_path: Path) -> None:
    code, out, err = capture(["backup", server_demo_url, "--to", str(tmp_path)])
    assert code == 0, err
    (copy,) = tmp_path.glob("*.egov")
    assert str(copy) in out and make_url(server_demo_url).password not in out
    code, out, _ = capture(["overdue", str(copy), "--as-of", "12/01/2004"])
    assert code == 0 and "1 overdue" in out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda u: u.set(password="wrong-password"), "the server refused the password for user egov"),
        (lambda u: u.set(database="no_such_plan"), "there is no database no_such_plan on 127.0.0.1"),
        (lambda u: u.set(port=1), "the server at 127.0.0.1 cannot be reached"),
    ],
    ids=["wrong password", "unknown database", "no server"],
)
def test_a_server_that_refuses_gives_one_line_and_no_password(server_plan_url: str, change, expected) -> None:
    url = change(make_url(server_plan_url))
    for argv in (["overdue", url.render_as_string(hide_password=False)],
                 ["import", url.render_as_string(hide_password=False), __file__]):
        code, out, err = capture(argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and expected in err, err
        assert (url.password or "") not in err and "Traceback" not in err


def test_a_server_gone_mid_edit_is_one_line_and_nothing_is_half_written(server_plan_url: str) -> None:
    plan = _plan(server_plan_url)
    with open_server_plan(plan) as store:
        service = PlanService(store)
        ident = _add_action(service)
        with pytest.raises(ServerError, match="the connection to the server was lost"):  # noqa: SIM117
            with store.writing() as session:
                session.execute(text("UPDATE action SET title = 'half' WHERE id = :i"), {"i": ident})
                with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
                    admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                time.sleep(0.2)
                session.execute(text("UPDATE action SET due = '2004-01-01' WHERE id = :i"), {"i": ident})
        # The window goes on: the next read gets a new connection; the half-made change is not there.
        assert service.action(ident).title == "Publish the e-government strategy"


def test_the_password_is_never_shown(server_plan_url: str) -> None:
    secret = make_url(server_plan_url).password
    assert secret
    plan = _plan(server_plan_url)
    with open_server_plan(plan) as store:
        shown = [str(plan), plan.name, plan.location, store.display_name, store.location, store.read_only_reason()]
    assert all(secret not in text_ for text_ in shown)
    code, out, err = capture(["init", server_plan_url])
    assert code == 2 and "already holds a plan" in err and secret not in out + err


def test_pgpassword_pgpass_and_a_service_file_supply_the_password(
    server_plan_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(server_plan_url)
    bare = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"  # no password in it
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    code, _, err = capture(["overdue", bare])
    assert code == 2 and "the server needs a password for user egov and none was given" in err

    monkeypatch.setenv("PGPASSWORD", str(url.password))
    assert capture(["overdue", bare])[0] == 0
    monkeypatch.delenv("PGPASSWORD")

    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{url.host}:{url.port}:{url.database}:{url.username}:{url.password}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    assert capture(["overdue", bare])[0] == 0

    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[plan]\nhost={url.host}\nport={url.port}\nuser={url.username}\ndbname={url.database}\n", encoding="utf-8"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    code, out, err = capture(["overdue", f"postgresql:///{url.database}?service=plan"])
    assert (code, err) == (0, ""), err


def test_another_program_hears_each_committed_change_within_two_seconds(server_plan_url: str) -> None:
    from egov_planner.model.store.server import Listener

    plan = _plan(server_plan_url)
    listener = Listener(plan)
    try:
        assert listener.changed() == []
        with open_server_plan(plan) as store:
            service = PlanService(store, user="jsmith")
            with pytest.raises(ReadOnlyPlan), store.writing():  # a refused write is never announced
                raise ReadOnlyPlan("refused half way")
            assert listener.changed(timeout=0.5) == []
            started = time.monotonic()
            service.update_plan(authority="Rutland County Council")
            heard = listener.changed(timeout=2.0)
            assert heard == [make_url(server_plan_url).username] and time.monotonic() - started < 2.0
    finally:
        listener.close()
