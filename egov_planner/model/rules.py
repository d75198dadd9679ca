"""The plan's rules, as pure functions of plain facts and a status date.

Nothing here reads the clock or the database: the caller passes the status
date and the facts (see queries.py for loading them in one pass). The same
functions feed the window's colours, the command line and the PDF, so they
cannot disagree. The rules are those of DOMAIN.md, "Flags: the rules, exactly",
and its BVPI 157 section.
"""

from __future__ import annotations

import enum
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from egov_planner.model.dates import (
    british,
    clamp_to_range,
    financial_year_end,
    shift,
)

COMPLETE = "complete"
CANCELLED = "cancelled"
DEFERRED = "deferred"
DONE_STATUSES = frozenset({COMPLETE, CANCELLED})
_NOT_OPEN = DONE_STATUSES | {DEFERRED}  # an expected date means nothing once done or deferred
BVPI_TARGET_DATE = date(2005, 12, 31)


# --- facts the rules read -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionFacts:
    id: int
    ref: str
    objective_id: int
    start: date | None
    due: date
    status: str
    completed_on: date | None = None
    percent_complete: int = 0
    owner_left_on: date | None = None  # the owner has left the plan
    expected: date | None = None  # the owner's expected finish; ignored once done or deferred


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """successor waits on predecessor."""

    predecessor_id: int
    successor_id: int
    kind: str = "FS"
    lag_days: int = 0


@dataclass(frozen=True, slots=True)
class ExternalFacts:
    id: int
    name: str
    expected_on: date | None
    delivered_on: date | None = None

    @property
    def driving_date(self) -> date | None:
        """When it lets waiting work go ahead: delivered, else expected."""
        return self.delivered_on or self.expected_on


@dataclass(slots=True)
class PlanFacts:
    actions: list[ActionFacts] = field(default_factory=list)
    links: list[LinkFacts] = field(default_factory=list)
    externals: dict[int, ExternalFacts] = field(default_factory=dict)
    waits_on: list[tuple[int, int]] = field(default_factory=list)  # (action id, external id)


# --- results -----------------------------------------------------------------


class Flag(enum.StrEnum):
    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    DUE_SOON = "due_soon"

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "at_risk": "At risk", "due_soon": "Due soon"}[self.value]

    @property
    def order(self) -> int:
        return {"overdue": 0, "at_risk": 1, "due_soon": 2}[self.value]


class Rag(enum.StrEnum):
    """Every colour is also a letter, for readers who cannot tell red from green."""

    RED = "R"
    AMBER = "A"
    GREEN = "G"
    BLUE = "B"
    GREY = "N"

    @property
    def label(self) -> str:
        return _RAG_LOOK[self.value][0]

    @property
    def hex_colour(self) -> str:
        return _RAG_LOOK[self.value][1]


