"""The timeline canvas's state, geometry and painting: the label column, the scale and the chart.

Each paint draws only the rows on screen and the arrows that cross them; the label column
and the scale stay put while the chart scrolls under them. Mouse and keys are in timeline_edit.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from egov_planner.model.dates import british
from egov_planner.model.rules import Rag
from egov_planner.model.timeline import Axis, Bar, Hit, Part, Row, RowKind, Scale, Timeline, hit_test, scale_for, ticks
from egov_planner.model.timeline_arrows import Arrow, End
from egov_planner.model.timeline_labels import label_obstacles, place_lag_label
from egov_planner.ui.theme import ACCENT, ACCENT_LIGHT, BORDER, ERROR, ERROR_BACKGROUND, MUTED, TEXT

ROW_HEIGHT = 24
HEADER_HEIGHT = 44
LABEL_WIDTH = 300
MARGIN_DAYS = 45  # room before the first bar and after the last
STATUS_LINE = QColor("#B03A2E")
ARROW = QColor("#6B7280")
GRID_MINOR = QColor("#EEF0F3")
GRID_MAJOR = QColor("#D5D9E0")
HEADER_BACK = QColor("#EEF1F5")
SUMMARY = QColor("#3A4350")
REPORTED = QColor("#1F2933")
WEEK = 7
ELBOW = 6  # pixels an arrow runs out of its bar's end before it turns up or down
# Where an arrow turns, from the end it leaves: beyond a finish, before a start, or straight down from a diamond.
_TURN = {"FS": ELBOW, "FF": ELBOW, "SS": -ELBOW, "SF": -ELBOW, "EXT": 0}
_LEAVING = {End.FINISH: ELBOW, End.START: -ELBOW, None: 0}


@dataclass(slots=True)
class Drag:
    """A press on a bar being dragged: what was taken hold of, and where it is now."""

    hit: Hit
    press_x: float
    x: float
    y: float
    moved: bool = False
    linking: bool = False  # the pointer left the bar's row: dropping on a bar links them


class TimelineCanvasBase(QAbstractScrollArea):
    """Paints the label column, the scale and the chart (timeline_edit.TimelineCanvas adds the editing)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.day_width = Scale.MONTHS.day_width
        self.axis = Axis(date.today(), self.day_width)
        self.current_row = -1
        self.drag: Drag | None = None
        self.link_from: int | None = None  # keyboard linking: the predecessor's action id
        self.link_row = -1
        self.notice: tuple[int, float, str] | None = None  # (row, x, text): a refusal shown at its bar
        self.notice_timer = QTimer(self)
        self.notice_timer.setSingleShot(True)
        self.notice_timer.setInterval(9000)
        self.notice_timer.timeout.connect(self.clear_notice)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Timeline")
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.horizontalScrollBar().setSingleStep(40)
        self.verticalScrollBar().setSingleStep(ROW_HEIGHT)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.font_bold = QFont(self.font())
        self.font_bold.setBold(True)
        self.font_small = QFont(self.font())
        self.font_small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        self.font_letter = QFont(self.font_small)
        self.font_letter.setBold(True)

    # --- geometry -----------------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline) -> None:
        """Show a new layout, keeping the scroll position and the zoom."""
        keep = self._left_date() if self.timeline is not None else None
        self.timeline = timeline
        self.axis = Axis(timeline.first - timedelta(days=MARGIN_DAYS), self.day_width)
        self._update_ranges()
        if keep is not None:
            self._scroll_to_date(keep, 0)
        self.viewport().update()

    def chart_width(self) -> float:
        return max(1.0, self.viewport().width() - LABEL_WIDTH)

    def chart_height(self) -> float:
        return max(1.0, self.viewport().height() - HEADER_HEIGHT)

    def _update_ranges(self) -> None:
        timeline = self.timeline
        if timeline is None:
            return
        total = self.axis.end_x(timeline.last + timedelta(days=MARGIN_DAYS))
        horizontal = self.horizontalScrollBar()
        horizontal.setRange(0, max(0, int(total - self.chart_width())))
        horizontal.setPageStep(int(self.chart_width()))
        vertical = self.verticalScrollBar()
        vertical.setRange(0, max(0, len(timeline.rows) * ROW_HEIGHT - int(self.chart_height())))
        vertical.setPageStep(int(self.chart_height()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_ranges()

    def x_of(self, value: date) -> float:
        """The x on the viewport of a date's left edge."""
        return LABEL_WIDTH + self.axis.x(value) - self.horizontalScrollBar().value()

    def chart_x(self, viewport_x: float) -> float:
        return viewport_x - LABEL_WIDTH + self.horizontalScrollBar().value()

    def row_at(self, y: float) -> int:
        if y < HEADER_HEIGHT:
            return -1
        return int((y - HEADER_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT)

    def row_top(self, row: int) -> float:
        return HEADER_HEIGHT + row * ROW_HEIGHT - self.verticalScrollBar().value()

    def visible_rows(self) -> tuple[int, int]:
        first = self.verticalScrollBar().value() // ROW_HEIGHT
        last = first + int(self.chart_height()) // ROW_HEIGHT + 1
        count = len(self.timeline.rows) if self.timeline else 0
        return first, min(last, count - 1)

    def _left_date(self) -> date:
        return self.axis.date_at(self.horizontalScrollBar().value())

    def _scroll_to_date(self, value: date, at: float) -> None:
        """Scroll so value's left edge sits `at` pixels into the chart."""
        self.horizontalScrollBar().setValue(int(self.axis.x(value) - at))

    def set_day_width(self, day_width: float, anchor: float | None = None) -> None:
        """Zoom, keeping the date under anchor (chart pixels from the chart's left; the middle when None) still."""
        at = self.chart_width() / 2 if anchor is None else anchor
        pinned = self.axis.origin.toordinal() + (self.horizontalScrollBar().value() + at) / self.axis.day_width
        self.day_width = day_width
        self.axis = Axis(self.axis.origin, day_width)
        self._update_ranges()
        self.horizontalScrollBar().setValue(int((pinned - self.axis.origin.toordinal()) * day_width - at))
        self.viewport().update()

    def go_to_date(self, value: date) -> None:
        """Bring a date to a third of the way across the chart."""
        self._scroll_to_date(value, self.chart_width() / 3)

    def ensure_row_visible(self, row: int) -> None:
        top = row * ROW_HEIGHT
        bar = self.verticalScrollBar()
        if top < bar.value():
            bar.setValue(top)
        elif top + ROW_HEIGHT > bar.value() + self.chart_height():
            bar.setValue(int(top + ROW_HEIGHT - self.chart_height()))

    def ensure_bar_visible(self, bar: Bar) -> None:
        left, right = self.axis.x(bar.start), self.axis.end_x(bar.finish)
        scroll = self.horizontalScrollBar()
        if right < scroll.value() or left > scroll.value() + self.chart_width():
            scroll.setValue(int(left - self.chart_width() / 3))

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        width, height = self.viewport().width(), self.viewport().height()
        painter.fillRect(0, 0, width, height, QColor("#FFFFFF"))
        timeline = self.timeline
        if timeline is None or not timeline.rows:
            painter.setPen(QColor(MUTED))
            painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, "No actions to show")
            return
        first_row, last_row = self.visible_rows()
        left_date = self.axis.date_at(self.horizontalScrollBar().value())
        right_date = self.axis.date_at(self.horizontalScrollBar().value() + self.chart_width()) + timedelta(days=1)
        scale = scale_for(self.day_width)
        marks = ticks(scale, left_date, right_date)

        # The chart, clipped to the right of the labels and under the scale.
        painter.save()
        painter.setClipRect(QRectF(LABEL_WIDTH, HEADER_HEIGHT, width - LABEL_WIDTH, height - HEADER_HEIGHT))
        for row in range(first_row, last_row + 1):
            if row == self.current_row:
                painter.fillRect(QRectF(LABEL_WIDTH, self.row_top(row), width, ROW_HEIGHT), QColor(ACCENT_LIGHT))
            elif timeline.rows[row].is_header:
                painter.fillRect(QRectF(LABEL_WIDTH, self.row_top(row), width, ROW_HEIGHT), QColor("#F7F9FB"))
        minor = [QLineF(self.x_of(t.at), HEADER_HEIGHT, self.x_of(t.at), height) for t in marks if not t.major]
        major = [QLineF(self.x_of(t.at), HEADER_HEIGHT, self.x_of(t.at), height) for t in marks if t.major]
        painter.setPen(QPen(GRID_MINOR, 1))
        painter.drawLines(minor)
        painter.setPen(QPen(GRID_MAJOR, 1))
        painter.drawLines(major)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_arrows(painter, timeline, first_row, last_row)
        for row in range(first_row, last_row + 1):
            self._paint_row_chart(painter, timeline.rows[row])
        status_x = self.x_of(timeline.status_date)
        painter.setPen(QPen(STATUS_LINE, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QLineF(status_x, HEADER_HEIGHT, status_x, height))
        self._paint_drag(painter, timeline)
        self._paint_notice(painter)
        painter.restore()

        self._paint_scale(painter, marks, width, timeline)
        self._paint_labels(painter, timeline, first_row, last_row, height)

    def _paint_scale(self, painter: QPainter, marks: list[Any], width: int, timeline: Timeline) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(QRectF(LABEL_WIDTH, 0, width - LABEL_WIDTH, HEADER_HEIGHT), HEADER_BACK)
        painter.setClipRect(QRectF(LABEL_WIDTH, 0, width - LABEL_WIDTH, HEADER_HEIGHT))
        half = HEADER_HEIGHT / 2
        for tier, top in ((True, 0.0), (False, half)):
            tier_marks = [t for t in marks if t.major is tier]
            painter.setFont(self.font_bold if tier else self.font_small)
            for number, tick in enumerate(tier_marks):
                x = self.x_of(tick.at)
                end = self.x_of(tier_marks[number + 1].at) if number + 1 < len(tier_marks) else width
                painter.setPen(QPen(QColor(BORDER), 1))
                painter.drawLine(QLineF(x, top, x, top + half))
                room = end - x - 6
                label = tick.label
                if room < QFontMetricsF(painter.font()).horizontalAdvance(label):
                    continue  # a label that does not fit is left out rather than overprinted
                # A major label whose tick is off to the left stays in sight at the left edge.
                text_x = max(x, LABEL_WIDTH) + 4 if tier else x + 3
                painter.setPen(QColor(TEXT if tier else MUTED))
                painter.drawText(
                    QRectF(text_x, top, max(0.0, end - text_x), half), Qt.AlignmentFlag.AlignVCenter, label
                )
        painter.setPen(QPen(QColor(BORDER), 1))
        painter.drawLine(QLineF(LABEL_WIDTH, half, width, half))
        painter.drawLine(QLineF(LABEL_WIDTH, HEADER_HEIGHT - 0.5, width, HEADER_HEIGHT - 0.5))
        status_x = self.x_of(timeline.status_date)
        painter.setPen(QPen(STATUS_LINE, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QLineF(status_x, half, status_x, HEADER_HEIGHT))
        painter.restore()

    def _paint_labels(self, painter: QPainter, timeline: Timeline, first_row: int, last_row: int, height: int) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(QRectF(0, 0, LABEL_WIDTH, height), QColor("#FFFFFF"))
        painter.fillRect(QRectF(0, 0, LABEL_WIDTH, HEADER_HEIGHT), HEADER_BACK)
        painter.setPen(QColor(TEXT))
        painter.setFont(self.font_bold)
        painter.drawText(QRectF(8, 0, LABEL_WIDTH - 8, HEADER_HEIGHT), Qt.AlignmentFlag.AlignVCenter, "Action")
        painter.setClipRect(QRectF(0, HEADER_HEIGHT, LABEL_WIDTH, height - HEADER_HEIGHT))
        metrics = QFontMetricsF(self.font())
        for row in range(first_row, last_row + 1):
            found = timeline.rows[row]
            top = self.row_top(row)
            rect = QRectF(0, top, LABEL_WIDTH, ROW_HEIGHT)
            if row == self.current_row:
                painter.fillRect(rect, QColor(ACCENT_LIGHT))
            elif found.is_header:
                painter.fillRect(rect, QColor("#F7F9FB"))
            x = 6.0
            if found.is_header:
                painter.setPen(QColor(MUTED))
                painter.setFont(self.font())
                painter.drawText(
                    QRectF(x, top, 14, ROW_HEIGHT), Qt.AlignmentFlag.AlignCenter, "▸" if found.collapsed else "▾"
                )
                x += 16
            elif found.kind is RowKind.ACTION or found.kind is RowKind.EXTERNAL:
                x += 18
            if found.rag is not None:
                self._paint_letter_box(painter, QRectF(LABEL_WIDTH - 26, top + 4, 20, ROW_HEIGHT - 8), found.rag)
            painter.setFont(self.font_bold if found.is_header else self.font())
            painter.setPen(QColor(TEXT))
            if found.ref:
                painter.drawText(QRectF(x, top, 60, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, found.ref)
                x += 56 if found.kind is RowKind.ACTION else 40
            title = found.title + (f" ({found.count})" if found.is_header and found.collapsed else "")
            room = LABEL_WIDTH - 30 - x
            painter.setFont(self.font_bold if found.is_header else self.font())
            painter.drawText(
                QRectF(x, top, room, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(title, Qt.TextElideMode.ElideRight, room),
            )
        painter.setClipping(False)
        painter.setPen(QPen(QColor(BORDER), 1))
        painter.drawLine(QLineF(LABEL_WIDTH - 0.5, 0, LABEL_WIDTH - 0.5, height))
        painter.restore()

    def _paint_letter_box(self, painter: QPainter, rect: QRectF, rag: Rag) -> None:
        painter.fillRect(rect, QColor(rag.hex_colour))
        painter.setPen(QColor("#FFFFFF"))
        painter.setFont(self.font_letter)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, rag.value)

    def _paint_row_chart(self, painter: QPainter, found: Row) -> None:
        timeline = self.timeline
        assert timeline is not None
        top = self.row_top(found.index)
        if found.kind is RowKind.ACTION:
            bar = timeline.bars.get(found.ident)
            if bar is not None:
                self._paint_bar(painter, bar, top)
        elif found.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(found.ident)
            if milestone is not None:
                x, middle = self.x_of(milestone.on), top + ROW_HEIGHT / 2
                diamond = QPolygonF(
                    [QPointF(x, middle - 7), QPointF(x + 7, middle), QPointF(x, middle + 7), QPointF(x - 7, middle)]
                )
                painter.setPen(QPen(SUMMARY, 1))
                painter.setBrush(SUMMARY if milestone.delivered else QColor("#F5B041"))
                painter.drawPolygon(diamond)
                painter.setPen(QColor(TEXT))
                painter.setFont(self.font_small)
                state = "delivered" if milestone.delivered else "expected"
                # A diamond off to the left still names itself and its date at the chart's edge.
                text_x = max(x + 11, LABEL_WIDTH + 4.0)
                painter.drawText(QPointF(text_x, middle + 4), f"{milestone.name} — {state} {british(milestone.on)}")
        elif found.span is not None and found.kind is not RowKind.EXTERNALS:
            left, right = self.x_of(found.span[0]), self.x_of(found.span[1] + timedelta(days=1))
            middle = top + ROW_HEIGHT / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SUMMARY)
            painter.drawRect(QRectF(left, middle - 3, right - left, 5))
            for edge in (left, right):
                painter.drawPolygon(
                    QPolygonF([QPointF(edge - 4, middle), QPointF(edge + 4, middle), QPointF(edge, middle + 7)])
                )

    def _paint_bar(self, painter: QPainter, bar: Bar, top: float) -> None:
        left, right = self.x_of(bar.start), self.x_of(bar.target + timedelta(days=1))
        bar_top, bar_height = top + 4, ROW_HEIGHT - 10
        colour = QColor(bar.rag.hex_colour)
        end = right
        if bar.late:
            # The forecast beyond the target: outlined and hatched, never solid (it has not been agreed).
            end = self.x_of(bar.forecast + timedelta(days=1))
            painter.setPen(QPen(colour, 1.2))
            painter.setBrush(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(QRectF(right, bar_top + 1, end - right, bar_height - 2))
        painter.setPen(QPen(colour.darker(125), 1))
        painter.setBrush(colour)
        painter.drawRect(QRectF(left, bar_top, max(2.0, right - left), bar_height))
        if bar.percent and not bar.complete:
            done = left + (right - left) * bar.percent / 100
            painter.fillRect(QRectF(left, bar_top + bar_height - 3, done - left, 3), colour.darker(160))
        if bar.reported is not None:
            # The target as last reported to committee: a thin line under the bar.
            reported_x = self.x_of(bar.reported + timedelta(days=1))
            y = bar_top + bar_height + 2.5
            painter.setPen(QPen(REPORTED, 1.2))
            painter.drawLine(QLineF(left, y, reported_x, y))
            painter.drawLine(QLineF(reported_x, y - 2.5, reported_x, y + 1.5))
        if bar.action_id == self._selected_action():
            painter.setPen(QPen(QColor(ACCENT), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(left - 2, bar_top - 2, max(end, right) - left + 4, bar_height + 4))
        # Every bar says its RAG as a letter too (for readers who cannot tell red from green), kept at the
        # left of what is in sight when the bar starts off the screen.
        painter.setFont(self.font_letter)
        shown_left = max(left, float(LABEL_WIDTH))
        if right - shown_left >= 14:
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(QRectF(shown_left + 3, bar_top, 12, bar_height), Qt.AlignmentFlag.AlignVCenter, bar.letter)
            after = end + 4
            text = bar.ref
        else:
            after = end + 4
            text = f"{bar.letter} {bar.ref}"
        painter.setPen(QColor(TEXT))
        painter.setFont(self.font_small)
        painter.drawText(QRectF(after, top, 120, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, text)

    def _arrow_points(self, arrow: Arrow) -> tuple[QPointF, QPointF, QPointF, QPointF]:
        x1, x2 = self.x_of(arrow.from_at), self.x_of(arrow.to_at)
        y1 = self.row_top(arrow.from_row) + ROW_HEIGHT / 2
        y2 = self.row_top(arrow.to_row) + ROW_HEIGHT / 2
        elbow = x1 + _TURN.get(arrow.kind, ELBOW)
        return QPointF(x1, y1), QPointF(elbow, y1), QPointF(elbow, y2), QPointF(x2, y2)

    def arrows_in_sight(self) -> tuple[list[Arrow], list[tuple[date, End | None]]]:
        """What a paint draws: the arrows with an end on a row on screen that show, and where the arrows
        passing through the screen (neither end on it) stand up: (day, the end they leave)."""
        timeline = self.timeline
        if timeline is None or not timeline.rows:
            return [], []
        first_row, last_row = self.visible_rows()
        scroll = self.horizontalScrollBar().value()
        reach = ELBOW + 8  # an elbow and an arrowhead beyond the edge may still show
        first_day = self.axis.date_at(scroll - reach) - timedelta(days=1)
        last_day = self.axis.date_at(scroll + self.chart_width() + reach) + timedelta(days=1)
        ending = timeline.arrows_ending_in(first_row, last_row, first_day, last_day)
        every = max(1, int(1 / self.axis.day_width))  # days per pixel, zoomed out
        return ending, timeline.uprights_passing(first_row, last_row, first_day, last_day, every)

    def _paint_arrows(self, painter: QPainter, timeline: Timeline, first_row: int, last_row: int) -> None:
        # Every arrow whose path crosses the screen, found through the layout's index (not a scan of them all).
        ending, uprights = self.arrows_in_sight()
        scroll = self.horizontalScrollBar().value()
        lines: list[QLineF] = []
        heads: list[Arrow] = []
        for arrow in ending:
            a, b, c, d = self._arrow_points(arrow)
            lines += (QLineF(a, b), QLineF(b, c), QLineF(c, d))
            if first_row <= arrow.to_row <= last_row:
                heads.append(arrow)
        # An arrow merely passing through shows as its upright from the top of the chart to the bottom;
        # uprights on the same pixel are drawn once, side by side as one block (zoomed out, thousands of
        # arrows share a few hundred pixels).
        offset = LABEL_WIDTH - scroll - self.axis.origin.toordinal() * self.axis.day_width
        day_width = self.axis.day_width
        columns = sorted({round(offset + day.toordinal() * day_width + _LEAVING[leaves]) for day, leaves in uprights})
        runs: list[list[int]] = []
        for x in columns:
            if runs and runs[-1][1] == x - 1:
                runs[-1][1] = x
            else:
                runs.append([x, x])
        selected = self._selected_action()
        selected_row = timeline.row_of_action.get(selected, -1) if selected is not None else -1
        mine = timeline.arrows_touching(selected_row, selected_row) if selected_row >= 0 else []
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(ARROW, 1))
        painter.drawLines(lines)  # every line in one call: a screen may be crossed by thousands
        top, bottom = HEADER_HEIGHT, self.viewport().height()
        for left, right in runs:  # a non-antialiased line of width 1 covers the pixel right of its x
            painter.fillRect(left, top, right - left + 1, bottom - top, ARROW)
        painter.setPen(QPen(QColor(ACCENT), 2))
        for arrow in mine:
            a, b, c, d = self._arrow_points(arrow)
            painter.drawPolyline([a, b, c, d])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font_small)
        metrics = QFontMetricsF(self.font_small)
        taken: dict[int, list[tuple[float, float]]] | None = None  # made at the first label: most arrows have none
        for arrow in heads:
            a, b, c, d = self._arrow_points(arrow)
            colour = QColor(ACCENT) if arrow in mine else ARROW
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            direction = 1 if d.x() >= c.x() else -1
            painter.drawPolygon(
                QPolygonF([d, QPointF(d.x() - 6 * direction, d.y() - 3.5), QPointF(d.x() - 6 * direction, d.y() + 3.5)])
            )
            if arrow.label:
                # Beside its arrow where no bar, ref or other label is (model/timeline.py), else left out.
                if taken is None:
                    taken = label_obstacles(timeline, (first_row, last_row), self.x_of, metrics.horizontalAdvance, 4)
                rows = (arrow.from_row, arrow.from_row, arrow.to_row, arrow.to_row)
                corners = tuple((point.x(), row) for point, row in zip((a, b, c, d), rows, strict=True))
                bounds = (LABEL_WIDTH + 2, self.viewport().width() - 2)
                spot = place_lag_label(corners, metrics.horizontalAdvance(arrow.label), taken, bounds,
                                       (first_row, last_row))  # fmt: skip
                if spot is not None:
                    painter.setPen(colour)
                    painter.drawText(QPointF(spot.x, self.row_top(spot.row) + ROW_HEIGHT / 2 - 3), arrow.label)

    def _paint_drag(self, painter: QPainter, timeline: Timeline) -> None:
        drag = self.drag
        source: int | None = None
        target_row = -1
        if drag is not None and drag.moved and drag.linking:
            source, target_row = drag.hit.ident, self.row_at(drag.y)
        elif self.link_from is not None:
            source, target_row = self.link_from, self.link_row
        if source is not None:
            bar = timeline.bars.get(source)
            if bar is None:
                return
            start = QPointF(self.x_of(bar.finish + timedelta(days=1)), self.row_top(bar.row) + ROW_HEIGHT / 2)
            target = timeline.bar_at_row(target_row)
            if target is not None:
                end = QPointF(self.x_of(target.start), self.row_top(target.row) + ROW_HEIGHT / 2)
                painter.setPen(QPen(QColor(ACCENT), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(
                    QRectF(self.x_of(target.start) - 3, self.row_top(target.row) + 1,
                           self.x_of(target.finish + timedelta(days=1)) - self.x_of(target.start) + 6, ROW_HEIGHT - 2)
                )  # fmt: skip
            elif drag is not None:
                end = QPointF(drag.x, drag.y)
            else:
                return
            painter.setPen(QPen(QColor(ACCENT), 2, Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(start, end))
            return
        if drag is None or not drag.moved or drag.hit.part is Part.MILESTONE:
            return
        bar = timeline.bars.get(drag.hit.ident)
        if bar is None:
            return
        new_start, new_target = self.dragged_dates(drag, bar)
        bad = new_start > new_target
        top = self.row_top(bar.row) + 3
        left = self.x_of(new_start)
        right = self.x_of(new_target + timedelta(days=1))
        colour = QColor(ERROR) if bad else QColor(ACCENT)
        painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(min(left, right), top, abs(right - left), ROW_HEIGHT - 8))
        text = (
            f"{british(new_start)} – {british(new_target)}"
            if drag.hit.part is Part.BODY
            else british(new_target if drag.hit.part is Part.END else new_start)
        )
        self._paint_callout(painter, QPointF(max(left, right) + 6, top - 2), text, colour, QColor("#FFFFFF"))

    def _paint_callout(self, painter: QPainter, at: QPointF, text: str, edge: QColor, back: QColor) -> None:
        painter.setFont(self.font())
        metrics = QFontMetricsF(self.font())
        box = QRectF(at.x(), at.y(), metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
        if box.right() > self.viewport().width() - 4:
            box.moveRight(self.viewport().width() - 4)
        painter.setPen(QPen(edge, 1))
        painter.setBrush(back)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor(TEXT))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_notice(self, painter: QPainter) -> None:
        if self.notice is None:
            return
        row, x, text = self.notice
        at = QPointF(max(LABEL_WIDTH + 4, x), self.row_top(row) + ROW_HEIGHT - 2)
        self._paint_callout(painter, at, text, QColor(ERROR), QColor(ERROR_BACKGROUND))

    # --- what is where ---------------------------------------------------------------------------

    def _selected_action(self) -> int | None:
        timeline = self.timeline
        if timeline is None or not 0 <= self.current_row < len(timeline.rows):
            return None
        row = timeline.rows[self.current_row]
        return row.ident if row.kind is RowKind.ACTION else None

    def hit_at(self, x: float, y: float) -> Hit | None:
        if self.timeline is None or x < LABEL_WIDTH:
            return None
        return hit_test(self.timeline, self.axis, self.row_at(y), self.chart_x(x))

    def dragged_dates(self, drag: Drag, bar: Bar) -> tuple[date, date]:
        """The start and target a drag has reached (snapped to whole days)."""
        days = round((drag.x - drag.press_x) / self.axis.day_width)
        if drag.hit.part is Part.END:
            return bar.start, bar.target + timedelta(days=days)
        if drag.hit.part is Part.START:
            return bar.start + timedelta(days=days), bar.target
        return bar.start + timedelta(days=days), bar.target + timedelta(days=days)

    # --- refusals, shown at their bar ------------------------------------------------------------

    def show_notice(self, action_id: int, text: str) -> None:
        """A refusal, shown under the bar it was made on (and kept until the next press or 9 seconds)."""
        timeline = self.timeline
        if timeline is None:
            return
        bar = timeline.bars.get(action_id)
        if bar is None:
            return
        self.notice = (bar.row, self.x_of(bar.start), text)
        self.ensure_row_visible(bar.row)
        self.notice_timer.start()
        self.viewport().update()

    def clear_notice(self) -> None:
        if self.notice is not None:
            self.notice = None
            self.viewport().update()
