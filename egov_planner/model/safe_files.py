"""Write every file the program makes to a temporary file, then move it into place.

A crash (or a full disk) then leaves either the old file or the new one under
the real name, never a truncated one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path

# Our temporaries: ".NAME.<8 hex>SUFFIX" (and a SQLite journal or our lock beside one); nothing else is touched.
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.(part|tmp|new|restoring)(-journal|\.lock)?$")
_TEMPORARY_OF = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{8}\.(part|tmp|new|restoring)$")


def shown_path(path: Path) -> Path:
    """The file the user named for one of our temporaries (".plan.egov.1a2b3c4d.new" -> plan.egov), else path."""
    while match := _TEMPORARY_OF.match(path.name):
        path = path.with_name(match["name"])
    return path
STALE_AFTER_SECONDS = 3600.0  # a write still running is never that old


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporaries that killed writes left in folder (an hour old, our pattern only)."""
    removed: list[Path] = []
    cutoff = time.time() - STALE_AFTER_SECONDS
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not _TEMPORARY.match(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def fsync_directory(directory: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str = ".part") -> Iterator[Path]:
    """Yield a temporary path beside target; on success fsync and rename it over target.

    On any exception the temporary file is removed and target is untouched.
    """
    target = Path(target)
    if not target.parent.is_dir():  # never invent folders: a mistyped path must say so
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist", str(target.parent))
    remove_stale_temporaries(target.parent)  # what earlier killed writes left here
    try:
        temp = _new_temp_file(target, suffix)
    except OSError as error:
        raise _about_target(error, target) from error
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        _copy_mode(target, temp)
        os.replace(temp, target)
        fsync_directory(target.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if error.filename in (None, str(temp), temp):
            raise _about_target(error, target) from error
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _about_target(error: OSError, target: Path) -> OSError:
    """The error, naming the file the user asked for, not our hidden temporary (a full disk often names none)."""
    strerror = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        strerror = f"{strerror} (the disk is full); free some space and try again"
    elif error.errno == errno.EFBIG:
        strerror = f"{strerror} (a limit on the size of files this account may write); nothing was written"
    elif error.errno == errno.ENAMETOOLONG:
        strerror = "the name is too long to save safely here; choose a shorter one (under about 200 characters)"
    return OSError(error.errno, strerror, str(target))


def _new_temp_file(target: Path, suffix: str) -> Path:
    """An empty, new file beside target, hidden by a leading dot.

    Created with mode 0o666 so the user's umask applies, as for any file they
    save (mkstemp's 0o600 would hide a restored plan or an export from
    colleagues sharing the folder).
    """
    for _attempt in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}{suffix}")
        try:
            flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return temp
    raise FileExistsError(f"no free temporary name beside {target}")  # pragma: no cover


def _copy_mode(target: Path, temp: Path) -> None:
    """A replaced file keeps its permissions (a plan shared with a team stays shared)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return  # no file there yet: the umask-based mode stands
    with contextlib.suppress(OSError):
        os.chmod(temp, mode)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write data to target atomically."""
    with atomic_path(target) as temp:
        temp.write_bytes(data)


def atomic_write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write text to target atomically."""
    atomic_write_bytes(target, text.encode(encoding))
