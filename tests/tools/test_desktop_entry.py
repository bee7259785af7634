"""The Linux application-menu entry and the icon: installed per user at XDG paths, removed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop import __version__, cli, paths
from arrs_desktop.tools import desktop_entry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return data


@pytest.fixture
def program(tmp_path) -> Path:
    path = tmp_path / "opt" / "ARRS Desktop" / "arrs-desktop"
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def _entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_install_writes_the_entry_and_every_icon_under_xdg_data_home(xdg, program):
    written = desktop_entry.install(program)
    entry = xdg / "applications" / "arrs-desktop.desktop"
    assert written[-1] == entry  # the entry last, once its icon is there
    values = _entry(entry)
    assert values["Name"] == "ARRS Desktop"
    assert values["Icon"] == "arrs-desktop"
    assert values["Exec"] == f'"{program}"'  # quoted: the folder name has a space
    assert values["TryExec"] == str(program)
    assert values["Terminal"] == "false"
    assert values["X-ARRS-Desktop-Version"] == __version__
    svg = xdg / "icons" / "hicolor" / "scalable" / "apps" / "arrs-desktop.svg"
    assert svg.read_bytes() == paths.app_icon_svg().read_bytes()
    for size in paths.APP_ICON_SIZES:
        png = xdg / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "arrs-desktop.png"
        assert png.read_bytes() == paths.app_icon_png(size).read_bytes()
    assert sorted(written) == sorted([entry, *paths.installed_icon_paths().values()])
    assert not [p for p in xdg.rglob(".*")]  # no half-written temporary files left
    assert entry.stat().st_mode & 0o777 == 0o644


def test_the_entry_passes_the_freedesktop_validator(xdg, program):
    desktop_entry.install(program)
    validator = shutil.which("desktop-file-validate")
    assert validator, "scripts/setup.sh installs desktop-file-utils"
    done = subprocess.run([validator, str(paths.desktop_entry_path())], capture_output=True,
                          text=True)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_without_xdg_data_home_the_entry_goes_to_local_share(tmp_path, monkeypatch, program):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for value in (None, "", "relative/is/ignored"):
        if value is None:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_DATA_HOME", value)
        assert paths.desktop_entry_path() == (
            tmp_path / "home" / ".local" / "share" / "applications" / "arrs-desktop.desktop")
    desktop_entry.install(program)
    assert (tmp_path / "home" / ".local" / "share" / "applications" / "arrs-desktop.desktop"
            ).is_file()


def test_remove_takes_out_only_what_install_wrote(xdg, program):
    other = xdg / "applications" / "someone-else.desktop"
    other_icon = xdg / "icons" / "hicolor" / "48x48" / "apps" / "someone-else.png"
    for path in (other, other_icon):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("theirs")
    written = desktop_entry.install(program)
    removed = desktop_entry.remove()
    assert removed[0] == paths.desktop_entry_path()  # the entry first, its icon after
    assert sorted(removed) == sorted(written)
    assert not any(p.exists() for p in written)
    assert other.read_text() == "theirs" and other_icon.read_text() == "theirs"
    assert desktop_entry.remove() == []


def test_install_again_replaces_the_entry_with_the_new_program(xdg, program, tmp_path):
    desktop_entry.install(program)
    moved = tmp_path / "bin" / "arrs-desktop"
    moved.parent.mkdir()
    shutil.copy(program, moved)
    desktop_entry.install(moved)
    assert _entry(paths.desktop_entry_path())["Exec"] == str(moved)


def _unescape_exec(value: str) -> str:
    """Read an Exec value back as a desktop environment does (one quoted argument)."""
    out, i = [], 0
    while i < len(value):  # the string-value escapes first
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(
                value[i + 1], "\\" + value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    text = "".join(out).replace("%%", "%")
    if not text.startswith('"'):
        assert not any(c in desktop_entry._RESERVED for c in text)
        return text
    assert text.endswith('"') and len(text) >= 2
    inner, arg, i = text[1:-1], [], 0
    while i < len(inner):
        if inner[i] == "\\":
            assert inner[i + 1] in '"`$\\'
            arg.append(inner[i + 1])
            i += 2
        else:
            assert inner[i] not in '"`$'
            arg.append(inner[i])
            i += 1
    return "".join(arg)


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x00"),
               min_size=1, max_size=40))
def test_any_program_path_survives_the_exec_quoting(name):
    path = Path("/opt") / name
    assert _unescape_exec(desktop_entry.exec_value(path)) == str(path)


def test_a_path_with_a_line_break_is_refused():
    with pytest.raises(desktop_entry.DesktopEntryError):
        desktop_entry.exec_value(Path("/opt/a\nb"))


def test_the_window_program_is_found_beside_the_running_arrs(tmp_path, monkeypatch):
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("arrs", "arrs-desktop"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(bin_dir / "arrs"), "install-desktop-entry"])
    assert desktop_entry.window_command() == bin_dir / "arrs-desktop"


def test_the_command_installs_and_removes_and_says_what_it_did(xdg, capsys, monkeypatch,
                                                               program):
    monkeypatch.setattr(desktop_entry, "window_command", lambda: program)
    assert cli.main(["install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {paths.desktop_entry_path()}" in out and "application menu" in out
    assert paths.desktop_entry_path().is_file()
    assert cli.main(["install-desktop-entry", "--remove"]) == 0
    out = capsys.readouterr().out
    assert f"Removed {paths.desktop_entry_path()}" in out
    assert not paths.desktop_entry_path().exists()
    assert cli.main(["install-desktop-entry", "--remove"]) == 0
    assert "No ARRS Desktop menu entry to remove" in capsys.readouterr().out


def test_the_command_says_when_it_cannot_find_the_window_program(xdg, capsys, monkeypatch):
    monkeypatch.setattr(desktop_entry, "window_command", lambda: None)
    assert cli.main(["install-desktop-entry"]) == 1
    assert "cannot find the arrs-desktop program" in capsys.readouterr().err
    assert not xdg.exists()


def test_the_command_is_for_linux_only(xdg, capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert cli.main(["install-desktop-entry"]) == 2
    assert "only for Linux" in capsys.readouterr().err
    assert not xdg.exists()


def test_the_shipped_icon_pngs_are_drawn_from_the_svg_and_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_icons.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    for size in paths.APP_ICON_SIZES:
        data = paths.app_icon_png(size).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
            size, size)

