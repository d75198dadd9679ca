"""Undo commands for the report's tables (meetings, implications, consultation evidence) and BVPI 157 services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.records import ServiceRowRecord
from egov_planner.ui.commands.base import PlanCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- meetings, other implications, consultation evidence (the report's tables) --------------------

_ROW_METHODS = {
    "meeting": ("add_meeting", "update_meeting", "delete_meeting"),
    "implication": ("add_implication", "update_implication", "delete_implication"),
    "consultation": ("add_consultation", "update_consultation", "delete_consultation"),
}


class AddReportRowCommand(PlanCommand):
    """Add a meeting, an implication or a piece of consultation evidence."""

    def __init__(self, document: PlanDocument, kind: str, label: str, values: Mapping[str, Any]) -> None:
        super().__init__(document, f"add {kind} {label}".strip())
        self.kind = kind
        self.values = dict(values)
        self.row_id: int | None = None
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_row(self.kind, self.saved)
            return
        add = getattr(self.service, _ROW_METHODS[self.kind][0])
        self.row_id = add(**self.values)

    def undo_it(self) -> None:
        assert self.row_id is not None
        self.saved = getattr(self.service, _ROW_METHODS[self.kind][2])(self.row_id)


class EditReportRowCommand(PlanCommand):
    """Change a meeting, an implication or a piece of consultation evidence."""

    def __init__(
        self,
        document: PlanDocument,
        kind: str,
        row_id: int,
        label: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> None:
        super().__init__(document, f"change {kind} {label}".strip())
        self.kind = kind
        self.row_id = row_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        getattr(self.service, _ROW_METHODS[self.kind][1])(self.row_id, **self.after)

    def undo_it(self) -> None:
        getattr(self.service, _ROW_METHODS[self.kind][1])(self.row_id, **self.before)


class DeleteReportRowCommand(PlanCommand):
    """Delete a meeting, an implication or a piece of consultation evidence; undo restores it."""

    def __init__(self, document: PlanDocument, kind: str, row_id: int, label: str) -> None:
        super().__init__(document, f"delete {kind} {label}".strip())
        self.kind = kind
        self.row_id = row_id
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        self.saved = getattr(self.service, _ROW_METHODS[self.kind][2])(self.row_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_row(self.kind, self.saved)


# --- BVPI 157 services ----------------------------------------------------------------------------


class EditServiceRowCommand(PlanCommand):
    """Change one service x interaction row (permissible, dates, channels, external…)."""

    def __init__(
        self, document: PlanDocument, row_id: int, label: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        fields = ", ".join(name.replace("_on", "").replace("_", " ") for name in after)
        super().__init__(document, f"change {fields} of {label}")
        self.row_id = row_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_service_row(self.row_id, **self.after)

    def undo_it(self) -> None:
        self.service.update_service_row(self.row_id, **self.before)


class EditServiceCommand(PlanCommand):
    """Change a service's name, LGSL number or department (all its rows follow)."""

    def __init__(
        self, document: PlanDocument, service_id: int, name: str, before: Mapping[str, Any], after: Mapping[str, Any]
    ) -> None:
        fields = ", ".join(field.replace("_", " ") for field in after)
        super().__init__(document, f"change {fields} of service {name}")
        self.service_id = service_id
        self.before = dict(before)
        self.after = dict(after)

    def do(self) -> None:
        self.service.update_service(self.service_id, **self.after)

    def undo_it(self) -> None:
        self.service.update_service(self.service_id, **self.before)


def service_row_label(service: str, interaction: int) -> str:
    """'Council Tax / Collecting revenue': how the Edit menu names a BVPI row."""
    return f"{service} / {INTERACTION_TYPES.get(interaction, str(interaction))}"


class AddServiceRowCommand(PlanCommand):
    """A new service x interaction row (its service added when new); undo deletes it, redo brings the same row back."""

    def __init__(self, document: PlanDocument, service: str, interaction: int, **values: Any) -> None:
        super().__init__(document, f"add BVPI row {service_row_label(service.strip(), interaction)}")
        self.service_name = service
        self.interaction = interaction
        self.values = values  # permissible, reason, dates, channels, external, department, lgsl
        self.row_id: int | None = None
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        if self.saved is not None:
            self.service.restore_service_row(self.saved)
            return
        self.row_id = self.service.add_service_row_named(self.service_name, self.interaction, **self.values)

    def undo_it(self) -> None:
        assert self.row_id is not None
        self.saved = self.service.delete_service_row(self.row_id)


class DeleteServiceRowCommand(PlanCommand):
    """Delete one service x interaction row; undo restores it with every value (and the same id)."""

    def __init__(self, document: PlanDocument, row: ServiceRowRecord) -> None:
        super().__init__(document, f"delete BVPI row {service_row_label(row.service, row.interaction)}")
        self.row_id = row.id
        self.saved: dict[str, Any] | None = None

    def do(self) -> None:
        self.saved = self.service.delete_service_row(self.row_id)

    def undo_it(self) -> None:
        assert self.saved is not None
        self.service.restore_service_row(self.saved)
