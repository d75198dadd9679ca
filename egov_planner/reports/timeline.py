"""The printed timeline: the Timeline tab's layout (model/timeline.py) drawn on landscape pages.

The chart is tiled down (bands of rows, as many as fit a page) and across (slices of time, when the
plan's span does not fit one page at a readable scale). Every sheet repeats the label column (objective
headings, each action's ref and title), carries its own time scale and a legend, and is vector drawing
only. Arrows and bars that run off a sheet are clipped at its edge; a bar that continues on the next
sheet across has a small mark at that edge. The marks and the legend are drawn by reports/timeline_legend.py.

What a pack may name is decided in reports/data.py: the timeline is laid out over the actions the pack
shows, so a public pack never draws an exempt action, its arrows or the externals only it waits on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak

from egov_planner.model.dates import british, shift
from egov_planner.model.rules import Rag
from egov_planner.model.timeline import Bar, Row, RowKind, Scale, Tick, Timeline, build_timeline, ticks
from egov_planner.model.timeline_arrows import Arrow, End
from egov_planner.model.timeline_labels import label_obstacles, place_lag_label
from egov_planner.reports.data import PackData
from egov_planner.reports.fonts import BOLD, REGULAR
from egov_planner.reports.styles import ACCENT, HEADER_FILL, INK, MUTED, RULE, RULE_DARK
from egov_planner.reports.text import fit_width
from egov_planner.reports.timeline_legend import (
    ARROW_INK,
    LEGEND_LINE,
    SMALL_SIZE,
    STATUS_LINE,
    WHITE,
    chevron,
    darker,
    diamond,
    draw_legend,
    fill,
    hatched,
    legend_lines,
    small_width,
    summary_bar,
)

ONE_DAY = timedelta(days=1)

# The sheet's geometry, in points. Text is never under 7 pt, on A4 or A3: A3 holds more, not bigger.
ROW = 12.5
LABEL_WIDTH = 76 * mm  # the label column on A4
LABEL_WIDTH_A3 = 110 * mm  # on A3: more of each title
TIER = 11.0  # one tier of the scale (the upper holds years, the lower months, quarters or weeks)
CAPTION = 14.0
LABEL_SIZE = 7.5
TAIL = 40.0  # room after the last bar for its ref
PAD = 8.0  # room before a sheet's first day, for an arrow's leg leaving a bar that starts on it
MIN_ROWS = 3  # a band shorter than this starts on the next page instead

# The narrowest day (points) at which each scale's labels still fit, and the widest day drawn at all.
MIN_DAY = {Scale.WEEKS: 4.2, Scale.MONTHS: 0.75, Scale.QUARTERS: 0.46, Scale.YEARS: 0.12}
MAX_DAY = 20.0
ELBOW = 4.0  # an arrow turns this far beyond the end it leaves (before a start, after a finish)

GRID_MINOR = colors.HexColor("#EEF0F3")
GRID_MAJOR = colors.HexColor("#C9CED6")

SCALE_CHOICES = {"weeks": Scale.WEEKS, "months": Scale.MONTHS, "quarters": Scale.QUARTERS, "years": Scale.YEARS}


def _unit_start(value: date, scale: Scale) -> date:
    """The start of the month (weeks, months) or quarter (quarters, years) holding value: where sheets begin."""
    if scale in (Scale.WEEKS, Scale.MONTHS):
        return value.replace(day=1)
    month = value.month - (value.month - 1) % 3  # quarters start in January, April, July, October
    return value.replace(month=month, day=1)


@dataclass(slots=True)
class PrintedTimeline:
    """The layout and how it is cut into sheets: the scale, the day width and the slices of time."""

    timeline: Timeline
    scale: Scale
    day_width: float
    origin: date
    columns: list[tuple[date, date]]  # each sheet across: first day .. the day after its last
    objective_rags: dict[int, Rag | None]
    ref_width: float
    label_width: float
    legend: list[list[tuple[str, str | Rag]]]  # the legend's lines, each as wide as the sheet allows
    rows_per_page: int  # on a page of its own (after the first): bands down are balanced with it

    @property
    def overhead(self) -> float:
        """A sheet's height besides its rows: caption, scale and legend."""
        return CAPTION + 2 * TIER + LEGEND_LINE * len(self.legend) + 6

    def x(self, value: date, column: int) -> float:
        """x on the chart of a sheet across (0 at the chart's left edge)."""
        return (value.toordinal() - self.columns[column][0].toordinal()) * self.day_width


