"""Live updates of a shared plan: other officers' changes reach an open window within a couple of seconds.

The server NOTIFYs every committed write (model/store/server.py) and a Listener hears it on a
connection of its own. A QSocketNotifier watches that connection's socket, so the UI thread reads a
notice only when one has arrived: no polling of the database, and never a wait. A burst of notices
(an import, a quick run of edits) is gathered for a moment and caught up with once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from egov_planner.model.store import PlanFileError
from egov_planner.model.store.server import Listener

GATHER_MS = 150  # notices arriving this close together are caught up with once
# After the listening connection is lost, try again after RETRY_FIRST_MS, doubling up to RETRY_MS: a server
# restarted by IT answers within seconds, and the window should be hearing changes again as soon.
RETRY_FIRST_MS = 2_000
RETRY_MS = 30_000


class LiveUpdates(QObject):
    """Tells the document, on the UI thread, when other officers have committed changes."""

    heard = Signal(list)  # the database users whose changes arrived ([] after reconnecting: catch up anyway)
    lost = Signal(str)  # the connection to the server failed: one line; trying again (RETRY_FIRST_MS up to RETRY_MS)
    _connected = Signal(object)  # from the thread trying again: a Listener, or None when the server did not answer

    def __init__(self, connect: Callable[[], Listener], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._listener: Listener | None = None
        self._notifier: QSocketNotifier | None = None
        self._users: list[str] = []
        self._gather = QTimer(self)
        self._gather.setSingleShot(True)
        self._gather.setInterval(GATHER_MS)
        self._gather.timeout.connect(self._deliver)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_FIRST_MS)
        self._retry.timeout.connect(self._reconnect)
        self._connected.connect(self._on_connected)
        self._trying = False  # a thread is trying to connect again
        self._stopped = False

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        """Listen; raises ServerError (one line) when the server cannot be reached."""
        self._attach(self._connect())

    def listen_again(self) -> None:
        """Not listening (the server did not answer at the start): try again now and then, off the UI thread."""
        self._retry.start()

    def _attach(self, listener: Listener) -> None:
        self._listener = listener
        self._retry.setInterval(RETRY_FIRST_MS)  # lost again later: start with short tries again
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)

    def _readable(self) -> None:
        if self._listener is None:
            return
        try:
            users = self._listener.changed(timeout=0)
        except PlanFileError as error:  # the server went away: say so once, then try again now and then
            self._drop()
            self.lost.emit(str(error))
            self._retry.start()
            return
        if users:
            self._users += users
            if not self._gather.isActive():
                self._gather.start()

    def _deliver(self) -> None:
        users, self._users = self._users, []
        self.heard.emit(users)

    def _reconnect(self) -> None:
        # On a thread: a server whose network has gone may take the whole connect timeout to fail, and the
        # window must stay usable meanwhile.
        if self._trying or self._stopped:
            return
        self._trying = True

        def attempt() -> None:
            try:
                listener: Listener | None = self._connect()
            except PlanFileError:
                listener = None
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self._connected.emit(listener)

        threading.Thread(target=attempt, name="listen-again", daemon=True).start()

    def _on_connected(self, listener: Listener | None) -> None:
        self._trying = False
        if self._stopped:
            if listener is not None:
                with contextlib.suppress(Exception):
                    listener.close()
            return
        if listener is None:
            self._retry.setInterval(min(RETRY_MS, self._retry.interval() * 2))
            self._retry.start()
            return
        self._attach(listener)
        self.heard.emit([])  # what changed while we were not listening is caught up with now

    def _drop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            listener, self._listener = self._listener, None
            with contextlib.suppress(Exception):  # a connection that has already failed may refuse to close
                listener.close()

    def stop(self) -> None:
        self._stopped = True
        self._gather.stop()
        self._retry.stop()
        self._drop()
