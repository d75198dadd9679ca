"""The pack after a report has been recorded: what changed since, original and revised targets, warnings.

The store that records reports is another part of the program; here a report is recorded by hand
from the plan as it stood on 12/01/2004 (the demo's status date), the plan is moved on (a completion,
two revised targets, an action removed and one added), and the June pack is read back. Every list is
counted here from the two positions, without the program's comparison.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from egov_planner.cli import capture
from egov_planner.model.cycle import RecordedReport, ReportedAction, ReportHeader, RevisionRecord
from egov_planner.model.records import PLAN_TEXT_FIELDS, PlanSnapshot
from egov_planner.model.rules import assess_plan
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.reports import build_report
from tests.reports.conftest import Pdf, squash

JANUARY = date(2004, 1, 12)
JUNE = date(2004, 6, 1)
LABEL = "Cabinet 2 February 2004"
WORDS = {"R": "Overdue", "A": "At risk", "G": "On track", "B": "Complete", "N": "Not rated"}
SMARTCARD_REASON = "Smartcard pilot moved to the autumn by the supplier"


def record(snapshot: PlanSnapshot, as_of: date, label: str = LABEL) -> RecordedReport:
    """What recording a report keeps: each action's position as at as_of, and the report text."""
    verdicts = assess_plan(snapshot.facts(), as_of, snapshot.details.due_soon_days).actions
    actions = tuple(
        ReportedAction(
            ref=a.ref,
            title=a.title,
            objective_ref=a.objective_ref,
            status=a.status,
            due=a.due,
            forecast=verdicts[a.id].forecast,
            flag=verdicts[a.id].flag.value if verdicts[a.id].flag else None,
            rag=verdicts[a.id].rag.value,
            percent_complete=a.percent_complete,
            action_id=a.id,
        )
        for a in snapshot.actions
    )
    header = ReportHeader(1, label, as_of, datetime(2004, 1, 13, 9, 30), "officer", len(actions), True)
    text = {name: getattr(snapshot.details, name) for name in PLAN_TEXT_FIELDS}
    meetings = tuple((m.committee, m.meets_on) for m in snapshot.meetings)
    return RecordedReport(header, text, meetings, {}, actions)


@dataclass
class Position:
    status: str
    due: date
    flag: str | None
    rag: str
    title: str


def positions(snapshot: PlanSnapshot, as_of: date, refs: set[str] | None = None) -> dict[str, Position]:
    verdicts = assess_plan(snapshot.facts(), as_of, snapshot.details.due_soon_days).actions
    return {
        a.ref: Position(
            a.status,
            a.due,
            verdicts[a.id].flag.value if verdicts[a.id].flag else None,
            verdicts[a.id].rag.value,
            a.title,
        )
        for a in snapshot.actions
        if refs is None or a.ref in refs
    }


@dataclass
class Moved:
    """The June plan (with its January report) and what the test expects each list to hold."""

    snapshot: PlanSnapshot
    cabinet: Pdf
    exceptions: Pdf
    warnings: list[str]
    expected: dict[str, list[str]]
    then: dict[str, Position]
    now: dict[str, Position]
    titles: dict[str, str]  # every ref then or now, exempt ones too


