"""Editors that commit one value at a time, and a Field that shows a refusal beside them.

Each editor keeps the value last loaded from the plan; it emits `committed`
only when the officer finishes an edit that changes it (Enter, Tab, leaving
the field, a pick from a list or the calendar). Escape puts the plan's value
back. A refused edit stays visible in the field with a red border and the
reason under it until the officer corrects it or moves to another record.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPen, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from egov_planner.model.dates import DateError, british, parse_date
from egov_planner.ui.widgets.editing import (
    DATE_HINT,
    as_sentence,
    headline,
    pass_plan_undo_through,
    repolish,
    set_error_look,
)
from egov_planner.ui.widgets.messages import ConflictOffer, ElidedLabel


def _calendar_icon() -> QIcon:
    pixmap = QPixmap(QSize(16, 16))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#5F6B7A"), 1.2))
    painter.drawRoundedRect(2, 3, 12, 11, 1.5, 1.5)
    painter.fillRect(2, 3, 13, 3, QColor("#2E5C8A"))
    for row in range(2):
        for col in range(3):
            painter.fillRect(4 + col * 3, 8 + row * 3, 2, 2, QColor("#5F6B7A"))
    painter.end()
    return QIcon(pixmap)


class DateField(QWidget):
    """A British date (dd/mm/yyyy) typed or picked from a calendar; may be empty when allowed.

    Typing accepts what the plan's date parser accepts (31/05/2004, 31 May 2004,
    May 2004, 2004-05-31); Up/Down move a day; the button (or Alt+Down, or F4) opens the
    calendar, where the arrow keys move and Enter picks.
    """

    committed = Signal(object)  # date | None
    rejected = Signal(str)
    cancelled = Signal()  # Escape put the plan's value back

    def __init__(self, allow_empty: bool = True, accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allow_empty = allow_empty
        self._value: date | None = None
        self._pending: object = _NOTHING
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(DATE_HINT if allow_empty else f"{DATE_HINT} (required)")
        self.line.setMaxLength(40)
        self.line.installEventFilter(self)
        pass_plan_undo_through(self.line)
        self.button = QToolButton(self)
        self.button.setObjectName("calendarButton")
        self.button.setIcon(_calendar_icon())
        self.button.setToolTip("Choose from a calendar (Alt+Down or F4)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the calendar opens from the keyboard: Alt+Down, F4
        self.button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        # Never narrower than a whole date: a squeezed box shows "/10/2003" and misleads.
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("30/12/20000") + 14)
        self.setFocusProxy(self.line)  # a label's buddy is the line itself (the container takes no focus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.line.editingFinished.connect(self._finish)
        if accessible_name:
            self.set_accessible_name(accessible_name)

    def set_accessible_name(self, name: str) -> None:
        self.setAccessibleName(name)
        self.line.setAccessibleName(name)
        self.button.setAccessibleName(f"{name}: calendar")

    def value(self) -> date | None:
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show the plan's value (no signal); a box already showing it is left alone (no redraw)."""
        self._value = value
        self._pending = _NOTHING
        text = british(value)
        if self.line.text() != text:
            self.line.setText(text)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt naming, so callers treat it like QLineEdit
        self.line.setReadOnly(read_only)
        repolish(self.line)
        self.button.setEnabled(not read_only)

    def text(self) -> str:
        return self.line.text()

    def parsed(self) -> date | None:
        """The typed date; raises DateError when it is not one (or empty where a date is required)."""
        text = self.line.text().strip()
        if not text:
            if self.allow_empty:
                return None
            raise DateError("a date is required")
        return parse_date(text)

    def _finish(self) -> None:
        if self.line.isReadOnly():
            return
        try:
            typed = self.parsed()
        except DateError as error:
            self.rejected.emit(str(error))
            return
        if typed is not None:
            self.line.setText(british(typed))  # show 'May 2004' as 31/05/2004
        self._offer(typed)

    def send_again(self) -> None:
        """Enter pressed: a date sent before and refused (the server was away…) is sent again."""
        self._pending = _NOTHING

    def _offer(self, typed: date | None) -> None:
        if typed == self._value or typed == self._pending:
            return
        self._pending = typed
        self.committed.emit(typed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.line and event.type() == QEvent.Type.KeyPress and not self.line.isReadOnly():
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None:
                key = key_event.key()
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.send_again()  # the line edit then finishes as usual
                if key == Qt.Key.Key_Escape and self.line.text() != british(self._value):
                    self.set_value(self._value)
                    self.cancelled.emit()
                    return True
                alt_down = key == Qt.Key.Key_Down and key_event.modifiers() & Qt.KeyboardModifier.AltModifier
                if alt_down or (key == Qt.Key.Key_F4 and not key_event.modifiers()):
                    self.open_calendar()
                    return True
                if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                    try:
                        current = self.parsed()
                    except DateError:
                        return True
                    if current is not None:
                        step = timedelta(days=1 if key == Qt.Key.Key_Up else -1)
                        self.line.setText(british(current + step))
                    return True
        return super().eventFilter(watched, event)

    def open_calendar(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        try:
            shown = self.parsed() or self._value or date.today()
        except DateError:
            shown = self._value or date.today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)
        if self.allow_empty:
            clear = QAction("No date", menu)
            clear.triggered.connect(lambda: self._pick(None))
            menu.addAction(clear)

        def chosen(day: QDate) -> None:
            if not day.isValid() or not MINYEAR <= day.year() <= MAXYEAR:
                return  # digits typed into the calendar itself can leave no real day picked: keep it open
            menu.close()
            self._pick(date(day.year(), day.month(), day.day()))

        calendar.activated.connect(chosen)
        calendar.clicked.connect(chosen)
        calendar.setFocus()
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))

    def _pick(self, value: date | None) -> None:
        self.line.setText(british(value))
        self.line.setFocus()
        self._offer(value)


