"""The team package keeps start-up light: no Qt anywhere, psycopg only with the server."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _modules_after(imports: str) -> list[str]:
    code = (f"import sys\n{imports}\n"
            "print(sorted({m.split('.')[0] for m in sys.modules"
            " if m.startswith(('psycopg', 'PySide6', 'shiboken6'))}))")
    return eval(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               cwd=ROOT, check=True).stdout)


def test_the_local_side_of_the_team_imports_neither_psycopg_nor_qt():
    names = [p.stem for p in (ROOT / "arrs_desktop" / "team").glob("*.py")
             if p.stem not in ("server", "__init__")]
    assert "merge" in names and "outbox" in names
    imports = "\n".join(f"import arrs_desktop.team.{n}" for n in names)
    assert _modules_after(imports) == []


def test_the_server_module_brings_psycopg_and_still_no_qt():
    assert "psycopg" in _modules_after("import arrs_desktop.team.server")
    assert not any(m.startswith(("PySide6", "shiboken6"))
                   for m in _modules_after("import arrs_desktop.team.server"))
