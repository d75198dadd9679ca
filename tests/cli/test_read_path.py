"""The read-only commands load only what they need: no ORM, no edit service (issue 10, point 8)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy.orm", "egov_planner.model.service", "egov_planner.model.entities")


def loaded_after(*argv: str) -> tuple[str, list[str]]:
    """Run one command through main.py's entry in a fresh interpreter: (its output, heavy modules it loaded)."""
    probe = (
        "import io, json, sys\n"
        "from egov_planner.app import main\n"
        "out = io.StringIO()\n"
        "sys.stdout = out\n"
        f"code = main({list(argv)!r})\n"
        "sys.stdout = sys.__stdout__\n"
        "assert code == 0, code\n"
        f"print(json.dumps([out.getvalue(), sorted(m for m in {HEAVY!r} if m in sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT, encoding="utf-8"
    )
    output, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    return output, heavy


@pytest.mark.parametrize(
    ("format_", "expected"),
    [
        ("text", "position as at 30 June 2004: 17 overdue, 4 at risk, 2 due soon (of 30 actions"),
        ("json", '"status_date": "2004-06-30"'),
        ("csv", "ref,title,objective,owner,due,flag,days_overdue,forecast,reason\nA1.2,"),
    ],
)
def test_overdue_reads_without_the_orm(demo_path: Path, format_: str, expected: str) -> None:
    output, heavy = loaded_after("overdue", str(demo_path), "--as-of", "30/06/2004", "--format", format_)
    assert heavy == []
    assert expected in output


def test_bvpi_reads_without_the_orm(demo_path: Path) -> None:
    output, heavy = loaded_after("bvpi", str(demo_path), "--as-of", "31/03/2005", "--format", "json")
    assert heavy == []
    position = json.loads(output)
    assert (position["as_of"], position["enabled"], position["permissible"]) == ("2005-03-31", 215, 250)


def test_export_reads_without_the_orm(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "actions out.csv"
    output, heavy = loaded_after("export", str(demo_path), str(target))
    assert heavy == []
    assert output.startswith("Wrote ") and target.read_text(encoding="utf-8-sig").startswith("objective_ref,")


def test_an_edit_still_loads_the_orm(demo_path: Path, tmp_path: Path) -> None:
    """The probe can see the ORM: importing uses the edit service, which maps the classes."""
    source = tmp_path / "actions.csv"
    loaded_after("export", str(demo_path), str(source))
    _output, heavy = loaded_after("import", str(demo_path), str(source))
    assert "sqlalchemy.orm" in heavy and "egov_planner.model.service" in heavy
