"""A shared plan on PostgreSQL, tried as a council's IT person and officers would (issue 16 re-test).

URLs as people write them, refusals of the server, the roles the README sets up. Needs the test server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from egov_planner.cli import capture
from egov_planner.model.store.server import ServerPlan, make_server_engine
from tests.conftest import _admin

ROOT = Path(__file__).resolve().parents[2]


def _one_clean_line(code: int, out: str, err: str) -> None:
    assert code == 2 and out == "", (code, out, err)
    assert err.count("\n") == 1 and err.startswith("egov-planner: "), err
    assert "something went wrong" not in err and "Traceback" not in err, err


@pytest.fixture
def role(server_url: str) -> Iterator[tuple[str, str]]:
    """A login of its own with a password full of URL characters: (name, password)."""
    name = f"officer_{uuid.uuid4().hex[:8]}"
    password = "Kq7@Zr9:Wx/Lm4?Pj#"
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        admin.execute(f"GRANT CREATE ON SCHEMA public TO {name}")
    yield name, password
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"DROP OWNED BY {name} CASCADE")
        admin.execute(f"DROP ROLE {name}")


def _pieces(password: str) -> list[str]:
    return [piece for piece in ("Kq7", "Zr9", "Wx", "Lm4", "Pj", password) if piece in password]


# --- passwords: never shown, however the URL is written ------------------------------------------------------


def test_a_password_given_as_a_url_option_is_never_shown(server_url: str, demo_path: Path) -> None:
    url = make_url(server_url)
    secret = str(url.password)
    in_query = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}?password={quote(secret)}"
    code, out, err = capture(["copy", str(demo_path), in_query])
    assert code == 0, err
    assert secret not in out + err and "password=***" in out
    code, out, err = capture(["init", in_query])
    assert code == 2 and secret not in out + err and "already holds a plan" in err
    no_database = f"postgresql://{url.username}@{url.host}:{url.port}/?password={quote(secret)}"
    code, out, err = capture(["overdue", no_database])
    _one_clean_line(code, out, err)
    assert secret not in err and "names no database" in err


@pytest.mark.parametrize(
    "written",
    [
        "postgresql://{user}:{raw}@{host}:{port}/{db}",  # not percent-encoded: @ : / ? # inside the password
        "postgresql://{user}:{raw}@{host}:notaport/{db}",
    ],
    ids=["raw password", "bad port"],
)
def test_a_url_that_cannot_be_read_never_shows_any_of_its_password(
    server_url: str, role: tuple[str, str], written: str
) -> None:
    name, password = role
    url = make_url(server_url)
    typed = written.format(user=name, raw=password, host=url.host, port=url.port, db=url.database)
    code, out, err = capture(["overdue", typed])
    _one_clean_line(code, out, err)
    assert not [piece for piece in _pieces(password) if piece in err], err
    assert "%40" in err  # says how to write such a password


def test_a_percent_encoded_password_with_url_characters_opens_the_plan(
    server_url: str, role: tuple[str, str], demo_path: Path
) -> None:
    name, password = role
    url = make_url(server_url)
    encoded = f"postgresql://{name}:{quote(password, safe='')}@{url.host}:{url.port}/{url.database}"
    code, out, err = capture(["copy", str(demo_path), encoded])
    assert code == 0, err
    assert not [piece for piece in _pieces(password) if piece in out + err]
    code, out, err = capture(["overdue", encoded])
    assert code == 0 and "Leicester City Council" in out, err


# --- URLs the server cannot use: one line, not "something went wrong" -------------------------------------------


def test_an_unknown_url_option_or_service_is_one_line(
    server_plan_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = capture(["overdue", server_plan_url + "?colour=blue"])
    _one_clean_line(code, out, err)
    assert "colour" in err and "not an option PostgreSQL knows" in err
    services = tmp_path / "pg_service.conf"
    services.write_text("[plan]\nhost=127.0.0.1\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    code, out, err = capture(["overdue", "postgresql:///improvement_plan?service=plann"])
    _one_clean_line(code, out, err)
    assert f"no service plann in {services}" in err


def test_a_service_naming_the_database_needs_none_in_the_url(
    server_plan_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(server_plan_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[plan]\nhost={url.host}\nport={url.port}\nuser={url.username}\ndbname={url.database}\n"
        f"password={url.password}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    for typed in ("postgresql://?service=plan", "postgresql:///?service=plan"):
        code, out, err = capture(["overdue", typed])
        assert (code, err) == (0, ""), err


def test_a_socket_folder_with_no_server_says_where_it_looked(server_url: str, tmp_path: Path) -> None:
    url = make_url(server_url)
    typed = f"postgresql://{url.username}@/{url.database}?host={tmp_path}&port=6543"
    code, out, err = capture(["overdue", typed])
    _one_clean_line(code, out, err)
    assert f"nothing answers on socket {tmp_path}/.s.PGSQL.6543; is PostgreSQL running there?" in err


def test_the_port_pgport_names_is_the_one_said_to_be_silent(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPORT", "1")
    code, out, err = capture(["overdue", "postgresql://egov:x@127.0.0.1/improvement_plan"])
    _one_clean_line(code, out, err)
    assert "nothing answers on port 1;" in err


# --- the roles the README sets up ----------------------------------------------------------------------------


def _make_old_plan(url: str) -> None:
    from alembic import command

    from egov_planner.model.store import _alembic_config

    engine = make_server_engine(ServerPlan.parse(url))
    with engine.connect() as connection, connection.begin():
        command.upgrade(_alembic_config(connection, None), "0004")
        connection.execute(text(
            "INSERT INTO plan (authority, title, report_of, due_soon_days, introduction, scope, recommendations, "
            "review_method, summary, financial_implications, legal_implications, consultations, officer_name, "
            "officer_role, officer_phone, officer_email, key_decision_reason, decision_maker, version) VALUES "
            "('Rutland', '', '', 14, '', '', '', '', '', '', '', '', '', '', '', '', '', '', 1)"
        ))
    engine.dispose()


def test_an_editor_who_may_not_change_tables_is_told_to_ask_for_the_upgrade(server_url: str, tmp_path: Path) -> None:
    _make_old_plan(server_url)
    editor = f"editor_{uuid.uuid4().hex[:8]}"
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {editor} LOGIN PASSWORD 'editor-pw'")
        admin.execute(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {editor}")
        admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {editor}")
        admin.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {editor}")
    try:
        as_editor = make_url(server_url).set(username=editor, password="editor-pw")
        csv_file = tmp_path / "one.csv"
        csv_file.write_text("objective_ref,objective,action_ref,action,due\nO1,Access,A1.1,Kiosks,31/03/2005\n")
        code, out, err = capture(["import", as_editor.render_as_string(hide_password=False), str(csv_file)])
        _one_clean_line(code, out, err)
        assert "was made by an older egov-planner and must be upgraded" in err
        assert f"user {editor} may not change its tables; ask" in err and "LINE" not in err
        with _admin(server_url) as admin:  # type: ignore[attr-defined]
            assert admin.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
    finally:
        with _admin(server_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f"DROP OWNED BY {editor} CASCADE")
            admin.execute(f"DROP ROLE {editor}")


def test_init_upgrades_an_older_plan_in_one_step_and_says_so(server_url: str) -> None:
    from egov_planner.model.store import SCHEMA_HEAD

    _make_old_plan(server_url)
    code, out, err = capture(["overdue", server_url])
    _one_clean_line(code, out, err)
    url = make_url(server_url)
    assert f"; run: egov-planner init postgresql://{url.username}@{url.host}:{url.port}/{url.database}" in err
    code, out, err = capture(["init", server_url])
    assert (code, err) == (0, ""), err
    assert f"Upgraded the plan in {make_url(server_url).database} to the current version" in out
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        assert admin.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
        assert admin.execute("SELECT authority FROM plan").fetchone()[0] == "Rutland"
    code, out, err = capture(["init", server_url])
    _one_clean_line(code, out, err)
    assert "already holds a plan" in err


@pytest.mark.parametrize(
    "other",
    ["CREATE SCHEMA finance; CREATE TABLE finance.ledger (id integer)", "CREATE VIEW staff AS SELECT 1 AS id"],
    ids=["table in another schema", "view"],
)
def test_a_database_holding_another_systems_objects_is_refused(server_url: str, other: str) -> None:
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        admin.execute(other)
    code, out, err = capture(["init", server_url])
    _one_clean_line(code, out, err)
    assert "a plan needs a database of its own" in err
    with _admin(server_url) as admin:  # type: ignore[attr-defined]
        assert admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_copy_fills_the_empty_plan_init_made_as_the_readme_says(server_url: str, demo_path: Path) -> None:
    assert capture(["init", server_url])[0] == 0
    code, out, err = capture(["copy", str(demo_path), server_url])
    assert (code, err) == (0, ""), err
    code, out, err = capture(["overdue", server_url])
    assert "Leicester City Council" in out
    # A plan with anything in it is never replaced.
    code, out, err = capture(["copy", str(demo_path), server_url])
    _one_clean_line(code, out, err)
    assert "already holds a plan" in err


def test_a_reader_recording_a_report_is_told_once_which_plan(server_demo_url: str) -> None:
    reader = f"reader_{uuid.uuid4().hex[:8]}"
    with _admin(server_demo_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {reader} LOGIN PASSWORD 'reader-pw'")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}")
    try:
        url = make_url(server_demo_url).set(username=reader, password="reader-pw")
        code, out, err = capture(["snapshot", url.render_as_string(hide_password=False), "--label", "Cabinet"])
        _one_clean_line(code, out, err)
        name = str(url.database)
        assert err.startswith(f"egov-planner: {name} is open read-only: user {reader} may read"), err
    finally:
        with _admin(server_demo_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f"DROP OWNED BY {reader} CASCADE")
            admin.execute(f"DROP ROLE {reader}")


# --- the server stopped mid-import ---------------------------------------------------------------------------


def test_a_server_gone_mid_import_is_one_line_on_stderr_and_nothing_is_written(
    server_plan_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "big.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(source), "--actions", "3000"],
        check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    importer = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "import", server_plan_url, str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    database = make_url(server_plan_url).database
    with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and importer.poll() is None:
            # Once the import is writing its links (the plan's write lock held), its connection is cut.
            cut = admin.execute(
                "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
                "WHERE a.datname = %s AND l.locktype = 'advisory' AND l.granted "
                "AND a.query ILIKE 'INSERT INTO dependency%%'",
                (database,),
            ).fetchall()
            if cut:
                break
            time.sleep(0.01)
    out, err = importer.communicate(timeout=60)
    assert cut, "the import finished before it could be cut"
    _one_clean_line(importer.returncode, out.decode(), err.decode())
    assert "the connection to the server was lost; the change in hand was not saved" in err.decode()
    with _admin(server_plan_url) as admin:  # type: ignore[attr-defined]
        assert admin.execute("SELECT count(*) FROM action").fetchone()[0] == 0
        assert admin.execute("SELECT count(*) FROM person").fetchone()[0] == 0
