"""Questions and messages to the officer, behind one object the tests can replace.

Every modal dialog the main window shows goes through Prompts, so a test swaps in
a scripted answerer instead of blocking on a QMessageBox or QFileDialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Prompts:
    """Modal questions, file choosers and messages (the real, interactive ones)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def ask(self, title: str, question: str, yes: str = "Yes", no: str = "No", default_yes: bool = True) -> bool:
        """Escape always answers no; Enter answers yes unless default_yes is False (a delete)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self.parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes_button if default_yes else no_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def offer(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> bool:
        """Good news with something to do next (the pack is built: open it?): an information icon, not a question."""
        box = QMessageBox(QMessageBox.Icon.Information, title, message, parent=self.parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes_button)
        box.exec()
        return box.clickedButton() is yes_button

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, title, message)

    def warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self.parent, title, message)

    def password(self, title: str, message: str) -> str | None:
        """A password typed in a masked box, for this session only (None: cancelled); never stored."""
        text, ok = QInputDialog.getText(self.parent, title, message, QLineEdit.EchoMode.Password)
        return text if ok else None

    def open_file(self, title: str, folder: Path | None, filter_text: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, str(folder or Path.home()), filter_text)
        return Path(name) if name else None

    def save_file(self, title: str, suggested: Path, filter_text: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, str(suggested), filter_text)
        return Path(name) if name else None

    def choose_folder(self, title: str, folder: Path | None) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.parent, title, str(folder or Path.home()))
        return Path(name) if name else None


def ending_in(path: Path, suffix: str) -> Path:
    """path, with suffix (".pdf") added when its name does not already end so, in any case."""
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def save_path(prompts: Prompts, title: str, suggested: Path, filter_text: str, suffix: str) -> Path | None:
    """Where the officer chose to save (None: cancelled), ending in suffix even when they left it off."""
    chosen = prompts.save_file(title, suggested, filter_text)
    return None if chosen is None else ending_in(chosen, suffix)
