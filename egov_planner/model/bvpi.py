"""BVPI 157 position of a plan at a date: the figures the `bvpi` command, window and pack show.

The arithmetic is in rules.py; this gathers it into one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from egov_planner.model.dates import british, long_british
from egov_planner.model.records import PlanSnapshot
from egov_planner.model.rules import (
    BVPI_TARGET_DATE,
    BvpiFigure,
    Shortfall,
    actual_only,
    bvpi_at,
    bvpi_breakdown,
    bvpi_milestones,
    bvpi_shortfall,
)
from egov_planner.model.tables import INTERACTION_TYPES


@dataclass(frozen=True, slots=True)
class BvpiPosition:
    authority: str
    as_of: date
    now: BvpiFigure  # actual, else forecast: a forecast wherever a position is stated
    confirmed: BvpiFigure  # actual e-enabled-on dates only: the position as at as_of
    not_permissible: int
    milestones: list[tuple[date, BvpiFigure]]
    confirmed_milestones: list[tuple[date, BvpiFigure]]  # the same dates, actual dates only
    by_department: dict[str, BvpiFigure]
    by_interaction: dict[int, BvpiFigure]
    shortfall: list[Shortfall]

    def as_json(self) -> dict[str, object]:
        def figure(value: BvpiFigure) -> dict[str, object]:
            return {"enabled": value.enabled, "permissible": value.permissible, "percent": value.percent}

        return {
            "as_of": self.as_of.isoformat(),
            **figure(self.now),
            "confirmed": self.confirmed.enabled,
            "confirmed_percent": self.confirmed.percent,
            "milestones": [{"date": when.isoformat(), **figure(value)} for when, value in self.milestones],
            "by_department": [{"department": name, **figure(value)} for name, value in self.by_department.items()],
            "by_interaction": [
                {"code": code, "interaction": INTERACTION_TYPES[code], **figure(value)}
                for code, value in self.by_interaction.items()
            ],
            "shortfall": [
                {
                    "service": item.row.service,
                    "department": item.row.department,
                    "code": item.row.interaction,
                    "interaction": INTERACTION_TYPES[item.row.interaction],
                    "reason": item.reason,
                }
                for item in self.shortfall
            ],
        }

    def as_text(self) -> str:
        lines = [
            f"BVPI 157 — {self.authority or 'this plan'} — position as at {long_british(self.as_of)}",
            f"confirmed e-enabled: {self.confirmed.enabled} of {self.confirmed.permissible} legally permissible "
            f"interactions ({self.confirmed.percent:.1f}%), from e-enabled-on dates; "
            f"{self.not_permissible} not legally permissible (counted in neither)",
            f"forecast: {self.now.enabled} of {self.now.permissible} legally permissible interactions "
            f"({self.now.percent:.1f}%), counting forecast dates where no e-enabled-on date is recorded",
            "",
            "Milestones (actual dates, else forecasts)",
        ]
        for when, value in self.milestones:
            marker = "  <- target 100%" if when == BVPI_TARGET_DATE else ""
            lines.append(
                f"  {british(when)}  {value.enabled:>5} of {value.permissible:<5} {value.percent:5.1f}%{marker}"
            )
        lines += ["", f"By department (as at {british(self.as_of)})"]
        width = max((len(name) for name in self.by_department), default=10)
        for name, value in self.by_department.items():
            lines.append(f"  {name or '(no department)':<{width}}  {_figure_text(value)}")
        lines += ["", f"By interaction type (as at {british(self.as_of)})"]
        for code, value in self.by_interaction.items():
            lines.append(f"  {code} {INTERACTION_TYPES[code]:<66} {_figure_text(value)}")
        lines += ["", f"{shortfall_title(self.as_of)} ({len(self.shortfall)})"]
        if not self.shortfall:
            lines.append("  none: on course for 100%" if self.as_of < BVPI_TARGET_DATE else "  none: 100% was reached")
        for item in self.shortfall:
            lines.append(f"  - {item.row.service}: {INTERACTION_TYPES[item.row.interaction]} — {item.reason}")
        return "\n".join(lines) + "\n"


def shortfall_title(as_of: date) -> str:
    """The shortfall list's heading: a forecast until the target date, then what was recorded."""
    title = f"Not e-enabled by {british(BVPI_TARGET_DATE)}"
    return f"{title} (forecast)" if as_of < BVPI_TARGET_DATE else f"{title} (from recorded e-enabled dates)"


def _figure_text(value: BvpiFigure) -> str:
    """' 133 of 250   53.2%'."""
    return f"{value.enabled:>4} of {value.permissible:<4} {value.percent:5.1f}%"


def bvpi_position(snapshot: PlanSnapshot, as_of: date) -> BvpiPosition:
    rows = [row.facts() for row in snapshot.service_rows]
    actual = actual_only(rows)
    externals = snapshot.external_facts()
    milestones = bvpi_milestones(rows, externals)
    return BvpiPosition(
        authority=snapshot.details.authority,
        as_of=as_of,
        now=bvpi_at(rows, externals, as_of),
        confirmed=bvpi_at(actual, externals, as_of),
        not_permissible=sum(1 for row in rows if not row.permissible),
        milestones=[(when, bvpi_at(rows, externals, when)) for when in milestones],
        confirmed_milestones=[(when, bvpi_at(actual, externals, when)) for when in milestones],
        by_department={str(k): v for k, v in bvpi_breakdown(rows, externals, as_of, "department").items()},
        by_interaction={int(k): v for k, v in bvpi_breakdown(rows, externals, as_of, "interaction").items()},  # type: ignore[call-overload]
        # After the target date only recorded e-enabled dates count; before it, the list is a forecast.
        shortfall=bvpi_shortfall(rows, externals, as_of=as_of),
    )
