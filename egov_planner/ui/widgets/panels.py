"""Small building blocks the tabs share: buttons, a bare column, a line for a new name, quietly cleared filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from egov_planner.ui.widgets.fields import DateField, Field
from egov_planner.ui.widgets.tables import RecordTableView


def push_button(text: str, slot: Callable[[], object], tooltip: str = "", accessible_name: str = "") -> QPushButton:
    """A button that calls `slot` when clicked."""
    button = QPushButton(text)
    if tooltip:
        button.setToolTip(tooltip)
    if accessible_name:
        button.setAccessibleName(accessible_name)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def delete_button(
    text: str, table: RecordTableView, slot: Callable[[], object], tooltip: str = "", accessible_name: str = ""
) -> QPushButton:
    """A button that deletes the table's selected row; the Delete key in the table does the same."""
    table.on_key(QKeySequence.StandardKey.Delete, slot)
    return push_button(text, slot, tooltip, accessible_name)


def buddy_label(text: str, editor: QWidget) -> QLabel:
    """A label whose mnemonic (its &-letter) puts the cursor in editor: in a date field, its line."""
    label = QLabel(text)
    label.setBuddy(editor.line if isinstance(editor, DateField) else editor)
    return label


_DISMISS = {"Cancel": QDialogButtonBox.StandardButton.Cancel, "Close": QDialogButtonBox.StandardButton.Close}


def dialog_buttons(
    dialog: QDialog, text: str, go: Callable[[], object], dismiss: Literal["Cancel", "Close"] = "Cancel"
) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's buttons: `text`, the default (Enter), calls go; Cancel (or Close) rejects the dialog."""
    buttons = QDialogButtonBox(_DISMISS[dismiss])
    button = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    button.setDefault(True)
    buttons.accepted.connect(go)
    buttons.rejected.connect(dialog.reject)
    return buttons, button


def section_title(text: str) -> QLabel:
    """A heading over a part of a tab (styled by the sheet's #sectionTitle)."""
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def tab_page(title: str) -> tuple[QWidget, QVBoxLayout]:
    """A page of the action detail's tabs, a little inset, headed by a section title."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(4, 8, 4, 4)
    layout.addWidget(section_title(title))
    return page, layout


def grid_box(
    margins: tuple[int, int, int, int], spacing: tuple[int, int], stretch: Iterable[int]
) -> tuple[QWidget, QGridLayout]:
    """A bare widget laid out as a grid: its margins, (across, down) spacing, the columns that share spare width."""
    box = QWidget()
    layout = QGridLayout(box)
    layout.setContentsMargins(*margins)
    layout.setHorizontalSpacing(spacing[0])
    layout.setVerticalSpacing(spacing[1])
    for number in stretch:
        layout.setColumnStretch(number, 1)
    return box, layout


def column(title: str | None = None) -> tuple[QWidget, QVBoxLayout]:
    """A column without margins for a splitter's side, headed by a panel title when given."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    if title is not None:
        heading = QLabel(title)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
    return box, layout


def name_entry(
    placeholder: str, accessible_name: str, button_text: str, add: Callable[[], object]
) -> tuple[QLineEdit, Field, QPushButton]:
    """A line to type a new name in, the Field that shows a refusal under it, and its Add button.

    Enter in the line and the button both call `add`.
    """
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    line.setAccessibleName(accessible_name)
    field = Field(line)
    line.returnPressed.connect(add)
    return line, field, push_button(button_text, add)


def entry_row(field: Field, add: QPushButton, *more: QPushButton) -> QHBoxLayout:
    """A new name's line and its Add button, then, after a gap, the other buttons: all level at the top."""
    row = QHBoxLayout()
    row.addWidget(field, 1, Qt.AlignmentFlag.AlignTop)
    row.addWidget(add, 0, Qt.AlignmentFlag.AlignTop)
    if more:
        row.addSpacing(20)
    for button in more:
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    return row


def clear_quietly(search: QLineEdit, combos: Iterable[QComboBox]) -> None:
    """Empty the search and put every combo back to its first entry, with no signal from any of them
    (the caller filters once afterwards, not once a widget)."""
    for combo in combos:
        combo.blockSignals(True)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)
    search.blockSignals(True)
    search.clear()
    search.blockSignals(False)
