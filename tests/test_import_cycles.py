"""No two modules of egov_planner import each other, however indirectly — counting imports inside
functions and under TYPE_CHECKING, which a quick glance at the top of a file misses.

A cycle ties modules together so that neither can be loaded, tested or replaced alone
(the command line must load without the window; the model without either). Importing
`a.b.c` is counted as depending on `a.b.c`, not on its package `a.b`: a package that
re-exports its own submodules is not a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "egov_planner"


def module_names() -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name -> (file, is a package's __init__)."""
    found = {}
    for source in PACKAGE.rglob("*.py"):
        parts = list(source.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (source, is_package)
    return found


def imports_of(name: str, source: Path, is_package: bool, known: dict[str, tuple[Path, bool]]) -> set[str]:
    """The package's modules that this module imports anywhere in its text."""
    targets: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        wanted: list[str] = []
        if isinstance(node, ast.Import):
            wanted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: counted from this module's package
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            # `from a import b`: the submodule a.b when there is one, else a name defined in a
            wanted = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in wanted:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
    return targets


def import_graph() -> dict[str, set[str]]:
    known = module_names()
    return {name: imports_of(name, source, is_package, known) for name, (source, is_package) in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each tangle of modules that import each other (as 'a -> b -> a' paths)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "egov_planner.paths" in graph["egov_planner.cli"]  # imported only inside _log_unexpected
    assert "egov_planner.ui.application" in graph["egov_planner.app"]  # only inside gui_main


def test_a_cycle_is_found_however_long():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_one_that_imports_it_back():
    found = [" -> ".join(cycle) for cycle in cycles(import_graph())]
    assert found == [], "import cycles:\n" + "\n".join(found)
