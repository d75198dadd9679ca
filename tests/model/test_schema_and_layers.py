"""The schema belongs to Alembic; the layers keep Qt out of the model, reports and interchange."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from egov_planner.model.entities import Base
from egov_planner.model.store import KNOWN_REVISIONS, SCHEMA_HEAD, make_engine

PACKAGE = Path(__file__).resolve().parents[2] / "egov_planner"


def script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(PACKAGE / "model" / "migrations"))
    return ScriptDirectory.from_config(config)


def test_the_store_knows_alembics_head_and_every_revision():
    scripts = script_directory()
    assert scripts.get_current_head() == SCHEMA_HEAD
    assert set(KNOWN_REVISIONS) == {rev.revision for rev in scripts.walk_revisions()}


def test_a_new_plan_migrated_to_head_matches_the_entities(plan_path):
    engine = make_engine(plan_path, read_only=True)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def qt_imports(folder: Path) -> list[str]:
    found = []
    for source in folder.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [
                f"{source.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] in ("PySide6", "shiboken6")
            ]
    return found


def test_model_reports_and_interchange_never_import_qt():
    for layer in ("model", "reports", "interchange"):
        assert qt_imports(PACKAGE / layer) == [], f"{layer} imports Qt"


def test_the_command_line_runs_without_loading_qt(demo_path):
    probe = (
        "import sys\n"
        "from egov_planner.cli import capture\n"
        f"code, out, err = capture(['overdue', {str(demo_path)!r}])\n"
        "assert code == 0, err\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_every_package_in_the_tree_is_installed():
    """pyproject lists packages explicitly (resources/ is mapped in): keep the list true."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk | {"egov_planner.resources"} == listed
