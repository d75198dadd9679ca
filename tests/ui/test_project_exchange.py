"""File → Import… reads MS Project and GanttProject files; File → Export… writes MS Project XML and a calendar."""

from __future__ import annotations

from pathlib import Path

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from tests.interchange.test_project_files import SAMPLES


def test_the_file_menu_offers_every_project_format(window, qtbot, prompts, tmp_path: Path) -> None:
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Import…" in texts
    assert "Export to MS &Project (XML)…" in texts and "Export dead&lines calendar (.ics)…" in texts

    gantt = SAMPLES / "gan" / "tsgp_task-with-dependencies.gan"
    prompts.files = [gantt]
    window.import_csv()
    qtbot.waitUntil(window.idle, timeout=10000)
    assert any("Imported actions from tsgp_task-with-dependencies.gan: 5 added" in m for m in prompts.told)
    assert any("1 working-time lag converted to calendar days" in m for m in prompts.told)

    for suffix, start in ((".xml", b"<?xml"), (".ics", b"BEGIN:VCALENDAR")):
        target = tmp_path / f"out{suffix}"
        prompts.files = [tmp_path / "out"]  # the ending is added when left off
        window.export_as(suffix)
        qtbot.waitUntil(window.idle, timeout=10000)
        assert target.read_bytes().startswith(start)
    with open_plan(window.document.path, read_only=True) as store:
        titles = {a.title for a in PlanService(store).snapshot().actions}
    assert {"task A", "task E"} <= titles
    assert b"task A" in (tmp_path / "out.xml").read_bytes()