@pytest.fixture(scope="module")
def moved(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moved]:
    folder = tmp_path_factory.mktemp("since")
    plan = folder / "plan.egov"
    shutil.copyfile(demo_template, plan)
    store = open_plan(plan)
    service = PlanService(store)
    january = service.snapshot()
    report = record(january, JANUARY)
    action = {a.ref: a for a in january.actions}
    service.update_action(action["A2.1"].id, status="complete", completed_on=date(2004, 4, 20), percent_complete=100)
    service.update_action(action["A2.5"].id, due=date(2004, 9, 30))
    service.update_action(action["A1.4"].id, due=date(2004, 7, 31))
    service.delete_action(action["A2.3"].id)
    o7 = next(o for o in january.objectives if o.ref == "O7")
    service.add_action(o7.id, "A7.9", "Train customer service staff in the equality checklist", date(2004, 3, 31))
    june = service.snapshot()
    revisions = {
        action["A2.5"].id: (
            RevisionRecord(
                1,
                action["A2.5"].id,
                "A2.5",
                date(2004, 6, 30),
                date(2004, 8, 31),
                "First slip",
                "",
                datetime(2004, 3, 1),
                "officer",
            ),
            RevisionRecord(
                2,
                action["A2.5"].id,
                "A2.5",
                date(2004, 8, 31),
                date(2004, 9, 30),
                SMARTCARD_REASON,
                "SRG 12/05/2004",
                datetime(2004, 5, 12),
                "officer",
            ),
        ),
        action["A1.4"].id: (
            RevisionRecord(
                3,
                action["A1.4"].id,
                "A1.4",
                date(2004, 4, 30),
                date(2004, 7, 31),
                "Waiting for the quarter 4 figures",
                "",
                datetime(2004, 4, 2),
                "officer",
            ),
        ),
    }
    original = {a.id: action[a.ref].due for a in june.actions if a.ref in action}
    june = dataclasses.replace(
        june, reports=[report.header], last_report=report, revisions=revisions, original_due=original
    )
    exempt_objectives = {o.id for o in june.objectives if o.exempt_paragraph}
    public = {
        a.ref
        for a in january.actions + june.actions
        if not a.exempt_paragraph and a.objective_id not in exempt_objectives
    }
    then = positions(january, JANUARY, public)
    now = positions(june, JUNE, public)
    expected = {
        "completed": [
            r for r, p in now.items() if p.status == "complete" and (r not in then or then[r].status != "complete")
        ],
        "newly_overdue": [
            r for r, p in now.items() if p.flag == "overdue" and (r not in then or then[r].flag != "overdue")
        ],
        "newly_at_risk": [
            r for r, p in now.items() if p.flag == "at_risk" and (r not in then or then[r].flag != "at_risk")
        ],
        "revised": [r for r, p in now.items() if r in then and p.due != then[r].due],
        "added": [r for r in now if r not in then],
        "removed": [r for r in then if r not in now],
        "rag_changes": [r for r, p in now.items() if r in then and p.rag != then[r].rag],
    }
    # What the test made happen is in the lists it counted.
    assert "A2.1" in expected["completed"] and expected["revised"] == ["A1.4", "A2.5"]
    assert expected["added"] == ["A7.9"] and expected["removed"] == ["A2.3"] and "A7.9" in expected["newly_overdue"]
    cabinet = build_report(june, folder / "june.pdf", protect=plan, as_of=JUNE)
    exceptions = build_report(june, folder / "june exceptions.pdf", protect=plan, kind="exceptions", as_of=JUNE)
    yield Moved(
        june,
        Pdf(cabinet.path, cabinet.pages),
        Pdf(exceptions.path, exceptions.pages),
        cabinet.warnings,
        expected,
        then,
        now,
        {a.ref: a.title for a in january.actions + june.actions},
    )
    store.close()


HEADINGS = [
    ("completed", "Completed"),
    ("newly_overdue", "Newly overdue"),
    ("newly_at_risk", "Newly at risk"),
    ("revised", "Target dates revised"),
    ("added", "Added to the plan"),
    ("removed", "Removed from the plan"),
    ("rag_changes", "Rating changed"),
]


def lists_of(section: str, expected: dict[str, list[str]]) -> dict[str, str]:
    """Each list's squashed text, from its heading 'Completed (n)' to the next heading."""
    found: dict[str, str] = {}
    for index, (name, title) in enumerate(HEADINGS):
        start = section.index(squash(f"{title} ({len(expected[name])})"))
        if index + 1 < len(HEADINGS):
            following, next_title = HEADINGS[index + 1]
            stop = section.index(squash(f"{next_title} ({len(expected[following])})"), start)
        else:
            stop = len(section)
        found[name] = section[start:stop]
    return found


