"""Find a department, person or external dependency by name, adding it when the name is new.

The one place that turns a typed name into a row id, for single edits and imports
alike. An import preloads each table's names once (`preload`), so thousands of
rows cost one SELECT per table; a single edit asks by name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from egov_planner.model.entities import Department, ExternalDependency, Person
from egov_planner.model.errors import ValidationError
from egov_planner.model.validation import clean

Named = type[Department] | type[Person] | type[ExternalDependency]
# The one detail kept up to date on a row found by name (a person's job title, an external's expected date).
_DETAIL = {Person: "job_title", ExternalDependency: "expected_on"}


class Lookups:
    """Names to ids within one transaction; `created` lists the names added, by table."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[Named, dict[str, int]] = {}
        self.details: dict[Named, dict[str, Any]] = {}
        self.created: dict[Named, list[str]] = {Department: [], Person: [], ExternalDependency: []}

    def preload(self, entity: Named) -> dict[str, int]:
        """Every name of the table (the dict stays current as names are added)."""
        if entity not in self.known:
            detail = _DETAIL.get(entity)
            self.known[entity] = {}
            self.details[entity] = {}
            columns = [entity.name, entity.id] + ([getattr(entity, detail)] if detail else [])
            for name, ident, *rest in self.session.execute(select(*columns)):
                self.known[entity][name] = ident
                if rest:
                    self.details[entity][name] = rest[0]
        return self.known[entity]

    def _find(self, entity: Named, name: str) -> tuple[int | None, Any]:
        if entity in self.known:
            return self.known[entity].get(name), self.details[entity].get(name)
        detail = _DETAIL.get(entity)
        columns = [entity.id] + ([getattr(entity, detail)] if detail else [])
        found = self.session.execute(select(*columns).where(entity.name == name)).first()
        if found is None:
            return None, None
        return found[0], (found[1] if detail else None)

    def _id(self, entity: Named, name: str | None, detail: Any = None, **values: Any) -> int | None:
        """The row called name; added with values when new; its detail updated when given and different."""
        name = clean(name)
        if not name:
            return None
        ident, current = self._find(entity, name)
        column = _DETAIL.get(entity)
        if ident is None:
            row = entity(name=name, **values, **({column: detail} if column else {}))
            self.session.add(row)
            self.session.flush()
            ident = row.id
            self.created[entity].append(name)
        elif column and detail and detail != current:
            self.session.execute(
                update(entity).where(entity.id == ident).values({column: detail, "version": entity.version + 1})
            )
        if entity in self.known:
            self.known[entity][name] = ident
            if column:
                self.details[entity][name] = detail if detail else current
        return ident

    def department(self, name: str | None) -> int | None:
        """The department called name, added when new; None for no name."""
        return self._id(Department, name)

    def person(self, name: str | None, job_title: str | None = None, department_id: int | None = None) -> int | None:
        """The person called name, added when new (a job title given is kept up to date); None for no name."""
        return self._id(Person, name, clean(job_title), department_id=department_id)

    def external(self, name: str | None, expected_on: date | None = None) -> int | None:
        """The external dependency called name, added when new (an expected date given is kept); None for no name."""
        return self._id(ExternalDependency, name, expected_on)

    def existing_external(self, name: str | None) -> int | None:
        """An external dependency that must already be in the register (a service row names one)."""
        name = clean(name)
        if not name:
            return None
        ident, _ = self._find(ExternalDependency, name)
        if ident is None:
            raise ValidationError("external", f"there is no external dependency called {name}")
        return ident
