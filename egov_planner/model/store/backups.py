"""Backups: consistent copies through SQLite's backup API, verified, then rotated.

A backup is written under a temporary name, checked (integrity_check, our
application id, a known schema) and only then renamed into place; older copies
are pruned only after the new one has been verified.

A backup folder belongs to one plan FILE. Default folder: "<file name> backups"
beside the plan ("plan.egov backups", so plan.egov and plan.db never share one).
A plan may name another folder below its own (meta key backup_dir); `egov-planner
backup --to DIR` overrides both. Each copy records which plan it came from (meta
keys backup_of_name, backup_of_path; the plan's own plan_id travels with it) and a
digest of the plan's bytes, so rotation, restore and recovery only ever consider
this plan's copies, and a plan that has not changed since its newest copy is not
copied again (refused work must not rotate history away).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import shutil
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from egov_planner.model.safe_files import atomic_path, fsync_directory
from egov_planner.model.store.files import (
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    KNOWN_REVISIONS,
    PlanFileError,
    check_writable,
    inspect_plan_file,
    real_path,
    refuse_companion_name,
    refuse_plan_target,
    refuse_read_only,
    sqlite_uri,
)
from egov_planner.model.store.lock import PlanLock

KEEP_RECENT = 10
KEEP_DAILY_DAYS = 14
KEEP_MONTHLY = 12
BACKUP_EVERY = timedelta(minutes=30)
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.egov$")
# Meta keys a copy carries (the plan itself never holds the backup_ ones).
_COPY_KEYS = ("backup_reason", "backup_of_name", "backup_of_path", "backup_of_digest")
PLAN_ID_KEY = "plan_id"


@dataclass(frozen=True)
class CopyFacts:
    """What a copy records about itself; readable=False when its meta cannot be read."""

    readable: bool
    reason: str = ""
    source_name: str | None = None  # the plan file's name when copied ("plan.egov")
    source_path: str | None = None  # its resolved path
    digest: str | None = None  # sha256 of the plan file's bytes when copied
    plan_id: str | None = None


def read_copy_facts(path: Path) -> CopyFacts:
    try:
        connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
        try:
            rows = connection.execute(
                "SELECT key, value FROM meta WHERE key IN (?, ?, ?, ?, ?)", (*_COPY_KEYS, PLAN_ID_KEY)
            ).fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, OSError):
        return CopyFacts(readable=False)
    values = {str(k): str(v) for k, v in rows if v is not None}
    return CopyFacts(
        readable=True,
        reason=values.get("backup_reason", ""),
        source_name=values.get("backup_of_name"),
        source_path=values.get("backup_of_path"),
        digest=values.get("backup_of_digest"),
        plan_id=values.get(PLAN_ID_KEY),
    )


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime

    @property
    def label(self) -> str:
        return self.taken_at.strftime("%d/%m/%Y %H:%M:%S")

    @functools.cached_property
    def facts(self) -> CopyFacts:
        return read_copy_facts(self.path)

    @property
    def reason(self) -> str:
        """Why the copy was taken ("on open", "before upgrade"…), or "" when unknown."""
        return self.facts.reason


def _real(path: Path) -> Path:
    """The file a name stands for (links resolved): backups belong to the file."""
    with contextlib.suppress(OSError, RuntimeError):
        return path.resolve()
    return path.absolute()


def default_backup_dir(plan_path: Path) -> Path:
    real = _real(plan_path)
    return real.parent / f"{real.name} backups"


def legacy_backup_dir(plan_path: Path) -> Path:
    """Where versions before the per-file folders put copies ("<stem> backups", shared by plan.egov and plan.db)."""
    real = _real(plan_path)
    return real.parent / f"{real.stem} backups"


def _stored_backup_dir(plan_path: Path) -> str | None:
    with contextlib.suppress(sqlite3.Error, OSError):
        # Waits for a writer like every other read: a busy plan must not send
        # its backup to the default folder instead of the one it names.
        connection = sqlite3.connect(sqlite_uri(plan_path, "ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key='backup_dir'").fetchone()
        finally:
            connection.close()
        if row and str(row[0]).strip():
            return str(row[0]).strip()
    return None


def _inside(folder: Path, base: Path) -> bool:
    """Is folder strictly below base, by its spelling ("..", absolute paths) and once links are resolved?"""
    lexical = Path(os.path.normpath(base.absolute() / folder))
    if lexical == base.absolute() or not lexical.is_relative_to(base.absolute()):
        return False
    with contextlib.suppress(OSError, RuntimeError):
        real = lexical.resolve()
        # A link inside the plan's folder that the user made on purpose is theirs to aim.
        return real != base.resolve()
    return True


def _usable_backup_dir(plan_path: Path) -> tuple[Path | None, str | None]:
    """(the stored backup folder when it may be used, why the stored one is ignored)."""
    stored = _stored_backup_dir(plan_path)
    if stored is None:
        return None, None
    base = _real(plan_path).parent
    if not _inside(Path(stored), base):
        # "../x" or an absolute path elsewhere must not send a plan's history anywhere.
        return None, f"the plan names '{stored}' for its backups, which is not a folder below the plan's own"
    folder = Path(os.path.normpath(base / stored))
    if folder.exists() and not folder.is_dir():
        return None, f"the plan names '{stored}' for its backups, which is a file, not a folder"
    return folder, None


def backup_dir_problem(plan_path: Path) -> str | None:
    """Why the plan's stored backup_dir is ignored (it leaves the plan's folder, or is a file), or None."""
    _folder, problem = _usable_backup_dir(plan_path)
    return None if problem is None else f"{problem}; backups go to {default_backup_dir(plan_path)} instead"


def configured_backup_dir(plan_path: Path) -> Path:
    """The folder the plan names for its backups (only a folder below the plan's own), else the default."""
    folder, _problem = _usable_backup_dir(plan_path)
    return folder if folder is not None else default_backup_dir(plan_path)


def _plan_id(plan_path: Path) -> str | None:
    with contextlib.suppress(sqlite3.Error, OSError):
        connection = sqlite3.connect(sqlite_uri(plan_path, "ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (PLAN_ID_KEY,)).fetchone()
        finally:
            connection.close()
        return str(row[0]) if row and row[0] else None
    return None


@dataclass(frozen=True)
class _PlanIdentity:
    name: str
    path: str
    plan_id: str | None
    own_folders: frozenset[Path]  # folders holding only copies of files of this name here


def _storable(name: str) -> str:
    """A file name as text SQLite can hold: bytes that are not UTF-8 written as \\xff escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _identity(plan_path: Path) -> _PlanIdentity:
    real = _real(plan_path)
    return _PlanIdentity(real.name, str(real), _plan_id(plan_path), frozenset({default_backup_dir(plan_path)}))


def _is_ours(facts: CopyFacts, plan: _PlanIdentity, folder: Path, named_for_file: bool) -> bool:
    """Does a copy found in folder belong to the plan? Only on its own record, never on a shared stem."""
    if not facts.readable:
        # A damaged copy proves nothing: it counts as ours only under our full file name.
        return named_for_file
    if facts.source_name is None and facts.source_path is None:
        return False  # an older copy that does not say which plan it came from
    if facts.source_path == _storable(plan.path):
        return True  # the same file, even when what is in it was replaced (demo --force)
    if facts.plan_id and plan.plan_id and facts.plan_id != plan.plan_id:
        return False
    # Moved with its folder: same file name, and the same plan or our own folder.
    same_plan = bool(facts.plan_id and facts.plan_id == plan.plan_id)
    return facts.source_name == _storable(plan.name) and (same_plan or _real(folder) in plan.own_folders)


def _scan(plan: _PlanIdentity, folder: Path) -> list[Backup]:
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    stem = Path(plan.name).stem
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or match["stem"] not in (plan.name, stem) or not entry.is_file():
            continue
        backup = Backup(entry, datetime.strptime(match["stamp"], _STAMP))
        if _is_ours(backup.facts, plan, folder, named_for_file=match["stem"] == plan.name):
            found.append(backup)
    return found


def backup_folders(plan_path: Path) -> list[Path]:
    """Every folder that may hold this plan's copies: the configured one, the default, the old shared one."""
    folders: list[Path] = []
    for folder in (configured_backup_dir(plan_path), default_backup_dir(plan_path), legacy_backup_dir(plan_path)):
        if folder not in folders:
            folders.append(folder)
    return folders


def list_backups(plan_path: Path, folder: Path | None = None) -> list[Backup]:
    """Backups of this plan (by each copy's own record), newest first.

    Without folder: from every folder that may hold them (see backup_folders).
    """
    plan = _identity(plan_path)
    folders = [folder] if folder is not None else backup_folders(plan_path)
    found = [b for f in folders for b in _scan(plan, f)]
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def unclaimed_copies(plan_path: Path) -> list[Path]:
    """Copies in the old shared folder, named for the plan's stem, that record no source: never offered."""
    folder = legacy_backup_dir(plan_path)
    stem = _real(plan_path).stem
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in sorted(folder.iterdir(), reverse=True):
            match = _NAME.match(entry.name)
            if match and match["stem"] == stem and entry.is_file():
                facts = read_copy_facts(entry)
                if facts.readable and facts.source_name is None and facts.source_path is None:
                    found.append(entry)
    return found


def belongs_to(backup_path: Path, plan_path: Path) -> str | None:
    """None when the copy may be restored into the plan, else which plan it is a copy of.

    A copy that records no source (made by an older version) cannot be told
    apart, so it is allowed, as before.
    """
    facts = read_copy_facts(backup_path)
    real = _real(plan_path)
    if facts.source_name is None and facts.source_path is None:
        # No record of its source: a hand-made copy of this plan shares its id; another plan's file does not.
        plan_id = _plan_id(plan_path) if plan_path.exists() else None
        if facts.plan_id and plan_id and facts.plan_id != plan_id:
            return _storable(str(_real(backup_path)))  # the file is a plan of its own
        return None
    if facts.source_path == _storable(str(real)):
        return None  # the same file
    plan_id = _plan_id(plan_path) if plan_path.exists() else None
    if facts.plan_id and plan_id:
        # Same plan renamed or moved: allowed; a same-named plan elsewhere: refused.
        return None if facts.plan_id == plan_id else facts.source_path or facts.source_name
    if facts.source_name == _storable(real.name):
        return None
    return facts.source_path or facts.source_name


def verify_copy(path: Path) -> None:
    """Raise PlanFileError unless path is a whole, readable plan."""
    connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
    try:
        result = [r[0] for r in connection.execute("PRAGMA integrity_check(5)")]
        if result != ["ok"]:
            raise PlanFileError(f"the copy failed its integrity check: {'; '.join(result)}")
        (app_id,) = connection.execute("PRAGMA application_id").fetchone()
        if app_id != APPLICATION_ID:
            raise PlanFileError("the copy is not an egov-planner plan")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] not in KNOWN_REVISIONS:
            raise PlanFileError("the copy has no known schema version")
    except sqlite3.DatabaseError as error:
        raise PlanFileError(f"the copy cannot be read: {error}") from None
    finally:
        connection.close()


def _file_digest(handle: BinaryIO) -> str:
    """sha256 of the file's bytes: about 30 ms for a 20,000-action plan, far less than the copy it saves.

    handle must have been opened BEFORE the read lock was taken and be closed only after it is released:
    closing any descriptor of a file drops all of this process's POSIX locks on it, so a file opened and
    closed under the lock would let a writer change the plan in the middle of the copy (a torn backup).
    """
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _forget_copy_keys(connection: sqlite3.Connection) -> None:
    connection.execute(f"DELETE FROM meta WHERE key IN ({', '.join('?' * len(_COPY_KEYS))})", _COPY_KEYS)


def _copy_snapshot(
    source: sqlite3.Connection, target: Path, record: dict[str, str]
) -> None:
    """Copy the source's snapshot to target through a verified temporary; record goes into the copy's meta."""
    with atomic_path(target, suffix=".tmp") as temp:
        destination = sqlite3.connect(temp)
        try:
            source.backup(destination)  # one step: a single consistent snapshot
            with destination:  # the copy only: the plan itself is never written here
                _forget_copy_keys(destination)
                for key, value in record.items():
                    destination.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.OperationalError as error:
            # Writing the copy failed (a full or limited drive): name where it was going, not the plan.
            raise PlanFileError(
                f"could not write the copy {target.name} in {target.parent}: {error}; "
                "free some space there or choose another folder. Nothing was changed"
            ) from None
        finally:
            destination.close()
        verify_copy(temp)


@contextlib.contextmanager
def _snapshot(plan_path: Path) -> Iterator[sqlite3.Connection]:
    """A read transaction on the plan: while it is open no writer can change the file's bytes."""
    source = sqlite3.connect(sqlite_uri(plan_path, "ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    source.isolation_level = None
    try:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the shared lock now
        yield source
    except sqlite3.DatabaseError as error:
        raise PlanFileError(f"could not copy {plan_path.name}: {error}") from None
    finally:
        source.close()


def _forget_copy_record(path: Path) -> None:
    """A restored plan is a plan again, not a copy: it keeps its plan_id, not the copy's record."""
    try:
        connection = sqlite3.connect(path)
        try:
            with connection:
                _forget_copy_keys(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise PlanFileError(f"the copy cannot be read: {error}") from None


def consistent_copy(plan_path: Path, target: Path, reason: str = "") -> None:
    """Copy one consistent snapshot through SQLite's backup API, verify it, then move it to target.

    Works while another program has the plan open and is writing. reason
    ("before upgrade", "while editing"…) is written into the copy, for the restore list.
    """
    with _snapshot(plan_path) as source:
        _copy_snapshot(source, target, {"backup_reason": reason} if reason else {})


@dataclass(frozen=True)
class Taken:
    path: Path
    new: bool  # False: the plan had not changed since this copy, so no new one was made


def take_backup(
    plan_path: Path,
    to: Path | None = None,
    reason: str = "",
    now: datetime | None = None,
    protect: Collection[Path] = (),
) -> Taken:
    """A consistent, verified copy of the plan, then rotation; none when nothing changed.

    Works while another program has the plan open and is writing: SQLite's
    backup API copies one consistent snapshot. When the plan's bytes are those
    its newest copy in the folder recorded, that copy is returned and nothing is
    written or pruned: opening, or work that is then refused, must not push
    the real history out of the rotation. Copies in protect are never pruned.
    to must be an existing folder (a mistyped path must say so, as for exports).
    """
    plan_path = real_path(plan_path)  # a link's backups are the real file's
    if to is not None:
        if not to.is_dir():
            reason_text = "not a folder" if to.exists() else "the folder does not exist"
            raise FileNotFoundError(errno.ENOENT, f"{reason_text}; nothing was backed up", str(to))
        folder = to
    else:
        folder = configured_backup_dir(plan_path)
        folder.mkdir(parents=True, exist_ok=True)  # below the plan's own folder (see configured_backup_dir)
    now = now or datetime.now()
    plan = _identity(plan_path)
    # Opened before the read lock and closed after it (see _file_digest): the digest is of the bytes copied.
    with open(plan_path, "rb") as handle, _snapshot(plan_path) as source:
        digest = _file_digest(handle)
        newest = max(_scan(plan, folder), key=lambda b: b.taken_at, default=None)
        if newest is not None and newest.facts.digest == digest:
            return Taken(newest.path, new=False)
        target = folder / f"{plan.name}-{now.strftime(_STAMP)}.egov"
        record = {
            "backup_of_name": _storable(plan.name),
            "backup_of_path": _storable(plan.path),
            "backup_of_digest": digest,
        }
        if reason:
            record["backup_reason"] = reason
        _copy_snapshot(source, target, record)
    prune_backups(plan_path, folder, now, protect)
    return Taken(target, new=True)


def backup_plan(
    plan_path: Path,
    to: Path | None = None,
    reason: str = "",
    now: datetime | None = None,
    protect: Collection[Path] = (),
) -> Path:
    """take_backup's copy: the new one, or the newest when the plan had not changed since."""
    return take_backup(plan_path, to, reason, now, protect).path


def save_copy(plan_path: Path, target: Path) -> Path:
    """'Save a copy as…': a consistent, verified copy of the plan at target (atomically)."""
    refuse_plan_target(target, plan_path, "copy")
    consistent_copy(plan_path, target)
    return target


def backups_to_keep(backups: list[Backup], now: datetime) -> set[Path]:
    """The rotation: the last 10, the newest of each of the last 14 days and 12 months.

    Days and months are counted among those that have a copy (as borg and
    restic do), so a plan edited once a week keeps 14 weekly copies rather
    than two. now is accepted for callers; the rotation depends only on the
    copies' own dates, so a wrong clock cannot make it delete everything.
    """
    del now
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep = {b.path for b in ordered[:KEEP_RECENT]}
    days: set[object] = set()
    months: set[object] = set()
    for backup in ordered:  # newest first, so the first seen per day/month is kept
        day = backup.taken_at.date()
        if day not in days and len(days) < KEEP_DAILY_DAYS:
            days.add(day)
            keep.add(backup.path)
        month = (backup.taken_at.year, backup.taken_at.month)
        if month not in months and len(months) < KEEP_MONTHLY:
            months.add(month)
            keep.add(backup.path)
    return keep


def prune_backups(plan_path: Path, folder: Path, now: datetime, protect: Collection[Path] = ()) -> list[Path]:
    """Delete copies the rotation no longer needs; return what was deleted."""
    backups = list_backups(plan_path, folder)
    keep = backups_to_keep(backups, now)
    protected = {p.resolve() for p in protect}
    removed = []
    for backup in backups:
        if backup.path not in keep and backup.path.resolve() not in protected:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    return removed


def newest_good_backup(plan_path: Path) -> Backup | None:
    """The newest of this plan's own backups that opens and passes its checks."""
    for backup in list_backups(plan_path):
        try:
            inspect_plan_file(backup.path)
            verify_copy(backup.path)
        except PlanFileError:
            continue
        return backup
    return None


def set_aside_damaged(plan_path: Path, label: str = "damaged") -> Path:
    """Rename a damaged plan to PLAN.damaged (never overwriting an earlier one); label names other cases."""
    target = plan_path.with_name(f"{plan_path.name}.{label}")
    number = 1
    while target.exists():
        number += 1
        target = plan_path.with_name(f"{plan_path.name}.{label}{number}")
    os.replace(plan_path, target)
    journal = plan_path.with_name(plan_path.name + "-journal")
    if journal.exists():
        os.replace(journal, target.with_name(target.name + "-journal"))
    fsync_directory(plan_path.parent)
    return target


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_saved_as: Path | None  # a backup of the file that was there, or its .damaged copy
    previous_was_damaged: bool
    previous_problem: str | None = None  # why the file that was there could not be backed up


def restore_plan(plan_path: Path, backup_path: Path) -> RestoreResult:
    """Bring a backup back as the plan.

    The current file is backed up first (or, when it cannot be opened, set
    aside as .damaged); the backup is copied in under a temporary name and
    renamed. Refused while the plan is open for editing elsewhere; when the
    current file cannot be backed up, nothing is changed.
    """
    plan_path = real_path(plan_path)  # through a link: restore the file it names, and leave the link a link
    if plan_path.exists() and backup_path.resolve() == plan_path.resolve():
        raise PlanFileError(f"{backup_path.name} is the plan itself; choose one of its backups")
    refuse_read_only(plan_path)
    if plan_path.exists():
        check_writable(plan_path)  # a hard-linked plan would be split from its other name
    else:
        refuse_companion_name(plan_path)  # a plan brought back as "x.egov-journal" would be taken for x's journal
    inspect_plan_file(backup_path)
    verify_copy(backup_path)
    other = belongs_to(backup_path, plan_path)
    if other is not None:
        if other == _storable(str(_real(backup_path))):
            raise PlanFileError(
                f"{backup_path.name} is another plan, not a copy of {plan_path.name}; open it as a plan of "
                "its own. Nothing was changed"
            )
        raise PlanFileError(
            f"{backup_path.name} is a backup of {other}, not of {plan_path.name}; nothing was changed"
        )
    lock = PlanLock.acquire(plan_path, take_over=True) if plan_path.exists() else None
    try:
        with atomic_path(plan_path, suffix=".restoring") as temp:
            # Copy the backup first: backing up the current file rotates the
            # folder, and that must not delete the copy being brought back.
            try:
                shutil.copyfile(backup_path, temp)
            except OSError as error:  # writing the plan failed (full disk, size limit): say so of the plan
                raise OSError(error.errno, error.strerror, str(temp)) from error
            _forget_copy_record(temp)
            verify_copy(temp)
            saved: Path | None = None
            problem: str | None = None
            if plan_path.exists():
                try:
                    inspect_plan_file(plan_path)
                except PlanFileError as error:
                    problem = str(error)
                if problem is None:
                    saved = backup_plan(plan_path, reason="before restore", protect=[backup_path])
                else:
                    saved = set_aside_damaged(plan_path)
        return RestoreResult(backup_path, saved, problem is not None, problem)
    finally:
        if lock is not None:
            lock.release()
