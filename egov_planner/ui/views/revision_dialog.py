"""A revised target date: the small dialog that asks why (and who agreed), and how the detail panel words dates.

Once a plan has been reported to committee, moving an action's target date is a revision
(DOMAIN.md "The committee cycle"): the reason is required, who agreed it is optional. The
dialog shows from → to and the slippage; Cancel keeps the old date. The edit itself is the
ordinary EditFields command carrying revision_reason / revision_agreed_by, so undo works as
for any field (and says what it undoes).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from egov_planner.model.cycle_text import slippage
from egov_planner.model.dates import british
from egov_planner.model.records import ActionRecord, PlanSnapshot
from egov_planner.model.rules import DEFERRED, DONE_STATUSES
from egov_planner.ui.document import PlanDocument
from egov_planner.ui.widgets.fields import Field
from egov_planner.ui.widgets.panels import dialog_buttons

REASON_LENGTH = 500  # a sentence or two: the reason is quoted in the pack's Appendix A


class RevisionDialog(QDialog):
    """'A1.4: target 30/04/2004 → 30/06/2004 (slipped 61 days)': the reason (required) and who agreed it."""

    def __init__(
        self,
        ref: str,
        from_due: date,
        to_due: date,
        last_report: str,
        original: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("revisionDialog")
        self.setWindowTitle(f"Revise the target date of {ref}")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The plan has been reported to committee ({last_report}), so a new target date is a revision: "
            "say why it moved, and who agreed it if anyone did."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.change_label = QLabel(
            f"<b>{ref}</b>: target {british(from_due)} → <b>{british(to_due)}</b> "
            f"({slippage((to_due - from_due).days)})"
        )
        self.change_label.setAccessibleName("Revision")
        layout.addWidget(self.change_label)
        if original is not None and original != from_due:
            earlier = QLabel(f"Original target {british(original)}: {slippage((to_due - original).days)} in all")
            earlier.setObjectName("muted")
            layout.addWidget(earlier)

        form = QFormLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason for the new target date")
        self.reason_edit.setMaxLength(REASON_LENGTH)
        self.reason_edit.setPlaceholderText("required, e.g. supplier delivered late")
        self.reason_field = Field(self.reason_edit)
        self.agreed_edit = QLineEdit()
        self.agreed_edit.setAccessibleName("Agreed by")
        self.agreed_edit.setMaxLength(200)
        self.agreed_edit.setPlaceholderText("optional, e.g. SRG 12/05/2004")
        reason_label = QLabel("&Reason")
        reason_label.setBuddy(self.reason_edit)
        agreed_label = QLabel("&Agreed by")
        agreed_label.setBuddy(self.agreed_edit)
        form.addRow(reason_label, self.reason_field)
        form.addRow(agreed_label, self.agreed_edit)
        layout.addLayout(form)
        buttons, self.ok_button = dialog_buttons(self, "Re&vise target date", self._accept_if_given)
        self.cancel_button = buttons.button(buttons.StandardButton.Cancel)
        self.cancel_button.setText("Cancel (keep " + british(from_due) + ")")
        layout.addWidget(buttons)
        self.reason_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    def _accept_if_given(self) -> None:
        if not self.reason_edit.text().strip():
            self.reason_field.set_error("give the reason for the new target date (it is reported to committee)")
            self.reason_edit.setFocus()
            return
        self.accept()

    def notes(self) -> dict[str, str]:
        return {
            "revision_reason": self.reason_edit.text().strip(),
            "revision_agreed_by": self.agreed_edit.text().strip(),
        }


def ask_revision(
    parent: QWidget | None, document: PlanDocument, record: ActionRecord, new_due: object
) -> dict[str, str] | None:
    """What a change of record's target date carries: {} when it is no revision, the notes, or None (cancelled)."""
    snapshot = document.snapshot
    if not snapshot.reports or not isinstance(new_due, date) or new_due == record.due:
        return {}
    last = snapshot.reports[-1]
    dialog = RevisionDialog(
        record.ref,
        record.due,
        new_due,
        f"last: {last.label}, as at {british(last.as_of)}",
        snapshot.original_due.get(record.id),
        parent,
    )
    return dialog.notes() if dialog.exec() == QDialog.DialogCode.Accepted else None


def target_dates_text(snapshot: PlanSnapshot, record: ActionRecord) -> str:
    """The original target, each revision (from → to, reason, agreed by) and the slippage; '' when never revised."""
    revisions = snapshot.revisions.get(record.id, ())
    original = snapshot.original_due.get(record.id)
    if not revisions and (original is None or original == record.due):
        return ""
    lines: list[str] = []
    if original is not None:
        lines.append(
            f"Original target {british(original)}; now {british(record.due)} ({slippage((record.due - original).days)})"
        )
    for item in revisions:
        agreed = f"; agreed by {item.agreed_by}" if item.agreed_by else ""
        lines.append(
            f"Revised {british(item.from_due)} → {british(item.to_due)} ({slippage(item.slip_days)}): "
            f"{item.reason}{agreed} — {item.by}, {british(item.at.date())}"
        )
    return "\n".join(lines)


def expected_passed_text(record: ActionRecord, status_date: date) -> str:
    """'Expected 01/03/2004 has passed' for an open action whose owner's expected date is before the status date."""
    if record.expected is None or record.status in DONE_STATUSES | {DEFERRED} or record.expected >= status_date:
        return ""
    return (
        f"Expected {british(record.expected)} has passed (position as at {british(status_date)}): "
        "ask the owner when it will now finish"
    )
