"""Opening plans: read-only when in use, a stale lock, a damaged file, restore, copies, CSV, settings."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from egov_planner.model.store import open_plan
from egov_planner.model.store.backups import backup_plan, list_backups
from egov_planner.model.store.lock import LockInfo, lock_path_for
from egov_planner.ui.application import choose_plan, make_application
from egov_planner.ui.commands import EditActionCommand
from egov_planner.ui.document import EditRefused
from tests.ui.conftest import open_window, stored_action


def test_a_plan_in_use_elsewhere_opens_read_only_and_refuses_edits(qtbot, plan_file, settings, prompts):
    make_application()
    holder = open_plan(plan_file)  # someone else is editing it
    try:
        window = open_window(qtbot, plan_file, settings, prompts)
        document = window.document
        assert document.read_only
        assert "read-only — in use by" in window.windowTitle()
        assert window.read_only_label.isVisible() or not window.isVisible()
        assert window.read_only_label.text().startswith("Read-only — in use by")
        detail = window.plan_view.detail
        window.go_to_action(document.action_by_ref("A1.2").id)
        assert detail.due_edit.line.isReadOnly()
        assert detail.title_edit.isReadOnly()
        assert not detail.add_predecessor_button.isEnabled()
        assert not window.add_action_action.isEnabled()
        assert not window.document.viewing_date  # the status date may be changed to look, never saved
        error = document.execute(EditActionCommand(document, document.action_by_ref("A1.2"), {"due": date(2004, 2, 1)}))
        assert isinstance(error, EditRefused)
        assert "read-only — in use by" in str(error)
        qtbot.keyClicks(detail.due_edit.line, "01/02/2004")
        assert stored_action(plan_file, "A1.2").due == date(2003, 12, 31)
        window.close()
    finally:
        holder.close()


def _stale_lock(plan_file: Path) -> None:
    """What a crashed program leaves: a lock naming a process that is gone."""
    info = LockInfo.mine()
    dead = LockInfo(info.user, info.host, 2**22 + 12345, info.since - 3600, info.heartbeat - 3600, "deadbeef")
    lock_path_for(plan_file).write_text(json.dumps(dead.__dict__), encoding="utf-8")


def test_a_stale_lock_is_taken_over_when_the_officer_agrees(qtbot, plan_file, settings, prompts):
    make_application()
    _stale_lock(plan_file)
    prompts.answers = [True]
    window = open_window(qtbot, plan_file, settings, prompts)
    assert prompts.asked and "seems to have stopped" in prompts.asked[0]
    assert not window.document.read_only
    window.close()


def test_declining_to_take_over_a_stale_lock_opens_read_only(qtbot, plan_file, settings, prompts):
    make_application()
    _stale_lock(plan_file)
    prompts.answers = [False]
    window = open_window(qtbot, plan_file, settings, prompts)
    assert window.document.read_only
    window.close()


def test_a_damaged_plan_offers_the_newest_good_backup(qtbot, plan_file, settings, prompts):
    make_application()
    taken = backup_plan(plan_file, reason="test")
    with open(plan_file, "r+b") as handle:  # scribble over the file's pages
        handle.seek(4096)
        handle.write(os.urandom(8192))
        handle.truncate(6000)
    prompts.answers = [True]
    window = open_window(qtbot, plan_file, settings, prompts)
    assert any("damaged" in question for question in prompts.asked)
    assert any(f"The newest good backup is {taken} (taken " in question for question in prompts.asked)
    assert window.document is not None and len(window.document.snapshot.actions) == 30
    assert plan_file.with_name(plan_file.name + ".damaged").exists()
    window.close()


def test_restore_from_backup_closes_the_plan_then_reopens_the_copy(window, qtbot, plan_file):
    path = plan_file
    taken = list_backups(path)
    assert taken, "a backup is taken when the plan is opened for editing"
    record = window.document.action_by_ref("A1.2")
    window.document.execute(EditActionCommand(window.document, record, {"title": "Changed after the backup"}))
    window.exec_restore_dialog = lambda dialog: dialog.backups[-1].path  # the oldest: taken on opening
    window.restore_from_backup()
    qtbot.waitUntil(window.idle, timeout=10000)
    assert window.document is not None and not window.document.read_only
    assert window.document.action_by_ref("A1.2").title != "Changed after the backup"
    assert not window.document.undo_stack.canUndo()  # opening is never undoable


def test_save_a_copy_writes_a_plan_file(window, qtbot, prompts, tmp_path):
    target = tmp_path / "copy.egov"
    prompts.files = [target]
    window.save_copy_as()
    qtbot.waitUntil(window.idle, timeout=10000)
    copy = open_plan(target, read_only=True)
    copy.close()
    assert target.exists()


def test_export_then_import_actions_csv(window, qtbot, prompts, tmp_path, plan_file):
    exported = tmp_path / "actions.csv"
    prompts.files = [exported]
    window.export_csv("actions")
    qtbot.waitUntil(window.idle, timeout=10000)
    text = exported.read_text(encoding="utf-8-sig")
    assert "A1.2" in text
    changed = text.replace("Report the quarter 3 BVPI 157 position", "Report the Q3 BVPI 157 position")
    edited = tmp_path / "edited.csv"
    edited.write_text(changed, encoding="utf-8")
    window.import_file(edited)
    qtbot.waitUntil(window.idle, timeout=10000)
    qtbot.waitUntil(lambda: window.document.action_by_ref("A1.2").title.startswith("Report the Q3"), timeout=5000)
    assert stored_action(plan_file, "A1.2").title.startswith("Report the Q3")
    assert any("Imported" in message for message in prompts.told)
    assert not window.document.undo_stack.canUndo()  # an import is not undoable, nor what came before it


def test_a_refused_import_changes_nothing_and_says_why(window, qtbot, prompts, tmp_path, plan_file):
    bad = tmp_path / "bad.csv"
    bad.write_text("objective_ref,action_ref,action,due\nO1,A1.2,Changed,31/02/2004\n", encoding="utf-8")
    window.import_file(bad)
    qtbot.waitUntil(window.idle, timeout=10000)
    assert "row 2" in window.last_error and "Nothing was imported" in window.last_error
    # The file is named as it is spelt on disk, not "Bad.csv" (a sentence's capital would rename it).
    assert window.last_error.startswith("bad.csv row 2, column due:"), window.last_error
    assert stored_action(plan_file, "A1.2").title.startswith("Report the quarter 3")


def test_recent_plans_and_layout_are_remembered(window, qtbot, settings, plan_file):
    assert settings.recent_plans()[0] == plan_file.resolve()
    assert settings.last_plan() == plan_file.resolve()
    window.plan_view.splitter.setSizes([300, 800, 420])
    window.close()
    assert settings.bytes_value("window/planSplitter") is not None
    assert settings.bytes_value("window/geometry") is not None


def test_with_no_plan_named_the_last_plan_opens_else_the_demo(tmp_path, settings, plan_file, monkeypatch):
    monkeypatch.setattr("egov_planner.ui.plan_files.demo_path", lambda: tmp_path / "data" / "demo.egov")
    monkeypatch.setattr("egov_planner.ui.application.demo_path", lambda: tmp_path / "data" / "demo.egov")
    assert choose_plan(None, False, settings) == tmp_path / "data" / "demo.egov"
    assert (tmp_path / "data" / "demo.egov").exists()
    settings.add_recent_plan(plan_file)
    assert choose_plan(None, False, settings) == plan_file.resolve()
    assert choose_plan(None, True, settings) == tmp_path / "data" / "demo.egov"


def test_about_names_the_version_and_the_plan_file(window, prompts, plan_file):
    window.about()
    assert "egov-planner 0." in prompts.told[-1]
    assert str(plan_file) in prompts.told[-1]


def test_periodic_backup_runs_off_the_ui_thread(window, qtbot, plan_file):
    before = len(list_backups(plan_file))
    window.document.store.last_backup_at = None
    record = window.document.action_by_ref("A1.4")
    window.document.execute(EditActionCommand(window.document, record, {"notes": "checked"}))
    window.backup_if_due()
    qtbot.waitUntil(window.idle, timeout=10000)
    assert len(list_backups(plan_file)) == before + 1


def test_keyboard_shortcuts_are_the_standard_ones(window):
    from PySide6.QtGui import QKeySequence

    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Shift+Z") in window.redo_action.shortcuts()
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.build_pack_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    names = [window.menuBar().actions()[i].text() for i in range(5)]
    assert names == ["&File", "&Edit", "&View", "&Report", "&Help"]
    assert window.plan_view.table.accessibleName() == "Actions"
    assert window.status_date_edit.line.accessibleName() == "Status date"
    _ = Qt


def test_qt_calls_keep_their_references_to_none(window):
    """PySide6 6.12.0 on Python 3.11 loses a reference to None per void call, until Python aborts.

    pyproject keeps that build out; this fails loudly if one is installed anyway.
    """
    import sys

    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10_000):
        probe.setObjectName("probe")
    assert abs(sys.getrefcount(None) - before) < 100


def test_an_emptied_plan_with_backups_offers_the_newest_and_names_the_file_set_aside(
    qtbot, plan_file, settings, prompts
):
    make_application()
    backup_plan(plan_file, reason="test")
    plan_file.with_name(plan_file.name + ".damaged").write_bytes(b"an earlier damaged copy")
    plan_file.write_bytes(b"")  # emptied by a failed copy over a shared drive
    prompts.answers = [True]
    window = open_window(qtbot, plan_file, settings, prompts)
    assert any("Restore it?" in question for question in prompts.asked)
    assert window.document is not None and len(window.document.snapshot.actions) == 30
    assert plan_file.with_name(plan_file.name + ".damaged").read_bytes() == b"an earlier damaged copy"
    assert plan_file.with_name(plan_file.name + ".damaged2").exists()
    assert any("The damaged file is kept as plan.egov.damaged2" in told for told in prompts.told)
    window.close()


def test_the_read_only_banner_names_the_holder_and_computer_as_they_are_spelt(qtbot, plan_file, settings, prompts):
    make_application()
    info = LockInfo.mine()
    other = LockInfo("Jill Craig", info.host, os.getpid(), info.since, info.heartbeat, "c0ffee")
    lock_path_for(plan_file).write_text(json.dumps(other.__dict__), encoding="utf-8")
    window = open_window(qtbot, plan_file, settings, prompts)
    assert window.document.read_only
    text = window.read_only_label.text()
    assert text.startswith("Read-only — in use by Jill Craig on " + info.host), text
    window.close()
