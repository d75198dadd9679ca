"""Add a BVPI 157 row: a service (existing, or new with its department) × one interaction type.

Pressing Add writes the row at once as one undoable edit (AddServiceRowCommand).
A refusal — the service already has that interaction, not permissible without a
reason, a date that is not a date — is shown at the field it concerns, nothing
is saved, and the dialog stays open to correct it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from egov_planner.model.dates import DateError
from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.errors import PlanError
from egov_planner.ui.commands import AddServiceRowCommand
from egov_planner.ui.document import PlanDocument, field_of
from egov_planner.ui.views.action_detail import refusal_text
from egov_planner.ui.widgets.fields import ChoiceCombo, DateField, Field, NameCombo
from egov_planner.ui.widgets.panels import buddy_label, dialog_buttons

INTERACTION_CHOICES: list[tuple[str, object]] = [(f"{code}  {name}", code) for code, name in INTERACTION_TYPES.items()]
PERMISSIBLE_CHOICES: list[tuple[str, object]] = [("Yes", True), ("No – not legally permissible", False)]


@dataclass(frozen=True, slots=True)
class KnownService:
    """A service already in the plan, as the dialog offers it."""

    name: str
    department: str
    lgsl: int | None
    interactions: frozenset[int]


def known_services(document: PlanDocument) -> dict[str, KnownService]:
    """Services named by the plan's rows, by lower-case name."""
    found: dict[str, tuple[str, str, int | None, set[int]]] = {}
    for row in document.snapshot.service_rows:
        entry = found.setdefault(row.service.lower(), (row.service, row.department, row.lgsl, set()))
        entry[3].add(row.interaction)
    return {key: KnownService(name, dept, lgsl, frozenset(codes)) for key, (name, dept, lgsl, codes) in found.items()}


