"""Building a pack in the window lists what to check before it is issued (reports/checks.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt


def build_pack(window, qtbot, prompts, path, as_of):  # type: ignore[no-untyped-def]
    dialogs = []
    window.exec_build_dialog = dialogs.append
    window.build_pack_action.trigger()
    dialog = dialogs[0]
    dialog.output.setText(str(path))
    dialog.as_of.set_value(as_of)
    prompts.answers = [False]  # do not open the PDF viewer in a test
    qtbot.mouseClick(dialog.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_path is not None or bool(dialog.error_text), timeout=60000)
    assert dialog.error_text == ""
    return dialog


def test_a_pack_after_its_meetings_is_built_and_the_message_says_which(window, qtbot, prompts, tmp_path):  # type: ignore[no-untyped-def]
    dialog = build_pack(window, qtbot, prompts, tmp_path / "june.pdf", date(2004, 6, 1))
    assert (tmp_path / "june.pdf").exists()
    title, message = prompts.asked[-1].split(": ", 1)
    assert title == "Report pack built — check before issuing"
    assert (
        "Check before it is issued:\n• The pack is as at 01/06/2004, after its meetings (Finance, Resources and "
        "Equal Opportunities Scrutiny 22/01/2004; Cabinet 02/02/2004)"
    ) in message
    assert message.endswith("Open it now?")
    assert "with 1 warning" in dialog.status.text()


def test_a_pack_before_its_meetings_has_no_warning(window, qtbot, prompts, tmp_path):  # type: ignore[no-untyped-def]
    dialog = build_pack(window, qtbot, prompts, tmp_path / "january.pdf", date(2004, 1, 12))
    assert dialog.result_warnings == []
    assert prompts.asked[-1].startswith("Report pack built: The pack is ready")
    assert "Check before" not in prompts.asked[-1]


def test_the_officer_chooses_html_or_word_by_the_name_they_save_as(window, qtbot, prompts, tmp_path):  # type: ignore[no-untyped-def]
    for name, kind in (("For the website.html", "web page"), ("For ModernGov.DOCX", "Word document")):
        dialog = build_pack(window, qtbot, prompts, tmp_path / name, date(2004, 1, 12))
        assert dialog.result_path == tmp_path / name and (tmp_path / name).stat().st_size > 1000
        assert dialog.status.text() == f"Built {name}: a {kind}."
        assert prompts.asked[-1].startswith(f"Report pack built: The pack is ready: a {kind}.")
    # A name without one of the three endings is saved as a PDF, as before.
    dialog = build_pack(window, qtbot, prompts, tmp_path / "plain", date(2004, 1, 12))
    assert dialog.result_path == tmp_path / "plain.pdf"
