"""The printed timeline's sheets as pictures for the Word paper: reports/timeline.py draws them into a PDF in
memory, pypdfium2 renders each page at 150 dpi, and each becomes a PNG with the line its sheet is captioned by.

The same sheets as the PDF pack (no second chart to keep in step), cut to the Word page's landscape text area;
a picture opens alike in Word and LibreOffice, where drawn shapes would not.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageChops
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from egov_planner.reports.data import PackData
from egov_planner.reports.fonts import register_fonts
from egov_planner.reports.timeline import TimelineChart, lay_out

DPI = 150


@dataclass(frozen=True, slots=True)
class SheetPicture:
    png: bytes
    caption: str  # the sheet's own caption line: its scale, dates and rows
    width: int  # pixels
    height: int


def timeline_pictures(data: PackData, width: float, height: float) -> list[SheetPicture]:
    """Each printed sheet of data's timeline, for a text area width x height points."""
    register_fonts()
    printed = lay_out(data, (width, height))
    if not printed.timeline.rows:
        return []
    out = io.BytesIO()
    document = BaseDocTemplate(out, pagesize=(width, height), leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0)
    frame = Frame(0, 0, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate("sheet", [frame])])
    document.build([TimelineChart(printed)])
    pictures = []
    pdf = pdfium.PdfDocument(out.getvalue())
    try:
        for page in pdf:
            text = page.get_textpage().get_text_range()
            caption = " ".join(text.strip().splitlines()[0].split()) if text.strip() else "Timeline"
            caption = re.sub(r" (Rows \d)", r" · \1", caption)  # the sheet's left and right captions, apart
            image = page.render(scale=DPI / 72).to_pil().convert("RGB")
            # A band shorter than the page leaves white below it: the picture is the sheet alone.
            box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
            if box is not None:
                image = image.crop((0, 0, image.width, min(image.height, box[3] + 8)))
            png = io.BytesIO()
            image.save(png, format="PNG", optimize=True)
            pictures.append(SheetPicture(png.getvalue(), caption, image.width, image.height))
    finally:
        pdf.close()
    return pictures
