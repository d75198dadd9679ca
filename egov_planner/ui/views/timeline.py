"""The Timeline tab: the plan over time, drawn from model/timeline.py's layout.

One custom-painted QAbstractScrollArea, not a QGraphicsScene: a 20,000-action plan
would mean 20,000 items to build; here each paint draws only the rows on screen and
the arrows that cross them. The label column (ref and title) and the scale stay put
while the chart scrolls under them.

It follows the plan view: the same filter, and the same selected action both ways.
Edits (drag a bar's end, drag the bar, drag onto another bar to link, or the keys)
go through the same undo commands as the detail panel; a refused edit is shown at
the bar it was made on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.dates import british
from egov_planner.model.rules import Rag, describe_assessment
from egov_planner.model.timeline import (
    EXTERNALS_GROUP,
    Arrow,
    Axis,
    Bar,
    Hit,
    Part,
    Row,
    RowKind,
    Scale,
    Timeline,
    build_timeline,
    hit_test,
    scale_for,
    ticks,
    zoomed,
)
from egov_planner.ui.collector import collector
from egov_planner.ui.commands import AddDependencyCommand, EditActionCommand
from egov_planner.ui.document import refusal_text
from egov_planner.ui.theme import ACCENT, ACCENT_LIGHT, BORDER, ERROR, ERROR_BACKGROUND, MUTED, TEXT
from egov_planner.ui.views.lazy import LazyView
from egov_planner.ui.views.revision_dialog import ask_revision

if TYPE_CHECKING:
    from egov_planner.ui.views.plan_view import PlanView

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
PASS_THROUGH_LIMIT = 3000  # arrows in a plan up to which those merely crossing the screen are drawn too


@dataclass(slots=True)
class _Drag:
    """A press on a bar being dragged: what was taken hold of, and where it is now."""

    hit: Hit
    press_x: float
    x: float
    y: float
    moved: bool = False
    linking: bool = False  # the pointer left the bar's row: dropping on a bar links them


class TimelineCanvas(QAbstractScrollArea):
    """Paints the label column, the scale and the chart; turns mouse and keys into edits."""

    selected = Signal(int)  # an action chosen here
    open_action = Signal(int)

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.timeline: Timeline | None = None
        self.day_width = Scale.MONTHS.day_width
        self.axis = Axis(date.today(), self.day_width)
        self.current_row = -1
        self.drag: _Drag | None = None
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
                painter.drawText(QPointF(x + 11, middle + 4), f"{milestone.name} — {state} {british(milestone.on)}")
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
        # Every bar says its RAG as a letter too (for readers who cannot tell red from green).
        painter.setFont(self.font_letter)
        if right - left >= 14:
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(QRectF(left + 3, bar_top, 12, bar_height), Qt.AlignmentFlag.AlignVCenter, bar.letter)
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
        leaves_finish = arrow.kind in ("FS", "FF")
        elbow = x1 + (6 if leaves_finish else -6) if arrow.kind != "EXT" else x1
        return QPointF(x1, y1), QPointF(elbow, y1), QPointF(elbow, y2), QPointF(x2, y2)

    def _paint_arrows(self, painter: QPainter, timeline: Timeline, first_row: int, last_row: int) -> None:
        # A small plan draws every arrow crossing the screen; a large one those with an end on it (the
        # rest would be a wall of lines, thousands to draw at every scroll step).
        crossing = len(timeline.arrows) <= PASS_THROUGH_LIMIT
        arrows = (
            timeline.arrows_between(first_row, last_row) if crossing else timeline.arrows_touching(first_row, last_row)
        )
        selected = self._selected_action()
        lines: list[QLineF] = []
        heads: list[Arrow] = []
        mine: list[Arrow] = []
        for arrow in arrows:
            a, b, c, d = self._arrow_points(arrow)
            lines += (QLineF(a, b), QLineF(b, c), QLineF(c, d))
            if first_row <= arrow.to_row <= last_row:
                heads.append(arrow)
            if selected is not None and selected in (arrow.successor_id, arrow.predecessor_id):
                mine.append(arrow)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(ARROW, 1))
        painter.drawLines(lines)  # every line in one call: a screen may be crossed by thousands
        painter.setPen(QPen(QColor(ACCENT), 2))
        for arrow in mine:
            a, b, c, d = self._arrow_points(arrow)
            painter.drawPolyline([a, b, c, d])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font_small)
        for arrow in heads:
            _a, _b, c, d = self._arrow_points(arrow)
            colour = QColor(ACCENT) if arrow in mine else ARROW
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            direction = 1 if d.x() >= c.x() else -1
            painter.drawPolygon(
                QPolygonF([d, QPointF(d.x() - 6 * direction, d.y() - 3.5), QPointF(d.x() - 6 * direction, d.y() + 3.5)])
            )
            if arrow.label:
                painter.setPen(colour)
                painter.drawText(QPointF(min(c.x(), d.x()) + 2, d.y() - 3), arrow.label)

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

    def dragged_dates(self, drag: _Drag, bar: Bar) -> tuple[date, date]:
        """The start and target a drag has reached (snapped to whole days)."""
        days = round((drag.x - drag.press_x) / self.axis.day_width)
        if drag.hit.part is Part.END:
            return bar.start, bar.target + timedelta(days=days)
        if drag.hit.part is Part.START:
            return bar.start + timedelta(days=days), bar.target
        return bar.start + timedelta(days=days), bar.target + timedelta(days=days)

    # --- the mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self.timeline is None:
            super().mousePressEvent(event)
            return
        self.clear_notice()
        self.link_from = None
        position = event.position()
        row = self.row_at(position.y())
        if not 0 <= row < len(self.timeline.rows):
            return
        self.set_current_row(row)
        found = self.timeline.rows[row]
        if found.is_header and (position.x() < LABEL_WIDTH or event.type() == QEvent.Type.MouseButtonDblClick):
            self.view.toggle(found)
            return
        hit = self.hit_at(position.x(), position.y())
        if hit is not None and hit.part is not Part.MILESTONE and self.view.editable:
            self.drag = _Drag(hit, position.x(), position.x(), position.y())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        position = event.position()
        drag = self.drag
        if drag is None:
            hit = self.hit_at(position.x(), position.y())
            shape = Qt.CursorShape.ArrowCursor
            if hit is not None and self.view.editable and hit.part in (Part.END, Part.START):
                shape = Qt.CursorShape.SizeHorCursor
            elif hit is not None and self.view.editable and hit.part is Part.BODY:
                shape = Qt.CursorShape.SizeAllCursor
            self.viewport().setCursor(shape)
            return
        drag.x, drag.y = position.x(), position.y()
        if abs(drag.x - drag.press_x) >= 3 or self.row_at(drag.y) != drag.hit.row:
            drag.moved = True
        # Leaving the bar's row with its body in hand means linking it to the bar dropped on.
        drag.linking = drag.hit.part is Part.BODY and self.row_at(drag.y) != drag.hit.row
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag, self.drag = self.drag, None
        if drag is None or self.timeline is None:
            return
        self.viewport().update()
        if not drag.moved:
            return
        bar = self.timeline.bars.get(drag.hit.ident)
        if bar is None:
            return
        if drag.linking:
            target = self.timeline.bar_at_row(self.row_at(drag.y))
            if target is None:
                self.view.status_message.emit("Drop on another action's bar to make it wait on this one")
                return
            self.view.add_link(bar.action_id, target.action_id)
            return
        new_start, new_target = self.dragged_dates(drag, bar)
        if drag.hit.part is Part.END:
            self.view.change_dates(bar.action_id, None, new_target)
        elif drag.hit.part is Part.START:
            self.view.change_dates(bar.action_id, new_start, None)
        else:
            self.view.change_dates(bar.action_id, new_start, new_target)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.timeline is None:
            return
        row = self.row_at(event.position().y())
        found = self.timeline.rows[row] if 0 <= row < len(self.timeline.rows) else None
        if found is not None and found.is_header:
            if event.position().x() >= LABEL_WIDTH:
                self.view.toggle(found)
        elif found is not None and found.kind is RowKind.ACTION:
            self.open_action.emit(found.ident)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if steps:
                anchor = max(0.0, event.position().x() - LABEL_WIDTH)
                self.set_day_width(zoomed(self.day_width, steps), anchor)
                self.view.zoom_changed()
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - event.angleDelta().y())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.view.tooltip_at(self.row_at(event.pos().y()), event.pos().x())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # --- the keyboard --------------------------------------------------------------------------------

    def set_current_row(self, row: int, tell: bool = True) -> None:
        timeline = self.timeline
        if timeline is None or not 0 <= row < len(timeline.rows):
            return
        changed = row != self.current_row
        self.current_row = row
        self.ensure_row_visible(row)
        self.viewport().update()
        found = timeline.rows[row]
        if changed and tell and found.kind is RowKind.ACTION:
            self.selected.emit(found.ident)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        timeline = self.timeline
        if timeline is None or not timeline.rows:
            super().keyPressEvent(event)
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        alt = Qt.KeyboardModifier.AltModifier
        row = max(0, self.current_row)
        found = timeline.rows[row] if self.current_row >= 0 else None
        if self.link_from is not None:
            self._link_key(key)
            return
        self.clear_notice()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not modifiers:
            self.set_current_row(row + (1 if key == Qt.Key.Key_Down else -1) if self.current_row >= 0 else 0)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and not modifiers:
            page = max(1, int(self.chart_height()) // ROW_HEIGHT - 1)
            target = row + (page if key == Qt.Key.Key_PageDown else -page)
            self.set_current_row(min(max(0, target), len(timeline.rows) - 1))
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not modifiers:
            self.set_current_row(0 if key == Qt.Key.Key_Home else len(timeline.rows) - 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and found is not None and found.is_header and not modifiers:
            if found.collapsed == (key == Qt.Key.Key_Right):
                self.view.toggle(found)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not modifiers:
            step = 40 if key == Qt.Key.Key_Right else -40
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + step)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and modifiers & shift and found is not None:
            bar = timeline.bars.get(found.ident) if found.kind is RowKind.ACTION else None
            if bar is None or not self.view.editable:
                return
            days = (WEEK if modifiers & alt else 1) * (1 if key == Qt.Key.Key_Right else -1)
            if modifiers & ctrl:
                self.view.change_dates(
                    bar.action_id, bar.start + timedelta(days=days), bar.target + timedelta(days=days)
                )
            else:
                self.view.change_dates(bar.action_id, None, bar.target + timedelta(days=days))
        elif key == Qt.Key.Key_Space and found is not None and found.is_header:
            self.view.toggle(found)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and found is not None and found.kind is RowKind.ACTION:
            self.open_action.emit(found.ident)
        elif key == Qt.Key.Key_L and not modifiers and found is not None and found.kind is RowKind.ACTION:
            self.start_linking()
        else:
            super().keyPressEvent(event)

    def start_linking(self) -> None:
        """From the selected bar: Up/Down choose the action that waits on it, Enter links, Escape stops."""
        source = self._selected_action()
        if source is None or not self.view.editable or self.timeline is None:
            return
        self.link_from = source
        self.link_row = self.current_row
        ref = self.timeline.bars[source].ref
        self.view.status_message.emit(
            f"Linking from {ref}: Up/Down to the action that waits on it, Enter to link, Escape to stop"
        )
        self.viewport().update()

    def _link_key(self, key: int) -> None:
        timeline = self.timeline
        assert timeline is not None and self.link_from is not None
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.link_row = min(max(0, self.link_row + (1 if key == Qt.Key.Key_Down else -1)), len(timeline.rows) - 1)
            self.ensure_row_visible(self.link_row)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            source, self.link_from = self.link_from, None
            target = timeline.bar_at_row(self.link_row)
            if target is None:
                self.view.status_message.emit("Not linked: choose an action's row, not a heading")
            else:
                self.view.add_link(source, target.action_id)
        elif key == Qt.Key.Key_Escape:
            self.link_from = None
            self.view.status_message.emit("Linking stopped")
        self.viewport().update()

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


class TimelineView(LazyView):
    """The Timeline tab: a tool row (scale, zoom, status date, link) over the canvas."""

    open_action = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan_view: PlanView | None = None
        self.editable = True
        self.collapsed: set[int] = set()
        self.externals_collapsed = False
        self._following = False  # a selection coming from the plan view is not sent back

        self.scale_combo = QComboBox()
        self.scale_combo.setAccessibleName("Scale")
        for scale in Scale:
            self.scale_combo.addItem(scale.label, scale)
        self.scale_combo.setCurrentIndex(list(Scale).index(Scale.MONTHS))
        self.scale_combo.activated.connect(self._scale_chosen)
        scale_label = QLabel("&Scale")
        scale_label.setBuddy(self.scale_combo)
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+minus, or Ctrl+wheel)")
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.clicked.connect(lambda: self.zoom(-1))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl+plus, or Ctrl+wheel)")
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.clicked.connect(lambda: self.zoom(1))
        self.status_button = QPushButton("&Go to status date")
        self.status_button.clicked.connect(self.go_to_status_date)
        self.link_button = QPushButton("&Link from selected")
        self.link_button.setToolTip("Make another action wait on the selected one (or drag from bar to bar)")
        self.link_button.clicked.connect(self._link_clicked)
        self.hint = QLabel(
            "Drag a bar's end to change its target, the bar to move it, onto another bar to link. "
            "Keys: Shift+←/→ target a day (Alt: a week), Ctrl+Shift+←/→ move, L link."
        )
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(False)
        self.hint.setToolTip(self.hint.text())
        # The hint gives way on a narrow screen (it never widens the window).
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        tools = QHBoxLayout()
        tools.setContentsMargins(8, 6, 8, 4)
        tools.setSpacing(6)
        tools.addWidget(scale_label)
        tools.addWidget(self.scale_combo)
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.zoom_in_button)
        tools.addWidget(self.status_button)
        tools.addWidget(self.link_button)
        tools.addWidget(self.hint, 1)

        self.canvas = TimelineCanvas(self)
        self.canvas.selected.connect(self._chosen_here)
        self.canvas.open_action.connect(self.open_action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(tools)
        layout.addWidget(self.canvas, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, steps in (
            (QKeySequence.StandardKey.ZoomIn, 1),
            (QKeySequence("Ctrl+="), 1),
            (QKeySequence.StandardKey.ZoomOut, -1),
        ):
            shortcut = QShortcut(QKeySequence(keys), self, context=context)
            shortcut.activated.connect(lambda steps=steps: self.zoom(steps))

    # --- feeding -------------------------------------------------------------------------------------

    def follow(self, plan_view: PlanView) -> None:
        """Show what the plan view's filter shows, and select what it selects (and the other way)."""
        self.plan_view = plan_view
        plan_view.filter_bar.changed.connect(lambda _criteria: self.mark_stale())
        plan_view.selection_changed.connect(self._plan_selection_changed)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.link_button.setEnabled(editable)

    def refresh(self) -> None:
        document = self.document
        if document is None:
            self.canvas.timeline = None
            self.canvas.viewport().update()
            return
        first = self.canvas.timeline is None
        selected = self.canvas._selected_action()
        shown = self.plan_view.proxy.accepted_ids() if self.plan_view is not None else None
        with collector.paused_during():  # tens of thousands of small records: no collector passes meanwhile
            timeline = build_timeline(
                document.snapshot, document.assessment, shown, self.collapsed, self.externals_collapsed
            )
        self.canvas.set_timeline(timeline)
        wanted = self.plan_view.selected_action_id() if self.plan_view is not None else selected
        row = timeline.row_of_action.get(wanted if wanted is not None else -1, -1)
        if row < 0 and selected is not None:
            row = timeline.row_of_action.get(selected, -1)
        self.canvas.current_row = row
        if first:
            self.go_to_status_date()

    # --- the tool row ----------------------------------------------------------------------------------

    def _scale_chosen(self, _index: int) -> None:
        self.canvas.set_day_width(Scale(self.scale_combo.currentData()).day_width)  # Qt hands the enum back as text

    def zoom(self, steps: int) -> None:
        self.canvas.set_day_width(zoomed(self.canvas.day_width, steps))
        self.zoom_changed()

    def zoom_changed(self) -> None:
        self.scale_combo.setCurrentIndex(list(Scale).index(scale_for(self.canvas.day_width)))

    def set_scale(self, scale: Scale) -> None:
        self.scale_combo.setCurrentIndex(list(Scale).index(scale))
        self.canvas.set_day_width(scale.day_width)

    def go_to_status_date(self) -> None:
        if self.canvas.timeline is not None:
            self.canvas.go_to_date(self.canvas.timeline.status_date)

    def _link_clicked(self) -> None:
        self.canvas.setFocus()
        if self.canvas._selected_action() is None:
            self.status_message.emit("Select the action others will wait on first")
            return
        self.canvas.start_linking()

    def toggle(self, row: Row) -> None:
        """Fold or unfold an objective (or the external dependencies)."""
        if row.kind is RowKind.EXTERNALS and row.ident == EXTERNALS_GROUP:
            self.externals_collapsed = not self.externals_collapsed
        elif row.ident in self.collapsed:
            self.collapsed.discard(row.ident)
        else:
            self.collapsed.add(row.ident)
        self.refresh()
        timeline = self.canvas.timeline
        if timeline is not None:
            found = next((r for r in timeline.rows if r.kind is row.kind and r.ident == row.ident), None)
            if found is not None:
                self.canvas.set_current_row(found.index, tell=False)

    # --- selection, both ways ------------------------------------------------------------------------

    def _chosen_here(self, action_id: int) -> None:
        if self.plan_view is not None and not self._following:
            self.plan_view.select_action(action_id)

    def _plan_selection_changed(self) -> None:
        plan = self.plan_view
        timeline = self.canvas.timeline
        if plan is None or timeline is None or not self.isVisible():
            return
        action_id = plan.selected_action_id()
        row = timeline.row_of_action.get(action_id, -1) if action_id is not None else -1
        if row >= 0 and row != self.canvas.current_row:
            self._following = True
            try:
                self.canvas.set_current_row(row, tell=False)
                self.canvas.ensure_bar_visible(timeline.bars[action_id])  # type: ignore[index]
            finally:
                self._following = False

    def select_action(self, action_id: int) -> None:
        timeline = self.canvas.timeline
        row = timeline.row_of_action.get(action_id, -1) if timeline is not None else -1
        if row >= 0:
            self.canvas.set_current_row(row)
            self.canvas.ensure_bar_visible(timeline.bars[action_id])  # type: ignore[union-attr]

    def selected_action_id(self) -> int | None:
        return self.canvas._selected_action()

    # --- edits ------------------------------------------------------------------------------------

    def change_dates(self, action_id: int, start: date | None, target: date | None) -> bool:
        """Move an action's start and/or target date by one undoable edit; a refusal shows at its bar."""
        document = self.document
        record = document.action(action_id) if document is not None else None
        if document is None or record is None:
            return False
        changes: dict[str, Any] = {}
        if start is not None and record.start is not None and start != record.start:
            changes["start"] = start
        if target is not None and target != record.due:
            changes["due"] = target
        if not changes:
            return False
        if "due" in changes:
            notes = ask_revision(self, document, record, target)
            if notes is None:  # a reported target is changed only with a reason
                self._refused(action_id, f"Target date of {record.ref} not changed: a revision needs its reason")
                return False
            changes.update(notes)
        error = document.execute(EditActionCommand(document, record, changes))
        if error is not None:
            self._refused(action_id, f"Not saved: {refusal_text(error)}")
            return False
        moved = ", ".join(f"{'target' if name == 'due' else name} {british(changes[name])}"
                          for name in ("start", "due") if name in changes)  # fmt: skip
        self.status_message.emit(f"{record.ref}: {moved}")
        return True

    def add_link(self, predecessor_id: int, successor_id: int) -> bool:
        """Make successor wait on predecessor (finish to start, no lag); a cycle is refused at the bar."""
        document = self.document
        if document is None:
            return False
        predecessor, successor = document.action(predecessor_id), document.action(successor_id)
        if predecessor is None or successor is None:
            return False
        if predecessor_id == successor_id:
            self._refused(successor_id, "Not linked: an action cannot wait on itself")
            return False
        if document.link_between(predecessor_id, successor_id) is not None:
            self._refused(successor_id, f"{successor.ref} already waits on {predecessor.ref}")
            return False
        error = document.execute(AddDependencyCommand(document, predecessor, successor, "FS", 0))
        if error is not None:
            self._refused(successor_id, f"Not linked: {refusal_text(error)}")
            return False
        self.status_message.emit(f"{successor.ref} now waits on {predecessor.ref}")
        return True

    def _refused(self, action_id: int, text: str) -> None:
        self.status_message.emit(text)
        if not self.isVisible():
            return
        if self._stale:
            self._stale = False
            self.refresh()
        self.canvas.show_notice(action_id, text)

    # --- tooltips ------------------------------------------------------------------------------------

    def tooltip_at(self, row: int, x: float) -> str:
        timeline, document = self.canvas.timeline, self.document
        if timeline is None or document is None or not 0 <= row < len(timeline.rows):
            return ""
        found = timeline.rows[row]
        if found.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(found.ident)
            if milestone is None:
                return ""
            return f"{milestone.name}: {'delivered' if milestone.delivered else 'expected'} {british(milestone.on)}"
        bar = timeline.bar_at_row(row)
        if bar is None or x < LABEL_WIDTH:
            return found.title if found.title else ""
        verdict = document.assessment.actions.get(bar.action_id)
        lines = [
            f"{bar.ref} {found.title}",
            f"Start {british(bar.start)} · target {british(bar.target)} · forecast {british(bar.forecast)}",
            f"{bar.rag.label} ({bar.letter})"
            + (f": {describe_assessment(verdict)}" if verdict and verdict.flag else ""),
        ]
        if bar.reported is not None:
            lines.append(f"Reported target {british(bar.reported)}")
        return "\n".join(lines)
