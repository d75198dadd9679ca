"""Files with many dependencies: held compactly, written in batches, and still all or nothing."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from egov_planner.interchange import import_file
from egov_planner.interchange.actions_csv import parse_actions
from egov_planner.model.errors import RowError
from egov_planner.model.import_rows import LinkSpec
from egov_planner.model.service import PlanService

HEADER = "objective_ref,objective,action_ref,action,due,depends_on\n"
KINDS = ["", " SS", " FF+2d", " SF-1d"]


def chain_csv(path: Path, actions: int, per_action: int, last_depends: str | None = None) -> Path:
    """actions rows, each waiting on up to per_action earlier ones; the last row's depends_on may be replaced."""
    lines = [HEADER]
    for i in range(actions):
        depends = "; ".join(f"W{j}{KINDS[j % 4]}" for j in range(max(0, i - per_action), i))
        if i == actions - 1 and last_depends is not None:
            depends = last_depends
        lines.append(f"R7,{'Regeneration' if i == 0 else ''},W{i},Work package {i},30/09/2005,{depends}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def nothing_saved(service: PlanService) -> bool:
    snapshot = service.snapshot()
    return not snapshot.actions and not snapshot.links and not snapshot.objectives


def test_a_file_of_thousands_of_dependencies_imports_every_one(service: PlanService, tmp_path: Path) -> None:
    path = chain_csv(tmp_path / "chain.csv", 1200, 12)
    result = import_file(service, path)
    expected = sum(min(i, 12) for i in range(1200))
    assert result.summary.dependencies == expected > 12_000  # more than two batches
    last = next(a for a in service.snapshot().actions if a.ref == "W1199")
    assert [link.as_text for link in last.predecessors][:2] == ["W1187 SF-1d", "W1188"]


def test_a_missing_predecessor_after_thousands_of_links_saves_nothing(service: PlanService, tmp_path: Path) -> None:
    path = chain_csv(tmp_path / "late.csv", 1200, 12, last_depends="W1198; W77b")
    with pytest.raises(RowError) as refused:
        import_file(service, path)
    assert str(refused.value) == "late.csv row 1201, column depends_on: W77b is not an action in the plan or the file"
    assert nothing_saved(service)


def test_a_cycle_through_thousands_of_links_is_refused_and_saves_nothing(service: PlanService, tmp_path: Path) -> None:
    path = chain_csv(tmp_path / "loop.csv", 1200, 12)
    first = ",W0,Work package 0,30/09/2005,"
    path.write_text(path.read_text(encoding="utf-8").replace(first, first + "W1199"), encoding="utf-8")
    with pytest.raises(RowError) as refused:
        import_file(service, path)
    message = str(refused.value)
    assert message.startswith("loop.csv row 2, column depends_on: dependency cycle W0 → ")
    assert message.endswith("→ W0")
    assert nothing_saved(service)


def test_parsed_dependencies_are_held_in_a_few_bytes_each(tmp_path: Path) -> None:
    path = chain_csv(tmp_path / "dense.csv", 1000, 40)
    text = path.read_text(encoding="utf-8")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        rows = parse_actions(path, text)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    links = sum(len(row.depends_on) for row in rows)
    assert links == sum(min(i, 40) for i in range(1000))
    # As LinkSpec objects with their own strings, a link took about 200 bytes (4M links: 2.8 GB).
    assert held / links < 60, f"{held / links:.0f} bytes a link"
    assert rows[-1].depends_on[0] == LinkSpec("W959", "SF", -1)
    assert list(rows[-1].depends_on)[-1] == LinkSpec("W998", "FF", 2)
