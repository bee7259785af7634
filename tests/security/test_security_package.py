"""The security package stays pure Python: no Qt, no sqlite-utils, fully typed."""

from __future__ import annotations

import ast
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "arrs_desktop" / "security"


def _imported_modules(path: pathlib.Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_security_package_imports_neither_qt_nor_sqlite_utils():
    offenders = {path.name: sorted(_imported_modules(path) & {"PySide6", "shiboken6",
                                                               "sqlite_utils"})
                 for path in PACKAGE.glob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_security_package_passes_mypy_strict():
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
                           "--cache-dir", os.devnull, str(PACKAGE)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
