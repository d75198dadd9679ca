"""Backups: consistent copies through SQLite's backup API, verified, then rotated.

A backup is written under a temporary name, checked (integrity_check, our
application id, a known schema) and only then renamed into place; older copies
are pruned only after the new one has been verified.

Default folder: "<plan name> backups" beside the plan. A plan may name another
folder (meta key backup_dir); `egov-planner backup --to DIR` overrides both.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from egov_planner.model.safe_files import atomic_path, fsync_directory
from egov_planner.model.store import (
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    KNOWN_REVISIONS,
    PlanFileError,
    inspect_plan_file,
    real_path,
    refuse_plan_target,
    sqlite_uri,
)
from egov_planner.model.store.lock import PlanLock

KEEP_RECENT = 10
KEEP_DAILY_DAYS = 14
KEEP_MONTHLY = 12
BACKUP_EVERY = timedelta(minutes=30)
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.egov$")
# What a copy killed half way leaves: atomic_path's hidden temporary (and its journal).
_LEFT_OVER = re.compile(r"^\.(?P<name>.+-\d{8}-\d{6}-\d{6}\.egov)\.[0-9a-f]+\.tmp(-journal)?$")
LEFT_OVER_AGE_SECONDS = 3600.0


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime

    @property
    def label(self) -> str:
        return self.taken_at.strftime("%d/%m/%Y %H:%M:%S")

    @functools.cached_property
    def reason(self) -> str:
        """Why the copy was taken ("on open", "before upgrade"…), or "" when unknown."""
        with contextlib.suppress(sqlite3.Error):
            connection = sqlite3.connect(sqlite_uri(self.path, "ro"), uri=True)
            try:
                row = connection.execute("SELECT value FROM meta WHERE key = 'backup_reason'").fetchone()
            finally:
                connection.close()
            return str(row[0]) if row else ""
        return ""


def default_backup_dir(plan_path: Path) -> Path:
    return plan_path.parent / f"{plan_path.stem} backups"


def configured_backup_dir(plan_path: Path) -> Path:
    """The folder the plan names for its backups, else the default beside it."""
    with contextlib.suppress(sqlite3.Error, OSError):
        # Waits for a writer like every other read: a busy plan must not send
        # its backup to the default folder instead of the one it names.
        connection = sqlite3.connect(sqlite_uri(plan_path, "ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key='backup_dir'").fetchone()
        finally:
            connection.close()
        if row and str(row[0]).strip():
            folder = Path(str(row[0]))
            return folder if folder.is_absolute() else plan_path.parent / folder
    return default_backup_dir(plan_path)


def list_backups(plan_path: Path, folder: Path | None = None) -> list[Backup]:
    """Backups of this plan, newest first."""
    folder = folder or configured_backup_dir(plan_path)
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and match["stem"] == plan_path.stem and entry.is_file():
            found.append(Backup(entry, datetime.strptime(match["stamp"], _STAMP)))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


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


def consistent_copy(plan_path: Path, target: Path, reason: str = "") -> None:
    """Copy one consistent snapshot through SQLite's backup API, verify it, then move it to target.

    Works while another program has the plan open and is writing. reason
    ("before upgrade", "while editing"…) is written into the copy, for the restore list.
    """
    source = sqlite3.connect(sqlite_uri(plan_path, "ro"), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        with atomic_path(target, suffix=".tmp") as temp:
            destination = sqlite3.connect(temp)
            try:
                source.backup(destination)  # one step: a single consistent snapshot
                with destination:  # the copy only: the plan itself is never written here
                    destination.execute("DELETE FROM meta WHERE key = 'backup_reason'")
                    if reason:
                        destination.execute("INSERT INTO meta (key, value) VALUES ('backup_reason', ?)", (reason,))
            finally:
                destination.close()
            verify_copy(temp)
    except sqlite3.DatabaseError as error:
        raise PlanFileError(f"could not copy {plan_path.name}: {error}") from None
    finally:
        source.close()


def backup_plan(
    plan_path: Path,
    to: Path | None = None,
    reason: str = "",
    now: datetime | None = None,
    protect: Collection[Path] = (),
) -> Path:
    """Take a consistent, verified copy of the plan and rotate old copies.

    Works while another program has the plan open and is writing: SQLite's
    backup API copies one consistent snapshot. Copies in protect are never pruned.
    """
    plan_path = real_path(plan_path)  # a link's backups are the real file's
    folder = to or configured_backup_dir(plan_path)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now()
    target = folder / f"{plan_path.stem}-{now.strftime(_STAMP)}.egov"
    consistent_copy(plan_path, target, reason)
    prune_backups(plan_path, folder, now, protect)
    _remove_left_overs(plan_path, folder)
    return target


def _remove_left_overs(plan_path: Path, folder: Path) -> None:
    """Delete temporaries of copies killed half way (an hour old: never a copy still running)."""
    cutoff = time.time() - LEFT_OVER_AGE_SECONDS
    for entry in folder.iterdir():
        match = _LEFT_OVER.match(entry.name)
        if not match or not match["name"].startswith(f"{plan_path.stem}-"):
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


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
    """The newest backup that opens and passes its checks."""
    folders = {configured_backup_dir(plan_path), default_backup_dir(plan_path)}
    candidates = sorted(
        (b for folder in folders for b in list_backups(plan_path, folder)),
        key=lambda b: b.taken_at,
        reverse=True,
    )
    for backup in candidates:
        try:
            inspect_plan_file(backup.path)
            verify_copy(backup.path)
        except PlanFileError:
            continue
        return backup
    return None


def set_aside_damaged(plan_path: Path) -> Path:
    """Rename a damaged plan to PLAN.damaged (never overwriting an earlier one)."""
    target = plan_path.with_name(plan_path.name + ".damaged")
    number = 1
    while target.exists():
        number += 1
        target = plan_path.with_name(f"{plan_path.name}.damaged{number}")
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
    inspect_plan_file(backup_path)
    verify_copy(backup_path)
    lock = PlanLock.acquire(plan_path, take_over=True) if plan_path.exists() else None
    try:
        with atomic_path(plan_path, suffix=".restoring") as temp:
            # Copy the backup first: backing up the current file rotates the
            # folder, and that must not delete the copy being brought back.
            shutil.copyfile(backup_path, temp)
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
