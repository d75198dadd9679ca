"""Painted RAG badges and count cards: always the colour *and* the letter."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from egov_planner.model.rules import Rag
from egov_planner.ui.theme import BORDER, MUTED, TEXT, paint_rag_badge


class RagBadge(QWidget):
    """A RAG swatch with its letter (its accessible name says the colour in words)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rag: Rag | None = None
        self.setFixedSize(34, 22)

    def set_rag(self, rag: Rag | None) -> None:
        self.rag = rag
        self.setAccessibleName(f"RAG {rag.label}" if rag else "RAG")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.rag is None:
            return
        painter = QPainter(self)
        paint_rag_badge(painter, QRectF(1, 1, self.width() - 2, self.height() - 2), self.rag)
        painter.end()


class CountCard(QWidget):
    """A dashboard card: a big number, a caption, and a coloured letter badge; clicking it filters."""

    clicked = Signal()

    def __init__(self, caption: str, rag: Rag | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.rag = rag
        self.count_text = "0"
        self.detail = ""
        self.setMinimumSize(QSize(130, 78))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_count(self, count: int | str, detail: str = "") -> None:
        self.count_text = str(count)
        self.detail = detail
        self.setAccessibleName(f"{self.caption}: {self.count_text}" + (f", {detail}" if detail else ""))
        self.setToolTip(self.accessibleName())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        key = getattr(event, "key", lambda: None)()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor(BORDER) if not self.hasFocus() else QColor("#2E5C8A"), 1.2))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(rect, 6, 6)
        if self.rag is not None:
            painter.fillRect(
                QRectF(rect.left() + 1, rect.top() + 6, 4, rect.height() - 12), QColor(self.rag.hex_colour)
            )
            paint_rag_badge(painter, QRectF(rect.right() - 36, rect.top() + 10, 26, 18), self.rag)
        number = QFont(self.font())
        number.setPointSizeF(self.font().pointSizeF() * 2.0)
        number.setBold(True)
        painter.setFont(number)
        painter.setPen(QColor(TEXT))
        number_rect = QRectF(rect.left() + 14, rect.top() + 6, rect.width() - 56, 34)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.count_text)
        advance = QFontMetricsF(number).horizontalAdvance(self.count_text)
        small = QFont(self.font())
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        painter.setPen(QColor(MUTED))
        caption_text = self.caption
        if self.detail and len(self.detail) <= 6:  # a short figure (a share) sits beside the number
            detail_left = number_rect.left() + advance + 8
            painter.drawText(
                QRectF(detail_left, rect.top() + 8, 80, 32),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.detail,
            )
        elif self.detail:  # a longer one joins the caption
            caption_text = f"{self.caption} · {self.detail}"
        caption = metrics.elidedText(caption_text, Qt.TextElideMode.ElideRight, rect.width() - 22)
        painter.drawText(
            QRectF(rect.left() + 14, rect.top() + 42, rect.width() - 20, 24),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            caption,
        )
        painter.end()
