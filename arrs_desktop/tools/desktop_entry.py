"""Put ARRS Desktop in a Linux desktop's application menu, per user, and take it out again.

Follows the freedesktop.org specifications: a desktop entry in
`$XDG_DATA_HOME/applications/` and the icon in the user's `hicolor` icon theme
(`$XDG_DATA_HOME/icons/hicolor/<size>/apps/`), `$XDG_DATA_HOME` being `~/.local/share`
unless set. Files are written whole (a menu never reads half an entry) and removing takes out
only the files this module writes.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from arrs_desktop import __version__, paths

DESKTOP_ID = paths.APP_NAME  # arrs-desktop.desktop; also the icon's name
WINDOW_COMMAND = paths.APP_NAME  # the program the entry starts
# Characters that make the desktop-entry spec require an Exec argument to be quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class DesktopEntryError(Exception):
    """The entry cannot be written: the message says why in plain words."""


def window_command() -> Path | None:
    """Find the installed window program: beside this `arrs`, in this environment, or on PATH."""
    name = WINDOW_COMMAND + (".exe" if sys.platform == "win32" else "")
    candidates = []
    if getattr(sys, "frozen", False):  # the standalone bundle: both programs share a folder
        candidates.append(Path(sys.executable).parent / name)
    if sys.argv and sys.argv[0]:
        here = Path(sys.argv[0])
        candidates += [here.absolute().parent / name, here.resolve().parent / name]
    candidates.append(Path(sysconfig.get_path("scripts")) / name)
    found = shutil.which(WINDOW_COMMAND)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.absolute()
    return None


def exec_value(program: Path) -> str:
    """The program as a desktop entry's Exec value, quoted and escaped as the spec asks."""
    text = str(program)
    if "\n" in text or "\r" in text:
        raise DesktopEntryError(f"the program's path has a line break in it: {text!r}")
    if any(c in _RESERVED for c in text):
        quoted = "".join("\\" + c if c in '"`$\\' else c for c in text)
        text = f'"{quoted}"'
    # The string-value escape comes on top: a backslash is written twice; % is %%.
    return text.replace("\\", "\\\\").replace("%", "%%")


def string_value(text: str) -> str:
    """Text as a desktop entry string value."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def entry_text(program: Path) -> str:
    """The whole desktop entry that starts `program`."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=ARRS Desktop",
        "GenericName=Caseload log",
        "Comment=Caseload log and role matching for social prescribing link workers, care "
        "coordinators and health and wellbeing coaches",
        f"Exec={exec_value(program)}",
        f"TryExec={string_value(str(program))}",
        f"Icon={DESKTOP_ID}",
        "Terminal=false",
        "Categories=Office;",
        "Keywords=caseload;social prescribing;ARRS;link worker;care coordinator;health coach;",
        "StartupNotify=true",
        f"StartupWMClass={DESKTOP_ID}",
        f"X-ARRS-Desktop-Version={__version__}",
        "",
    ])


def _write_whole(path: Path, data: bytes) -> None:
    """Write a file so that it is either the old one or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # menus and icon caches are read by the desktop, not only by us
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def install(program: Path | None = None) -> list[Path]:
    """Write the icon and the entry (the icon first, so the menu never shows a blank one)."""
    program = program or window_command()
    if program is None:
        raise DesktopEntryError(f"cannot find the {WINDOW_COMMAND} program beside this arrs or "
                                "on PATH; is ARRS Desktop installed?")
    written = []
    for size, path in paths.installed_icon_paths().items():
        source = paths.app_icon_svg() if size == "scalable" else paths.app_icon_png(int(size))
        _write_whole(path, source.read_bytes())
        written.append(path)
    entry = paths.desktop_entry_path()
    _write_whole(entry, entry_text(Path(program)).encode("utf-8"))
    written.append(entry)
    return written


def remove() -> list[Path]:
    """Take out the entry (first, so the menu never shows a blank icon) and the icons."""
    removed = []
    for path in [paths.desktop_entry_path(), *paths.installed_icon_paths().values()]:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed


__all__ = ["DesktopEntryError", "entry_text", "exec_value", "install", "remove",
           "window_command"]
