"""Generate plans of any size for benchmarks: objectives x actions, random dependency graphs.

    python bench/generate.py OUT.csv --actions 10000 [--objectives 50] [--deps-per-action 2] [--seed 1]

Dependencies use all four types with lags (negative too) and always point from
an earlier action to a later one, so the graph is acyclic; a share of actions
wait on external dependencies. Dates are written in mixed British forms.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from egov_planner.interchange.actions_csv import COLUMNS

# The actions CSV's own columns, less the ones a generated plan leaves empty.
EMPTY = ("expected", "revision_reason", "description", "success_measure", "resources", "exempt")
HEADER = [c for c in COLUMNS if c not in EMPTY]
DEPARTMENTS = [
    "Housing",
    "Education and Lifelong Learning",
    "Regeneration and Culture",
    "Resources, Access and Diversity",
    "Social Care and Health",
    "Chief Executive's Office",
]
STATUSES = ["not started"] * 5 + ["in progress"] * 4 + ["complete"] * 3 + ["deferred", "cancelled"]
KINDS = ["", "", "", " SS", " FF", " SF"]
EXTERNALS = [(f"National project {i}", date(2004, 1, 1) + timedelta(days=90 * i)) for i in range(12)]


def generate_rows(actions: int, objectives: int = 50, deps_per_action: float = 2.0, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    objectives = max(1, min(objectives, actions))
    owners = [f"Officer {i:03d}" for i in range(max(5, actions // 40))]
    rows: list[list[str]] = []
    refs: list[str] = []
    total_links = int(actions * deps_per_action)
    links_left = total_links
    for index in range(actions):
        objective = index % objectives + 1
        ref = f"A{objective}.{index // objectives + 1}"
        start = date(2003, 4, 1) + timedelta(days=rng.randint(0, 900))
        due = start + timedelta(days=rng.randint(0, 240))
        status = rng.choice(STATUSES)
        completed = due - timedelta(days=rng.randint(0, 20)) if status == "complete" else None
        depends: list[str] = []
        if refs:
            wanted = min(len(refs), round(links_left / max(1, actions - index)))
            for predecessor in rng.sample(refs[-2000:], min(wanted, len(refs[-2000:]))):
                lag = rng.choice([0, 0, 0, 5, 10, -3, 30])
                lag_text = f"{'+' if lag > 0 else '-'}{abs(lag)}d" if lag else ""
                kind = rng.choice(KINDS)
                if lag_text and not kind:
                    kind = " FS"
                depends.append(f"{predecessor}{kind}{lag_text}")
            links_left -= len(depends)
        external, expected = "", ""
        if rng.random() < 0.03:
            name, when = rng.choice(EXTERNALS)
            external, expected = name, when.strftime("%d/%m/%Y")
        date_form = rng.choice(["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y"])
        rows.append(
            [
                f"O{objective}",
                f"Improvement objective {objective}" if index < objectives else "",
                ref,
                f"Action {ref}: deliver part {index} of the e-government programme",
                rng.choice(owners),
                "Project officer",
                rng.choice(DEPARTMENTS),
                start.strftime(date_form),
                due.strftime(date_form),
                status,
                completed.strftime("%d/%m/%Y") if completed else "",
                "100" if status == "complete" else str(rng.randint(0, 90)),
                "; ".join(depends),
                external,
                expected,
                "Generated for benchmarking",
            ]
        )
        refs.append(ref)
    return rows


def write_plan_csv(path: Path, actions: int, objectives: int = 50, deps_per_action: float = 2.0, seed: int = 1) -> int:
    """Write a generated actions CSV; returns the number of dependencies written."""
    rows = generate_rows(actions, objectives, deps_per_action, seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return sum(len([p for p in row[12].split(";") if p.strip()]) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--deps-per-action", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    links = write_plan_csv(args.output, args.actions, args.objectives, args.deps_per_action, args.seed)
    print(f"wrote {args.actions} actions and {links} dependencies to {args.output}")


if __name__ == "__main__":
    main()
