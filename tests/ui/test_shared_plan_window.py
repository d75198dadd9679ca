"""The window on a plan kept on PostgreSQL: opened from File → Open shared plan…, never showing a password.

Every test here runs against the test server (tests/conftest.py starts one), each on a fresh database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from egov_planner.model.service import PlanService
from egov_planner.model.store import open_plan
from egov_planner.model.store.server import ServerPlan, ServerStore, open_server_plan
from egov_planner.ui.shared_plan import SharedPlanDialog
from tests.conftest import _admin
from tests.ui.conftest import ScriptedPrompts


def _bare(url: str) -> str:
    """The URL as an officer types it, with no password: libpq finds it (PGPASSWORD, .pgpass) or the window asks."""
    parsed = make_url(url)
    return f"postgresql://{parsed.username}@{parsed.host}:{parsed.port}/{parsed.database}"


@pytest.fixture
def no_password_set_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "no-services"))


@pytest.fixture
def make_window(qtbot, settings, prompts: ScriptedPrompts) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from egov_planner.ui.application import make_application
    from egov_planner.ui.main_window import MainWindow

    make_application()
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(settings, prompts=prompts, today=lambda: date(2004, 6, 1))
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.runner.wait(15000)
        window.close()


def _open_through_dialog(qtbot, window, fill) -> bool:  # type: ignore[no-untyped-def]
    """File → Open shared plan…, with the dialog filled by fill(dialog) instead of by hand."""
    shown: list[SharedPlanDialog] = []

    def exec_dialog(dialog: SharedPlanDialog) -> ServerPlan | None:
        shown.append(dialog)
        fill(dialog)
        return dialog.plan()

    window.exec_shared_plan_dialog = exec_dialog
    window.choose_shared_plan()
    qtbot.waitUntil(window.idle, timeout=20000)
    assert shown, "the dialog was not shown"
    return window.document is not None


def _everything_shown(window) -> str:  # type: ignore[no-untyped-def]
    """Every place the window names its plan: the title, the toolbar, the status bar, About, the Recent menu."""
    window.about()
    window._fill_recent()
    recent = [f"{a.text()} {a.toolTip()} {a.statusTip()}" for a in window.recent_menu.actions()]
    return "\n".join(
        [
            window.windowTitle(),
            window.plan_title.text(),
            window.plan_title.toolTip(),
            window.file_label.text(),
            window.file_label.toolTip(),
            window.statusBar().currentMessage(),
            *window.prompts.told,
            *recent,
        ]
    )


def test_a_pasted_url_opens_the_plan_and_its_password_is_shown_and_kept_nowhere(
    qtbot, make_window, server_demo_url: str, settings, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    secret = str(make_url(server_demo_url).password)
    database = str(make_url(server_demo_url).database)
    pasted = make_url(server_demo_url).render_as_string(hide_password=False)  # postgresql+psycopg://egov:...@
    assert pasted.startswith("postgresql+psycopg://") and secret in pasted
    window = make_window()

    def paste(dialog: SharedPlanDialog) -> None:
        dialog.address.setText(pasted)
        assert dialog.take_address()
        # The fields below are filled from it, and the address no longer shows the password.
        assert (dialog.host.text(), dialog.database.text(), dialog.user.text()) == ("127.0.0.1", database, "egov")
        assert secret not in dialog.address.text() and "***" not in dialog.address.text()

    assert _open_through_dialog(qtbot, window, paste)
    assert isinstance(window.document.store, ServerStore) and not window.document.read_only
    assert len(window.document.snapshot.actions) > 0
    assert window.windowTitle().startswith(f"{database} on 127.0.0.1 – ")
    assert window.plan_title.toolTip().endswith(f"postgresql://egov@127.0.0.1:{make_url(server_demo_url).port}/{database}")
    shown = _everything_shown(window)
    assert f"Shared plan: {database} on 127.0.0.1" in shown
    assert secret not in shown and "***" not in shown
    settings.sync()
    kept = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert database in kept and secret not in kept
    (recent,) = [where for where in settings.recent_plans() if isinstance(where, ServerPlan)]
    assert recent.url.password is None and recent.name == database
    # The file-change poll is for plan files: nothing on this machine to watch.
    assert not window.watch_timer.isActive() and window._file_signature() is None
    # Restore is IT's on a server: greyed, saying why.
    assert not window.restore_action.isEnabled()
    assert "restored on the server by your IT department" in window.restore_action.toolTip()


def test_pgpassword_and_a_service_file_supply_the_password_and_nothing_is_asked(
    qtbot, make_window, server_demo_url: str, prompts: ScriptedPrompts,  # type: ignore[no-untyped-def]
    no_password_set_up: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    url = make_url(server_demo_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[council]\nhost={url.host}\nport={url.port}\nuser={url.username}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGPASSWORD", str(url.password))
    window = make_window()

    def by_service(dialog: SharedPlanDialog) -> None:
        dialog.database.setText(str(url.database))
        dialog.service.setText("council")

    assert _open_through_dialog(qtbot, window, by_service)
    assert prompts.password_asked == [] and prompts.told == []
    assert window.windowTitle().startswith(f"{url.database} on service council")


def test_a_server_asking_for_a_password_gets_one_typed_for_this_session_only(
    qtbot, make_window, server_demo_url: str, prompts: ScriptedPrompts, settings,  # type: ignore[no-untyped-def]
    no_password_set_up: None, tmp_path: Path,
) -> None:
    url = make_url(server_demo_url)
    window = make_window()

    def fill(dialog: SharedPlanDialog) -> None:
        dialog.host.setText(str(url.host))
        dialog.port.setText(str(url.port))
        dialog.database.setText(str(url.database))
        dialog.user.setText(str(url.username))

    prompts.passwords = [None]  # first time: the officer cancels the password box
    assert not _open_through_dialog(qtbot, window, fill)
    assert len(prompts.password_asked) == 1
    assert "The server needs a password for egov, and none is set up" in prompts.password_asked[0]
    assert "never saved" in prompts.password_asked[0] and prompts.told == []

    prompts.passwords = ["not-the-password", str(url.password)]  # a mistyped one is asked again
    assert _open_through_dialog(qtbot, window, fill)
    assert "The server refused that password." in prompts.password_asked[2]
    settings.sync()
    assert str(url.password) not in (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert str(url.password) not in _everything_shown(window)

    # Reopened from Recent plans in the same session: not asked again (kept in memory, never written).
    asked = len(prompts.password_asked)
    window.close_plan()
    (recent,) = [where for where in settings.recent_plans() if isinstance(where, ServerPlan)]
    window.open_location(recent)
    qtbot.waitUntil(window.idle, timeout=20000)
    assert window.document is not None and len(prompts.password_asked) == asked


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda u: u.set(password="wrong-password"), "the server refused the password for user egov"),
        (lambda u: u.set(database="no_such_plan"), "there is no database no_such_plan on 127.0.0.1"),
        (lambda u: u.set(port=1), "the server at 127.0.0.1 cannot be reached"),
    ],
    ids=["wrong password", "unknown database", "no server"],
)
def test_a_server_that_refuses_is_one_sentence_in_the_window_and_nothing_opens(
    qtbot, make_window, server_demo_url: str, prompts: ScriptedPrompts, change, expected,  # type: ignore[no-untyped-def]
    settings,
) -> None:
    url = change(make_url(server_demo_url))
    window = make_window()
    window.open_location(ServerPlan.parse(url.render_as_string(hide_password=False)))
    qtbot.waitUntil(window.idle, timeout=20000)
    assert window.document is None and window.windowTitle() == "egov-planner"
    (told,) = prompts.told
    assert told.startswith("Cannot open the shared plan: ") and expected in told
    assert told.count("\n") == 0 and "Traceback" not in told and "wrong-password" not in told
    assert prompts.password_asked == []  # a password that was given and refused is said, not asked again
    assert settings.recent_plans() == []


def test_a_database_user_with_read_rights_only_gets_a_read_only_window_saying_why(
    qtbot, make_window, server_demo_url: str, prompts: ScriptedPrompts,  # type: ignore[no-untyped-def]
) -> None:
    reader = f"reader_{uuid.uuid4().hex[:8]}"
    with _admin(server_demo_url) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE ROLE {reader} LOGIN PASSWORD 'reader-pw'")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}")
    try:
        as_reader = make_url(server_demo_url).set(username=reader, password="reader-pw")
        window = make_window()
        window.open_location(ServerPlan.parse(as_reader.render_as_string(hide_password=False)))
        qtbot.waitUntil(window.idle, timeout=20000)
        document = window.document
        assert document is not None and document.read_only
        assert window.read_only_label.isVisible()
        assert window.read_only_label.text() == "Read-only — your database account may not change this plan"
        assert "(read-only — your database account may not change this plan)" in window.windowTitle()
        assert not window.add_action_action.isEnabled() and not window.import_action.isEnabled()
        window.plan_view.select_action(document.action_by_ref("A1.2").id)
        window.mark_complete()
        assert "nothing was changed" in window.last_error
        assert "reader-pw" not in _everything_shown(window)
        window.close_plan()
    finally:
        with _admin(server_demo_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f"DROP OWNED BY {reader}")
            admin.execute(f"DROP ROLE {reader}")


def test_a_server_gone_mid_edit_refuses_the_edit_in_one_sentence_and_the_window_reads_on(
    qtbot, make_window, server_demo_url: str, pg_admin_url: str, prompts: ScriptedPrompts,  # type: ignore[no-untyped-def]
) -> None:
    database = str(make_url(server_demo_url).database)
    window = make_window()
    window.open_location(ServerPlan.parse(server_demo_url))
    qtbot.waitUntil(window.idle, timeout=20000)
    document = window.document
    assert document is not None and isinstance(document.store, ServerStore)
    record = document.action_by_ref("A1.2")
    before = len(document.snapshot.actions)
    gone = False

    def server_goes_away(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal gone
        if gone or not statement.lstrip().upper().startswith("UPDATE ACTION"):
            return
        gone = True  # the edit's transaction has begun; the server now ends every connection and lets none in
        with _admin(pg_admin_url) as admin:  # type: ignore[attr-defined]  # from outside the plan's database
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,)
            )

    event.listen(document.store.engine, "before_cursor_execute", server_goes_away)
    try:
        window.plan_view.select_action(record.id)
        window.mark_complete()  # pytest-qt fails the test on any exception raised in the window
        assert gone
        assert window.last_error.count("\n") == 0
        assert "the connection to the server was lost; the change in hand was not saved" in window.last_error
        assert prompts.told[-1].startswith("Mark complete: ")
        # The window reads on from what it has: the plan, the selection, the other tabs.
        assert window.document is document and len(document.snapshot.actions) == before
        assert document.action_by_ref("A1.2").status == record.status
        window.tabs.setCurrentWidget(window.dashboard)
        window.tabs.setCurrentWidget(window.plan_view)
        assert window.plan_view.selected_action() is not None
        window.reload()  # still gone: said, not raised
        assert "cannot be reached" in window.statusBar().currentMessage()
    finally:
        event.remove(document.store.engine, "before_cursor_execute", server_goes_away)
        with _admin(pg_admin_url) as admin:  # type: ignore[attr-defined]
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    # Nothing half written: the action is as it was on the server.
    with open_server_plan(ServerPlan.parse(server_demo_url), read_only=True) as store:
        assert PlanService(store).action_by_ref("A1.2").status == record.status
    # The server is back: the next edit is saved.
    window.mark_complete()
    assert PlanService(document.store).action_by_ref("A1.2").status == "complete"


def test_save_a_copy_and_backups_of_a_server_plan_are_plan_files_named_after_the_database(
    qtbot, make_window, server_demo_url: str, prompts: ScriptedPrompts, settings,  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "Documents").mkdir(parents=True)
    database = str(make_url(server_demo_url).database)
    window = make_window()
    window.open_location(ServerPlan.parse(server_demo_url))
    qtbot.waitUntil(window.idle, timeout=20000)
    actions = len(window.document.snapshot.actions)

    # No folder used yet: Documents, and the database's name.
    prompts.files = [tmp_path / "out" / "my copy"]
    (tmp_path / "out").mkdir()
    window.save_copy_as()
    qtbot.waitUntil(window.idle, timeout=30000)
    assert prompts.suggested[-1] == tmp_path / "home" / "Documents" / f"{database} copy {date.today():%Y-%m-%d}.egov"
    copy = tmp_path / "out" / "my copy.egov"
    assert "(checked)" in window.statusBar().currentMessage() and str(copy) in window.statusBar().currentMessage()
    with open_plan(copy, read_only=True) as store:
        assert len(PlanService(store).snapshot().actions) == actions
    # The next suggestion starts in the folder last used.
    window.export_csv("actions")
    assert prompts.suggested[-1] == tmp_path / "out" / f"{database} actions.csv"

    # Backups: a plan file, as `egov-planner backup URL` writes, once this window has changed the plan.
    window.backup_if_due()
    qtbot.waitUntil(window.idle, timeout=30000)
    backups = tmp_path / "data" / "egov-planner" / "server backups" / f"{database} on 127.0.0.1"
    assert not backups.exists()  # nothing changed here yet
    window.plan_view.select_action(window.document.action_by_ref("A1.2").id)
    window.mark_complete()
    window.backup_if_due()
    qtbot.waitUntil(window.idle, timeout=30000)
    (backup,) = backups.glob("*.egov")
    assert "Backed up" in window.statusBar().currentMessage()
    with open_plan(backup, read_only=True) as store:
        assert PlanService(store).action_by_ref("A1.2").status == "complete"
    # Restore is the server's (IT's): the item is greyed, and its key says why.
    window.restore_from_backup()
    assert "restored on the server by your IT department" in window.last_error


def test_the_command_line_opens_the_window_on_a_server_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    import egov_planner.ui.application as application
    from egov_planner.app import main

    opened: list[object] = []
    monkeypatch.setattr(application, "run_desktop", lambda plan, open_demo: opened.append(plan) or 0)
    assert main(["postgresql+psycopg://jsmith:hunter2@dbserver.council.local/improvement_plan"]) == 0
    (plan,) = opened
    assert isinstance(plan, ServerPlan) and plan.name == "improvement_plan"


def test_the_dialog_says_what_is_missing_or_wrong_in_one_sentence(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SharedPlanDialog()
    qtbot.addWidget(dialog)
    dialog.address.setText("mysql://jsmith:hunter2@dbserver/plan")
    assert not dialog.take_address()
    said = dialog.error.text()
    assert said.startswith("The address must begin postgresql://") and "hunter2" not in said
    dialog.address.setText("")
    dialog.host.setText("dbserver.council.local")
    assert dialog.plan() is None and dialog.error.text().startswith("Give the database that holds the plan")
    dialog.database.setText("improvement_plan")
    dialog.port.setText("5433")
    plan = dialog.plan()
    assert plan is not None and plan.location == "postgresql://dbserver.council.local:5433/improvement_plan"


def test_the_password_box_is_masked(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

    from egov_planner.ui.prompts import Prompts

    seen: list[QLineEdit.EchoMode] = []

    def type_it() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QInputDialog)
        seen.append(box.textEchoMode())
        box.setTextValue("typed-secret")
        box.accept()

    QTimer.singleShot(200, type_it)
    assert Prompts().password("Password for the shared plan", "Password:") == "typed-secret"
    assert seen == [QLineEdit.EchoMode.Password]
