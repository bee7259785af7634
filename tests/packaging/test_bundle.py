"""The standalone bundle: built by the same spec as `make bundle`, run with no Python around it.

The bundle is built once into tmp_path (not dist/, which belongs to `make bundle`) and its
programs are run from another folder with a bare environment: no virtual environment, no
PYTHONPATH, nothing on PATH but the system's own folders.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from arrs_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "arrs-desktop.spec"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """Build the bundle; return (its folder, run one of its programs)."""
    work = tmp_path_factory.mktemp("bundle")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        capture_output=True, text=True, timeout=1200, cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(work / "build")
    folder = work / "dist" / "arrs-desktop"
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    bare = {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8",
            "ARRS_HOME": str(work / "home"), "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT), "PYTHONHOME": str(work / "no-python-here")}

    def run(program: str, *args) -> subprocess.CompletedProcess:
        done = subprocess.run([str(folder / program), *map(str, args)], cwd=elsewhere,
                              env=bare, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{program} {args}:\n{done.stdout}\n{done.stderr}"
        return done

    yield folder, elsewhere, run
    shutil.rmtree(work / "dist", ignore_errors=True)


def test_the_bundle_holds_both_programs_and_the_shipped_files(bundle):
    folder, _, _ = bundle
    for program in ("arrs-desktop", "arrs"):
        assert (folder / program).is_file()
    shipped = folder / "_internal" / "arrs_desktop" / "resources"
    assert (shipped / "rules" / "roles.toml").read_bytes() == (
        ROOT / "resources" / "rules" / "roles.toml").read_bytes()
    assert (shipped / "icons" / "arrs-desktop-256.png").is_file()
    assert not list(folder.rglob("*Qt6Quick*"))  # trimmed: nothing uses Qt Quick
    assert not [p for p in folder.rglob("*") if p.is_symlink() and not p.exists()]


def test_bundled_programs_say_their_version(bundle):
    _, _, run = bundle
    assert run("arrs", "--version").stdout == f"arrs {__version__}\n"
    assert run("arrs-desktop", "--version").stdout == f"arrs-desktop {__version__}\n"


def test_bundled_arrs_matches_makes_a_demo_and_the_window_renders_it(bundle):
    _, elsewhere, run = bundle
    assert json.loads(run("arrs", "match", "--need", "loneliness", "--json").stdout)[
        "lead"] == "splw"
    run("arrs", "demo", "--db", "demo.db", "--people", "20")  # encrypted, passphrase beside it
    run("arrs-desktop", "--db", "demo.db", "--passphrase-file", "demo.db.passphrase",
        "--screenshot", "shot.png")
    data = (elsewhere / "shot.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
        1366, 768)
    assert "No problems found." in run("arrs", "check", "--db", "demo.db", "--passphrase-file",
                                       "demo.db.passphrase").stdout
