"""Everything the window remembers between runs, in one place (QSettings, organisation "egov-planner").

Views never read QSettings themselves: they go through AppSettings, so the keys
live here and tests can point it at a temporary file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from egov_planner.model.store import PlanFileError
from egov_planner.model.store.opening import PlanLocation
from egov_planner.model.store.server import ServerPlan, looks_like_server_url
from egov_planner.ui.shared_plan import bare_url

ORGANISATION = "egov-planner"
APPLICATION = "egov-planner"
MAX_RECENT = 8


class AppSettings:
    """Typed access to the program's QSettings."""

    def __init__(self, path: Path | None = None) -> None:
        # A path is for tests (an INI file in a temporary folder); otherwise the platform's store.
        if path is not None:
            self._settings = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._settings = QSettings(ORGANISATION, APPLICATION)

    def recent_plans(self) -> list[PlanLocation]:
        """Files by their path, plans on a server by their URL (never with a password: see add_recent_plan)."""
        value = self._settings.value("recentPlans", [])
        if isinstance(value, str):  # QSettings gives a str for a one-item list on some back ends
            value = [value]
        items = value if isinstance(value, list) else []
        found = [_location(str(item)) for item in items if item]
        return [where for where in found if where is not None]

    def add_recent_plan(self, where: PlanLocation) -> None:
        remembered = _remembered(where)
        recent = [item for item in map(_remembered, self.recent_plans()) if item != remembered]
        self._settings.setValue("recentPlans", [remembered, *recent][:MAX_RECENT])
        self._settings.setValue("lastPlan", remembered)

    def remove_recent_plan(self, where: PlanLocation) -> None:
        gone = _remembered(where)
        recent = [item for item in map(_remembered, self.recent_plans()) if item != gone]
        self._settings.setValue("recentPlans", recent)

    def last_plan(self) -> PlanLocation | None:
        value = self._settings.value("lastPlan", "")
        return _location(str(value)) if value else None

    def last_folder(self) -> Path | None:
        """The folder the officer last saved into (a server plan's exports start there)."""
        value = str(self._settings.value("lastFolder", "") or "")
        return Path(value) if value and Path(value).is_dir() else None

    def set_last_folder(self, folder: Path) -> None:
        self._settings.setValue("lastFolder", str(folder))

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) else None

    def set_bytes_value(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        return str(self._settings.value(key, default) or default)

    def set_text(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)

    def sync(self) -> None:
        self._settings.sync()


def _remembered(where: PlanLocation) -> str:
    """What the recent-plans list keeps: a file's full path, a server plan's URL without any password."""
    if isinstance(where, ServerPlan):
        return bare_url(where)
    return str(where.resolve())


def _location(text: str) -> PlanLocation | None:
    if not looks_like_server_url(text):
        return Path(text)
    try:
        return ServerPlan.parse(text)
    except PlanFileError:
        return None  # an entry no longer understood is dropped from the list, not shown as a file
