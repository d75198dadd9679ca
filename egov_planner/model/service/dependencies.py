"""Dependencies between actions; a link that would close a cycle is refused, naming it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from egov_planner.model.entities import (
    Action,
    Dependency,
)
from egov_planner.model.errors import ConflictError, CycleError, ValidationError
from egov_planner.model.records import (
    LinkRecord,
)
from egov_planner.model.rules import (
    find_cycle_if_added,
    name_cycle,
)
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
)
from egov_planner.model.service.history import last_change_of
from egov_planner.model.service.unit_of_work import Area, action_change
from egov_planner.model.validation import check_kind, check_lag


def _link_change(describe: Callable[[Any], str]) -> Callable[[Any], Change]:
    """Listeners hear both actions of a link (a 'depends on' changed) and the link itself."""
    return lambda link: action_change(
        ChangeKind.DEPENDENCY, describe(link), {link.successor_id, link.predecessor_id}, link.id
    )


class Dependencies(Area):
    """Dependencies between actions; a link that would close a cycle is refused, naming it."""

    @staticmethod
    def _successor_map(session: Session) -> dict[int, list[int]]:
        successors: dict[int, list[int]] = defaultdict(list)
        for predecessor, successor in session.execute(select(Dependency.predecessor_id, Dependency.successor_id)):
            successors[predecessor].append(successor)
        return successors

    @staticmethod
    def _refs(session: Session, ids: Iterable[int]) -> dict[int, str]:
        wanted = set(ids)
        return dict(session.execute(select(Action.id, Action.ref).where(Action.id.in_(wanted))).all())

    def add_dependency(self, predecessor_id: int, successor_id: int, kind: str = "FS", lag_days: int = 0) -> LinkRecord:
        """successor waits on predecessor. A link that would close a cycle is refused, naming it."""
        kind = check_kind(kind)
        check_lag(lag_days)

        def work(session: Session) -> LinkRecord:
            predecessor = self._get(session, Action, predecessor_id, "action")
            successor = self._get(session, Action, successor_id, "action")
            if predecessor_id == successor_id:
                raise CycleError(f"{successor.ref} → {successor.ref}")
            existing = session.scalar(
                select(Dependency.id).where(
                    Dependency.predecessor_id == predecessor_id, Dependency.successor_id == successor_id
                )
            )
            if existing is not None:
                raise ValidationError("depends_on", f"{successor.ref} already depends on {predecessor.ref}")
            cycle = find_cycle_if_added(self._successor_map(session), predecessor_id, successor_id)
            if cycle:
                raise CycleError(name_cycle(cycle, self._refs(session, cycle)))
            link = Dependency(predecessor_id=predecessor_id, successor_id=successor_id, kind=kind, lag_days=lag_days)
            session.add(link)
            session.flush()
            return LinkRecord(
                link.id, predecessor_id, predecessor.ref, successor_id, successor.ref, kind, lag_days, link.version
            )

        result: LinkRecord = self._write(
            work,
            _link_change(lambda link: f"make {link.successor_ref} depend on {link.predecessor_ref}"),
        )
        return result

    def update_dependency(
        self, link_id: int, kind: str | None = None, lag_days: int | None = None, expected_version: int | None = None
    ) -> None:
        """Change a dependency's type (FS, SS, FF or SF) or lag in days."""
        new_kind = check_kind(kind) if kind is not None else None

        def work(session: Session) -> Dependency:
            link = self._get(session, Dependency, link_id, "dependency")
            self._expect(link, expected_version, "This dependency")
            if new_kind is not None:
                link.kind = new_kind
            if lag_days is not None:
                link.lag_days = check_lag(lag_days)
            return link

        self._write(
            work,
            _link_change(lambda link: "change a dependency"),
        )

    def remove_dependency(self, link_id: int, expected_version: int | None = None) -> LinkRecord:
        """Remove a dependency; returns it as it was (add_dependency brings it back).

        expected_version (an undo of its add): its type or lag changed since by someone else, the removal
        is refused naming them (a link's changes are recorded under its waiting action)."""

        def work(session: Session) -> LinkRecord:
            link = self._get(session, Dependency, link_id, "dependency")
            refs = self._refs(session, [link.predecessor_id, link.successor_id])
            if expected_version is not None and link.version != expected_version:
                who = last_change_of(session, "dependency", refs[link.successor_id])
                raise ConflictError(
                    f"{refs[link.successor_id]}'s dependency on {refs[link.predecessor_id]} was changed elsewhere "
                    f"since you read it{f', {who}' if who else ''}; nothing was saved."
                )
            record = LinkRecord(
                link.id,
                link.predecessor_id,
                refs[link.predecessor_id],
                link.successor_id,
                refs[link.successor_id],
                link.kind,
                link.lag_days,
                link.version,
            )
            session.delete(link)
            return record

        result: LinkRecord = self._write(
            work,
            _link_change(lambda link: f"remove {link.successor_ref}'s dependency on {link.predecessor_ref}"),
        )
        return result
