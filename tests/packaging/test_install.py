"""Installed as a user would: the built wheel in a fresh virtual environment outside the checkout.

The wheel is built from a copy of the source tree, installed into a new virtual environment
under tmp_path, and run with its working folder outside the checkout. Its dependencies
(Qt, sqlite-utils, ...) come from the test environment through a path file, so nothing is
downloaded; the package itself can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SKIP_AT_ROOT = shutil.ignore_patterns(".git", ".venv", "build", "dist", ".pytest_cache",
                                       ".ruff_cache", ".hypothesis", "*.db", "*.png")
_SKIP_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info")


def _skip(folder: str, names: list[str]) -> set[str]:
    """What a fresh checkout would not have: local caches, builds, databases, screenshots."""
    skipped = _SKIP_ANYWHERE(folder, names)
    if Path(folder) == ROOT:
        skipped |= _SKIP_AT_ROOT(folder, names)
    return skipped

pytestmark = pytest.mark.slow


def _run(cmd, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 300)
    done = subprocess.run([str(c) for c in cmd], **kwargs)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A new virtual environment holding only the built wheel; returns (venv, run-in-it)."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=_skip)
    wheels = work / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
          "-w", wheels, source], cwd=work)
    (wheel,) = wheels.glob("arrs_desktop-*.whl")

    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
                .stdout.strip())
    (site / "test-env-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
          "--no-index", "-q", wheel])

    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ARRS_"))}
    env.update(ARRS_HOME=str(work / "home"), QT_QPA_PLATFORM="offscreen")

    def run(command: str, *args, **more_env) -> subprocess.CompletedProcess:
        return _run([venv / "bin" / command, *args], cwd=elsewhere, env={**env, **more_env})

    return venv, elsewhere, run


def test_the_package_comes_from_the_new_environment_not_the_checkout(installed):
    venv, _, run = installed
    where = run("python", "-c", "import arrs_desktop; print(arrs_desktop.__file__)").stdout
    assert Path(where.strip()).is_relative_to(venv)
    assert not Path(where.strip()).is_relative_to(ROOT)


def test_installed_arrs_match_uses_the_rules_inside_the_wheel(installed):
    venv, _, run = installed
    done = run("arrs", "match", "--need", "loneliness", "--json")
    result = json.loads(done.stdout)
    assert result["lead"] == "splw"
    assert done.stderr == ""


def test_installed_app_makes_a_demo_caseload_and_renders_the_window(installed):
    _, elsewhere, run = installed
    made = run("arrs", "demo", "--db", "demo.db", "--people", "20")
    assert (elsewhere / "demo.db").is_file()
    assert "Sign in as Amara Osei" in made.stdout  # encrypted; its passphrase beside it
    shot = elsewhere / "shot.png"
    run("arrs-desktop", "--db", "demo.db", "--passphrase-file", "demo.db.passphrase",
        "--screenshot", shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1366, 768)


def test_installed_commands_and_metadata_carry_the_one_version(installed):
    from arrs_desktop import __version__

    _, _, run = installed
    assert run("arrs", "--version").stdout == f"arrs {__version__}\n"
    assert run("arrs-desktop", "--version").stdout == f"arrs-desktop {__version__}\n"
    meta = run("python", "-c", "import importlib.metadata as m; print(m.version('arrs-desktop'))")
    assert meta.stdout.strip() == __version__


def test_installed_arrs_puts_the_installed_window_in_the_menu(installed, tmp_path):
    venv, _, run = installed
    xdg = tmp_path / "xdg"
    done = run("arrs", "install-desktop-entry", XDG_DATA_HOME=str(xdg))
    assert "application menu" in done.stdout
    entry = (xdg / "applications" / "arrs-desktop.desktop").read_text(encoding="utf-8")
    assert f"Exec={venv / 'bin' / 'arrs-desktop'}\n" in entry
    assert (xdg / "icons" / "hicolor" / "256x256" / "apps" / "arrs-desktop.png").stat().st_size


def test_install_doc_says_where_the_data_lives_on_each_system(monkeypatch, tmp_path):
    """docs/install.md's table is what platformdirs gives paths.py on each system."""
    import platformdirs.macos
    import platformdirs.unix
    import platformdirs.windows

    from arrs_desktop.paths import APP_NAME

    doc = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    home = str(tmp_path)

    linux = platformdirs.unix.Unix(APP_NAME, False)
    assert linux.user_data_dir.replace(home, "~") == "~/.local/share/arrs-desktop"
    assert linux.user_config_dir.replace(home, "~") == "~/.config/arrs-desktop"
    assert "`~/.local/share/arrs-desktop/caseload.db`" in doc
    assert "`~/.config/arrs-desktop/settings.json`" in doc

    mac = platformdirs.macos.MacOS(APP_NAME, False)
    assert mac.user_data_dir == mac.user_config_dir
    assert mac.user_data_dir.replace(home, "~") == "~/Library/Application Support/arrs-desktop"
    assert "`~/Library/Application Support/arrs-desktop/caseload.db`" in doc

    folders = {"CSIDL_LOCAL_APPDATA": "LOCALAPPDATA", "CSIDL_APPDATA": "APPDATA"}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: folders[name])
    windows = platformdirs.windows.Windows(APP_NAME, False)
    assert windows.user_data_dir == windows.user_config_dir
    assert Path(windows.user_data_dir) == Path("LOCALAPPDATA") / "arrs-desktop"
    assert "`%LOCALAPPDATA%\\arrs-desktop\\caseload.db`" in doc
