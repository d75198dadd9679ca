"""One writer at a time: a lock file beside the plan saying who has it.

SQLite's own locks protect each transaction, but not an officer's session of
work, and they are unreliable on network drives. So a plan that is open for
editing has `PLAN.lock` beside it: user, machine, process and a heartbeat the
holder refreshes. A second opener reads it and is told who has the plan; a
lock whose process is gone (same machine) or whose heartbeat stopped (any
machine) is stale and may be taken over.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from egov_planner.model.safe_files import atomic_write_text

HEARTBEAT_SECONDS = 20.0
STALE_AFTER_SECONDS = 120.0
# An unreadable lock file is stale this long after it was last written: time
# enough for a program on a slow network drive to write what it created.
UNREADABLE_STALE_AFTER_SECONDS = 15.0


def lock_path_for(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.name + ".lock")


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some locked-down machines
        return "unknown user"


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class LockInfo:
    """Who holds a plan open for editing."""

    user: str
    host: str
    pid: int
    since: float
    heartbeat: float
    token: str

    @property
    def since_text(self) -> str:
        return datetime.fromtimestamp(self.since).strftime("%d/%m/%Y %H:%M")

    def describe(self) -> str:
        """'jill on CITY-PC42 since 12/01/2004 09:15'."""
        return f"{self.user} on {self.host} since {self.since_text}"

    def is_stale(self, now: float | None = None) -> bool:
        """The holder crashed: its process is gone, or its heartbeat stopped."""
        now = time.time() if now is None else now
        if not self.token:  # an unreadable lock file (see read_lock)
            return now - self.heartbeat > UNREADABLE_STALE_AFTER_SECONDS
        if self.host == socket.gethostname() and not _process_alive(self.pid):
            return True
        return now - self.heartbeat > STALE_AFTER_SECONDS

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def mine(cls) -> LockInfo:
        now = time.time()
        return cls(
            user=_current_user(),
            host=socket.gethostname(),
            pid=os.getpid(),
            since=now,
            heartbeat=now,
            token=os.urandom(8).hex(),
        )


def read_lock(path: Path) -> LockInfo | None:
    """The lock at path, or None. An unreadable lock file is stale once a few seconds old."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            user=str(raw["user"]),
            host=str(raw["host"]),
            pid=int(raw["pid"]),
            since=float(raw["since"]),
            heartbeat=float(raw["heartbeat"]),
            token=str(raw["token"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # Damaged, or half-written where the lock could not be created whole
        # (see _create_lock_file): the file's own age stands in for a heartbeat.
        try:
            written = path.stat().st_mtime
        except OSError:
            written = 0.0
        return LockInfo("unknown user", "unknown machine", -1, written, written, "")


class PlanInUse(Exception):
    """The plan is open for editing elsewhere."""

    def __init__(self, plan_path: Path, holder: LockInfo) -> None:
        self.plan_path = plan_path
        self.holder = holder
        stale = " (it looks abandoned: that program seems to have stopped)" if holder.is_stale() else ""
        super().__init__(f"{plan_path.name} is in use by {holder.describe()}{stale}")


def _create_lock_file(path: Path, info: LockInfo) -> bool:
    """Create the lock file holding info; False when one exists already.

    The lock is written to a temporary file and hard-linked into place, so it
    never exists empty: a program killed while taking it leaves no lock that
    others must wait out. Where hard links are not available (some network
    drives) the file is created exclusively and then written.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    try:
        with open(temp, "x", encoding="utf-8") as handle:
            handle.write(info.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links here: fall back below
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(info.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    return True


class PlanLock:
    """The lock this process holds on one plan, refreshed by a heartbeat thread."""

    def __init__(self, plan_path: Path, info: LockInfo) -> None:
        self.plan_path = plan_path.resolve()
        self.path = lock_path_for(plan_path)
        self.info = info
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def acquire(cls, plan_path: Path, take_over: bool = False) -> PlanLock:
        """Take the lock, or raise PlanInUse naming the holder.

        take_over: replace a stale lock (a crashed program's). A live lock is
        never taken over.
        """
        # The lock belongs to the file, not the name it was reached by (a link to it, or to its folder).
        plan_path = plan_path.resolve()
        path = lock_path_for(plan_path)
        info = LockInfo.mine()
        for _attempt in range(3):
            if not _create_lock_file(path, info):
                holder = read_lock(path)
                if holder is None:
                    continue  # released meanwhile: try again
                if holder.token and holder.host == info.host and holder.pid == info.pid:
                    raise PlanInUse(plan_path, holder) from None
                if not (take_over and holder.is_stale()):
                    raise PlanInUse(plan_path, holder) from None
                atomic_write_text(path, info.to_json())
                time.sleep(0.05)  # a rival taking over at the same moment: last writer wins
                current = read_lock(path)
                if current is None or current.token != info.token:
                    raise PlanInUse(plan_path, current or holder) from None
                break
            else:
                break
        else:  # pragma: no cover - the file kept appearing and vanishing
            raise PlanInUse(plan_path, read_lock(path) or info)
        lock = cls(plan_path, info)
        lock._start_heartbeat()
        return lock

    def still_ours(self) -> bool:
        current = read_lock(self.path)
        return current is not None and current.token == self.info.token

    def _start_heartbeat(self) -> None:
        self._thread = threading.Thread(target=self._beat, name=f"lock-heartbeat:{self.plan_path.name}", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            if not self.still_ours():
                return  # taken over by someone who judged us crashed; writes will be refused
            self.info = LockInfo(**{**self.info.__dict__, "heartbeat": time.time()})
            with contextlib.suppress(OSError):
                atomic_write_text(self.path, self.info.to_json())

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self.still_ours():
            with contextlib.suppress(OSError):
                self.path.unlink()