class ServiceRowDialog(QDialog):
    """Service, interaction, permissible (or why not), dates, channels, what it waits on."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None, service: str = "") -> None:
        super().__init__(parent)
        self.document = document
        self.added_row_id: int | None = None
        self.added_label = ""
        self.services = known_services(document)
        self._showing_known = False
        self.setWindowTitle("Add a BVPI 157 row")
        self.setMinimumWidth(620)

        self.service = NameCombo("Service")
        self.service.set_names(sorted((s.name for s in self.services.values()), key=str.lower))
        self.service.set_value(service)
        service_line = self.service.lineEdit()
        assert service_line is not None
        service_line.setPlaceholderText("Choose a service, or type the name of a new one")
        self.service_note = QLabel("")
        self.service_note.setObjectName("muted")
        self.department = NameCombo("Department of the new service")
        self.department.set_names([d.name for d in document.snapshot.departments])
        department_line = self.department.lineEdit()
        assert department_line is not None
        department_line.setPlaceholderText("The department that delivers the new service")
        self.lgsl = QLineEdit()
        self.lgsl.setAccessibleName("LGSL number of the new service")
        self.lgsl.setPlaceholderText("optional")
        self.lgsl.setMaximumWidth(110)
        self.interaction = ChoiceCombo(INTERACTION_CHOICES, "Interaction type")
        self.permissible = ChoiceCombo(PERMISSIBLE_CHOICES, "Legally permissible electronically")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason it is not legally permissible")
        self.reason.setPlaceholderText("Why it cannot lawfully be done electronically")
        self.enabled_on = DateField(allow_empty=True, accessible_name="e-enabled on")
        self.forecast_on = DateField(allow_empty=True, accessible_name="Forecast e-enabled date")
        self.channels = QLineEdit()
        self.channels.setAccessibleName("Channels")
        self.channels.setPlaceholderText("e.g. web; email; telephone")
        externals: list[tuple[str, object]] = [("(none)", "")]
        externals += [(e.name, e.name) for e in document.snapshot.externals]
        self.external = ChoiceCombo(externals, "Waits on external dependency")

        self.fields = {
            "service": Field(self.service),
            "department": Field(self.department),
            "lgsl": Field(self.lgsl),
            "interaction": Field(self.interaction),
            "permissible": Field(self.permissible),
            "reason": Field(self.reason),
            "enabled_on": Field(self.enabled_on),
            "forecast_on": Field(self.forecast_on),
            "channels": Field(self.channels),
            "external": Field(self.external),
        }
        service_box = QWidget()
        service_layout = QVBoxLayout(service_box)
        service_layout.setContentsMargins(0, 0, 0, 0)
        service_layout.setSpacing(2)
        service_layout.addWidget(self.fields["service"])
        service_layout.addWidget(self.service_note)
        new_service = QWidget()
        new_layout = QHBoxLayout(new_service)
        new_layout.setContentsMargins(0, 0, 0, 0)
        new_layout.addWidget(self.fields["department"], 1, Qt.AlignmentFlag.AlignTop)
        lgsl_label = buddy_label("&LGSL", self.lgsl)
        lgsl_label.setContentsMargins(8, 5, 0, 0)  # level with the text in the box beside it
        new_layout.addWidget(lgsl_label, 0, Qt.AlignmentFlag.AlignTop)
        new_layout.addWidget(self.fields["lgsl"], 0, Qt.AlignmentFlag.AlignTop)
        dates = QWidget()
        dates_layout = QHBoxLayout(dates)
        dates_layout.setContentsMargins(0, 0, 0, 0)
        dates_layout.addWidget(self.fields["enabled_on"], 1, Qt.AlignmentFlag.AlignTop)
        forecast_label = buddy_label("&Forecast", self.forecast_on)
        forecast_label.setContentsMargins(8, 5, 0, 0)
        dates_layout.addWidget(forecast_label, 0, Qt.AlignmentFlag.AlignTop)
        dates_layout.addWidget(self.fields["forecast_on"], 1, Qt.AlignmentFlag.AlignTop)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.labels: dict[str, QLabel] = {}
        for name, text, widget, buddy in (
            ("service", "&Service", service_box, self.service),
            ("department", "De&partment", new_service, self.department),
            ("interaction", "&Interaction type", self.fields["interaction"], self.interaction),
            ("permissible", "Legally per&missible", self.fields["permissible"], self.permissible),
            ("reason", "&Reason not", self.fields["reason"], self.reason),
            ("enabled_on", "e-&enabled on", dates, self.enabled_on),
            ("channels", "&Channels", self.fields["channels"], self.channels),
            ("external", "&Waits on", self.fields["external"], self.external),
        ):
            label = buddy_label(text, buddy)
            self.labels[name] = label
            form.addRow(label, widget)

        intro = QLabel(
            "One row counts one interaction type of one service towards BVPI 157. "
            "A row not legally permissible electronically counts in neither figure, but needs a reason."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.general_error = QLabel("")
        self.general_error.setObjectName("fieldMessage")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons, self.add_button = dialog_buttons(self, "&Add row", self.submit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self.service.currentTextChanged.connect(self._service_changed)
        self.permissible.currentIndexChanged.connect(self._permissible_changed)
        self.setTabOrder(self.service, self.department)
        self.setTabOrder(self.department, self.lgsl)
        self.setTabOrder(self.lgsl, self.interaction)
        self.setTabOrder(self.interaction, self.permissible)
        self.setTabOrder(self.permissible, self.reason)
        self.setTabOrder(self.reason, self.enabled_on)
        self.setTabOrder(self.enabled_on, self.forecast_on)
        self.setTabOrder(self.forecast_on, self.channels)
        self.setTabOrder(self.channels, self.external)
        self._service_changed(self.service.currentText())
        self._permissible_changed()
        self.service.setFocus()

    # --- what the officer sees as they fill it in ---------------------------------------------

    def known(self) -> KnownService | None:
        return self.services.get(self.service.currentText().strip().lower())

    def _service_changed(self, text: str) -> None:
        known = self.known()
        self.department.setEnabled(known is None)
        self.lgsl.setEnabled(known is None)
        if known is not None:
            self.department.setEditText(known.department)
            self.lgsl.setText("" if known.lgsl is None else str(known.lgsl))
            taken = ", ".join(str(code) for code in sorted(known.interactions))
            self.service_note.setText(f"In {known.department or 'no department'}; has interaction types {taken}")
            free = next((code for code in INTERACTION_TYPES if code not in known.interactions), None)
            if free is not None and self.interaction.currentData() in known.interactions:
                self.interaction.set_value(free)
        elif self._showing_known:
            self.department.setEditText("")
            self.lgsl.clear()
        if known is None:
            self.service_note.setText("A new service: give the department that delivers it" if text.strip() else "")
        self._showing_known = known is not None
        self.fields["service"].clear_error()

    def _permissible_changed(self, *_args: object) -> None:
        permissible = self.permissible.currentData() is not False
        self.reason.setEnabled(not permissible)
        if permissible:
            self.fields["reason"].clear_error()

    # --- adding -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any] | None:
        """What AddServiceRowCommand takes, or None after showing what is wrong at its field."""
        for field in self.fields.values():
            field.clear_error()
        self.general_error.hide()
        values: dict[str, Any] = {
            "permissible": self.permissible.currentData() is not False,
            "reason": self.reason.text().strip() if self.permissible.currentData() is False else "",
            "channels": self.channels.text().strip(),
            "external": self.external.currentData() or None,
        }
        ok = True
        for name, editor in (("enabled_on", self.enabled_on), ("forecast_on", self.forecast_on)):
            try:
                values[name] = editor.parsed()
            except DateError as error:
                self.fields[name].set_error(str(error))
                ok = False
        if self.known() is None:
            values["department"] = self.department.currentText().strip() or None
            lgsl = self.lgsl.text().strip()
            if lgsl:
                if not lgsl.isdigit():
                    self.fields["lgsl"].set_error(f"'{lgsl}' is not an LGSL number")
                    ok = False
                else:
                    values["lgsl"] = int(lgsl)
        if not ok:
            self.adjustSize()  # room for the reasons under the fields
        return values if ok else None

    def submit(self) -> None:
        """Add the row now (one undoable edit); on a refusal, say why at the field and stay open."""
        values = self.values()
        if values is None:
            return
        name = self.service.currentText().strip()
        known = self.known()
        if known is not None:
            name = known.name  # the plan's spelling, whatever case was typed
        interaction = int(self.interaction.currentData())
        command = AddServiceRowCommand(self.document, name, interaction, **values)
        error = self.document.execute(command)
        if error is not None:
            self.show_refusal(error)
            return
        self.added_row_id = command.row_id
        self.added_label = command.text()
        self.accept()

    def show_refusal(self, error: PlanError) -> None:
        field_name = field_of(error)
        field_name = {"name": "service"}.get(field_name or "", field_name)
        field = self.fields.get(field_name or "")
        if field is None:
            self.general_error.setText(f"Not saved: {refusal_text(error)}")
            self.general_error.show()
        else:
            field.set_error(refusal_text(error))
            field.editor.setFocus()
        self.adjustSize()

    def error_text(self, name: str) -> str:
        return self.fields[name].error_text()
