"""The plan written as MS Project XML (MSPDI), as CONTRACTS.md maps it, for MS Project and ProjectLibre to open.

Objectives are summary tasks (WBS = objective ref) with their actions under
them (WBS = action ref); owners are resources assigned to their actions;
dependencies are links with their type and their calendar-day lag written as
elapsed days (LagFormat 8, LinkLag = days x 14400); external dependencies are
milestones under a summary "External dependencies", linked finish-to-start to
the actions waiting on them. Each action's start is held with a "start no
earlier than" constraint so MS Project keeps the plan's dates unless a link
pushes them later. An objective with no actions is not written (MS Project
would show it as an ordinary task, and it would come back as an action).

The project's calendar has all seven days working: the plan counts calendar
days, and on a Monday-to-Friday calendar MS Project would move every start that
falls on a weekend to the Monday, shifting the plan. A deferred or cancelled
action (MS Project has no such status) says so in the task field Text1, named
"Plan status", which the import reads back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

from egov_planner.interchange.mspdi import (
    ELAPSED_DAY,
    LINK_CODES,
    NAMESPACE,
    STATUS_ALIAS,
    STATUS_FIELD_ID,
    STATUS_FIELD_NAME,
    UNKNOWN_EXPECTED,
)
from egov_planner.interchange.project_tasks import EXTERNALS_SUMMARY
from egov_planner.model.records import ActionRecord, PlanSnapshot
from egov_planner.model.safe_files import atomic_path

HOURS_PER_DAY = 8
WORKING_TIMES = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))
ELAPSED_DAYS_FORMAT = "8"
EXTERNALS_WBS = "EXT"
CALENDAR_NAME = "Every day (plan dates are calendar days)"
STATUS_TEXTS = {"deferred": "Deferred", "cancelled": "Cancelled"}


def _start(day: date) -> str:
    return f"{day.isoformat()}T08:00:00"


def _finish(day: date) -> str:
    return f"{day.isoformat()}T17:00:00"


def _duration(hours: int) -> str:
    return f"PT{hours}H0M0S"


def _add(parent: Element, name: str, value: object) -> Element:
    element = SubElement(parent, name)
    element.text = str(value)
    return element


class _Writer:
    def __init__(self, snapshot: PlanSnapshot, name: str) -> None:
        self.snapshot = snapshot
        self.root = Element("Project", {"xmlns": NAMESPACE})
        self.name = name
        self.next_uid = 1
        self.action_uid: dict[int, int] = {}
        self.external_uid: dict[int, int] = {}
        self.action_element: dict[int, Element] = {}
        self.assignments: list[tuple[int, str, date, date, int]] = []

    def task(
        self,
        parent: Element,
        name: str,
        wbs: str,
        outline: str,
        start: date,
        finish: date,
        *,
        summary: bool = False,
        milestone: bool = False,
        percent: int = 0,
        actual_start: date | None = None,
        actual_finish: date | None = None,
        constraint: date | None = None,
        notes: str = "",
    ) -> tuple[Element, int, int]:
        uid = self.next_uid
        self.next_uid += 1
        hours = 0 if milestone else max((finish - start).days + 1, 1) * HOURS_PER_DAY  # every day works
        task = SubElement(parent, "Task")
        _add(task, "UID", uid)
        _add(task, "ID", uid)
        _add(task, "Name", name)
        _add(task, "Type", 1)  # fixed duration: a task with no resource keeps its length
        _add(task, "IsNull", 0)
        _add(task, "WBS", wbs)
        _add(task, "OutlineNumber", outline)
        _add(task, "OutlineLevel", outline.count(".") + 1)
        _add(task, "Start", _start(start))
        _add(task, "Finish", _start(finish) if milestone else _finish(finish))
        _add(task, "Duration", _duration(hours))
        _add(task, "DurationFormat", 7)
        _add(task, "EffortDriven", 0)
        _add(task, "Milestone", int(milestone))
        _add(task, "Summary", int(summary))
        _add(task, "PercentComplete", percent)
        if actual_start is not None:
            _add(task, "ActualStart", _start(actual_start))
        if actual_finish is not None:
            _add(task, "ActualFinish", _start(actual_finish) if milestone else _finish(actual_finish))
        if constraint is not None:
            _add(task, "ConstraintType", 4)  # start no earlier than
            _add(task, "CalendarUID", -1)
            _add(task, "ConstraintDate", _start(constraint))
        else:
            _add(task, "ConstraintType", 0)  # as soon as possible
            _add(task, "CalendarUID", -1)
        if notes:
            _add(task, "Notes", notes)
        return task, uid, hours

    def write(self) -> ElementTree:
        snapshot = self.snapshot
        root = self.root
        details = snapshot.details
        actions_of: dict[int, list[ActionRecord]] = defaultdict(list)
        for action in snapshot.actions:
            actions_of[action.objective_id].append(action)
        first = min((a.start or a.due for a in snapshot.actions), default=details.status_date or date.today())
        last = max((a.due for a in snapshot.actions), default=first)
        waiting: dict[int, list[int]] = defaultdict(list)  # external id -> waiting action ids
        for action_id, external_id in snapshot.waits_on:
            waiting[external_id].append(action_id)

        _add(root, "SaveVersion", 14)
        _add(root, "Name", self.name)
        _add(root, "Title", details.title or details.authority or Path(self.name).stem)
        if details.authority:
            _add(root, "Company", details.authority)
        _add(root, "ScheduleFromStart", 1)
        _add(root, "StartDate", _start(first))
        _add(root, "FinishDate", _finish(max(last, first)))
        _add(root, "CalendarUID", 1)
        _add(root, "DefaultStartTime", "08:00:00")
        _add(root, "DefaultFinishTime", "17:00:00")
        _add(root, "MinutesPerDay", HOURS_PER_DAY * 60)
        _add(root, "MinutesPerWeek", HOURS_PER_DAY * 60 * 7)
        _add(root, "DaysPerMonth", 30)
        _add(root, "DefaultTaskType", 1)
        _add(root, "DurationFormat", 7)
        _add(root, "HonorConstraints", 0)
        _add(root, "NewTasksEffortDriven", 0)
        if details.status_date is not None:
            _add(root, "StatusDate", _finish(details.status_date))
        if any(a.status in STATUS_TEXTS for a in snapshot.actions):
            self.status_field()
        self.calendars()
        tasks = SubElement(root, "Tasks")
        project, _, _ = self.task(tasks, details.title or "Plan", "0", "0", first, max(last, first), summary=True)
        project.find("UID").text = project.find("ID").text = "0"  # type: ignore[union-attr]
        project.find("OutlineLevel").text = "0"  # type: ignore[union-attr]
        self.next_uid = 1
        links: list[tuple[Element, int, str, int]] = []  # successor task, predecessor action id, type, lag
        number = 0
        for objective in snapshot.objectives:
            actions = actions_of.get(objective.id, [])
            if not actions:
                continue
            number += 1
            self.task(
                tasks,
                objective.title,
                objective.ref,
                str(number),
                min(a.start or a.due for a in actions),
                max(a.due for a in actions),
                summary=True,
            )
            for index, action in enumerate(actions, start=1):
                self.action(tasks, action, f"{number}.{index}", links)
        if snapshot.externals:
            number += 1
            dates = self.external_dates(waiting)
            self.task(
                tasks,
                EXTERNALS_SUMMARY,
                EXTERNALS_WBS,
                str(number),
                min(dates.values()),
                max(dates.values()),
                summary=True,
            )
            for index, external in enumerate(snapshot.externals, start=1):
                delivered = external.delivered_on
                _, uid, _ = self.task(
                    tasks,
                    external.name,
                    f"{EXTERNALS_WBS}.{index}",
                    f"{number}.{index}",
                    dates[external.id],
                    dates[external.id],
                    milestone=True,
                    percent=100 if delivered else 0,
                    actual_finish=delivered,
                    notes="" if external.expected_on or delivered else UNKNOWN_EXPECTED,
                )
                self.external_uid[external.id] = uid
        by_id = {a.id: a for a in snapshot.actions}
        for successor, predecessor_id, kind, lag in links:
            self.link(successor, self.action_uid[predecessor_id], LINK_CODES.get(kind, "1"), lag)
        for external_id, action_ids in waiting.items():
            for action_id in action_ids:
                if action_id in by_id and external_id in self.external_uid:
                    self.link(self.action_element[action_id], self.external_uid[external_id], "1", 0)
        for action in snapshot.actions:
            if action.status in STATUS_TEXTS:  # after the links: the schema puts a task's fields before them
                attribute = SubElement(self.action_element[action.id], "ExtendedAttribute")
                _add(attribute, "FieldID", STATUS_FIELD_ID)
                _add(attribute, "Value", STATUS_TEXTS[action.status])
        self.resources()
        return ElementTree(root)

    def external_dates(self, waiting: dict[int, list[int]]) -> dict[int, date]:
        """Each external's milestone date: expected, else delivered, else the first waiting action's start."""
        by_id = {a.id: a for a in self.snapshot.actions}
        fallback = self.snapshot.details.status_date or date.today()
        dates: dict[int, date] = {}
        for external in self.snapshot.externals:
            starts = [by_id[i].start or by_id[i].due for i in waiting.get(external.id, []) if i in by_id]
            dates[external.id] = external.expected_on or external.delivered_on or min(starts, default=fallback)
        return dates

    def action(
        self, tasks: Element, action: ActionRecord, outline: str, links: list[tuple[Element, int, str, int]]
    ) -> None:
        start = action.start or action.due
        complete = action.status == "complete"
        percent = 100 if complete else action.percent_complete
        element, uid, hours = self.task(
            tasks,
            action.title,
            action.ref,
            outline,
            start,
            action.due,
            percent=percent,
            actual_start=start if percent > 0 else None,
            actual_finish=action.completed_on if complete else None,
            constraint=start,
            notes=action.description,
        )
        self.action_uid[action.id] = uid
        self.action_element[action.id] = element
        for link in action.predecessors:
            links.append((element, link.predecessor_id, link.kind, link.lag_days))
        if action.owner:
            self.assignments.append((uid, action.owner, start, action.due, hours))

    def link(self, successor: Element, predecessor_uid: int, code: str, lag_days: int) -> None:
        link = SubElement(successor, "PredecessorLink")
        _add(link, "PredecessorUID", predecessor_uid)
        _add(link, "Type", code)
        _add(link, "CrossProject", 0)
        _add(link, "LinkLag", lag_days * ELAPSED_DAY)
        _add(link, "LagFormat", ELAPSED_DAYS_FORMAT)

    def status_field(self) -> None:
        """Text1 named "Plan status": where a deferred or cancelled action says so."""
        field = SubElement(SubElement(self.root, "ExtendedAttributes"), "ExtendedAttribute")
        _add(field, "FieldID", STATUS_FIELD_ID)
        _add(field, "FieldName", STATUS_FIELD_NAME)
        _add(field, "Alias", STATUS_ALIAS)

    def calendars(self) -> None:
        calendar = SubElement(SubElement(self.root, "Calendars"), "Calendar")
        _add(calendar, "UID", 1)
        _add(calendar, "Name", CALENDAR_NAME)
        _add(calendar, "IsBaseCalendar", 1)
        _add(calendar, "BaseCalendarUID", -1)
        days = SubElement(calendar, "WeekDays")
        for day_type in range(1, 8):  # 1 = Sunday
            day = SubElement(days, "WeekDay")
            _add(day, "DayType", day_type)
            _add(day, "DayWorking", 1)  # weekends too: the plan's dates are calendar days
            times = SubElement(day, "WorkingTimes")
            for begin, end in WORKING_TIMES:
                span = SubElement(times, "WorkingTime")
                _add(span, "FromTime", begin)
                _add(span, "ToTime", end)

    def resources(self) -> None:
        resources = SubElement(self.root, "Resources")
        uids: dict[str, int] = {}
        for _, owner, _, _, _ in self.assignments:
            if owner not in uids:
                uids[owner] = len(uids) + 1
                resource = SubElement(resources, "Resource")
                _add(resource, "UID", uids[owner])
                _add(resource, "ID", uids[owner])
                _add(resource, "Name", owner)
                _add(resource, "Type", 1)  # work
                _add(resource, "IsNull", 0)
                _add(resource, "MaxUnits", "1.00")
        assignments = SubElement(self.root, "Assignments")
        for number, (task_uid, owner, start, finish, hours) in enumerate(self.assignments, start=1):
            assignment = SubElement(assignments, "Assignment")
            _add(assignment, "UID", number)
            _add(assignment, "TaskUID", task_uid)
            _add(assignment, "ResourceUID", uids[owner])
            _add(assignment, "Start", _start(start))
            _add(assignment, "Finish", _finish(finish))
            _add(assignment, "Units", 1)
            _add(assignment, "Work", _duration(hours))


def write_mspdi(path: Path, snapshot: PlanSnapshot) -> int:
    """Write the plan to path as MSPDI; returns the number of actions written."""
    tree = _Writer(snapshot, path.name).write()
    indent(tree, space="  ")
    with atomic_path(path) as temp:
        tree.write(temp, encoding="UTF-8", xml_declaration=True)
    return len(snapshot.actions)
