"""Store: what the rest of the program needs from an open plan, wherever the plan is kept.

`PlanStore` (one SQLite file, in this package) is the first implementation; a
shared plan on PostgreSQL will be the second. PlanService, the command line and
the reports type against `Store`, so nothing above the store assumes a file:
a store is named by `display_name` and `location` (a server's URL never shows
its password), and only a store kept on this machine has a `path`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # hints only: the read path of the command line never loads the ORM
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker


class Store(Protocol):
    """One open plan: its sessions, whether it may be changed, and its housekeeping."""

    # Called after each committed write, in order (never after a rolled-back one).
    after_commit: list[Callable[[], None]]

    @property
    def path(self) -> Path | None:
        """The plan's file on this machine, which nothing the program writes may overwrite; None on a server."""
        ...

    @property
    def display_name(self) -> str:
        """Short name for messages and title bars ('plan.egov'); never a password."""
        ...

    @property
    def location(self) -> str:
        """Where the plan is kept, in full (a file's path, a server's URL without its password)."""
        ...

    @property
    def read_only(self) -> bool:
        """True when writing() refuses (opened read-only, or someone else is editing)."""
        ...

    def read_only_reason(self) -> str:
        """One line naming the plan and why it is read-only ('plan.egov is open read-only: ...')."""
        ...

    @property
    def plan_row_id(self) -> int:
        """The id of the plan's one Plan row (made by create_plan); ask here, never assume it."""
        ...

    def connection(self) -> AbstractContextManager[Connection]:
        """A Core connection in one read transaction (no ORM): the fast read path of the command line."""
        ...

    def reading(self) -> AbstractContextManager[Session]:
        """A short session for reads: one consistent view of the plan."""
        ...

    def writing(self) -> AbstractContextManager[Session]:
        """One transaction, committed whole when the block ends; raises ReadOnlyPlan when read_only."""
        ...

    def backup_if_due(self, now: datetime | None = None) -> Path | None:
        """Take a backup when the plan changed and the last one is old enough; the new copy, else None."""
        ...

    def meta(self, key: str) -> str | None:
        """A value from the plan's meta table (its identity, its backup folder...), or None."""
        ...

    def integrity_problems(self) -> list[str]:
        """The storage's own consistency checks, one readable line per problem ([] when sound)."""
        ...

    def close(self) -> None:
        """Release the plan (connections, and the lock when open for editing); safe to call twice."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


class EngineSessions:
    """What both stores do the same way over their SQLAlchemy engine: the plan's row id and ORM sessions.

    A store sets `engine`, `display_name`, `_plan_row_id = None` and `_session_factory = None`, and offers
    `connection()` (a Core read in the store's own isolation).
    """

    engine: Engine
    _plan_row_id: int | None
    _session_factory: sessionmaker[Session] | None

    @property
    def display_name(self) -> str:
        raise NotImplementedError

    def connection(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    @property
    def plan_row_id(self) -> int:
        if self._plan_row_id is None:
            from sqlalchemy import select

            from egov_planner.model import tables
            from egov_planner.model.errors import NotFound

            # Read once: create_plan makes the one row and nothing renumbers it.
            with self.connection() as connection:  # Core: reads never need the ORM declared
                found = connection.scalar(select(tables.plan.c.id).order_by(tables.plan.c.id).limit(1))
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

