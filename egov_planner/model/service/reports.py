"""Reports as issued: record the plan as reported, list the records, and say what changed since one.

A recorded report is written once and never changed (there is no update or delete here): it keeps
every action's status, target, forecast, flag, RAG, % complete and latest note at its status date,
the report's text and meetings, and the BVPI figures. Rules: DOMAIN.md "The committee cycle".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from egov_planner.model import cycle_queries, planning, queries
from egov_planner.model.bvpi import bvpi_position
from egov_planner.model.cycle import (
    EXEMPT_REFS,
    ChangesSince,
    RecordedReport,
    ReportHeader,
    RevisionRecord,
    changes_since,
    reported_actions,
)
from egov_planner.model.dates import british
from egov_planner.model.errors import NotFound, ValidationError
from egov_planner.model.records import PLAN_TEXT_FIELDS, PlanSnapshot
from egov_planner.model.rules import assess_plan
from egov_planner.model.service.common import Change, ChangeKind
from egov_planner.model.service.unit_of_work import Area
from egov_planner.model.tables import recorded_report, reported_action
from egov_planner.model.validation import check_date, clean

LABEL_LENGTH = 200  # the column's
# The plan's details a report keeps besides its text fields (all plain JSON values).
_KEPT_DETAILS = (*PLAN_TEXT_FIELDS, "key_decision", "in_forward_plan", "due_soon_days")


def check_label(label: str | None) -> str:
    """A report's label: not blank, one line, at most LABEL_LENGTH characters."""
    text = " ".join(clean(label).split())
    if not text:
        raise ValidationError("label", "a report needs a label (e.g. 'Cabinet 2 February 2004')")
    if len(text) > LABEL_LENGTH:
        raise ValidationError("label", f"a report's label is at most {LABEL_LENGTH} characters (this is {len(text)})")
    return text


