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
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import URL, Connection, Engine, create_engine, event, select
from sqlalchemy.pool import NullPool

from egov_planner.model import tables
from egov_planner.model.errors import NotFound, PlanError
from egov_planner.model.safe_files import atomic_path
from egov_planner.model.store.base import Store
from egov_planner.model.store.lock import LockInfo, PlanInUse, PlanLock, read_lock

if TYPE_CHECKING:  # the ORM is loaded on first use: read-only commands read through Core alone
    from sqlalchemy.orm import Session, sessionmaker

APPLICATION_ID = 0x45475650  # "EGVP" in the SQLite header marks our files
SCHEMA_HEAD = "0002"  # tests check this equals Alembic's head
KNOWN_REVISIONS = ("0001", "0002")
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 15

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_HEAD",
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
    "refuse_plan_target",
    "sqlite_uri",
]


class PlanFileError(Exception):
    """A file that cannot be used as a plan; the message says why in one line."""


class NotAPlan(PlanFileError):
    """Not an egov-planner plan at all (empty, not a database, another program's database)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class NewerSchema(PlanFileError):
    def __init__(self, path: Path, revision: str, needs_program: str | None) -> None:
        self.revision = revision
        self.needs_program = needs_program
        need = f"egov-planner {needs_program} or newer" if needs_program else "a newer egov-planner"
        super().__init__(
            f"{path.name} was written by a newer version of egov-planner (schema {revision}); "
            f"it needs {need}. The file has not been changed."
        )


class DamagedPlan(PlanFileError):
    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path.name} is damaged: {detail}")


class ReadOnlyPlan(PlanFileError, PlanError):
    """An edit was tried on a plan opened read-only.

    Also a PlanError, so whatever shows the service's refusals shows this one too.
    """


class NeedsUpgrade(PlanFileError):
    """An older plan opened read-only: it must be opened for editing once to be upgraded."""


@dataclass(frozen=True)
class PlanFileFacts:
    """What inspect_plan_file learnt about a valid plan file."""

    revision: str
    needs_upgrade: bool


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


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A SQLite URI for path, percent-encoded so '#', '?' and '%' in a file name stay in the name.

    (Unencoded, "Plan #2.egov" opened "Plan " instead, and SQLite created it.)
    """
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # Windows drive letters: file:///C:/...
    # The name's own bytes, so a name that is not UTF-8 (b'plan\xff.egov') opens the same file.
    return f"file://{quote(os.fsencode(posix), safe='/:')}?mode={mode}"


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file path names, symbolic links (to it or to its folders) followed.

    The lock, the journal and the backups belong to the file, not to one of its
    names: opened under two names, it must still have one writer at a time.
    """
    return Path(path).resolve()


# What SQLite says when the file or the disk refuses, and the line an officer can act on.
def _sqlite_refusal(path: Path, text: str) -> str | None:
    name = path.name
    if "readonly database" in text or "read-only" in text:
        return (
            f"{name} is read-only, so it cannot be changed: make it writable (or copy it somewhere you can "
            "write) and try again; reading commands such as overdue still work on it. Nothing was changed."
        )
    if "locked" in text or "busy" in text:
        return (
            f"{name} is busy: another program kept it locked for over {BUSY_TIMEOUT_SECONDS} seconds; "
            "try again when it has finished. Nothing was changed."
        )
    if "disk is full" in text:
        return f"{name}: the disk is full; free some space and try again. Nothing was changed."
    if "disk I/O error" in text:
        return (
            f"{name}: the drive reported an error reading or writing it (disk I/O error); check the drive "
            "or network connection and try again. Nothing was changed."
        )
    if "unable to open database file" in text:
        return f"{name} cannot be opened: its folder may be missing, read-only or unreachable. Nothing was changed."
    return None


def plan_file_error(path: Path, error: BaseException) -> PlanFileError | None:
    """The one-line PlanFileError for a SQLite failure the user can meet on path, else None (a bug)."""
    original = getattr(error, "orig", None) or error
    if not isinstance(original, sqlite3.OperationalError):
        return None
    message = _sqlite_refusal(path, str(original))
    return PlanFileError(message) if message is not None else None


def refuse_plan_target(target: Path, plan_path: Path | None, what: str = "file") -> None:
    """Raise PlanFileError when writing target would overwrite the plan or its lock or journal.

    Same name, a symbolic link or a hard link to them all count (same file on disk).
    """
    if plan_path is None:
        return
    from egov_planner.model.store.lock import lock_path_for

    plan = real_path(plan_path)
    companions = [plan] + [plan.with_name(plan.name + end) for end in ("-journal", "-wal", "-shm")]
    companions.append(lock_path_for(plan))
    aimed = real_path(target)
    for index, companion in enumerate(companions):
        same = aimed == companion
        if not same:
            with contextlib.suppress(OSError):
                same = os.path.samefile(target, companion)
        if same:
            whose = "the plan itself" if index == 0 else f"the plan's {'lock' if index == 4 else 'journal'} file"
            named = f" ({plan.name})" if Path(target).name != plan.name else ""
            raise PlanFileError(
                f"{target} is {whose}{named}; choose a different file for the {what}. Nothing was written."
            )


def check_writable(path: Path) -> None:
    """Refuse, in one line, a plan that cannot safely be opened for writing.

    A hard-linked plan has names SQLite cannot see: its lock and journal follow
    the name, so a second program writing under the other name would not be
    stopped, and a crash could leave a journal the other name never rolls back.
    """
    info = path.stat()
    if info.st_nlink > 1:
        raise PlanFileError(
            f"{path.name} has {info.st_nlink} names on disk (hard links), so another program could write it "
            "under another name at the same time: copy it to a file of its own and open the copy. "
            "Nothing was changed."
        )
    # The permission bits count even for an administrator: the file was marked read-only for a reason.
    if not os.access(path, os.W_OK) or not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        message = _sqlite_refusal(path, "readonly database")
        raise PlanFileError(message)
    folder = path.parent
    folder_bits = os.name == "nt" or bool(folder.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    if not os.access(folder, os.W_OK | os.X_OK) or not folder_bits:
        raise PlanFileError(
            f"{path.name} is in a read-only folder ({folder}): the program must write its lock and journal "
            "beside the plan. Make the folder writable or copy the plan somewhere you can write; reading "
            "commands such as overdue still work on it. Nothing was changed."
        )


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


def _inspection_connection(path: Path) -> sqlite3.Connection:
    """Read-only, unless a crashed writer left a hot journal that SQLite must roll back.

    Rolling back restores the last committed state: SQLite's own recovery.
    """
    journal = real_path(path).with_name(real_path(path).name + "-journal")  # SQLite names it after the real file
    try:
        # A live writer's journal comes and goes: it may vanish between two looks.
        hot_candidate = journal.stat().st_size > 0
    except OSError:
        hot_candidate = False
    mode = "rw" if hot_candidate and os.access(path, os.W_OK) else "ro"
    connection = sqlite3.connect(sqlite_uri(path, mode), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    connection.isolation_level = None  # inspect_plan_file holds its own read transaction
    return connection


def _unreadable(path: Path, error: sqlite3.Error) -> PlanFileError:
    """A read that failed: busy, unreadable or a failing drive is not damaged."""
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and "readonly" not in text:
        message = _sqlite_refusal(path, text)
        if message is not None:
            return PlanFileError(message)
    return DamagedPlan(path, text)


def _check_not_truncated(path: Path) -> None:
    with open(path, "rb") as handle:
        header = handle.read(100)
    size = path.stat().st_size
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # The in-header size is only trusted when SQLite says it is current.
    if page_count and header[24:28] == header[92:96] and page_size * page_count > size:
        raise DamagedPlan(
            path,
            f"the file is truncated ({size:,} bytes; the database needs {page_size * page_count:,})",
        )


def inspect_plan_file(path: Path, deep: bool = True) -> PlanFileFacts:
    """Check that path is a plan this program can open; never writes to it.

    Raises NotAPlan, DamagedPlan or NewerSchema with a one-line reason.
    deep: also run SQLite's quick_check over every page.
    """
    if not path.exists():
        raise NotAPlan(f"{path}: no such file")
    if path.is_dir():
        raise NotAPlan(f"{path} is a folder, not a plan file")
    size = path.stat().st_size
    if size == 0:
        raise NotAPlan(f"{path.name} is an empty file, not a plan", path)
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise NotAPlan(f"{path.name} is not an egov-planner plan (it is not a database file)", path)
    if len(header) < 100:
        raise DamagedPlan(path, "the file is truncated (shorter than a database header)")
    try:
        connection = _inspection_connection(path)
    except sqlite3.Error as error:
        raise _unreadable(path, error) from None
    try:
        try:
            # One read transaction for the whole inspection: while it holds its
            # shared lock no writer can be half way through changing the file.
            connection.execute("BEGIN")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as error:
            raise _unreadable(path, error) from None
        # After the first read (a hot journal is rolled back by then) and under
        # the shared lock (a writer growing the file is never caught half way).
        _check_not_truncated(path)
        application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
        if application_id != APPLICATION_ID:
            if not tables:
                raise NotAPlan(f"{path.name} is an empty database, not an egov-planner plan", path)
            shown = ", ".join(sorted(tables)[:5])
            raise NotAPlan(
                f"{path.name} is another program's database, not an egov-planner plan (it holds tables: {shown})",
                path,
            )
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise DamagedPlan(path, f"its schema version cannot be read ({error})") from None
        if row is None:
            raise DamagedPlan(path, "its schema version is missing")
        revision = str(row[0])
        if revision not in KNOWN_REVISIONS:
            needs: str | None = None
            with contextlib.suppress(sqlite3.Error):
                found = connection.execute("SELECT value FROM meta WHERE key='needs_program'").fetchone()
                needs = str(found[0]) if found else None
            raise NewerSchema(path, revision, needs)
        if deep:
            try:
                problems = [r[0] for r in connection.execute("PRAGMA quick_check(5)")]
            except sqlite3.DatabaseError as error:
                raise _unreadable(path, error) from None
            if problems != ["ok"]:
                raise DamagedPlan(path, "; ".join(problems))
        return PlanFileFacts(revision=revision, needs_upgrade=revision != SCHEMA_HEAD)
    finally:
        connection.close()


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


class PlanStore:
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

    @property
    def plan_row_id(self) -> int:
        if self._plan_row_id is None:
            # Read once: create_plan makes the one row and nothing renumbers it.
            with self.engine.connect() as connection:  # Core: reads never need the ORM declared
                found = connection.execute(select(tables.plan.c.id).order_by(tables.plan.c.id).limit(1)).scalar()
            if found is None:
                raise NotFound(f"the plan's details are missing from {self.display_name}")
            self._plan_row_id = found
        return self._plan_row_id

    def _sessions(self) -> Session:
        if self._session_factory is None:
            from sqlalchemy.orm import sessionmaker

            # No autoflush: the service validates first, then flushes explicitly.
            self._session_factory = sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=False)
        return self._session_factory()

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
