"""A window whose server went away listens again within seconds of the server answering (not half a minute)."""

from __future__ import annotations

import socket
import time

from egov_planner.model.store import PlanFileError
from egov_planner.ui.live import LiveUpdates


class FakeListener:
    """A listening connection: readable when the pair's other end writes; gone when `gone` is set."""

    def __init__(self, server: dict[str, bool]) -> None:
        self.server = server
        self.ours, self.theirs = socket.socketpair()

    def fileno(self) -> int:
        return self.ours.fileno()

    def changed(self, timeout: float = 0) -> list[str]:
        self.ours.recv(10)
        if not self.server["up"]:
            raise PlanFileError("improvement_plan: the connection to the server was lost")
        return ["jsmith"]

    def close(self) -> None:
        self.ours.close()
        self.theirs.close()


def test_a_lost_listener_reconnects_within_a_few_seconds_of_the_server_answering(qtbot) -> None:  # type: ignore[no-untyped-def]
    server = {"up": True}
    made: list[FakeListener] = []

    def connect() -> FakeListener:
        if not server["up"]:
            raise PlanFileError("improvement_plan: the server at dbserver cannot be reached")
        made.append(FakeListener(server))
        return made[-1]

    live = LiveUpdates(connect)  # type: ignore[arg-type]
    lost: list[str] = []
    heard: list[list[str]] = []
    live.lost.connect(lost.append)
    live.heard.connect(heard.append)
    live.start()
    server["up"] = False
    made[0].theirs.send(b"x")  # the server's goodbye: the connection reads as failed
    qtbot.waitUntil(lambda: bool(lost), timeout=10_000)
    assert not live.listening
    qtbot.wait(2500)  # the server is down for a while: tries fail quietly
    server["up"] = True
    back = time.monotonic()
    qtbot.waitUntil(lambda: live.listening and heard == [[]], timeout=10_000)
    assert time.monotonic() - back < 5.0  # listening again (and catching up) within seconds
    assert len(lost) == 1  # said once, not at every try
    live.stop()


def test_trying_the_server_again_never_holds_the_window_up(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A server whose network has gone takes the whole connect timeout to fail: the window keeps working."""
    from PySide6.QtCore import QTimer

    server = {"up": True}
    made: list[FakeListener] = []

    def connect() -> FakeListener:
        if not server["up"]:
            time.sleep(3)  # no answer until the connect timeout
            raise PlanFileError("improvement_plan: the server at dbserver cannot be reached")
        made.append(FakeListener(server))
        return made[-1]

    live = LiveUpdates(connect)  # type: ignore[arg-type]
    lost: list[str] = []
    live.lost.connect(lost.append)
    live.start()
    server["up"] = False
    made[0].theirs.send(b"x")
    qtbot.waitUntil(lambda: bool(lost), timeout=10_000)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    qtbot.wait(6000)  # a first try after 2 s, failing 3 s later
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 1.0, f"the window was held up {max(gaps):.1f} s while the server was tried again"
    live.stop()
