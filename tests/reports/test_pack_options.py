"""The Part II pack, the exceptions pack, the status date, and what build_report refuses."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from egov_planner.cli import capture
from egov_planner.model.service import PlanService
from egov_planner.reports import ReportError, build_report
from egov_planner.reports import document as document_module
from tests.reports.conftest import PAGE_NUMBER, Pdf, build, squash

# --- Part II ---------------------------------------------------------------------------------


def test_part2_pack_carries_the_exempt_items_alone(demo_packs: dict[str, Pdf]) -> None:
    part2 = demo_packs["part2"]
    assert squash("A5.4 Sch. 12A para 3 Renegotiate the web hosting and managed service contract") in part2.flat
    assert squash("paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972") in part2.flat
    assert squash("Information relating to the financial or business affairs of any particular person") in part2.flat
    assert squash("Best Value Review of e-Government Final Report and Improvement Plan: Part II") in part2.flat
    # Nothing public is repeated in it.
    for public in ("A1.2", "Report the quarter 3 BVPI 157 position", "3. SUMMARY", "APPENDIX D"):
        assert squash(public) not in part2.flat, public
    for index, text in enumerate(part2.page_texts):
        assert text.count("NOT FOR PUBLICATION") >= 2, index  # header and footer of every page
        assert PAGE_NUMBER.findall(text) == [(str(index + 1), str(len(part2.page_texts)))]
    assert part2.reader.metadata.title.endswith("Part II (not for publication)")


def test_part2_of_a_plan_with_nothing_exempt_is_refused(new_plan: PlanService, tmp_path: Path) -> None:
    objective = new_plan.add_objective("O1", "Public objective")
    new_plan.add_action(objective, "A1.1", "Public action", date(2004, 3, 31))
    output = tmp_path / "part2.pdf"
    with pytest.raises(ReportError, match="nothing in this plan is exempt"):
        build_report(new_plan.snapshot(), output, protect=new_plan.store.path, part2=True)
    assert not output.exists()


def test_an_exempt_objective_takes_its_actions_out_of_the_public_pack(new_plan: PlanService, tmp_path: Path) -> None:
    public = new_plan.add_objective("O1", "Improve the web site")
    secret = new_plan.add_objective("O2", "Restructure the ICT staffing", exempt_paragraph=4)
    new_plan.add_action(public, "A1.1", "Publish forms on-line", date(2003, 12, 1))
    new_plan.add_action(secret, "A2.1", "Consult the unions on the new structure", date(2003, 12, 1))
    new_plan.add_action(secret, "A2.2", "Appoint to the new posts", date(2004, 6, 1))
    public_pack = build(new_plan, tmp_path / "public.pdf")
    for hidden in ("O2", "Restructure the ICT staffing", "A2.1", "Consult the unions", "A2.2"):
        assert squash(hidden) not in public_pack.flat, hidden
    assert squash("1 improvement objective and 2 actions are exempt information under paragraph 4") in public_pack.flat
    assert squash("has 1 action under 1 improvement objective") in public_pack.flat
    # The overdue exempt action is not counted among the public exceptions.
    assert squash("1 action is overdue and 0 are at risk") in public_pack.flat
    part2 = build(new_plan, tmp_path / "part2.pdf", part2=True)
    for shown in (
        "O2",
        "Restructure the ICT staffing",
        "Consult the unions on the new structure",
        "Appoint to the new posts",
        "Exempt: Schedule 12A paragraph 4",
    ):
        assert squash(shown) in part2.flat, shown
    assert "A1.1" not in part2.flat
    exceptions = part2.section_text("APPENDIX B", "APPENDIX C")
    assert "A2.1" in exceptions and "A2.2" not in exceptions


def test_a_public_action_waiting_on_an_exempt_one_does_not_name_it(new_plan: PlanService, tmp_path: Path) -> None:
    objective = new_plan.add_objective("O1", "Procurement")
    secret = new_plan.add_action(objective, "A1.1", "Negotiate with SupplierCo", date(2004, 5, 31), exempt_paragraph=3)
    public = new_plan.add_action(objective, "A1.2", "Sign the new contract", date(2004, 5, 31))
    new_plan.add_dependency(secret, public, "FS", 10)
    pack = build(new_plan, tmp_path / "public.pdf")
    assert "A1.1" not in pack.flat and "SupplierCo" not in pack.flat
    assert squash("Waits on an exempt item (reported in Part II)") in pack.flat
    assert squash("an exempt item (Part II)") in pack.flat


# --- the exceptions pack ----------------------------------------------------------------------


def test_exceptions_pack_is_appendix_b_with_a_short_cover(demo_packs: dict[str, Pdf]) -> None:
    exceptions = demo_packs["exceptions"]
    cover = squash(exceptions.page_texts[0])
    for words in (
        "Leicester City Council",
        "Best Value Review of e-Government Final Report and Improvement Plan",
        "position as at 12 January 2004",
        "Overdue 1",
        "At risk 2",
        "Due soon 1",
        "Actions in this report 29",
    ):
        assert squash(words) in cover, words
    # Every action the cover counts is listed: the due-soon one too, in a table of its own.
    for ref in ("A1.2", "A2.2", "A1.6", "A4.3"):
        assert ref in exceptions.flat
    assert squash("Actions due soon (within 14 days of the status date)") in exceptions.flat
    for absent in ("A1.1", "APPENDIX A", "3. SUMMARY", "A5.4"):
        assert squash(absent) not in exceptions.flat, absent
    assert all(exceptions.landscape(i) for i in range(len(exceptions.page_texts)))
    assert [title for title, _, _ in exceptions.outline()] == ["Exceptions: actions overdue or at risk"]


# --- the status date ---------------------------------------------------------------------------


def test_as_of_overrides_the_plans_status_date(demo_service: PlanService, tmp_path: Path) -> None:
    pack = build(demo_service, tmp_path / "june.pdf", kind="exceptions", as_of=date(2004, 6, 1))
    assert all(squash("Position as at 1 June 2004") in squash(t) for t in pack.page_texts)
    assert squash("A1.2") in pack.flat and squash("A2.1") in pack.flat  # A2.1 is overdue by June


def test_with_no_status_date_the_pack_is_as_at_today(new_plan: PlanService, tmp_path: Path) -> None:
    new_plan.update_plan(status_date=None)
    pack = build(new_plan, tmp_path / "today.pdf", today=date(2005, 3, 7))
    assert squash("Position as at 7 March 2005") in squash(pack.page_texts[0])


# --- small and empty plans ------------------------------------------------------------------------


def test_an_empty_plan_still_makes_a_pack(new_plan: PlanService, tmp_path: Path) -> None:
    pack = build(new_plan, tmp_path / "empty.pdf")
    assert squash("the improvement plan has no actions") in pack.flat
    assert squash("The plan has no improvement objectives yet.") in pack.flat
    assert squash("No action is overdue or at risk.") in pack.flat
    assert squash("No text has been entered for this part of the report.") in pack.flat


def test_a_plan_without_services_has_no_bvpi_appendix_or_paragraph(new_plan: PlanService, tmp_path: Path) -> None:
    objective = new_plan.add_objective("O1", "Objective")
    new_plan.add_action(objective, "A1.1", "Action", date(2004, 3, 31))
    pack = build(new_plan, tmp_path / "nobvpi.pdf")
    assert "BVPI 157" not in pack.text
    # The timeline takes the next letter: D, as no BVPI appendix is there.
    assert [t for t, _, _ in pack.outline() if t.startswith("Appendix")][-1] == "Appendix D: Timeline"
    assert "Appendix D" not in [t for t, _, _ in pack.outline()]


# --- what build_report refuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report.txt", "must be saved as a .pdf"),
        ("missing/report.pdf", "does not exist"),
        ("folder.pdf", "is a folder"),
        ("file.pdf/report.pdf", "is not a folder"),
    ],
)
def test_unusable_output_paths_are_refused_with_one_line(
    new_plan: PlanService, tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "file.pdf").write_bytes(b"not a folder")
    with pytest.raises(ReportError, match=message) as refused:
        build_report(new_plan.snapshot(), tmp_path / name, protect=new_plan.store.path)
    assert "\n" not in str(refused.value)


def test_the_plan_file_itself_is_never_overwritten(new_plan: PlanService, tmp_path: Path) -> None:
    plan = new_plan.store.path
    assert plan is not None
    linked = tmp_path / "plan-link.pdf"
    linked.symlink_to(plan)
    before = plan.read_bytes()
    with pytest.raises(ReportError, match="is the plan itself"):
        build_report(new_plan.snapshot(), linked, protect=plan)
    assert plan.read_bytes() == before


def test_a_pack_is_drawn_from_its_snapshot_alone(new_plan: PlanService, tmp_path: Path) -> None:
    objective = new_plan.add_objective("O1", "Improve the web site")
    new_plan.add_action(objective, "A1.1", "Publish the planning register on-line", date(2003, 11, 28))
    snapshot = new_plan.snapshot()
    # Changed and closed after the snapshot was taken: the pack shows the plan as it was then.
    new_plan.update_plan(authority="Renamed Borough Council")
    new_plan.store.close()
    pack = Pdf(tmp_path / "then.pdf", build_report(snapshot, tmp_path / "then.pdf", protect=None).pages)
    assert "Test Borough Council" in pack.text and "Renamed" not in pack.text
    assert squash("Publish the planning register on-line") in pack.flat


def test_an_unknown_kind_is_refused(new_plan: PlanService, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="not a kind of report"):
        build_report(new_plan.snapshot(), tmp_path / "x.pdf", protect=None, kind="minutes")


def test_a_failed_build_leaves_the_old_pack_and_no_part_file(
    new_plan: PlanService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "pack.pdf"
    output.write_bytes(b"%PDF- last month's pack")

    def crash(self: object, story: object) -> int:
        raise RuntimeError("the disk went away half way")

    monkeypatch.setattr(document_module.PackDocument, "build_pack", crash)
    with pytest.raises(RuntimeError):
        build_report(new_plan.snapshot(), output, protect=new_plan.store.path)
    assert output.read_bytes() == b"%PDF- last month's pack"
    assert sorted(p.name for p in tmp_path.iterdir() if "pack" in p.name) == ["pack.pdf"]


def test_cli_report_commands(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cabinet.pdf"
    code, stdout, stderr = capture(["report", str(demo_path), "-o", str(out)])
    assert code == 0, stderr
    pages = len(Pdf(out, 0).page_texts)
    assert stdout.strip() == f"Wrote {pages} pages to {out}"
    exceptions = tmp_path / "ex.pdf"
    code, stdout, _ = capture(
        ["report", str(demo_path), "-o", str(exceptions), "--kind", "exceptions", "--as-of", "31/03/2004"]
    )
    assert code == 0
    assert stdout.strip() == f"Wrote {len(Pdf(exceptions, 0).page_texts)} pages to {exceptions}"
    assert squash("Position as at 31 March 2004") in Pdf(exceptions, 0).flat
    code, _, stderr = capture(["report", str(demo_path), "-o", str(tmp_path / "nowhere" / "x.pdf")])
    assert code == 2
    assert stderr.count("\n") == 1 and "does not exist" in stderr and "Traceback" not in stderr


def test_cli_part2_of_a_plan_with_nothing_exempt_exits_2(tmp_path: Path) -> None:
    plan = tmp_path / "plain.egov"
    assert capture(["init", str(plan)])[0] == 0
    code, _, stderr = capture(["report", str(plan), "-o", str(tmp_path / "p2.pdf"), "--part2"])
    assert code == 2
    assert "nothing in this plan is exempt" in stderr


# --- progress and layering -------------------------------------------------------------------------


def test_progress_is_reported_in_order_to_the_end(demo_service: PlanService, tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    result = build_report(
        demo_service.snapshot(), tmp_path / "p.pdf", protect=None, progress=lambda d, t, m: calls.append((d, t, m))
    )
    assert len(calls) > 10
    done = [d for d, _, _ in calls]
    assert done == sorted(done)
    assert all(0 < d <= t for d, t, _ in calls)
    assert calls[-1][0] == calls[-1][1]
    assert calls[-1][2] == f"saved {result.pages} pages"
    assert any(m.startswith("Appendix A: O") for _, _, m in calls)


def test_reports_never_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, egov_planner.reports as r\n"
        "for m in pkgutil.iter_modules(r.__path__): importlib.import_module('egov_planner.reports.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_the_bvpi_figures_follow_the_service_rows(new_plan: PlanService, tmp_path: Path) -> None:
    """Four interactions: one e-enabled, one due by March 2004, one by December 2005, one waiting on others."""
    new_plan.add_external("National Widget Gateway", expected_on=date(2006, 9, 30))
    service = new_plan.add_service("Widget licensing", department="Regulation")
    new_plan.add_service_row(service, 0, enabled_on=date(2003, 6, 1))
    new_plan.add_service_row(service, 8, forecast_on=date(2004, 2, 29))
    new_plan.add_service_row(service, 4, forecast_on=date(2005, 11, 30))
    new_plan.add_service_row(service, 9, forecast_on=date(2005, 6, 30), external="National Widget Gateway")
    new_plan.add_service_row(service, 3, permissible=False, reason="Statute requires a hearing")
    pack = build(new_plan, tmp_path / "bvpi.pdf")
    paragraph = pack.section_text("3.2.1", "3.2.2")
    for words in (
        "1 of the 4 interactions",
        "(BVPI 157: 25%)",
        "forecasts of 50% by March 2004 and 50% by March 2005",
        "by December 2005 75% of our services will be e-enabled",
        "Widget licensing is dependent on the National Widget Gateway, which is not expected to come on line "
        "until September 2006 (1 interaction)",
    ):
        assert squash(words) in paragraph, words
    appendix = pack.section_text("APPENDIX D", None)
    assert squash("Statute requires a hearing") in appendix
    assert squash("Regulation 4 1 25% 75%") in appendix
