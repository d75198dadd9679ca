"""Help → User guide: the officers' short guide (resources/user-guide.md), read in a window beside the plan."""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def guide_text() -> str:
    """The guide's Markdown, shipped in the egov_planner.resources package."""
    return files("egov_planner.resources").joinpath("user-guide.md").read_text(encoding="utf-8")


class GuideDialog(QDialog):
    """Not modal: the officer reads and works at the same time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("egov-planner user guide")
        self.resize(720, 640)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(guide_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
