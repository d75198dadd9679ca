"""The timeline's dependency arrows and the index that finds a screenful of them (no Qt).

An arrow runs along its from row at from_at, turns up or down there, then runs along its to row to
to_at. The window draws only what is on screen and a printed sheet only what is on it, so both ask the
index (ArrowIndex, a base of model/timeline.py's Timeline) for the arrows crossing a block of rows and days.
"""

from __future__ import annotations

import bisect
import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date


class End(enum.StrEnum):
    START = "start"
    FINISH = "finish"


# Which end of the predecessor and of the successor each link kind joins.
LINK_ENDS = {
    "FS": (End.FINISH, End.START),
    "SS": (End.START, End.START),
    "FF": (End.FINISH, End.FINISH),
    "SF": (End.START, End.FINISH),
}


@dataclass(slots=True)  # not frozen: 40,000 are made per layout
class Arrow:
    from_row: int
    from_at: date  # the arrow leaves at the left edge of this day
    to_row: int
    to_at: date
    kind: str  # FS, SS, FF, SF, or "EXT" from an external's diamond
    lag_days: int
    successor_id: int
    predecessor_id: int | None = None  # None when from an external
    external_id: int | None = None

    @property
    def label(self) -> str:
        """'FS+10d', 'SS', '' for a plain FS."""
        if self.kind == "EXT" or (self.kind == "FS" and not self.lag_days):
            return ""
        if not self.lag_days:
            return self.kind
        return f"{self.kind}{'+' if self.lag_days > 0 else '-'}{abs(self.lag_days)}d"

    @property
    def top(self) -> int:
        return min(self.from_row, self.to_row)

    @property
    def bottom(self) -> int:
        return max(self.from_row, self.to_row)


_BLOCK = 256  # arrows indexed by blocks of rows, so a screenful finds its arrows without a full scan


