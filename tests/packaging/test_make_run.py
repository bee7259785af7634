"""`make run` with no display: the screenshot goes to the data folder, the hint is runnable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from arrs_desktop import paths
from arrs_desktop.ui.shell import app

ROOT = Path(__file__).resolve().parents[2]


def _untracked() -> set[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return {line[3:] for line in out.splitlines() if line.startswith("??")}


@pytest.mark.slow
def test_make_run_without_a_display_writes_outside_the_checkout_and_names_the_command(
        tmp_path):
    if not (ROOT / ".git").exists() or not shutil.which("make"):
        pytest.skip("needs the source checkout and make")
    before = _untracked()
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "MAKEFLAGS",
                        "MAKELEVEL", "MFLAGS")}
    env["ARRS_HOME"] = str(home)
    done = subprocess.run(["make", "-s", "run"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    shot = home / "data" / "arrs-desktop-screenshot.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_mode & 0o777 == 0o600  # it shows the caseload: private to the user
    assert str(shot) in done.stderr
    assert "xvfb-run -a .venv/bin/arrs-desktop" in done.stderr
    assert _untracked() == before  # nothing new in the checkout, not even an ignored name
    assert not (ROOT / "arrs-desktop-screenshot.png").exists()


def test_the_screenshot_without_a_display_goes_to_the_data_folder(isolated_home):
    assert paths.no_display_screenshot_path() == (
        isolated_home / "data" / "arrs-desktop-screenshot.png")


@pytest.fixture
def program(tmp_path, monkeypatch):
    """An arrs-desktop program in a venv's bin folder, the working folder above the venv."""
    bin_dir = tmp_path / "checkout" / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    path = bin_dir / "arrs-desktop"
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    monkeypatch.chdir(tmp_path / "checkout")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    return path


def test_hint_names_the_program_as_started_from_the_checkout(program):
    assert app.command_hint(".venv/bin/arrs-desktop", []) == ".venv/bin/arrs-desktop"
    assert app.command_hint(str(program), []) == ".venv/bin/arrs-desktop"
    assert app.command_hint(str(program), ["--db", "my file.db"]) == (
        ".venv/bin/arrs-desktop --db 'my file.db'")


def test_hint_uses_the_bare_name_when_path_finds_the_same_program(program, monkeypatch):
    monkeypatch.setenv("PATH", f"{program.parent}:/usr/bin:/bin")
    monkeypatch.chdir(program.parent.parent.parent.parent)  # outside the checkout
    assert app.command_hint(str(program), []) == "arrs-desktop"


def test_hint_gives_the_full_path_of_a_program_elsewhere(program, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert app.command_hint(str(program), []) == str(program)


def test_hint_for_python_dash_m(program):
    hint = app.command_hint(str(ROOT / "arrs_desktop" / "ui" / "app.py"), [])
    assert hint.endswith(" -m arrs_desktop.ui.shell.app")
    assert hint.split(" -m ")[0] in (sys.executable, os.path.relpath(sys.executable))
