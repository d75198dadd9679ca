"""Build pack: the officer chooses the timeline's paper and scale, and the printed sheets are on it."""

from __future__ import annotations

from datetime import date

import pdfplumber
from PySide6.QtCore import Qt


def test_the_timeline_is_built_on_a3_at_the_scale_chosen(window, qtbot, prompts, tmp_path):  # type: ignore[no-untyped-def]
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    dialog.timeline.setChecked(True)
    assert dialog.paper.isEnabled() and dialog.scale.isEnabled()
    dialog.paper.setCurrentIndex(dialog.paper.findData("a3"))
    dialog.scale.setCurrentIndex(dialog.scale.findData("quarters"))
    dialog.output.setText(str(tmp_path / "wall chart.pdf"))
    dialog.as_of.set_value(date(2004, 1, 12))
    prompts.answers = [False]
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_path is not None or bool(dialog.error_text), timeout=60000)
    assert dialog.error_text == ""
    with pdfplumber.open(tmp_path / "wall chart.pdf") as pdf:
        assert {(round(p.width), round(p.height)) for p in pdf.pages} == {(1191, 842)}  # A3 landscape
        assert "Timeline by quarters" in pdf.pages[0].extract_text()


def test_the_exceptions_report_has_no_timeline_to_choose_paper_for(window):  # type: ignore[no-untyped-def]
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    dialog.exceptions.setChecked(True)
    assert not dialog.paper.isEnabled() and not dialog.scale.isEnabled()
    dialog.cabinet.setChecked(True)  # the cabinet pack's Timeline appendix
    assert dialog.paper.isEnabled()
