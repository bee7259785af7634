"""House rules that keep the code honest."""

from __future__ import annotations

import ast
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "arrs_desktop"


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_ui_imports_pyside6():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        if any(n.split(".")[0] == "PySide6" for n in _imports(path)):
            offenders.append(str(path.relative_to(ROOT)))
    # Commands that render with Qt must import it lazily inside the ui package.
    assert offenders == []


def test_importing_the_store_and_domain_pulls_in_no_qt():
    code = (
        "import sys, arrs_desktop.store, arrs_desktop.domain.matching, arrs_desktop.tools.demo, "
        "arrs_desktop.tools.importer, arrs_desktop.cli\n"
        "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "[]"


def test_no_sql_in_widgets():
    pattern = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|"
                         r"\bdb\.(execute|query)\b|\.conn\b|import sqlite3")
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_shipped_files_are_reached_through_importlib_resources_only():
    """No module finds its files from __file__: that breaks in a wheel or a bundle."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(tree)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_shipped_file_sits_inside_the_package_and_shows_at_top_level_resources():
    from arrs_desktop import paths

    shipped = PACKAGE / "resources"
    assert (ROOT / "resources").resolve() == shipped.resolve()
    rules = paths.shipped_rules_path()
    assert pathlib.Path(str(rules)).resolve() == (shipped / "rules" / "roles.toml").resolve()
    assert rules.read_bytes() == (ROOT / "resources" / "rules" / "roles.toml").read_bytes()
