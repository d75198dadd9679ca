"""Start-up: a command (headless) or the desktop app.

`egov-planner COMMAND …` runs the command line without importing Qt;
`egov-planner [PLAN]` opens the window.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line's start-up never loads the store for a hint
    from egov_planner.model.store.opening import PlanLocation


def display_available() -> bool:
    """Is there a screen for the window? (Linux/BSD need X11 or Wayland; offscreen counts.)"""
    if sys.platform in ("win32", "darwin"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return True  # offscreen, minimal, vnc…: Qt needs no display server
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Open the desktop app: `egov-planner [PLAN] [--demo]`."""
    import argparse

    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="egov-planner", description="Open the desktop app.")
    parser.add_argument(
        "plan", nargs="?", help="plan file or postgresql:// URL to open (default: the last one, or the demo)"
    )
    parser.add_argument("--demo", action="store_true", help="open a copy of the demo plan")
    args = parser.parse_args(args_list)
    plan = _window_plan(args.plan)
    if isinstance(plan, str):
        print(f"egov-planner: {plan}", file=sys.stderr)
        return 2
    if not display_available():
        print(
            "egov-planner: no display to open the window on (DISPLAY is not set). "
            "Run it on a desktop, or use a command such as 'egov-planner overdue PLAN' (see --help).",
            file=sys.stderr,
        )
        return 2
    from egov_planner.ui.application import run_desktop

    return run_desktop(plan, open_demo=args.demo)


def _window_plan(text: str | None) -> PlanLocation | None | str:
    """The plan the window is to open (a file, or a plan on a server), or the one line saying why it cannot."""
    if text is None:
        return None
    if "://" not in text:
        return Path(text)
    from egov_planner.model.store import PlanFileError
    from egov_planner.model.store.opening import plan_location

    try:
        return plan_location(text)
    except PlanFileError as error:
        return " ".join(str(error).split())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from egov_planner.cli import COMMANDS

    if args and (args[0] in COMMANDS or args[0] in ("-h", "--help", "--version")):
        from egov_planner.cli import run

        return run(args)
    return gui_main(args)
