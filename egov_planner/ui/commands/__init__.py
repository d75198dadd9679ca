"""One QUndoCommand class per kind of edit, grouped by area; every name is importable from here.

Each command's first redo() is the edit itself, done by PlanDocument.execute
*before* the push, so a refused edit never reaches the stack (see base.py).
"""

from egov_planner.ui.commands.actions import (
    AddActionCommand,
    AddDependencyCommand,
    AddProgressCommand,
    ChangeDependencyCommand,
    DeleteActionCommand,
    EditActionCommand,
    LinkExternalCommand,
    RemoveDependencyCommand,
    UnlinkExternalCommand,
    action_values,
)
from egov_planner.ui.commands.base import ACTION_FIELD_LABELS, PLAN_FIELD_LABELS, PlanCommand
from egov_planner.ui.commands.plan import (
    AddObjectiveCommand,
    DeleteObjectiveCommand,
    EditObjectiveCommand,
    EditPlanDetailsCommand,
)
from egov_planner.ui.commands.registers import (
    AddDepartmentCommand,
    AddExternalCommand,
    AddPersonCommand,
    DeleteDepartmentCommand,
    DeleteExternalCommand,
    DeletePersonCommand,
    EditExternalCommand,
    EditPersonCommand,
    RenameDepartmentCommand,
)
from egov_planner.ui.commands.report import (
    AddReportRowCommand,
    AddServiceRowCommand,
    DeleteReportRowCommand,
    DeleteServiceRowCommand,
    EditReportRowCommand,
    EditServiceCommand,
    EditServiceRowCommand,
    service_row_label,
)

__all__ = [
    "ACTION_FIELD_LABELS",
    "PLAN_FIELD_LABELS",
    "AddActionCommand",
    "AddDepartmentCommand",
    "AddDependencyCommand",
    "AddExternalCommand",
    "AddObjectiveCommand",
    "AddPersonCommand",
    "AddProgressCommand",
    "AddReportRowCommand",
    "AddServiceRowCommand",
    "ChangeDependencyCommand",
    "DeleteActionCommand",
    "DeleteDepartmentCommand",
    "DeleteExternalCommand",
    "DeleteObjectiveCommand",
    "DeletePersonCommand",
    "DeleteReportRowCommand",
    "DeleteServiceRowCommand",
    "EditActionCommand",
    "EditExternalCommand",
    "EditObjectiveCommand",
    "EditPersonCommand",
    "EditPlanDetailsCommand",
    "EditReportRowCommand",
    "EditServiceCommand",
    "EditServiceRowCommand",
    "LinkExternalCommand",
    "PlanCommand",
    "RemoveDependencyCommand",
    "RenameDepartmentCommand",
    "UnlinkExternalCommand",
    "action_values",
    "service_row_label",
]
