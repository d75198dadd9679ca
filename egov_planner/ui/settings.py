"""Everything the window remembers between runs, in one place (QSettings, organisation "egov-planner").

Views never read QSettings themselves: they go through AppSettings, so the keys
live here and tests can point it at a temporary file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

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

    def recent_plans(self) -> list[Path]:
        value = self._settings.value("recentPlans", [])
        if isinstance(value, str):  # QSettings gives a str for a one-item list on some back ends
            value = [value]
        items = value if isinstance(value, list) else []
        return [Path(str(item)) for item in items if item]

    def add_recent_plan(self, path: Path) -> None:
        resolved = str(path.resolve())
        recent = [str(p) for p in self.recent_plans() if str(p) != resolved]
        self._settings.setValue("recentPlans", [resolved, *recent][:MAX_RECENT])
        self._settings.setValue("lastPlan", resolved)

    def remove_recent_plan(self, path: Path) -> None:
        recent = [str(p) for p in self.recent_plans() if p != path]
        self._settings.setValue("recentPlans", recent)

    def last_plan(self) -> Path | None:
        value = self._settings.value("lastPlan", "")
        return Path(str(value)) if value else None

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