def test_the_cabinet_pack_says_what_changed_since_the_last_report(moved: Moved) -> None:
    pack, expected = moved.cabinet, moved.expected
    heading = "3.3 Progress since the last report (Cabinet 2 February 2004, position as at 12/01/2004)"
    section = pack.section_text(heading, "4. FINANCIAL, LEGAL AND OTHER IMPLICATIONS")
    # After the summary, before the implications: where members look for what has moved.
    assert pack.flat.index(squash("3.2 Summary")) < pack.flat.index(squash(heading))
    counts = " ".join(f"{title} {len(expected[name])}" for name, title in HEADINGS)
    assert squash(f"Since the last report Actions {counts}") in section
    lists = lists_of(section, expected)
    for name, refs in expected.items():
        for ref, title in moved.titles.items():
            # Each list holds its own actions (ref and title) and no other: exempt ones included.
            assert (squash(f"{ref} {title}") in lists[name]) == (ref in refs), (name, ref)
        if not refs:
            assert squash("None.") in lists[name]
    assert squash("20/04/2004") in lists["completed"]  # the completion date, not the status date
    assert "3.3 Progress since the last report" in [title for title, _, _ in pack.outline()]


def test_revised_targets_give_from_to_slippage_reason_and_who_agreed(moved: Moved) -> None:
    section = moved.cabinet.section_text("Target dates revised (2)", "Added to the plan (1)")
    assert (
        squash(
            f"A2.5 {moved.now['A2.5'].title} 30/06/2004 → 30/09/2004 +92 days "
            f"{SMARTCARD_REASON} (agreed by SRG 12/05/2004)"
        )
        in section
    )
    assert squash("First slip") not in section  # the latest revision's reason, not an earlier one
    assert (
        squash(f"A1.4 {moved.now['A1.4'].title} 30/04/2004 → 31/07/2004 +92 days Waiting for the quarter 4 figures")
        in section
    )
    a14 = section[section.index(squash("A1.4")) : section.index(squash("A2.5"))]
    assert "agreedby" not in a14  # nobody was named as agreeing it, so nobody is


def test_rating_changes_read_as_words_from_then_to_now(moved: Moved) -> None:
    section = moved.cabinet.section_text("Rating changed (", "4. FINANCIAL")
    assert moved.expected["rag_changes"]
    for ref in moved.expected["rag_changes"]:
        then, now = moved.then[ref].rag, moved.now[ref].rag
        assert squash(f"{ref} {moved.now[ref].title} {then} {WORDS[then]} → {now} {WORDS[now]}") in section, ref


def test_an_empty_list_says_none_and_a_plan_never_reported_has_no_such_section(
    new_plan: PlanService, tmp_path: Path
) -> None:
    objective = new_plan.add_objective("O1", "Improve access")
    new_plan.add_action(objective, "A1.1", "Open the new contact centre", date(2005, 3, 31))
    first = new_plan.snapshot()
    never = build_report(first, tmp_path / "first.pdf", protect=new_plan.store.path)
    assert "Progress since the last report" not in Pdf(never.path, never.pages).text
    later = dataclasses.replace(first, last_report=record(first, JANUARY, "Scrutiny January 2004"))
    built = build_report(later, tmp_path / "later.pdf", protect=new_plan.store.path, as_of=date(2004, 2, 16))
    section = Pdf(built.path, built.pages).section_text("3.3 Progress since the last report", "4. FINANCIAL")
    assert squash("(Scrutiny January 2004, position as at 12/01/2004)") in section
    for _, title in HEADINGS:
        assert squash(f"{title} (0) None.") in section, title
    # The same day as the report: it is that report again, not a later one.
    again = build_report(later, tmp_path / "again.pdf", protect=new_plan.store.path)
    assert "Progress since the last report" not in Pdf(again.path, again.pages).text


