"""What changed since a recorded report, in committee language (the `changes` command's text).

Plain text from model/cycle.py's ChangesSince: counts first, then each list with refs and titles,
revised target dates with from → to, the slippage in days, the reason and who agreed it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from egov_planner.model.cycle import ChangesSince, RagChange, Revised, RevisionRecord
from egov_planner.model.dates import british

RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green", "B": "Blue", "N": "not rated"}
# Each list's heading and how the summary line counts it, in the contract's order.
_HEADINGS = {
    "completed": ("Completed since the report", "completed"),
    "newly_overdue": ("Newly overdue", "newly overdue"),
    "newly_at_risk": ("Newly at risk", "newly at risk"),
    "revised": ("Target dates revised", "revised"),
    "added": ("Added since the report", "added"),
    "removed": ("Removed since the report", "removed"),
    "rag_changes": ("RAG changes", "RAG changed"),
}


def slippage(days: int) -> str:
    """'slipped 91 days', 'brought forward 3 days', 'no change'."""
    if days == 0:
        return "no change"
    unit = "day" if abs(days) == 1 else "days"
    return f"slipped {days} {unit}" if days > 0 else f"brought forward {-days} {unit}"


def changes_text(
    changes: ChangesSince, titles: Mapping[str, str], revisions: Mapping[str, RevisionRecord], authority: str
) -> str:
    """The listing: titles by ref (now, else as reported); revisions: each ref's latest revision."""
    since = changes.since
    counts = changes.counts()
    lines = [
        f"{authority} — changes since '{since.label}' (position as at {british(since.as_of)}) "
        f"to the position as at {british(changes.as_of)}",
        ", ".join(f"{counts[name]} {_HEADINGS[name][1]}" for name in _HEADINGS),
    ]

    def ref_line(ref: str) -> str:
        return f"  {ref:<8} {titles.get(ref, '')}".rstrip()

    def revised_line(item: Revised) -> str:
        line = f"  {item.ref:<8} {british(item.from_due)} → {british(item.to_due)} ({slippage(item.slip_days)})"
        reason = item.reason or "no reason recorded"
        agreed = revisions[item.ref].agreed_by if item.ref in revisions else ""
        return f"{line}: {reason}" + (f"; agreed by {agreed}" if agreed else "")

    def rag_line(item: RagChange) -> str:
        before, after = (RAG_WORDS.get(letter, letter) for letter in (item.from_rag, item.to_rag))
        return f"  {item.ref:<8} {before} → {after}"

    render: dict[str, Callable[[object], str]] = {
        "revised": lambda item: revised_line(item),  # type: ignore[arg-type]
        "rag_changes": lambda item: rag_line(item),  # type: ignore[arg-type]
    }
    for name, (heading, _) in _HEADINGS.items():
        items = getattr(changes, name)
        lines += ["", f"{heading} ({len(items)})"]
        if not items:
            lines.append("  none")
        for item in items:
            lines.append(render[name](item) if name in render else ref_line(item))
    return "\n".join(lines) + "\n"
