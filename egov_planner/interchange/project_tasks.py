"""Tasks read from a project planner's file (MS Project XML, GanttProject) turned into action rows.

The readers (mspdi.py, gan.py) only give what the file says: an outline of
tasks, their dates, owners and links. Here that outline becomes the plan's
shape, the same way for every format, and goes on to the one import of the
model (PlanService.import_actions), which checks every value:

- a leaf task is an action; the nearest summary above it is its objective
  (tasks under no summary go to one objective named after the file);
- a milestone under a summary called "External dependencies", or named as an
  external dependency the plan already has, is that external dependency, and
  the tasks it links to wait on it;
- a task's WBS code is its ref when it is a usable ref no other action (or
  objective) has, else one is made;
- a link from (or to) a summary task is expanded to the tasks under it, as the
  planner schedules it: "after the summary finishes" is after every task in it
  finishes (FS, FF from every one), "after it starts" is after its first task
  starts (SS, SF from the earliest); a summary as successor: every task under
  it waits (FS, SS), or the one finishing last (FF, SF);
- working-time lags become calendar days over Monday to Friday, counted from
  the day the lag starts from (a Friday finish + 1 working day is Monday: 3
  calendar days, as the planner showed it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from egov_planner.model.dates import lag_in_range
from egov_planner.model.errors import ValidationError
from egov_planner.model.import_rows import ActionImportRow, LinkSpec
from egov_planner.model.validation import check_ref

EXTERNALS_SUMMARY = "External dependencies"
# What an import of a project file gives for every action (so a re-import updates them all).
PRESENT = frozenset(
    {
        "objective",
        "action",
        "owner",
        "start",
        "due",
        "status",
        "completed_on",
        "percent_complete",
        "description",
        "depends_on",
        "external",
        "external_expected",
    }
)


@dataclass(slots=True)
class PlannerTask:
    """One task as the file gives it (key: the file's own id for it; row: where its program shows it)."""

    key: str
    row: int
    name: str
    parent: str | None = None  # key of the summary it sits under (None: top level)
    wbs: str = ""
    start: date | None = None
    finish: date | None = None
    percent: int = 0
    actual_finish: date | None = None
    notes: str = ""
    milestone: bool = False
    summary: bool = False  # the file marks it a summary (even with nothing under it)
    owner: str = ""
    unknown_expected: bool = False  # an external's milestone whose expected date was not known
    status: str = ""  # 'deferred' or 'cancelled' when the file says so (no planner has such a status)


@dataclass(frozen=True, slots=True)
class PlannerLink:
    """successor waits on predecessor; lag in days, working days when `working`."""

    predecessor: str
    successor: str
    kind: str
    lag: float = 0.0
    working: bool = False


@dataclass(slots=True)
class ProjectRows:
    """The action rows a project file gives, and what the import summary should say about them."""

    rows: list[ActionImportRow]
    notes: list[str] = field(default_factory=list)


def add_working_days(start: date, days: int) -> date:
    """start moved by `days` Monday-to-Friday days (backwards when negative); from a weekend, the count starts on it."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    weeks, remaining = divmod(remaining, 5)
    day = start + timedelta(days=7 * weeks * step)
    while remaining:
        day += timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def next_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def working_days_between(first: date, last: date) -> int:
    """Monday-to-Friday days from first to last, both counted (0 when last is before first)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(rest):
        if (first + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def calendar_lag(link: PlannerLink, predecessor: PlannerTask) -> int:
    """The link's lag in whole calendar days (a working-time lag counted over Monday to Friday)."""
    days = round_half_away(link.lag)
    if not link.working or not lag_in_range(days):
        return days  # a lag out of range goes on for the import to refuse by name
    try:
        return _working_lag(link, predecessor, days)
    except OverflowError:  # counted from a date at the calendar's end: count by whole weeks
        return days // 5 * 7 + days % 5


def _working_lag(link: PlannerLink, predecessor: PlannerTask, days: int) -> int:
    if link.kind in ("SS", "SF"):
        anchor = predecessor.start or predecessor.finish
    else:
        anchor = predecessor.finish or predecessor.start
    if anchor is None:
        anchor = date(2001, 1, 1)  # a Monday: no date to count from, count from the start of a week
    elif link.kind == "FS":
        anchor += timedelta(days=1)  # an FS lag starts counting where the successor would otherwise start
    anchor = next_working_day(anchor)
    return (add_working_days(anchor, days) - anchor).days


def round_half_away(value: float) -> int:
    if not math.isfinite(value):
        return 10**9 if value > 0 else -(10**9)  # refused as out of range by the import
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


class _Builder:
    """One conversion of a file's tasks to rows."""

    def __init__(
        self,
        tasks: Sequence[PlannerTask],
        source: str,
        file_title: str,
        plan_objective_refs: Iterable[str],
        plan_action_refs: Iterable[str],
        plan_externals: Iterable[str],
    ) -> None:
        self.source = source
        self.file_title = file_title
        self.tasks = {t.key: t for t in tasks}
        self.order = list(tasks)
        self.children: dict[str, list[str]] = {}
        for task in tasks:
            if task.parent is not None:
                self.children.setdefault(task.parent, []).append(task.key)
        self.taken_objectives = {ref.casefold() for ref in plan_objective_refs}
        self.taken_actions = {ref.casefold() for ref in plan_action_refs}
        self.plan_externals = {name.casefold() for name in plan_externals}
        self.notes: list[str] = []

    def is_leaf(self, key: str) -> bool:
        return key not in self.children and not self.tasks[key].summary

    def leaves_under(self, key: str) -> list[str]:
        if key not in self.children:
            return [key] if self.is_leaf(key) else []
        found: list[str] = []
        for child in self.children[key]:
            found.extend(self.leaves_under(child))
        return found

    def is_external(self, task: PlannerTask) -> bool:
        if not task.milestone or not task.name.strip():
            return False
        parent = self.tasks.get(task.parent) if task.parent is not None else None
        under_externals = parent is not None and parent.name.strip().casefold() == EXTERNALS_SUMMARY.casefold()
        return under_externals or task.name.strip().casefold() in self.plan_externals

    def assign_refs(self, keys: list[str], wanted: dict[str, str], taken: set[str], made: str) -> dict[str, str]:
        """key -> ref: its WBS when usable and free, else the next free one made from `made` (a format)."""
        refs: dict[str, str] = {}
        for key in keys:
            ref = wanted.get(key, "").strip()
            try:
                check_ref(ref)
            except ValidationError:
                continue
            if ref.casefold() not in taken:
                refs[key] = ref
                taken.add(ref.casefold())
        number = 1
        for key in keys:
            if key in refs:
                continue
            while made.format(number).casefold() in taken:
                number += 1
            refs[key] = made.format(number)
            taken.add(refs[key].casefold())
        return refs

    def build(self, links: Sequence[PlannerLink]) -> ProjectRows:
        leaves = [t for t in self.order if self.is_leaf(t.key)]
        externals = {t.key: t for t in leaves if self.is_external(t)}
        actions = [t for t in leaves if t.key not in externals]
        # Objectives: the summaries actions sit under, in file order, then the file's own.
        parents: list[str] = []
        for task in actions:
            parent = task.parent if task.parent is not None else ""
            if parent not in parents:
                parents.append(parent)
        wanted = {key: self.tasks[key].wbs for key in parents if key}
        objective_refs = self.assign_refs(parents, wanted, set(self.taken_objectives), "O{}")
        action_refs = self.assign_refs(
            [t.key for t in actions], {t.key: t.wbs for t in actions}, set(self.taken_actions), "T{}"
        )
        depends: dict[str, list[LinkSpec]] = {t.key: [] for t in actions}
        waits: dict[str, list[str]] = {t.key: [] for t in actions}
        self.apply_links(links, depends, waits, action_refs, externals)
        rows: list[ActionImportRow] = []
        for task in actions:
            parent = task.parent if task.parent is not None else ""
            objective_title = self.tasks[parent].name.strip() if parent else self.file_title
            complete = task.percent >= 100 or task.actual_finish is not None
            status = "complete" if complete else "in_progress" if task.percent > 0 else "not_started"
            if task.status and not complete:
                status = task.status
            names = waits[task.key]
            rows.append(
                ActionImportRow(
                    row=task.row,
                    objective_ref=objective_refs[parent],
                    objective=objective_title or f"Summary task {self.tasks[parent].row}",
                    action_ref=action_refs[task.key],
                    action=task.name.strip() or f"Untitled task {task.row}",
                    owner=task.owner.strip(),
                    start=task.start,
                    due=task.finish,
                    status=status,
                    completed_on=(task.actual_finish or task.finish) if complete else None,
                    percent_complete=100 if complete else max(0, min(task.percent, 100)),
                    depends_on=depends[task.key],
                    external=[externals[k].name.strip() for k in names],
                    external_expected=[
                        None if externals[k].unknown_expected else externals[k].finish or externals[k].start
                        for k in names
                    ],
                    description=task.notes,
                    present=PRESENT,
                )
            )
        return ProjectRows(rows, self.notes)

    def apply_links(
        self,
        links: Sequence[PlannerLink],
        depends: dict[str, list[LinkSpec]],
        waits: dict[str, list[str]],
        action_refs: dict[str, str],
        externals: dict[str, PlannerTask],
    ) -> None:
        converted = rounded = expanded = 0
        for link in links:
            predecessor = self.tasks.get(link.predecessor)
            successor = self.tasks.get(link.successor)
            if predecessor is None or successor is None:
                continue  # a link to a blank row or the project's own summary: nothing to wait on
            lag = calendar_lag(link, predecessor)
            if link.working and lag != 0:
                converted += 1
            if link.lag != round_half_away(link.lag):
                rounded += 1
            froms = self.link_ends(link.predecessor, link.kind in ("FS", "FF"), first=True)
            tos = self.link_ends(link.successor, link.kind in ("FS", "SS"), first=False)
            if not self.is_leaf(link.predecessor) or not self.is_leaf(link.successor):
                expanded += 1
            for after in tos:
                if after in externals:
                    continue  # an external dependency waits on nothing in the plan
                for before in froms:
                    if before == after:
                        continue
                    if before in externals:
                        if before not in waits[after]:
                            waits[after].append(before)
                    elif all(spec.predecessor_ref != action_refs[before] for spec in depends[after]):
                        depends[after].append(LinkSpec(action_refs[before], link.kind, lag))
        if converted:
            self.notes.append(
                f"{converted} working-time lag{'s' if converted != 1 else ''} converted to calendar days "
                "over Monday to Friday"
            )
        if rounded:
            self.notes.append(f"{rounded} lag{'s' if rounded != 1 else ''} rounded to whole days")
        if expanded:
            self.notes.append(
                f"{expanded} link{'s' if expanded != 1 else ''} from or to a summary task applied to the tasks under it"
            )

    def link_ends(self, key: str, every: bool, first: bool) -> list[str]:
        """The leaf tasks one end of a link stands for (see the module's docstring)."""
        leaves = self.leaves_under(key)
        if every or len(leaves) <= 1:
            return leaves
        if first:  # the summary's start: its earliest-starting task
            return [min(leaves, key=lambda k: (self.tasks[k].start or date.max, leaves.index(k)))]
        return [max(leaves, key=lambda k: (self.tasks[k].finish or date.min, -leaves.index(k)))]


def rows_from_tasks(
    tasks: Sequence[PlannerTask],
    links: Sequence[PlannerLink],
    source: str,
    file_title: str,
    plan_objective_refs: Iterable[str] = (),
    plan_action_refs: Iterable[str] = (),
    plan_externals: Iterable[str] = (),
) -> ProjectRows:
    """The action rows for a file's tasks (in outline order) and links; see the module's docstring."""
    builder = _Builder(tasks, source, file_title, plan_objective_refs, plan_action_refs, plan_externals)
    return builder.build(links)
