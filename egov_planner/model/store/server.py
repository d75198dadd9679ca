"""A shared plan on PostgreSQL: ServerStore, the second Store.

The council's own PostgreSQL keeps the plan; we add no server of our own. The
schema is Alembic's (the same revisions as a file). What differs from a file:

- many officers at once: no lock file. Each write transaction first takes the
  plan's write lock (a PostgreSQL advisory lock held to its commit), the server's
  analogue of SQLite's BEGIN IMMEDIATE: writes are applied one after another, so
  find-or-create of people, departments and externals cannot race, while reads
  never wait. An edit made against an old read is refused by its row version.
- credentials are libpq's: a password in the URL, PGPASSWORD, .pgpass or a
  service file. A URL is only ever shown through `masked()`: no password on
  screen, in a log, a message or the recent-plans list.
- a database user without write rights gets a read-only store, saying so.
- every failure of the server (wrong password, no such database, unreachable,
  gone mid-edit) is one line naming the plan (`ServerError`); the transaction
  it interrupted is rolled back by the server, so nothing is half written.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from egov_planner.model import tables
from egov_planner.model.store.base import EngineSessions, Store
from egov_planner.model.store.files import (
    KNOWN_REVISIONS,
    SCHEMA_HEAD,
    NewerSchema,
    NotAPlan,
    PlanFileError,
    ReadOnlyPlan,
)

if TYPE_CHECKING:  # the ORM only when writing
    from sqlalchemy.orm import Session, sessionmaker

# The schemes an officer may type; all are driven by psycopg 3.
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_URL_START = re.compile(r"^(postgresql|postgres)(\+[a-z0-9_]+)?://", re.IGNORECASE)
WRITE_LOCK_KEY = 0x45475650  # 'EGVP': the advisory lock every write to a plan takes first
LOCK_WAIT_SECONDS = 120  # a writer waits this long for another officer's save before giving up, saying so
CONNECT_TIMEOUT_SECONDS = 10
CHANGES_CHANNEL = "egov_plan_changed"  # NOTIFY'd by every committed write; a Listener hears it


class ServerError(PlanFileError):
    """The server refused or failed: one line naming the plan (never its password)."""


def looks_like_server_url(text: str) -> bool:
    """Does the officer's text name a plan on a PostgreSQL server (rather than a file)?"""
    return bool(_URL_START.match(text.strip()))


@dataclass(frozen=True)
class ServerPlan:
    """A plan named by its server's URL; shows itself without the password (stands where a Path would)."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> ServerPlan:
        try:
            url = make_url(text.strip())
        except ArgumentError:
            shown = _scrub(text)
            raise PlanFileError(f"'{shown}' is not a PostgreSQL URL (postgresql://user@host:port/database)") from None
        if url.drivername.lower() not in _SCHEMES:
            raise PlanFileError(
                f"{url.drivername}: only PostgreSQL through psycopg 3 is supported "
                "(postgresql://user@host:port/database)"
            )
        if not url.database:
            raise PlanFileError(f"{masked(url)} names no database (postgresql://user@host:port/DATABASE)")
        return cls(url.set(drivername="postgresql+psycopg"))

    @property
    def name(self) -> str:
        """The database's name ('egov_plan'): short, for messages and title bars; location says where it is."""
        return str(self.url.database)

    @property
    def location(self) -> str:
        return masked(self.url)

    def __str__(self) -> str:
        return self.location


