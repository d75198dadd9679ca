"""Labels that never change the layout: one line, cut short with "…", the whole text in the tooltip;
and the one message that may, a refused edit's offer of the other officer's value (ConflictOffer).

A message that wraps makes its row taller and moves everything under it (the table
jumps under the pointer); these keep their height whatever they are given to say.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QTextLayout
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


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


class ConflictOffer(QFrame):
    """Under a field whose edit another officer's change got in before: the whole of what happened, wrapped
    (who, when, their value and the officer's own), and the two ways on: take theirs, or save mine over it.

    Unlike a refusal's one line this may grow the form: the officer has to choose, so it must be read whole.
    """

    use_theirs = Signal()
    save_mine = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictOffer")
        self.label = QLabel(self)
        self.label.setObjectName("conflictText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QPushButton("Use their value", self)
        self.use_button.setToolTip("Put their value in the field; nothing is saved")
        self.save_button = QPushButton("Save mine over it", self)
        self.save_button.setToolTip("Save your value in place of theirs (Ctrl+Z undoes it)")
        for button in (self.use_button, self.save_button):
            button.setAutoDefault(False)  # Enter in the form must not press them
        self.use_button.clicked.connect(self.use_theirs)
        self.save_button.clicked.connect(self.save_mine)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self.hide()

    def offer(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(f"Not saved: {text}")
        self.show()

    def text(self) -> str:
        return self.label.text()
