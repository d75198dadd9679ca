"""MS Project XML (MSPDI) read into the plan's import rows: see project_tasks.py for how tasks become actions.

Format facts: LinkLag is in tenths of a minute whatever LagFormat says (LagFormat
only says how MS Project shows it); a working-time lag is counted in days of
MinutesPerDay, an elapsed one in days of 24 hours. Link Type 0 FF, 1 FS, 2 SF,
3 SS. Blank rows (IsNull 1) are skipped; tasks may come in any order (the ID is
the row MS Project shows, and the outline follows it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.etree.ElementTree import Element

from egov_planner.interchange.project_tasks import PlannerLink, PlannerTask, ProjectRows, rows_from_tasks
from egov_planner.interchange.xml_files import child, children, fields, local, read_xml
from egov_planner.model.errors import RowError

NAMESPACE = "http://schemas.microsoft.com/project"
LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
LINK_CODES = {kind: code for code, kind in LINK_TYPES.items()}
ELAPSED_DAY = 14400  # tenths of a minute in 24 hours
# LagFormat codes of elapsed time (em, eh, ed, ew, emo and their estimated forms); the rest are working time.
ELAPSED_FORMATS = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44"}
PERCENT_FORMATS = {"19", "20", "51", "52"}
# Text1, named "Plan status" in the files the plan writes: deferred or cancelled (MS Project has no such status).
STATUS_FIELD_ID, STATUS_FIELD_NAME, STATUS_ALIAS = "188743731", "Text1", "Plan status"
UNASSIGNED = "-65535"  # the resource MS Project assigns to a task with no resource
WHAT = "an MS Project XML file (MSPDI)"
# How the import's checks name a field, as MS Project names its column.
COLUMNS = {
    "action": "Name",
    "objective": "Name",
    "due": "Finish",
    "start": "Start",
    "completed_on": "Actual Finish",
    "percent_complete": "% Complete",
    "depends_on": "Predecessors",
    "owner": "Resource Names",
    "external": "Predecessors",
    "external_expected": "Finish",
    "action_ref": "WBS",
    "objective_ref": "WBS",
}


def _datetime(text: str, task_row: int, column: str, source: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError:
        raise RowError(source, task_row, column, f"'{text}' is not a date and time (2004-05-31T17:00:00)") from None


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _finish_day(start: datetime | None, finish: datetime | None) -> date | None:
    """The last day worked: a finish at midnight (after the start) ends the day before."""
    if finish is None:
        return None
    if finish.time() == time(0) and start is not None and finish > start:
        return (finish - timedelta(days=1)).date()
    return finish.date()


def _int(text: str, default: int = 0) -> int:
    try:
        return int(float(text))
    except (ValueError, OverflowError):
        return default


def read_mspdi(
    path: Path,
    plan_objective_refs: set[str] | frozenset[str] = frozenset(),
    plan_action_refs: set[str] | frozenset[str] = frozenset(),
    plan_externals: set[str] | frozenset[str] = frozenset(),
    plan_people: set[str] | frozenset[str] = frozenset(),
) -> ProjectRows:
    """The action rows an MSPDI file gives (nothing is written); RowError naming the file and task row."""
    source = path.name
    root = read_xml(path, WHAT)
    if local(root.tag) != "Project":
        raise RowError(source, None, None, f"is not {WHAT}: it holds <{local(root.tag)}>, not <Project>")
    project = fields(root)
    minutes_per_day = _int(project.get("MinutesPerDay", ""), 480) or 480
    status_field = _status_field(root)
    people = {_separators(name): name for name in plan_people}
    resources = {
        values.get("UID", ""): _person(values.get("Name", ""), people)
        for values in (fields(r) for r in children(child(root, "Resources"), "Resource"))
    }
    owners: dict[str, str] = {}
    for assignment in children(child(root, "Assignments"), "Assignment"):
        values = fields(assignment)
        resource = values.get("ResourceUID", "")
        name = resources.get(resource, "").strip()
        if resource != UNASSIGNED and name:
            owners.setdefault(values.get("TaskUID", ""), name)  # an action has one owner: the first assigned

    elements = children(child(root, "Tasks"), "Task")
    read: list[tuple[int, int, dict[str, str], Element]] = []
    for position, element in enumerate(elements):
        values = fields(element)
        if values.get("IsNull") == "1":
            continue
        row = _int(values.get("ID", ""), -1)
        read.append((row if row >= 0 else position, position, values, element))
    read.sort(key=lambda item: (item[0], item[1]))  # MS Project's row order, whatever order the file uses

    tasks: list[PlannerTask] = []
    links: list[PlannerLink] = []
    stack: list[tuple[int, str]] = []  # (outline level, UID) of the summaries above the current task
    for row, _, values, element in read:
        uid = values.get("UID", "")
        level_text = values.get("OutlineLevel") or str(len(values.get("OutlineNumber", "1").split(".")))
        level = _int(level_text, 1)
        if level <= 0:
            continue  # the project's own summary task: the file, not an objective
        while stack and stack[-1][0] >= level:
            stack.pop()
        start = _datetime(values.get("Start", ""), row, "Start", source)
        finish = _datetime(values.get("Finish", ""), row, "Finish", source)
        task = PlannerTask(
            key=uid,
            row=row,
            name=values.get("Name", ""),
            parent=stack[-1][1] if stack else None,
            wbs=values.get("WBS", ""),
            start=_day(start),
            finish=_finish_day(start, finish),
            percent=_int(values.get("PercentComplete", ""), 0),
            actual_finish=_day(_datetime(values.get("ActualFinish", ""), row, "Actual Finish", source)),
            notes=values.get("Notes", ""),
            milestone=values.get("Milestone") == "1",
            summary=values.get("Summary") == "1",
            owner=owners.get(uid, ""),
            unknown_expected=values.get("Notes", "") == UNKNOWN_EXPECTED,
        )
        task.status = _status(element, status_field)
        tasks.append(task)
        stack.append((level, uid))
        for link in children(element, "PredecessorLink"):
            links.append(_link(fields(link), uid, row, minutes_per_day, source))
    if not tasks:
        return ProjectRows([], ["the file has no tasks"])
    title = path.stem
    return rows_from_tasks(tasks, links, source, title, plan_objective_refs, plan_action_refs, plan_externals)


def _status_field(root: Element) -> str:
    """The FieldID of the task field named "Plan status" (Text1 unless the file gave the name to another field)."""
    for attribute in children(child(root, "ExtendedAttributes"), "ExtendedAttribute"):
        values = fields(attribute)
        if values.get("Alias", "").strip().casefold() == STATUS_ALIAS.casefold() and values.get("FieldID"):
            return values["FieldID"]
    return STATUS_FIELD_ID


def _status(task: Element, field_id: str) -> str:
    """'deferred' or 'cancelled' when the status field says so; any other text there is someone else's."""
    for attribute in children(task, "ExtendedAttribute"):
        values = fields(attribute)
        if values.get("FieldID") == field_id:
            word = values.get("Value", "").strip().casefold()
            return {"deferred": "deferred", "cancelled": "cancelled", "canceled": "cancelled"}.get(word, "")
    return ""


