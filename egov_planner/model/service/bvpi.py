"""BVPI 157 services and their service x interaction rows."""

from __future__ import annotations

from typing import Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session

from egov_planner.model.entities import (
    INTERACTION_TYPES,
    ExternalDependency,
    Service,
    ServiceInteraction,
)
from egov_planner.model.errors import ValidationError
from egov_planner.model.records import ServiceRowRecord
from egov_planner.model.service.change_sets import NewServiceRow, ServiceChanges, ServiceRowChanges
from egov_planner.model.service.common import (
    Change,
    ChangeKind,
)
from egov_planner.model.service.lookups import Lookups
from egov_planner.model.service.unit_of_work import Area, add_row, apply, column_values, given, refuse_taken
from egov_planner.model.validation import check_lgsl, check_service_name, refuse_first, service_row_errors


class Bvpi(Area):
    """BVPI 157 services and their service x interaction rows."""

    def add_service(self, name: str, lgsl: int | None = None, department: str | None = None) -> int:
        """A new BVPI 157 service (its department by name, added when new). Returns its id."""
        name = check_service_name(name)
        check_lgsl(lgsl)

        taken = (Service.name, name, "name", f"there is already a service called {name}")
        return self._add_unique(
            ChangeKind.SERVICE,
            f"add service {name}",
            taken,
            lambda session: Service(name=name, lgsl=lgsl, department_id=Lookups(session).department(department)),
        )

    def update_service(
        self, service_id: int, expected_version: int | None = None, **changes: Unpack[ServiceChanges]
    ) -> None:
        """Change a service's name, LGSL number or department (by name); all its rows follow."""
        self._unknown(changes, ServiceChanges)
        if "lgsl" in changes:
            check_lgsl(changes["lgsl"])

        def work(session: Session) -> None:
            service = self._get(session, Service, service_id, "service")
            self._expect(service, expected_version, service.name)

            def rename(value: str) -> None:
                name = check_service_name(value)
                # Said in words here, not left to the database's unique index (an officer can't read that).
                refuse_taken(
                    session, Service.name, name, "name", f"there is already a service called {name}", but=service_id
                )
                service.name = name

            apply(
                service,
                changes,
                department=lambda value: setattr(service, "department_id", Lookups(session).department(value)),
                name=rename,
            )

        self._write(work, lambda _: Change(ChangeKind.SERVICE, "change a service", entity_ids=frozenset({service_id})))

    @staticmethod
    def _check_service_row(row: ServiceInteraction) -> None:
        refuse_first(service_row_errors(row.interaction, row.permissible, row.reason, row.enabled_on, row.forecast_on))

    def _insert_service_row(
        self,
        session: Session,
        service: Service,
        interaction: int,
        values: NewServiceRow,
    ) -> int:
        if session.scalar(
            select(ServiceInteraction.id).where(
                ServiceInteraction.service_id == service.id, ServiceInteraction.interaction == interaction
            )
        ):
            raise ValidationError(
                "interaction", f"{service.name} already has a row for '{INTERACTION_TYPES.get(interaction)}'"
            )
        row = ServiceInteraction(
            service_id=service.id,
            interaction=interaction,
            permissible=values.get("permissible", True),
            reason=values.get("reason") or "",
            enabled_on=values.get("enabled_on"),
            forecast_on=values.get("forecast_on"),
            channels=values.get("channels") or "",
            external_id=Lookups(session).existing_external(values.get("external")),
        )
        self._check_service_row(row)
        return add_row(session, row)

    def add_service_row(self, service_id: int, interaction: int, **values: Unpack[NewServiceRow]) -> int:
        """A service x interaction row for an existing service (the external by name, already registered)."""

        def work(session: Session) -> int:
            service = self._get(session, Service, service_id, "service")
            return self._insert_service_row(session, service, interaction, values)

        return self._add(ChangeKind.SERVICE, "add a service row", work)

    def add_service_row_named(
        self,
        service: str,
        interaction: int,
        *,
        department: str | None = None,
        lgsl: int | None = None,
        **values: Unpack[NewServiceRow],
    ) -> int:
        """A row for the service called `service`, adding the service when new — one transaction.

        department and lgsl, when given, are set on the service (a new department
        name is added). A refused row saves nothing: no service, no department.
        """
        name = check_service_name(service, "service")
        check_lgsl(lgsl)

        def work(session: Session) -> int:
            found = session.scalar(select(Service).where(Service.name == name))
            if found is None:
                found = Service(name=name)
                session.add(found)
            if department is not None:
                found.department_id = Lookups(session).department(department)
            if lgsl is not None:
                found.lgsl = lgsl
            session.flush()
            return self._insert_service_row(session, found, interaction, values)

        return self._add(ChangeKind.SERVICE, f"add a service row to {name}", work)

    def update_service_row(
        self, row_id: int, expected_version: int | None = None, **changes: Unpack[ServiceRowChanges]
    ) -> None:
        """Change one service x interaction row (permissible, reason, dates, channels, external by name)."""
        self._unknown(changes, ServiceRowChanges)

        def work(session: Session) -> None:
            row = self._get(session, ServiceInteraction, row_id, "service row")
            self._expect(row, expected_version, "This service row")
            for name, value in given(changes):
                if name == "external":
                    row.external_id = Lookups(session).existing_external(value)
                elif name in {"reason", "channels"}:
                    setattr(row, name, value or "")
                else:
                    setattr(row, name, value)
            self._check_service_row(row)

        self._write(work, lambda _: Change(ChangeKind.SERVICE, "change a service row", entity_ids=frozenset({row_id})))

    def delete_service_row(self, row_id: int, expected_version: int | None = None) -> ServiceRowRecord:
        """Delete one service x interaction row; returns it as it was (restore_service_row brings it back)."""

        def saved(row: ServiceInteraction) -> ServiceRowRecord:
            service = row.service
            session = Session.object_session(row)
            external = session.get(ExternalDependency, row.external_id) if session and row.external_id else None
            return ServiceRowRecord(
                **column_values(ServiceInteraction, row),
                service=service.name,
                lgsl=service.lgsl,
                department_id=service.department_id,
                department=service.department.name if service.department is not None else "",
                external=external.name if external is not None else "",
                service_version=service.version,
            )

        return self._delete_simple(
            ServiceInteraction, "service row", row_id, saved, ChangeKind.SERVICE, expected_version=expected_version
        )

    def restore_service_row(self, saved: ServiceRowRecord) -> None:
        """Undo delete_service_row: the same row (same id and values) comes back."""

        def check(session: Session) -> None:
            service = self._get(session, Service, saved.service_id, "service")
            clash = session.scalar(
                select(ServiceInteraction.id).where(
                    ServiceInteraction.service_id == service.id, ServiceInteraction.interaction == saved.interaction
                )
            )
            if clash is not None:
                raise ValidationError(
                    "interaction", f"{service.name} already has a row for '{INTERACTION_TYPES.get(saved.interaction)}'"
                )

        self._restore_simple(ServiceInteraction, ChangeKind.SERVICE, "restore a service row", saved, check)
