"""Issue 11 tried again as a new user: a plan of one's own, labels, history lines, dates before a report."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan

ACTIONS = (
    "objective_ref,objective,action_ref,action,owner,start,due,status,completed_on,percent_complete,depends_on,exempt\n"
    "P1,Housing repairs line,H1,Scope the repairs portal,Ann Bell,01/09/2005,30/09/2005,complete,28/09/2005,100,,\n"
    "P1,Housing repairs line,H2,Procure the portal,Ann Bell,01/10/2005,30/11/2005,in progress,,40,H1,\n"
    "P2,Staff matters,S1,Restructure the contact centre team,Cath Dee,01/10/2005,15/12/2005,in progress,,20,,1\n"
    "P2,Staff matters,S3,Publish the new opening hours,Dan Eve,01/11/2005,30/11/2005,not started,,0,,\n"
)
LABEL = "Scrutiny 1 December 2005"


def run(*argv: object) -> tuple[int, str, str]:
    return capture([str(a) for a in argv])


def ok(*argv: object) -> str:
    code, out, err = run(*argv)
    assert (code, err) == (0, ""), err
    return out


@contextmanager
def editing(plan: Path) -> Iterator[PlanService]:
    """The plan open as the window opens it (edits the command line has no command for)."""
    store = open_plan(plan)
    try:
        yield PlanService(store)
    finally:
        store.close()


def housing_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "housing.egov"
    ok("init", plan)
    source = tmp_path / "actions.csv"
    source.write_text(ACTIONS, encoding="utf-8")
    ok("import", plan, source)
    return plan


def test_a_label_differing_only_in_case_is_refused_as_the_same_report(tmp_path: Path) -> None:
    plan = housing_plan(tmp_path)
    ok("snapshot", plan, "--label", LABEL, "--as-of", "15/11/2005")
    code, out, err = run("snapshot", plan, "--label", " scrutiny 1 DECEMBER  2005 ", "--as-of", "15/11/2005")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert f"there is already a recorded report '{LABEL}'" in err
    assert "1 recorded report" in ok("snapshots", plan)


def test_history_lines_show_a_notes_date_and_a_status_as_an_officer_writes_them(tmp_path: Path) -> None:
    plan = housing_plan(tmp_path)
    returned = tmp_path / "moves.csv"
    returned.write_text("objective_ref,action_ref,action,due,status\nP1,H2,Procure the portal,30/11/2005,complete\n")
    ok("import", plan, returned)
    with editing(plan) as service:
        service.add_progress(service.action_by_ref("H2").id, date(2006, 1, 9), "Contract signed")
    lines = ok("history", plan, "H2").splitlines()
    assert any("in progress → complete" in line for line in lines), lines
    assert any("→ 09/01/2006: Contract signed" in line for line in lines), lines
    assert not any("2006-01-09" in line or "in_progress" in line for line in lines), lines
    # The JSON keeps the values as recorded (machine-readable).
    assert '"from": "in_progress"' in ok("history", plan, "H2", "--format", "json")


def test_history_of_a_revision_says_who_agreed_the_new_date(tmp_path: Path) -> None:
    plan = housing_plan(tmp_path)
    ok("snapshot", plan, "--label", LABEL, "--as-of", "15/11/2005")
    with editing(plan) as service:
        s3 = service.action_by_ref("S3")
        service.update_action(
            s3.id, due=date(2006, 1, 31), revision_reason="Union consultation", revision_agreed_by="SRG 12/12/2005"
        )
    line = ok("history", plan, "S3").splitlines()[-1]
    assert "30/11/2005 → 31/01/2006" in line
    assert line.endswith("Union consultation (agreed by SRG 12/12/2005)")


def test_changes_as_at_a_date_before_the_report_is_refused_in_one_line(tmp_path: Path) -> None:
    plan = housing_plan(tmp_path)
    ok("snapshot", plan, "--label", LABEL, "--as-of", "15/11/2005")
    code, out, err = run("changes", plan, "--since", LABEL, "--as-of", "01/01/2005")
    assert (code, out) == (2, "")
    assert err == (
        "egov-planner: housing.egov: the position as at 01/01/2005 is before 'Scrutiny 1 December 2005' was "
        "reported (as at 15/11/2005): compare as at 15/11/2005 or later\n"
    )
    assert '"as_of": "2005-11-15"' in ok("changes", plan, "--since", LABEL, "--as-of", "15/11/2005", "--format", "json")


def test_a_renamed_action_keeps_its_original_target_and_a_new_one_under_its_old_ref_has_none(tmp_path: Path) -> None:
    plan = housing_plan(tmp_path)
    ok("snapshot", plan, "--label", LABEL, "--as-of", "15/11/2005")
    with editing(plan) as service:
        s3 = service.action_by_ref("S3")
        service.update_action(s3.id, due=date(2006, 1, 31), revision_reason="Union consultation")
        service.update_action(s3.id, ref="S3.1")
        h2 = service.action_by_ref("H2")
        service.delete_action(h2.id)
        objective = service.action_by_ref("H1").objective_id
        again = service.add_action(objective, "H2", "Procure the portal again", date(2006, 2, 28))
        fresh = service.add_action(objective, "S3", "A new S3", date(2006, 3, 31))
        original = service.snapshot().original_due
    assert original[s3.id] == date(2005, 11, 30)  # as reported under S3: 30/01/2006 is a revision of it
    assert original[again] == date(2005, 11, 30)  # the deleted H2's ref, added again
    assert fresh not in original  # S3's ref now names another action; it was never reported


def test_returns_says_one_unowned_action_is_in_no_workbook(tmp_path: Path) -> None:
    plan = housing_plan(tmp_path)
    more = tmp_path / "more.csv"
    more.write_text("objective_ref,action_ref,action,due\nP1,H5,Publicise the online repairs line,28/02/2006\n")
    ok("import", plan, more)
    said = ok("returns", plan, tmp_path / "returns", "--as-of", "20/12/2005")
    assert said.rstrip().endswith("; 1 open action has no owner and is in none"), said