def masked(url: URL) -> str:
    """The URL as it may be shown: the password, if any, as ***; the scheme as the officer would type it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _scrub(text: str) -> str:
    """Text that may hold a URL with a password: the password removed."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def server_error(plan: ServerPlan, error: BaseException) -> ServerError | None:
    """The one line for a failure of the server or of the connection to it; None for what the caller handles."""
    detail = " ".join(_scrub(str(error)).split())
    user = plan.url.username or "the database user"
    where = plan.url.host or "this computer"
    found = detail.lower()
    if "no password supplied" in found:
        return ServerError(
            f"{plan.name}: the server needs a password for user {user} and none was given "
            "(set PGPASSWORD, add it to .pgpass, or put it in the URL)"
        )
    if "password authentication failed" in found:
        return ServerError(
            f"{plan.name}: the server refused the password for user {user} "
            "(check PGPASSWORD, .pgpass or the password in the URL)"
        )
    if re.search(r'database "[^"]*" does not exist', found):
        return ServerError(f"{plan.name}: there is no database {plan.url.database} on {where}")
    if re.search(r'role "[^"]*" does not exist', found):
        return ServerError(f"{plan.name}: the server has no user {user}")
    if "lock timeout" in found or "canceling statement due to lock timeout" in found:
        return ServerError(
            f"{plan.name}: another officer's change took more than {LOCK_WAIT_SECONDS} seconds to save; "
            "nothing was changed, try again"
        )
    if "permission denied" in found:
        return ServerError(f"{plan.name}: the server does not allow user {user} to do that ({_short(detail)})")
    lost = ("server closed the connection", "terminating connection", "connection is lost", "connection is closed",
            "consuming input failed", "ssl syscall", "server conn crashed", "the connection is lost")
    if any(sign in found for sign in lost):
        return ServerError(f"{plan.name}: the connection to the server was lost; the change in hand was not saved")
    unreachable = ("connection refused", "could not translate host name", "timeout expired", "no route to host",
                   "name or service not known", "could not connect", "connection failed", "is the server running")
    if any(sign in found for sign in unreachable):
        if "connection refused" in found:
            why = f"nothing answers on port {plan.url.port or 5432}; is PostgreSQL running there?"
        elif "resolve host" in found or "translate host name" in found or "not known" in found:
            why = f"the name {where} is not known on this network"
        elif "timeout" in found:
            why = f"no answer within {CONNECT_TIMEOUT_SECONDS} seconds"
        else:
            why = _short(detail)
        return ServerError(f"{plan.name}: the server at {where} cannot be reached ({why})")
    return None


def _short(detail: str) -> str:
    # psycopg's own text: the last line says why ("FATAL: ..."), the rest repeats the address.
    tail = detail.split("FATAL:")[-1].strip()
    tail = re.sub(r"^\([^)]*\)\s*", "", tail)
    return tail[:160]


def make_server_engine(plan: ServerPlan) -> Engine:
    """An engine on the plan's database; every failure of the server becomes one ServerError line."""
    import psycopg  # noqa: F401 - fail here, by name, when the driver is missing

    engine = create_engine(
        plan.url,
        pool_pre_ping=True,  # a connection the server dropped while the window sat idle is replaced, not used
        pool_size=2,
        max_overflow=4,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "egov-planner"},
        hide_parameters=True,  # a failed statement's values stay out of messages and logs
    )

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> Exception | None:
        return server_error(plan, context.original_exception)

    return engine


def _alembic_upgrade(connection: Connection) -> None:
    from alembic import command

    from egov_planner.model.store import _alembic_config

    command.upgrade(_alembic_config(connection, None), "head")


def _user_tables(connection: Connection) -> list[str]:
    """The tables in the database's own schema (where a plan would be made)."""
    return sorted(inspect(connection).get_table_names())


def _revision(connection: Connection) -> str | None:
    if "alembic_version" not in _user_tables(connection):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _refuse_not_a_plan(plan: ServerPlan, found: list[str]) -> NotAPlan:
    if not found:
        return NotAPlan(
            f"{plan.name} holds no plan (the database is empty); make one with: egov-planner init {plan.location}"
        )
    shown = ", ".join(found[:4]) + (", …" if len(found) > 4 else "")
    return NotAPlan(f"{plan.name} holds other tables ({shown}), not a plan; it was left as it was")


