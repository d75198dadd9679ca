"""The plan's deadlines as an iCalendar file (RFC 5545) for Outlook and other calendars.

One all-day event per open action (not complete, cancelled or deferred) on its
target date, its SUMMARY beginning with the action's ref, and one per meeting
of the report's committees. UIDs are made from the plan's own id and the
action's ref (or the meeting's id), so a calendar that imports a newer export
updates its events instead of adding them again; SEQUENCE is the record's
version, so the newer one wins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path

from icalendar import Calendar, Event

from egov_planner.model.dates import british
from egov_planner.model.errors import PlanError
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.safe_files import atomic_path

NOT_OPEN = ("complete", "cancelled", "deferred")
PRODUCT = "-//egov-planner//improvement plan//EN"


class UnknownOwner(PlanError):
    """--owner names no one who owns an action."""


def _plan_key(snapshot: PlanSnapshot, plan_id: str | None) -> str:
    """The plan's stable id; an older plan without one: a digest of its authority and title (stable too)."""
    if plan_id:
        return plan_id
    text = f"{snapshot.details.authority}\n{snapshot.details.title}"
    return sha256(text.encode("utf-8")).hexdigest()[:32]


def _uid_part(text: str) -> str:
    """A ref as it may stand inside a UID (its characters kept where they are safe, else their code)."""
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else f"%{ord(c):X}" for c in text)


def write_calendar(path: Path, snapshot: PlanSnapshot, plan_id: str | None = None, owner: str | None = None) -> int:
    """Write the open actions' target dates (one owner's when owner is given) and the meetings; returns the events."""
    if owner is not None:
        owners = sorted({a.owner for a in snapshot.actions if a.owner})
        match = [name for name in owners if name.casefold() == owner.strip().casefold()]
        if not match:
            known = ", ".join(owners[:10]) + (", …" if len(owners) > 10 else "")
            raise UnknownOwner(
                f"no one called '{owner}' owns an action in the plan"
                + (f" (owners: {known})" if owners else " (no action has an owner)")
            )
        owner = match[0]
    key = _plan_key(snapshot, plan_id)
    stamp = datetime.now(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    title = snapshot.details.title or snapshot.details.authority or path.stem
    calendar.add("x-wr-calname", f"{title} — {owner}" if owner else title)
    objectives = {o.id: o for o in snapshot.objectives}
    count = 0
    for action in snapshot.actions:
        if action.status in NOT_OPEN or (owner is not None and action.owner != owner):
            continue
        event = Event()
        event.add("uid", f"action-{_uid_part(action.ref)}-{key}@egov-planner")
        event.add("dtstamp", stamp)
        event.add("sequence", action.version)
        event.add("summary", f"{action.ref} {action.title} (due)")
        event.add("dtstart", action.due)
        event.add("dtend", action.due + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        objective = objectives.get(action.objective_id)
        lines = [
            f"Action {action.ref}: {action.title}",
            f"Objective {objective.ref}: {objective.title}" if objective else "",
            f"Owner: {action.owner}" if action.owner else "",
            f"Target date: {british(action.due)}",
            f"Status: {action.status.replace('_', ' ')}, {action.percent_complete}% complete",
            f"Expected: {british(action.expected)}" if action.expected else "",
        ]
        event.add("description", "\n".join(line for line in lines if line))
        if action.owner:
            event.add("categories", [action.owner])
        calendar.add_component(event)
        count += 1
    for meeting in snapshot.meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}-{key}@egov-planner")
        event.add("dtstamp", stamp)
        event.add("sequence", meeting.version)
        event.add("summary", f"{meeting.committee} (improvement plan report)")
        event.add("dtstart", meeting.meets_on)
        event.add("dtend", meeting.meets_on + timedelta(days=1))
        calendar.add_component(event)
        count += 1
    with atomic_path(path) as temp:
        temp.write_bytes(calendar.to_ical())
    return count
