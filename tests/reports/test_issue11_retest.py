"""The pack after a quarter on a plan of one's own: exempt actions' changes go to Part II and nowhere else."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from tests.cli.test_issue11_retest import LABEL, editing, housing_plan, ok
from tests.reports.conftest import squash


def pack_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return squash("\n".join(page.extract_text() or "" for page in pdf.pages))


def quarter_on(tmp_path: Path) -> Path:
    """Reported on 15/11/2005; then H2 completed and S1 (exempt, paragraph 1) and S3 deleted; S4 stays exempt."""
    plan = housing_plan(tmp_path)
    more = tmp_path / "more.csv"
    more.write_text("objective_ref,action_ref,action,due,exempt\nP2,S4,Agree the new rota,31/03/2006,1\n")
    ok("import", plan, more)
    ok("snapshot", plan, "--label", LABEL, "--as-of", "15/11/2005")
    with editing(plan) as service:
        service.update_action(service.action_by_ref("H2").id, status="complete")
        for ref in ("S1", "S3"):
            service.delete_action(service.action_by_ref(ref).id)
    return plan


def test_a_removed_exempt_action_is_never_named_in_the_public_pack(tmp_path: Path) -> None:
    plan = quarter_on(tmp_path)
    public = tmp_path / "public.pdf"
    ok("report", plan, "-o", public, "--as-of", "31/01/2006")
    public_text = pack_text(public)
    assert squash("Removed from the plan (1)") in public_text
    assert squash("S3 Publish the new opening hours") in public_text
    assert squash("Restructure the contact centre") not in public_text


def test_the_part_ii_pack_lists_the_exempt_actions_changes_since_the_last_report(tmp_path: Path) -> None:
    plan = quarter_on(tmp_path)
    part2 = tmp_path / "part2.pdf"
    ok("report", plan, "-o", part2, "--as-of", "31/01/2006", "--part2")
    part2_text = pack_text(part2)
    assert squash("1.3 Progress since the last report (Scrutiny 1 December 2005") in part2_text
    assert squash("Removed from the plan (1) Ref Action (as reported)") in part2_text
    assert squash("S1 Restructure the contact centre team P2 15/12/2005") in part2_text
    assert squash("S3 Publish") not in part2_text and squash("H2 Procure") not in part2_text