def _separators(name: str) -> str:
    return " ".join(name.replace(",", ";").split()).casefold()


def _person(name: str, people: dict[str, str]) -> str:
    """The plan's person a resource is: MS Project allows no comma in a resource name and saves it as ';'."""
    if ";" not in name:
        return name
    return people.get(_separators(name), name)


UNKNOWN_EXPECTED = "Expected date not known"  # an external's milestone written with a stand-in date


def _link(values: dict[str, str], successor: str, row: int, minutes_per_day: int, source: str) -> PlannerLink:
    kind = LINK_TYPES.get(values.get("Type", "1") or "1")
    if kind is None:
        raise RowError(source, row, "Predecessors", f"link type {values.get('Type')} is not 0-3 (FF, FS, SF, SS)")
    lag_format = values.get("LagFormat", "7")
    try:
        tenths = float(values.get("LinkLag", "0") or "0")
    except ValueError:
        raise RowError(source, row, "Predecessors", f"lag '{values.get('LinkLag')}' is not a number") from None
    if lag_format in PERCENT_FORMATS and tenths:
        raise RowError(
            source,
            row,
            "Predecessors",
            "a lag given as a percentage of the predecessor's duration cannot be carried; give it in days",
        )
    elapsed = lag_format in ELAPSED_FORMATS
    days = tenths / ELAPSED_DAY if elapsed else tenths / (10 * minutes_per_day)
    return PlannerLink(values.get("PredecessorUID", ""), successor, kind, days, working=not elapsed)
