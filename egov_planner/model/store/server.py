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
import logging
import os
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

# psycopg's own notes ("error ignored terminating <Pipeline>" once the server is gone) are not for the officer:
# the one ServerError line says what happened. Without a handler, Python would print them on stderr as well.
logging.getLogger("psycopg").addHandler(logging.NullHandler())


class ServerError(PlanFileError):
    """The server refused or failed: one line naming the plan (never its password)."""


class PasswordNeeded(ServerError):
    """The server asks for a password and none was supplied: the window may ask for one (never saved)."""


class PasswordRefused(ServerError):
    """The server refused the password it was given."""


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
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number (its text may be a password)
            raise PlanFileError(_UNREADABLE) from None
        if url.drivername.lower() not in _SCHEMES:
            raise PlanFileError(
                f"{url.drivername}: only PostgreSQL through psycopg 3 is supported "
                "(postgresql://user@host:port/database)"
            )
        if "@" in (url.host or "") or "@" in (url.database or ""):
            raise PlanFileError(_UNREADABLE)  # a password's own @ split the URL in the wrong place
        if not url.database and not {"service", "dbname"} & set(url.query):  # a service may name the database
            raise PlanFileError(f"{masked(url)} names no database (postgresql://user@host:port/DATABASE)")
        return cls(url.set(drivername="postgresql+psycopg", database=url.database or None))

    @property
    def name(self) -> str:
        """The database's name ('egov_plan'): short, for messages and title bars; location says where it is."""
        return str(self.url.database or _option(self.url, "dbname") or _option(self.url, "service"))

    @property
    def location(self) -> str:
        return masked(self.url)

    def __str__(self) -> str:
        return self.location


# Never the URL itself: an unencoded password is what made it unreadable, and would be shown.
_UNREADABLE = (
    "the PostgreSQL URL cannot be read; write it as postgresql://user@host:port/database, with @ : / ? # in a "
    "password written %40 %3A %2F %3F %23 (or leave the password out: PGPASSWORD, .pgpass or a service file)"
)
_SECRET_OPTIONS = ("password", "sslpassword")


def _option(url: URL, key: str) -> str | None:
    """One of the URL's ?options (the last, when given twice)."""
    value = url.query.get(key)
    if isinstance(value, tuple):
        value = value[-1] if value else None
    return value


def masked(url: URL) -> str:
    """The URL as it may be shown: the password, if any, as ***; the scheme as the officer would type it."""
    secret = [key for key in url.query if key.lower() in _SECRET_OPTIONS]
    shown = url.set(drivername="postgresql").update_query_dict({key: "HIDDEN" for key in secret})
    return shown.render_as_string(hide_password=True).replace("=HIDDEN", "=***")


def _scrub(text: str) -> str:
    """Text that may hold a URL with a password: the password (up to the URL's last @) and password= removed."""
    text = re.sub(r"(://[^:/@\s]*:)\S*@", r"\1***@", text)
    return re.sub(r"((?:ssl)?password=)[^&\s'\"]*", r"\1***", text, flags=re.IGNORECASE)


def server_error(plan: ServerPlan, error: BaseException) -> ServerError | None:
    """The one line for a failure of the server or of the connection to it; None for what the caller handles."""
    detail = " ".join(_scrub(str(error)).split())
    user = plan.url.username or "the database user"
    host = plan.url.host or _option(plan.url, "host") or os.environ.get("PGHOST", "")
    port = plan.url.port or _option(plan.url, "port") or os.environ.get("PGPORT") or 5432  # as libpq chooses
    where = "this computer" if not host or host.startswith("/") else host
    found = detail.lower()
    option = re.search(r'invalid connection option "([^"]*)"', detail)
    if option:
        return ServerError(
            f"{plan.name}: the URL's ?{option.group(1)}= is not an option PostgreSQL knows "
            "(host, port, sslmode, service… as libpq names them)"
        )
    service = re.search(r'definition of service "([^"]*)" not found', detail)
    if service:
        services = os.environ.get("PGSERVICEFILE") or str(Path.home() / ".pg_service.conf")
        return ServerError(f"{plan.name}: there is no service {service.group(1)} in {services}")
    if "no password supplied" in found:
        return PasswordNeeded(
            f"{plan.name}: the server needs a password for user {user} and none was given "
            "(set PGPASSWORD, add it to .pgpass, or put it in the URL)"
        )
    if "password authentication failed" in found:
        return PasswordRefused(
            f"{plan.name}: the server refused the password for user {user} "
            "(check PGPASSWORD, .pgpass or the password in the URL)"
        )
    if re.search(r'database "[^"]*" does not exist', found):
        return ServerError(f"{plan.name}: there is no database {plan.name} on {where}")
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
                   "name or service not known", "could not connect", "connection failed", "is the server running",
                   "not currently accepting connections", "shutting down", "starting up", "in recovery mode",
                   "connection is bad")
    if any(sign in found for sign in unreachable):
        socket = re.search(r'on socket "([^"]*)"', detail)
        if socket and ("no such file" in found or "connection refused" in found):
            why = f"nothing answers on socket {socket.group(1)}; is PostgreSQL running there?"
        elif "connection refused" in found:
            why = f"nothing answers on port {port}; is PostgreSQL running there?"
        elif "resolve host" in found or "translate host name" in found or "not known" in found:
            why = f"the name {where} is not known on this network"
        elif "timeout" in found:
            why = f"no answer within {CONNECT_TIMEOUT_SECONDS} seconds"
        else:
            why = _short(detail)
        return ServerError(f"{plan.name}: the server at {where} cannot be reached ({why})")
    if _connection_failure(error):  # the server stopped us in a way not named above: still one line, never raw
        return ServerError(f"{plan.name}: the server stopped the work in hand ({_short(detail)}); nothing was changed")
    return None


