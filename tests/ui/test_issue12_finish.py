"""Issue 12, the last gaps: a print preview inside the program, objective titles at 1280 wide,
a date refusal that says what is wrong in the room it has, and Exempt in reach under an overdue verdict.

Each test drives real key presses or clicks and checks what is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_issue12_layout import CTRL, choose, laptop, type_due


def shown_in(view, index) -> str:  # type: ignore[no-untyped-def]
    """The text a tree row shows: its display text cut to the room its cell has on screen (less the icon)."""
    rect = view.visualRect(index).intersected(QRect(0, 0, view.viewport().width(), view.viewport().height()))
    icon = view.style().pixelMetric(view.style().PixelMetric.PM_SmallIconSize)
    room = rect.width() - icon - 12  # the icon's gap and the cell's margins
    return view.fontMetrics().elidedText(str(index.data()), Qt.TextElideMode.ElideRight, max(0, room))


# --- 2. the objectives tree at 1280 wide shows titles --------------------------------------------------


def test_at_1280_the_objectives_tree_shows_titles_and_keeps_the_count_in_the_tooltip(window, qtbot):
    laptop(window, qtbot)
    tree = window.plan_view.tree
    model = tree.model()
    top = model.index(0, 0)
    for row, objective in enumerate(window.document.snapshot.objectives):
        index = model.index(row, 0, top)
        opening = objective.title[:6]  # some of the title itself, not just "O1 …"
        assert f"{objective.ref}  {opening}" in shown_in(tree, index), (shown_in(tree, index), tree.width())
        count = sum(1 for a in window.document.snapshot.actions if a.objective_id == objective.id)
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        assert objective.title in tip and f"{count} action{'' if count == 1 else 's'}" in tip
    # On a wider screen the Actions column comes back beside the titles.
    window.resize(1920, 1080)
    window.plan_view.fit_panels(1920)
    qtbot.wait(20)
    assert not tree.isColumnHidden(1), (tree.width(), window.plan_view.splitter.sizes())
    assert model.index(0, 1, top).data() is not None


# --- 3. a date refusal under Due leads with what is wrong -----------------------------------------------


def test_a_date_that_does_not_exist_says_so_first_in_the_line_under_due(window, qtbot):
    laptop(window, qtbot)
    choose(window, "A1.2")
    type_due(window, qtbot, "31/02/2004")
    field = window.plan_view.detail.fields["due"]
    qtbot.waitUntil(field.message.isVisible, timeout=10000)
    shown = field.message.shown_text()
    assert shown.startswith("Not a date"), shown
    assert "31/02/2004" in field.error_text() and "February 2004 has 29 days" in field.error_text()
    assert field.message.toolTip() == field.error_text() == field.editor.line.toolTip()
    assert "February 2004 has 29 days" in window.statusBar().currentMessage()


# --- 4. under an overdue verdict the last field, Exempt, is in sight or a scroll away -----------------------


def test_exempt_is_in_reach_under_a_long_overdue_explanation_at_1280(window, qtbot):
    laptop(window, qtbot)
    detail = window.plan_view.detail
    choose(window, "A1.2")  # overdue: a verdict, dates and a two-line title above the tabs
    qtbot.wait(20)
    verdict = detail.verdict
    assert verdict.text() and verdict.height() <= 2 * verdict.fontMetrics().lineSpacing() + 6
    assert "Overdue" in verdict.toolTip()
    exempt = detail.exempt_combo
    # From the keyboard: Alt+X (the label's mnemonic) goes to Exempt and scrolls it into sight.
    detail.title_edit.setFocus()
    qtbot.keyClick(detail.title_edit, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is exempt, timeout=10000)
    qtbot.wait(20)
    viewport = detail.details_scroll.viewport()
    top_left = exempt.mapTo(viewport, exempt.rect().topLeft())
    assert top_left.y() >= 0 and top_left.y() + exempt.height() <= viewport.height()
    assert exempt.visibleRegion().boundingRect().height() == exempt.height()
    # And the tabs keep most of the panel: the heading and notes above them take less than a third.
    assert detail.tabs.height() >= 2 * detail.height() // 3


# --- 10. a print preview of the pack, in the program ----------------------------------------------------


def test_preview_shows_the_pack_in_a_print_preview_with_its_pages_and_saves_nothing(window, qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    output = tmp_path / "June cabinet.pdf"
    dialog.output.selectAll()
    qtbot.keyClicks(dialog.output, str(output))
    opened = []
    dialog.open_pdf = opened.append  # the officer's own viewer is not used for a preview
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None or bool(dialog.error_text), timeout=60000)
    assert not dialog.error_text
    preview = dialog.preview_dialog
    assert isinstance(preview, QPrintPreviewDialog)
    qtbot.waitUntil(preview.isVisible, timeout=5000)
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == dialog.preview_pages > 1, timeout=20000)
    assert "preview" in preview.windowTitle().lower() and output.stem in preview.windowTitle()
    assert not output.exists() and not opened  # nothing written where the pack will go; no outside viewer
    assert not list(output.parent.glob("*.pdf"))
    assert "Nothing is saved" in dialog.status.text() and f"{dialog.preview_pages} pages" in dialog.status.text()
    # Page on with the keyboard, as in any viewer: the next page is shown; the last; zoom in.
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: widget.currentPage() == 2, timeout=10000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End, CTRL)
    qtbot.waitUntil(lambda: widget.currentPage() == dialog.preview_pages, timeout=10000)
    zoom = widget.zoomFactor()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Plus, CTRL)
    assert widget.zoomFactor() > zoom
    # Ctrl+P from the preview prints (the printer dialog is not driven here: it is the system's).
    printed = []
    preview.print_pack = lambda: printed.append(True)  # type: ignore[method-assign]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, CTRL)
    assert printed
    preview.close()