# Each RAG letter's name and colour, side by side (the window, the CLI and the PDF all use them).
_RAG_LOOK = {
    "R": ("Red", "#C0392B"),
    "A": ("Amber", "#E67E22"),
    "G": ("Green", "#2E8B57"),
    "B": ("Blue", "#2E6DB4"),
    "N": ("Not rated", "#8C8C8C"),
}


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the rules say of one action at a status date."""

    action_id: int
    forecast: date
    rag: Rag
    flag: Flag | None = None
    days_overdue: int | None = None
    reason: str = ""
    driver: str | None = None  # ref or external name that drives the slip


@dataclass(slots=True)
class PlanAssessment:
    status_date: date
    due_soon_days: int
    actions: dict[int, Assessment]
    objectives: dict[int, Rag]
    in_cycle: set[int]  # actions on a dependency cycle (only in a damaged or hand-edited file)

    def flagged(self) -> list[Assessment]:
        return [a for a in self.actions.values() if a.flag is not None]

    def counts_by_rag(self) -> dict[Rag, int]:
        counts = dict.fromkeys(Rag, 0)
        for assessment in self.actions.values():
            counts[assessment.rag] += 1
        return counts

    def counts_by_flag(self) -> dict[Flag, int]:
        counts = dict.fromkeys(Flag, 0)
        for assessment in self.actions.values():
            if assessment.flag is not None:
                counts[assessment.flag] += 1
        return counts


# --- helpers -------------------------------------------------------------------


def duration_days(action: ActionFacts) -> int:
    """due - start in days when start is set, else 0 (a start after due counts as 0)."""
    if action.start is None:
        return 0
    days = (action.due - action.start).days
    return days if days > 0 else 0


def days_text(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _lag_text(kind: str, lag: int) -> str:
    if kind == "FS" and lag == 0:
        return ""
    sign = "+" if lag >= 0 else "-"
    return f" ({kind}{sign}{abs(lag)}d)" if lag else f" ({kind})"


def topological_order(action_ids: Iterable[int], links: Iterable[LinkFacts]) -> tuple[list[int], set[int]]:
    """Action ids with every predecessor before its successors (Kahn).

    Returns (order, in_cycle): actions on or behind a cycle come last, in id
    order, and are also returned in in_cycle.
    """
    ids = list(action_ids)
    known = set(ids)
    indegree = dict.fromkeys(ids, 0)
    successors: dict[int, list[int]] = defaultdict(list)
    for link in links:
        if link.predecessor_id in known and link.successor_id in known:
            successors[link.predecessor_id].append(link.successor_id)
            indegree[link.successor_id] += 1
    ready = deque(i for i in ids if indegree[i] == 0)
    order: list[int] = []
    while ready:
        current = ready.popleft()
        order.append(current)
        for successor in successors.get(current, ()):
            indegree[successor] -= 1
            if indegree[successor] == 0:
                ready.append(successor)
    stuck = sorted(i for i in ids if indegree[i] > 0)
    return order + stuck, set(stuck)


# --- the flag rules ---------------------------------------------------------------


def assess_plan(facts: PlanFacts, status_date: date, due_soon_days: int = 14) -> PlanAssessment:
    """Forecast, flag, reason and RAG for every action, in one pass in dependency order."""
    actions = {a.id: a for a in facts.actions}
    predecessors: dict[int, list[LinkFacts]] = defaultdict(list)
    for link in facts.links:
        if link.predecessor_id in actions and link.successor_id in actions:
            predecessors[link.successor_id].append(link)
    externals_of: dict[int, list[ExternalFacts]] = defaultdict(list)
    for action_id, external_id in facts.waits_on:
        external = facts.externals.get(external_id)
        if external is not None and action_id in actions:
            externals_of[action_id].append(external)
    for waiting in externals_of.values():
        waiting.sort(key=lambda e: e.name)  # on a tie the first name drives (stable reasons)

    order, in_cycle = topological_order(actions, facts.links)
    forecast: dict[int, date] = {}
    results: dict[int, Assessment] = {}
    soon_limit = shift(status_date, due_soon_days)
    durations = {ident: timedelta(days=duration_days(a)) for ident, a in actions.items()}  # once, not per link

    for action_id in order:
        action = actions[action_id]
        duration = durations[action_id]
        driver: str | None = None
        driver_text = ""
        if action.status == COMPLETE:
            finish = action.completed_on or action.due
        else:
            finish = max(action.due, status_date)
            if action.expected is not None and action.expected > finish and action.status not in _NOT_OPEN:
                # The owner's own date: it drives the slip unless a predecessor pushes later.
                finish = action.expected
                driver_text = f"the owner expects to finish {british(finish)}"
            # Only the latest push drives the slip: keep it, and word the reason once.
            best: tuple[date, str, LinkFacts | ExternalFacts, date] | None = None
            for link in predecessors.get(action_id, ()):
                predecessor = actions[link.predecessor_id]
                if predecessor.status == CANCELLED or link.predecessor_id not in forecast:
                    continue  # cancelled work pushes nothing; a cycle member is not yet known
                pred_finish = forecast[link.predecessor_id]
                try:
                    pred_start = pred_finish - durations[link.predecessor_id]
                    lag = timedelta(days=link.lag_days)
                    if link.kind == "SS":
                        candidate = pred_start + lag + duration
                    elif link.kind == "FF":
                        candidate = pred_finish + lag
                    elif link.kind == "SF":
                        candidate = pred_start + lag
                    else:  # FS
                        candidate = pred_finish + lag + duration
                except OverflowError:  # a date or lag an older version let in: clamp, never fail
                    candidate = _clamped_push(link, pred_finish, durations[link.predecessor_id], duration)
                if candidate > finish and _beats(candidate, predecessor.ref, best):
                    best = (candidate, predecessor.ref, link, pred_finish)
            for external in externals_of.get(action_id, ()):
                when = external.driving_date
                if when is None:
                    continue  # no date to push by; `check` reports the missing expected date
                candidate = shift(when, duration.days)
                if candidate > finish and (best is None or candidate > best[0]):  # ties: predecessors first
                    best = (candidate, external.name, external, when)
            if best is not None:
                finish, driver, source, when = best
                if isinstance(source, ExternalFacts):
                    verb = "delivered" if source.delivered_on else "expected"
                    driver_text = f"waits on {source.name}, {verb} {british(when)}"
                else:
                    driver_text = (
                        f"waits on {driver}{_lag_text(source.kind, source.lag_days)}, forecast {british(when)}"
                    )
        forecast[action_id] = finish
        results[action_id] = _judge(action, finish, driver, driver_text, status_date, soon_limit)

    objectives: dict[int, list[Rag]] = defaultdict(list)
    for action in facts.actions:
        objectives[action.objective_id].append(results[action.id].rag)
    return PlanAssessment(
        status_date=status_date,
        due_soon_days=due_soon_days,
        actions=results,
        objectives={oid: roll_up(rags) for oid, rags in objectives.items()},
        in_cycle=in_cycle,
    )


def _clamped_push(link: LinkFacts, pred_finish: date, pred_duration: timedelta, duration: timedelta) -> date:
    """The link's push on its successor, in day numbers clamped to the calendar (the slow, safe path)."""
    finish = pred_finish.toordinal()
    start = finish - pred_duration.days
    base = {"SS": start + duration.days, "FF": finish, "SF": start}.get(link.kind, finish + duration.days)
    return shift(date.fromordinal(1), base + link.lag_days - 1)


