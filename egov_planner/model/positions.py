"""The plan's position as at a status date: the flagged actions, in the order every list uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from egov_planner.model.rules import ActionFacts, Flag, PlanAssessment, PlanFacts, sort_key


@dataclass(frozen=True, slots=True)
class FlaggedAction:
    ref: str
    title: str
    objective: str
    owner: str
    due: date
    flag: Flag
    days_overdue: int | None
    forecast: date
    reason: str
    action_id: int

    def as_json(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "title": self.title,
            "objective": self.objective,
            "owner": self.owner,
            "due": self.due.isoformat(),
            "flag": self.flag.value,
            "days_overdue": self.days_overdue,
            "forecast": self.forecast.isoformat(),
            "reason": self.reason,
        }


def flagged_actions(
    facts: PlanFacts,
    assessment: PlanAssessment,
    labels: dict[int, tuple[str, str, str]],
) -> list[FlaggedAction]:
    """Overdue, at-risk and due-soon actions: by flag (overdue first), then due date, then ref."""
    by_id: dict[int, ActionFacts] = {a.id: a for a in facts.actions}
    flagged = [a for a in assessment.actions.values() if a.flag is not None]
    flagged.sort(key=lambda a: sort_key(a, by_id[a.action_id]))
    items = []
    for result in flagged:
        action = by_id[result.action_id]
        title, objective, owner = labels.get(result.action_id, ("", "", ""))
        assert result.flag is not None
        items.append(
            FlaggedAction(
                ref=action.ref,
                title=title,
                objective=objective,
                owner=owner,
                due=action.due,
                flag=result.flag,
                days_overdue=result.days_overdue,
                forecast=result.forecast,
                reason=result.reason,
                action_id=action.id,
            )
        )
    return items
