"""Undo commands for the report's tables (meetings, implications, consultation evidence) and BVPI 157 services.

Their fields are changed by EditFields.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from egov_planner.model.entities import INTERACTION_TYPES
from egov_planner.model.records import ServiceRowRecord
from egov_planner.model.service.common import ReportRow
from egov_planner.ui.commands.base import AddCommand, DeleteCommand

if TYPE_CHECKING:
    from egov_planner.ui.document import PlanDocument


# --- meetings, other implications, consultation evidence (the report's tables) --------------------


class AddReportRowCommand(AddCommand[ReportRow]):
    """Add a meeting, an implication or a piece of consultation evidence."""

    def __init__(self, document: PlanDocument, kind: str, label: str, values: Mapping[str, Any]) -> None:
        add = partial(getattr(document.service, f"add_{kind}"), **values)
        super().__init__(document, f"add {kind} {label}".strip(), kind, add)


class DeleteReportRowCommand(DeleteCommand[ReportRow]):
    """Delete a meeting, an implication or a piece of consultation evidence; undo restores it."""

    def __init__(self, document: PlanDocument, kind: str, row_id: int, label: str) -> None:
        super().__init__(document, f"delete {kind} {label}".strip(), kind, row_id)


# --- BVPI 157 services ----------------------------------------------------------------------------


def service_row_label(service: str, interaction: int) -> str:
    """'Council Tax / Collecting revenue': how the Edit menu names a BVPI row."""
    return f"{service} / {INTERACTION_TYPES.get(interaction, str(interaction))}"


class AddServiceRowCommand(AddCommand[ServiceRowRecord]):
    """A new service x interaction row (its service added when new); undo deletes it, redo brings the same row back."""

    def __init__(self, document: PlanDocument, service: str, interaction: int, **values: Any) -> None:
        # values: permissible, reason, dates, channels, external, department, lgsl
        add = partial(document.service.add_service_row_named, service, interaction, **values)
        text = f"add BVPI row {service_row_label(service.strip(), interaction)}"
        super().__init__(document, text, "service_row", add)

    @property
    def row_id(self) -> int | None:
        """The new row's id, once added (the dialog selects it)."""
        return self.new_id


class DeleteServiceRowCommand(DeleteCommand[ServiceRowRecord]):
    """Delete one service x interaction row; undo restores it with every value (and the same id)."""

    def __init__(self, document: PlanDocument, row: ServiceRowRecord) -> None:
        text = f"delete BVPI row {service_row_label(row.service, row.interaction)}"
        super().__init__(document, text, "service_row", row.id)
