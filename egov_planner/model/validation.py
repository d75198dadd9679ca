"""Every check of every field, in one pure module (no database, no Qt).

Single edits (PlanService), every import (the rows a parser typed) and
`egov-planner check` (the rows as stored) all call these, so a bad value gets
the same message whichever door it came in by. A check raises
ValidationError(field, message), naming the model's field; the `*_errors`
functions collect every refusal of one row instead, for `check`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from egov_planner.model.dates import british, in_range, lag_in_range, lag_message, out_of_range_message
from egov_planner.model.entities import CONFIDENCE_VALUES, DEPENDENCY_TYPES, INTERACTION_TYPES, STATUS_VALUES
from egov_planner.model.errors import ValidationError
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.rules import Problem

REF_PATTERN = re.compile(r"^[^\s;,]{1,40}$")
LGSL_MAX = 999_999

ACTION_TITLE = "the action's title"
SERVICE_NAME = "the service's name"
# How a date field is named in a message ("due 31/12/9999 is outside …").
_DATE_WORDS = {
    "completed_on": "completed on",
    "expected_on": "expected",
    "delivered_on": "delivered",
    "enabled_on": "enabled on",
    "forecast_on": "forecast",
    "last_checked_on": "last checked",
    "meets_on": "meeting date",
    "held_on": "held on",
    "reported_on": "reported on",
    "left_on": "left on",
    "report_date": "report date",
}
# How a required date is named when it is missing.
_DATE_NAMES = {"due": "the due date", "meets_on": "the meeting's date", "reported_on": "the date of the update"}


def clean(text: str | None) -> str:
    return (text or "").strip()


def required_text(value: str | None, field: str, what: str) -> str:
    """A name or title that must not be blank; `what` says which ('the action's title')."""
    text = clean(value)
    if not text:
        raise ValidationError(field, f"a value is required ({what})")
    return text


AGENDA_ITEM_MAX = 40  # the plan table's agenda_item column


def check_agenda_item(value: Any) -> str:
    """An agenda item number as the committee's agenda prints it ('7', 'B4'): one short line."""
    text = clean("" if value is None else str(value))
    if "\n" in text or "\r" in text or len(text) > AGENDA_ITEM_MAX:
        raise ValidationError(
            "agenda_item", f"'{text[:50]}' is not an agenda item: one line of at most {AGENDA_ITEM_MAX} characters"
        )
    return text


def check_background_papers(value: Any) -> str:
    """Background papers, one a line: blank lines and spaces around each paper are dropped."""
    lines = [" ".join(line.split()) for line in str(value or "").splitlines()]
    return "\n".join(line for line in lines if line)


def check_ref(value: str | None, field: str = "ref") -> str:
    ref = clean(value)
    if not ref:
        raise ValidationError(field, "a value is required (a reference such as A1.1)")
    if not REF_PATTERN.match(ref):
        raise ValidationError(
            field, f"'{ref}' is not a usable reference: no spaces, ';' or ',' and at most 40 characters"
        )
    return ref


def check_percent(value: Any) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        raise ValidationError("percent_complete", f"'{value}' is not a whole number") from None
    if not 0 <= percent <= 100:
        raise ValidationError("percent_complete", f"{percent}% complete is outside 0-100")
    return percent


def check_status(value: str | None) -> str:
    status = clean(value).lower().replace(" ", "_").replace("-", "_")
    if status not in STATUS_VALUES:
        labels = ", ".join(s.replace("_", " ") for s in STATUS_VALUES)
        raise ValidationError("status", f"'{value}' is not a status (use one of: {labels})")
    return status


def check_exempt(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7:
        raise ValidationError("exempt_paragraph", f"'{value}' is not a paragraph of Schedule 12A (use 1 to 7)")
    return value


def check_date(value: Any, field: str, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise ValidationError(field, f"a value is required ({_DATE_NAMES.get(field, field.replace('_', ' '))})")
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field, f"{value!r} is not a date")
    if not in_range(value):
        # Named, as 'due 30/04/2004 is before start' is: check lists many fields of one row.
        raise ValidationError(
            field, out_of_range_message(f"{_DATE_WORDS.get(field, field.replace('_', ' '))} {british(value)}")
        )
    return value


def check_start_due(start: date | None, due: date | None, field: str = "due") -> None:
    """Due on or after start; `field` is the one the edit changed (due unless only start did)."""
    if start is not None and due is not None and due < start:
        raise ValidationError(field, f"due {british(due)} is before start {british(start)}")


def check_kind(kind: str | None) -> str:
    value = clean(kind).upper() or "FS"
    if value not in DEPENDENCY_TYPES:
        raise ValidationError("kind", f"'{kind}' is not a dependency type (FS, SS, FF or SF)")
    return value


def check_lag(lag: Any) -> int:
    if isinstance(lag, bool) or not isinstance(lag, int):
        raise ValidationError("lag_days", f"'{lag}' is not a whole number of days")
    if not lag_in_range(lag):
        raise ValidationError("lag_days", lag_message(lag))
    return lag


def check_interaction(value: Any) -> int:
    if isinstance(value, bool) or value not in INTERACTION_TYPES:
        raise ValidationError("interaction", f"'{value}' is not an interaction type (LGIL code 0-9)")
    return int(value)


def check_reason(permissible: bool, reason: str | None) -> None:
    """A row that cannot legally be done electronically must say why."""
    if not permissible and not clean(reason):
        raise ValidationError("reason", "say why the interaction is not legally permissible electronically")


def check_lgsl(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LGSL_MAX:
        raise ValidationError("lgsl", f"'{value}' is not an LGSL number (0 to {LGSL_MAX})")
    return value


def check_service_name(value: str | None, field: str = "name") -> str:
    return required_text(value, field, SERVICE_NAME)


def check_confidence(value: Any) -> str:
    if value not in CONFIDENCE_VALUES:
        raise ValidationError("confidence", f"'{value}' is not high, medium or low")
    return str(value)


def check_external_name(value: str | None) -> str:
    name = required_text(value, "name", "the external dependency's name")
    if ";" in name:
        raise ValidationError("name", "an external dependency's name cannot contain ';'")
    return name


def check_revision(
    ref: str, from_due: date, to_due: date, reported: bool, reason: str | None, last_reason: str = ""
) -> str | None:
    """Once the plan has been reported, a new target date is a revision: it needs a reason (returned cleaned).

    None when it is no revision (not reported yet, or the date did not move). last_reason: the action's
    latest revision's reason; repeating it (an exported file's cell left as it was) is not a reason.
    """
    if not reported or from_due == to_due:
        return None
    text = clean(reason)
    moving = f"moving {ref}'s target date from {british(from_due)} to {british(to_due)} is a revision"
    if not text:
        raise ValidationError(
            "revision_reason",
            f"the plan has been reported to committee, so {moving}: give the reason (and who agreed it, if known)",
        )
    if last_reason and text == clean(last_reason):
        raise ValidationError(
            "revision_reason",
            f"{moving}, but its reason is the one given for its last revision ('{text}'); give this revision's reason",
        )
    return text


def check_expected_needs_external(external: str | None, expected: date | None) -> None:
    if expected is not None and not clean(external):
        raise ValidationError("external_expected", "a date is given but no external dependency")


def check_one_expected_date(given: dict[str, tuple[date, int]], name: str, expected: date | None, row: int) -> None:
    """One file gives one expected date per external dependency; `given` remembers the first (and its row)."""
    if expected is None:
        return
    if name in given and given[name][0] != expected:
        first, first_row = given[name]
        raise ValidationError(
            "external_expected",
            f"{name} is expected {british(first)} in row {first_row} but {british(expected)} here; give one date",
        )
    given.setdefault(name, (expected, row))


def check_external(changes: Mapping[str, Any]) -> None:
    """The fields of an external dependency that are given."""
    if "name" in changes:
        check_external_name(changes["name"])
    if "confidence" in changes:
        check_confidence(changes["confidence"])
    for name in ("expected_on", "last_checked_on", "delivered_on"):
        if name in changes:
            check_date(changes[name], name)


def check_respondents(value: int | None) -> None:
    if value is not None and value < 0:
        raise ValidationError("respondents", "the number of people cannot be negative")


def check_due_soon_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
        raise ValidationError("due_soon_days", f"'{value}' is not a number of days from 0 to 365")
    return value


def check_yes_no(value: Any, field: str) -> None:
    if value not in (True, False, None):
        raise ValidationError(field, f"{field.replace('_', ' ')} is yes, no or not set")


# --- whole rows ------------------------------------------------------------------------------------


def action_errors(action: Any) -> list[ValidationError]:
    """Every refusal of one action's fields, in the order an officer reads them.

    action: anything with an action's fields: the row being edited, or a stored ActionRecord.
    """
    return errors_of(
        lambda: check_ref(action.ref),
        lambda: required_text(action.title, "title", ACTION_TITLE),
        lambda: check_date(action.due, "due", required=True),
        lambda: check_date(action.start, "start"),
        lambda: check_date(action.completed_on, "completed_on"),
        # Kept on any status (an action reopened keeps it); the rules read it only while open.
        lambda: check_date(action.expected, "expected"),
        lambda: check_start_due(action.start, action.due),
        lambda: check_status(action.status),
        lambda: check_percent(action.percent_complete),
        lambda: check_exempt(action.exempt_paragraph),
    )


def service_row_errors(
    interaction: Any, permissible: bool, reason: str | None, enabled_on: Any = None, forecast_on: Any = None
) -> list[ValidationError]:
    return errors_of(
        lambda: check_interaction(interaction),
        lambda: check_reason(permissible, reason),
        lambda: check_date(enabled_on, "enabled_on"),
        lambda: check_date(forecast_on, "forecast_on"),
    )


def link_errors(kind: Any, lag_days: Any) -> list[ValidationError]:
    return errors_of(lambda: check_kind(kind), lambda: check_lag(lag_days))


def external_errors(
    name: Any, confidence: Any, expected_on: Any = None, delivered_on: Any = None
) -> list[ValidationError]:
    return errors_of(
        lambda: check_external_name(name),
        lambda: check_confidence(confidence),
        lambda: check_date(expected_on, "expected_on"),
        lambda: check_date(delivered_on, "delivered_on"),
    )


def refuse_first(errors: list[ValidationError]) -> None:
    """A single edit or an import row stops at its first refusal."""
    if errors:
        raise errors[0]


def errors_of(*checks: Callable[[], object]) -> list[ValidationError]:
    """Run each check and keep every refusal (for `check`, which lists them all)."""
    found: list[ValidationError] = []
    for check in checks:
        try:
            check()
        except ValidationError as error:
            found.append(error)
    return found


def _found(where: str, errors: list[ValidationError]) -> list[Problem]:
    return [Problem(where, error.message) for error in errors]


def stored_problems(snapshot: PlanSnapshot) -> list[Problem]:
    """`egov-planner check`: every stored value that breaks its field's rule (a plan made by hand, or an old file).

    Each problem names the row, then gives the message an edit of that field would give.
    """
    # A status date an older version accepted: the rules clamp it, but it is wrong and should be fixed.
    details = snapshot.details
    problems = _found("the plan", errors_of(lambda: check_date(details.status_date, "status_date")))
    problems += _found("the plan", errors_of(lambda: check_date(details.report_date, "report_date")))
    problems += _found("the plan", errors_of(lambda: check_agenda_item(details.agenda_item)))
    for action in sorted(snapshot.actions, key=lambda a: a.ref):
        problems += _found(action.ref, action_errors(action))
    for link in snapshot.links:
        problems += _found(
            f"{link.successor_ref} (depends on {link.predecessor_ref})", link_errors(link.kind, link.lag_days)
        )
    for external in sorted(snapshot.externals, key=lambda e: e.name):
        errors = external_errors(external.name, external.confidence, external.expected_on, external.delivered_on)
        problems += _found(f"external '{external.name}'", errors)
    for row in sorted(snapshot.service_rows, key=lambda r: (r.service, r.interaction)):
        errors = service_row_errors(row.interaction, row.permissible, row.reason, row.enabled_on, row.forecast_on)
        problems += _found(f"service '{row.service}' interaction {row.interaction}", errors)
    return problems
