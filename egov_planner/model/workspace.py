"""The open plan in memory: one snapshot, the rules' verdict on it, and each Change applied to both.

Any face that keeps a plan open (the window today; a timeline or a shared-plan
client later) holds a Workspace: PlanService says what a committed change touched
(a `Change`), `apply` re-reads only that and re-judges the plan, and the face
redraws. Plain Python, no Qt: a worker thread may build one, and the tests drive
it without a window.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from egov_planner.model import planning
from egov_planner.model.cycle import HistoryEntry
from egov_planner.model.records import ActionRecord, ExternalRecord, LinkRecord, ObjectiveRecord, PlanSnapshot
from egov_planner.model.rules import ActionFacts, LinkFacts, PlanAssessment, PlanFacts, assess_plan
from egov_planner.model.service import Change, ChangeKind, PlanService

# Where a snapshot keeps each kind of record a face may edit field by field (looked up by id).
_RECORD_LISTS: dict[str, Callable[[PlanSnapshot], Sequence[Any]]] = {
    "objective": lambda snapshot: snapshot.objectives,
    "external": lambda snapshot: snapshot.externals,
    "person": lambda snapshot: snapshot.people,
    "department": lambda snapshot: snapshot.departments,
    "meeting": lambda snapshot: snapshot.meetings,
    "implication": lambda snapshot: snapshot.implications,
    "consultation": lambda snapshot: snapshot.consultations,
    "service_row": lambda snapshot: snapshot.service_rows,
    "link": lambda snapshot: snapshot.links,
}

# Changes that only touch existing actions' own rows: refreshed in place, not by a full reload.
_RECORD_KINDS = frozenset({ChangeKind.ACTION, ChangeKind.PROGRESS, ChangeKind.DEPENDENCY})
# What the history records under an action's ref, and the change that re-reads that action's record.
_ACTION_HISTORY = {
    "action": ChangeKind.ACTION,
    "progress": ChangeKind.PROGRESS,
    "dependency": ChangeKind.DEPENDENCY,
    "external wait": ChangeKind.DEPENDENCY,
}
# Small lists read again whole when one of their rows is added, changed or deleted (here or elsewhere);
# only the actions that show a changed row's name (owner, objective ref, a wait's name) are re-read with them.
_LIST_HISTORY = {
    "objective": ChangeKind.OBJECTIVE,
    "person": ChangeKind.PERSON,
    "department": ChangeKind.DEPARTMENT,
    "external": ChangeKind.EXTERNAL,
}
_LIST_KINDS = frozenset(_LIST_HISTORY.values())


@dataclass(slots=True)
class PlanState:
    """One consistent reading of a plan and the rules' verdict on it (plain Python: built off the UI thread)."""

    snapshot: PlanSnapshot
    assessment: PlanAssessment
    facts_cache: FactsCache = field(default_factory=lambda: FactsCache())
    actions_by_id: dict[int, ActionRecord] = field(default_factory=dict)
    objectives_by_id: dict[int, ObjectiveRecord] = field(default_factory=dict)
    externals_by_id: dict[int, ExternalRecord] = field(default_factory=dict)
    successors: dict[int, list[LinkRecord]] | None = None
    successors_key: int = 0

    def index(self) -> None:
        self.actions_by_id = {a.id: a for a in self.snapshot.actions}
        self.objectives_by_id = {o.id: o for o in self.snapshot.objectives}
        self.externals_by_id = {e.id: e for e in self.snapshot.externals}


def status_date_of(snapshot: PlanSnapshot, today: date) -> date:
    """The plan's status date, else today: the date every colour and count follows."""
    return planning.status_date(snapshot.details.status_date, today=today)


