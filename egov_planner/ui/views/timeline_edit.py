"""The timeline canvas's editing: drags (a bar's end, the bar, onto another bar to link) and keys.

Every edit goes through the tab that holds the canvas (TimelineHost), which makes it one undoable
command; a refused edit comes back as a notice at the bar it was made on.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, Qt, Signal, SignalInstance
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from egov_planner.model.timeline import Part, Row, RowKind, zoomed
from egov_planner.ui.views.timeline_paint import LABEL_WIDTH, ROW_HEIGHT, WEEK, Drag, TimelineCanvasBase


class TimelineHost(Protocol):
    """What the canvas asks of the tab that holds it (timeline.TimelineView), named here to keep the import one way."""

    editable: bool

    @property
    def status_message(self) -> SignalInstance: ...

    def toggle(self, row: Row) -> None: ...

    def change_dates(self, action_id: int, start: date | None, target: date | None, nudge: bool = False) -> bool: ...

    def add_link(self, predecessor_id: int, successor_id: int) -> bool: ...

    def zoom_changed(self) -> None: ...

    def tooltip_at(self, row: int, x: float) -> str: ...

    def dependency_menu(self, action_id: int) -> QMenu | None: ...


class TimelineCanvas(TimelineCanvasBase):
    """Paints the label column, the scale and the chart; turns mouse and keys into edits."""

    selected = Signal(int)  # an action chosen here
    open_action = Signal(int)

    def __init__(self, view: TimelineHost) -> None:
        assert isinstance(view, QWidget)  # the host is the tab widget that holds the canvas
        super().__init__(view)
        self.view: TimelineHost = view

    # --- the mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self.timeline is None:
            super().mousePressEvent(event)
            return
        self.clear_notice()
        self.link_from = None
        position = event.position()
        row = self.row_at(position.y())
        if not 0 <= row < len(self.timeline.rows):
            return
        self.set_current_row(row)
        found = self.timeline.rows[row]
        if found.is_header and (position.x() < LABEL_WIDTH or event.type() == QEvent.Type.MouseButtonDblClick):
            self.view.toggle(found)
            return
        hit = self.hit_at(position.x(), position.y())
        if hit is not None and hit.part is not Part.MILESTONE and self.view.editable:
            self.drag = Drag(hit, position.x(), position.x(), position.y())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        position = event.position()
        drag = self.drag
        if drag is None:
            hit = self.hit_at(position.x(), position.y())
            shape = Qt.CursorShape.ArrowCursor
            if hit is not None and self.view.editable and hit.part in (Part.END, Part.START):
                shape = Qt.CursorShape.SizeHorCursor
            elif hit is not None and self.view.editable and hit.part is Part.BODY:
                shape = Qt.CursorShape.SizeAllCursor
            self.viewport().setCursor(shape)
            return
        drag.x, drag.y = position.x(), position.y()
        if abs(drag.x - drag.press_x) >= 3 or self.row_at(drag.y) != drag.hit.row:
            drag.moved = True
        # Leaving the bar's row with its body in hand means linking it to the bar dropped on.
        drag.linking = drag.hit.part is Part.BODY and self.row_at(drag.y) != drag.hit.row
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag, self.drag = self.drag, None
        if drag is None or self.timeline is None:
            return
        self.viewport().update()
        if not drag.moved:
            return
        bar = self.timeline.bars.get(drag.hit.ident)
        if bar is None:
            return
        if drag.linking:
            target = self.timeline.bar_at_row(self.row_at(drag.y))
            if target is None:
                self.view.status_message.emit("Drop on another action's bar to make it wait on this one")
                return
            self.view.add_link(bar.action_id, target.action_id)
            return
        new_start, new_target = self.dragged_dates(drag, bar)
        if drag.hit.part is Part.END:
            self.view.change_dates(bar.action_id, None, new_target)
        elif drag.hit.part is Part.START:
            self.view.change_dates(bar.action_id, new_start, None)
        else:
            self.view.change_dates(bar.action_id, new_start, new_target)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.timeline is None:
            return
        row = self.row_at(event.position().y())
        found = self.timeline.rows[row] if 0 <= row < len(self.timeline.rows) else None
        if found is not None and found.is_header:
            if event.position().x() >= LABEL_WIDTH:
                self.view.toggle(found)
        elif found is not None and found.kind is RowKind.ACTION:
            self.open_action.emit(found.ident)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if steps:
                anchor = max(0.0, event.position().x() - LABEL_WIDTH)
                self.set_day_width(zoomed(self.day_width, steps), anchor)
                self.view.zoom_changed()
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - event.angleDelta().y())
            event.accept()
            return
        super().wheelEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        """Right-click on an action's row (or the Menu key): what it waits on and what waits on it."""
        if self.timeline is None:
            return
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            row = self.row_at(event.pos().y())
            if self.timeline.bar_at_row(row) is None:
                return
            self.set_current_row(row)
            self.show_dependency_menu(self.viewport().mapToGlobal(event.pos()))
        else:
            self.show_dependency_menu()
        event.accept()

    def show_dependency_menu(self, at: QPoint | None = None) -> None:
        """The selected action's dependency menu, at `at` or beside its bar's end."""
        action_id = self._selected_action()
        if action_id is None or self.timeline is None:
            return
        menu = self.view.dependency_menu(action_id)
        if menu is None:
            return
        if at is None:
            bar = self.timeline.bars[action_id]
            x = min(max(LABEL_WIDTH, self.x_of(bar.target + timedelta(days=1))), self.viewport().width() - 10)
            at = self.viewport().mapToGlobal(QPoint(int(x), int(self.row_top(bar.row) + ROW_HEIGHT)))
        menu.exec(at)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.view.tooltip_at(self.row_at(event.pos().y()), event.pos().x())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # --- the keyboard --------------------------------------------------------------------------------

    def set_current_row(self, row: int, tell: bool = True) -> None:
        timeline = self.timeline
        if timeline is None or not 0 <= row < len(timeline.rows):
            return
        changed = row != self.current_row
        self.current_row = row
        self.ensure_row_visible(row)
        self.viewport().update()
        found = timeline.rows[row]
        if changed and tell and found.kind is RowKind.ACTION:
            self.selected.emit(found.ident)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        timeline = self.timeline
        if timeline is None or not timeline.rows:
            super().keyPressEvent(event)
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        alt = Qt.KeyboardModifier.AltModifier
        row = max(0, self.current_row)
        found = timeline.rows[row] if self.current_row >= 0 else None
        if self.link_from is not None:
            self._link_key(key)
            return
        self.clear_notice()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not modifiers:
            self.set_current_row(row + (1 if key == Qt.Key.Key_Down else -1) if self.current_row >= 0 else 0)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown) and not modifiers:
            page = max(1, int(self.chart_height()) // ROW_HEIGHT - 1)
            target = row + (page if key == Qt.Key.Key_PageDown else -page)
            self.set_current_row(min(max(0, target), len(timeline.rows) - 1))
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not modifiers:
            self.set_current_row(0 if key == Qt.Key.Key_Home else len(timeline.rows) - 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and found is not None and found.is_header and not modifiers:
            if found.collapsed == (key == Qt.Key.Key_Right):
                self.view.toggle(found)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not modifiers:
            step = 40 if key == Qt.Key.Key_Right else -40
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + step)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and modifiers & shift and found is not None:
            bar = timeline.bars.get(found.ident) if found.kind is RowKind.ACTION else None
            if bar is None or not self.view.editable:
                return
            days = (WEEK if modifiers & alt else 1) * (1 if key == Qt.Key.Key_Right else -1)
            if modifiers & ctrl:
                self.view.change_dates(
                    bar.action_id, bar.start + timedelta(days=days), bar.target + timedelta(days=days), nudge=True
                )
            else:
                self.view.change_dates(bar.action_id, None, bar.target + timedelta(days=days), nudge=True)
        elif key == Qt.Key.Key_Space and found is not None and found.is_header:
            self.view.toggle(found)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and found is not None and found.kind is RowKind.ACTION:
            self.open_action.emit(found.ident)
        elif key == Qt.Key.Key_L and not modifiers and found is not None and found.kind is RowKind.ACTION:
            self.start_linking()
        elif (key == Qt.Key.Key_Menu and not modifiers) or (key == Qt.Key.Key_F10 and modifiers == shift):
            self.show_dependency_menu()
        else:
            super().keyPressEvent(event)

    def start_linking(self) -> None:
        """From the selected bar: Up/Down choose the action that waits on it, Enter links, Escape stops."""
        source = self._selected_action()
        if source is None or not self.view.editable or self.timeline is None:
            return
        self.link_from = source
        self.link_row = self.current_row
        ref = self.timeline.bars[source].ref
        self.view.status_message.emit(
            f"Linking from {ref}: Up/Down to the action that waits on it, Enter to link, Escape to stop"
        )
        self.viewport().update()

    def _link_key(self, key: int) -> None:
        timeline = self.timeline
        assert timeline is not None and self.link_from is not None
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.link_row = min(max(0, self.link_row + (1 if key == Qt.Key.Key_Down else -1)), len(timeline.rows) - 1)
            self.ensure_row_visible(self.link_row)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            source, self.link_from = self.link_from, None
            target = timeline.bar_at_row(self.link_row)
            if target is None:
                self.view.status_message.emit("Not linked: choose an action's row, not a heading")
            else:
                self.view.add_link(source, target.action_id)
        elif key == Qt.Key.Key_Escape:
            self.link_from = None
            self.view.status_message.emit("Linking stopped")
        self.viewport().update()
