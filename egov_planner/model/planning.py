"""Small planning decisions every face makes the same way (no Qt, no clock unless asked).

Which date a position is reported as at, the ref a new action gets, when it is due,
and the ref suggested for a new objective: the window, the command line and the
pack read them here, so they cannot drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from egov_planner.model.dates import clamp_to_range

if TYPE_CHECKING:  # only for hints: the command line imports this before anything heavy
    from egov_planner.model.records import PlanSnapshot


def status_date(plan_date: date | None, requested: date | None = None, today: date | None = None) -> date:
    """The date asked for, else the plan's status date, else today (the clock is read only then)."""
    return requested or plan_date or (today if today is not None else date.today())


def next_action_ref(snapshot: PlanSnapshot, objective_id: int) -> str:
    """'A3.5' for the fifth action of O3: the objective's number, then the next number not yet taken."""
    objective = next((o for o in snapshot.objectives if o.id == objective_id), None)
    refs = {a.ref for a in snapshot.actions}
    stem = objective.ref.lstrip("Oo") if objective else ""
    stem = stem if stem.isdigit() else str(objective_id)
    number = sum(1 for a in snapshot.actions if a.objective_id == objective_id) + 1
    while f"A{stem}.{number}" in refs:
        number += 1
    return f"A{stem}.{number}"


def default_due_date(status: date) -> date:
    """A month after the status date (the 29th-31st become the 28th, so every month has the day).

    Clamped to the accepted dates: a status date at the end of the range (or past
    it, stored by an older version) must not overflow.
    """
    status = clamp_to_range(status.replace(day=min(status.day, 28)))
    return clamp_to_range(date(status.year + status.month // 12, status.month % 12 + 1, status.day))


def next_objective_ref(snapshot: PlanSnapshot) -> str:
    """'O8' when O1-O7 exist: one more than the highest numbered objective."""
    numbers = [int(o.ref[1:]) for o in snapshot.objectives if o.ref[1:].isdigit()]
    return f"O{max(numbers, default=0) + 1}"
