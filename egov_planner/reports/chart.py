"""Appendix D's chart: BVPI 157 actual and forecast over time, drawn as vector graphics.

Every point is rules.bvpi_at at a month end: the actual line counts only rows'
e-enabled-on dates (the same rows with their forecasts taken away), the
forecast line counts forecasts too, exactly as the `bvpi` command does.
"""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String

from egov_planner.model.dates import british, clamp_to_range
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.rules import BVPI_TARGET_DATE, bvpi_at, bvpi_milestones, effective_forecast
from egov_planner.reports.fonts import BOLD, REGULAR
from egov_planner.reports.styles import ACCENT, INK, MUTED, RULE, RULE_DARK

MAX_POINTS = 150
FORECAST_COLOUR = ACCENT
TARGET_COLOUR = RULE_DARK


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return _month_end(index // 12, index % 12 + 1)


def month_ends(first: date, last: date) -> list[date]:
    """Month ends from first's month to last's month, thinned to at most MAX_POINTS."""
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, -(-span // MAX_POINTS))
    return [_add_months(_month_end(first.year, first.month), i) for i in range(0, span, step)]


def pct_label(percent: float) -> str:
    """72% / 53.2% (the figure's one decimal place, without a trailing .0)."""
    return f"{percent:.1f}".removesuffix(".0") + "%"


def bvpi_chart(snapshot: PlanSnapshot, status_date: date, width: float, height: float) -> Drawing:
    """Actual and forecast BVPI 157 by month, the 100% target line and the 31/12/2005 target date."""
    rows = [row.facts() for row in snapshot.service_rows]
    externals = snapshot.external_facts()
    actual_rows = [dataclasses.replace(row, forecast_on=None) for row in rows]
    dates = [row.enabled_on for row in rows if row.enabled_on]
    dates += [f for f in (effective_forecast(row, externals) for row in rows) if f]
    # Clamped: a date an older version stored (31/12/9999) must not overflow the axis.
    first = clamp_to_range(min([*dates, status_date]))
    last = clamp_to_range(max([*dates, status_date, BVPI_TARGET_DATE]))
    first = date(first.year, first.month, 1)
    last = _add_months(last, 3)
    points = month_ends(first, last)

    actual = [(d, bvpi_at(actual_rows, externals, d).percent) for d in points if d < status_date]
    actual.append((status_date, bvpi_at(actual_rows, externals, status_date).percent))
    forecast = [(status_date, bvpi_at(rows, externals, status_date).percent)]
    forecast += [(d, bvpi_at(rows, externals, d).percent) for d in points if d > status_date]

    drawing = Drawing(width, height)
    # The renderer starts in the drawing's font: make it the embedded one (not Helvetica).
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = 8
    left, right, bottom, top = 42.0, width - 16.0, 34.0, height - 40.0
    span_days = max(1, (last - first).days)

    def x_of(value: date) -> float:
        return left + (right - left) * (value - first).days / span_days

    def y_of(percent: float) -> float:
        return bottom + (top - bottom) * percent / 100.0

    # Grid and y axis: 0% to 100% in steps of 20.
    for step in range(0, 101, 20):
        y = y_of(step)
        drawing.add(Line(left, y, right, y, strokeColor=RULE, strokeWidth=0.4 if step else 0.8))
        drawing.add(
            String(left - 5, y - 3, f"{step}%", fontName=REGULAR, fontSize=7.5, fillColor=MUTED, textAnchor="end")
        )
    # x axis: a tick and the year at each 1 January.
    for year in range(first.year, last.year + 1):
        jan = date(year, 1, 1)
        if first <= jan <= last:
            x = x_of(jan)
            drawing.add(Line(x, bottom, x, bottom - 4, strokeColor=RULE_DARK, strokeWidth=0.6))
            drawing.add(
                String(x, bottom - 14, str(year), fontName=REGULAR, fontSize=7.5, fillColor=MUTED, textAnchor="middle")
            )
    drawing.add(Line(left, bottom, right, bottom, strokeColor=RULE_DARK, strokeWidth=0.8))

    # The target: 100% by 31/12/2005.
    target_y = y_of(100)
    drawing.add(
        Line(left, target_y, right, target_y, strokeColor=TARGET_COLOUR, strokeWidth=1.0, strokeDashArray=[5, 3])
    )
    drawing.add(String(left + 4, target_y + 4, "Target 100%", fontName=BOLD, fontSize=7.5, fillColor=INK))
    if first <= BVPI_TARGET_DATE <= last:
        x = x_of(BVPI_TARGET_DATE)
        drawing.add(
            Line(x, bottom, x, target_y + 8, strokeColor=TARGET_COLOUR, strokeWidth=1.0, strokeDashArray=[5, 3])
        )
        drawing.add(
            String(
                x - 3,
                target_y + 12,
                f"Target date {british(BVPI_TARGET_DATE)}",
                fontName=BOLD,
                fontSize=7.5,
                fillColor=INK,
                textAnchor="end",
            )
        )
    # The status date.
    x = x_of(status_date)
    drawing.add(Line(x, bottom, x, target_y - 2, strokeColor=MUTED, strokeWidth=0.5, strokeDashArray=[1, 2]))
    drawing.add(
        String(
            x + 3, bottom + 5, f"Position as at {british(status_date)}", fontName=REGULAR, fontSize=7, fillColor=MUTED
        )
    )

    def polyline(series: list[tuple[date, float]], dashed: bool) -> None:
        if len(series) < 2:
            return
        coords: list[float] = []
        for when, percent in series:
            coords += [x_of(when), y_of(percent)]
        drawing.add(
            PolyLine(
                coords,
                strokeColor=FORECAST_COLOUR if dashed else ACCENT,
                strokeWidth=1.8 if not dashed else 1.5,
                strokeDashArray=[4, 2.5] if dashed else None,
                strokeLineJoin=1,
            )
        )

    polyline(actual, dashed=False)
    polyline(forecast, dashed=True)

    # Milestones: the position now (actual dates, as the pack's text states it), each 31 March after it
    # and the target date.
    marks = [actual[-1]]
    marks += [
        (when, bvpi_at(rows, externals, when).percent)
        for when in bvpi_milestones(rows, externals)
        if status_date < when <= BVPI_TARGET_DATE
    ]
    for when, percent in marks:
        if not first <= when <= last:
            continue
        cx, cy = x_of(when), y_of(percent)
        drawing.add(Circle(cx, cy, 2.6, fillColor=ACCENT, strokeColor=None))
        drawing.add(
            String(cx - 4, cy + 5, pct_label(percent), fontName=BOLD, fontSize=7.5, fillColor=INK, textAnchor="end")
        )

    # Legend, above the plot.
    legend_y = height - 12
    drawing.add(Line(left, legend_y + 3, left + 22, legend_y + 3, strokeColor=ACCENT, strokeWidth=1.8))
    drawing.add(
        String(
            left + 27,
            legend_y,
            "Actual: interactions e-enabled (e-enabled-on dates)",
            fontName=REGULAR,
            fontSize=7.5,
            fillColor=INK,
        )
    )
    second = left + 250
    drawing.add(
        Line(
            second,
            legend_y + 3,
            second + 22,
            legend_y + 3,
            strokeColor=FORECAST_COLOUR,
            strokeWidth=1.5,
            strokeDashArray=[4, 2.5],
        )
    )
    drawing.add(
        String(
            second + 27,
            legend_y,
            "Forecast (departments' forecast dates)",
            fontName=REGULAR,
            fontSize=7.5,
            fillColor=INK,
        )
    )
    return drawing
