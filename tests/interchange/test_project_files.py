"""MS Project XML and GanttProject files in, MS Project XML and calendars out (issue 13).

The samples in ../shared/interchange-samples were saved by MS Project, GanttProject
and MPXJ's own tests; what each should give is counted here from the file itself,
with ElementTree, not from the importer.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "interchange-samples"
NS = {"p": "http://schemas.microsoft.com/project"}
MSPDI_SAMPLES = sorted((SAMPLES / "mspdi").glob("*.xml"))
GAN_SAMPLES = sorted((SAMPLES / "gan").glob("*.gan"))


def test_the_samples_are_there() -> None:
    assert len(MSPDI_SAMPLES) == 9 and len(GAN_SAMPLES) == 3, f"samples expected in {SAMPLES}"


def plan_state(plan: Path) -> tuple:
    with open_plan(plan) as store:
        snap = PlanService(store).snapshot()
    return (
        [
            (a.ref, a.title, a.objective_ref, a.owner, a.start, a.due, a.status, a.percent_complete)
            for a in snap.actions
        ],
        sorted((k.predecessor_ref, k.successor_ref, k.kind, k.lag_days) for k in snap.links),
        [(o.ref, o.title) for o in snap.objectives],
    )


def links_of(plan: Path) -> dict[str, tuple[str, str, int]]:
    """successor title -> (predecessor title, type, lag) for a plan whose tasks have one predecessor each."""
    with open_plan(plan) as store:
        snap = PlanService(store).snapshot()
    titles = {a.id: a.title for a in snap.actions}
    return {titles[k.successor_id]: (titles[k.predecessor_id], k.kind, k.lag_days) for k in snap.links}


def mspdi_counts(path: Path) -> tuple[int, int, int]:
    """(leaf tasks, links between leaf tasks, links with a lag) read straight from the file."""
    tasks = ET.parse(path).getroot().findall("p:Tasks/p:Task", NS)
    leaves = {
        t.findtext("p:UID", namespaces=NS)
        for t in tasks
        if t.findtext("p:IsNull", "0", NS) != "1"
        and t.findtext("p:Summary", "0", NS) != "1"
        and int(t.findtext("p:OutlineLevel", "1", NS)) > 0
    }
    links = [
        link
        for t in tasks
        if t.findtext("p:UID", namespaces=NS) in leaves
        for link in t.findall("p:PredecessorLink", NS)
        if link.findtext("p:PredecessorUID", namespaces=NS) in leaves
    ]
    lagged = [link for link in links if float(link.findtext("p:LinkLag", "0", NS)) != 0]
    return len(leaves), len(links), len(lagged)


@pytest.fixture
def empty_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "imported.egov"
    assert capture(["init", str(plan)])[0] == 0
    return plan


@pytest.mark.parametrize("sample", MSPDI_SAMPLES, ids=lambda p: p.name)
def test_every_ms_project_sample_imports_with_its_tasks_links_and_lags(sample: Path, empty_plan: Path) -> None:
    leaves, links, lagged = mspdi_counts(sample)
    code, out, err = capture(["import", str(empty_plan), str(sample)])
    assert (code, err) == (0, "")
    assert f": {leaves} added, 0 updated" in out
    if links:
        assert f", {links} dependencies" in out
    else:
        assert "dependencies" not in out
    if lagged:
        plural = "s" if lagged != 1 else ""
        assert f"{lagged} working-time lag{plural} converted to calendar days over Monday to Friday" in out
    else:
        assert "converted" not in out
    actions, stored_links, _ = plan_state(empty_plan)
    assert (len(actions), len(stored_links)) == (leaves, links)


def test_an_empty_project_imports_nothing_and_says_so(empty_plan: Path) -> None:
    before = plan_state(empty_plan)
    code, out, err = capture(["import", str(empty_plan), str(SAMPLES / "mspdi" / "ganttproject_issue1520.xml")])
    assert (code, err) == (0, "")
    assert out.strip().endswith("0 added, 0 updated; the file has no tasks")
    assert plan_state(empty_plan) == before


def test_working_day_lags_become_the_calendar_days_ms_project_showed(empty_plan: Path) -> None:
    """Every 'Task 1' finishes Thursday 18/10/2018: 1 working day after it is Monday, 3 calendar days."""
    capture(["import", str(empty_plan), str(SAMPLES / "mspdi" / "mpxj_task-links-project2019-mspdi.xml")])
    with open_plan(empty_plan) as store:
        snap = PlanService(store).snapshot()
    got = sorted((k.successor_ref, k.kind, k.lag_days) for k in snap.links)
    # 0, 1d, 2d, 1w, 2w finish-to-start; 2 days start-to-finish, start-to-start, finish-to-finish.
    assert got == sorted(
        [("2", "FS", 0), ("4", "FS", 3), ("6", "FS", 4), ("8", "FS", 7), ("10", "FS", 14)]
        + [("12", "SF", 4), ("14", "SS", 4), ("16", "FF", 4)]
    )
    # The successors' own dates in the file agree: Task 2 of the 1-week link starts Friday 26/10/2018.
    due = {a.ref: a.start for a in snap.actions}
    assert str(due["8"]) == "2018-10-26"


def test_a_7_5_hour_day_and_negative_lags(empty_plan: Path, tmp_path: Path) -> None:
    capture(["import", str(empty_plan), str(SAMPLES / "mspdi" / "mpxj_legacy_sample1.xml")])
    links = links_of(empty_plan)
    assert links["Related Task 2b"] == ("Related Task 2a", "FS", 1)  # +1 working day from Wednesday
    assert links["Related Task 3b"] == ("Related Task 3a", "FS", -1)
    assert links["Related Task 6b"] == ("Related Task 6a", "SF", 0)
    # MinutesPerDay 450: a lag of 4500 tenths of a minute is one working day, not 0.94 of one.
    text = (SAMPLES / "mspdi" / "mpxj_mspdirelations.xml").read_text(encoding="utf-8")
    text = text.replace("<MinutesPerDay>480</MinutesPerDay>", "<MinutesPerDay>450</MinutesPerDay>")
    text = text.replace("<LinkLag>4800</LinkLag>", "<LinkLag>4500</LinkLag>")
    short_day = tmp_path / "short day.xml"
    short_day.write_text(text, encoding="utf-8")
    plan = tmp_path / "short.egov"
    capture(["init", str(plan)])
    code, out, _ = capture(["import", str(plan), str(short_day)])
    assert code == 0 and "rounded" not in out
    # Task 2 starts Friday 22/09/2006: Task 3 starts 1 working day later, Monday: 3 calendar days.
    assert links_of(plan)["Task 3"] == ("Task 2", "SS", 3)


def test_blank_rows_are_skipped_and_summaries_become_objectives(empty_plan: Path) -> None:
    code, out, _ = capture(["import", str(empty_plan), str(SAMPLES / "mspdi" / "mpxj_mspdinulltasks.xml")])
    assert code == 0
    actions, _, objectives = plan_state(empty_plan)
    assert [(a[0], a[1], a[2]) for a in actions] == [
        ("1.1", "Task 2", "1"),
        ("1.2", "Task 3", "1"),
        ("2.1", "Task 5", "2"),
    ]
    assert objectives == [("1", "Task 1"), ("2", "Task 4")]


def test_tasks_in_any_order_import_the_same(empty_plan: Path, tmp_path: Path) -> None:
    source = SAMPLES / "mspdi" / "mpxj_legacy_sample1.xml"
    ET.register_namespace("", NS["p"])
    tree = ET.parse(source)
    tasks = tree.getroot().find("p:Tasks", NS)
    assert tasks is not None
    shuffled = list(tasks)
    random.Random(13).shuffle(shuffled)
    tasks[:] = shuffled
    mixed = tmp_path / "mixed.xml"
    tree.write(mixed, encoding="UTF-8", xml_declaration=True)
    other = tmp_path / "other.egov"
    capture(["init", str(other)])
    assert capture(["import", str(empty_plan), str(source)])[0] == 0
    assert capture(["import", str(other), str(mixed)])[0] == 0
    assert plan_state(other) == plan_state(empty_plan)
    actions, _, objectives = plan_state(other)
    owners = {a[1]: a[3] for a in actions}
    assert owners["Assigned Task 2"] == "Second Resource" and owners["Related Task 1a"] == ""
    assert ("3.13", "Resource Assignments") in objectives


def test_a_second_import_of_the_same_file_makes_new_refs(empty_plan: Path) -> None:
    sample = SAMPLES / "mspdi" / "mpxj_mspdirelations.xml"
    capture(["import", str(empty_plan), str(sample)])
    code, out, _ = capture(["import", str(empty_plan), str(sample)])
    assert code == 0 and "5 added" in out
    refs = [a[0] for a in plan_state(empty_plan)[0]]
    assert refs[:5] == ["1", "2", "3", "4", "5"] and len(set(refs)) == 10


def gan_counts(path: Path) -> tuple[int, int]:
    """(leaf tasks, links written) read straight from the file."""
    tasks = ET.parse(path).getroot().iter("task")
    all_tasks = list(tasks)
    leaves = [t for t in all_tasks if t.find("task") is None]
    return len(leaves), sum(len(t.findall("depend")) for t in all_tasks)


@pytest.mark.parametrize("sample", GAN_SAMPLES, ids=lambda p: p.name)
def test_every_ganttproject_sample_imports(sample: Path, empty_plan: Path) -> None:
    leaves, links = gan_counts(sample)
    code, out, err = capture(["import", str(empty_plan), str(sample)])
    assert (code, err) == (0, "")
    assert f": {leaves} added, 0 updated" in out
    actions, stored, _ = plan_state(empty_plan)
    assert len(actions) == leaves
    assert len(stored) >= links  # a link from a summary stands for one from each task under it


def test_ganttproject_link_types_lags_nesting_and_owners(empty_plan: Path) -> None:
    capture(["import", str(empty_plan), str(SAMPLES / "gan" / "tsgp_task-with-dependencies.gan")])
    links = links_of(empty_plan)
    # Written on the predecessor: task A holds <depend id="1" type="1">, so task B waits on A, start-to-start.
    assert links["task B"] == ("task A", "SS", 0)
    assert links["task C"] == ("task B", "FS", 0)
    # Task C ends Monday 08/01/2024; one working day before is Friday: 3 calendar days.
    assert links["task D"] == ("task C", "FF", -3)
    assert links["task E"] == ("task D", "SF", 0)

    house = empty_plan.parent / "house.egov"
    capture(["init", str(house)])
    code, out, _ = capture(["import", str(house), str(SAMPLES / "gan" / "ganttproject_HouseBuildingSample.gan")])
    assert code == 0 and "link" in out and "summary task applied to the tasks under it" in out
    actions, stored, objectives = plan_state(house)
    by_title = {a[1]: a for a in actions}
    assert [o[1] for o in objectives] == [
        "Architectural design",
        "Interior design",
        "Construction phase",
        "Decoration phase",
        "ganttproject_HouseBuildingSample",
    ]
    draft = by_title["Create draft of architecture"]
    assert (draft[3], draft[6], draft[7]) == ("Michelangelo", "complete", 100)  # the responsible resource
    assert by_title["Prepare construction documents"][6:] == ("in_progress", 75)
    # "Interior design" (a summary) before "Walls": Walls waits on each of its three tasks.
    titles = {a[0]: a[1] for a in actions}
    walls_waits = {titles[p] for p, s, _, _ in stored if titles[s] == "Walls"}
    assert {"Pre-design", "Furniture selection", "Equipment planning"} <= walls_waits


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not xml at all", "is not an MS Project XML file (MSPDI): it is not well-formed XML (line 1, column 0)"),
        ("<Workbook/>", "is not an MS Project XML file (MSPDI): it holds <Workbook>, not <Project>"),
        (
            '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project>&a;</Project>',
            "declares XML entities or a DTD, which are refused for safety",
        ),
    ],
)
def test_a_file_that_is_not_mspdi_is_refused_in_one_line(
    text: str, message: str, empty_plan: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "from pm.xml"
    bad.write_text(text, encoding="utf-8")
    before = plan_state(empty_plan)
    code, out, err = capture(["import", str(empty_plan), str(bad)])
    assert code == 2 and out == ""
    assert err.startswith("egov-planner: from pm.xml: ") and message in err and err.count("\n") == 1
    assert plan_state(empty_plan) == before


def test_a_bad_task_refuses_the_whole_file_naming_its_row_and_column(empty_plan: Path, tmp_path: Path) -> None:
    text = (SAMPLES / "mspdi" / "mpxj_mspdirelations.xml").read_text(encoding="utf-8")
    # Task 4 (row 4) finishing before it starts; and a loop from task 1 back to task 5.
    text = text.replace("<Finish>2006-09-25T17:00:00</Finish>", "<Finish>2006-09-01T17:00:00</Finish>", 2)
    bad = tmp_path / "bad.xml"
    bad.write_text(text, encoding="utf-8")
    code, _, err = capture(["import", str(empty_plan), str(bad)])
    assert code == 2
    assert err.startswith("egov-planner: bad.xml row 3, column Finish: ") and "01/09/2006" in err
    assert plan_state(empty_plan) == ([], [], [])


# --- export -----------------------------------------------------------------------------


def normalised(path: Path) -> str:
    """An MSPDI export without what an import cannot carry (the plan's title; an external's delivery)."""
    head, rest = path.read_text(encoding="utf-8").split("<WBS>0</WBS>", 1)  # up to the project's own summary task
    head = re.sub(r"<(Name|Title|Company|StatusDate)>[^<]*</\1>\n\s*", "", head)
    return head + rest


def test_plan_to_ms_project_and_back_changes_nothing_it_carries(demo_path: Path, tmp_path: Path) -> None:
    first, second, plan = tmp_path / "first.xml", tmp_path / "second.xml", tmp_path / "again.egov"
    assert capture(["export", str(demo_path), str(first)])[0] == 0
    capture(["init", str(plan)])
    code, out, err = capture(["import", str(plan), str(first)])
    assert (code, err) == (0, "")
    assert capture(["export", str(plan), str(second)])[0] == 0
    # A delivered external is written done (100%, actual finish); the import keeps its date, not its delivery.
    delivered = re.compile(
        r"<PercentComplete>100</PercentComplete>\n\s*<ActualFinish>[^<]*</ActualFinish>\n(\s*<Constraint)"
    )
    expected = delivered.sub(r"<PercentComplete>0</PercentComplete>\n\1", normalised(first))
    assert normalised(second).replace("<PercentComplete>0</PercentComplete>\n", "") == expected.replace(
        "<PercentComplete>0</PercentComplete>\n", ""
    )
    original, again = plan_state(demo_path), plan_state(plan)
    assert [a[:6] for a in again[0]] == [a[:6] for a in original[0]]
    assert again[1] == original[1] and again[2] == original[2]


def test_the_ms_project_export_maps_as_the_contract_says(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "for the pm.xml"
    capture(["export", str(demo_path), str(out)])
    root = ET.parse(out).getroot()
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    with open_plan(demo_path) as store:
        snap = PlanService(store).snapshot()
    tasks = {t.findtext("p:WBS", namespaces=NS): t for t in root.findall("p:Tasks/p:Task", NS)}
    uid_wbs = {t.findtext("p:UID", namespaces=NS): w for w, t in tasks.items()}
    for action in snap.actions:
        task = tasks[action.ref]
        assert task.findtext("p:Name", namespaces=NS) == action.title
        assert task.findtext("p:Finish", namespaces=NS)[:10] == action.due.isoformat()
        assert task.findtext("p:Start", namespaces=NS)[:10] == (action.start or action.due).isoformat()
        assert task.findtext("p:OutlineLevel", namespaces=NS) == "2"
        assert re.fullmatch(r"PT\d+H0M0S", task.findtext("p:Duration", namespaces=NS) or "")
        written = sorted(
            (
                uid_wbs[k.findtext("p:PredecessorUID", namespaces=NS)],
                k.findtext("p:Type", namespaces=NS),
                int(k.findtext("p:LinkLag", namespaces=NS)),
                k.findtext("p:LagFormat", namespaces=NS),
            )
            for k in task.findall("p:PredecessorLink", NS)
        )
        kinds = {"FF": "0", "FS": "1", "SF": "2", "SS": "3"}
        wanted = sorted((k.predecessor_ref, kinds[k.kind], k.lag_days * 14400, "8") for k in action.predecessors)
        wanted += [(f"EXT.{[e.name for e in snap.externals].index(n) + 1}", "1", 0, "8") for n in action.externals]
        assert written == sorted(wanted)
    assert any(k.lag_days for k in snap.links)  # the demo has a lag for the test to see
    externals = tasks["EXT"]
    assert externals.findtext("p:Name", namespaces=NS) == "External dependencies"
    assert externals.findtext("p:Summary", namespaces=NS) == "1"
    milestones = [t for w, t in tasks.items() if w.startswith("EXT.")]
    assert len(milestones) == len(snap.externals)
    assert all(t.findtext("p:Milestone", namespaces=NS) == "1" for t in milestones)
    owners = {
        r.findtext("p:UID", namespaces=NS): r.findtext("p:Name", namespaces=NS)
        for r in root.iter(f"{{{NS['p']}}}Resource")
    }
    assigned = {
        uid_wbs[a.findtext("p:TaskUID", namespaces=NS)]: owners[a.findtext("p:ResourceUID", namespaces=NS)]
        for a in root.iter(f"{{{NS['p']}}}Assignment")
    }
    assert assigned == {a.ref: a.owner for a in snap.actions if a.owner}


# --- calendars ----------------------------------------------------------------------------


def events(path: Path) -> list:
    return [c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT"]


def test_the_calendar_has_each_open_action_and_meeting_with_stable_uids(demo_path: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "deadlines.ics", tmp_path / "again.ics"
    code, out, err = capture(["export", str(demo_path), str(first)])
    assert (code, err) == (0, "")
    with open_plan(demo_path) as store:
        snap = PlanService(store).snapshot()
    open_actions = [a for a in snap.actions if a.status not in ("complete", "cancelled", "deferred")]
    assert len(open_actions) < len(snap.actions) and snap.meetings
    found = events(first)
    assert out == f"Wrote {len(open_actions) + len(snap.meetings)} events to {first}\n"
    by_summary = {str(e["SUMMARY"]).split(" ")[0]: e for e in found}
    for action in open_actions:
        event = by_summary[action.ref]
        assert event["DTSTART"].dt == action.due  # a date: an all-day event
    meetings = sorted(
        e["DTSTART"].dt
        for e in found
        if str(e["SUMMARY"]).split(" ")[0] not in by_summary or str(e["UID"]).startswith("meeting-")
    )
    assert meetings == sorted(m.meets_on for m in snap.meetings)
    capture(["export", str(demo_path), str(second)])
    assert sorted(str(e["UID"]) for e in events(second)) == sorted(str(e["UID"]) for e in found)
    assert len({str(e["UID"]) for e in found}) == len(found)


def test_a_calendar_for_one_owner_and_an_unknown_owner(demo_path: Path, tmp_path: Path) -> None:
    with open_plan(demo_path) as store:
        snap = PlanService(store).snapshot()
    owner = next(a.owner for a in snap.actions if a.owner and a.status == "not_started")
    theirs = {a.ref for a in snap.actions if a.owner == owner and a.status not in ("complete", "cancelled", "deferred")}
    mine = tmp_path / "mine.ics"
    assert capture(["export", str(demo_path), str(mine), "--owner", owner.upper()])[0] == 0
    refs = {str(e["SUMMARY"]).split(" ")[0] for e in events(mine) if str(e["UID"]).startswith("action-")}
    assert refs == theirs
    code, out, err = capture(["export", str(demo_path), str(tmp_path / "x.ics"), "--owner", "Nobody Atall"])
    assert code == 2 and out == "" and err.startswith("egov-planner: no one called 'Nobody Atall' owns an action")
    assert not (tmp_path / "x.ics").exists()
    code, _, err = capture(["export", str(demo_path), str(tmp_path / "x.csv"), "--owner", owner])
    assert code == 2 and "--owner is for a calendar (.ics) only" in err


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ('duration="999999999"', "row 1, column End date: due 31/12/9999 is outside the dates"),
        ('duration="1e400"', "row 1, column Duration: '1e400' is not a number"),
        (  # GanttProject shows a link in the Predecessors column of the task that waits: row 2
            'duration="2"><depend id="2" type="2" difference="99999999999"/></task>'
            '<task id="2" name="B" start="2024-01-01"',
            "row 2, column Predecessors: a lag of more than 999,999,999 days is outside",
        ),
    ],
)
def test_numbers_past_the_calendar_are_refused_by_row_and_column(
    task: str, message: str, empty_plan: Path, tmp_path: Path
) -> None:
    gan = tmp_path / "odd.gan"
    gan.write_text(f'<project><tasks><task id="1" name="A" start="2024-01-01" {task}/></tasks></project>', "utf-8")
    code, _, err = capture(["import", str(empty_plan), str(gan)])
    assert code == 2 and err.startswith(f"egov-planner: odd.gan {message}") and err.count("\n") == 1


def test_an_owner_whose_comma_ms_project_saved_as_a_semicolon_is_the_same_person(
    demo_path: Path, tmp_path: Path
) -> None:
    """MS Project allows no comma in a resource name: saved by it (or MPXJ 16.10, which does the same),
    'Chair, Heads of ICT' comes back 'Chair; Heads of ICT', and must not become a new person."""
    exported, resaved = tmp_path / "plan.xml", tmp_path / "resaved by ms project.xml"
    assert capture(["export", str(demo_path), str(exported)])[0] == 0
    text = exported.read_text(encoding="utf-8")
    assert "<Name>Chair, Heads of ICT</Name>" in text
    resaved.write_text(text.replace("Chair, Heads of ICT", "Chair; Heads of ICT"), encoding="utf-8")
    code, out, err = capture(["import", str(demo_path), str(resaved)])
    assert (code, err) == (0, "") and "new people" not in out
    owners = {a[3] for a in plan_state(demo_path)[0]}
    assert "Chair, Heads of ICT" in owners and "Chair; Heads of ICT" not in owners
    # Into a plan without that person, the name is taken as the file gives it.
    fresh = tmp_path / "fresh.egov"
    capture(["init", str(fresh)])
    assert capture(["import", str(fresh), str(resaved)])[0] == 0
    assert "Chair; Heads of ICT" in {a[3] for a in plan_state(fresh)[0]}


def weekend_plan(tmp_path: Path) -> Path:
    """Starts and targets on Saturdays and Sundays, a lag over a weekend, a deferred and a cancelled action."""
    plan, rows = tmp_path / "weekend.egov", tmp_path / "weekend.csv"
    rows.write_text(
        "objective_ref,objective,action_ref,action,owner,start,due,status,percent_complete,depends_on,description\n"
        "O1,Highways,A1,Survey the roads,Ann Lee,28/02/2026,03/03/2026,in progress,40,,\n"
        "O1,,A2,Resurface Mill Lane,Ann Lee,01/03/2026,08/03/2026,not started,0,A1 FS+2,Night work\n"
        "O1,,A3,Repaint the depot,Bob Roy,07/03/2026,14/03/2026,deferred,10,,Until the budget is agreed\n"
        "O1,,A4,Old bridge study,,02/03/2026,06/03/2026,cancelled,0,,\n",
        encoding="utf-8",
    )
    assert capture(["init", str(plan)])[0] == 0
    code, _, err = capture(["import", str(plan), str(rows)])
    assert (code, err) == (0, "")
    return plan


def test_ms_project_export_has_a_7_day_calendar_so_weekend_dates_stay(tmp_path: Path, empty_plan: Path) -> None:
    plan, out = weekend_plan(tmp_path), tmp_path / "weekend.xml"
    assert capture(["export", str(plan), str(out)])[0] == 0
    root = ET.parse(out).getroot()
    calendar_uid = root.findtext("p:CalendarUID", namespaces=NS)
    calendars = root.findall("p:Calendars/p:Calendar", NS)
    (calendar,) = [c for c in calendars if c.findtext("p:UID", namespaces=NS) == calendar_uid]
    days = calendar.findall("p:WeekDays/p:WeekDay", NS)
    assert sorted(d.findtext("p:DayType", namespaces=NS) for d in days) == [str(n) for n in range(1, 8)]
    assert all(d.findtext("p:DayWorking", namespaces=NS) == "1" for d in days)
    assert all(d.findall("p:WorkingTimes/p:WorkingTime", NS) for d in days)
    assert root.findtext("p:MinutesPerWeek", namespaces=NS) == str(7 * 8 * 60)
    tasks = {t.findtext("p:WBS", namespaces=NS): t for t in root.findall("p:Tasks/p:Task", NS)}
    survey = tasks["A1"]  # Saturday 28/02 to Tuesday 03/03: four days worked, none moved to Monday
    assert survey.findtext("p:Start", namespaces=NS) == "2026-02-28T08:00:00"
    assert survey.findtext("p:Duration", namespaces=NS) == "PT32H0M0S"
    assert capture(["import", str(empty_plan), str(out)])[0] == 0
    assert plan_state(empty_plan) == plan_state(plan)


def test_deferred_and_cancelled_survive_ms_project_in_a_text_field(tmp_path: Path, empty_plan: Path) -> None:
    plan, out = weekend_plan(tmp_path), tmp_path / "status.xml"
    assert capture(["export", str(plan), str(out)])[0] == 0
    root = ET.parse(out).getroot()
    (field,) = root.findall("p:ExtendedAttributes/p:ExtendedAttribute", NS)
    assert (field.findtext("p:FieldName", namespaces=NS), field.findtext("p:Alias", namespaces=NS)) == (
        "Text1",
        "Plan status",
    )
    text1 = {
        t.findtext("p:WBS", namespaces=NS): t.findtext("p:ExtendedAttribute/p:Value", namespaces=NS)
        for t in root.findall("p:Tasks/p:Task", NS)
        if t.find("p:ExtendedAttribute", NS) is not None
    }
    assert text1 == {"A3": "Deferred", "A4": "Cancelled"}
    assert capture(["import", str(empty_plan), str(out)])[0] == 0
    statuses = {a[0]: (a[6], a[7]) for a in plan_state(empty_plan)[0]}
    assert statuses == {
        "A1": ("in_progress", 40),
        "A2": ("not_started", 0),
        "A3": ("deferred", 10),
        "A4": ("cancelled", 0),
    }
