"""Add or edit an improvement objective: ref, title, description, lead, exempt paragraph."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from egov_planner.model.records import ObjectiveRecord
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.views.action_detail import EXEMPT_CHOICES
from egov_planner.ui.widgets.fields import ChoiceCombo, Field, NameCombo, TextArea, TextLine


class ObjectiveDialog(QDialog):
    """One objective's details; values() gives what update_objective/add_objective take."""

    def __init__(
        self, document: PlanDocument, objective: ObjectiveRecord | None, ref: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit objective" if objective else "Add objective")
        self.setMinimumWidth(560)
        self.ref = TextLine("Objective reference")
        self.ref.set_value(ref)
        self.title = TextLine("Objective title")
        self.title.set_value(objective.title if objective else "")
        self.title.setPlaceholderText("e.g. Promote the Council's web site")
        self.description = TextArea("Objective description", lines=4)
        self.description.set_value(objective.description if objective else "")
        self.lead = NameCombo("Lead officer")
        self.lead.set_names([p.name for p in document.snapshot.people if p.left_on is None])
        self.lead.set_value(objective.lead if objective else "")
        self.exempt = ChoiceCombo(EXEMPT_CHOICES, "Exempt paragraph")
        self.exempt.set_value(objective.exempt_paragraph if objective else None)
        self.title_field = Field(self.title)
        form = QFormLayout()
        for text, widget in (
            ("&Ref", self.ref),
            ("&Title", self.title_field),
            ("&Description", self.description),
            ("&Lead", self.lead),
            ("E&xempt", self.exempt),
        ):
            label = QLabel(text)
            label.setBuddy(widget.focusProxy() or widget if isinstance(widget, Field) else widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.title_field.set_error("the objective needs a title")
            self.title.setFocus()
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        return {
            "ref": self.ref.text().strip(),
            "title": self.title.text().strip(),
            "description": self.description.toPlainText(),
            "lead": self.lead.currentText().strip() or None,
            "exempt_paragraph": self.exempt.currentData(),
        }
