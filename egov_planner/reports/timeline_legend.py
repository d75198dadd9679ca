"""The printed timeline's marks (diamond, hatching, chevron) and its legend, which shows each beside its meaning."""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from egov_planner.model.dates import british
from egov_planner.model.rules import Rag
from egov_planner.reports.fonts import BOLD, REGULAR
from egov_planner.reports.styles import INK

LEGEND_LINE = 12.0
SMALL_SIZE = 7.0

STATUS_LINE = colors.HexColor("#B03A2E")
ARROW_INK = colors.HexColor("#6B7280")
SUMMARY = colors.HexColor("#3A4350")
EXPECTED = colors.HexColor("#F5B041")
WHITE = colors.white


def small_width(text: str) -> float:
    return stringWidth(text, REGULAR, SMALL_SIZE)


def fill(rag: Rag) -> colors.Color:
    return colors.HexColor(rag.hex_colour)


def darker(colour: colors.Color, by: float = 0.7) -> colors.Color:
    return colors.Color(colour.red * by, colour.green * by, colour.blue * by)


def diamond(canvas: Canvas, x: float, middle: float, delivered: bool) -> None:
    """An external dependency at (x, middle): orange while expected, dark once delivered."""
    path = canvas.beginPath()
    path.moveTo(x, middle + 4.5)
    path.lineTo(x + 4.5, middle)
    path.lineTo(x, middle - 4.5)
    path.lineTo(x - 4.5, middle)
    path.close()
    canvas.setStrokeColor(SUMMARY)
    canvas.setLineWidth(0.6)
    canvas.setFillColor(SUMMARY if delivered else EXPECTED)
    canvas.drawPath(path, stroke=1, fill=1)


def hatched(canvas: Canvas, x: float, y: float, width: float, height: float, colour: colors.Color) -> None:
    """An outlined box with diagonal lines: the forecast beyond the target (not agreed, so never solid)."""
    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, width, height, stroke=1, fill=0)
    path = canvas.beginPath()
    path.rect(x, y, width, height)
    canvas.clipPath(path, stroke=0, fill=0)
    lines = canvas.beginPath()
    step = 3.0
    offset = 0.0
    while offset < width + height:
        lines.moveTo(x + offset - height, y)
        lines.lineTo(x + offset, y + height)
        offset += step
    canvas.setLineWidth(0.5)
    canvas.drawPath(lines, stroke=1, fill=0)
    canvas.restoreState()


def summary_bar(canvas: Canvas, left: float, right: float, middle: float) -> None:
    """An objective's span: a dark bar with a downward tip at each end (the sheet and its legend alike)."""
    canvas.setFillColor(SUMMARY)
    canvas.rect(left, middle - 1, right - left, 3, stroke=0, fill=1)
    for edge in (left, right):
        tip = canvas.beginPath()
        tip.moveTo(edge - 3, middle + 2)
        tip.lineTo(edge + 3, middle + 2)
        tip.lineTo(edge, middle - 3.5)
        tip.close()
        canvas.drawPath(tip, stroke=0, fill=1)


def chevron(canvas: Canvas, x: float, middle: float, direction: int) -> None:
    """A bar running on to the sheet after (direction 1) or before (-1), its tip at x."""
    path = canvas.beginPath()
    path.moveTo(x, middle)
    path.lineTo(x - 4 * direction, middle + 4)
    path.lineTo(x - 4 * direction, middle - 4)
    path.close()
    canvas.setStrokeColor(WHITE)
    canvas.setLineWidth(0.6)
    canvas.drawPath(path, stroke=1, fill=1)


# Each legend entry: its words and its sample (a RAG, or the name of a mark drawn by _legend_mark).
LEGEND_MARKS: dict[str, float] = {
    "hatch": 16, "status": 6, "reported": 17, "done": 16, "summary": 20, "diamond": 10, "arrow": 18, "chevron": 6,
}  # fmt: skip


