"""The timeline's layout: rows, bars, milestones, arrows and scale ticks, as plain data (no Qt).

The window's Timeline tab and a printed timeline both draw from this, so they place
every bar, arrow and tick the same way. Geometry is in days: `Axis` turns a date into
an x in pixels (the left edge of that day) and back; rows are numbered from 0 and the
drawer multiplies by its own row height.

Conventions (every drawer keeps them):
- a bar covers its start date to its target date *inclusive*: x(start) .. x(target + 1 day);
  an action without a start is one day long, on its target date;
- the forecast beyond the target is drawn after the bar: x(target + 1) .. x(forecast + 1);
- a bar's "finish" end is the later of target and forecast (the forecast drives what waits on it),
  its "start" end is its start;
- an arrow FS goes predecessor finish -> successor start; SS start -> start; FF finish -> finish;
  SF predecessor start -> successor finish; the lag is carried for the label;
- an external dependency is a diamond at its delivered date, else its expected date, on its own
  row at the top, with an arrow to the start of each action that waits on it;
- the status-date line is at the left edge of the status date: a bar ending before it is overdue.
"""

from __future__ import annotations

import bisect
import calendar
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from egov_planner.model.dates import clamp_to_range, shift
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.rules import COMPLETE, PlanAssessment, Rag

ONE_DAY = timedelta(days=1)


# --- scales and the axis -------------------------------------------------------------------------


class Scale(enum.StrEnum):
    WEEKS = "weeks"
    MONTHS = "months"
    QUARTERS = "quarters"
    YEARS = "financial years"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]

    @property
    def day_width(self) -> float:
        """Pixels per day when this scale is chosen (a week, month, quarter or year reads well)."""
        return _DAY_WIDTHS[self]


_DAY_WIDTHS = {Scale.WEEKS: 16.0, Scale.MONTHS: 4.0, Scale.QUARTERS: 1.5, Scale.YEARS: 0.5}
MIN_DAY_WIDTH = 0.1
MAX_DAY_WIDTH = 64.0
ZOOM_STEP = 1.25


def scale_for(day_width: float) -> Scale:
    """The scale whose ticks suit a zoom: the nearest preset, on a log scale."""
    presets = list(Scale)  # widest first
    for wider, narrower in zip(presets, presets[1:], strict=False):
        if day_width >= (_DAY_WIDTHS[wider] * _DAY_WIDTHS[narrower]) ** 0.5:
            return wider
    return presets[-1]


def zoomed(day_width: float, steps: int) -> float:
    """day_width after `steps` zoom steps in (positive) or out (negative), kept within bounds."""
    return min(MAX_DAY_WIDTH, max(MIN_DAY_WIDTH, day_width * ZOOM_STEP**steps))


