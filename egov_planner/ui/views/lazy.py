"""Views beside the plan redraw only when seen: a change marks them stale; showing them refreshes."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class LazyView(QWidget):
    """Base for the tabs beside the plan (dashboard, BVPI, register, people, report details)."""

    _stale = False

    def refresh(self) -> None:
        raise NotImplementedError

    def mark_stale(self) -> None:
        """Refresh now if on screen, else when next shown (a 20,000-action plan stays quick)."""
        if self.isVisible():
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)
