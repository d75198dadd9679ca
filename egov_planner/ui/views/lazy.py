"""Views beside the plan redraw only when seen: a change marks them stale; showing them refreshes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


class LazyView(QWidget):
    """Base for the tabs beside the plan (dashboard, BVPI, register, people, report details)."""

    status_message = Signal(str)
    _stale = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: PlanDocument | None = None

    def set_document(self, document: PlanDocument | None) -> None:
        """Show this plan (or none): redrawn now if on screen, else when next shown."""
        self.document = document
        self.mark_stale()

    def refresh(self) -> None:
        raise NotImplementedError

    def fill_with_splitter(self, orientation: Qt.Orientation, panes: Iterable[QWidget], sizes: list[int]) -> None:
        """The tab's panes side by side (or one above the other) in a splitter filling it within its margins."""
        splitter = QSplitter(orientation)
        for pane in panes:
            splitter.addWidget(pane)
        splitter.setSizes(sizes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(splitter)

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