def _connection_failure(error: BaseException) -> bool:
    """A failure of the connection or of the server itself (SQLSTATE classes 08, 57), not of the statement."""
    import psycopg

    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None)
    return state is None or state[:2] in ("08", "57")


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


def _other_objects(connection: Connection) -> list[str]:
    """Tables, views and sequences of any schema but the system's: what an empty database must not hold."""
    rows = connection.execute(
        text(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND NOT c.relispartition "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
            "ORDER BY n.nspname <> current_schema(), 1, 2"
        )
    )
    here = connection.scalar(text("SELECT current_schema()"))
    return [name if schema == here else f"{schema}.{name}" for schema, name in rows]


def _refuse_not_a_plan(plan: ServerPlan, found: list[str]) -> NotAPlan:
    if not found:
        return NotAPlan(
            f"{plan.name} holds no plan (the database is empty); make one with: egov-planner init {plan.location}"
        )
    shown = ", ".join(found[:4]) + (", …" if len(found) > 4 else "")
    return NotAPlan(f"{plan.name} holds other tables ({shown}), not a plan; it was left as it was")


# What an untouched plan made by `init` holds besides its schema: its plan row and identity (copy may fill it).
_BARE_PLAN_TABLES = ("plan", "meta")


def _is_untouched(connection: Connection) -> bool:
    """An empty plan nobody has changed (nothing recorded in any table but the plan row and its identity)."""
    for table in tables.metadata.sorted_tables:
        if table.name not in _BARE_PLAN_TABLES and connection.scalar(select(table).limit(1).exists().select()):
            return False
    return True


def _owner_url(plan: ServerPlan, owner: str | None) -> str:
    """The plan's URL as its tables' owner would type it (no password): for the line that asks them to upgrade."""
    url = plan.url._replace(username=owner or plan.url.username, password=None)  # set() keeps a None password
    return masked(url.difference_update_query(_SECRET_OPTIONS))


def _may_upgrade(connection: Connection) -> tuple[bool, str | None]:
    """(may this login change the plan's tables, who owns them): an upgrade adds tables and alters the owner's."""
    row = connection.execute(
        text(
            "SELECT pg_has_role(current_user, t.tableowner, 'USAGE') AND has_schema_privilege(current_schema(), "
            "'CREATE'), t.tableowner FROM pg_tables t WHERE t.schemaname = current_schema() "
            "AND t.tablename = 'alembic_version'"
        )
    ).first()
    return (bool(row[0]), str(row[1])) if row is not None else (False, None)


def _needs_upgrade(plan: ServerPlan, owner: str | None, user_may: bool) -> PlanFileError:
    """The line for an older plan: the command that upgrades it, and who must run it when this login may not."""
    from egov_planner.model.store.files import NeedsUpgrade

    command = f"egov-planner init {_owner_url(plan, owner)}"
    line = f"{plan.name} was made by an older egov-planner and must be upgraded (in one step: old or new, never half)"
    if user_may:
        return NeedsUpgrade(f"{line}; run: {command}")
    who = f"user {plan.url.username or 'this login'} may not change its tables"
    return NeedsUpgrade(f"{line}: {who}; ask the owner of its tables{f' ({owner})' if owner else ''} to run: {command}")