class Reports(Area):
    """Reports as issued: recorded once, listed, and compared with the plan now."""

    def _refuse_taken(self, session: Session, label: str) -> None:
        # Labels differing only in case would be one report to `changes --since`, which ignores case.
        wanted = label.casefold()
        taken = next((t for t in session.scalars(select(recorded_report.c.label)) if t.casefold() == wanted), None)
        if taken is not None:
            raise ValidationError(
                "label",
                f"there is already a recorded report '{taken}'; recorded reports are never replaced, "
                "choose another label",
            )

    def check_new_label(self, label: str) -> str:
        """The label cleaned, refused if blank, too long or already recorded (before a pack is built for it)."""
        text = check_label(label)
        with self.store.reading() as session:
            self._refuse_taken(session, text)
        return text

    def record_report(
        self,
        label: str,
        as_of: date | None = None,
        with_pack: bool = False,
        before_commit: Callable[[], None] | None = None,
    ) -> ReportHeader:
        """Record the plan as reported at as_of (default: the plan's status date, else today) under a new label.

        Keeps every action as the rules judge it at as_of with its latest progress note by then, the
        report's text and meetings, and the BVPI figures. A label already recorded is refused.
        before_commit runs last inside the transaction (`report --record` puts the pack in place
        there): if it raises, nothing is recorded.
        """
        text = check_label(label)
        check_date(as_of, "as_of")

        def work(session: Session) -> ReportHeader:
            self._refuse_taken(session, text)
            snapshot = queries.load_snapshot(session)
            when = planning.status_date(snapshot.details.status_date, as_of, self.clock().date())
            assessment = assess_plan(snapshot.facts(), when, snapshot.details.due_soon_days)
            notes = {i: p.note for i, p in queries.load_latest_progress(session, on_or_before=when).items()}
            rows = reported_actions(snapshot.actions, assessment, notes)
            taken_at, taken_by = self.clock().replace(microsecond=0), self.owner.user
            report_id = session.execute(
                insert(recorded_report)
                .returning(recorded_report.c.id)
                .values(
                    label=text,
                    as_of=when,
                    taken_at=taken_at,
                    taken_by=taken_by,
                    with_pack=with_pack,
                    report_text=json.dumps(_report_text(snapshot), ensure_ascii=False),
                    meetings=json.dumps(
                        [{"committee": m.committee, "meets_on": m.meets_on.isoformat()} for m in snapshot.meetings],
                        ensure_ascii=False,
                    ),
                    bvpi=json.dumps(bvpi_position(snapshot, when).as_json(), ensure_ascii=False),
                )
            ).scalar_one()
            if rows:
                session.execute(
                    insert(reported_action),
                    [
                        {name: getattr(row, name) for name in row.__dataclass_fields__} | {"report_id": report_id}
                        for row in rows
                    ],
                )
            if before_commit is not None:
                before_commit()
            return ReportHeader(int(report_id), text, when, taken_at, taken_by, len(rows), with_pack)

        header: ReportHeader = self._write(
            work, lambda h: Change(ChangeKind.REPORT, f"record report {h.label}", entity_ids=frozenset({h.id}))
        )
        return header

    def recorded_reports(self) -> list[ReportHeader]:
        """Every recorded report, oldest first (by status date, then as recorded)."""
        with self.store.reading() as session:
            return cycle_queries.load_report_headers(session)

    def recorded_report(self, label: str) -> RecordedReport:
        """One recorded report in full, by its label; an unknown label is refused, naming the known ones."""
        with self.store.reading() as session:
            return self._find(session, label)

    def _find(self, session: Session, label: str) -> RecordedReport:
        headers = cycle_queries.load_report_headers(session)
        wanted = " ".join(clean(label).split())
        found = next((h for h in headers if h.label == wanted), None)
        if found is None:
            found = next((h for h in headers if h.label.casefold() == wanted.casefold()), None)
        if found is None:
            known = ", ".join(f"'{h.label}'" for h in headers)
            raise NotFound(
                f"there is no recorded report '{wanted}' in this plan ("
                + (f"recorded: {known})" if headers else "none has been recorded yet)")
            )
        return cycle_queries.load_recorded_report(session, found)

    def cycle_records(self) -> CycleRecords:
        """PlanSnapshot's cycle fields, read again (a workspace after a report is recorded)."""
        with self.store.reading() as session:
            return CycleRecords(*cycle_queries.load_cycle(session))

    def actions_cycle(self, only_ids: set[int]) -> CycleRecords:
        """Only these actions' original targets and revisions (after an edit); no reports are read."""
        with self.store.reading() as session:
            return CycleRecords(
                [],
                None,
                cycle_queries.load_original_due(session, only_ids),
                cycle_queries.load_revisions(session, only_ids),
            )

    def latest_revisions(self) -> dict[str, RevisionRecord]:
        """Each revised action's latest revision, by ref (its reason and who agreed it)."""
        with self.store.reading() as session:
            revisions = cycle_queries.load_revisions(session)
        return {items[-1].ref: items[-1] for items in revisions.values() if items}

    def changes_since(self, label: str, as_of: date | None = None) -> ChangesSince:
        """What changed between a recorded report and the plan now, judged at as_of (else the plan's status date)."""
        check_date(as_of, "as_of")
        with self.store.reading() as session:
            report = self._find(session, label)
            snapshot = queries.load_snapshot(session)
        when = planning.status_date(snapshot.details.status_date, as_of, self.clock().date())
        if when < report.header.as_of:
            # "Newly overdue since" a later position is no change members could act on: refuse, saying why.
            raise ValidationError(
                "as_of",
                f"the position as at {british(when)} is before '{report.header.label}' was reported "
                f"(as at {british(report.header.as_of)}): compare as at {british(report.header.as_of)} or later",
            )
        assessment = assess_plan(snapshot.facts(), when, snapshot.details.due_soon_days)
        now = reported_actions(snapshot.actions, assessment)
        reasons = {items[-1].ref: items[-1].reason for items in snapshot.revisions.values() if items}
        return changes_since(report, now, when, reasons)


@dataclass(frozen=True, slots=True)
class CycleRecords:
    reports: list[ReportHeader]
    last_report: RecordedReport | None
    original_due: dict[int, date]
    revisions: dict[int, tuple[RevisionRecord, ...]]


def _report_text(snapshot: PlanSnapshot) -> dict[str, object]:
    details = snapshot.details
    exempt_objectives = {o.id for o in snapshot.objectives if o.exempt_paragraph}
    # Which actions the report held as exempt: a public pack must not name one once it is removed or renamed.
    exempt = sorted(a.ref for a in snapshot.actions if a.exempt_paragraph or a.objective_id in exempt_objectives)
    return {name: getattr(details, name) for name in _KEPT_DETAILS} | {EXEMPT_REFS: exempt}
