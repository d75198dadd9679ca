"""Report → Build pack: kind, Part II, status date, output file; built off the UI thread.

egov_planner.reports.build_report does the work on the thread pool while a
progress dialog shows its steps; when it is done the officer may open the file. The format is the save
field's extension: .pdf to print, .html for the council's website, .docx for the committee system.
Preview builds the printed (PDF) pack to a temporary file, reads it into memory, deletes the file and
shows its pages in a print preview inside the program (views/pack_preview.py).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.dates import british
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.prompts import Prompts, ending_in, save_path
from egov_planner.ui.shared_plan import plan_stem
from egov_planner.ui.widgets.fields import DateField, Field
from egov_planner.ui.widgets.panels import buddy_label, dialog_buttons
from egov_planner.ui.workers import TaskRunner

FORMATS = {".pdf": "PDF", ".html": "web page", ".docx": "Word document"}
# The printed timeline's paper and scale (report --paper, --scale): what the officer reads, what is passed on.
PAPERS = (("A4 landscape", "a4"), ("A3 landscape — more rows and more time on each sheet", "a3"))
SCALES: tuple[tuple[str, str | None], ...] = (
    ("The finest that fits the plan's span", None),
    ("Weeks", "weeks"),
    ("Months", "months"),
    ("Quarters", "quarters"),
    ("Financial years", "years"),
)
FILTERS = "PDF files (*.pdf);;Web pages, accessible HTML (*.html);;Word documents (*.docx)"


class BuildPackDialog(QDialog):
    """Choose what to print and where; build it in the background with progress; offer to open it."""

    def __init__(
        self,
        document: PlanDocument,
        runner: TaskRunner,
        prompts: Prompts,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        # Beside the plan file; a plan on a server has none, so the window's folder (the last used, or Documents).
        self.folder = document.path.parent if document.path is not None else (folder or Path.home())
        self.runner = runner
        self.prompts = prompts
        self.result_path: Path | None = None
        self.result_pages = 0
        self.result_warnings: list[str] = []
        self.error_text = ""
        self.progress: QProgressDialog | None = None
        self.setWindowTitle("Build the report pack")
        self.setMinimumWidth(620)

        self.cabinet = QRadioButton("&Cabinet report pack — the committee report with the plan and appendices")
        self.exceptions = QRadioButton("E&xceptions report — the overdue and at-risk actions, with a short cover")
        self.timeline = QRadioButton("&Timeline — the actions as bars over time, with their dependencies")
        self.cabinet.setChecked(True)
        self.part2 = QCheckBox("&Part II pack (not for publication): include the exempt items")
        exempt = sum(1 for a in document.snapshot.actions if a.exempt_paragraph) + sum(
            1 for o in document.snapshot.objectives if o.exempt_paragraph
        )
        self.part2.setToolTip(
            f"{exempt} exempt items in this plan. The public pack leaves them out and says so; "
            "the Part II pack carries them."
        )
        # The timeline's sheets (the Timeline pack, and the cabinet pack's Timeline appendix): paper and scale.
        self.paper = QComboBox()
        self.paper.setAccessibleName("Timeline paper")
        for words, key in PAPERS:
            self.paper.addItem(words, key)
        self.scale = QComboBox()
        self.scale.setAccessibleName("Timeline scale")
        for words, scale in SCALES:
            self.scale.addItem(words, scale)
        self.as_of = DateField(allow_empty=True, accessible_name="Position as at")
        self.as_of.set_value(document.snapshot.details.status_date)
        self.as_of.line.setPlaceholderText(f"the plan's status date ({british(document.status_date)})")
        self.as_of_field = Field(self.as_of)
        self.output = QLineEdit()
        self.output.setAccessibleName("Output file")
        self.output.setText(str(self._suggested_output()))
        self.output.setToolTip("End the name in .pdf to print, .html for the website or .docx for Word")
        self.output_field = Field(self.output)
        # The whole folder, said in words: the box itself scrolls to the file name and hides where it goes.
        self.folder_label = QLabel("")
        self.folder_label.setObjectName("muted")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName("Folder the pack is saved in")
        self.output.textChanged.connect(self._show_folder)
        self._show_folder()
        self.previewing = False
        self.preview_dialog: QDialog | None = None
        self.preview_pages = 0
        self.preview_name = ""
        self.preview_folder: Path | None = None
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        self.cabinet.toggled.connect(self._kind_changed)
        self.timeline.toggled.connect(self._kind_changed)
        self.part2.toggled.connect(self._kind_changed)
        self.exceptions.toggled.connect(self._timeline_choices)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        kind_box = QVBoxLayout()
        kind_box.addWidget(self.cabinet)
        kind_box.addWidget(self.exceptions)
        kind_box.addWidget(self.timeline)
        kind_box.addWidget(self.part2)
        form.addRow("Pack", kind_box)
        sheets = QHBoxLayout()
        sheets.addWidget(self.paper, 1)
        sheets.addWidget(buddy_label("Sca&le", self.scale))
        sheets.addWidget(self.scale, 1)
        form.addRow(buddy_label("Timeline pape&r", self.paper), sheets)
        form.addRow(buddy_label("Position &as at", self.as_of), self.as_of_field)
        row = QHBoxLayout()
        row.addWidget(self.output_field, 1, Qt.AlignmentFlag.AlignTop)
        row.addWidget(browse, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(buddy_label("Save &to", self.output), row)
        form.addRow("", self.folder_label)

        self.buttons, self.build_button = dialog_buttons(self, "B&uild pack", self.build, dismiss="Close")
        self.preview_button = self.buttons.addButton("Pre&view…", self.buttons.ButtonRole.ActionRole)
        self.preview_button.setToolTip(
            "See the printed pages here before saving: page through, zoom and print (Ctrl+P). Nothing is saved."
        )
        self.preview_button.clicked.connect(self.preview)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        heading = QLabel("Build the report pack")
        heading.setObjectName("panelTitle")
        hint = QLabel(
            "The pack is built from the plan as it is now, judged as at the date below. "
            "You can keep working while it is made."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _suggested_output(self) -> Path:
        document = self.document
        kind = "cabinet pack"
        if getattr(self, "exceptions", None) is not None and self.exceptions.isChecked():
            kind = "exceptions"
        elif getattr(self, "timeline", None) is not None and self.timeline.isChecked():
            kind = "timeline"
        part2 = " Part II" if getattr(self, "part2", None) is not None and self.part2.isChecked() else ""
        name = f"{plan_stem(document.store)} {kind}{part2} {document.status_date:%Y-%m-%d}{self._suffix()}"
        return self.folder / name

    def _suffix(self) -> str:
        """The format the officer chose by the save field's extension (PDF until they choose another)."""
        output = getattr(self, "output", None)
        suffix = Path(output.text().strip()).suffix.lower() if output is not None else ""
        return suffix if suffix in FORMATS else ".pdf"

    def _show_folder(self, *_args: object) -> None:
        text = self.output.text().strip()
        if not text:
            self.folder_label.setText("")
            return
        path = Path(text).expanduser()
        folder = path.parent if path.is_absolute() else (Path.cwd() / path).parent
        self.folder_label.setText(f"In the folder {folder}")
        self.output.setToolTip(str(path))

    def _kind_changed(self, *_args: object) -> None:
        current = Path(self.output.text())
        suggested_names = {
            f"{plan_stem(self.document.store)} {kind}{part2} {self.document.status_date:%Y-%m-%d}{suffix}"
            for kind in ("cabinet pack", "exceptions", "timeline")
            for part2 in ("", " Part II")
            for suffix in FORMATS
        }
        if current.name in suggested_names:  # only replace our own suggestion, never the officer's name
            self.output.setText(str(current.parent / self._suggested_output().name))

    def _timeline_choices(self, *_args: object) -> None:
        # The exceptions report has no timeline: its paper and scale would change nothing.
        for box in (self.paper, self.scale):
            box.setEnabled(not self.exceptions.isChecked())

    def _browse(self) -> None:
        chosen = save_path(self.prompts, "Save the report pack as", Path(self.output.text()), FILTERS, self._suffix())
        if chosen is not None:
            self.output.setText(str(chosen))

    def request(self) -> dict[str, Any] | None:
        """What to build, or None (with the reason shown at the field)."""
        self.as_of_field.clear_error()
        self.output_field.clear_error()
        try:
            as_of = self.as_of.parsed()
        except ValueError as error:
            self.as_of_field.set_error(str(error))
            return None
        text = self.output.text().strip()
        if not text:
            self.output_field.set_error("choose where to save the report (.pdf, .html or .docx)")
            return None
        typed = Path(text).expanduser()
        # The extension chooses the format; a name without one of ours is saved as a PDF.
        output = typed if typed.suffix.lower() in FORMATS else ending_in(typed, ".pdf")
        if output != typed:  # show the name it will be saved as
            self.output.setText(str(output))
        return {
            "kind": next(k for k, b in (("exceptions", self.exceptions), ("timeline", self.timeline),
                                        ("cabinet", self.cabinet)) if b.isChecked()),  # fmt: skip
            "part2": self.part2.isChecked(),
            "as_of": as_of,
            "output": output,
            "paper": self.paper.currentData(),
            "scale": self.scale.currentData(),
        }

    def preview(self) -> None:
        """The same pack built to a temporary file and opened to look at (and print) before it is saved."""
        request = self.request()
        if request is None:
            return
        # The printed pack whatever the chosen format; built beside nothing of the officer's, then read and deleted.
        self.preview_name = Path(request["output"]).stem
        self.preview_folder = Path(tempfile.mkdtemp(prefix="egov-planner preview "))
        request["output"] = self.preview_folder / f"{self.preview_name}.pdf"
        self.previewing = True
        self._start(request)

    def build(self) -> None:
        request = self.request()
        if request is None:
            return
        self.previewing = False
        self._start(request)

    def _start(self, request: dict[str, Any]) -> None:
        from egov_planner.reports import build_report
        from egov_planner.reports.timeline import SCALE_CHOICES

        service = self.document.service
        self.build_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.status.setText("Building…")
        progress = QProgressDialog("Building the report pack…", "", 0, 0, self)
        progress.setWindowTitle("Report pack")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.show()
        self.progress = progress
        as_of: date | None = request["as_of"]

        def work(report: Any) -> Any:
            return build_report(
                service.snapshot(),  # read here, on the worker thread, fresh from the plan
                request["output"],
                protect=service.store.path,
                kind=request["kind"],
                as_of=as_of,
                part2=request["part2"],
                paper=request["paper"],
                scale=SCALE_CHOICES[request["scale"]] if request["scale"] else None,
                progress=lambda done, total, message: report((done, total, message)),
            )

        self.runner.start(work, self._built, self._failed, self._progressed)

    def _progressed(self, step: Any) -> None:
        dialog = self.progress  # setValue on a modal progress dialog processes events: keep our own reference
        if dialog is None:
            return
        try:
            done, total, message = step
        except (TypeError, ValueError):
            return
        dialog.setLabelText(f"Building the report pack: {message}…")
        dialog.setMaximum(max(int(total), 1))
        dialog.setValue(min(int(done), int(total)))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.build_button.setEnabled(True)
        self.preview_button.setEnabled(True)

    def _built(self, result: Any) -> None:
        self._close_progress()
        if self.previewing:
            self._show_preview(Path(result.path))
            return
        self.result_path = Path(result.path)
        self.result_pages = int(result.pages)
        self.result_warnings = [str(w) for w in result.warnings]
        self.status.setText(f"Built {self.result_path.name}: {self._size(result)}.")
        message = f"The pack is ready: {self._size(result)}.\n{self.result_path}"
        if self.result_warnings:
            # Built all the same: the officer decides, but is told what is not true as at this date.
            listed = "\n".join(f"• {w[:1].upper()}{w[1:]}." for w in self.result_warnings)
            message += f"\n\nCheck before it is issued:\n{listed}"
            self.status.setText(
                f"Built {self.result_path.name}: {self._size(result)}, with "
                f"{len(self.result_warnings)} warning{'' if len(self.result_warnings) == 1 else 's'}."
            )
        if self.prompts.offer(
            "Report pack built" + (" — check before issuing" if self.result_warnings else ""),
            f"{message}\n\nOpen it now?",
            yes=f"Open the {FORMATS.get(self.result_path.suffix.lower(), 'PDF')}",
            no="Not now",
        ):
            self.open_pdf(self.result_path)
        self.accept()

    def _show_preview(self, built: Path) -> None:
        from egov_planner.ui.views.pack_preview import PackPreview  # pdfium loads on the first preview only

        try:
            pdf = built.read_bytes()
        finally:
            shutil.rmtree(built.parent, ignore_errors=True)  # the preview is in memory: nothing stays on disk
        preview = PackPreview(pdf, self.preview_name, self)
        self.preview_pages = preview.pages
        self.preview_dialog = preview
        self.status.setText(
            f"Preview: {self.preview_pages} page{'' if self.preview_pages == 1 else 's'}. "
            "Nothing is saved until you build the pack."
        )
        top = self.window().screen().availableGeometry() if self.window().screen() is not None else None
        if top is not None:
            preview.resize(min(1100, top.width() - 40), top.height() - 60)
        preview.finished.connect(lambda _result: self._preview_closed(preview))
        preview.open()  # window-modal, and nothing waits on it

    def _preview_closed(self, preview: QDialog) -> None:
        if self.preview_dialog is preview:
            self.preview_dialog = None
        preview.deleteLater()

    @staticmethod
    def _size(result: Any) -> str:
        """'12 pages' for a PDF; a web page or Word paper has no pages of its own until it is printed."""
        pages = int(result.pages)
        if not pages:
            return f"a {FORMATS.get(Path(result.path).suffix.lower(), 'file')}"
        return f"{pages} page{'' if pages == 1 else 's'}"

    def open_pdf(self, path: Path) -> None:
        """In the officer's own PDF viewer (tests replace this)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        if self.previewing and self.preview_folder is not None:
            shutil.rmtree(self.preview_folder, ignore_errors=True)  # the empty folder of a failed preview
        self.error_text = str(error)
        self.status.setText("")
        self.output_field.set_error(str(error))
