"""GanttProject (.gan) read into the plan's import rows: see project_tasks.py for how tasks become actions.

Format facts: tasks nest (a task holding tasks is a summary); `duration` is in
working days (Monday to Friday here); a link is written on the predecessor:
`<depend id="X">` inside task T means X waits on T, type 1 SS, 2 FS, 3 FF,
4 SF, `difference` its lag in working days. Resources are given to tasks by
`<allocation>`: the responsible one (else the first) becomes the owner.
Baselines (`<previous>`) are not read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from egov_planner.interchange.project_tasks import (
    PlannerLink,
    PlannerTask,
    ProjectRows,
    add_working_days,
    next_working_day,
    rows_from_tasks,
)
from egov_planner.interchange.xml_files import child, children, local, read_xml
from egov_planner.model.errors import RowError

LINK_TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}
WHAT = "a GanttProject file (.gan)"
# How the import's checks name a field, as GanttProject names its column.
COLUMNS = {
    "action": "Name",
    "objective": "Name",
    "due": "End date",
    "start": "Begin date",
    "completed_on": "End date",
    "percent_complete": "Completion",
    "depends_on": "Predecessors",
    "owner": "Resources",
    "external": "Predecessors",
    "action_ref": "ID",
    "objective_ref": "ID",
}


def _number(text: str | None, row: int, column: str, source: str) -> int:
    try:
        return int(float(text or "0"))
    except (ValueError, OverflowError):
        raise RowError(source, row, column, f"'{text}' is not a number") from None


def _owners(root: Element) -> dict[str, str]:
    names = {r.get("id", ""): (r.get("name") or "").strip() for r in children(child(root, "resources"), "resource")}
    owners: dict[str, str] = {}
    responsible: set[str] = set()
    for allocation in children(child(root, "allocations"), "allocation"):
        task, name = allocation.get("task-id", ""), names.get(allocation.get("resource-id", ""), "")
        if not name or task in responsible:
            continue
        if allocation.get("responsible") == "true":
            owners[task] = name
            responsible.add(task)
        else:
            owners.setdefault(task, name)
    return owners


def read_gan(
    path: Path,
    plan_objective_refs: set[str] | frozenset[str] = frozenset(),
    plan_action_refs: set[str] | frozenset[str] = frozenset(),
    plan_externals: set[str] | frozenset[str] = frozenset(),
) -> ProjectRows:
    """The action rows a GanttProject file gives (nothing is written); RowError naming the file and task row."""
    source = path.name
    root = read_xml(path, WHAT)
    if local(root.tag) != "project":
        raise RowError(source, None, None, f"is not {WHAT}: it holds <{local(root.tag)}>, not <project>")
    owners = _owners(root)
    tasks: list[PlannerTask] = []
    links: list[PlannerLink] = []

    def walk(element: Element, parent: str | None) -> None:
        for node in children(element, "task"):
            row = len(tasks) + 1  # as GanttProject's table numbers it, top to bottom
            key = node.get("id", "")
            start = _start(node.get("start"), row, source)
            days = _number(node.get("duration"), row, "Duration", source)
            milestone = node.get("meeting") == "true" or days == 0
            try:
                finish = start if start is None or days <= 1 else add_working_days(next_working_day(start), days - 1)
            except OverflowError:  # a duration past the calendar's end: refused by the import as out of range
                finish = date.max
            notes = child(node, "notes")
            tasks.append(
                PlannerTask(
                    key=key,
                    row=row,
                    name=node.get("name", ""),
                    parent=parent,
                    wbs="",  # GanttProject has no WBS code of its own: refs are made
                    start=start,
                    finish=finish,
                    percent=_number(node.get("complete"), row, "Completion", source),
                    notes=(notes.text or "").strip() if notes is not None else "",
                    milestone=milestone,
                    owner=owners.get(key, ""),
                )
            )
            for depend in children(node, "depend"):
                kind = LINK_TYPES.get(depend.get("type", "2"))
                if kind is None:
                    raise RowError(source, row, "Predecessors", f"link type {depend.get('type')} is not 1-4")
                lag = _number(depend.get("difference"), row, "Predecessors", source)
                links.append(PlannerLink(key, depend.get("id", ""), kind, float(lag), working=True))
            walk(node, key)

    outline = child(root, "tasks")
    walk(outline if outline is not None else root, None)
    if not tasks:
        return ProjectRows([], ["the file has no tasks"])
    return rows_from_tasks(tasks, links, source, path.stem, plan_objective_refs, plan_action_refs, plan_externals)


def _start(text: str | None, row: int, source: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise RowError(source, row, "Begin date", f"'{text}' is not a date (2004-05-31)") from None
