"""House rules that keep the code honest."""

from __future__ import annotations

import ast
import pathlib
import re
import subprocess
import sys

import pytest

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


# -- the layers -------------------------------------------------------------------------------
# Who may import whom (arrs_desktop.<layer>): the domain imports no other layer; the store
# the domain and team sync's pure side (its outbox hook and pulls: store/team_link.py);
# the operations (app) the domain, the store, the national standards (their checks) and
# team sync; reports the domain and the store (and the national standards' documents);
# the national standards the domain and the reports' tables and plan, never the store; the
# window anything. Modules at the top (paths, settings, private_files) are shared.
LAYERS = {
    "domain": {"domain"},
    "store": {"domain", "store", "team"},
    "app": {"domain", "store", "app", "tools", "standards", "team"},
    "reports": {"domain", "store", "reports", "standards"},
    "standards": {"domain", "reports", "standards"},
}
SHARED = {"arrs_desktop", "arrs_desktop.paths", "arrs_desktop.settings",
          "arrs_desktop.private_files", "arrs_desktop.remembered"}


def _layer_imports(path: pathlib.Path) -> set[str]:
    return {n for n in _imports(path) if n.startswith("arrs_desktop") and n not in SHARED}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_imports_only_the_layers_beneath_it(layer):
    offenders = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in _layer_imports(path):
            if name.split(".")[1] not in LAYERS[layer]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_no_sql_outside_the_store():
    """The store owns every SQL statement; team sync and the key store keep their own
    tables' SQL next to them (see docs/architecture.md)."""
    pattern = re.compile(r"[\"'][^\"'\n]*\b(SELECT [\w*]|INSERT INTO|UPDATE \w+ SET|DELETE FROM|"
                         r"PRAGMA \w)|\.execute(many)?\(")
    allowed = ("store", "team", "security")
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:40]}"
                      for m in pattern.finditer(text)]
    assert offenders == []


def test_every_window_module_holds_one_main_class_named_after_it():
    """ui/person/goals/goal_dialog.py holds GoalDialog (modules of helper functions hold no
    public class but perhaps an error)."""
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef)
                   and not n.name.startswith("_")
                   and not any(getattr(b, "id", "").endswith(("Error", "Exception"))
                               for b in n.bases)]
        main = "".join(word.capitalize() for word in path.stem.split("_"))
        if classes and [c.name for c in classes] != [main]:
            offenders.append(f"{path.relative_to(ROOT)}: {[c.name for c in classes]}")
    assert offenders == []


def test_no_view_is_told_of_changes_but_through_the_change_bus():
    """No panel signals a bare "something changed" (the bus carries what changed), and no
    store calls anyone back after a write."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("person_changed", "write_listeners", "singleShot(0, self._order"):
            if word in text:
                offenders.append(f"{path.relative_to(ROOT)}: {word}")
    assert offenders == []


def test_every_file_the_docs_name_is_where_they_say():
    """README and docs/ name modules and tests by path; each is there (tests named with
    `::test_...` are checked by tests/test_clinical_safety.py, some are still to come)."""
    path = re.compile(r"(?<![\w/.])((?:arrs_desktop|tests)/[\w/]*\w(?:\.py|/))(?!:)")
    missing = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for m in path.finditer(doc.read_text(encoding="utf-8")):
            if not (ROOT / m.group(1)).exists():
                missing.append(f"{doc.name}: {m.group(1)}")
    assert missing == []
