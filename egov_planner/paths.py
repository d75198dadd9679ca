"""Where the program keeps its own files: the one place app, cli and ui all ask.

Plain paths, no Qt and nothing imported from the rest of the package but its name,
so every face can import it without importing another face.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from egov_planner import APP_NAME


def user_data_dir() -> Path:
    """Where the program keeps its own files (the demo copy, logs): per user, per platform."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / APP_NAME


def logs_dir() -> Path:
    """Where an unexpected failure's traceback is written for support."""
    return user_data_dir() / "logs"


def demo_path() -> Path:
    """The demo copy `make run` / `--demo` opens: in the user's data folder."""
    return user_data_dir() / "demo.egov"