@dataclass(frozen=True, slots=True)
class Axis:
    """Dates to x and back: x = (date - origin) in days x day_width."""

    origin: date
    day_width: float

    def x(self, value: date) -> float:
        """The left edge of the day."""
        return (value.toordinal() - self.origin.toordinal()) * self.day_width

    def end_x(self, value: date) -> float:
        """The right edge of the day (where a bar ending on it stops)."""
        return (value.toordinal() + 1 - self.origin.toordinal()) * self.day_width

    def date_at(self, x: float) -> date:
        """The day under x."""
        return _clamped_ordinal(self.origin.toordinal() + int(x // self.day_width))

    def boundary_at(self, x: float) -> date:
        """The day whose left edge is nearest x (where a dragged edge snaps to)."""
        return _clamped_ordinal(self.origin.toordinal() + round(x / self.day_width))


def _clamped_ordinal(ordinal: int) -> date:
    return clamp_to_range(date.fromordinal(min(max(ordinal, 1), date.max.toordinal())))


# --- what is drawn -------------------------------------------------------------------------------


class RowKind(enum.StrEnum):
    EXTERNALS = "externals"  # the header over the external dependencies
    EXTERNAL = "external"
    OBJECTIVE = "objective"
    ACTION = "action"


EXTERNALS_GROUP = 0  # the externals header's ident, for collapsing


@dataclass(frozen=True, slots=True)
class Row:
    index: int
    kind: RowKind
    ident: int  # action, objective or external id (EXTERNALS_GROUP for the externals header)
    ref: str
    title: str
    rag: Rag | None = None
    collapsed: bool = False  # headers only
    count: int = 0  # headers: how many rows they hold
    span: tuple[date, date] | None = None  # headers: first start .. last finish of what they hold

    @property
    def is_header(self) -> bool:
        return self.kind in (RowKind.OBJECTIVE, RowKind.EXTERNALS)


@dataclass(slots=True, eq=False)  # not frozen: a frozen init costs a call per field, and there are 20,000
class Bar:
    action_id: int
    row: int
    ref: str
    start: date
    target: date
    forecast: date  # the rules' forecast finish (for a complete action: when it was completed)
    rag: Rag
    complete: bool
    percent: int = 0
    reported: date | None = None  # the target date as last reported to committee
    in_cycle: bool = False

    @property
    def late(self) -> bool:
        """The forecast runs past the target: drawn as a hatched extension."""
        return self.forecast > self.target

    @property
    def finish(self) -> date:
        """The bar's finish end: the later of target and forecast."""
        return max(self.target, self.forecast)

    @property
    def letter(self) -> str:
        return self.rag.value


@dataclass(frozen=True, slots=True)
class Milestone:
    external_id: int
    row: int
    name: str
    on: date
    delivered: bool


class End(enum.StrEnum):
    START = "start"
    FINISH = "finish"


# Which end of the predecessor and of the successor each link kind joins.
LINK_ENDS = {
    "FS": (End.FINISH, End.START),
    "SS": (End.START, End.START),
    "FF": (End.FINISH, End.FINISH),
    "SF": (End.START, End.FINISH),
}


@dataclass(slots=True)  # not frozen: 40,000 are made per layout
class Arrow:
    from_row: int
    from_at: date  # the arrow leaves at the left edge of this day
    to_row: int
    to_at: date
    kind: str  # FS, SS, FF, SF, or "EXT" from an external's diamond
    lag_days: int
    successor_id: int
    predecessor_id: int | None = None  # None when from an external
    external_id: int | None = None

    @property
    def label(self) -> str:
        """'FS+10d', 'SS', '' for a plain FS."""
        if self.kind == "EXT" or (self.kind == "FS" and not self.lag_days):
            return ""
        if not self.lag_days:
            return self.kind
        return f"{self.kind}{'+' if self.lag_days > 0 else '-'}{abs(self.lag_days)}d"

    @property
    def top(self) -> int:
        return min(self.from_row, self.to_row)

    @property
    def bottom(self) -> int:
        return max(self.from_row, self.to_row)


def end_date(bar: Bar, end: End) -> date:
    """Where an arrow meets a bar: the left edge of its start, or the right edge of its finish."""
    return bar.start if end is End.START else shift(bar.finish, 1)  # a far stored date must not overflow


_BLOCK = 256  # arrows indexed by blocks of rows, so a screenful finds its arrows without a full scan


@dataclass(slots=True)
class Timeline:
    rows: list[Row]
    bars: dict[int, Bar]  # by action id (shown actions only)
    milestones: dict[int, Milestone]  # by external id
    arrows: list[Arrow]  # sorted by top row
    status_date: date
    first: date  # the earliest date drawn
    last: date  # the latest date drawn
    row_of_action: dict[int, int] = field(default_factory=dict)
    _tops: list[int] = field(default_factory=list)
    _block_bottom: list[int] = field(default_factory=list)  # the deepest row any arrow in a block reaches
    _ends: dict[int, list[Arrow]] = field(default_factory=dict)  # row -> arrows leaving or reaching it
    # The arrows' uprights (an arrow turns at its from_at, on the far side of the end it leaves), grouped by
    # day and side: the arrows in day, side, top-row order in flat lists, each group a slice of them with a
    # running deepest bottom, so a screenful finds exactly the arrows passing through without the rest.
    _turn_arrows: list[Arrow] = field(default_factory=list)
    _turn_tops: list[int] = field(default_factory=list)
    _turn_bottoms: list[int] = field(default_factory=list)
    _turn_deepest: list[int] = field(default_factory=list)  # the deepest bottom so far within its group
    _group_starts: list[int] = field(default_factory=list)  # where each group starts (and one past the last)
    _group_keys: list[tuple[date, End | None]] = field(default_factory=list)
    _group_days: list[int] = field(default_factory=list)  # ordinals, ascending
    _group_sides: dict[End | None, tuple[list[int], list[int]]] = field(default_factory=dict)  # days, groups

    def bar_at_row(self, row: int) -> Bar | None:
        if not 0 <= row < len(self.rows):
            return None
        found = self.rows[row]
        return self.bars.get(found.ident) if found.kind is RowKind.ACTION else None

    def arrows_between(self, first_row: int, last_row: int) -> list[Arrow]:
        """Arrows that cross rows first_row..last_row (a screenful): only these are drawn."""
        end = bisect.bisect_right(self._tops, last_row)
        found: list[Arrow] = []
        arrows = self.arrows
        for block, deepest in enumerate(self._block_bottom):
            start = block * _BLOCK
            if start >= end:
                break
            if deepest < first_row:
                continue
            found.extend(a for a in arrows[start : min(end, start + _BLOCK)] if a.bottom >= first_row)
        return found

    def arrows_touching(self, first_row: int, last_row: int) -> list[Arrow]:
        """Arrows with an end on rows first_row..last_row (each once): what a large plan draws on screen."""
        seen: dict[int, Arrow] = {}
        ends = self._ends
        for row in range(first_row, last_row + 1):
            for arrow in ends.get(row, ()):
                seen[id(arrow)] = arrow
        return list(seen.values())

    def arrows_in(self, first_row: int, last_row: int, first_day: date, last_day: date) -> list[Arrow]:
        """Every arrow whose path crosses rows first_row..last_row between first_day and last_day (inclusive).

        An arrow runs along its from row at from_at, up or down at from_at, then along its to row to to_at;
        the drawer widens the days by the width of its elbow and arrowhead.
        """
        return self.arrows_ending_in(first_row, last_row, first_day, last_day) + self.arrows_passing(
            first_row, last_row, first_day, last_day
        )

    def arrows_ending_in(self, first_row: int, last_row: int, first_day: date, last_day: date) -> list[Arrow]:
        """Arrows with an end on rows first_row..last_row that show between first_day and last_day."""
        low, high = first_day.toordinal(), last_day.toordinal()
        found = []
        for arrow in self.arrows_touching(first_row, last_row):
            turn, reach = arrow.from_at.toordinal(), arrow.to_at.toordinal()
            if low <= turn <= high:  # its upright (and the stub before it) is in sight
                found.append(arrow)
            elif first_row <= arrow.to_row <= last_row and min(turn, reach) <= high and max(turn, reach) >= low:
                found.append(arrow)  # the run along its to row crosses the screen
        return found

    def arrows_passing(self, first_row: int, last_row: int, first_day: date, last_day: date) -> list[Arrow]:
        """Arrows with neither end on rows first_row..last_row whose upright crosses them between the days."""
        arrows, tops, bottoms, starts = self._turn_arrows, self._turn_tops, self._turn_bottoms, self._group_starts
        days = self._group_days
        low, high = bisect.bisect_left(days, first_day.toordinal()), bisect.bisect_right(days, last_day.toordinal())
        found: list[Arrow] = []
        for group in range(low, high):
            above = bisect.bisect_left(tops, first_row, starts[group], starts[group + 1])
            found += [arrows[n] for n in range(starts[group], above) if bottoms[n] > last_row]
        return found

    def uprights_passing(
        self, first_row: int, last_row: int, first_day: date, last_day: date, every: int = 1
    ) -> list[tuple[date, End | None]]:
        """Where arrows_passing's arrows turn: (day, the end they leave; None from a diamond), each once.

        Arrows passing through a screen are drawn as their uprights alone, so this is all a drawer needs.
        every: a drawer whose pixel spans that many days asks for at most one upright per side in each
        run of `every` days (counted from 1 January of year 1, so a scroll does not move them); the
        one it draws is within a pixel of the others. Zoomed out, that is a few hundred, not thousands.
        """
        tops, deepest, starts, keys = self._turn_tops, self._turn_deepest, self._group_starts, self._group_keys
        low, high = first_day.toordinal(), last_day.toordinal()
        left = bisect.bisect_left
        found = []
        for days, groups in self._group_sides.values():
            at, end = left(days, low), bisect.bisect_right(days, high)
            while at < end:
                group = groups[at]
                first = starts[group]
                # The group's highest top rules it out at once; else the deepest of those starting above.
                if tops[first] < first_row and deepest[left(tops, first_row, first, starts[group + 1]) - 1] > last_row:
                    found.append(keys[group])
                    if every > 1:  # on to the next run of days
                        at = left(days, (days[at] // every + 1) * every, at + 1, end)
                        continue
                at += 1
        return found

    def arrows_of(self, action_id: int) -> list[Arrow]:
        return [a for a in self.arrows if a.successor_id == action_id or a.predecessor_id == action_id]

    def _index_arrows(self) -> None:
        # Plain loops over local names and lists by position: 40,000 arrows are indexed at every layout.
        given = self.arrows
        top_of = [a.from_row if a.from_row < a.to_row else a.to_row for a in given]
        order = sorted(range(len(given)), key=top_of.__getitem__)
        arrows = self.arrows = [given[i] for i in order]
        tops = self._tops = [top_of[i] for i in order]
        bottoms = [a.from_row if a.from_row > a.to_row else a.to_row for a in arrows]
        self._block_bottom = [max(bottoms[i : i + _BLOCK]) for i in range(0, len(bottoms), _BLOCK)]
        ends: dict[int, list[Arrow]] = defaultdict(list)
        for arrow in arrows:
            ends[arrow.from_row].append(arrow)
            if arrow.to_row != arrow.from_row:
                ends[arrow.to_row].append(arrow)
        self._ends = dict(ends)
        # The uprights: one stable sort by day and side keeps each group in top-row order.
        turns = [a.from_at.toordinal() * 3 + _SIDE_CODE.get(a.kind, 1) for a in arrows]
        order = sorted(range(len(arrows)), key=turns.__getitem__)
        turns = [turns[n] for n in order]
        self._turn_arrows = [arrows[n] for n in order]
        self._turn_tops = [tops[n] for n in order]
        turn_bottoms = self._turn_bottoms = [bottoms[n] for n in order]
        starts = [n for n in range(len(turns)) if n == 0 or turns[n] != turns[n - 1]]
        deepest = list(turn_bottoms)
        group_start = set(starts)
        for n in range(1, len(deepest)):
            if n not in group_start and deepest[n - 1] > deepest[n]:
                deepest[n] = deepest[n - 1]
        self._turn_deepest = deepest
        self._group_starts = [*starts, len(turns)]
        self._group_days = [turns[n] // 3 for n in starts]
        self._group_keys = [(date.fromordinal(turns[n] // 3), _SIDES[turns[n] % 3]) for n in starts]
        sides: dict[End | None, tuple[list[int], list[int]]] = {}
        for group, (_day, leaves) in enumerate(self._group_keys):
            days, groups = sides.setdefault(leaves, ([], []))
            days.append(self._group_days[group])
            groups.append(group)
        self._group_sides = sides


# The end an arrow leaves, as a number for sorting (it turns before a start, beyond a finish, or straight
# down from a diamond).
_SIDES: list[End | None] = [End.START, End.FINISH, None]
_SIDE_CODE = {kind: _SIDES.index(ends[0]) for kind, ends in LINK_ENDS.items()} | {"EXT": 2}


def reported_targets(snapshot: PlanSnapshot) -> dict[int, date]:
    """Each action's target date as last reported to committee (none before a report is recorded)."""
    report = snapshot.last_report
    if report is None:
        return {}
    by_id = {a.action_id: a.due for a in report.actions if a.action_id is not None}
    by_ref = {a.ref: a.due for a in report.actions}
    found: dict[int, date] = {}
    for action in snapshot.actions:
        due = by_id.get(action.id) or by_ref.get(action.ref) or snapshot.original_due.get(action.id)
        if due is not None:
            found[action.id] = due
    return found


def build_timeline(
    snapshot: PlanSnapshot,
    assessment: PlanAssessment,
    shown: set[int] | frozenset[int] | None = None,
    collapsed: Iterable[int] = (),
    externals_collapsed: bool = False,
) -> Timeline:
    """Lay the plan out: externals first, then each objective and its actions, in plan order.

    shown: the action ids the plan view's filter lets through (None: all). collapsed: objective
    ids whose actions are folded away. Objectives with no shown action are left out.
    """
    folded = set(collapsed)
    verdicts = assessment.actions
    reported = reported_targets(snapshot)
    by_objective: dict[int, list[Bar]] = defaultdict(list)
    titles: dict[int, str] = {}
    for action in snapshot.actions:
        if shown is not None and action.id not in shown:
            continue
        verdict = verdicts.get(action.id)
        complete = action.status == COMPLETE
        forecast = verdict.forecast if verdict is not None else action.due
        start = action.start if action.start is not None and action.start <= action.due else action.due
        bar = Bar(
            action_id=action.id,
            row=-1,
            ref=action.ref,
            start=start,
            target=action.due,
            forecast=forecast,
            rag=verdict.rag if verdict is not None else Rag.GREY,
            complete=complete,
            percent=action.percent_complete,
            reported=reported.get(action.id),
            in_cycle=action.id in assessment.in_cycle,
        )
        by_objective[action.objective_id].append(bar)
        titles[action.id] = action.title

    # Externals waited on by a shown action, with the actions waiting on each.
    waiting: dict[int, list[int]] = defaultdict(list)
    shown_ids = {b.action_id for bars in by_objective.values() for b in bars}
    for action_id, external_id in snapshot.waits_on:
        if action_id in shown_ids:
            waiting[external_id].append(action_id)
    externals = [e for e in snapshot.externals if e.id in waiting and (e.delivered_on or e.expected_on)]

    rows: list[Row] = []
    bars: dict[int, Bar] = {}
    milestones: dict[int, Milestone] = {}
    dates: list[date] = [assessment.status_date]
    if externals:
        on_dates = [e.delivered_on or e.expected_on for e in externals]
        span = (min(d for d in on_dates if d), max(d for d in on_dates if d))
        rows.append(
            Row(0, RowKind.EXTERNALS, EXTERNALS_GROUP, "", "External dependencies", None,
                externals_collapsed, len(externals), span)
        )  # fmt: skip
        dates.extend(span)
        if not externals_collapsed:
            for external in externals:
                when = external.delivered_on or external.expected_on
                assert when is not None
                index = len(rows)
                rows.append(Row(index, RowKind.EXTERNAL, external.id, "", external.name))
                milestones[external.id] = Milestone(
                    external.id, index, external.name, when, bool(external.delivered_on)
                )
    for objective in snapshot.objectives:
        members = by_objective.get(objective.id)
        if not members:
            continue
        span = (min(b.start for b in members), max(b.finish for b in members))
        dates.extend(span)
        is_folded = objective.id in folded
        rows.append(
            Row(len(rows), RowKind.OBJECTIVE, objective.id, objective.ref, objective.title,
                assessment.objectives.get(objective.id), is_folded, len(members), span)
        )  # fmt: skip
        if is_folded:
            continue
        for bar in members:
            index = len(rows)
            bar.row = index
            bars[bar.action_id] = bar
            rows.append(Row(index, RowKind.ACTION, bar.action_id, bar.ref, titles[bar.action_id], bar.rag))
    for bar in bars.values():
        if bar.reported is not None:
            dates.append(bar.reported)

    row_of_action = {ident: b.row for ident, b in bars.items()}
    arrows: list[Arrow] = []
    for link in snapshot.links:
        predecessor = bars.get(link.predecessor_id)
        successor = bars.get(link.successor_id)
        if predecessor is None or successor is None:
            continue  # one end is filtered out or folded away
        from_end, to_end = LINK_ENDS.get(link.kind, LINK_ENDS["FS"])
        from_at = (
            predecessor.start if from_end is End.START else shift(max(predecessor.target, predecessor.forecast), 1)
        )
        to_at = successor.start if to_end is End.START else shift(max(successor.target, successor.forecast), 1)
        arrows.append(
            Arrow(predecessor.row, from_at, successor.row, to_at, link.kind, link.lag_days, successor.action_id,
                  predecessor.action_id)
        )  # fmt: skip
    for external_id, action_ids in waiting.items():
        milestone = milestones.get(external_id)
        if milestone is None:
            continue
        for action_id in action_ids:
            successor = bars.get(action_id)
            if successor is not None:
                arrows.append(
                    Arrow(milestone.row, milestone.on, successor.row, successor.start, "EXT", 0,
                          action_id, external_id=external_id)
                )  # fmt: skip

    timeline = Timeline(
        rows=rows,
        bars=bars,
        milestones=milestones,
        arrows=arrows,
        status_date=assessment.status_date,
        first=clamp_to_range(min(dates)),
        last=clamp_to_range(max(dates)),
        row_of_action=row_of_action,
    )
    timeline._index_arrows()
    return timeline


# --- hit testing (where a press lands) -----------------------------------------------------------


class Part(enum.StrEnum):
    BODY = "body"  # drag to move the bar
    START = "start"  # the left edge
    END = "end"  # the right edge: drag to change the target date
    MILESTONE = "milestone"


HANDLE = 5.0  # pixels either side of a bar's edge that grab the edge


@dataclass(frozen=True, slots=True)
class Hit:
    part: Part
    ident: int  # action id (or external id for a milestone)
    row: int


def hit_test(timeline: Timeline, axis: Axis, row: int, x: float) -> Hit | None:
    """What a press at (row, x) takes hold of: a bar's end, its body, or a diamond."""
    if not 0 <= row < len(timeline.rows):
        return None
    found = timeline.rows[row]
    if found.kind is RowKind.EXTERNAL:
        milestone = timeline.milestones.get(found.ident)
        if milestone is not None and abs(axis.x(milestone.on) - x) <= max(HANDLE, 7.0):
            return Hit(Part.MILESTONE, milestone.external_id, row)
        return None
    bar = timeline.bar_at_row(row)
    if bar is None:
        return None
    left, right = axis.x(bar.start), axis.end_x(bar.target)
    handle = min(HANDLE, max(2.0, (right - left) / 3))  # a short bar stays movable in the middle
    if abs(x - right) <= handle:
        return Hit(Part.END, bar.action_id, row)
    if abs(x - left) <= handle and right - left > 2 * handle:
        return Hit(Part.START, bar.action_id, row)
    if left <= x <= max(right, axis.end_x(bar.finish)):
        return Hit(Part.BODY, bar.action_id, row)
    return None


# --- scale ticks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tick:
    at: date  # the tick stands at this day's left edge; its label runs to the next tick of its tier
    label: str
    major: bool


def financial_year_label(value: date) -> str:
    """'2004/05' for any date from 1 April 2004 to 31 March 2005."""
    first = value.year if value.month >= 4 else value.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _month_starts(first: date, last: date, every: int = 1, anchor: int = 1) -> list[date]:
    """The first of every `every`-th month (counted from month `anchor`) from before first to after last."""
    month = first.month - ((first.month - anchor) % every)
    year = first.year
    if month < 1:
        month += 12
        year -= 1
    found = []
    current = date(year, month, 1)
    while current <= last:
        found.append(current)
        total = current.month - 1 + every
        current = date(current.year + total // 12, total % 12 + 1, 1)
    return found


def _quarter_label(value: date) -> str:
    """Quarters of the financial year: Q1 April-June ... Q4 January-March."""
    return f"Q{((value.month - 4) % 12) // 3 + 1}"


def ticks(scale: Scale, first: date, last: date) -> list[Tick]:
    """Major and minor ticks from at or before `first` to `last` (a screenful, so only those are made)."""
    first, last = clamp_to_range(first), clamp_to_range(last)
    found: list[Tick] = []
    if scale is Scale.WEEKS:
        found += [Tick(m, f"{calendar.month_name[m.month]} {m.year}", True) for m in _month_starts(first, last)]
        monday = first - timedelta(days=first.weekday())
        while monday <= last:
            found.append(Tick(monday, f"{monday.day:02d}/{monday.month:02d}", False))
            monday += timedelta(days=7)
    elif scale is Scale.MONTHS:
        found += [Tick(m, financial_year_label(m), True) for m in _month_starts(first, last, 12, 4)]
        found += [Tick(m, calendar.month_abbr[m.month], False) for m in _month_starts(first, last)]
    elif scale is Scale.QUARTERS:
        found += [Tick(m, financial_year_label(m), True) for m in _month_starts(first, last, 12, 4)]
        found += [
            Tick(m, f"{_quarter_label(m)} {calendar.month_abbr[m.month]}–{calendar.month_abbr[(m.month + 1) % 12 + 1]}",
                 False)
            for m in _month_starts(first, last, 3, 4)
        ]  # fmt: skip
    else:
        found += [Tick(m, financial_year_label(m), True) for m in _month_starts(first, last, 12, 4)]
        found += [Tick(m, _quarter_label(m), False) for m in _month_starts(first, last, 3, 4)]
    found.sort(key=lambda t: (t.at, not t.major))
    return found


# --- lag labels (where an arrow's 'SS+5d' goes) -----------------------------------------------------

Span = tuple[float, float]  # from x .. to x on one row


@dataclass(frozen=True, slots=True)
class LabelSpot:
    """Where a lag label is drawn: on `row` (in the half above its middle), its left edge at x."""

    row: int
    x: float


def label_obstacles(
    timeline: Timeline,
    rows: tuple[int, int],
    x_of: Callable[[date], float],
    measure: Callable[[str], float],
    text_gap: float,
) -> dict[int, list[Span]]:
    """What a lag label must keep clear of on rows first..last, as x spans: each bar with its forecast and
    the ref printed after it, each diamond with its words (either side: a drawer may put them before it),
    each objective's summary bar. x_of is the drawer's x of a day's left edge; measure its text width."""
    taken: dict[int, list[Span]] = {}
    for row in range(max(0, rows[0]), min(len(timeline.rows) - 1, rows[1]) + 1):
        found = timeline.rows[row]
        if found.kind is RowKind.ACTION:
            bar = timeline.bars.get(found.ident)
            if bar is not None:
                end = x_of(shift(bar.finish, 1))
                taken[row] = [(x_of(bar.start) - 1, end + text_gap + measure(f"{bar.letter} {bar.ref}"))]
        elif found.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(found.ident)
            if milestone is not None:
                x = x_of(milestone.on)
                words = measure(f"{milestone.name} — {'delivered' if milestone.delivered else 'expected'} "
                                f"{milestone.on:%d/%m/%Y}") + text_gap  # fmt: skip
                taken[row] = [(x - 6 - words, x + 6 + words)]
        elif found.span is not None:
            taken[row] = [(x_of(found.span[0]) - 4, x_of(shift(found.span[1], 1)) + 4)]
    return taken


def place_lag_label(
    points: tuple[tuple[float, int], ...],
    width: float,
    taken: dict[int, list[Span]],
    bounds: Span,
    rows: tuple[int, int],
    gap: float = 2.0,
    head: float = 6.0,
) -> LabelSpot | None:
    """A spot for an arrow's lag label, or None when there is no room anywhere along the arrow.

    points: the arrow's corners as (x, row), from its tail to its head, each run horizontal (same row)
    or vertical (same x), as the drawers route them. taken: each row's x spans already used (bars,
    refs, diamonds and their text, labels placed before); the spot found is added to it, so later
    labels keep clear. bounds: the x range a label may use; rows: the first and last row drawn.
    A label sits beside the arrow: first on the run into the head (the successor's row), sliding along
    it clear of what is there; then beside the vertical leg, on each row it passes, nearest the head
    first; then on the tail's row. It never overlaps anything in `taken`.
    """
    first_row, last_row = rows

    def free(row: int, left: float) -> bool:
        if not first_row <= row <= last_row or left < bounds[0] or left + width > bounds[1]:
            return False
        right = left + width
        return all(right + gap <= a or left >= b + gap for a, b in taken.get(row, ()))

    def along(row: int, low: float, high: float) -> float | None:
        """The leftmost free left edge in low..high (right edge at most high) on row."""
        candidates = [low] + [b + gap for _a, b in taken.get(row, ()) if low < b + gap <= high - width]
        return next((x for x in sorted(candidates) if x + width <= high and free(row, x)), None)

    def settle(row: int, x: float) -> LabelSpot:
        taken.setdefault(row, []).append((x, x + width))
        return LabelSpot(row, x)

    # Runs from the head back to the tail: a label is read as belonging to the end it is nearest.
    runs = list(zip(points, points[1:], strict=False))[::-1]
    for (x1, row1), (x2, row2) in runs:
        if row1 == row2:  # a horizontal run: slide along it, keeping clear of the arrowhead
            low, high = min(x1, x2) + gap, max(x1, x2) - gap - head
            x = along(row1, low, high)
            if x is not None:
                return settle(row1, x)
            continue
        step = 1 if row1 > row2 else -1  # walk the leg from the head's end back to the tail's
        for row in range(row2, row1 + step, step):
            for x in (x1 + gap, x1 - gap - width):  # right of the leg, else left of it
                if free(row, x):
                    return settle(row, x)
    return None
