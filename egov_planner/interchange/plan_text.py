"""A plan's report text and registers as one TOML file (the demo's plan.toml).

What the CSVs cannot carry: the plan's details and report text, meetings,
other implications, consultation evidence, departments, people, objectives'
descriptions and leads, and external dependencies. Keys are the names
PlanService takes, so the file is applied through the same calls (and the
same checks) as an officer's edits. Dates are TOML dates (2004-01-12).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from egov_planner.model.errors import PlanError, RowError
from egov_planner.model.service import PlanService

_TEXT, _DATE, _INT, _BOOL = str, date, int, bool


def _keys(
    required: str = "", *, text: str = "", dates: str = "", whole: str = "", flags: str = ""
) -> dict[str, tuple[type, bool]]:
    """{key: (type, required)} from space-separated key names per type."""
    kinds = {**dict.fromkeys(text.split(), _TEXT), **dict.fromkeys(dates.split(), _DATE)}
    kinds |= {**dict.fromkeys(whole.split(), _INT), **dict.fromkeys(flags.split(), _BOOL)}
    return {key: (kind, key in required.split()) for key, kind in kinds.items()}


_PLAN_KEYS = _keys(
    text="authority title report_of introduction scope recommendations review_method summary "
    "financial_implications legal_implications consultations officer_name officer_role officer_phone "
    "officer_email key_decision_reason decision_maker background_papers wards_affected agenda_item",
    dates="status_date report_date",
    whole="due_soon_days",
    flags="key_decision in_forward_plan",
)
# Each [[table]]'s keys are the arguments of the PlanService call that adds one.
_TABLES: dict[str, dict[str, tuple[type, bool]]] = {
    "meetings": _keys("committee meets_on", text="committee", dates="meets_on"),
    "implications": _keys("topic", text="topic paragraph_refs", flags="applies"),
    "consultations": _keys(
        "method", text="method audience summary", dates="held_on", whole="respondents", flags="respondents_at_least"
    ),
    "people": _keys("name", text="name job_title department email phone"),
    "objectives": _keys("ref title", text="ref title description lead", whole="exempt_paragraph"),
    "externals": _keys(
        "name", text="name organisation confidence notes", dates="expected_on last_checked_on delivered_on"
    ),
}
_TYPE_WORDS = {_TEXT: "text", _DATE: "a date (YYYY-MM-DD)", _INT: "a whole number", _BOOL: "true or false"}


@dataclass
class PlanText:
    """plan.toml, read and checked: values ready for PlanService's calls."""

    plan: dict[str, Any] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _checked(source: str, where: str, values: Any, keys: dict[str, tuple[type, bool]]) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise RowError(source, None, None, f"{where} must be a table of keys")
    for key, value in values.items():
        if key not in keys:
            raise RowError(source, None, None, f"{where}: unknown key '{key}' (expected some of: {', '.join(keys)})")
        wanted = keys[key][0]
        # TOML's bool is an int to Python and a datetime is a date: tell them apart.
        wrong = (
            (wanted is _INT and isinstance(value, bool))
            or (wanted is _DATE and isinstance(value, datetime))
            or not isinstance(value, wanted)
        )
        if wrong:
            raise RowError(source, None, None, f"{where}: {key} must be {_TYPE_WORDS[wanted]}")
    for key, (_kind, required) in keys.items():
        if required and key not in values:
            raise RowError(source, None, None, f"{where}: {key} is required")
    return dict(values)


def read_plan_text(path: Path) -> PlanText:
    """Read and check a plan.toml; raises RowError naming the entry and key at fault."""
    source = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RowError(source, None, None, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise RowError(source, None, None, f"is not valid TOML ({error})") from None
    known = {"plan", "departments", *_TABLES}
    for name in raw:
        if name not in known:
            raise RowError(source, None, None, f"unknown section '{name}' (expected some of: {', '.join(known)})")
    text = PlanText(plan=_checked(source, "[plan]", raw.get("plan", {}), _PLAN_KEYS))
    departments = raw.get("departments", [])
    if not isinstance(departments, list) or not all(isinstance(name, str) for name in departments):
        raise RowError(source, None, None, "departments must be a list of names")
    text.departments = list(departments)
    for name, keys in _TABLES.items():
        entries = raw.get(name, [])
        if not isinstance(entries, list):
            raise RowError(source, None, None, f"{name} must be written as [[{name}]] entries")
        text.tables[name] = [
            _checked(source, f"[[{name}]] entry {number}", entry, keys) for number, entry in enumerate(entries, start=1)
        ]
    return text


def apply_plan_text(service: PlanService, text: PlanText, source: str) -> None:
    """Write the plan text through PlanService: the same checks as an officer's edits."""
    adders: dict[str, Callable[..., object]] = {
        "meetings": service.add_meeting,
        "implications": service.add_implication,
        "consultations": service.add_consultation,
        "people": service.add_person,
        "objectives": service.add_objective,
        "externals": service.add_external,
    }
    where = "[plan]"
    try:
        for number, name in enumerate(text.departments, start=1):
            where = f"departments entry {number}"
            service.add_department(name)
        where = "[plan]"
        if text.plan:
            service.update_plan(**text.plan)
        for table, add in adders.items():  # people before objectives (leads), in file order
            for number, entry in enumerate(text.tables.get(table, []), start=1):
                where = f"[[{table}]] entry {number}"
                add(**entry)
    except PlanError as error:
        raise RowError(source, None, None, f"{where}: {error}") from None