class _Nothing:
    def __repr__(self) -> str:
        return "<nothing>"


_NOTHING = _Nothing()


class _PlanText:
    """What TextLine and TextArea share: the plan's value behind the editor, each typed change
    committed once, and Escape putting the plan's value back."""

    _value = ""
    _pending: object = _NOTHING  # the text last committed, until the plan's value is loaded again
    committed: Any  # the editor's Signal(str)
    cancelled: Any  # the editor's Signal(): Escape put the plan's value back

    def _shown(self) -> str:
        raise NotImplementedError

    def _show(self, text: str) -> None:
        raise NotImplementedError

    def set_value(self, value: str) -> None:
        self._value = value or ""
        self._pending = _NOTHING
        if self._shown() != self._value:  # after every edit the panel is refilled: redraw only what changed
            self._show(self._value)

    def value(self) -> str:
        return self._value

    def send_again(self) -> None:
        """Enter pressed: a value sent before and refused (the server was away…) is sent again."""
        self._pending = _NOTHING

    def _commit(self, text: str, unchanged: bool) -> None:
        if unchanged or text == self._pending:
            return
        self._pending = text
        self.committed.emit(text)

    def _put_back(self, event: QKeyEvent) -> bool:
        """Escape with a change typed puts the plan's value back (answers whether it did)."""
        if event.key() == Qt.Key.Key_Escape and self._shown() != self._value:
            self.set_value(self._value)
            self.cancelled.emit()
            return True
        return False


class TextLine(QLineEdit, _PlanText):
    """One line of text that commits on Enter or leaving the field."""

    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self.editingFinished.connect(self._finish)
        pass_plan_undo_through(self)

    def _shown(self) -> str:
        return self.text()

    def _show(self, text: str) -> None:
        self.setText(text)
        self.setCursorPosition(0)

    def _finish(self) -> None:
        if self.isReadOnly():
            return
        text = self.text()
        self._commit(text, text.strip() == self._value.strip())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.send_again()
        if not self._put_back(event):
            super().keyPressEvent(event)


class TextArea(QPlainTextEdit, _PlanText):
    """Longer text; commits when the officer leaves it (or Ctrl+Enter). Tab moves on."""

    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, accessible_name: str = "", lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        pass_plan_undo_through(self)
        if accessible_name:
            self.setAccessibleName(accessible_name)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)
        self.setMaximumHeight(max(height * 3, 240))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._preferred_height = height

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self._preferred_height)

    def _shown(self) -> str:
        return self.toPlainText()

    def _show(self, text: str) -> None:
        self.setPlainText(text)  # laying out the text again is the costly part: set_value does it only on a change

    def finish(self) -> None:
        if self.isReadOnly():
            return
        text = self.toPlainText()
        self._commit(text, text == self._value)

    def focusOutEvent(self, event: object) -> None:  # noqa: N802
        self.finish()
        super().focusOutEvent(event)  # type: ignore[arg-type]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.send_again()
            self.finish()
            return
        if not self._put_back(event):
            super().keyPressEvent(event)


