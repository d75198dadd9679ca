"""Start the desktop app: `run_desktop(plan, open_demo)` (called by egov_planner.app)."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication

from egov_planner import APP_NAME, __version__
from egov_planner.model.store import PlanFileError
from egov_planner.model.store.opening import PlanLocation
from egov_planner.model.store.server import ServerPlan
from egov_planner.paths import demo_path
from egov_planner.ui.main_window import MainWindow
from egov_planner.ui.plan_files import ensure_demo
from egov_planner.ui.settings import APPLICATION, ORGANISATION, AppSettings
from egov_planner.ui.theme import app_icon, apply_theme


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names (QSettings uses them), British dates, the calm theme."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [APP_NAME])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("egov-planner")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    apply_theme(app)
    return app


def choose_plan(plan: PlanLocation | None, open_demo: bool, settings: AppSettings) -> PlanLocation:
    """--demo: the demo copy (written if missing); a named plan; else the last plan (file or server); else the demo."""
    if open_demo:
        return ensure_demo(demo_path())
    if plan is not None:
        return plan
    last = settings.last_plan()
    if last is not None and (isinstance(last, ServerPlan) or last.exists()):
        return last
    return ensure_demo(demo_path())


def run_desktop(plan: PlanLocation | None, open_demo: bool) -> int:
    """Open the window on a plan and run until it closes; the exit code for the shell."""
    app = make_application(sys.argv[:1])
    # Ctrl+C in the terminal quits instead of being swallowed by Qt's event loop.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    settings = AppSettings()
    window = MainWindow(settings)
    try:
        target = choose_plan(plan, open_demo, settings)
    except (PlanFileError, OSError) as error:
        print(f"egov-planner: cannot write the demo plan: {error}", file=sys.stderr)
        return 2
    window.show()
    # Open once the window is on screen, so a large plan never shows a blank, frozen window.
    QTimer.singleShot(0, lambda: window.open_location(target))
    return app.exec()
