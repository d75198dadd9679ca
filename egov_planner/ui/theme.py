"""Look and feel: one calm palette, one style sheet, RAG swatches (colour *and* letter).

Colours come from rules.Rag.hex_colour so the window, the CLI and the PDF agree.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyleFactory

from egov_planner.model.rules import Rag

ACCENT = "#2E5C8A"
ACCENT_LIGHT = "#DCE7F3"
WINDOW = "#F3F4F6"
BASE = "#FFFFFF"
ALTERNATE = "#F7F9FB"
TEXT = "#1F2933"
MUTED = "#5F6B7A"
BORDER = "#C9CED6"
ERROR = "#C0392B"
ERROR_BACKGROUND = "#FDECEA"
READ_ONLY_BACKGROUND = "#FFF4D6"

STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QToolBar {{ background: {WINDOW}; border: none; border-bottom: 1px solid {BORDER}; spacing: 6px; padding: 3px 6px; }}
QToolBar QLabel {{ color: {MUTED}; }}
QStatusBar {{ background: {WINDOW}; border-top: 1px solid {BORDER}; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; background: {BASE}; top: -1px; }}
QTabBar::tab {{ padding: 6px 14px; border: 1px solid transparent; color: {MUTED}; }}
QTabBar::tab:selected {{ background: {BASE}; border: 1px solid {BORDER}; border-bottom-color: {BASE}; color: {TEXT}; }}
QTabBar::tab:hover:!selected {{ color: {TEXT}; }}
QHeaderView::section {{ background: #EEF1F5; color: {TEXT}; border: none;
    border-right: 1px solid #DDE1E7; border-bottom: 1px solid {BORDER}; padding: 4px 6px; font-weight: 600; }}
QTableView, QTreeView, QListView {{ border: 1px solid {BORDER}; gridline-color: #E6E9EE;
    selection-background-color: {ACCENT_LIGHT}; selection-color: {TEXT}; }}
QLineEdit, QPlainTextEdit {{ border: 1px solid {BORDER}; border-radius: 3px; padding: 3px 5px; background: {BASE}; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit:disabled, QPlainTextEdit:disabled, QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] {{
    background: #F1F2F4; color: {MUTED}; }}
QSpinBox[readOnly="true"] {{ background: #F1F2F4; color: {MUTED}; border: 1px solid {BORDER}; border-radius: 3px; }}
*[fieldError="true"] {{ border: 1px solid {ERROR}; background: {ERROR_BACKGROUND}; }}
QLabel#fieldMessage {{ color: {ERROR}; font-size: 9pt; }}
QFrame#conflictOffer {{ background: {ERROR_BACKGROUND}; border: 1px solid {ERROR}; border-radius: 3px; }}
QLabel#conflictText {{ color: {TEXT}; }}
QLabel#sectionTitle {{ font-size: 11pt; font-weight: 600; color: {TEXT}; padding-top: 6px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#panelTitle {{ font-size: 12pt; font-weight: 600; color: {TEXT}; }}
QLabel#readOnlyBanner {{ background: {READ_ONLY_BACKGROUND}; border: 1px solid #E8C872; border-radius: 3px;
    padding: 4px 8px; color: #6B4E00; }}
QFrame#card {{ background: {BASE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QGroupBox {{ font-weight: 600; border: 1px solid {BORDER}; border-radius: 4px; margin-top: 12px; padding-top: 8px;
    background: {BASE}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: {TEXT}; }}
QPushButton {{ padding: 4px 12px; }}
QToolButton#calendarButton {{ border: 1px solid {BORDER}; border-radius: 3px; background: {BASE}; padding: 2px; }}
QScrollArea {{ border: none; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion with a light, calm palette: readable all day, the same on every platform."""
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Base, QColor(BASE))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(ALTERNATE))
    palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Button, QColor("#E9ECF0"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFF0"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8A94A3"))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9AA3AE"))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)


def rag_colour(rag: Rag) -> QColor:
    return QColor(rag.hex_colour)


def paint_rag_badge(painter: QPainter, rect: QRectF, rag: Rag, text: str | None = None) -> None:
    """A rounded swatch in the RAG colour with its letter in white: colour *and* letter."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(rag_colour(rag))
    radius = min(rect.height(), rect.width()) / 2.5
    painter.drawRoundedRect(rect, radius, radius)
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QPen(QColor("#FFFFFF")))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text if text is not None else rag.value)
    painter.restore()


@lru_cache(maxsize=64)
def rag_badge_pixmap(rag: Rag, width: int, height: int, ratio: float, font_key: str) -> QPixmap:
    """The badge drawn once per colour, size, screen scale and font: a table paints copies of it.

    Drawing the rounded swatch and its letter costs about a third of a millisecond a cell;
    a copy of a pixmap, a few microseconds. font_key is QFont.key() of the painter's font.
    """
    pixmap = QPixmap(QSize(max(1, round(width * ratio)), max(1, round(height * ratio))))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    font = QFont()
    font.fromString(font_key)
    painter.setFont(font)
    paint_rag_badge(painter, QRectF(0, 0, width, height), rag)
    painter.end()
    return pixmap


@lru_cache(maxsize=16)
def rag_icon(rag: Rag, size: int = 18) -> QIcon:
    """A small RAG badge for tree rows and lists."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_rag_badge(painter, QRectF(1, 1, size - 2, size - 2), rag)
    painter.end()
    return QIcon(pixmap)


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """A simple drawn icon (a plan sheet with a tick) so no image files are needed."""
    icon = QIcon()
    for size in (16, 32, 48, 64, 128):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ACCENT))
        painter.drawRoundedRect(QRectF(0, 0, size, size), size / 6, size / 6)
        painter.setBrush(QColor("#FFFFFF"))
        inset = size * 0.22
        painter.drawRoundedRect(QRectF(inset, inset * 0.8, size - 2 * inset, size - 1.6 * inset), size / 20, size / 20)
        pen = QPen(QColor(Rag.GREEN.hex_colour), max(1.5, size / 12))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(int(size * 0.34), int(size * 0.52), int(size * 0.46), int(size * 0.64))
        painter.drawLine(int(size * 0.46), int(size * 0.64), int(size * 0.68), int(size * 0.38))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
