"""Open, create, validate, lock and migrate one plan file.

Everything SQLite-specific lives in this package: the file header checks, the
pragmas, the transaction mode, the backup API. The rest of the program talks
to a `Store` (base.py; `PlanStore` is the file's) and portable SQLAlchemy.

Promises kept here:
- a file that is not a plan (random bytes, another program's database, a
  damaged or truncated plan, a newer schema) is refused by name and left untouched;
- a new plan appears whole or not at all (built in a temporary file, renamed);
- a migration runs in one transaction after a verified backup: old or new, never half;
- one writer at a time (see lock.py); a read-only opener's edits are refused.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, select
from sqlalchemy.pool import NullPool

from egov_planner.model import tables
from egov_planner.model.safe_files import atomic_path
from egov_planner.model.store.base import EngineSessions, Store
from egov_planner.model.store.files import (
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    KNOWN_REVISIONS,
    SCHEMA_HEAD,
    SQLITE_HEADER,
    DamagedPlan,
    NeedsUpgrade,
    NewerSchema,
    NotAPlan,
    PlanFileError,
    PlanFileFacts,
    ReadOnlyPlan,
    check_writable,
    inspect_plan_file,
    plan_file_error,
    real_path,
    refuse_companion_name,
    refuse_plan_target,
    sqlite_uri,
)
from egov_planner.model.store.lock import LockInfo, PlanInUse, PlanLock, read_lock

if TYPE_CHECKING:  # the ORM is loaded on first use: read-only commands read through Core alone
    from sqlalchemy.orm import Session, sessionmaker


__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_SECONDS",
    "KNOWN_REVISIONS",
    "SCHEMA_HEAD",
    "SQLITE_HEADER",
    "PlanFileFacts",
    "check_writable",
    "plan_file_error",
    "DamagedPlan",
    "LockInfo",
    "NeedsUpgrade",
    "NewerSchema",
    "NotAPlan",
    "PlanFileError",
    "PlanInUse",
    "PlanStore",
    "ReadOnlyPlan",
    "Store",
    "create_plan",
    "inspect_plan_file",
    "open_plan",
    "real_path",
    "refuse_companion_name",
    "refuse_plan_target",
    "sqlite_uri",
]


def _set_pragmas(dbapi_connection: sqlite3.Connection, read_only: bool) -> None:
    # Take transaction control from pysqlite so DDL is transactional too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    if not read_only:
        # Rollback journal, not WAL: WAL needs shared memory, which network
        # drives do not give. FULL sync: an acknowledged commit survives a crash.
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def make_engine(path: Path, read_only: bool = False) -> Engine:
    """An engine on one plan file with our pragmas and explicit transactions."""
    resolved = path.resolve()

    # Connect ourselves rather than through a URL string: SQLAlchemy would read
    # '?' in a file name as the start of query options.
    def _connect() -> sqlite3.Connection:
        if read_only:
            return sqlite3.connect(
                sqlite_uri(resolved, "ro"),
                uri=True,
                timeout=BUSY_TIMEOUT_SECONDS,
                check_same_thread=False,
            )
        # The path itself, not str(): a name that is not UTF-8 keeps its bytes.
        return sqlite3.connect(resolved, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)

    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(resolved)),
        creator=_connect,
        poolclass=NullPool,
    )

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> Exception | None:
        # The one place a full disk, a read-only file or a busy plan becomes a clean line naming it.
        return plan_file_error(path, context.original_exception)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _set_pragmas(dbapi_connection, read_only)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: a writer takes the write lock up front, so it waits
        # politely for readers instead of failing half way.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _alembic_config(connection: Any, on_revision: Callable[[], None] | None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "migrations"))
    config.attributes["connection"] = connection
    config.attributes["on_revision"] = on_revision
    return config


def migrate_to_head(engine: Engine, on_revision: Callable[[], None] | None = None) -> None:
    """Bring the schema to head in ONE transaction (foreign keys off while tables are rebuilt).

    on_revision is called after each revision is applied, before the commit
    (tests use it to kill the process mid-migration).
    """
    from alembic import command

    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        # From the engine, not PRAGMA database_list: a name that is not UTF-8 cannot come back as text.
        plan_path = Path(engine.url.database or "the plan")
        raw.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
        try:
            with connection.begin():
                config = _alembic_config(connection, on_revision)
                command.upgrade(config, "head")
                connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    # Not "damaged": the file is whole and a backup would hold the
                    # same references, so name one the officer can look for.
                    first = _describe_broken_reference(raw, *broken[0])
                    first = first.removeprefix("broken reference: ")
                    raise PlanFileError(
                        f"{plan_path.name} cannot be upgraded: it holds {len(broken)} broken "
                        f"reference{'s' if len(broken) != 1 else ''} ({first}); "
                        "nothing was changed"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def create_plan(path: Path, on_created: Callable[[Session], None] | None = None) -> None:
    """Make a new, empty plan at path (which must not exist).

    The file is built beside path under a temporary name, migrated to head and
    then renamed into place, so a crash never leaves a half-made plan.
    on_created may fill the plan in the same build (the demo does).
    """
    if path.exists():
        raise PlanFileError(f"{path} already exists; choose another name")
    if not path.parent.exists():
        raise PlanFileError(f"{path.parent} does not exist")
    refuse_companion_name(path)
    from sqlalchemy.orm import sessionmaker

    from egov_planner.model.entities import Plan

    path = real_path(path)  # a link to a plan still to be made makes the plan it points to
    with atomic_path(path, suffix=".new") as temp:
        temp.unlink()  # SQLite must create it
        engine = make_engine(temp)
        try:
            migrate_to_head(engine)
            factory = sessionmaker(bind=engine, expire_on_commit=False)
            with factory.begin() as session:
                session.add(Plan())  # its id is the database's to give; stores read it back
                _give_identity(session)
                if on_created is not None:
                    on_created(session)
        finally:
            engine.dispose()


def _give_identity(session: Session) -> None:
    """A stable id for the plan, so each backup can say which plan it is a copy of.

    Given at creation, or with the first change saved to an older plan (never
    on merely opening it: refused work must leave the file as it was).
    """
    from egov_planner.model.entities import Meta  # the ORM only when writing: reads stay on Core

    if session.get(Meta, "plan_id") is None:
        session.add(Meta(key="plan_id", value=uuid.uuid4().hex))


class PlanStore(EngineSessions):
    """One open plan file: its engine, its lock (when writable) and its backups (a Store)."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        lock: PlanLock | None,
        in_use_by: LockInfo | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.lock = lock
        self.in_use_by = in_use_by  # who has it, when we opened read-only because of them
        self._session_factory: sessionmaker[Session] | None = None
        self.after_commit: list[Callable[[], None]] = []
        self.changed_since_backup = False
        self.last_backup_at: datetime | None = None
        self._has_identity = False
        self._plan_row_id: int | None = None

    @property
    def display_name(self) -> str:
        return self.path.name

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def read_only(self) -> bool:
        return self.lock is None

    def read_only_reason(self) -> str:
        if self.in_use_by is not None:
            holder = self.in_use_by.describe()
            return f"{self.display_name} is open read-only: it is in use by {holder}"
        return f"{self.display_name} is open read-only"

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection for reads (one consistent snapshot), without loading the ORM."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A short session for reads (one consistent snapshot)."""
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed whole when the block ends, rolled back on error."""
        if self.lock is None:
            raise ReadOnlyPlan(self.read_only_reason() + "; nothing was changed")
        if not self.lock.still_ours():
            holder = read_lock(self.lock.path)
            who = holder.describe() if holder else "another program"
            raise ReadOnlyPlan(f"{self.display_name} was taken over by {who}; nothing was changed")
        with self._sessions() as session, session.begin():
            yield session
            if not self._has_identity:
                _give_identity(session)
        self._has_identity = True
        self.changed_since_backup = True
        for callback in list(self.after_commit):
            callback()

    def backup_if_due(self, now: datetime | None = None) -> Path | None:
        """Back up when the plan changed and the last backup is 30 minutes old (or none yet).

        Safe to call from a worker thread; returns the new backup or None.
        """
        from egov_planner.model.store.backups import BACKUP_EVERY, take_backup

        now = now or datetime.now()
        if self.read_only or not self.changed_since_backup:
            return None
        if self.last_backup_at is not None and now - self.last_backup_at < BACKUP_EVERY:
            return None
        # Cleared first so that edits made during the copy count for the next one.
        self.changed_since_backup = False
        try:
            taken = take_backup(self.path, reason="while editing", now=now)
        except BaseException:
            self.changed_since_backup = True  # not backed up: try again next time
            raise
        self.last_backup_at = now
        return taken.path if taken.new else None

    def meta(self, key: str) -> str | None:
        with self.connection() as connection:
            return connection.scalar(select(tables.meta.c.value).where(tables.meta.c.key == key))

    def integrity_problems(self) -> list[str]:
        """SQLite's integrity_check and foreign_key_check, as readable lines."""
        problems: list[str] = []
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            rows = raw.execute("PRAGMA integrity_check(50)").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                problems.extend(f"integrity: {r[0]}" for r in rows)
            for table, rowid, parent, fk_id in raw.execute("PRAGMA foreign_key_check").fetchall():
                problems.append(_describe_broken_reference(raw, table, rowid, parent, fk_id))
            connection.rollback()
        return problems

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> PlanStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if TYPE_CHECKING:

    def _a_plan_store_is_a_store(store: PlanStore) -> Store:
        return store  # mypy checks here that PlanStore keeps the whole Store interface