def create_server_plan(plan: ServerPlan, fill: Callable[[Session], None] | None = None) -> None:
    """Make the plan's schema (Alembic, to head) and its one Plan row in ONE transaction.

    A database holding other tables is refused: the plan is never mixed into another system's data.
    fill may put the plan's content in the same transaction (copy does); else an empty plan.
    """
    from sqlalchemy.orm import Session

    from egov_planner.model.entities import Meta, Plan

    engine = make_server_engine(plan)
    try:
        with engine.connect() as connection, connection.begin():
            # Two officers running init at once: the second waits, then finds the plan made.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            found = _user_tables(connection)
            if "alembic_version" in found:
                raise PlanFileError(f"{plan.name} already holds a plan; nothing was changed")
            if found:
                shown = ", ".join(found[:4]) + (", …" if len(found) > 4 else "")
                raise PlanFileError(
                    f"{plan.name} holds other tables ({shown}); a plan needs a database of its own. "
                    "Nothing was changed."
                )
            _alembic_upgrade(connection)
            with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                if fill is not None:
                    fill(session)
                else:
                    session.add(Plan())
                    session.add(Meta(key="plan_id", value=uuid.uuid4().hex))
                session.commit()  # releases its savepoint into the one transaction (closing would roll it back)
            _reset_sequences(connection)
    finally:
        engine.dispose()


