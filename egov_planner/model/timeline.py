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

The arrows and their index are in model/timeline_arrows.py, lag labels' places in model/timeline_labels.py.
"""

from __future__ import annotations

import calendar
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from egov_planner.model.dates import clamp_to_range, shift
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.rules import COMPLETE, PlanAssessment, Rag
from egov_planner.model.timeline_arrows import LINK_ENDS, Arrow, ArrowIndex, End

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


def end_date(bar: Bar, end: End) -> date:
    """Where an arrow meets a bar: the left edge of its start, or the right edge of its finish."""
    return bar.start if end is End.START else shift(bar.finish, 1)  # a far stored date must not overflow


@dataclass(slots=True)
class Timeline(ArrowIndex):
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
