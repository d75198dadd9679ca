"""The demo plan: Leicester City Council's 2004 Best Value Review of e-Government, as data files.

The data is in `resources/demo/` in the import formats — actions.csv and
services.csv (CONTRACTS.md), progress.csv, and plan.toml for the report text,
registers, people and external dependencies — and is loaded through the same
readers and PlanService calls as an officer's own files, so every demo row
passes the same checks and the demo tests the import path end to end.
Nothing in it states a percentage: the pack and `bvpi` compute 72% / 86% / 98%
from the service rows' dates.

Status date 12/01/2004: A1.2 is overdue, A2.2 is at risk through its
dependency on A2.1, A1.6 is at risk through the national project, A4.3 is due soon.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib.resources import as_file, files
from pathlib import Path

from egov_planner.interchange.actions_csv import parse_actions
from egov_planner.interchange.plan_text import apply_plan_text, read_plan_text
from egov_planner.interchange.progress_csv import apply_progress, parse_progress
from egov_planner.interchange.services_csv import parse_services
from egov_planner.model.safe_files import remove_stale_temporaries
from egov_planner.model.service import PlanService
from egov_planner.model.store import PlanFileError, create_plan, open_plan, refuse_companion_name

# When the demo's progress notes were entered: the morning of its status date.
RECORDED_AT = datetime(2004, 1, 12, 9, 0)


@contextmanager
def demo_file(name: str) -> Iterator[Path]:
    """One of the demo's data files as a path (also when installed as a zip)."""
    with as_file(files("egov_planner.resources") / "demo" / name) as path:
        yield path


def fill_demo(service: PlanService) -> None:
    """Load the demo's data files into an empty plan through the import path."""
    with demo_file("plan.toml") as path:
        apply_plan_text(service, read_plan_text(path), path.name)
    with demo_file("actions.csv") as path:
        service.import_actions(parse_actions(path), path.name)
    with demo_file("services.csv") as path:
        service.import_services(parse_services(path), path.name)
    with demo_file("progress.csv") as path:
        apply_progress(service, parse_progress(path), path.name)


def write_demo(path: Path, force: bool = False) -> None:
    """Write the demo plan to path. An existing file is replaced only with force (atomically)."""
    path = path.resolve()  # through a link: write the file it names, and leave the link a link
    if path.exists() and not force:
        raise PlanFileError(f"{path} already exists; use --force to replace it with the demo")
    if path.is_dir():
        raise PlanFileError(f"{path} is a folder")
    refuse_companion_name(path)
    # Named as our temporaries are, so what a killed demo leaves is cleaned up by a later write here.
    remove_stale_temporaries(path.parent)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    try:
        create_plan(temp)
        store = open_plan(temp)
        try:
            fill_demo(PlanService(store, clock=lambda: RECORDED_AT))
        finally:
            store.close()
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
