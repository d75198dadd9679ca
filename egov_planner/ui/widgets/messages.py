"""Labels that never change the layout: one line, cut short with "…", the whole text in the tooltip.

A message that wraps makes its row taller and moves everything under it (the table
jumps under the pointer); these keep their height whatever they are given to say.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QTextLayout
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


class ClampedLabel(QLabel):
    """Wrapped text of at most `lines` lines, the rest cut with "…"; text() and the tooltip keep the whole of it.

    Above a form a long explanation that wraps to a third line pushes the last fields out of sight.
    """

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._lines = lines
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text or ""
        self.setToolTip(self._full)
        self.setAccessibleDescription(self._full)
        self._show(self.contentsRect().width())

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def _clamped(self, width: int) -> str:
        """The text as it fits in `lines` lines of this width."""
        if width <= 0 or not self._full:
            return self._full
        layout = QTextLayout(self._full.replace("\n", "\u2028"), self.font())  # same length: offsets hold
        layout.beginLayout()
        starts: list[int] = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            starts.append(line.textStart())
        layout.endLayout()
        if len(starts) <= self._lines:
            return self._full
        start = starts[self._lines - 1]
        tail = self._full[start:].replace("\n", " ")
        return self._full[:start] + self.fontMetrics().elidedText(tail, Qt.TextElideMode.ElideRight, width)

    def _show(self, width: int) -> None:
        shown = self._clamped(width)
        if shown != super().text():
            super().setText(shown)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        margins = self.contentsMargins()
        most = self._lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()
        return min(super().heightForWidth(width), most)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._show(self.contentsRect().width())
        super().resizeEvent(event)
