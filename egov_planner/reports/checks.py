"""What to check before a pack is issued: meetings already held, report text unchanged since the last report.

The pack is still built; these are warnings for the officer (the command line prints each on stderr,
the window lists them when the pack is made). Dates are British.
"""

from __future__ import annotations

from datetime import date

from egov_planner.model.dates import british
from egov_planner.model.records import PlanSnapshot
from egov_planner.reports.wording import join_words

# The report's text that says where the plan stands, so must be read again for each report (by section).
# How the review was carried out, implications and consultations may rightly stay as they were.
REVIEWED_TEXT = (
    ("introduction", "1. Introduction"),
    ("scope", "1. Scope"),
    ("recommendations", "2. Recommendations"),
    ("summary", "3.2 Summary"),
)


def pack_warnings(snapshot: PlanSnapshot, status_date: date, kind: str, part2: bool) -> list[str]:
    """One line for each thing that makes the pack untrue as at status_date (empty when none)."""
    if kind != "cabinet":
        return []  # the exceptions pack prints neither meetings nor report text
    warnings: list[str] = []
    held = [m for m in snapshot.meetings if m.meets_on < status_date]
    if held:
        names = "; ".join(f"{m.committee} {british(m.meets_on)}" for m in held)
        warnings.append(
            f"the pack is as at {british(status_date)}, after {'its meeting' if len(held) == 1 else 'its meetings'} "
            f"({names}): set the meetings this report goes to in the report details"
        )
    report = snapshot.last_report
    if report is None or part2 or report.header.as_of >= status_date:
        return warnings
    details = snapshot.details
    unchanged = [title for name, title in REVIEWED_TEXT if _same_text(getattr(details, name), report.text.get(name))]
    if unchanged:
        one = len(unchanged) == 1
        since = f"{report.header.label}, position as at {british(report.header.as_of)}"
        warnings.append(
            f"the report text has not been reviewed since the last report ({since}): {join_words(unchanged)} "
            f"{'reads as it' if one else 'read as they'} did then; "
            f"review {'it' if one else 'them'} for the position as at {british(status_date)}"
        )
    return warnings


def _same_text(now: object, then: object) -> bool:
    """Text that is there now and word for word what the last report said (white space aside)."""
    words = " ".join(str(now or "").split())
    return bool(words) and words == " ".join(str(then or "").split())