def _beats(candidate: date, name: str, best: tuple[date, str, object, date] | None) -> bool:
    """A later push wins; on a tie, the first predecessor by ref (so reasons are stable)."""
    return best is None or candidate > best[0] or (candidate == best[0] and name < best[1])


def _judge(
    action: ActionFacts,
    finish: date,
    driver: str | None,
    driver_text: str,
    status_date: date,
    soon_limit: date,
) -> Assessment:
    status = action.status
    if status in DONE_STATUSES or status == DEFERRED:
        rag = Rag.BLUE if status == COMPLETE else Rag.GREY
        return Assessment(action.id, finish, rag)
    if action.due < status_date:
        days = (status_date - action.due).days
        reason = f"overdue by {days_text(days)} (due {british(action.due)})"
        if finish > status_date:
            # Committee asks "when, then, and why": the forecast and what it waits on, if anything.
            reason += f"; now expected {british(finish)}"
            if driver is not None:
                reason += f", {driver_text}"
        return Assessment(action.id, finish, Rag.RED, Flag.OVERDUE, days, reason, driver)
    if finish > action.due:
        return Assessment(action.id, finish, Rag.AMBER, Flag.AT_RISK, None, driver_text, driver)
    if action.due <= soon_limit:
        days = (action.due - status_date).days
        text = "due today" if days == 0 else f"due in {days_text(days)}"
        return Assessment(action.id, finish, Rag.GREEN, Flag.DUE_SOON, None, text)
    return Assessment(action.id, finish, Rag.GREEN)


def roll_up(rags: Iterable[Rag]) -> Rag:
    """An objective takes the worst of its actions; Blue when all are done and one is complete."""
    present = set(rags)
    for worst in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if worst in present:
            return worst
    return Rag.BLUE if Rag.BLUE in present else Rag.GREY


def describe_assessment(assessment: Assessment) -> str:
    """One line for a tooltip: 'Overdue by 12 days', 'At risk: waits on A2.1, forecast …'."""
    if assessment.flag is Flag.OVERDUE:
        return assessment.reason[0].upper() + assessment.reason[1:]
    if assessment.flag is Flag.AT_RISK:
        return f"At risk: {assessment.reason}"
    if assessment.flag is Flag.DUE_SOON:
        return assessment.reason[0].upper() + assessment.reason[1:]
    return assessment.rag.label


def sort_key(assessment: Assessment, action: ActionFacts) -> tuple[int, date, str]:
    """Flag (overdue first), then due date, then ref: the order of every exceptions list."""
    flag_order = assessment.flag.order if assessment.flag else 9
    return (flag_order, action.due, action.ref)


# --- dependency cycles ----------------------------------------------------------------


def find_cycle_if_added(
    successors: Mapping[int, Iterable[int]], predecessor_id: int, successor_id: int
) -> list[int] | None:
    """The cycle that the link predecessor -> successor would close, or None.

    Returned as [predecessor, successor, ..., predecessor].
    """
    if predecessor_id == successor_id:
        return [predecessor_id, predecessor_id]
    came_from: dict[int, int | None] = {successor_id: None}
    queue = deque([successor_id])
    while queue:
        current = queue.popleft()
        if current == predecessor_id:
            path = [current]
            step = came_from[current]
            while step is not None:
                path.append(step)
                step = came_from[step]
            path.reverse()  # successor ... predecessor
            return [predecessor_id, *path]
        for nxt in successors.get(current, ()):
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    return None


