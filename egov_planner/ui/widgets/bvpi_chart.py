"""BVPI 157 over time, drawn with QPainter (no QtCharts): actual, forecast, the 100% target line.

The figures come from rules.bvpi_at: "actual" counts only rows with an
e-enabled-on date; "forecast" counts actual or forecast dates as the rules do.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from egov_planner.model.dates import british, clamp_to_range
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.rules import BVPI_TARGET_DATE, ExternalFacts, ServiceRowFacts, bvpi_at, bvpi_milestones
from egov_planner.ui.theme import ACCENT, BORDER, MUTED, TEXT

ACTUAL_COLOUR = QColor(ACCENT)
FORECAST_COLOUR = QColor("#7A9CC6")
TARGET_COLOUR = QColor("#C0392B")


def _month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from first to last."""
    days: list[date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = date(year + (month // 12), month % 12 + 1, 1)
        days.append(date.fromordinal(following.toordinal() - 1))
        year, month = following.year, following.month
    return days


@dataclasses.dataclass(slots=True)
class BvpiSeries:
    """What the chart draws: percentages by month, milestones, the status date."""

    months: list[date] = dataclasses.field(default_factory=list)
    actual: list[float] = dataclasses.field(default_factory=list)
    forecast: list[float] = dataclasses.field(default_factory=list)
    milestones: list[tuple[date, float]] = dataclasses.field(default_factory=list)
    as_of: date | None = None
    permissible: int = 0


def bvpi_series(rows: list[ServiceRowFacts], externals: dict[int, ExternalFacts], as_of: date) -> BvpiSeries:
    """Monthly BVPI 157 from the first date in the rows to the last milestone."""
    if not rows:
        return BvpiSeries(as_of=as_of)
    milestones = bvpi_milestones(rows, externals)
    dates = [r.enabled_on for r in rows if r.enabled_on] + [r.forecast_on for r in rows if r.forecast_on]
    # Clamped: a date an older version stored (31/12/9999) must not mean 96,000 months, or overflow.
    first = clamp_to_range(min(dates + [as_of]) if dates else as_of)
    last = clamp_to_range(max(milestones + [as_of]))
    months = _month_ends(first, last)
    actual_only = [dataclasses.replace(r, forecast_on=None, external_id=None) for r in rows]
    series = BvpiSeries(as_of=as_of)
    series.months = months
    series.actual = [bvpi_at(actual_only, externals, when).percent for when in months]
    series.forecast = [bvpi_at(rows, externals, when).percent for when in months]
    series.milestones = [(when, bvpi_at(rows, externals, when).percent) for when in milestones]
    series.permissible = bvpi_at(rows, externals, as_of).permissible
    return series


def snapshot_series(snapshot: PlanSnapshot, as_of: date) -> BvpiSeries:
    return bvpi_series([r.facts() for r in snapshot.service_rows], snapshot.external_facts(), as_of)


class BvpiChart(QWidget):
    """A line chart of BVPI 157 with the 100% target; compact=True for the dashboard."""

    def __init__(self, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = BvpiSeries()
        self.compact = compact
        self.setMinimumSize(QSize(320, 200 if compact else 260))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("BVPI 157 chart")

    def set_series(self, series: BvpiSeries) -> None:
        self.series = series
        points = ", ".join(f"{british(when)} {value:.1f}%" for when, value in series.milestones)
        self.setAccessibleDescription(f"BVPI 157 forecast at milestones: {points}")
        self.setToolTip(
            f"BVPI 157: interaction types e-enabled as a % of those legally permissible.\n"
            f"Forecast at milestones (actual, else forecast dates): {points}"
            if points
            else "No service rows yet"
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, 240 if self.compact else 320)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        series = self.series
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, self.font().pointSizeF() - 1))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        if not series.months:
            painter.setPen(QColor(MUTED))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No BVPI 157 service rows yet")
            painter.end()
            return
        left = metrics.horizontalAdvance("100%") + 14
        top = 34
        bottom = metrics.height() + 14
        plot = QRectF(left, top, self.width() - left - 16, self.height() - top - bottom)
        first, last = series.months[0], series.months[-1]
        span = max(1, (last - first).days)

        def x_of(when: date) -> float:
            return plot.left() + plot.width() * (when - first).days / span

        def y_of(percent: float) -> float:
            return plot.bottom() - plot.height() * percent / 100.0

        # grid and axes
        painter.setPen(QPen(QColor("#E6E9EE"), 1))
        for percent in range(0, 101, 20):
            y = y_of(percent)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(MUTED))
        for percent in range(0, 101, 20):
            y = y_of(percent)
            painter.drawText(
                QRectF(0, y - 8, left - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{percent}%",
            )
        painter.setPen(QPen(QColor(BORDER), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        # x labels: each 31 March (financial year ends), thinned to fit
        year_ends = [m for m in series.months if m.month == 3]
        step = max(1, int(len(year_ends) * 70 / max(plot.width(), 1)) + 1)
        painter.setPen(QColor(MUTED))
        for when in year_ends[::step]:
            x = x_of(when)
            painter.setPen(QPen(QColor("#EEF0F3"), 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(QColor(MUTED))
            label_left = min(max(x - 40, 0.0), self.width() - 82.0)  # keep the end labels inside the widget
            painter.drawText(
                QRectF(label_left, plot.bottom() + 4, 80, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter,
                when.strftime("Mar %Y"),
            )

        # target: 100% by 31/12/2005
        target_pen = QPen(TARGET_COLOUR, 1.4, Qt.PenStyle.DashLine)
        painter.setPen(target_pen)
        painter.drawLine(QPointF(plot.left(), y_of(100)), QPointF(plot.right(), y_of(100)))
        if first <= BVPI_TARGET_DATE <= last:
            x = x_of(BVPI_TARGET_DATE)
            painter.setPen(QPen(TARGET_COLOUR, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(TARGET_COLOUR)
        painter.drawText(
            QRectF(plot.left() + 6, y_of(100) + 3, plot.width() * 0.5, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            f"Target 100% by {british(BVPI_TARGET_DATE)}",
        )

        # status date
        if series.as_of is not None and first <= series.as_of <= last:
            x = x_of(series.as_of)
            painter.setPen(QPen(QColor("#9AA3AE"), 1, Qt.PenStyle.DashDotLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(QColor(MUTED))
            painter.drawText(
                QRectF(x + 3, plot.bottom() - metrics.height() - 2, 140, metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                f"as at {british(series.as_of)}",
            )

        # forecast (dashed) then actual (solid, up to the status date)
        def path_of(values: list[float], until: date | None) -> QPainterPath:
            path = QPainterPath()
            started = False
            for when, value in zip(series.months, values, strict=True):
                if until is not None and when > until:
                    break
                point = QPointF(x_of(when), y_of(value))
                if started:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    started = True
            return path

        painter.setPen(QPen(FORECAST_COLOUR, 2.0, Qt.PenStyle.DashLine))
        painter.drawPath(path_of(series.forecast, None))
        painter.setPen(QPen(ACTUAL_COLOUR, 2.6))
        painter.drawPath(path_of(series.actual, series.as_of))

        # milestones: dots with their percentage
        painter.setPen(QPen(QColor("#FFFFFF"), 1.2))
        label_font = QFont(small)
        label_font.setBold(True)
        last_label_x = -1000.0
        for when, value in series.milestones:
            point = QPointF(x_of(when), y_of(value))
            painter.setBrush(TARGET_COLOUR if when == BVPI_TARGET_DATE else ACTUAL_COLOUR)
            painter.setPen(QPen(QColor("#FFFFFF"), 1.2))
            painter.drawEllipse(point, 4.5, 4.5)
            if point.x() - last_label_x > 44:  # never print two labels on top of each other
                last_label_x = point.x()
                painter.setFont(label_font)
                painter.setPen(QColor(TEXT))
                text = f"{value:.1f}%".replace(".0%", "%")
                painter.drawText(
                    QRectF(point.x() - 30, point.y() + 6, 60, metrics.height()), Qt.AlignmentFlag.AlignHCenter, text
                )
                painter.setFont(small)
        painter.setBrush(Qt.BrushStyle.NoBrush)

        # legend
        legend_x = plot.left()
        legend_y = 4.0
        for label, pen in (
            ("Actual (confirmed)", QPen(ACTUAL_COLOUR, 2.6)),
            ("Forecast (actual, else forecast dates)", QPen(FORECAST_COLOUR, 2.0, Qt.PenStyle.DashLine)),
            ("Target", target_pen),
        ):
            painter.setPen(pen)
            painter.drawLine(QPointF(legend_x, legend_y + 8), QPointF(legend_x + 22, legend_y + 8))
            painter.setPen(QColor(TEXT))
            painter.drawText(
                QRectF(legend_x + 26, legend_y, metrics.horizontalAdvance(label) + 6, 16),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            legend_x += 26 + metrics.horizontalAdvance(label) + 18
        painter.end()