class FactsCache:
    """PlanSnapshot.facts(), remembering each record's facts while the record is unchanged.

    After one edit only the touched records are new objects, so a 20,000-action
    plan is not converted again from scratch before the rules run. `unchanged` says
    whether the facts handed out last are the same as the ones before them: a new
    title or owner changes no fact the rules read, and then the previous verdict stands.
    """

    def __init__(self) -> None:
        self._actions: dict[int, tuple[ActionRecord, ActionFacts]] = {}
        self._links: dict[int, tuple[LinkRecord, LinkFacts]] = {}
        # The last lists converted: an edit that keeps a list (the links, when no dependency
        # changed) reuses its facts whole; an action list of the same length is patched.
        self._last_links: tuple[list[LinkRecord], list[LinkFacts]] | None = None
        self._last_actions: tuple[list[ActionRecord], list[ActionFacts]] | None = None
        self._last_facts: PlanFacts | None = None
        self.unchanged = False

    def facts(self, snapshot: PlanSnapshot) -> PlanFacts:
        actions, same_actions = self._action_facts(snapshot.actions)
        links, same_links = self._link_facts(snapshot.links)
        facts = PlanFacts(
            actions=actions,
            links=links,
            externals=snapshot.external_facts(),
            waits_on=list(snapshot.waits_on),
        )
        last = self._last_facts
        self.unchanged = (
            last is not None
            and same_actions
            and same_links
            and facts.externals == last.externals
            and facts.waits_on == last.waits_on
        )
        self._last_facts = facts
        return facts

    def forget_last(self) -> None:
        """The next facts are not compared with the last ones (they were never judged)."""
        self._last_facts = None

    def _action_facts(self, records: list[ActionRecord]) -> tuple[list[ActionFacts], bool]:
        """The facts of these records, and whether they equal the last list's, in order."""
        actions = self._actions
        last = self._last_actions
        if last is not None and last[0] is records:
            return last[1], True
        if last is not None and len(last[0]) == len(records):
            # Same length: usually the same actions in the same order with a few re-read.
            before, before_facts = last
            action_facts = before_facts
            same = True
            for position, record in enumerate(records):
                if record is not before[position]:
                    if record.id != before[position].id:
                        break  # reordered: convert the list from the cache below
                    facts = record.facts()
                    actions[record.id] = (record, facts)
                    if facts != before_facts[position]:
                        if same:
                            action_facts = list(before_facts)
                            same = False
                        action_facts[position] = facts
            else:
                self._last_actions = (records, action_facts)
                return action_facts, same
        action_facts = []
        for record in records:
            cached = actions.get(record.id)
            if cached is None or cached[0] is not record:
                cached = (record, record.facts())
                actions[record.id] = cached
            action_facts.append(cached[1])
        self._last_actions = (records, action_facts)
        return action_facts, False

    def _link_facts(self, records: list[LinkRecord]) -> tuple[list[LinkFacts], bool]:
        last = self._last_links
        if last is not None and last[0] is records:
            return last[1], True
        links = self._links
        link_facts = []
        for link in records:
            known = links.get(link.id)
            if known is None or known[0] is not link:
                known = (link, LinkFacts(link.predecessor_id, link.successor_id, link.kind, link.lag_days))
                links[link.id] = known
            link_facts.append(known[1])
        self._last_links = (records, link_facts)
        return link_facts, False


def assess_snapshot(
    snapshot: PlanSnapshot,
    today: date,
    cache: FactsCache | None = None,
    previous: PlanAssessment | None = None,
    viewing: date | None = None,
) -> PlanAssessment:
    """The one assess_plan pass a workspace uses (rules.py decides; nothing is re-implemented here).

    assess_plan is a pure function of the facts, the status date and the due-soon window:
    when none of them changed since `previous` was made (a new title, owner or note), that
    verdict is the answer and the pass is not run again.
    """
    facts = cache.facts(snapshot) if cache is not None else snapshot.facts()
    when = viewing or status_date_of(snapshot, today)  # a viewer's date to look at wins over the plan's
    days = snapshot.details.due_soon_days
    if (
        previous is not None
        and cache is not None
        and cache.unchanged
        and previous.status_date == when
        and previous.due_soon_days == days
    ):
        return previous
    try:
        return assess_plan(facts, when, days)
    except BaseException:
        if cache is not None:
            cache.unchanged = False
            cache.forget_last()  # these facts were never judged: never count them as judged
        raise