def legend_lines(status_date: date, width: float) -> list[list[tuple[str, str | Rag]]]:
    """What each mark means, in as many lines as the sheet's width needs (two on A4 landscape)."""
    entries: list[tuple[str, str | Rag]] = [
        *((words, rag) for rag, words in (
            (Rag.RED, "Overdue"), (Rag.AMBER, "At risk"), (Rag.GREEN, "On track"),
            (Rag.BLUE, "Complete"), (Rag.GREY, "Not rated (deferred or cancelled)"),
        )),  # fmt: skip
        ("Forecast beyond the target date", "hatch"),
        ("Work done (per cent complete)", "done"),
        (f"Status date {british(status_date)}", "status"),
        ("Target date as last reported", "reported"),
        ("Objective: first start to last finish", "summary"),
        ("External dependency (orange: expected; dark: delivered)", "diamond"),
        ("Dependency finish-to-start; SS, FF, SF and lags labelled, e.g. SS+5d", "arrow"),
        ("Continues on the next or previous sheet across", "chevron"),
    ]
    lines: list[list[tuple[str, str | Rag]]] = [[]]
    x = 0.0
    for words, mark in entries:
        wide = (11 if isinstance(mark, Rag) else LEGEND_MARKS[mark]) + 3 + small_width(words)
        if lines[-1] and x + wide > width:
            lines.append([])
            x = 0.0
        lines[-1].append((words, mark))
        x += wide + 12
    return lines


def draw_legend(canvas: Canvas, legend: list[list[tuple[str, str | Rag]]], y: float) -> None:
    """What each mark means, on every sheet: the lines of legend_lines, the first centred on y."""
    canvas.setFont(REGULAR, SMALL_SIZE)
    for items in legend:
        x = 0.0
        for words, mark in items:
            x = _legend_mark(canvas, x, y, mark) + 3
            canvas.setFillColor(INK)
            canvas.setFont(REGULAR, SMALL_SIZE)
            canvas.drawString(x, y - 2.4, words)
            x += stringWidth(words, REGULAR, SMALL_SIZE) + 12
        y -= LEGEND_LINE


def _legend_mark(canvas: Canvas, x: float, y: float, mark: str | Rag) -> float:
    """Draw a legend's sample at (x, middle y); return where it ends."""
    if isinstance(mark, Rag):
        canvas.setFillColor(fill(mark))
        canvas.rect(x, y - 4.2, 11, 8.4, stroke=0, fill=1)
        canvas.setFillColor(WHITE if mark not in (Rag.AMBER, Rag.GREY) else INK)
        canvas.setFont(BOLD, SMALL_SIZE)
        canvas.drawCentredString(x + 5.5, y - 2.4, mark.value)
        return x + 11
    if mark == "hatch":
        hatched(canvas, x, y - 3.5, 16, 7, fill(Rag.RED))
        return x + 16
    if mark == "status":
        canvas.setStrokeColor(STATUS_LINE)
        canvas.setLineWidth(1)
        canvas.setDash(3, 2)
        canvas.line(x + 3, y - 5, x + 3, y + 5)
        canvas.setDash()
        return x + 6
    if mark == "reported":
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.7)
        canvas.line(x, y, x + 16, y)
        canvas.line(x + 16, y - 1.2, x + 16, y + 2.4)
        return x + 17
    if mark == "diamond":
        diamond(canvas, x + 5, y, False)
        return x + 10
    if mark == "done":
        colour = fill(Rag.GREEN)
        canvas.setFillColor(colour)
        canvas.rect(x, y - 3.5, 16, 8, stroke=0, fill=1)
        canvas.setFillColor(darker(colour, 0.6))
        canvas.rect(x, y - 3.5, 9, 2, stroke=0, fill=1)
        return x + 16
    if mark == "summary":
        summary_bar(canvas, x + 3, x + 17, y)
        return x + 20
    if mark == "arrow":
        canvas.setStrokeColor(ARROW_INK)
        canvas.setFillColor(ARROW_INK)
        canvas.setLineWidth(0.5)
        canvas.line(x, y + 3, x + 4, y + 3)
        canvas.line(x + 4, y + 3, x + 4, y)
        canvas.line(x + 4, y, x + 14, y)
        head = canvas.beginPath()
        head.moveTo(x + 18, y)
        head.lineTo(x + 13.5, y - 2.6)
        head.lineTo(x + 13.5, y + 2.6)
        head.close()
        canvas.drawPath(head, stroke=0, fill=1)
        return x + 18
    canvas.setFillColor(INK)
    chevron(canvas, x + 5, y, 1)
    return x + 6