def find_any_cycle(successors: Mapping[int, Sequence[int]]) -> list[int] | None:
    """One cycle in the graph as [a, b, ..., a], or None (iterative DFS)."""
    white, grey, black = 0, 1, 2
    colour: dict[int, int] = defaultdict(int)
    for root in sorted(successors):
        if colour[root] != white:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        path: list[int] = [root]
        colour[root] = grey
        while stack:
            node, index = stack[-1]
            children = successors.get(node, ())
            if index < len(children):
                stack[-1] = (node, index + 1)
                child = children[index]
                if colour[child] == grey:
                    return [*path[path.index(child) :], child]
                if colour[child] == white:
                    colour[child] = grey
                    stack.append((child, 0))
                    path.append(child)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


def name_cycle(cycle: Sequence[int], refs: Mapping[int, str]) -> str:
    """'A1.2 → A3.1 → A1.2'."""
    return " → ".join(refs.get(i, f"#{i}") for i in cycle)


# --- rule checks for `egov-planner check` -------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "A1.2", "external 'National …'"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_plan(facts: PlanFacts, status_date: date | None = None) -> list[Problem]:
    """Things in a plan that break its rules across fields and rows (a plan made by hand, or an old file).

    A single field's value (a ref, a percentage, due before start…) is validation.stored_problems' to judge.
    status_date: a completion dated after it is reported (the pack would show a position not yet reached).
    """
    problems: list[Problem] = []
    refs = {a.id: a.ref for a in facts.actions}
    for action in sorted(facts.actions, key=lambda a: a.ref):
        if action.status == COMPLETE and action.completed_on is None:
            problems.append(Problem(action.ref, "complete, but has no completed-on date"))
        if status_date is not None and action.completed_on is not None and action.completed_on > status_date:
            problems.append(
                Problem(
                    action.ref,
                    f"completed on {british(action.completed_on)}, after the status date {british(status_date)}",
                )
            )
        if action.completed_on is not None and action.status != COMPLETE:
            problems.append(
                Problem(action.ref, f"has a completed-on date but its status is {action.status.replace('_', ' ')}")
            )
        if action.owner_left_on is not None and action.status not in DONE_STATUSES:
            problems.append(Problem(action.ref, f"its owner left the plan on {british(action.owner_left_on)}"))
    for external in sorted(facts.externals.values(), key=lambda e: e.name):
        if external.expected_on is None and external.delivered_on is None:
            problems.append(Problem(f"external '{external.name}'", "has no expected date"))
    successors: dict[int, list[int]] = defaultdict(list)
    for link in facts.links:
        successors[link.predecessor_id].append(link.successor_id)
    cycle = find_any_cycle(successors)
    if cycle:
        problems.append(Problem(refs.get(cycle[0], "?"), f"dependency cycle {name_cycle(cycle, refs)}"))
    return problems


# --- BVPI 157 -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceRowFacts:
    """One service x interaction row."""

    id: int
    service: str
    department: str
    interaction: int
    permissible: bool
    enabled_on: date | None
    forecast_on: date | None
    external_id: int | None = None


@dataclass(frozen=True, slots=True)
class BvpiFigure:
    enabled: int
    permissible: int

    @property
    def percent(self) -> float:
        """Rounded half-up to one decimal place."""
        if self.permissible == 0:
            return 0.0
        exact = Decimal(self.enabled * 100) / Decimal(self.permissible)
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def effective_forecast(row: ServiceRowFacts, externals: Mapping[int, ExternalFacts]) -> date | None:
    """The forecast, never earlier than an undelivered external dependency's expected date."""
    if row.external_id is None:
        return row.forecast_on
    external = externals.get(row.external_id)
    if external is None or external.delivered_on is not None:
        return row.forecast_on
    if external.expected_on is None:
        return None  # waits on something with no date: cannot be forecast
    if row.forecast_on is None:
        return None
    return max(row.forecast_on, external.expected_on)


def enabled_at(row: ServiceRowFacts, externals: Mapping[int, ExternalFacts], when: date) -> bool:
    """e-enabled at `when`: actually enabled by then, or (with no actual date) forecast by then."""
    if row.enabled_on is not None:
        return row.enabled_on <= when
    forecast = effective_forecast(row, externals)
    return forecast is not None and forecast <= when


