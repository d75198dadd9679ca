"""What one pack shows: the snapshot assessed once, filtered for a public or a Part II pack.

Exempt information (Schedule 12A to the Local Government Act 1972) is left out
of a public pack everywhere -- appendices, exceptions and counts -- and is all
a Part II pack carries. Everything is decided here, once, so no part of a pack
can disagree with another about what is exempt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from egov_planner.model.cycle import EXEMPT_REFS, ChangesSince, RevisionRecord, changes_since, reported_actions
from egov_planner.model.dates import british
from egov_planner.model.positions import FlaggedAction, flagged_actions
from egov_planner.model.records import ActionRecord, ExternalRecord, ObjectiveRecord, PlanDetails, PlanSnapshot
from egov_planner.model.rules import Assessment, Flag, PlanAssessment, Rag, assess_plan, roll_up

SCHEDULE_12A = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information).",
    4: "Information relating to any consultations or negotiations, or contemplated consultations or "
    "negotiations, in connection with any labour relations matter arising between the authority or a "
    "Minister of the Crown and employees of, or office holders under, the authority.",
    5: "Information in respect of which a claim to legal professional privilege could be maintained "
    "in legal proceedings.",
    6: "Information which reveals that the authority proposes (a) to give under any enactment a notice "
    "under or by virtue of which requirements are imposed on a person; or (b) to make an order or "
    "direction under any enactment.",
    7: "Information relating to any action taken or to be taken in connection with the prevention, "
    "investigation or prosecution of crime.",
}
EXCEPTION_FLAGS = (Flag.OVERDUE, Flag.AT_RISK)


def paragraphs_text(paragraphs: set[int] | list[int]) -> str:
    """'paragraph 3' / 'paragraphs 1 and 3' / 'paragraphs 1, 2 and 3'."""
    numbers = [str(p) for p in sorted(set(paragraphs))]
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    return f"paragraphs {', '.join(numbers[:-1])} and {numbers[-1]}"


def count_text(number: int, singular: str, plural: str | None = None) -> str:
    """'1 action', '3 actions'."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


@dataclass(slots=True)
class PackData:
    """The plan as one pack shows it (public, or Part II)."""

    snapshot: PlanSnapshot
    status_date: date
    assessment: PlanAssessment
    part2: bool
    exempt_actions: dict[int, int]  # action id -> Schedule 12A paragraph (its own or its objective's)
    exempt_objectives: dict[int, int]  # objective id -> paragraph
    objectives: list[ObjectiveRecord] = field(default_factory=list)
    actions_of: dict[int, list[ActionRecord]] = field(default_factory=dict)
    flagged: list[FlaggedAction] = field(default_factory=list)
    exempt_refs: set[str] = field(default_factory=set)
    externals_by_name: dict[str, ExternalRecord] = field(default_factory=dict)
    # Progress since the last report: None without one, or when it is not before this pack's status date.
    changes: ChangesSince | None = None

    @property
    def details(self) -> PlanDetails:
        return self.snapshot.details

    @property
    def actions(self) -> list[ActionRecord]:
        """The actions this pack shows, in plan order."""
        return [a for o in self.objectives for a in self.actions_of.get(o.id, [])]

    def assessed(self, action: ActionRecord) -> Assessment:
        return self.assessment.actions[action.id]

    def objective_rag(self, objective: ObjectiveRecord) -> Rag | None:
        """The objective's RAG over the actions this pack shows (rules.roll_up); None without actions."""
        actions = self.actions_of.get(objective.id, [])
        if not actions:
            return None
        return roll_up(self.assessed(a).rag for a in actions)

    def counts_by_rag(self) -> Counter[Rag]:
        return Counter(self.assessed(a).rag for a in self.actions)

    def is_hidden(self, action_id: int) -> bool:
        """True when this pack must not name the action (an exempt one in a public pack)."""
        return not self.part2 and action_id in self.exempt_actions

    @property
    def hidden_summary(self) -> tuple[int, int, set[int]]:
        """(exempt objectives, exempt actions, paragraphs) left out of a public pack."""
        paragraphs = set(self.exempt_actions.values()) | set(self.exempt_objectives.values())
        return len(self.exempt_objectives), len(self.exempt_actions), paragraphs

    def exempt_statement(self) -> str:
        """The public pack's line on what it leaves out, or '' when nothing is exempt."""
        objectives, actions, paragraphs = self.hidden_summary
        if not objectives and not actions:
            return ""
        parts = []
        if objectives:
            parts.append(count_text(objectives, "improvement objective"))
        if actions:
            parts.append(count_text(actions, "action"))
        verb = "is" if objectives + actions == 1 else "are"
        return (
            f"{' and '.join(parts)} {verb} exempt information under {paragraphs_text(paragraphs)} of Part 1 of "
            "Schedule 12A to the Local Government Act 1972 and "
            f"{'is' if objectives + actions == 1 else 'are'} not included in this report or its figures; "
            f"{'it is' if objectives + actions == 1 else 'they are'} reported separately in Part II "
            "(not for publication)."
        )

    def latest_revision(self, action_id: int) -> RevisionRecord | None:
        """The action's latest revised target date (why and who agreed it), or None."""
        revisions = self.snapshot.revisions.get(action_id, ())
        return max(revisions, key=lambda r: (r.at, r.id)) if revisions else None

    def external(self, name: str) -> ExternalRecord | None:
        return self.externals_by_name.get(name)

    def reason(self, item: FlaggedAction | Assessment) -> str:
        """The rules' reason, except that a public pack does not name an exempt predecessor."""
        assessment = item if isinstance(item, Assessment) else self.assessment.actions[item.action_id]
        if not self.part2 and assessment.driver in self.exempt_refs:
            return "waits on an exempt item (reported in Part II)"
        return assessment.reason

    def depends_on(self, action: ActionRecord) -> list[str]:
        """Predecessors (type and lag) and external dependencies, as the pack prints them."""
        lines = []
        for link in action.predecessors:
            if self.is_hidden(link.predecessor_id):
                lines.append("an exempt item (Part II)")
            else:
                lines.append(link.as_text)
        for name in action.externals:
            external = self.external(name)
            if external is not None and external.delivered_on:
                lines.append(f"{name} (delivered {british(external.delivered_on)})")
            elif external is not None and external.expected_on:
                lines.append(f"{name} (expected {british(external.expected_on)})")
            else:
                lines.append(name)
        return lines


