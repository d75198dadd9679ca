"""Labels that never change the layout: one line, cut short with "…", the whole text in the tooltip.

A message that wraps makes its row taller and moves everything under it (the table
jumps under the pointer); these keep their height whatever they are given to say.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """One line of plain text, cut at the right with "…" when short of room; the full text is the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None, minimum_width: int = 60) -> None:
        super().__init__(parent)
        self._full = ""
        self._minimum_width = minimum_width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text or ""
        super().setText(self._full)
        self.setToolTip(self._full if self._full else "")
        self.updateGeometry()

    def full_text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """What is on screen (the text, or its start and "…")."""
        return self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, max(0, self.contentsRect().width())
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._minimum_width, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._minimum_width), hint.height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), self.shown_text())
