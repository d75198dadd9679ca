"""The committee cycle on the command line: snapshot, snapshots, changes, report --record, revisions by import."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from egov_planner.cli import capture
from egov_planner.model.errors import PlanError
from egov_planner.model.service import PlanService
from egov_planner.model.service.reports import Reports
from egov_planner.reports import ReportError
from tests.conftest import name_of, open_location

# The tests that take demo_location run on a plan file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores

JANUARY = "Cabinet 2 February 2004"
HEADER = "objective_ref,objective,action_ref,action,due,status,completed_on,revision_reason\n"


def run(*argv: object) -> tuple[int, str, str]:
    return capture([str(a) for a in argv])


def ok(*argv: object) -> str:
    code, out, err = run(*argv)
    assert (code, err) == (0, ""), err
    return out


def exported(plan: object, tmp_path: Path) -> dict[str, dict[str, str]]:
    out = tmp_path / "export.csv"
    ok("export", plan, out)
    return {row["action_ref"]: row for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}


def flagged(plan: object, as_of: str) -> dict[str, str]:
    """ref -> flag, as `overdue --format json` states it at as_of."""
    return {
        item["ref"]: item["flag"]
        for item in json.loads(ok("overdue", plan, "--as-of", as_of, "--format", "json"))["items"]
    }


def rag(status: str, flag: str | None) -> str:
    """DOMAIN.md's RAG, worked out here from the export's status and `overdue`'s flag (not from the program's RAG)."""
    if flag == "overdue":
        return "R"
    if flag == "at_risk":
        return "A"
    if status == "complete":
        return "B"
    if status in ("cancelled", "deferred"):
        return "N"
    return "G"


def reported_count(plan: Path) -> int:
    with sqlite3.connect(plan) as connection:
        return int(connection.execute("SELECT count(*) FROM recorded_report").fetchone()[0])


def test_a_quarter_after_the_january_report_is_listed_exactly(demo_location: str, tmp_path: Path) -> None:
    before = exported(demo_location, tmp_path)
    flags_then = flagged(demo_location, "12/01/2004")
    assert "Recorded 'Cabinet 2 February 2004'" in ok("snapshot", demo_location, "--label", JANUARY)

    # A quarter: two completed, two slipped with reasons, one added; then one deleted and one slipped in the window.
    moves = tmp_path / "quarter.csv"
    moves.write_text(
        HEADER + "O1,,A1.2,Report the quarter 3 BVPI 157 position and issues of concern to SRG,31/12/2003,complete,"
        "24/02/2004,\n"
        + "O4,,A4.3,Publish the quarterly e-Modernising Leicester feature in the staff magazine,23/01/2004,"
        "complete,23/01/2004,\n"
        + "O3,,A3.1,Draft the joint ICT and e-Modernising Leicester strategy,30/09/2004,in progress,,"
        "Partners asked for a second consultation round\n"
        + "O5,,A5.4,Renegotiate the web hosting and managed service contract,31/08/2004,in progress,,"
        "Supplier's notice period\n"
        + "O1,,A1.7,Report the 2004/05 quarter 1 BVPI 157 position to SRG,31/07/2004,not started,,\n",
        encoding="utf-8",
    )
    ok("import", demo_location, moves)
    with open_location(demo_location) as store:
        service = PlanService(store)
        service.delete_action(service.action_by_ref("A7.3").id)
        a22 = service.action_by_ref("A2.2")
        service.update_action(
            a22.id, due=date(2004, 12, 31), revision_reason="Waits on A2.1", revision_agreed_by="SRG 12/05/2004"
        )
    after = exported(demo_location, tmp_path)
    flags_now = flagged(demo_location, "30/06/2004")

    found = json.loads(ok("changes", demo_location, "--since", JANUARY, "--as-of", "30/06/2004", "--format", "json"))
    assert found["since"] == {"label": JANUARY, "as_of": "2004-01-12"} and found["as_of"] == "2004-06-30"

    both = before.keys() & after.keys()
    expected = {
        "completed": {
            r for r in after if after[r]["status"] == "complete" and before.get(r, {}).get("status") != "complete"
        },
        "newly_overdue": {r for r, f in flags_now.items() if f == "overdue" and flags_then.get(r) != "overdue"},
        "newly_at_risk": {r for r, f in flags_now.items() if f == "at_risk" and flags_then.get(r) != "at_risk"},
        "added": set(after) - set(before),
        "removed": set(before) - set(after),
    }
    for name, refs in expected.items():
        assert sorted(found[name]) == sorted(refs), name
        assert len(found[name]) == len(set(found[name])), name
    assert sorted(found["completed"]) == ["A1.2", "A4.3"]
    assert (found["added"], found["removed"]) == (["A1.7"], ["A7.3"])
    revised = {r: (before[r]["due"], after[r]["due"]) for r in both if before[r]["due"] != after[r]["due"]}
    assert {r["ref"]: (r["from"], r["to"]) for r in found["revised"]} == {
        ref: (date_iso(then), date_iso(now)) for ref, (then, now) in revised.items()
    }
    assert {r["ref"]: r["reason"] for r in found["revised"]} == {
        "A3.1": "Partners asked for a second consultation round",
        "A5.4": "Supplier's notice period",
        "A2.2": "Waits on A2.1",
    }
    rags = {r: (rag(before[r]["status"], flags_then.get(r)), rag(after[r]["status"], flags_now.get(r))) for r in both}
    assert {c["ref"]: (c["from"], c["to"]) for c in found["rag_changes"]} == {
        r: pair for r, pair in rags.items() if pair[0] != pair[1]
    }

    text = ok("changes", demo_location, "--since", JANUARY.lower(), "--as-of", "30 June 2004")
    counts = ", ".join(
        f"{len(found[key])} {word}"
        for key, word in [
            ("completed", "completed"),
            ("newly_overdue", "newly overdue"),
            ("newly_at_risk", "newly at risk"),
            ("revised", "revised"),
            ("added", "added"),
            ("removed", "removed"),
            ("rag_changes", "RAG changed"),
        ]
    )
    assert counts in text
    assert f"since '{JANUARY}' (position as at 12/01/2004) to the position as at 30/06/2004" in text
    assert "A3.1     31/03/2004 → 30/09/2004 (slipped 183 days): Partners asked for a second consultation round" in text
    assert "A2.2     30/09/2004 → 31/12/2004 (slipped 92 days): Waits on A2.1; agreed by SRG 12/05/2004" in text
    assert "A7.3     Apply the equality checklist to every new e-Modernising project" in text
    # Export writes each action's latest revision reason; importing it back unchanged is no revision.
    assert after["A3.1"]["revision_reason"] == "Partners asked for a second consultation round"
    assert after["A1.1"]["revision_reason"] == ""
    ok("import", demo_location, tmp_path / "export.csv")
    again = ok("changes", demo_location, "--since", JANUARY, "--as-of", "30/06/2004", "--format", "json")
    assert json.loads(again) == found


def date_iso(british: str) -> str:
    day, month, year = british.split("/")
    return f"{year}-{month}-{day}"


def test_an_import_slipping_a_reported_date_without_a_reason_names_file_row_and_column(
    demo_path: Path, tmp_path: Path
) -> None:
    ok("snapshot", demo_path, "--label", JANUARY)
    before = demo_path.read_bytes()
    slips = tmp_path / "slips.csv"
    slips.write_text(
        HEADER
        + "O3,,A3.1,Draft the joint ICT and e-Modernising Leicester strategy,30/09/2004,,,Partners\n"
        + "O5,,A5.4,Renegotiate the web hosting and managed service contract,31/08/2004,,,\n",
        encoding="utf-8",
    )
    code, out, err = run("import", demo_path, slips)
    assert (code, out) == (2, "")
    assert err.startswith("egov-planner: slips.csv row 3, column revision_reason: ")
    assert "A5.4" in err and "31/05/2004" in err and "31/08/2004" in err and err.count("\n") == 1
    assert demo_path.read_bytes() == before


def test_snapshot_refuses_a_label_already_recorded(demo_location: str) -> None:
    ok("snapshot", demo_location, "--label", JANUARY, "--as-of", "12/01/2004")
    code, out, err = run("snapshot", demo_location, "--label", JANUARY, "--as-of", "30/06/2004")
    assert (code, out) == (2, "")
    clash = f"there is already a recorded report '{JANUARY}'; recorded reports are never replaced, choose another label"
    assert err == f"egov-planner: {name_of(demo_location)}: {clash}\n"
    listed = json.loads(ok("snapshots", demo_location, "--format", "json"))
    assert [(r["label"], r["as_of"], r["actions"]) for r in listed] == [(JANUARY, "2004-01-12", 30)]
    assert set(listed[0]) == {"label", "as_of", "taken_at", "actions"}


def test_snapshots_text_and_an_unknown_label_for_changes(demo_location: str) -> None:
    assert "no reports recorded yet" in ok("snapshots", demo_location)
    code, _, err = run("changes", demo_location, "--since", JANUARY)
    unknown = f"there is no recorded report '{JANUARY}' in this plan (none has been recorded yet)"
    assert (code, err) == (2, f"egov-planner: {name_of(demo_location)}: {unknown}\n")
    ok("snapshot", demo_location, "--label", "Scrutiny 22 January 2004")
    text = ok("snapshots", demo_location)
    assert f"{name_of(demo_location)}: 1 recorded report" in text
    assert "12/01/2004" in text and "Scrutiny 22 January 2004" in text
    code, _, err = run("changes", demo_location, "--since", "Cabinet")
    assert code == 2 and "(recorded: 'Scrutiny 22 January 2004')" in err


# --- report --record: the pack and the record together or not at all ----------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf" or p.name.startswith("."))


def test_report_record_writes_the_pack_and_records_it(demo_location: str, tmp_path: Path) -> None:
    out = ok("report", demo_location, "-o", tmp_path / "jan.pdf", "--record", JANUARY)
    assert f"recorded it as reported: '{JANUARY}', position as at 12/01/2004, 30 actions" in out
    assert (tmp_path / "jan.pdf").read_bytes().startswith(b"%PDF")
    (listed,) = json.loads(ok("snapshots", demo_location, "--format", "json"))
    assert listed["label"] == JANUARY and listed["actions"] == 30
    assert leftovers(tmp_path) == ["jan.pdf"]


def test_report_record_with_a_used_label_builds_nothing(demo_path: Path, tmp_path: Path) -> None:
    ok("snapshot", demo_path, "--label", JANUARY)
    code, _, err = run("report", demo_path, "-o", tmp_path / "jan.pdf", "--record", JANUARY)
    assert code == 2 and f"already a recorded report '{JANUARY}'" in err
    assert leftovers(tmp_path) == [] and reported_count(demo_path) == 1


def test_a_pack_that_fails_records_nothing(demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise ReportError("the pack could not be laid out")

    monkeypatch.setattr("egov_planner.reports.build_report", broken)
    code, _, err = run("report", demo_path, "-o", tmp_path / "jan.pdf", "--record", JANUARY)
    assert (code, err) == (2, "egov-planner: the pack could not be laid out\n")
    assert leftovers(tmp_path) == [] and reported_count(demo_path) == 0


def test_a_record_that_fails_leaves_no_pack(demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Reports.record_report
    (tmp_path / "jan.pdf").write_bytes(b"%PDF an older pack")

    def fails_after_placing(self: Reports, *args: Any, before_commit: Any = None, **kwargs: Any) -> Any:
        def place_then_fail() -> None:
            before_commit()
            raise PlanError("the plan refused that change (disk I/O error); nothing was saved")

        return original(self, *args, before_commit=place_then_fail, **kwargs)

    monkeypatch.setattr(Reports, "record_report", fails_after_placing)
    code, _, err = run("report", demo_path, "-o", tmp_path / "jan.pdf", "--record", JANUARY)
    assert code == 2 and "disk I/O error" in err
    assert leftovers(tmp_path) == [] and reported_count(demo_path) == 0