class ArrowIndex:
    """The arrows of a Timeline, indexed by rows and by the day each turns (Timeline holds the fields)."""

    arrows: list[Arrow]  # sorted by top row
    _tops: list[int]
    _block_bottom: list[int]
    _ends: dict[int, list[Arrow]]
    _turn_arrows: list[Arrow]
    _turn_tops: list[int]
    _turn_bottoms: list[int]
    _turn_deepest: list[int]
    _group_starts: list[int]
    _group_keys: list[tuple[date, End | None]]
    _group_days: list[int]
    _group_sides: dict[End | None, tuple[list[int], list[int]]]

    def arrows_between(self, first_row: int, last_row: int) -> list[Arrow]:
        """Arrows that cross rows first_row..last_row (a screenful): only these are drawn."""
        end = bisect.bisect_right(self._tops, last_row)
        found: list[Arrow] = []
        arrows = self.arrows
        for block, deepest in enumerate(self._block_bottom):
            start = block * _BLOCK
            if start >= end:
                break
            if deepest < first_row:
                continue
            found.extend(a for a in arrows[start : min(end, start + _BLOCK)] if a.bottom >= first_row)
        return found

    def arrows_touching(self, first_row: int, last_row: int) -> list[Arrow]:
        """Arrows with an end on rows first_row..last_row (each once): what a large plan draws on screen."""
        seen: dict[int, Arrow] = {}
        ends = self._ends
        for row in range(first_row, last_row + 1):
            for arrow in ends.get(row, ()):
                seen[id(arrow)] = arrow
        return list(seen.values())

    def arrows_in(self, first_row: int, last_row: int, first_day: date, last_day: date) -> list[Arrow]:
        """Every arrow whose path crosses rows first_row..last_row between first_day and last_day (inclusive).

        An arrow runs along its from row at from_at, up or down at from_at, then along its to row to to_at;
        the drawer widens the days by the width of its elbow and arrowhead.
        """
        return self.arrows_ending_in(first_row, last_row, first_day, last_day) + self.arrows_passing(
            first_row, last_row, first_day, last_day
        )

    def arrows_ending_in(self, first_row: int, last_row: int, first_day: date, last_day: date) -> list[Arrow]:
        """Arrows with an end on rows first_row..last_row that show between first_day and last_day."""
        low, high = first_day.toordinal(), last_day.toordinal()
        found = []
        for arrow in self.arrows_touching(first_row, last_row):
            turn, reach = arrow.from_at.toordinal(), arrow.to_at.toordinal()
            if low <= turn <= high:  # its upright (and the stub before it) is in sight
                found.append(arrow)
            elif first_row <= arrow.to_row <= last_row and min(turn, reach) <= high and max(turn, reach) >= low:
                found.append(arrow)  # the run along its to row crosses the screen
        return found

    def arrows_passing(self, first_row: int, last_row: int, first_day: date, last_day: date) -> list[Arrow]:
        """Arrows with neither end on rows first_row..last_row whose upright crosses them between the days."""
        arrows, tops, bottoms, starts = self._turn_arrows, self._turn_tops, self._turn_bottoms, self._group_starts
        days = self._group_days
        low, high = bisect.bisect_left(days, first_day.toordinal()), bisect.bisect_right(days, last_day.toordinal())
        found: list[Arrow] = []
        for group in range(low, high):
            above = bisect.bisect_left(tops, first_row, starts[group], starts[group + 1])
            found += [arrows[n] for n in range(starts[group], above) if bottoms[n] > last_row]
        return found

    def uprights_passing(
        self, first_row: int, last_row: int, first_day: date, last_day: date, every: int = 1
    ) -> list[tuple[date, End | None]]:
        """Where arrows_passing's arrows turn: (day, the end they leave; None from a diamond), each once.

        Arrows passing through a screen are drawn as their uprights alone, so this is all a drawer needs.
        every: a drawer whose pixel spans that many days asks for at most one upright per side in each
        run of `every` days (counted from 1 January of year 1, so a scroll does not move them); the
        one it draws is within a pixel of the others. Zoomed out, that is a few hundred, not thousands.
        """
        tops, deepest, starts, keys = self._turn_tops, self._turn_deepest, self._group_starts, self._group_keys
        low, high = first_day.toordinal(), last_day.toordinal()
        left = bisect.bisect_left
        found = []
        for days, groups in self._group_sides.values():
            at, end = left(days, low), bisect.bisect_right(days, high)
            while at < end:
                group = groups[at]
                first = starts[group]
                # The group's highest top rules it out at once; else the deepest of those starting above.
                if tops[first] < first_row and deepest[left(tops, first_row, first, starts[group + 1]) - 1] > last_row:
                    found.append(keys[group])
                    if every > 1:  # on to the next run of days
                        at = left(days, (days[at] // every + 1) * every, at + 1, end)
                        continue
                at += 1
        return found

    def arrows_of(self, action_id: int) -> list[Arrow]:
        return [a for a in self.arrows if a.successor_id == action_id or a.predecessor_id == action_id]

    def _index_arrows(self) -> None:
        # Plain loops over local names and lists by position: 40,000 arrows are indexed at every layout.
        given = self.arrows
        top_of = [a.from_row if a.from_row < a.to_row else a.to_row for a in given]
        order = sorted(range(len(given)), key=top_of.__getitem__)
        arrows = self.arrows = [given[i] for i in order]
        tops = self._tops = [top_of[i] for i in order]
        bottoms = [a.from_row if a.from_row > a.to_row else a.to_row for a in arrows]
        self._block_bottom = [max(bottoms[i : i + _BLOCK]) for i in range(0, len(bottoms), _BLOCK)]
        ends: dict[int, list[Arrow]] = defaultdict(list)
        for arrow in arrows:
            ends[arrow.from_row].append(arrow)
            if arrow.to_row != arrow.from_row:
                ends[arrow.to_row].append(arrow)
        self._ends = dict(ends)
        # The uprights: one stable sort by day and side keeps each group in top-row order.
        turns = [a.from_at.toordinal() * 3 + _SIDE_CODE.get(a.kind, 1) for a in arrows]
        order = sorted(range(len(arrows)), key=turns.__getitem__)
        turns = [turns[n] for n in order]
        self._turn_arrows = [arrows[n] for n in order]
        self._turn_tops = [tops[n] for n in order]
        turn_bottoms = self._turn_bottoms = [bottoms[n] for n in order]
        starts = [n for n in range(len(turns)) if n == 0 or turns[n] != turns[n - 1]]
        deepest = list(turn_bottoms)
        group_start = set(starts)
        for n in range(1, len(deepest)):
            if n not in group_start and deepest[n - 1] > deepest[n]:
                deepest[n] = deepest[n - 1]
        self._turn_deepest = deepest
        self._group_starts = [*starts, len(turns)]
        self._group_days = [turns[n] // 3 for n in starts]
        self._group_keys = [(date.fromordinal(turns[n] // 3), _SIDES[turns[n] % 3]) for n in starts]
        sides: dict[End | None, tuple[list[int], list[int]]] = {}
        for group, (_day, leaves) in enumerate(self._group_keys):
            days, groups = sides.setdefault(leaves, ([], []))
            days.append(self._group_days[group])
            groups.append(group)
        self._group_sides = sides


# The end an arrow leaves, as a number for sorting (it turns before a start, beyond a finish, or straight
# down from a diamond).
_SIDES: list[End | None] = [End.START, End.FINISH, None]
_SIDE_CODE = {kind: _SIDES.index(ends[0]) for kind, ends in LINK_ENDS.items()} | {"EXT": 2}
