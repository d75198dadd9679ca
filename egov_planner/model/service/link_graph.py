"""The plan's dependencies as a compact graph, for the cycle check after an import."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from egov_planner.model.entities import Dependency


class CompactGraph(Mapping[int, Sequence[int]]):
    """Every action's successors as three integer arrays (8 bytes a link), for the cycle check.

    As a dict of lists of Python ints, a plan's millions of links cost about 40 bytes each.
    """

    def __init__(self, nodes: array[int], offsets: array[int], targets: array[int]) -> None:
        self.nodes, self.offsets, self.targets = nodes, offsets, targets  # node i: targets[offsets[i]:offsets[i+1]]

    @classmethod
    def of_dependencies(cls, session: Session) -> CompactGraph:
        nodes, offsets, targets = array("q"), array("q"), array("q")
        rows = session.connection().execute(
            select(Dependency.predecessor_id, Dependency.successor_id).order_by(Dependency.predecessor_id)
        )
        for predecessor, successor in rows:
            if not nodes or nodes[-1] != predecessor:
                nodes.append(predecessor)
                offsets.append(len(targets))
            targets.append(successor)
        offsets.append(len(targets))
        return cls(nodes, offsets, targets)

    def __getitem__(self, node: int) -> Sequence[int]:
        index = bisect_left(self.nodes, node)
        if index == len(self.nodes) or self.nodes[index] != node:
            raise KeyError(node)
        return self.targets[self.offsets[index] : self.offsets[index + 1]]

    def __iter__(self) -> Iterator[int]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)