# At most this many sheets across: a plan's real span fits in far fewer at the coarsest scale.
MAX_SHEETS_ACROSS = 12


def choose_scale(days: int, chart_width: float, wanted: Scale | None) -> tuple[Scale, float]:
    """The finest scale whose labels fit when the whole span is on one sheet across (or the one asked for),
    and its day width: the span stretched to the sheet, within what the scale reads at."""
    fit = (chart_width - TAIL) / max(days, 1)
    if wanted is None:
        wanted = next((s for s in (Scale.WEEKS, Scale.MONTHS, Scale.QUARTERS) if fit >= MIN_DAY[s]), Scale.YEARS)
    return wanted, min(MAX_DAY, max(MIN_DAY[wanted], fit))


def lay_out(
    data: PackData, frame: tuple[float, float], scale: Scale | None = None, label_width: float = LABEL_WIDTH
) -> PrintedTimeline:
    """The pack's actions laid out as the window lays them out, and cut into sheets across.

    frame: the page's frame (width, height); label_width: the label column's, wider on A3.
    """
    chart_width = frame[0] - label_width - PAD
    shown = {a.id for a in data.actions}
    timeline = build_timeline(data.snapshot, data.assessment, shown=shown)
    end = shift(timeline.last, 1)
    # Measured from the earliest a sheet may begin (a quarter's start), so the chosen scale's start fits too.
    chosen, day_width = choose_scale((end - _unit_start(timeline.first, Scale.YEARS)).days, chart_width, scale)
    origin = _unit_start(timeline.first, chosen)
    per_sheet = max(1, math.floor(chart_width / day_width))
    # The span, with room after the last bar for its ref, in as few sheets across as hold it; a date far in
    # the future (a typing slip, 2199) is not printed on hundreds of empty sheets: bars running past the
    # last sheet carry its continuation mark.
    needed = (end - origin).days + math.ceil(TAIL / day_width)
    fits_one = (end - origin).days * day_width + TAIL <= chart_width + 0.01  # the span stretched to one sheet
    count = 1 if fits_one else math.ceil(needed / per_sheet)
    if count > MAX_SHEETS_ACROSS:
        count = MAX_SHEETS_ACROSS
    elif count > 1:
        per_sheet = math.ceil(needed / count)  # shared evenly: no last sheet holding a sliver of time
    columns = [(shift(origin, n * per_sheet), shift(origin, (n + 1) * per_sheet)) for n in range(count)]
    rags = {o.id: data.objective_rag(o) for o in data.objectives}
    refs = [r.ref for r in timeline.rows if r.kind is RowKind.ACTION]
    ref_width = min(70.0, max((stringWidth(r, REGULAR, LABEL_SIZE) for r in refs), default=20.0)) + 6
    legend = legend_lines(timeline.status_date, frame[0])
    printed = PrintedTimeline(
        timeline, chosen, day_width, origin, columns, rags, ref_width,
        label_width, legend, 0,
    )  # fmt: skip
    printed.rows_per_page = max(MIN_ROWS, int((frame[1] - printed.overhead) // ROW))
    return printed



class TimelineChart(Flowable):
    """The whole chart from row `first` down: split into one band of sheets per page, as many rows as fit."""

    def __init__(self, printed: PrintedTimeline, first: int = 0, band: int = 0) -> None:
        super().__init__()
        self.printed = printed
        self.first = first
        self.band = band

    def _rows_left(self) -> int:
        return len(self.printed.timeline.rows) - self.first

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        needed = self.printed.overhead + self._rows_left() * ROW
        if len(self.printed.columns) > 1:
            needed = max(needed, available_height + 1)  # sheets across are cut by split, one per page
        self.width, self.height = available_width, needed
        return available_width, needed

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fits = int((available_height - self.printed.overhead) // ROW)
        left = self._rows_left()
        if fits < min(MIN_ROWS, left):
            return []  # too little room here: the band starts on the next page
        count = min(fits, left)
        if count < left:
            # The rows shared evenly over the pages they need, so no last page holds a sliver of a band.
            pages = 1 + math.ceil((left - count) / self.printed.rows_per_page)
            count = min(count, max(MIN_ROWS, math.ceil(left / pages)))
        last = self.first + count - 1
        rows = self.printed.timeline.rows
        if count < left and count > MIN_ROWS and rows[last].is_header:
            last -= 1  # a heading never ends a sheet without its first action
        parts: list[Flowable] = []
        for column in range(len(self.printed.columns)):
            if column:
                parts.append(PageBreak())
            parts.append(TimelineSheet(self.printed, self.first, last, column, available_width))
        if last + 1 < len(self.printed.timeline.rows):
            # Each band on pages of its own: the next never squeezes into what this one left.
            parts += [PageBreak(), TimelineChart(self.printed, last + 1, self.band + 1)]
        return parts

    def draw(self) -> None:
        # Only reached when every row fits on this page and there is one sheet across.
        sheet = TimelineSheet(self.printed, self.first, len(self.printed.timeline.rows) - 1, 0, self.width)
        sheet.canv = self.canv
        sheet.draw()


class TimelineSheet(Flowable):
    """One sheet: rows first..last of one slice of time, with its labels, scale and legend."""

    def __init__(self, printed: PrintedTimeline, first: int, last: int, column: int, width: float) -> None:
        super().__init__()
        self.printed = printed
        self.first = first
        self.last = last
        self.column = column
        self.width = width
        self.height = self.printed.overhead + (last - first + 1) * ROW

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    @property
    def label_width(self) -> float:
        return self.printed.label_width

    # --- geometry ----------------------------------------------------------------------------

    @property
    def rows_top(self) -> float:
        return self.height - CAPTION - 2 * TIER

    @property
    def rows_bottom(self) -> float:
        return self.rows_top - (self.last - self.first + 1) * ROW

    def X(self, value: date) -> float:  # noqa: N802 - the chart's x, as the window's x_of
        return self.label_width + PAD + self.printed.x(value, self.column)

    def row_middle(self, row: int) -> float:
        return self.rows_top - (row - self.first) * ROW - ROW / 2

    # --- drawing -----------------------------------------------------------------------------

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        self._caption(canvas)
        self._row_backgrounds(canvas)
        canvas.saveState()
        chart_left = self.label_width
        self._clip(canvas, chart_left, self.rows_bottom, self.width - chart_left, self.rows_top - self.rows_bottom)
        self._grid(canvas)
        self._arrows(canvas)
        for row in range(self.first, self.last + 1):
            self._row_chart(canvas, self.printed.timeline.rows[row])
        status_x = self.X(self.printed.timeline.status_date)
        canvas.setStrokeColor(STATUS_LINE)
        canvas.setLineWidth(1)
        canvas.setDash(3, 2)
        canvas.line(status_x, self.rows_bottom, status_x, self.rows_top + TIER)
        canvas.setDash()
        canvas.restoreState()
        self._continuations(canvas)
        self._scale(canvas)
        self._labels(canvas)
        draw_legend(canvas, self.printed.legend, self.rows_bottom - 11)
        canvas.restoreState()

    @staticmethod
    def _clip(canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        path = canvas.beginPath()
        path.rect(x, y, width, height)
        canvas.clipPath(path, stroke=0, fill=0)

    def _caption(self, canvas: Canvas) -> None:
        printed = self.printed
        start, stop = printed.columns[self.column]
        y = self.height - CAPTION + 4
        last_day = min(stop - ONE_DAY, printed.timeline.last)
        left = f"Timeline by {printed.scale.value}: {british(start)} to {british(last_day)}"
        rows = printed.timeline.rows
        first = rows[self.first]
        if not first.is_header:
            heading = next((r for r in reversed(rows[: self.first]) if r.is_header), None)
            if heading is not None:
                left += f"  ·  continued: {heading.ref} {heading.title}".rstrip()
        right = f"Rows {self.first + 1}–{self.last + 1} of {len(rows)}"
        if len(printed.columns) > 1:
            right += f"  ·  sheet {self.column + 1} of {len(printed.columns)} across"
        canvas.setFont(REGULAR, LABEL_SIZE)
        canvas.setFillColor(MUTED)
        right_width = stringWidth(right, REGULAR, LABEL_SIZE)
        canvas.drawRightString(self.width, y, right)
        canvas.drawString(0, y, fit_width(left, REGULAR, LABEL_SIZE, self.width - right_width - 12))

    def _row_backgrounds(self, canvas: Canvas) -> None:
        rows = self.printed.timeline.rows
        canvas.setFillColor(HEADER_FILL)
        for row in range(self.first, self.last + 1):
            if rows[row].is_header:
                canvas.rect(0, self.row_middle(row) - ROW / 2, self.width, ROW, stroke=0, fill=1)
        # A hairline under each row carries the eye from the label to its bar.
        canvas.setStrokeColor(GRID_MINOR)
        canvas.setLineWidth(0.4)
        for row in range(self.first, self.last + 2):
            y = self.rows_top - (row - self.first) * ROW
            canvas.line(0, y, self.width, y)

    def _ticks(self) -> list[Tick]:
        start, stop = self.printed.columns[self.column]
        return ticks(self.printed.scale, start, stop)

    def _grid(self, canvas: Canvas) -> None:
        canvas.setLineWidth(0.4)
        for tick in self._ticks():
            canvas.setStrokeColor(GRID_MAJOR if tick.major else GRID_MINOR)
            x = self.X(tick.at)
            canvas.line(x, self.rows_bottom, x, self.rows_top)

    def _arrow_points(self, arrow: Arrow) -> list[tuple[float, float]]:
        x1, x2 = self.X(arrow.from_at), self.X(arrow.to_at)
        y1, y2 = self.row_middle(arrow.from_row), self.row_middle(arrow.to_row)
        leaves_finish = arrow.kind in ("FS", "FF")
        elbow = x1 + (ELBOW if leaves_finish else -ELBOW) if arrow.kind != "EXT" else x1
        return [(x1, y1), (elbow, y1), (elbow, y2), (x2, y2)]

    def _arrows(self, canvas: Canvas) -> None:
        timeline = self.printed.timeline
        printed = self.printed
        start, stop = printed.columns[self.column]
        # The sheet's days, widened by the pad before its first day and an elbow and arrowhead either side.
        margin = math.ceil((PAD + 2 * ELBOW) / printed.day_width) + 1
        first_day, last_day = shift(start, -margin), shift(stop, margin)
        # Every arrow in sight, from the layout's index however many the plan has: those with an end on the
        # sheet in full, those merely passing down through it as their uprights (all of them that shows).
        arrows = timeline.arrows_ending_in(self.first, self.last, first_day, last_day)
        every = max(1, int(0.25 / printed.day_width))  # uprights a quarter of a point apart are drawn as one
        uprights = timeline.uprights_passing(self.first, self.last, first_day, last_day, every)
        right = self.width
        canvas.setStrokeColor(ARROW_INK)
        canvas.setFillColor(ARROW_INK)
        canvas.setLineWidth(0.5)
        canvas.setFont(REGULAR, SMALL_SIZE)
        heads: list[tuple[Arrow, list[tuple[float, float]]]] = []
        path = canvas.beginPath()
        for arrow in arrows:
            points = self._arrow_points(arrow)
            xs = [p[0] for p in points]
            if max(xs) < self.label_width - 6 or min(xs) > right + 6:
                continue  # wholly on another sheet across
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            if self.first <= arrow.to_row <= self.last:
                heads.append((arrow, points))
        for day, leaves in uprights:
            x = self.X(day) + (ELBOW if leaves is End.FINISH else -ELBOW if leaves is End.START else 0.0)
            path.moveTo(x, self.rows_top)
            path.lineTo(x, self.rows_bottom)
        canvas.drawPath(path, stroke=1, fill=0)
        taken = label_obstacles(
            timeline, (self.first, self.last), self.X, lambda text: min(260.0, small_width(text)), 3
        )
        bounds = (self.label_width + 2, self.width - 2)
        for arrow, points in heads:
            (cx, _cy), (dx, dy) = points[2], points[3]
            direction = 1 if dx >= cx else -1
            head = canvas.beginPath()
            head.moveTo(dx, dy)
            head.lineTo(dx - 4.5 * direction, dy - 2.6)
            head.lineTo(dx - 4.5 * direction, dy + 2.6)
            head.close()
            canvas.drawPath(head, stroke=0, fill=1)
            if arrow.label:
                # Beside its arrow where no bar, ref or other label is (model/timeline.py), else left out.
                rows = (arrow.from_row, arrow.from_row, arrow.to_row, arrow.to_row)
                corners = tuple((x, row) for (x, _y), row in zip(points, rows, strict=True))
                spot = place_lag_label(
                    corners, small_width(arrow.label), taken, bounds, (self.first, self.last), head=4.5
                )
                if spot is not None:
                    canvas.drawString(spot.x, self.row_middle(spot.row) + 1.5, arrow.label)

    def _row_chart(self, canvas: Canvas, row: Row) -> None:
        timeline = self.printed.timeline
        middle = self.row_middle(row.index)
        if row.kind is RowKind.ACTION:
            bar = timeline.bars.get(row.ident)
            if bar is not None:
                self._bar(canvas, bar, middle)
        elif row.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(row.ident)
            x = self.X(milestone.on) if milestone is not None else -1.0
            if milestone is not None and self.label_width - 5 <= x <= self.width + 5:
                diamond(canvas, x, middle, milestone.delivered)
                state = "delivered" if milestone.delivered else "expected"
                canvas.setFillColor(INK)
                canvas.setFont(REGULAR, SMALL_SIZE)
                text = fit_width(f"{milestone.name} — {state} {british(milestone.on)}", REGULAR, SMALL_SIZE, 260)
                if x + 7 + small_width(text) > self.width and x - self.label_width > self.width - x:
                    canvas.drawRightString(x - 7, middle - 2.5, text)  # no room after it on this sheet
                else:
                    canvas.drawString(x + 7, middle - 2.5, text)
        elif row.span is not None and row.kind is RowKind.OBJECTIVE:
            left, right = self.X(row.span[0]), self.X(shift(row.span[1], 1))
            summary_bar(canvas, left, right, middle)


    def _bar(self, canvas: Canvas, bar: Bar, middle: float) -> None:
        left, right = self.X(bar.start), self.X(shift(bar.target, 1))
        height = 8.0
        bottom = middle - height / 2 + 0.5
        colour = fill(bar.rag)
        end = self.X(shift(bar.forecast, 1)) if bar.late else right
        if max(end, right) + 40 < self.label_width or left > self.width:
            return  # on another sheet across: nothing of it (not even clipped text) goes on this one
        if bar.late:
            # Only the part on this sheet is hatched: a forecast years out would otherwise be millions of lines.
            hatch_left, hatch_right = max(right, self.label_width - 4), min(end, self.width + 4)
            if hatch_right > hatch_left:
                hatched(canvas, hatch_left, bottom + 0.5, hatch_right - hatch_left, height - 1, colour)
        canvas.setFillColor(colour)
        canvas.setStrokeColor(darker(colour, 0.8))
        canvas.setLineWidth(0.4)
        width = max(1.5, right - left)
        canvas.rect(left, bottom, width, height, stroke=1, fill=1)
        if bar.percent and not bar.complete:
            canvas.setFillColor(darker(colour, 0.6))
            canvas.rect(left, bottom, (right - left) * bar.percent / 100, 2, stroke=0, fill=1)
        if bar.reported is not None:
            # The target as last reported to committee: a thin line under the bar, ending in a tick.
            reported_x = self.X(shift(bar.reported, 1))
            y = bottom - 1.6
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.7)
            canvas.line(left, y, reported_x, y)
            canvas.line(reported_x, y - 1.2, reported_x, y + 2.4)
        # Every bar says its RAG as a letter too (colour is never the only signal).
        visible_left = max(left, self.label_width)
        text = bar.ref
        if right - visible_left >= 10 and visible_left < self.width:
            canvas.setFillColor(WHITE if bar.rag not in (Rag.AMBER, Rag.GREY) else INK)
            canvas.setFont(BOLD, SMALL_SIZE)
            canvas.drawString(visible_left + 2, middle - 2.2, bar.letter)
        else:
            text = f"{bar.letter} {bar.ref}"
        after = max(end, right) + 3
        if self.label_width <= after < self.width:
            # On a white ground: an arrow's leg passing behind the ref does not strike it through.
            canvas.setFillColor(WHITE)
            canvas.rect(after - 1, middle - 3.6, small_width(text) + 2, 7.4, stroke=0, fill=1)
            canvas.setFillColor(INK)
            canvas.setFont(REGULAR, SMALL_SIZE)
            canvas.drawString(after, middle - 2.3, text)

    def _continuations(self, canvas: Canvas) -> None:
        """A small mark where a bar runs on to the sheet before or after this one."""
        timeline = self.printed.timeline
        right_edge = self.width
        canvas.setFillColor(INK)
        for row in range(self.first, self.last + 1):
            bar = timeline.bar_at_row(row)
            if bar is None:
                continue
            left, end = self.X(bar.start), self.X(shift(bar.finish, 1))
            middle = self.row_middle(row)
            if left < self.label_width < end:
                chevron(canvas, self.label_width + 0.5, middle, -1)
            if left < right_edge < end:
                chevron(canvas, right_edge - 0.5, middle, 1)


    def _scale(self, canvas: Canvas) -> None:
        top = self.rows_top + 2 * TIER
        width = self.width - self.label_width
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, self.rows_top, self.width, 2 * TIER, stroke=0, fill=1)
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, LABEL_SIZE)
        canvas.drawString(4, self.rows_top + TIER / 2 - 2.5, "Action")
        canvas.saveState()
        self._clip(canvas, self.label_width, self.rows_top, width, 2 * TIER)
        marks = self._ticks()
        for major, tier_bottom in ((True, self.rows_top + TIER), (False, self.rows_top)):
            tier = [t for t in marks if t.major is major]
            font, size = (BOLD, LABEL_SIZE) if major else (REGULAR, SMALL_SIZE)
            canvas.setFont(font, size)
            for number, tick in enumerate(tier):
                x = self.X(tick.at)
                following = self.X(tier[number + 1].at) if number + 1 < len(tier) else self.width + 1000
                canvas.setStrokeColor(RULE)
                canvas.setLineWidth(0.5)
                canvas.line(x, tier_bottom, x, tier_bottom + TIER)
                # A label whose tick is off to the left stays in sight at the sheet's left edge.
                text_x = max(x, self.label_width) + 2.5
                room = min(following, self.width) - text_x - 2
                label = tick.label
                if stringWidth(label, font, size) > room:
                    label = label.split(" ")[0]  # 'Q1 Apr–Jun' -> 'Q1'
                if stringWidth(label, font, size) > room:
                    continue  # a label that does not fit is left out rather than overprinted
                canvas.setFillColor(INK if major else MUTED)
                canvas.drawString(text_x, tier_bottom + TIER / 2 - 2.4, label)
        canvas.restoreState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.label_width, self.rows_top + TIER, self.width, self.rows_top + TIER)
        canvas.setStrokeColor(RULE_DARK)
        canvas.line(0, self.rows_top, self.width, self.rows_top)
        canvas.line(0, top, self.width, top)

    def _labels(self, canvas: Canvas) -> None:
        printed = self.printed
        rows = printed.timeline.rows
        canvas.setFillColor(WHITE)
        # The label column is white under the text, and its rule closes the chart on the left.
        box = 11.0
        for row in range(self.first, self.last + 1):
            found = rows[row]
            middle = self.row_middle(row)
            baseline = middle - 2.6
            rag = printed.objective_rags.get(found.ident) if found.kind is RowKind.OBJECTIVE else found.rag
            room_right = self.label_width - 4 - (box + 4 if rag is not None else 0)
            canvas.setFillColor(INK)
            if found.is_header:
                canvas.setFont(BOLD, LABEL_SIZE)
                text = f"{found.ref}  {found.title}" if found.ref else found.title
                canvas.drawString(4, baseline, fit_width(text, BOLD, LABEL_SIZE, room_right - 4))
            elif found.kind is RowKind.EXTERNAL:
                milestone = printed.timeline.milestones.get(found.ident)
                diamond(canvas, 10, middle, bool(milestone and milestone.delivered))
                canvas.setFillColor(INK)
                canvas.setFont(REGULAR, LABEL_SIZE)
                canvas.drawString(18, baseline, fit_width(found.title, REGULAR, LABEL_SIZE, room_right - 18))
            else:
                canvas.setFont(REGULAR, LABEL_SIZE)
                ref = fit_width(found.ref, REGULAR, LABEL_SIZE, printed.ref_width - 4)
                canvas.drawString(8, baseline, ref)
                title_x = 8 + printed.ref_width
                canvas.drawString(title_x, baseline, fit_width(found.title, REGULAR, LABEL_SIZE, room_right - title_x))
            if rag is not None:
                left = self.label_width - 3 - box
                canvas.setFillColor(fill(rag))
                canvas.rect(left, middle - 4.2, box, 8.4, stroke=0, fill=1)
                canvas.setFillColor(WHITE if rag not in (Rag.AMBER, Rag.GREY) else INK)
                canvas.setFont(BOLD, SMALL_SIZE)
                canvas.drawCentredString(left + box / 2, middle - 2.4, rag.value)
        canvas.setStrokeColor(RULE_DARK)
        canvas.setLineWidth(0.6)
        canvas.line(self.label_width, self.rows_bottom, self.label_width, self.rows_top + 2 * TIER)
        canvas.line(0, self.rows_bottom, self.width, self.rows_bottom)
