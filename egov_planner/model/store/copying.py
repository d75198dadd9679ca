"""Moving a whole plan between a file and a server (either way), verified before success is reported.

`copy_plan` reads the source in ONE consistent read, builds the destination in
ONE transaction through the same Alembic migrations (a file: in a temporary file
renamed into place; a server: in an empty database), then reads the destination
back and compares every table, row for row, with what was read. A copy that
does not match is removed (a file) or emptied (a server) and refused.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select, text

from egov_planner.model import tables
from egov_planner.model.store.files import PlanFileError
from egov_planner.model.store.server import ServerPlan, create_server_plan, open_server_plan

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from egov_planner.model.store.opening import PlanLocation

_BATCH = 5000


@dataclass(frozen=True)
class CopyResult:
    rows: int  # every row of every table, as verified in the copy
    tables: int


def _read_all(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order: what is copied, and what the copy is compared with."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.c)
        rows[table.name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
    return rows


def _digest(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, str]:
    return {name: hashlib.sha256(repr(table_rows).encode()).hexdigest() for name, table_rows in rows.items()}


def _fill(rows: dict[str, list[tuple[Any, ...]]]) -> Any:
    def fill(session: Session) -> None:
        session.flush()  # the new plan's own row and identity, replaced just below by the source's
        connection = session.connection()
        connection.execute(delete(tables.plan))
        connection.execute(delete(tables.meta))
        for table in tables.metadata.sorted_tables:
            names = [column.name for column in table.c]
            values = [dict(zip(names, row, strict=True)) for row in rows[table.name]]
            for start in range(0, len(values), _BATCH):
                connection.execute(insert(table), values[start : start + _BATCH])

    return fill


def _open_reading(where: PlanLocation) -> Any:
    from egov_planner.model.store.opening import open_for_reading

    return open_for_reading(where)


def copy_plan(source: PlanLocation, dest: PlanLocation) -> CopyResult:
    """Copy the whole plan at source to dest (a new file, or an empty database), and verify it."""
    from egov_planner.model.store import create_plan

    if isinstance(source, Path) and isinstance(dest, Path):
        with contextlib.suppress(OSError):
            if dest.exists() and dest.resolve() == source.resolve():
                raise PlanFileError(f"{dest} is the plan being copied; give another file. Nothing was written.")
    with contextlib.closing(_open_reading(source)) as store, store.connection() as connection:
        rows = _read_all(connection)
    if isinstance(dest, ServerPlan):
        create_server_plan(dest, fill=_fill(rows))
    else:
        create_plan(dest, on_created=_fill(rows))
    try:
        with contextlib.closing(_open_reading(dest)) as copied, copied.connection() as connection:
            found = _read_all(connection)
        if _digest(found) != _digest(rows):
            wrong = sorted(name for name in rows if _digest({name: rows[name]}) != _digest({name: found[name]}))
            raise PlanFileError(
                f"the copy at {_where(dest)} does not match {_where(source)} (table {wrong[0]}); it was removed"
            )
    except BaseException:
        _remove(dest)
        raise
    return CopyResult(rows=sum(len(r) for r in rows.values()), tables=len(rows))


def _where(location: PlanLocation) -> str:
    return location.location if isinstance(location, ServerPlan) else str(location)


def _remove(dest: PlanLocation) -> None:
    """A copy that failed its check is not left to be mistaken for the plan."""
    if isinstance(dest, Path):
        with contextlib.suppress(OSError):
            dest.unlink()
        return
    with (
        contextlib.suppress(Exception),
        contextlib.closing(open_server_plan(dest)) as store,
        store.engine.begin() as connection,
    ):
        for table in reversed(tables.metadata.sorted_tables):
            connection.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def server_backup_path(plan: ServerPlan, folder: Path | None, now: datetime | None = None) -> Path:
    """Where `backup URL` writes its plan file: FOLDER (default: the user's data folder, per server and database)."""
    from egov_planner.paths import user_data_dir

    host = (plan.url.host or "local").replace("/", "_")
    target = folder if folder is not None else user_data_dir() / "server backups" / f"{plan.url.database} on {host}"
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H%M%S")
    return target / f"{plan.url.database} {stamp}.egov"
