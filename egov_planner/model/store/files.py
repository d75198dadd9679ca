"""A plan file on disk: what it is called, whether it is really a plan, and whether it may be written.

The checks that need no open engine: SQLite's header, our application id,
the schema revision, truncation and quick_check (inspect_plan_file); the real
file behind links (real_path); refusing to write onto the plan itself
(refuse_plan_target); and SQLite's own errors said in one line naming the plan.
The backups import these without importing the open-store code that uses them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from egov_planner.model.errors import PlanError
from egov_planner.model.safe_files import shown_path

APPLICATION_ID = 0x45475650  # "EGVP" in the SQLite header marks our files
SCHEMA_HEAD = "0006"  # tests check this equals Alembic's head
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 15


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
    name = shown_path(path).name  # a plan still being built is named as the user named it
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


# Names SQLite and our lock give the files beside a plan: a plan under one of them is taken for that file.
COMPANION_ENDINGS = ("-journal", "-wal", "-shm", ".lock")


def refuse_companion_name(path: Path) -> None:
    """Refuse to make a plan whose name is another file's journal or lock name.

    SQLite read "budget.egov-journal" as budget.egov's hot journal and deleted it on
    the next read of budget.egov; "budget.egov.lock" made budget.egov look in use.
    """
    name = path.name
    for ending in COMPANION_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            owner = name[: -len(ending)]
            kind = "lock" if ending == ".lock" else "journal"
            raise PlanFileError(
                f"{name} is the name of the {kind} file kept beside a plan called {owner}, so a plan "
                f"cannot be kept under it; choose a name that does not end in '{ending}'. Nothing was written."
            )


def check_writable(path: Path) -> None:
    """Refuse, in one line, a plan that cannot safely be opened for writing.

    A hard-linked plan has names SQLite cannot see: its lock and journal follow
    the name, so a second program writing under the other name would not be
    stopped, and a crash could leave a journal the other name never rolls back.
    """
    info = path.stat()
    shown = shown_path(path)
    if info.st_nlink > 1:
        raise PlanFileError(
            f"{shown.name} has {info.st_nlink} names on disk (hard links), so another program could write it "
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
            f"{shown.name} is in a read-only folder ({folder}): the program must write its lock and journal "
            "beside the plan. Make the folder writable or copy the plan somewhere you can write; reading "
            "commands such as overdue still work on it. Nothing was changed."
        )


def refuse_read_only(path: Path) -> None:
    """A file marked read-only is not replaced either (demo --force, restore), as it is not edited."""
    with contextlib.suppress(OSError):
        if not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise PlanFileError(_sqlite_refusal(path, "readonly database"))


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


def _check_not_truncated(path: Path, connection: sqlite3.Connection) -> None:
    """Asked of SQLite, never by reading the file: closing any descriptor of a file drops all of this
    process's POSIX locks on it, so an open()/close() here would let go of the inspection's read lock."""
    # page_count is the header's size when SQLite trusts it (valid-for matches), else the file's own.
    page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
    page_count = int(connection.execute("PRAGMA page_count").fetchone()[0])
    size = os.stat(path).st_size
    if page_count and page_size * page_count > size:
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
        _check_not_truncated(path, connection)
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
