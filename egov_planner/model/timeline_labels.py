"""Where an arrow's lag label ('SS+5d') goes, for the window and the printed timeline alike (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from egov_planner.model.dates import shift
from egov_planner.model.timeline import RowKind, Timeline

Span = tuple[float, float]  # from x .. to x on one row


@dataclass(frozen=True, slots=True)
class LabelSpot:
    """Where a lag label is drawn: on `row` (in the half above its middle), its left edge at x."""

    row: int
    x: float


def label_obstacles(
    timeline: Timeline,
    rows: tuple[int, int],
    x_of: Callable[[date], float],
    measure: Callable[[str], float],
    text_gap: float,
) -> dict[int, list[Span]]:
    """What a lag label must keep clear of on rows first..last, as x spans: each bar with its forecast and
    the ref printed after it, each diamond with its words (either side: a drawer may put them before it),
    each objective's summary bar. x_of is the drawer's x of a day's left edge; measure its text width."""
    taken: dict[int, list[Span]] = {}
    for row in range(max(0, rows[0]), min(len(timeline.rows) - 1, rows[1]) + 1):
        found = timeline.rows[row]
        if found.kind is RowKind.ACTION:
            bar = timeline.bars.get(found.ident)
            if bar is not None:
                end = x_of(shift(bar.finish, 1))
                taken[row] = [(x_of(bar.start) - 1, end + text_gap + measure(f"{bar.letter} {bar.ref}"))]
        elif found.kind is RowKind.EXTERNAL:
            milestone = timeline.milestones.get(found.ident)
            if milestone is not None:
                x = x_of(milestone.on)
                words = measure(f"{milestone.name} — {'delivered' if milestone.delivered else 'expected'} "
                                f"{milestone.on:%d/%m/%Y}") + text_gap  # fmt: skip
                taken[row] = [(x - 6 - words, x + 6 + words)]
        elif found.span is not None:
            taken[row] = [(x_of(found.span[0]) - 4, x_of(shift(found.span[1], 1)) + 4)]
    return taken


def place_lag_label(
    points: tuple[tuple[float, int], ...],
    width: float,
    taken: dict[int, list[Span]],
    bounds: Span,
    rows: tuple[int, int],
    gap: float = 2.0,
    head: float = 6.0,
) -> LabelSpot | None:
    """A spot for an arrow's lag label, or None when there is no room anywhere along the arrow.

    points: the arrow's corners as (x, row), from its tail to its head, each run horizontal (same row)
    or vertical (same x), as the drawers route them. taken: each row's x spans already used (bars,
    refs, diamonds and their text, labels placed before); the spot found is added to it, so later
    labels keep clear. bounds: the x range a label may use; rows: the first and last row drawn.
    A label sits beside the arrow: first on the run into the head (the successor's row), sliding along
    it clear of what is there; then beside the vertical leg, on each row it passes, nearest the head
    first; then on the tail's row. It never overlaps anything in `taken`.
    """
    first_row, last_row = rows

    def free(row: int, left: float) -> bool:
        if not first_row <= row <= last_row or left < bounds[0] or left + width > bounds[1]:
            return False
        right = left + width
        return all(right + gap <= a or left >= b + gap for a, b in taken.get(row, ()))

    def along(row: int, low: float, high: float) -> float | None:
        """The leftmost free left edge in low..high (right edge at most high) on row."""
        candidates = [low] + [b + gap for _a, b in taken.get(row, ()) if low < b + gap <= high - width]
        return next((x for x in sorted(candidates) if x + width <= high and free(row, x)), None)

    def settle(row: int, x: float) -> LabelSpot:
        taken.setdefault(row, []).append((x, x + width))
        return LabelSpot(row, x)

    # Runs from the head back to the tail: a label is read as belonging to the end it is nearest.
    runs = list(zip(points, points[1:], strict=False))[::-1]
    for (x1, row1), (x2, row2) in runs:
        if row1 == row2:  # a horizontal run: slide along it, keeping clear of the arrowhead
            low, high = min(x1, x2) + gap, max(x1, x2) - gap - head
            x = along(row1, low, high)
            if x is not None:
                return settle(row1, x)
            continue
        step = 1 if row1 > row2 else -1  # walk the leg from the head's end back to the tail's
        # Only its rows in sight: a leg may pass thousands of rows, and a label off screen is never drawn.
        start, stop = (max(row2, first_row), min(row1, last_row)) if step == 1 else (
            min(row2, last_row), max(row1, first_row))  # fmt: skip
        for row in range(start, stop + step, step):
            for x in (x1 + gap, x1 - gap - width):  # right of the leg, else left of it
                if free(row, x):
                    return settle(row, x)
    return None