def _describe_broken_reference(raw: sqlite3.Connection, table: str, rowid: int | None, parent: str, fk_id: int) -> str:
    """'action A1.4: objective_id 9999 points to a missing objective' (names the row by its ref)."""
    quoted = '"' + table.replace('"', '""') + '"'
    columns = [str(r[1]) for r in raw.execute(f"PRAGMA table_info({quoted})")]
    row_name = f"{table} row {rowid}"
    with contextlib.suppress(sqlite3.Error):
        for label in ("ref", "name"):
            if label in columns and rowid is not None:
                found = raw.execute(f"SELECT {label} FROM {quoted} WHERE rowid = ?", (rowid,)).fetchone()
                if found is not None:
                    row_name = f"{table} {found[0]}"
                    break
        keys = [r for r in raw.execute(f"PRAGMA foreign_key_list({quoted})") if r[0] == fk_id]
        if len(keys) == 1 and rowid is not None:
            column = str(keys[0][3])
            (value,) = raw.execute(f'SELECT "{column}" FROM {quoted} WHERE rowid = ?', (rowid,)).fetchone()
            return f"broken reference: {row_name}: {column} {value} points to a missing {parent}"
    return f"broken reference: {row_name} points to a missing {parent}"


def open_plan(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    allow_read_only_fallback: bool = False,
    take_over_stale_lock: bool = False,
    backup_on_open: bool = False,
    on_revision: Callable[[], None] | None = None,
) -> PlanStore:
    """Open an existing plan.

    read_only: never write (no lock taken; edits are refused).
    allow_read_only_fallback: if someone else has it, open read-only instead
    of raising PlanInUse.
    take_over_stale_lock: replace the lock of a program that crashed.
    backup_on_open: take a verified backup when opened for writing (none when
    the plan has not changed since its newest backup).
    An older schema is upgraded (after a verified backup) when opened for writing.
    """
    facts = inspect_plan_file(Path(path))  # its messages name the file as the user did
    plan_path = real_path(path)
    lock: PlanLock | None = None
    in_use_by: LockInfo | None = None
    if not read_only:
        check_writable(plan_path)
        try:
            lock = PlanLock.acquire(plan_path, take_over=take_over_stale_lock)
        except PlanInUse as busy:
            if not allow_read_only_fallback:
                raise
            in_use_by = busy.holder
    try:
        if facts.needs_upgrade:
            if lock is None:
                raise NeedsUpgrade(
                    f"{plan_path.name} was made by an older egov-planner and must be upgraded; "
                    "open it for editing once (it is backed up first)"
                )
            from egov_planner.model.store.backups import backup_plan

            backup_plan(plan_path, reason="before upgrade")
            upgrade_engine = make_engine(plan_path)
            try:
                migrate_to_head(upgrade_engine, on_revision)
            finally:
                upgrade_engine.dispose()
        engine = make_engine(plan_path, read_only=lock is None)
        store = PlanStore(plan_path, engine, lock, in_use_by)
        if lock is not None and backup_on_open:
            from egov_planner.model.store.backups import backup_plan

            backup_plan(plan_path, reason="on open")
            store.last_backup_at = datetime.now()
        return store
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def plan_in_use(path: Path) -> LockInfo | None:
    """Who has the plan open for editing (a live lock), or None."""
    from egov_planner.model.store.lock import lock_path_for

    holder = read_lock(lock_path_for(real_path(path)))
    if holder is None or holder.is_stale():
        return None
    return holder
