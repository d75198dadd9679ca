"""What every plan editor shares: the error look, refusal wording, and undo passed through to the plan.

Split from fields.py (the editors themselves), which imports these and passes them on.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

DATE_HINT = "dd/mm/yyyy"


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a property it selects on (readOnly, fieldError) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def as_sentence(text: str) -> str:
    """The message with its first letter raised, unless it begins with a file's name (actions.csv keeps its case)."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if not first or any(mark in first.rstrip(".:,;") for mark in "./\\"):
        return text
    return text[0].upper() + text[1:]


_NOT_A_DATE = re.compile(r"'(?P<typed>.*)' is not (?:a real date|a date)(?:: (?P<why>.+)| \((?P<hint>.+)\))?", re.S)
_OUT_OF_RANGE = re.compile(r"(?P<typed>.+) is outside the dates this plan accepts \((?P<span>.+)\)", re.S)


def headline(message: str) -> str:
    """A refusal with what is wrong first, for the one cut line under a field (the box still shows the typing):
    "'31/02/2004' is not a real date: February 2004 has 29 days" -> "Not a date: February 2004 has 29 days"."""
    text = message.strip().rstrip(".")
    found = _NOT_A_DATE.fullmatch(text)
    if found is not None:
        return f"Not a date: {found['why'] or found['hint'] or found['typed']}"
    found = _OUT_OF_RANGE.fullmatch(text)
    if found is not None:
        return f"Out of range: use {found['span']}"
    return message


def set_error_look(widget: QWidget, on: bool) -> None:
    """Red border via the style sheet's [fieldError="true"] rule."""
    if bool(widget.property("fieldError")) == on:
        return
    widget.setProperty("fieldError", on)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class _PlanUndoThrough(QObject):
    """Ctrl+Z in a field undoes its typing while it has any; with none left, the plan's Undo takes it.

    A field is refilled from the plan after every edit (which clears its own history), so
    after Enter or Tab, Ctrl+Z reaches Edit → Undo instead of being swallowed by the box.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            control = Qt.KeyboardModifier.ControlModifier
            redo = event.matches(QKeySequence.StandardKey.Redo) or (
                (event.key(), event.modifiers())
                in ((Qt.Key.Key_Z, control | Qt.KeyboardModifier.ShiftModifier), (Qt.Key.Key_Y, control))
            )
            if (undo or redo) and not _has_own(watched, undo):
                event.ignore()
                return True
        return False


def _has_own(widget: QObject, undo: bool) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable() if undo else widget.isRedoAvailable()
    if isinstance(widget, QPlainTextEdit):
        document = widget.document()
        return document.isUndoAvailable() if undo else document.isRedoAvailable()
    return False


_UNDO_THROUGH = _PlanUndoThrough()


def pass_plan_undo_through(widget: QWidget | None) -> None:
    """Let Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y reach the plan's Undo/Redo when this box has nothing of its own to undo."""
    if widget is not None:
        widget.installEventFilter(_UNDO_THROUGH)
