"""The window's undo commands, grouped by area; every name is importable from here.

Changing fields of any record is one command, EditFields (fields.py); the other
commands add, delete, link or report progress. Each command's first redo() is the
edit itself, done by PlanDocument.execute *before* the push, so a refused edit
never reaches the stack (see base.py).
"""

from egov_planner.ui.commands.actions import (
    AddActionCommand,
    AddDependencyCommand,
    AddProgressCommand,
    ChangeDependencyCommand,
    DeleteActionCommand,
    LinkExternalCommand,
    RemoveDependencyCommand,
    UnlinkExternalCommand,
)
from egov_planner.ui.commands.base import (
    ACTION_FIELD_LABELS,
    PLAN_FIELD_LABELS,
    AddCommand,
    DeleteCommand,
    PlanCommand,
)
from egov_planner.ui.commands.fields import EditFields, edits_of
from egov_planner.ui.commands.plan import AddObjectiveCommand, DeleteObjectiveCommand
from egov_planner.ui.commands.registers import (
    AddDepartmentCommand,
    AddExternalCommand,
    AddPersonCommand,
    DeleteDepartmentCommand,
    DeleteExternalCommand,
    DeletePersonCommand,
)
from egov_planner.ui.commands.report import (
    AddReportRowCommand,
    AddServiceRowCommand,
    DeleteReportRowCommand,
    DeleteServiceRowCommand,
    service_row_label,
)

# The names the views call field edits by: each makes an EditFields for its kind of record.
EditActionCommand = EditFields.of_action
EditPlanDetailsCommand = EditFields.of_plan
EditObjectiveCommand = edits_of("objective")
EditExternalCommand = edits_of("external")
EditPersonCommand = EditFields.of_person
RenameDepartmentCommand = EditFields.of_department
EditReportRowCommand = EditFields.of_record  # (document, "meeting", id, label, before, after)
EditServiceRowCommand = edits_of("service_row")
EditServiceCommand = edits_of("service")

__all__ = [
    "ACTION_FIELD_LABELS",
    "PLAN_FIELD_LABELS",
    "AddActionCommand",
    "AddCommand",
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
    "DeleteCommand",
    "DeleteDepartmentCommand",
    "DeleteExternalCommand",
    "DeleteObjectiveCommand",
    "DeletePersonCommand",
    "DeleteReportRowCommand",
    "DeleteServiceRowCommand",
    "EditActionCommand",
    "EditExternalCommand",
    "EditFields",
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
    "service_row_label",
]
