"""Python's cyclic garbage collector, kept out of an edit's refresh and let run once the window is idle.

Re-judging and redrawing a 20,000-action plan makes tens of thousands of short-lived
objects (the new assessment, re-read records): with the collector on, that triggers
over a hundred young-generation passes and, most edits, a full pass over the plan —
about a tenth of a second, paid while the officer waits for the screen to answer.
Paused, the same garbage is still freed at once by reference counting; the cycles
(SQLAlchemy's query constructs make a few thousand an edit) are collected in one pass
a moment later, when the window is idle. pyqtgraph's GarbageCollector does the same.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QTimer

RESUME_AFTER_MS = 300  # after the screen has been redrawn; keystrokes are not waiting on it
LONGEST_PAUSE_S = 5.0  # edit after edit without a break: collect anyway once this long has passed


class _Collector:
    def __init__(self) -> None:
        self.depth = 0
        self.paused = False  # we turned it off (and owe turning it back on)
        self.paused_at = 0.0
        self._timer: QTimer | None = None

    @contextmanager
    def paused_during(self) -> Iterator[None]:
        """No collection inside; afterwards, collection resumes once events have been idle briefly."""
        if self.depth == 0 and not self.paused and gc.isenabled():
            gc.disable()
            self.paused = True
            self.paused_at = time.monotonic()
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if self.depth == 0 and self.paused:
                self._resume_later()

    def _resume_later(self) -> None:
        if QCoreApplication.instance() is None or time.monotonic() - self.paused_at > LONGEST_PAUSE_S:
            self.resume()
            return
        if self._timer is None:
            self._timer = QTimer()
            self._timer.setSingleShot(True)
            self._timer.setInterval(RESUME_AFTER_MS)
            self._timer.timeout.connect(self.resume)
        self._timer.start()  # another edit meanwhile restarts the wait

    def resume(self) -> None:
        """Collection on again now (also when a plan is closed)."""
        if self.depth == 0 and self.paused:
            self.paused = False
            gc.enable()


collector = _Collector()
