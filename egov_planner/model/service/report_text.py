"""The plan's details and its report text: meetings, other implications, consultation evidence."""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from sqlalchemy.orm import Session

from egov_planner.model import queries
from egov_planner.model.entities import (
    ConsultationEvidence,
    Meeting,
    Meta,
    OtherImplication,
    Plan,
)
from egov_planner.model.records import (
    PLAN_TEXT_FIELDS,
    ConsultationRecord,
    ImplicationRecord,
    MeetingRecord,
    PlanDetails,
)
from egov_planner.model.service.change_sets import ConsultationChanges, ImplicationChanges, MeetingChanges, PlanChanges
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
    ReportRow,
)
from egov_planner.model.service.unit_of_work import Area, as_record, given
from egov_planner.model.validation import (
    check_agenda_item,
    check_background_papers,
    check_date,
    check_due_soon_days,
    check_respondents,
    check_yes_no,
    clean,
    required_text,
)

COMMITTEE = "the committee's name"
TOPIC = "the implication's topic, e.g. Equal Opportunities"

# Which table a deleted report row goes back into, by its record's type.
_REPORT_ROWS: dict[type, tuple[Any, ChangeKind]] = {
    MeetingRecord: (Meeting, ChangeKind.MEETING),
    ImplicationRecord: (OtherImplication, ChangeKind.IMPLICATION),
    ConsultationRecord: (ConsultationEvidence, ChangeKind.CONSULTATION),
}


class ReportText(Area):
    """The plan's details and its report text: meetings, other implications, consultation evidence."""

    def update_plan(self, expected_version: int | None = None, **changes: Unpack[PlanChanges]) -> PlanDetails:
        """Change the review's details or report text (authority, status date, scope…)."""
        self._unknown(changes, PlanChanges)
        if "due_soon_days" in changes:
            check_due_soon_days(changes["due_soon_days"])
        if "status_date" in changes:
            check_date(changes["status_date"], "status_date")
        if "report_date" in changes:
            check_date(changes["report_date"], "report_date")
        values = dict(given(changes))
        if "agenda_item" in values:
            values["agenda_item"] = check_agenda_item(values["agenda_item"])
        if "background_papers" in values:
            values["background_papers"] = check_background_papers(values["background_papers"])
        for name in ("key_decision", "in_forward_plan"):
            if name in values:
                check_yes_no(values[name], name)
        for name in PLAN_TEXT_FIELDS:
            if name in values:
                values[name] = "" if values[name] is None else str(values[name])

        plan_row_id = self.store.plan_row_id  # asked before the write: reading it takes a session of its own

        def work(session: Session) -> PlanDetails:
            plan = self._get(session, Plan, plan_row_id, "the plan")
            self._expect(plan, expected_version, "The plan")
            for name, value in values.items():
                setattr(plan, name, value)
            session.flush()
            return queries.plan_details(session)

        return self._write(work, lambda _: Change(ChangeKind.PLAN, "change the plan's details"))

    def set_status_date(self, status_date: date | None) -> PlanDetails:
        """The date the position is reported as at (None: today)."""
        return self.update_plan(status_date=status_date)

    def set_backup_folder(self, folder: str) -> None:
        """Where this plan's backups go (relative paths are beside the plan)."""

        def work(session: Session) -> None:
            row = session.get(Meta, "backup_dir")
            if row is None:
                session.add(Meta(key="backup_dir", value=folder))
            else:
                row.value = folder

        self._write(work, lambda _: Change(ChangeKind.PLAN, "change the backup folder"))

    def restore_row(self, saved: ReportRow) -> None:
        """Bring back a meeting, implication or consultation a delete_* gave back (undo)."""
        entity, kind = _REPORT_ROWS[type(saved)]
        self._restore_simple(entity, kind, f"restore a {kind}", saved)

    def add_meeting(self, committee: str, meets_on: date, position: int | None = None) -> int:
        """A meeting the report goes to (committee and date). Returns its id."""
        required_text(committee, "committee", COMMITTEE)
        check_date(meets_on, "meets_on", required=True)
        return self._add_simple(
            Meeting, "meeting", {"committee": clean(committee), "meets_on": meets_on, "position": position}
        )

    def update_meeting(
        self, meeting_id: int, expected_version: int | None = None, **changes: Unpack[MeetingChanges]
    ) -> None:
        """Change a meeting's committee, date or position."""
        if "committee" in changes:
            required_text(changes["committee"], "committee", COMMITTEE)
        if "meets_on" in changes:
            check_date(changes["meets_on"], "meets_on", required=True)
        self._update_simple(Meeting, "meeting", meeting_id, expected_version, changes)

    def delete_meeting(self, meeting_id: int, expected_version: int | None = None) -> MeetingRecord:
        """Delete a meeting; returns it as it was (restore_row brings it back)."""
        saved = as_record(MeetingRecord, Meeting)
        return self._delete_simple(Meeting, "meeting", meeting_id, saved, expected_version=expected_version)

    def add_implication(self, topic: str, applies: bool = False, paragraph_refs: str = "") -> int:
        """An 'other implication' of the report (Equal Opportunities…). Returns its id."""
        required_text(topic, "topic", TOPIC)
        return self._add_simple(
            OtherImplication,
            "implication",
            {"topic": clean(topic), "applies": bool(applies), "paragraph_refs": clean(paragraph_refs)},
        )

    def update_implication(
        self, implication_id: int, expected_version: int | None = None, **changes: Unpack[ImplicationChanges]
    ) -> None:
        """Change an implication's topic, whether it applies, its paragraph refs or position."""
        if "topic" in changes:
            required_text(changes["topic"], "topic", TOPIC)
        self._update_simple(OtherImplication, "implication", implication_id, expected_version, changes)

    def delete_implication(self, implication_id: int, expected_version: int | None = None) -> ImplicationRecord:
        """Delete an implication; returns it as it was (restore_row brings it back)."""
        saved = as_record(ImplicationRecord, OtherImplication)
        return self._delete_simple(
            OtherImplication, "implication", implication_id, saved, expected_version=expected_version
        )

    def add_consultation(
        self,
        method: str,
        audience: str = "",
        respondents: int | None = None,
        respondents_at_least: bool = False,
        held_on: date | None = None,
        summary: str = "",
    ) -> int:
        """A piece of consultation evidence (how, with whom, how many). Returns its id."""
        required_text(method, "method", "how people were consulted: workshop, questionnaire…")
        check_respondents(respondents)
        check_date(held_on, "held_on")
        return self._add_simple(
            ConsultationEvidence,
            "consultation",
            {
                "method": clean(method),
                "audience": clean(audience),
                "respondents": respondents,
                "respondents_at_least": respondents_at_least,
                "held_on": held_on,
                "summary": summary,
            },
        )

    def update_consultation(
        self, consultation_id: int, expected_version: int | None = None, **changes: Unpack[ConsultationChanges]
    ) -> None:
        """Change a piece of consultation evidence."""
        if "respondents" in changes:
            check_respondents(changes["respondents"])
        if "held_on" in changes:
            check_date(changes["held_on"], "held_on")
        self._update_simple(ConsultationEvidence, "consultation", consultation_id, expected_version, changes)

    def delete_consultation(self, consultation_id: int, expected_version: int | None = None) -> ConsultationRecord:
        """Delete a piece of consultation evidence; returns it as it was (restore_row brings it back)."""
        saved = as_record(ConsultationRecord, ConsultationEvidence)
        return self._delete_simple(
            ConsultationEvidence, "consultation", consultation_id, saved, expected_version=expected_version
        )