def _reset_sequences(connection: Connection) -> None:
    """After rows were written with their own ids (a copy), each table's next id follows the highest."""
    for table in tables.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        sequence = connection.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if sequence is None:
            continue
        connection.execute(
            text(f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'),
            {"s": sequence},
        )


def open_server_plan(plan: ServerPlan, *, read_only: bool = False) -> ServerStore:
    """Open the plan on its server: its schema checked (an older one upgraded in one transaction when writing)."""
    engine = make_server_engine(plan)
    try:
        with engine.connect() as connection:
            revision = _revision(connection)
            if revision is None:
                raise _refuse_not_a_plan(plan, _user_tables(connection))
            if revision not in KNOWN_REVISIONS:
                needs = connection.scalar(text("SELECT value FROM meta WHERE key = 'needs_program'"))
                raise NewerSchema(plan, revision, needs)  # type: ignore[arg-type]  # it shows .name alone
            no_rights = _why_read_only(connection, plan)
            # Officers share the server, each with a role of their own: the history names that role.
            user = str(connection.scalar(text("SELECT current_user")))
            connection.rollback()
        if revision != SCHEMA_HEAD:
            if read_only or no_rights:
                from egov_planner.model.store.files import NeedsUpgrade

                raise NeedsUpgrade(
                    f"{plan.name} was made by an older egov-planner and must be upgraded; "
                    "open it for editing once, as a user who may change its tables"
                )
            _upgrade(engine, plan)
        reason = "" if not read_only else "opened read-only"
        return ServerStore(
            plan, engine, read_only=read_only or bool(no_rights), reason=no_rights or reason, database_user=user
        )
    except BaseException:
        engine.dispose()
        raise


def _upgrade(engine: Engine, plan: ServerPlan) -> None:
    """Every pending revision in ONE transaction (PostgreSQL's DDL is transactional): old or new, never half."""
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        if _revision(connection) != SCHEMA_HEAD:  # another officer may have upgraded it while we waited
            _alembic_upgrade(connection)


def _why_read_only(connection: Connection, plan: ServerPlan) -> str:
    """'' when this user may change the plan; else why not, in words for the officer."""
    if connection.scalar(text("SHOW transaction_read_only")) == "on":
        return "the server is a read-only copy (a standby)"
    may_write = connection.scalar(
        text(
            "SELECT has_table_privilege('action', 'UPDATE') AND has_table_privilege('action', 'INSERT') "
            "AND has_table_privilege('plan', 'UPDATE')"
        )
    )
    if not may_write:
        return f"user {plan.url.username or 'the database user'} may read this plan but not change it"
    return ""


class ServerStore(EngineSessions):
    """One plan on a PostgreSQL server (a Store): many readers and writers, each write checked by version."""

    def __init__(
        self,
        plan: ServerPlan,
        engine: Engine,
        *,
        read_only: bool = False,
        reason: str = "",
        database_user: str | None = None,
    ) -> None:
        self.plan = plan
        self.database_user = database_user or plan.url.username  # who the history names for this store's edits
        # Sent with each change notice, so this program's own Listener can tell its own writes from others'.
        self.writer = uuid.uuid4().hex
        self.engine = engine
        self._read_only = read_only
        self._reason = reason
        self._session_factory: sessionmaker[Session] | None = None
        self.after_commit: list[Callable[[], None]] = []
        self._plan_row_id: int | None = None

    path: Path | None = None  # nothing on this machine: exports and packs may go anywhere

    @property
    def display_name(self) -> str:
        return self.plan.name

    @property
    def location(self) -> str:
        return self.plan.location

    @property
    def read_only(self) -> bool:
        return self._read_only

    def read_only_reason(self) -> str:
        return f"{self.display_name} is open read-only" + (f": {self._reason}" if self._reason else "")

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection in one REPEATABLE READ transaction: one consistent view, like the file's."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})  # before the first read
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction behind the plan's write lock; committed whole, or rolled back by the server."""
        if self._read_only:
            raise ReadOnlyPlan(self.read_only_reason() + "; nothing was changed")
        with self._sessions() as session, session.begin():
            session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session
            # Delivered by the server at commit, never for a rolled-back write: other windows re-read.
            session.execute(
                text("SELECT pg_notify(:channel, :writer || ' ' || current_user)"),
                {"channel": CHANGES_CHANNEL, "writer": self.writer},
            )
        for callback in list(self.after_commit):
            callback()

    def backup_if_due(self, now: datetime | None = None) -> Path | None:
        """None: the server's own backups are IT's; `egov-planner backup URL` writes a plan file on request."""
        return None

    def meta(self, key: str) -> str | None:
        with self.connection() as connection:
            return connection.scalar(select(tables.meta.c.value).where(tables.meta.c.key == key))

    def integrity_problems(self) -> list[str]:
        """PostgreSQL enforces every reference as it is written; what is left to check is the plan row."""
        with self.connection() as connection:
            plans = connection.scalar(select(tables.plan.c.id).limit(1))
        return [] if plans is not None else [f"integrity: the plan's details are missing from {self.display_name}"]

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ServerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Listener:
    """Hears committed changes to one server plan (LISTEN), on a connection of its own.

    The window watches `fileno()` (a QSocketNotifier) and calls `changed()` only when the server has sent
    something: no query, no polling. `ignore` is a ServerStore's `writer`: that store's own writes are not heard.
    """

    def __init__(self, plan: ServerPlan, ignore: str | None = None) -> None:
        import psycopg
        from psycopg.conninfo import make_conninfo

        self.plan = plan
        self.ignore = ignore
        url = plan.url
        try:
            given: dict[str, Any] = {
                "host": url.host, "port": url.port, "user": url.username, "password": url.password,
                "dbname": url.database, "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "egov-planner listener", **{str(k): str(v) for k, v in url.query.items()},
            }
            conninfo = make_conninfo(**{k: v for k, v in given.items() if v is not None})
            self._connection = psycopg.connect(conninfo, autocommit=True)
            self._connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        except psycopg.Error as error:
            raise server_error(plan, error) or ServerError(f"{plan.name}: {_short(str(error))}") from None

    def fileno(self) -> int:
        """The connection's socket: readable when the server has sent a notice (or gone away)."""
        return self._connection.fileno()

    def changed(self, timeout: float = 0.0) -> list[str]:
        """The database users whose changes were committed since the last call ([] when none; waits up to timeout).

        Changes written through the store named by `ignore` are left out: that window already shows them.
        """
        import psycopg

        try:
            # The first (waiting up to timeout), then whatever else has already arrived.
            heard = [note.payload for note in self._connection.notifies(timeout=timeout, stop_after=1)]
            if heard:
                heard += [note.payload for note in self._connection.notifies(timeout=0)]
        except psycopg.Error as error:
            raise server_error(self.plan, error) or ServerError(f"{self.plan.name}: {_short(str(error))}") from None
        users = []
        for payload in heard:
            writer, _, user = payload.partition(" ")
            if writer != self.ignore:
                users.append(user or writer)  # a notice without a writer (sent by hand) names its user alone
        return users

    def close(self) -> None:
        self._connection.close()


if TYPE_CHECKING:

    def _a_server_store_is_a_store(store: ServerStore) -> Store:
        return store  # mypy checks here that ServerStore keeps the whole Store interface
