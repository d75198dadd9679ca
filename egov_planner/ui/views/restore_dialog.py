"""Restore from backup: the plan's backups with their dates, newest first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from egov_planner.model.store.backups import Backup, list_backups
from egov_planner.ui.models.records import RecordColumn, RecordTableModel
from egov_planner.ui.widgets.tables import RecordTableView


def _size(backup: Backup) -> str:
    try:
        size = backup.path.stat().st_size
    except OSError:
        return ""
    return f"{size / 1024:,.0f} KB"


class RestoreBackupDialog(QDialog):
    """Choose one of list_backups(plan); the current file is backed up before it is replaced."""

    def __init__(self, plan_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Restore {plan_path.name} from a backup")
        self.setMinimumSize(640, 380)
        self.backups = list_backups(plan_path)
        self.model = RecordTableModel(
            [
                RecordColumn("Taken", lambda b: b.label, width=170, sort_key=lambda b: b.taken_at),
                RecordColumn("Why", lambda b: b.reason, width=130),
                RecordColumn("Size", _size, width=90, align_right=True),
                RecordColumn("File", lambda b: b.path.name, width=300, tooltip=lambda b: str(b.path)),
            ]
        )
        self.model.key = lambda b: str(b.path)
        self.model.set_records(self.backups)
        self.view = RecordTableView(self.model, "Backups")
        self.view.doubleClicked.connect(lambda _index: self.accept())
        intro = QLabel(
            "Choose the copy to bring back. The plan as it is now is backed up first, so this can be reversed "
            "by restoring that backup."
            if self.backups
            else "There are no backups of this plan yet. One is taken when it is opened for editing after a change, "
            "before an import or a restore, and every 30 minutes while it is being changed."
        )
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("&Restore this backup", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        if self.backups:
            self.view.selectRow(0)

    def chosen(self) -> Path | None:
        backup = self.view.selected_record()
        return backup.path if isinstance(backup, Backup) else None
