"""The Store interface, tested through the interface alone.

Every test takes `kind`, a way to make and open one plan in one kind of store:
the SQLite file (PlanStore) and a database on the PostgreSQL test server
(ServerStore; see conftest.py for EGOV_TEST_PG_URL) pass the same tests.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

import egov_planner
from egov_planner.model.entities import Plan
from egov_planner.model.errors import PlanError
from egov_planner.model.service import PlanService
from egov_planner.model.store import ReadOnlyPlan, Store, create_plan, open_plan
from egov_planner.reports import ReportError, build_report


@dataclass
class StoreKind:
    """One plan, made empty by the kind's create_plan, and the ways to open it."""

    name: str
    open: Callable[[], Store]  # for editing
    open_read_only: Callable[[], Store]
    secret: str | None  # a password the store was given, which it must never show
    file: Path | None  # the plan's file on this machine (None for a server)


def _file_store(tmp_path: Path) -> StoreKind:
    path = tmp_path / "Rutland plan.egov"
    create_plan(path)
    return StoreKind("sqlite-file", lambda: open_plan(path), lambda: open_plan(path, read_only=True), None, path)


def _server_store(request: pytest.FixtureRequest) -> StoreKind:
    from sqlalchemy.engine import make_url

    from egov_planner.model.store.server import ServerPlan, open_server_plan

    url = str(request.getfixturevalue("server_plan_url"))
    plan = ServerPlan.parse(url)
    secret = make_url(url).password
    assert secret, "the test server's URL carries a password, so that it can be seen not to show"
    return StoreKind(
        "postgresql", lambda: open_server_plan(plan), lambda: open_server_plan(plan, read_only=True), secret, None
    )


@pytest.fixture(params=["sqlite-file", "postgresql"])
def kind(request: pytest.FixtureRequest, tmp_path: Path) -> StoreKind:
    if request.param == "postgresql":
        return _server_store(request)
    return _file_store(tmp_path)


@pytest.fixture
def store(kind: StoreKind) -> Iterator[Store]:
    opened = kind.open()
    try:
        yield opened
    finally:
        opened.close()


def _authority(store: Store) -> str:
    with store.reading() as session:
        return str(session.scalar(select(Plan.authority).where(Plan.id == store.plan_row_id)))


def test_the_plan_row_id_is_the_one_row_create_plan_made(store: Store) -> None:
    with store.reading() as session:
        ids = session.scalars(select(Plan.id)).all()
    assert ids == [store.plan_row_id]


def test_nothing_assumes_the_plan_row_is_number_1(kind: StoreKind) -> None:
    # A plan whose row the database numbered otherwise (a shared database, a restored copy).
    with kind.open() as first, first.writing() as session:
        session.execute(update(Plan).values(id=7))
    with kind.open() as store:
        assert store.plan_row_id == 7
        service = PlanService(store)
        service.update_plan(authority="Rutland County Council", status_date=date(2004, 5, 31))
        assert service.details().authority == "Rutland County Council"
        assert service.snapshot().details.status_date == date(2004, 5, 31)
        assert _authority(store) == "Rutland County Council"


def test_a_write_is_committed_whole_then_after_commit_is_told(store: Store) -> None:
    told: list[str] = []
    store.after_commit.append(lambda: told.append(_authority(store)))
    with store.writing() as session:
        session.execute(update(Plan).values(authority="Rutland County Council"))
    assert told == ["Rutland County Council"]

    with pytest.raises(RuntimeError), store.writing() as session:
        session.execute(update(Plan).values(authority="Half-written Council"))
        raise RuntimeError("the officer's machine lost power")
    assert _authority(store) == "Rutland County Council"
    assert told == ["Rutland County Council"], "a rolled-back write must not be announced"


def test_a_read_only_store_refuses_a_write_naming_the_plan(kind: StoreKind) -> None:
    with kind.open_read_only() as store:
        assert store.read_only
        assert store.display_name in store.read_only_reason()
        with pytest.raises(ReadOnlyPlan) as refused, store.writing() as session:
            session.execute(update(Plan).values(authority="Not saved"))
        assert isinstance(refused.value, PlanError)  # the window shows it like any refused edit
        assert store.display_name in str(refused.value) and "\n" not in str(refused.value)
        assert _authority(store) == ""


def test_the_names_a_store_shows_are_one_line_and_keep_its_secret(kind: StoreKind, store: Store) -> None:
    assert not store.read_only
    assert store.display_name and "\n" not in store.display_name
    assert store.display_name in store.location
    for shown in (store.display_name, store.location, store.read_only_reason()):
        assert kind.secret is None or kind.secret not in shown


def test_meta_and_integrity(store: Store) -> None:
    assert store.integrity_problems() == []
    with store.writing() as session:
        session.execute(update(Plan).values(authority="Rutland County Council"))
    identity = store.meta("plan_id")
    assert identity is not None and re.fullmatch(r"[0-9a-f]{32}", identity)
    assert store.meta("no such key") is None


def test_backup_if_due_copies_only_a_changed_plan(store: Store) -> None:
    assert store.backup_if_due() is None, "nothing changed since opening"
    with store.writing() as session:
        session.execute(update(Plan).values(authority="Rutland County Council"))
    if store.path is None:  # a server's backups are its IT department's; `backup URL` writes a file on request
        assert store.backup_if_due() is None
        return
    copy = store.backup_if_due()
    assert copy is not None and copy.exists()
    assert store.backup_if_due() is None, "just backed up"


def test_close_lets_the_plan_be_opened_for_editing_again(kind: StoreKind) -> None:
    first = kind.open()
    first.close()
    first.close()  # twice is harmless
    with kind.open() as second:
        assert not second.read_only


def test_a_pack_is_never_written_over_the_plan_itself(kind: StoreKind, store: Store, tmp_path: Path) -> None:
    assert store.path == kind.file
    snapshot = PlanService(store).snapshot()
    for plan_file in [store.path] if store.path is not None else []:  # a server's plan has no file here
        before = plan_file.read_bytes()
        aimed = tmp_path / "cabinet pack.pdf"
        aimed.symlink_to(plan_file)
        with pytest.raises(ReportError, match="is the plan itself"):
            build_report(snapshot, aimed, protect=store.path)
        assert plan_file.read_bytes() == before


# --- who types against what ----------------------------------------------------------------------


def test_the_service_takes_any_store() -> None:
    assert typing.get_type_hints(PlanService.__init__)["store"] is Store


def test_only_the_store_and_the_window_name_the_file_store_and_no_one_assumes_plan_1() -> None:
    root = Path(egov_planner.__file__).parent
    naming, numbering = [], []
    for module in sorted(root.rglob("*.py")):
        where = module.relative_to(root).as_posix()
        text = module.read_text(encoding="utf-8")
        if "PlanStore" in text and not where.startswith(("model/store/", "ui/")):
            naming.append(where)
        if re.search(r"\bPlan, 1\b|\bPlan\(id=\d|get\(Plan\b", text):
            numbering.append(where)
    assert naming == [], "these should type against Store"
    assert numbering == [], "these should ask the store for plan_row_id"
