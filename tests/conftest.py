"""Shared fixtures: every test gets its own fresh plan file in a temporary folder.

A module marked `pytestmark = pytest.mark.both_stores` runs each of its tests that
take `service`, `demo_service` or `plan_location`/`demo_location` twice: on a
file and on a fresh database of the PostgreSQL server named by EGOV_TEST_PG_URL
(.ci/run starts one with tools/pg_test_server.sh). Without that variable the suite starts a throwaway
server itself with the same script, and stops it at the end; where PostgreSQL cannot be started the server
runs FAIL, saying why (they are never skipped).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from egov_planner.interchange.demo import write_demo  # noqa: E402
from egov_planner.model.service import PlanService  # noqa: E402
from egov_planner.model.store import Store, create_plan, open_plan  # noqa: E402

# --- a PostgreSQL server for the shared-plan tests ----------------------------------------------------------

_STORE_FIXTURES = {"service", "demo_service", "plan_location", "demo_location"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """both_stores modules: the store-taking fixtures run on a file and on the server."""
    if metafunc.definition.get_closest_marker("both_stores") and _STORE_FIXTURES & set(metafunc.fixturenames):
        metafunc.parametrize("store_kind", ["file", "server"])


@pytest.fixture
def store_kind() -> str:
    """Which store a test's plan is kept in ('file' unless its module is marked both_stores)."""
    return "file"


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """The test server's URL (a superuser's): EGOV_TEST_PG_URL's, else a throwaway server started here."""
    url = os.environ.get("EGOV_TEST_PG_URL", "").strip()
    if url:
        yield url
        return
    script = Path(__file__).resolve().parent.parent / "tools" / "pg_test_server.sh"
    shm = Path("/dev/shm")
    folder = tempfile.mkdtemp(prefix="egov-pg-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None)
    started = subprocess.run(["sh", str(script), "start", folder], capture_output=True, text=True, check=False)
    if started.returncode != 0 or not started.stdout.strip():
        subprocess.run(["sh", str(script), "stop", folder], capture_output=True, check=False)
        pytest.fail(
            f"no PostgreSQL server for the shared-plan tests ({started.stderr.strip() or 'it did not start'}); "
            "install PostgreSQL or set EGOV_TEST_PG_URL to a server",
            pytrace=False,
        )
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["sh", str(script), "stop", folder], capture_output=True, check=False)


def _admin(url: str) -> object:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password,
        dbname=parsed.database, autocommit=True,
    )


def _database_url(admin_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_templates(pg_admin_url: str, demo_template: Path) -> Iterator[dict[str, str]]:
    """Template databases made once per run: an empty plan and the demo plan (each test clones one)."""
    from egov_planner.model.store.copying import copy_plan
    from egov_planner.model.store.server import ServerPlan, create_server_plan

    run = uuid.uuid4().hex[:8]
    names = {"empty": f"egov_tpl_empty_{run}", "demo": f"egov_tpl_demo_{run}"}
    with _admin(pg_admin_url) as admin:  # type: ignore[attr-defined]
        for name in names.values():
            admin.execute(f'CREATE DATABASE "{name}"')
    create_server_plan(ServerPlan.parse(_database_url(pg_admin_url, names["empty"])))
    copy_plan(demo_template, ServerPlan.parse(_database_url(pg_admin_url, names["demo"])))
    yield names
    with _admin(pg_admin_url) as admin:  # type: ignore[attr-defined]
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fresh_database(admin_url: str, template: str = "template0") -> Iterator[str]:
    name = f"egov_t_{uuid.uuid4().hex[:12]}"
    with _admin(admin_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _database_url(admin_url, name)
    finally:
        with _admin(admin_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server (its URL carries the test password)."""
    yield from _fresh_database(pg_admin_url)


@pytest.fixture
def server_plan_url(pg_admin_url: str, pg_templates: dict[str, str]) -> Iterator[str]:
    """A fresh database holding an empty plan."""
    yield from _fresh_database(pg_admin_url, pg_templates["empty"])


@pytest.fixture
def server_demo_url(pg_admin_url: str, pg_templates: dict[str, str]) -> Iterator[str]:
    """A fresh database holding the demo plan."""
    yield from _fresh_database(pg_admin_url, pg_templates["demo"])


@pytest.fixture
def plan_location(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty plan as the command line names it: a file's path, or a server's URL."""
    if store_kind == "server":
        return str(request.getfixturevalue("server_plan_url"))
    return str(request.getfixturevalue("plan_path"))


@pytest.fixture
def demo_location(store_kind: str, request: pytest.FixtureRequest) -> str:
    """The demo plan as the command line names it: a private file copy, or a fresh database."""
    if store_kind == "server":
        return str(request.getfixturevalue("server_demo_url"))
    return str(request.getfixturevalue("demo_path"))


def open_location(location: str, read_only: bool = False) -> Store:
    from egov_planner.model.store.opening import open_for_reading, open_for_writing, plan_location

    where = plan_location(location)
    return open_for_reading(where) if read_only else open_for_writing(where)


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    """An empty plan file."""
    path = tmp_path / "plan.egov"
    create_plan(path)
    return path


@pytest.fixture
def service(store_kind: str, request: pytest.FixtureRequest) -> Iterator[PlanService]:
    """PlanService on an empty plan, open for editing (on the server too, in a both_stores module)."""
    store = open_location(request.getfixturevalue("plan_location")) if store_kind == "server" else None
    store = store or open_plan(request.getfixturevalue("plan_path"))
    try:
        yield PlanService(store)
    finally:
        store.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan, written once per test run (copy it before changing it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.egov"
    write_demo(path)
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    """A private copy of the demo plan."""
    path = tmp_path / "demo.egov"
    path.write_bytes(demo_template.read_bytes())
    return path


@pytest.fixture
def demo_service(store_kind: str, request: pytest.FixtureRequest) -> Iterator[PlanService]:
    store = open_location(request.getfixturevalue("demo_location")) if store_kind == "server" else None
    store = store or open_plan(request.getfixturevalue("demo_path"))
    try:
        yield PlanService(store)
    finally:
        store.close()


def name_of(location: str) -> str:
    """The plan's name as messages give it: a file's name, a server database's name."""
    from egov_planner.model.store.opening import plan_location

    return plan_location(location).name
