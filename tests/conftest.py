"""Shared fixtures: every test gets its own fresh plan file in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from egov_planner.interchange.demo import write_demo  # noqa: E402
from egov_planner.model.service import PlanService  # noqa: E402
from egov_planner.model.store import create_plan, open_plan  # noqa: E402


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    """An empty plan file."""
    path = tmp_path / "plan.egov"
    create_plan(path)
    return path


@pytest.fixture
def service(plan_path: Path) -> Iterator[PlanService]:
    """PlanService on an empty plan, open for editing."""
    store = open_plan(plan_path)
    try:
        yield PlanService(store)
    finally:
        store.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan, written once per test run (copy it before changing it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.egov"
    write_demo(path)
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    """A private copy of the demo plan."""
    path = tmp_path / "demo.egov"
    path.write_bytes(demo_template.read_bytes())
    return path


@pytest.fixture
def demo_service(demo_path: Path) -> Iterator[PlanService]:
    store = open_plan(demo_path)
    try:
        yield PlanService(store)
    finally:
        store.close()