def bvpi_at(rows: Iterable[ServiceRowFacts], externals: Mapping[int, ExternalFacts], when: date) -> BvpiFigure:
    """BVPI 157 at a date: enabled rows / permissible rows (not-permissible rows count in neither)."""
    enabled = permissible = 0
    for row in rows:
        if not row.permissible:
            continue
        permissible += 1
        if enabled_at(row, externals, when):
            enabled += 1
    return BvpiFigure(enabled, permissible)


def actual_only(rows: Iterable[ServiceRowFacts]) -> list[ServiceRowFacts]:
    """The rows with their forecasts taken away: BVPI 157 over these is the *confirmed* position."""
    return [replace(row, forecast_on=None) for row in rows]


def bvpi_milestones(rows: Sequence[ServiceRowFacts], externals: Mapping[int, ExternalFacts]) -> list[date]:
    """31 March of each financial year the rows span, and the target date 31/12/2005."""
    dates: list[date] = []
    for row in rows:
        if row.enabled_on:
            dates.append(row.enabled_on)
        forecast = effective_forecast(row, externals)
        if forecast:
            dates.append(forecast)
    milestones = {BVPI_TARGET_DATE}
    if dates:
        # Clamped: a stored 31/12/9999 (older versions) must not mean 8,000 milestones, or overflow.
        year_end = financial_year_end(clamp_to_range(min(dates)))
        last = financial_year_end(clamp_to_range(max(dates)))
        while year_end <= last:
            milestones.add(year_end)
            year_end = financial_year_end(year_end + timedelta(days=1))
    return sorted(milestones)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A permissible row not e-enabled by the target date, and why."""

    row: ServiceRowFacts
    reason: str
    # why, for grouping: "external" (waits on an undelivered dependency), "no_forecast", "late" (forecast
    # after the target), "unrecorded" (forecast by the target, which has passed, but never recorded as
    # e-enabled) or "enabled_late" (recorded as e-enabled after the target)
    cause: str = ""


def bvpi_shortfall(
    rows: Iterable[ServiceRowFacts],
    externals: Mapping[int, ExternalFacts],
    target: date = BVPI_TARGET_DATE,
    as_of: date | None = None,
) -> list[Shortfall]:
    """The rows that keep BVPI 157 under 100% at the target date, with the reason.

    Before the target date (or without as_of) this is a forecast: a row counts as e-enabled by the target
    when its e-enabled date, else its forecast, is on or before it. Once as_of has reached the target date
    only a recorded e-enabled date counts: a forecast that was never confirmed is a shortfall.
    """
    past = as_of is not None and as_of >= target
    found: list[Shortfall] = []
    for row in rows:
        if not row.permissible:
            continue
        if row.enabled_on is not None and row.enabled_on <= target:
            continue
        forecast = effective_forecast(row, externals) if row.enabled_on is None else None
        if forecast is not None and forecast <= target and not past:
            continue
        external = externals.get(row.external_id) if row.external_id is not None else None
        if row.enabled_on is not None:
            cause, reason = "enabled_late", f"e-enabled {british(row.enabled_on)}, after {british(target)}"
        elif forecast is not None and forecast <= target:
            cause, reason = "unrecorded", f"forecast {british(forecast)}, but no e-enabled date recorded"
        elif external is not None and external.delivered_on is None:
            when = external.expected_on
            cause = "external"
            reason = (
                f"waits on {external.name}, expected {british(when)}"
                if when
                else f"waits on {external.name}, which has no expected date"
            )
        elif row.forecast_on is None:
            cause, reason = "no_forecast", "no forecast date"
        else:
            cause, reason = "late", f"forecast {british(row.forecast_on)}, after {british(target)}"
        found.append(Shortfall(row, reason, cause))
    found.sort(key=lambda s: (s.row.department, s.row.service, s.row.interaction))
    return found


def bvpi_breakdown(
    rows: Iterable[ServiceRowFacts],
    externals: Mapping[int, ExternalFacts],
    when: date,
    by: str,
) -> dict[object, BvpiFigure]:
    """BVPI 157 at `when` per department (by='department') or interaction code (by='interaction')."""
    groups: dict[object, list[ServiceRowFacts]] = defaultdict(list)
    for row in rows:
        groups[row.department if by == "department" else row.interaction].append(row)
    ordered = sorted(groups, key=lambda key: (str(key).lower(), 0) if by == "department" else ("", int(str(key))))
    return {key: bvpi_at(groups[key], externals, when) for key in ordered}