def create_server_plan(plan: ServerPlan, fill: Callable[[Session], None] | None = None) -> str:
    """Make the plan's schema (Alembic, to head) and its one Plan row in ONE transaction; say what was done.

    A database holding other tables is refused: the plan is never mixed into another system's data.
    fill may put the plan's content in the same transaction (copy does); else an empty plan. A plan already
    there is refused, but for two cases done in the same one transaction: an older plan (no fill) is
    upgraded, and an untouched empty plan (init's) is filled.
    """
    from sqlalchemy.orm import Session

    from egov_planner.model.entities import Meta, Plan

    engine = make_server_engine(plan)
    try:
        with engine.connect() as connection, connection.begin():
            # Two officers running init at once: the second waits, then finds the plan made.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            revision = _revision(connection)
            done = "created"
            if revision is not None:
                done = _take_existing(connection, plan, revision, filling=fill is not None)
                if done == "upgraded":
                    return done
            else:
                found = _other_objects(connection)
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
            return done
    finally:
        engine.dispose()


def _take_existing(connection: Connection, plan: ServerPlan, revision: str, *, filling: bool) -> str:
    """A plan is already there: 'upgraded' (init on an older one), 'filled' (copy into init's empty one), or refused."""
    if revision not in KNOWN_REVISIONS:
        needs = connection.scalar(text("SELECT value FROM meta WHERE key = 'needs_program'"))
        raise NewerSchema(plan, revision, needs)  # type: ignore[arg-type]  # it shows .name alone
    if revision != SCHEMA_HEAD:
        may, owner = _may_upgrade(connection)
        if filling or not may:
            raise _needs_upgrade(plan, owner, may)
        _alembic_upgrade(connection)
        return "upgraded"
    if filling and _is_untouched(connection):
        return "filled"
    raise PlanFileError(f"{plan.name} already holds a plan; nothing was changed")


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
                raise _refuse_not_a_plan(plan, _other_objects(connection))
            if revision not in KNOWN_REVISIONS:
                needs = connection.scalar(text("SELECT value FROM meta WHERE key = 'needs_program'"))
                raise NewerSchema(plan, revision, needs)  # type: ignore[arg-type]  # it shows .name alone
            no_rights, banner = _why_read_only(connection, plan)
            may_upgrade, owner = _may_upgrade(connection)
            # Officers share the server, each with a role of their own: the history names that role.
            user = str(connection.scalar(text("SELECT current_user")))
            connection.rollback()
        if revision != SCHEMA_HEAD:
            if read_only or no_rights or not may_upgrade:
                raise _needs_upgrade(plan, owner, may_upgrade)
            _upgrade(engine, plan)
        reason = "" if not read_only else "opened read-only"
        return ServerStore(
            plan, engine, read_only=read_only or bool(no_rights), reason=no_rights or reason, banner=banner,
            database_user=user,
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


def _why_read_only(connection: Connection, plan: ServerPlan) -> tuple[str, str]:
    """('', '') when this user may change the plan; else why not, for messages and for the window's banner."""
    if connection.scalar(text("SHOW transaction_read_only")) == "on":
        standby = "the server is a read-only copy (a standby)"
        return standby, standby
    may_write = connection.scalar(
        text(
            "SELECT has_table_privilege('action', 'UPDATE') AND has_table_privilege('action', 'INSERT') "
            "AND has_table_privilege('plan', 'UPDATE')"
        )
    )
    if not may_write:
        user = plan.url.username or "the database user"
        return f"user {user} may read this plan but not change it", "your database account may not change this plan"
    return "", ""


class ServerStore(EngineSessions):
    """One plan on a PostgreSQL server (a Store): many readers and writers, each write checked by version."""

    def __init__(
        self,
        plan: ServerPlan,
        engine: Engine,
        *,
        read_only: bool = False,
        reason: str = "",
        banner: str = "",
        database_user: str | None = None,
    ) -> None:
        self.plan = plan
        self.database_user = database_user or plan.url.username  # who the history names for this store's edits
        # Sent with each change notice, so this program's own Listener can tell its own writes from others'.
        self.writer = uuid.uuid4().hex
        self.engine = engine
        self._read_only = read_only
        self._reason = reason
        self._banner = banner  # why, in the officer's words: 'your database account may not change this plan'
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

    def read_only_banner(self) -> str:
        """The window's banner: 'read-only — your database account may not change this plan' ('' when writable)."""
        if not self._read_only:
            return ""
        return "read-only" + (f" — {self._banner}" if self._banner else "")

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
