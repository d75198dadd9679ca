"""Small building blocks the register-like tabs share: a bare column, and a line to type a new name in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from egov_planner.ui.widgets.fields import Field


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
    button = QPushButton(button_text)
    button.clicked.connect(add)
    return line, field, button
