"""The pack's print preview, inside the program: the built PDF's pages in Qt's print preview, to page, zoom and print.

PySide6-Essentials has no QtPdf, so pdfium (the pypdfium2 wheel, no system libraries) draws each page
to an image at print quality, and the image is painted onto the preview's (or the printer's) page.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QAction, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QToolButton, QWidget

# Sharp enough to print and to zoom in on, small enough that a 40-page pack stays well under 300 MB.
RENDER_DPI = 150
POINTS_PER_INCH = 72


def page_layout(width_pt: float, height_pt: float) -> QPageLayout:
    """The paper of one PDF page (A4 found by its size), on its side when it is wider than tall; no margins."""
    size = QPageSize(
        QSizeF(min(width_pt, height_pt), max(width_pt, height_pt)),
        QPageSize.Unit.Point,
        "",
        QPageSize.SizeMatchPolicy.FuzzyMatch,
    )
    across = QPageLayout.Orientation.Landscape if width_pt > height_pt else QPageLayout.Orientation.Portrait
    return QPageLayout(size, across, QMarginsF())


class PackPreview(QPrintPreviewDialog):
    """The pages of one built PDF (held in memory: nothing is left on disk) as a print preview."""

    def __init__(self, pdf: bytes, name: str, parent: QWidget | None = None) -> None:
        self.pdf = pdfium.PdfDocument(pdf)
        self.device = QPrinter()
        self.device.setFullPage(True)  # the PDF carries its own margins
        self.device.setDocName(name)
        if len(self.pdf):
            self.device.setPageLayout(page_layout(*self.pdf[0].get_size()))
        super().__init__(self.device, parent)
        self.setWindowTitle(f"Print preview — {name}")
        self.paintRequested.connect(self.paint)
        self.preview = self.findChild(QPrintPreviewWidget)
        self._keys()
        self.finished.connect(lambda _result: self.pdf.close())

    def _keys(self) -> None:
        """The keys of any PDF viewer on Qt's toolbar (it has none): pages, zoom, and Ctrl+P to print."""
        keys = {
            "Next page": QKeySequence.StandardKey.MoveToNextPage,
            "Previous page": QKeySequence.StandardKey.MoveToPreviousPage,
            "First page": QKeySequence.StandardKey.MoveToStartOfDocument,
            "Last page": QKeySequence.StandardKey.MoveToEndOfDocument,
            "Zoom in": QKeySequence.StandardKey.ZoomIn,
            "Zoom out": QKeySequence.StandardKey.ZoomOut,
            "Print": QKeySequence.StandardKey.Print,
        }
        buttons = {b.defaultAction(): b for b in self.findChildren(QToolButton) if b.defaultAction() is not None}
        for action in self.findChildren(QAction):
            key = keys.get(action.text())
            if key is None:
                continue
            sequence = QKeySequence(key)
            action.setToolTip(f"{action.text()} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
            if action.text().startswith("Zoom") and action in buttons:
                # Qt zooms on the toolbar button's click (it repeats), not on the action: the key clicks it.
                QShortcut(sequence, self, buttons[action].click)
                continue
            action.setShortcut(sequence)
            if action.text() == "Print":
                action.triggered.disconnect()  # ours: the printer dialog, then these pages (see print_pack)
                action.triggered.connect(lambda _checked=False: self.print_pack())

    @property
    def pages(self) -> int:
        return len(self.pdf)

    def paint(self, printer: QPrinter) -> None:
        """Each page on its own paper (portrait or landscape, as built), for the preview or the printer."""
        painter = QPainter()
        scale = RENDER_DPI / POINTS_PER_INCH
        for number in range(len(self.pdf)):
            page = self.pdf[number]
            layout = page_layout(*page.get_size())
            if number == 0:
                printer.setPageLayout(layout)
                if not painter.begin(printer):
                    return
            else:
                printer.setPageOrientation(layout.orientation())  # the whole layout cannot change mid-job
                printer.newPage()
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, as QImage's RGB888 reads it
            # A copy that owns its pixels: pdfium's buffer goes with the bitmap.
            image = QImage(
                bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
            ).copy()
            bitmap.close()
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), image)
            page.close()
        painter.end()

    def print_pack(self) -> None:
        chooser = QPrintDialog(self.device, self)
        chooser.setWindowTitle("Print the pack")
        if chooser.exec() == QDialog.DialogCode.Accepted and self.preview is not None:
            self.preview.print_()
