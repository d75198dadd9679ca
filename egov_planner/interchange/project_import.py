"""Import of a project planner's file (MS Project XML, GanttProject) through the plan's one import of actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from egov_planner.model.errors import RowError

if TYPE_CHECKING:
    from egov_planner.model.service import ImportSummary, PlanService


def import_project(service: PlanService, path: Path) -> tuple[ImportSummary, tuple[str, ...]]:
    """Import path (.xml or .gan) all or nothing; returns the summary and what the summary line should add."""
    from egov_planner.interchange import gan, mspdi
    from egov_planner.model.service import ImportSummary

    module = gan if path.suffix.lower() == ".gan" else mspdi
    snapshot = service.snapshot()
    objective_refs = frozenset(o.ref for o in snapshot.objectives)
    action_refs = frozenset(a.ref for a in snapshot.actions)
    externals = frozenset(e.name for e in snapshot.externals)
    if module is gan:
        found = gan.read_gan(path, objective_refs, action_refs, externals)
    else:
        people = frozenset(p.name for p in snapshot.people)
        found = mspdi.read_mspdi(path, objective_refs, action_refs, externals, people)
    if not found.rows:
        return ImportSummary(added=0, updated=0, dependencies=0), tuple(found.notes)
    try:
        summary = service.import_actions(found.rows, path.name)
    except RowError as error:  # the model names its field; the officer wants the planner's column
        column = module.COLUMNS.get(error.column or "", error.column)
        raise RowError(error.source, error.row, column, error.message) from None
    return summary, tuple(found.notes)
