"""What every command shares: the one-line usage error, argument types, and opening a plan for one command."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from egov_planner.model.dates import DateError, parse_date
from egov_planner.model.errors import PlanError

if TYPE_CHECKING:  # imported lazily at run time: `--help` must not load SQLAlchemy
    from sqlalchemy import Connection

    from egov_planner.model.service import PlanService
    from egov_planner.model.store import Store
    from egov_planner.model.store.opening import PlanLocation


class UsageError(Exception):
    """Bad input or usage: exit 2 with this one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _path_argument(text: str) -> Path:
    """A path the officer typed; an empty one (an unset shell variable) is not the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("no path given (it is empty)")
    return Path(text)


def _plan_argument(text: str) -> PlanLocation | Path:
    """PLAN: a plan file's path, or a PostgreSQL URL (postgresql://user@host:port/database).

    Which one is decided in store/opening.py; only text that names a scheme loads it (`--help` stays light).
    """
    if "://" not in text:
        return Path(text)
    from egov_planner.model.store.opening import plan_location

    return plan_location(text)


def _file_of(plan: object) -> Path | None:
    """The plan's file on this machine; None for a plan on a server."""
    return plan if isinstance(plan, Path) else None


def _date_argument(text: str) -> date:
    try:
        return parse_date(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} days: the window cannot be negative")
    return value


# --- opening plans -----------------------------------------------------------------------


def _open_for_reading(path: PlanLocation) -> Store:
    from egov_planner.model.store.opening import open_for_reading

    return open_for_reading(path)


def _open_for_writing(path: PlanLocation) -> PlanService:
    from egov_planner.model.service import PlanService
    from egov_planner.model.store.opening import open_for_writing

    return PlanService(open_for_writing(path))


@contextlib.contextmanager
def _reading(path: PlanLocation) -> Iterator[PlanService]:
    """The plan open read-only for one command, closed afterwards."""
    from egov_planner.model.service import PlanService

    with contextlib.closing(_open_for_reading(path)) as store:
        yield PlanService(store)


@contextlib.contextmanager
def _reading_core(path: PlanLocation) -> Iterator[Connection]:
    """The plan open read-only as one Core read transaction: no service, no ORM (a third of start-up)."""
    with contextlib.closing(_open_for_reading(path)) as store, store.connection() as connection:
        yield connection


@contextlib.contextmanager
def _writing(path: PlanLocation) -> Iterator[PlanService]:
    """The plan open for editing (locked, backed up) for one command, closed afterwards."""
    service = _open_for_writing(path)
    with contextlib.closing(service.store):
        yield service


@contextlib.contextmanager
def _naming_plan(plan: PlanLocation) -> Iterator[None]:
    """A refusal about the plan's content (a label, a report) says which plan file it is about."""
    try:
        yield
    except PlanError as error:
        if str(error).startswith(f"{plan.name} "):
            raise  # it names the plan already ("plan.egov is open read-only: ...")
        raise PlanError(f"{plan.name}: {error}") from None


def _status_date(requested: date | None, plan_date: date | None) -> date:
    from egov_planner.model.planning import status_date

    return status_date(plan_date, requested)