def read_plan(service: PlanService, today: date, viewing: date | None = None) -> PlanState:
    """One snapshot + one assessment: all a face needs (safe to run on a worker thread)."""
    snapshot = service.snapshot()
    cache = FactsCache()
    state = PlanState(snapshot, assess_snapshot(snapshot, today, cache, viewing=viewing), cache)
    state.index()
    return state


class Workspace:
    """One open plan's current reading and verdict, kept up to date one Change at a time."""

    def __init__(
        self,
        service: PlanService,
        today: Callable[[], date] = date.today,
        state: PlanState | None = None,
    ) -> None:
        self.service = service
        self.today = today
        self.state = state or read_plan(service, today())
        # A date to judge the plan at instead of its own status date, never saved: a read-only
        # viewer looking at another day. None: the plan's status date (else today).
        self.viewing_date: date | None = None
        self.last_scope = "full"  # "full" (actions added/removed, or reloaded) or "records"
        self.last_change: Change | None = None
        # After a "records" refresh: the actions whose records were re-read (empty: none were,
        # e.g. a new status date); None when unknown. Views re-sort only what moved.
        self.last_changed_ids: frozenset[int] | None = None
        # After a "records" refresh: the actions added and removed (rows to insert and drop, not a reset).
        self.last_added_ids: frozenset[int] = frozenset()
        self.last_removed_ids: frozenset[int] = frozenset()

    # --- what faces read --------------------------------------------------------------------

    @property
    def snapshot(self) -> PlanSnapshot:
        return self.state.snapshot

    @property
    def assessment(self) -> PlanAssessment:
        return self.state.assessment

    @property
    def status_date(self) -> date:
        return self.assessment.status_date

    @property
    def status_date_is_today(self) -> bool:
        return self.viewing_date is None and self.snapshot.details.status_date is None

    def action(self, action_id: int) -> ActionRecord | None:
        return self.state.actions_by_id.get(action_id)

    def action_by_ref(self, ref: str) -> ActionRecord | None:
        wanted = ref.strip().lower()
        return next((a for a in self.snapshot.actions if a.ref.lower() == wanted), None)

    def objective(self, objective_id: int) -> ObjectiveRecord | None:
        return self.state.objectives_by_id.get(objective_id)

    def record(self, kind: str, ident: int | None) -> Any | None:
        """The record of this kind ("action", "plan" (ident None), "person", "service_row"…) as the face shows it."""
        if kind == "plan":
            return self.snapshot.details
        if kind == "action" and ident is not None:
            return self.action(ident)
        records = _RECORD_LISTS.get(kind)
        return next((r for r in records(self.snapshot) if r.id == ident), None) if records else None

    def version_of(self, kind: str, ident: int | None) -> int | None:
        """The version of that record as last read (an edit sends it: a stale one is refused); None if not held."""
        if kind == "service":  # a service is shown through its rows, which carry its version
            return next((r.service_version for r in self.snapshot.service_rows if r.service_id == ident), None)
        record = self.record(kind, ident)
        return None if record is None else int(record.version)

    def versions(self) -> dict[tuple[str, int | None], int]:
        """Every record's version as last read, by (kind, id): to see which another officer's change moved."""
        found: dict[tuple[str, int | None], int] = {("plan", None): int(self.snapshot.details.version)}
        found.update((("action", a.id), int(a.version)) for a in self.snapshot.actions)
        for kind, records in _RECORD_LISTS.items():
            found.update(((kind, r.id), int(r.version)) for r in records(self.snapshot) if hasattr(r, "version"))
        return found

    def successors_of(self, action_id: int) -> list[LinkRecord]:
        """The links of actions waiting on this one (indexed once per state of the plan)."""
        state = self.state
        if state.successors is None or state.successors_key != id(state.snapshot.links):
            index: dict[int, list[LinkRecord]] = {}
            for link in state.snapshot.links:
                index.setdefault(link.predecessor_id, []).append(link)
            state.successors = index
            state.successors_key = id(state.snapshot.links)
        return state.successors.get(action_id, [])

    def link_between(self, predecessor_id: int, successor_id: int) -> LinkRecord | None:
        successor = self.action(successor_id)
        if successor is None:
            return None
        return next((k for k in successor.predecessors if k.predecessor_id == predecessor_id), None)

    # --- keeping up -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the whole plan again (after a restore, an import, or on request)."""
        self.state = read_plan(self.service, self.today(), self.viewing_date)
        self.last_scope = "full"
        self.last_change = None
        self.last_changed_ids = None
        self.last_added_ids = self.last_removed_ids = frozenset()

    def replace(self, state: PlanState) -> None:
        """Take a whole new reading made elsewhere (another officer's changes, read on a worker thread)."""
        self.state = state
        self.last_scope = "full"
        self.last_change = None
        self.last_changed_ids = None
        self.last_added_ids = self.last_removed_ids = frozenset()

    def changes_from_history(self, entries: Sequence[HistoryEntry], most: int = 2000) -> list[Change] | None:
        """The Changes that bring this reading up to date with changes recorded elsewhere (another officer's),
        re-reading only the records they touched (an added action by its id, a deleted one dropped); None when
        only reading everything will do (meetings, services… or more than `most` actions at once)."""
        by_ref = {a.ref.lower(): a.id for a in self.snapshot.actions}
        plan = False
        lists: set[ChangeKind] = set()
        added: set[str] = set()  # refs of actions added elsewhere: their ids are read below
        touched: dict[ChangeKind, set[int]] = {}
        for entry in entries:
            if entry.what == "plan":
                plan = True
                continue
            if entry.what in _LIST_HISTORY:
                lists.add(_LIST_HISTORY[entry.what])
                continue
            kind = _ACTION_HISTORY.get(entry.what)
            if kind is None:
                return None
            if entry.what == "action" and entry.field == "added":
                added.add(entry.ref.lower())
                continue
            ident = by_ref.get(entry.ref.lower())
            if ident is None and entry.field == "ref":  # renamed: this reading still knows the old ref
                ident = by_ref.get(str(entry.from_value or "").lower())
            if ident is None:
                if entry.ref.lower() in added or str(entry.from_value or "").lower() in added:
                    continue  # an action added in this same run of changes: read whole with its id
                return None
            touched.setdefault(kind, set()).add(ident)
        if added:
            touched.setdefault(ChangeKind.ACTION, set()).update(self.service.action_ids(added))
        if sum(len(ids) for ids in touched.values()) > most:
            return None
        changes = [Change(ChangeKind.PLAN, "changed elsewhere")] if plan else []
        # The lists first: an action added with a new objective or owner finds them already read.
        changes += [Change(kind, "changed elsewhere") for kind in sorted(lists)]
        for kind, ids in touched.items():
            changes.append(Change(kind, "changed elsewhere", action_ids=frozenset(ids), entity_ids=frozenset(ids)))
        return changes

    def reassess(self) -> None:
        """Judge the plan again (the day changed, or the status date) without re-reading it."""
        self._reassess()
        self.last_scope = "records"
        self.last_changed_ids = frozenset()

    def apply(self, change: Change) -> None:
        """Bring the reading and verdict up to date with one committed change."""
        self.last_change = change
        self.last_changed_ids = frozenset()
        self.last_added_ids = self.last_removed_ids = frozenset()
        if change.kind is ChangeKind.PLAN:
            self._refresh_details()
        elif change.kind is ChangeKind.REPORT:
            self._refresh_cycle()
        elif change.kind in _LIST_KINDS:
            self._refresh_list(change.kind)
        elif not self._refresh_in_place(change):
            self.state = read_plan(self.service, self.today(), self.viewing_date)
            self.last_scope = "full"
            self.last_changed_ids = None

    def _reassess(self) -> None:
        self.state.assessment = assess_snapshot(
            self.snapshot, self.today(), self.state.facts_cache, self.state.assessment, self.viewing_date
        )

    def _refresh_in_place(self, change: Change) -> bool:
        """Re-read only what the change touched, when that is enough; False means read everything."""
        if change.kind in _RECORD_KINDS:
            return bool(change.action_ids) and self._refresh_records(change.action_ids)
        if not change.entity_ids:
            return False
        if change.kind is ChangeKind.SERVICE:
            return self._refresh_services()
        return False

    def _refresh_services(self) -> bool:
        """A BVPI row or service changed: only the service rows are read again (actions are unaffected)."""
        snapshot = self.snapshot
        snapshot.service_rows = self.service.service_rows()
        # A row added for a new service may have brought a new department with it.
        departments = {d.id for d in snapshot.departments}
        if any(r.department_id is not None and r.department_id not in departments for r in snapshot.service_rows):
            snapshot.departments = self.service.departments()
        self.last_scope = "records"
        return True

    def _refresh_list(self, kind: ChangeKind) -> None:
        """An objective, person, department or external was added, changed or deleted: read that list again
        (a few hundred rows at most) and only the actions showing a row whose name or order changed."""
        snapshot = self.snapshot
        affected: set[int] = set()
        reorder = False
        if kind is ChangeKind.OBJECTIVE:
            before = {o.id: (o.ref, o.position) for o in snapshot.objectives}
            snapshot.objectives = self.service.objectives()
            moved = _moved(before, {o.id: (o.ref, o.position) for o in snapshot.objectives})
            affected = {a.id for a in snapshot.actions if a.objective_id in moved}
            reorder = bool(affected)
        elif kind is ChangeKind.EXTERNAL:
            names = {e.id: e.name for e in snapshot.externals}
            snapshot.externals = self.service.externals()
            moved = _moved(names, {e.id: e.name for e in snapshot.externals})
            affected = {a for a, e in snapshot.waits_on if e in moved}
            snapshot.service_rows = self.service.service_rows()  # rows name the dependency they wait on
        else:
            shown = lambda p: (p.name, p.job_title, p.left_on, p.department)  # noqa: E731 - what an action shows of them
            people = {p.id: shown(p) for p in snapshot.people}
            departments = {d.id: d.name for d in snapshot.departments}
            if kind is ChangeKind.DEPARTMENT:
                snapshot.departments = self.service.departments()
                snapshot.service_rows = self.service.service_rows()
            snapshot.people = self.service.people()
            gone_people = _moved(people, {p.id: shown(p) for p in snapshot.people})
            gone_departments = _moved(departments, {d.id: d.name for d in snapshot.departments})
            affected = {
                a.id for a in snapshot.actions if a.owner_id in gone_people or a.department_id in gone_departments
            }
            if any(o.lead_id in gone_people for o in snapshot.objectives):
                snapshot.objectives = self.service.objectives()  # an objective shows its lead's name
        self.state.index()
        if affected:
            self._refresh_records(frozenset(affected), reorder)
        else:
            self._reassess()
        if reorder:  # the actions moved with their objective: the views lay the rows out again
            self.last_scope = "full"
            self.last_changed_ids = None
            return
        self.last_scope = "records"
        self.last_changed_ids = frozenset(affected)

    def _order_key(self) -> Callable[[ActionRecord], tuple[Any, ...]]:
        """An action's place in the plan, as the plan is read: by objective, then its own position and ref."""
        objectives = self.state.objectives_by_id

        def key(record: ActionRecord) -> tuple[Any, ...]:
            objective = objectives.get(record.objective_id)
            return (objective.position if objective else 0, record.objective_ref, record.position, record.ref)

        return key

    def _refresh_cycle(self) -> None:
        """A report was recorded: the reports, the newest in full, original targets and revisions again."""
        fresh = self.service.cycle_records()
        snapshot = self.snapshot
        snapshot.reports, snapshot.last_report = fresh.reports, fresh.last_report
        snapshot.original_due, snapshot.revisions = fresh.original_due, fresh.revisions
        self.last_scope = "records"

    def _refresh_actions_cycle(self, ids: set[int]) -> None:
        """After an edit of these actions: their original targets (a new ref) and revisions (a new due date)."""
        fresh = self.service.actions_cycle(ids)
        snapshot = self.snapshot
        for ident in ids:
            snapshot.original_due.pop(ident, None)
            snapshot.revisions.pop(ident, None)
        snapshot.original_due.update(fresh.original_due)
        snapshot.revisions.update(fresh.revisions)

    def _refresh_details(self) -> None:
        self.snapshot.details = self.service.details()
        self._reassess()
        self.last_scope = "records"

    def _refresh_records(self, ids: frozenset[int], reorder: bool = False) -> bool:
        """Re-read only the actions a change touched: an action no longer there is dropped, a new one (added,
        restored, or added by another officer) read by its id and put in its place in the plan's order
        (reorder: every action put in its place again, an objective having moved)."""
        known = self.state.actions_by_id
        snapshot = self.snapshot
        fresh = self.service.actions(set(ids))
        by_id = {record.id: record for record in fresh}
        removed = {ident for ident in ids if ident not in by_id and ident in known}
        added = [record for record in fresh if record.id not in known]
        # A link from an added or removed action is in the waiting action's own record: re-read those too.
        waiting = {link.successor_id for ident in removed for link in self.successors_of(ident)}
        if added:
            waiting |= self.service.waiting_on({record.id for record in added})
        waiting = (waiting & known.keys()) - by_id.keys() - removed
        if waiting:
            more = self.service.actions(waiting)
            fresh += more
            by_id.update((record.id, record) for record in more)
        previous = {ident: known[ident] for ident in by_id if ident in known}
        if removed or added:
            actions = [by_id.get(a.id, a) for a in snapshot.actions if a.id not in removed]
            order = self._order_key()
            for record in added:
                bisect.insort_right(actions, record, key=order)
            snapshot.actions = actions
            for ident in removed:
                del known[ident]
                snapshot.latest_progress.pop(ident, None)
                snapshot.original_due.pop(ident, None)
                snapshot.revisions.pop(ident, None)
        else:
            snapshot.actions = [by_id.get(a.id, a) for a in snapshot.actions]
        if reorder:
            snapshot.actions.sort(key=self._order_key())  # a new list, not yet judged: sorted before it is
        for record in fresh:
            known[record.id] = record
        # An owner or department typed as a new name was created with the edit.
        people = {p.id for p in snapshot.people}
        departments = {d.id for d in snapshot.departments}
        if any(r.owner_id is not None and r.owner_id not in people for r in fresh):
            snapshot.people = self.service.people()
        if any(r.department_id is not None and r.department_id not in departments for r in fresh):
            snapshot.departments = self.service.departments()
        # Links and waits are plan-wide lists the rules read: rebuilt only when a touched action's
        # own dependencies or external waits changed (a due date or owner leaves them as they were,
        # and the same lists keep the rules' facts and the successor index valid).
        new = {record.id for record in added}
        if removed or any(r.id in new or r.predecessors != previous[r.id].predecessors for r in fresh):
            snapshot.links = [link for a in snapshot.actions for link in a.predecessors]
        if removed or any(r.id in new or r.externals != previous[r.id].externals for r in fresh):
            external_ids = {e.name: e.id for e in snapshot.externals}
            snapshot.waits_on = [(a, e) for a, e in snapshot.waits_on if a not in by_id and a not in removed] + [
                (record.id, external_ids[name]) for record in fresh for name in record.externals if name in external_ids
            ]
        progressed = self.last_change is None or self.last_change.kind is ChangeKind.PROGRESS
        for record in fresh:  # only a progress update (or its withdrawal) changes the history, or a restore
            if progressed or record.id in new:
                history = self.service.progress(record.id)
                if history:
                    snapshot.latest_progress[record.id] = max(history, key=lambda p: (p.reported_on, p.id))
                else:
                    snapshot.latest_progress.pop(record.id, None)
        if snapshot.reports and (new or self.last_change is None or self.last_change.kind is ChangeKind.ACTION):
            self._refresh_actions_cycle(set(by_id))  # a new target date on a reported plan is a revision
        self._reassess()
        self.last_scope = "records"
        self.last_changed_ids = frozenset(by_id)
        self.last_added_ids = frozenset(new)
        self.last_removed_ids = frozenset(removed)
        return True


def _moved(before: dict[int, Any], after: dict[int, Any]) -> set[int]:
    """The ids whose row went, or now reads differently (a name the actions show, an order)."""
    return {ident for ident, value in before.items() if after.get(ident, _GONE) != value}


_GONE = object()
