"""Long work off the UI thread (open, import, export, copies, backups, report packs).

A Task runs a plain function on Qt's thread pool and reports back through
signals, which Qt delivers on the UI thread. The window stays responsive.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class Task(QRunnable):
    """One function run on the thread pool; `work(report)` may call report(anything) to show progress."""

    def __init__(self, work: Callable[[Callable[[Any], None]], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()  # made here, on the UI thread, so its slots run there
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except BaseException as error:  # noqa: BLE001 - every failure is reported to the officer
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(error)
            return
        self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they report; counts what is still running."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._running: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def start(
        self,
        work: Callable[[Callable[[Any], None]], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> Task:
        task = Task(work)
        was_busy = self.busy
        self._running.add(task)
        if on_progress is not None:
            task.signals.progress.connect(on_progress)

        def finished(result: Any) -> None:
            self._forget(task)
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            self._forget(task)
            if on_error is not None:
                on_error(error)

        task.signals.finished.connect(finished)
        task.signals.failed.connect(failed)
        self.pool.start(task)
        if not was_busy:
            self.busy_changed.emit(True)
        return task

    def _forget(self, task: Task) -> None:
        self._running.discard(task)
        if not self._running:
            self.busy_changed.emit(False)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