def prepare(snapshot: PlanSnapshot, status_date: date, part2: bool) -> PackData:
    """Assess the plan once at status_date and choose what a public or Part II pack shows."""
    details = snapshot.details
    facts = snapshot.facts()
    assessment = assess_plan(facts, status_date, details.due_soon_days)
    exempt_objectives = {o.id: o.exempt_paragraph for o in snapshot.objectives if o.exempt_paragraph}
    exempt_actions: dict[int, int] = {}
    for action in snapshot.actions:
        paragraph = action.exempt_paragraph or exempt_objectives.get(action.objective_id)
        if paragraph:
            exempt_actions[action.id] = paragraph
    data = PackData(snapshot, status_date, assessment, part2, exempt_actions, exempt_objectives)
    data.exempt_refs = {a.ref for a in snapshot.actions if a.id in exempt_actions}
    data.externals_by_name = {e.name: e for e in snapshot.externals}

    by_objective: dict[int, list[ActionRecord]] = {}
    for action in snapshot.actions:
        if (action.id in exempt_actions) == part2:
            by_objective.setdefault(action.objective_id, []).append(action)
    for objective in snapshot.objectives:
        exempt = objective.id in exempt_objectives
        if part2 and (exempt or objective.id in by_objective) or not part2 and not exempt:
            data.objectives.append(objective)
    data.actions_of = {o.id: by_objective.get(o.id, []) for o in data.objectives}

    shown = {a.id for a in data.actions}
    labels = {a.id: (a.title, a.objective_ref, a.owner) for a in snapshot.actions}
    data.flagged = [
        item
        for item in flagged_actions(facts, assessment, labels)
        if item.action_id in shown and item.flag in EXCEPTION_FLAGS
    ]
    data.changes = since_last_report(data)
    return data


def since_last_report(data: PackData) -> ChangesSince | None:
    """What changed since the plan's last recorded report, over the actions this pack may name.

    The plan now is judged by the assessment the pack already made (cycle.reported_actions), and compared
    with cycle.changes_since, the rules `changes` uses. A public pack never names an exempt action (nor
    calls it removed); a Part II pack names the exempt ones alone.
    """
    snapshot = data.snapshot
    report = snapshot.last_report
    if report is None or report.header.as_of >= data.status_date:
        return None
    shown = data.actions
    shown_refs = {a.ref for a in shown}
    current_refs = {a.ref for a in snapshot.actions}
    exempt_objective_refs = {o.ref for o in snapshot.objectives if o.exempt_paragraph}

    reported_exempt = report.text.get(EXEMPT_REFS)

    def may_name(ref: str, objective_ref: str) -> bool:
        if ref in current_refs:
            return ref in shown_refs
        if isinstance(reported_exempt, list):  # gone from the plan: exempt as the report held it
            return (ref in reported_exempt) == data.part2
        # A report recorded before it kept that: judged by the objective it was under, still known.
        return (objective_ref in exempt_objective_refs) == data.part2

    then = replace(report, actions=tuple(a for a in report.actions if may_name(a.ref, a.objective_ref)))
    reasons: dict[str, str] = {}
    for action in shown:
        revision = data.latest_revision(action.id)
        if revision is not None:
            reasons[action.ref] = revision.reason
    return changes_since(then, reported_actions(shown, data.assessment), data.status_date, reasons)