def test_the_exceptions_pack_gives_the_same_lists_in_short(moved: Moved) -> None:
    section = moved.exceptions.section_text("Progress since the last report (Cabinet 2 February 2004", None)
    expected = moved.expected
    for name, title in HEADINGS:
        refs = expected[name]
        row = squash(f"{title} {len(refs)}")
        assert row in section, title
        after = section[section.index(row) :]
        for ref in refs:
            assert squash(ref) in after
    assert squash(f"30/06/2004 → 30/09/2004 (+92 days). {SMARTCARD_REASON} (agreed by SRG 12/05/2004)") in section


def test_appendix_a_shows_original_and_revised_targets_with_slippage(moved: Moved) -> None:
    appendix = moved.cabinet.section_text("APPENDIX A", "APPENDIX B")
    assert squash("Original 30/06/2004 Revised 30/09/2004 (+92 days)") in appendix
    assert squash(f"Target revised: {SMARTCARD_REASON} (agreed by SRG 12/05/2004)") in appendix
    assert squash("Original 30/04/2004 Revised 31/07/2004 (+92 days)") in appendix
    assert appendix.count(squash("Original ")) == 2  # unrevised actions keep their one date


def test_a_pack_after_its_meetings_and_with_last_reports_text_warns(moved: Moved) -> None:
    meetings, text = moved.warnings
    assert meetings == (
        "the pack is as at 01/06/2004, after its meetings (Finance, Resources and Equal Opportunities Scrutiny "
        "22/01/2004; Cabinet 02/02/2004): set the meetings this report goes to in the report details"
    )
    assert "since the last report (Cabinet 2 February 2004, position as at 12/01/2004)" in text
    assert "1. Introduction, 1. Scope, 2. Recommendations and 3.2 Summary read as they did then" in text
    assert text.endswith("for the position as at 01/06/2004")


def test_reviewed_text_and_future_meetings_do_not_warn(moved: Moved, tmp_path: Path) -> None:
    snapshot = moved.snapshot
    details = dataclasses.replace(
        snapshot.details,
        introduction=snapshot.details.introduction + " This report gives the position at the end of May 2004.",
        recommendations="Members are asked to note the progress since February.",
    )
    meetings = [dataclasses.replace(m, meets_on=date(2004, 6, 21 + i)) for i, m in enumerate(snapshot.meetings)]
    reviewed = dataclasses.replace(snapshot, details=details, meetings=meetings)
    result = build_report(reviewed, tmp_path / "reviewed.pdf", protect=None, as_of=JUNE)
    assert len(result.warnings) == 1
    assert "1. Scope and 3.2 Summary read as they did then" in result.warnings[0]
    details = dataclasses.replace(details, scope="Scope for June.", summary="Summary for June.")
    result = build_report(dataclasses.replace(reviewed, details=details), tmp_path / "ok.pdf", protect=None, as_of=JUNE)
    assert result.warnings == []


def test_the_report_command_prints_each_warning_and_still_builds(demo_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "june.pdf"
    code, out, err = capture(["report", str(demo_path), "-o", str(output), "--as-of", "01/06/2004"])
    assert code == 0 and output.exists()
    assert out.startswith("Wrote ")
    assert err.splitlines() == [
        "warning: the pack is as at 01/06/2004, after its meetings (Finance, Resources and Equal Opportunities "
        "Scrutiny 22/01/2004; Cabinet 02/02/2004): set the meetings this report goes to in the report details"
    ]
    code, _, err = capture(["report", str(demo_path), "-o", str(tmp_path / "jan.pdf")])
    assert (code, err) == (0, "")
    code, _, err = capture(["report", str(demo_path), "-o", str(tmp_path / "mid.pdf"), "--as-of", "27/01/2004"])
    assert code == 0 and "(Finance, Resources and Equal Opportunities Scrutiny 22/01/2004)" in err
    assert "Cabinet" not in err
