"""The committee cycle in the model: reports recorded as issued, revised target dates, changes since a report."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from egov_planner.model.cycle import (
    RecordedReport,
    ReportedAction,
    ReportHeader,
    changes_since,
    original_targets,
)
from egov_planner.model.errors import NotFound, PlanError, RowError, ValidationError
from egov_planner.model.import_rows import ActionImportRow
from egov_planner.model.service import ChangeKind, PlanService
from egov_planner.model.store import SCHEMA_HEAD, open_plan
from egov_planner.model.store.opening import open_for_editing
from egov_planner.model.workspace import Workspace
from tests.model.helpers.plans import downgrade_to_0003, make_plan, query, schema_revision

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores

NOW = datetime(2004, 5, 12, 9, 30)
JANUARY = "Cabinet 2 February 2004"


@pytest.fixture
def cycle(demo_path: Path) -> Iterator[PlanService]:
    """The demo open for editing with a fixed clock, its January report recorded."""
    store = open_plan(demo_path)
    try:
        service = PlanService(store, clock=lambda: NOW)
        service.record_report(JANUARY)
        yield service
    finally:
        store.close()


def rows_of(path: Path, table: str) -> int:
    return int(query(path, f"SELECT count(*) FROM {table}")[0][0])


# --- recording a report --------------------------------------------------------------------------


def test_a_recorded_report_keeps_every_action_as_the_rules_judged_it_at_its_status_date(
    cycle: PlanService,
) -> None:
    report = cycle.recorded_report(JANUARY)
    assert report.header.as_of == date(2004, 1, 12)  # the demo's status date
    assert report.header.taken_at == NOW and report.header.taken_by == getpass.getuser()
    assessment = cycle.assess(date(2004, 1, 12))
    actions = {a.ref: a for a in cycle.actions()}
    assert [a.ref for a in report.actions] == [a.ref for a in cycle.actions()]
    for row in report.actions:
        verdict = assessment.actions[actions[row.ref].id]
        assert (row.due, row.status, row.percent_complete) == (
            actions[row.ref].due,
            actions[row.ref].status,
            actions[row.ref].percent_complete,
        )
        assert (row.forecast, row.rag) == (verdict.forecast, verdict.rag.value)
        assert row.flag == (verdict.flag.value if verdict.flag else None)
    assert report.by_ref()["A1.2"].flag == "overdue" and report.by_ref()["A1.2"].rag == "R"
    # The text, meetings and BVPI figures as reported.
    details = cycle.details()
    assert report.text["authority"] == details.authority and report.text["recommendations"] == details.recommendations
    assert report.meetings == tuple((m.committee, m.meets_on) for m in cycle.snapshot().meetings)
    assert report.bvpi["as_of"] == "2004-01-12" and report.bvpi["permissible"] > 0


def test_a_reports_latest_note_is_the_one_known_at_its_status_date(cycle: PlanService) -> None:
    a12 = cycle.action_by_ref("A1.2")
    before = cycle.recorded_report(JANUARY).by_ref()["A1.2"].latest_note
    cycle.add_progress(a12.id, date(2004, 3, 1), "Reported to SRG on 24 February.")
    cycle.record_report("Back-dated", as_of=date(2004, 1, 12))
    cycle.record_report("March", as_of=date(2004, 3, 31))
    assert cycle.recorded_report("Back-dated").by_ref()["A1.2"].latest_note == before
    assert cycle.recorded_report("March").by_ref()["A1.2"].latest_note == "Reported to SRG on 24 February."


def test_a_label_already_recorded_is_refused_by_name_and_nothing_is_recorded(cycle: PlanService) -> None:
    with pytest.raises(ValidationError, match=f"already a recorded report '{JANUARY}'") as refused:
        cycle.record_report(JANUARY, as_of=date(2004, 6, 30))
    assert refused.value.field == "label"
    assert [h.label for h in cycle.recorded_reports()] == [JANUARY]
    with pytest.raises(ValidationError, match="needs a label"):
        cycle.record_report("   ")


def test_an_unknown_label_is_refused_naming_the_recorded_ones(cycle: PlanService) -> None:
    cycle.record_report("Scrutiny 22 January 2004")
    with pytest.raises(NotFound, match=f"no recorded report 'Cabinet March' .*'{JANUARY}', 'Scrutiny 22 January 2004'"):
        cycle.changes_since("Cabinet March")
    assert cycle.recorded_report("cabinet 2 FEBRUARY 2004").header.label == JANUARY  # case is forgiven


def test_reports_are_listed_oldest_first_with_their_action_counts(cycle: PlanService) -> None:
    cycle.record_report("June", as_of=date(2004, 6, 30))
    cycle.record_report("Scrutiny", as_of=date(2004, 1, 22), with_pack=True)
    headers = cycle.recorded_reports()
    assert [(h.label, h.as_of, h.actions, h.with_pack) for h in headers] == [
        (JANUARY, date(2004, 1, 12), 30, False),
        ("Scrutiny", date(2004, 1, 22), 30, True),
        ("June", date(2004, 6, 30), 30, False),
    ]
    assert not hasattr(cycle, "update_report") and not hasattr(cycle, "delete_report")


# --- revised target dates ------------------------------------------------------------------------


def test_moving_a_reported_target_date_without_a_reason_is_refused_at_revision_reason(
    cycle: PlanService, demo_path: Path
) -> None:
    a14 = cycle.action_by_ref("A1.4")
    with pytest.raises(ValidationError) as refused:
        cycle.update_action(a14.id, a14.version, due=date(2004, 6, 30))
    assert refused.value.field == "revision_reason"
    assert "A1.4" in refused.value.message and "30/04/2004" in refused.value.message
    assert "30/06/2004" in refused.value.message and "reason" in refused.value.message
    assert cycle.action(a14.id).due == date(2004, 4, 30) and rows_of(demo_path, "revision") == 0
    with pytest.raises(ValidationError):
        cycle.update_action(a14.id, a14.version, due=date(2004, 6, 30), revision_reason="  ")


def test_a_revision_keeps_from_to_reason_who_agreed_it_and_who_made_it(cycle: PlanService) -> None:
    a14 = cycle.action_by_ref("A1.4")
    cycle.update_action(
        a14.id, a14.version, due=date(2004, 6, 30), revision_reason="SRG moved", revision_agreed_by="SRG 12/05/2004"
    )
    (revision,) = cycle.snapshot().revisions[a14.id]
    assert (revision.ref, revision.from_due, revision.to_due) == ("A1.4", date(2004, 4, 30), date(2004, 6, 30))
    assert (revision.reason, revision.agreed_by, revision.at, revision.by) == (
        "SRG moved",
        "SRG 12/05/2004",
        NOW,
        getpass.getuser(),
    )
    assert revision.slip_days == 61
    # Other fields of a reported action change freely; the same date again is no revision.
    cycle.update_action(a14.id, title="Report Q4 to SRG", due=date(2004, 6, 30))
    assert len(cycle.snapshot().revisions[a14.id]) == 1


def test_the_original_target_and_slippage_survive_two_revisions_and_a_later_report(cycle: PlanService) -> None:
    a31 = cycle.action_by_ref("A3.1")
    cycle.update_action(a31.id, due=date(2004, 5, 31), revision_reason="awaiting partners")
    cycle.record_report("Cabinet June", as_of=date(2004, 6, 1))
    cycle.update_action(a31.id, due=date(2004, 9, 30), revision_reason="new Head of ICT")
    snapshot = cycle.snapshot()
    assert snapshot.original_due[a31.id] == date(2004, 3, 31)  # the first report's, not June's
    assert (cycle.action(a31.id).due - snapshot.original_due[a31.id]).days == 183
    assert [r.reason for r in snapshot.revisions[a31.id]] == ["awaiting partners", "new Head of ICT"]
    assert snapshot.last_report is not None and snapshot.last_report.header.label == "Cabinet June"
    assert [h.label for h in snapshot.reports] == [JANUARY, "Cabinet June"]


def test_before_any_report_a_new_target_date_needs_no_reason(demo_service: PlanService, demo_path: Path) -> None:
    a14 = demo_service.action_by_ref("A1.4")
    demo_service.update_action(a14.id, due=date(2004, 6, 30))
    assert demo_service.action(a14.id).due == date(2004, 6, 30) and rows_of(demo_path, "revision") == 0


def test_deleting_and_restoring_an_action_brings_its_revisions_back(cycle: PlanService) -> None:
    a14 = cycle.action_by_ref("A1.4")
    cycle.update_action(a14.id, due=date(2004, 6, 30), revision_reason="SRG moved")
    saved = cycle.delete_action(a14.id)
    assert a14.id not in cycle.snapshot().revisions
    cycle.restore_action(saved)
    assert [r.reason for r in cycle.snapshot().revisions[a14.id]] == ["SRG moved"]


def _row(ref: str, due: date, reason: str | None, row: int = 2) -> ActionImportRow:
    present = {"objective_ref", "action_ref", "action", "due"} | ({"revision_reason"} if reason is not None else set())
    return ActionImportRow(
        row=row,
        objective_ref=ref.replace("A", "O").split(".")[0],
        action_ref=ref,
        action="",
        due=due,
        revision_reason=reason or "",
        present=frozenset(present - {"action"}),
    )


def test_an_import_moving_a_reported_date_without_a_reason_is_refused_whole(
    cycle: PlanService, demo_path: Path
) -> None:
    rows = [_row("A2.1", date(2004, 3, 31), ""), _row("A1.4", date(2004, 6, 30), "", row=3)]
    with pytest.raises(RowError) as refused:
        cycle.import_actions(rows, "slips.csv")
    assert (refused.value.source, refused.value.row, refused.value.column) == ("slips.csv", 3, "revision_reason")
    assert str(refused.value).startswith("slips.csv row 3, column revision_reason: ")
    assert "30/04/2004" in str(refused.value) and "30/06/2004" in str(refused.value)
    assert cycle.action_by_ref("A1.4").due == date(2004, 4, 30) and rows_of(demo_path, "revision") == 0
    # Without the column at all: the same refusal, naming the column to add.
    with pytest.raises(RowError, match="row 2, column revision_reason"):
        cycle.import_actions([_row("A1.4", date(2004, 6, 30), None)], "slips.csv")


def test_an_import_with_reasons_records_each_revision_and_refuses_a_repeated_reason(cycle: PlanService) -> None:
    summary = cycle.import_actions([_row("A1.4", date(2004, 6, 30), "SRG moved it")], "slips.csv")
    assert summary.updated == 1
    a14 = cycle.action_by_ref("A1.4")
    assert [(r.from_due, r.to_due, r.reason) for r in cycle.snapshot().revisions[a14.id]] == [
        (date(2004, 4, 30), date(2004, 6, 30), "SRG moved it")
    ]
    # An exported file carries the last reason: moving the date again with that cell unchanged is no reason.
    with pytest.raises(RowError, match="column revision_reason: .*reason is the one given for its last revision"):
        cycle.import_actions([_row("A1.4", date(2004, 9, 30), "SRG moved it")], "again.csv")
    assert cycle.action(a14.id).due == date(2004, 6, 30)


# --- migration and the workspace ----------------------------------------------------------------


def test_a_0003_plan_opened_for_editing_gains_reports_after_a_backup(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "plan.egov")
    downgrade_to_0003(plan)
    assert schema_revision(plan) == "0003"
    with open_for_editing(plan) as store:
        service = PlanService(store)
        header = service.record_report("First report", as_of=date(2004, 1, 31))
        assert header.actions == len(service.actions()) > 0
    assert schema_revision(plan) == SCHEMA_HEAD
    assert query(plan, "SELECT value FROM meta WHERE key='needs_program'") == [("0.3.0",)]
    assert rows_of(plan, "reported_action") == header.actions


def test_a_workspace_follows_a_recorded_report_and_a_revision(cycle: PlanService) -> None:
    workspace = Workspace(cycle, today=lambda: date(2004, 5, 12))
    heard: list[ChangeKind] = []
    cycle.listeners.append(lambda change: (heard.append(change.kind), workspace.apply(change)))
    a14 = cycle.action_by_ref("A1.4")
    cycle.update_action(a14.id, due=date(2004, 6, 30), revision_reason="SRG moved")
    assert [r.reason for r in workspace.snapshot.revisions[a14.id]] == ["SRG moved"]
    cycle.record_report("May", as_of=date(2004, 5, 12))
    assert heard == [ChangeKind.ACTION, ChangeKind.REPORT]
    assert [h.label for h in workspace.snapshot.reports] == [JANUARY, "May"]
    assert workspace.snapshot.last_report is not None and workspace.snapshot.last_report.header.label == "May"
    assert workspace.snapshot.original_due[a14.id] == date(2004, 4, 30)
    # A renamed action is the action the reports held (DOMAIN.md: "the first snapshot that holds the action").
    cycle.update_action(a14.id, ref="A1.4a")
    assert workspace.snapshot.original_due[a14.id] == date(2004, 4, 30)
    assert [r.ref for r in workspace.snapshot.revisions[a14.id]] == ["A1.4a"]


def test_a_failure_before_commit_records_nothing(cycle: PlanService) -> None:
    def fail() -> None:
        raise PlanError("the pack could not be put in place")

    with pytest.raises(PlanError, match="put in place"):
        cycle.record_report("June", as_of=date(2004, 6, 30), before_commit=fail)
    assert [h.label for h in cycle.recorded_reports()] == [JANUARY]


# --- model/cycle.py's pure functions -------------------------------------------------------------


def _reported(
    ref: str, due: date, status: str = "in_progress", flag: str | None = None, rag: str = "G"
) -> ReportedAction:
    return ReportedAction(ref, f"title {ref}", "O1", status, due, due, flag, rag, 0)


def _report(*actions: ReportedAction) -> RecordedReport:
    header = ReportHeader(1, "Jan", date(2004, 1, 12), datetime(2004, 1, 13, 10, 0), "officer", len(actions))
    return RecordedReport(header, actions=actions)


def test_changes_since_lists_each_kind_of_change_once_in_the_plans_order() -> None:
    d = date(2004, 3, 31)
    then = _report(
        _reported("A1", d),
        _reported("A2", d, flag="overdue", rag="R"),
        _reported("A3", d),
        _reported("A4", d, status="complete", rag="B"),
        _reported("A9", d),
    )
    now = [
        _reported("A2", date(2004, 6, 30), flag="overdue", rag="R"),  # still overdue: not newly
        _reported("A1", d, status="complete", rag="B"),
        _reported("A3", d, flag="at_risk", rag="A"),
        _reported("A4", d, status="complete", rag="B"),  # complete then too: not newly completed
        _reported("A5", d, flag="overdue", rag="R"),  # added, and overdue
    ]
    found = changes_since(then, now, date(2004, 6, 30), {"A2": "waiting on IT", "A1": "unused"})
    assert found.completed == ("A1",)
    assert found.newly_overdue == ("A5",)
    assert found.newly_at_risk == ("A3",)
    assert [(r.ref, r.from_due, r.to_due, r.reason, r.slip_days) for r in found.revised] == [
        ("A2", d, date(2004, 6, 30), "waiting on IT", 91)
    ]
    assert (found.added, found.removed) == (("A5",), ("A9",))
    assert [(c.ref, c.from_rag, c.to_rag) for c in found.rag_changes] == [("A1", "G", "B"), ("A3", "G", "A")]
    assert found.counts() == {
        "completed": 1,
        "newly_overdue": 1,
        "newly_at_risk": 1,
        "revised": 1,
        "added": 1,
        "removed": 1,
        "rag_changes": 2,
    }
    assert found.as_json()["since"] == {"label": "Jan", "as_of": "2004-01-12"}
    assert found.as_json()["revised"] == [
        {"ref": "A2", "from": "2004-03-31", "to": "2004-06-30", "reason": "waiting on IT"}
    ]


def test_nothing_changed_gives_empty_lists() -> None:
    row = _reported("A1", date(2004, 3, 31))
    found = changes_since(_report(row), [row], date(2004, 1, 12))
    assert set(found.counts().values()) == {0}


def test_original_targets_come_from_the_first_report_holding_each_ref() -> None:
    first = _report(_reported("A1", date(2004, 3, 31)))
    second = _report(_reported("A1", date(2004, 6, 30)), _reported("A2", date(2004, 9, 30)))
    assert original_targets([first, second]) == {"A1": date(2004, 3, 31), "A2": date(2004, 9, 30)}


def test_a_report_header_as_json_is_the_contracts_shape() -> None:
    header = ReportHeader(3, "Cabinet", date(2004, 1, 12), datetime(2004, 1, 13, 10, 5, 7), "jc", 30, True)
    assert header.as_json() == {
        "label": "Cabinet",
        "as_of": "2004-01-12",
        "taken_at": "2004-01-13T10:05:07",
        "actions": 30,
    }
