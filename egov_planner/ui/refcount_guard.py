"""A guard against a reference-count bug in PySide6 6.12 on Python 3.11.

On that pairing every call of a Qt method that returns nothing (update(),
setText(), processEvents()…) gives back None without taking a reference to
it, and emitting a signal does the same to True/False. Python 3.12+ makes
None/True/False immortal, so it is harmless there; on 3.11 the count runs
down and, after some tens of thousands of calls, Python aborts with
"deallocating None". Until the project requires a fixed PySide6 or Python
3.12, we hold spare references and top them up on a timer. Costs nothing
where the bug is absent: the probe finds no leak and nothing is installed.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

LOW_WATER = 2_000_000  # top up when a count falls below this
TOP_UP = 4_000_000  # references added each time (32 MB of tuple slots)
_spare: list[tuple[object, ...]] = []
_timer: QTimer | None = None


def leaks_references() -> bool:
    """Does calling a void Qt method lose a reference to None here?"""
    if sys.version_info >= (3, 12):
        return False  # None, True and False are immortal
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 100


def _never_free(chunk: tuple[object, ...]) -> None:
    """Keep a chunk alive past interpreter shutdown: freeing it would hand back the leaked references."""
    ctypes.pythonapi.Py_IncRef.argtypes = [ctypes.py_object]
    ctypes.pythonapi.Py_IncRef(chunk)


def top_up() -> None:
    """Hold more references to None, True and False when their counts run low."""
    for value in (None, True, False):
        if sys.getrefcount(value) < LOW_WATER:
            chunk = (value,) * TOP_UP  # a tuple of None/True/False: the garbage collector stops tracking it
            _never_free(chunk)
            _spare.append(chunk)


def install(parent: QObject) -> bool:
    """Start the guard if this PySide6 needs it; returns whether it did."""
    global _timer
    if _timer is not None:
        return True
    if not leaks_references():
        return False
    top_up()
    _timer = QTimer(parent)
    _timer.setInterval(250)
    _timer.timeout.connect(top_up)
    _timer.start()
    return True