class NameCombo(QComboBox):
    """Pick a name from the list or type a new one (a new person or department is added)."""

    committed = Signal(str)

    def __init__(self, accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self._names = QStringListModel(self)
        self._name_list: list[str] = []
        self.setModel(self._names)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self._value = ""
        self._pending: object = _NOTHING
        if accessible_name:
            self.setAccessibleName(accessible_name)
            line = self.lineEdit()
            if line is not None:
                line.setAccessibleName(accessible_name)
        line = self.lineEdit()
        assert line is not None
        line.editingFinished.connect(self._finish)
        line.installEventFilter(self)
        pass_plan_undo_through(line)
        self.activated.connect(lambda _index: self._finish())

    def send_again(self) -> None:
        """Enter pressed: a name sent before and refused (the server was away…) is sent again."""
        self._pending = _NOTHING

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.lineEdit()
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.send_again()
        return super().eventFilter(watched, event)

    def set_names(self, names: list[str]) -> None:
        # Compared with a Python copy: reading 20,000 refs back out of Qt costs more than the check.
        if names != self._name_list:
            current = self.currentText()
            self._name_list = list(names)
            self._names.setStringList(names)
            self.setEditText(current)

    def set_value(self, value: str) -> None:
        self._value = value or ""
        self._pending = _NOTHING
        if self.currentText() != self._value:
            self.setEditText(self._value)

    def value(self) -> str:
        return self._value

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        self.setEnabled(not read_only)

    def _finish(self) -> None:
        if not self.isEnabled():
            return
        text = self.currentText().strip()
        if text == self._value or text == self._pending:
            return
        self._pending = text
        self.committed.emit(text)


class ChoiceCombo(QComboBox):
    """A fixed list (status, confidence, type…): shows labels, commits the value behind them."""

    committed = Signal(object)

    def __init__(
        self, choices: list[tuple[str, object]], accessible_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        for label, value in choices:
            self.addItem(label, value)
        self._value: object = choices[0][1] if choices else None
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self.activated.connect(self._finish)

    def set_value(self, value: object) -> None:
        self._value = value
        # findData cannot find None, and 1 == True in Python: compare item by item, type too.
        for index in range(self.count()):
            data = self.itemData(index)
            if data == value and type(data) is type(value):
                self.setCurrentIndex(index)
                return
        self.setCurrentIndex(0)

    def value(self) -> object:
        return self.currentData()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        self.setEnabled(not read_only)

    def _finish(self, _index: int) -> None:
        chosen = self.currentData()
        if chosen != self._value:
            self.committed.emit(chosen)


class PercentSpin(QSpinBox):
    """0–100 %, committed on Enter or leaving the field."""

    committed = Signal(int)

    def __init__(self, accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 100)
        self.setSuffix(" %")
        self.setAccelerated(True)
        self.setMaximumWidth(110)
        pass_plan_undo_through(self.lineEdit())
        self._value = 0
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self.editingFinished.connect(self._finish)

    def set_value(self, value: int) -> None:
        self._value = value
        if self.value() != value:
            self.blockSignals(True)
            self.setValue(value)
            self.blockSignals(False)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        # No arrows and the greyed box of a read-only line: a locked number must not look editable.
        super().setReadOnly(read_only)
        self.setButtonSymbols(
            QAbstractSpinBox.ButtonSymbols.NoButtons if read_only else QAbstractSpinBox.ButtonSymbols.UpDownArrows
        )
        line = self.lineEdit()
        if line is not None:
            line.setReadOnly(read_only)
            repolish(line)
        repolish(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.isReadOnly():
            # Made read-only before it was first shown, the number's box is laid out 1 pixel wide
            # (blank) under the style sheet; laying it out again as editable, then locked, shows it.
            self.setReadOnly(False)
            self.setReadOnly(True)

    def _finish(self) -> None:
        if self.isReadOnly():
            return
        if self.value() != self._value:
            self.committed.emit(self.value())


def being_typed_in(editor: QWidget) -> bool:
    """Has the officer the keyboard in this editor, with text typed that is not yet the plan's?"""
    focus = QApplication.focusWidget()
    if focus is None or not (focus is editor or editor.isAncestorOf(focus)):
        return False
    if isinstance(editor, DateField):
        return editor.text().strip() != british(editor.value())
    if isinstance(editor, _PlanText):
        return editor._shown() != editor.value()
    if isinstance(editor, NameCombo):
        return editor.currentText().strip() != editor.value()
    return False  # a choice is committed the moment it is made: nothing is ever half typed


class Field(QWidget):
    """An editor with room under it for the reason an edit was refused.

    The reason is one line, cut with "…" (the whole of it in the tooltip), so a long one never
    wraps and pushes the form about; with below=False (a toolbar) it is not shown under the
    editor at all, only as the red border, the tooltip and `shown` (the window's status bar).
    An edit another officer's change got in before is the exception (offer_theirs): it is said whole,
    wrapped, with their value offered, since the officer must choose.
    """

    shown = Signal(str)

    def __init__(
        self, editor: QWidget, parent: QWidget | None = None, target: QWidget | None = None, below: bool = True
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.target = target  # the widget to outline, when editor is a row of several
        self.below = below
        self._error = ""
        self.message = ElidedLabel("", self)
        self.message.setObjectName("fieldMessage")
        self.message.hide()
        self.conflict = ConflictOffer(self)
        self.conflict_version: int | None = None  # the version the refused edit was made against, while offered
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        layout.addWidget(self.conflict)
        self.setFocusProxy(editor)
        # Tab from the field reaches the offer's buttons (hidden, they are skipped).
        QWidget.setTabOrder(self.error_target(), self.conflict.use_button)
        QWidget.setTabOrder(self.conflict.use_button, self.conflict.save_button)
        rejected = getattr(editor, "rejected", None)
        if rejected is not None:
            rejected.connect(self.set_error)
        cancelled = getattr(editor, "cancelled", None)
        if cancelled is not None:
            cancelled.connect(self.clear_error)  # Escape gave the saved value back: nothing is wrong now

    def error_target(self) -> QWidget:
        if self.target is not None:
            return self.target.line if isinstance(self.target, DateField) else self.target
        if isinstance(self.editor, DateField):
            return self.editor.line
        return self.editor

    def set_error(self, message: str) -> None:
        """Show a refusal: red border, the reason under the field (one line), and as its tooltip."""
        text = as_sentence(message)
        self._error = text
        self.conflict.hide()  # a later refusal replaces the offer (its version is kept: theirs is still unseen)
        self.message.setText(as_sentence(headline(text)))  # cut to one line: what is wrong comes first
        self.message.setToolTip(text)
        self.message.setVisible(self.below)
        self.message.setAccessibleName(f"Error: {text}")
        target = self.error_target()
        set_error_look(target, True)
        target.setToolTip(text)
        self.shown.emit(text)

    def offer_theirs(self, message: str, version: int) -> None:
        """Another officer's change got in first: say it whole under the field, offering their value."""
        self.set_error(message)
        self.message.hide()  # the offer says it all, wrapped
        self.conflict.offer(self._error)
        self.conflict_version = version

    def clear_error(self) -> None:
        self.conflict.hide()
        self.conflict_version = None
        if not self._error:
            return
        self._error = ""
        self.message.setText("")
        self.message.hide()
        target = self.error_target()
        set_error_look(target, False)
        target.setToolTip("")

    def error_text(self) -> str:
        return self._error


def forget_typing(editor: QWidget) -> None:
    """Drop the box's own undo history (what it shows is now saved), so Ctrl+Z in it reaches the plan's Undo."""
    if isinstance(editor, DateField):
        editor = editor.line
    elif isinstance(editor, QComboBox) and editor.lineEdit() is not None:
        editor = editor.lineEdit()  # type: ignore[assignment]
    if isinstance(editor, QLineEdit):
        position = editor.cursorPosition()
        editor.setText(editor.text())  # setting the text clears the line's undo history
        editor.setCursorPosition(position)
    elif isinstance(editor, QPlainTextEdit):
        editor.document().clearUndoRedoStacks()
