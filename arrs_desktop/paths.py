"""Own every path the app uses: data folder, settings folder, default database, and the
files shipped inside the package (rules, icons)."""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import stat
from collections.abc import Callable
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "arrs-desktop"
DB_ENV = "ARRS_DB"
HOME_ENV = "ARRS_HOME"  # one folder for data and settings; tests point it at tmp_path


def private_dir(path: Path) -> Path:
    """Create a folder (and its parents) if need be, readable by this user only; return it.

    An existing folder the user does not own is left as it is.
    """
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) != 0o700:
            path.chmod(0o700)
    return path


def make_private(path: Path) -> None:
    """Make an existing file readable by this user only, if others could read it.

    `chmod` names the file; it opens no handle on it (which matters for a database).
    """
    with contextlib.suppress(OSError):
        if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)


def data_dir() -> Path:
    """Return the user's data folder for ARRS Desktop, creating it."""
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))
    return private_dir(path)


def config_dir() -> Path:
    """Return the user's settings folder for ARRS Desktop, creating it."""
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False))
    return private_dir(path)


def documents_dir(system_location: Callable[[], str] | None = None) -> Path:
    """Return the user's documents folder: where care plans are offered to be saved.

    Under $ARRS_HOME (tests) it is a `documents` folder there. Otherwise the window passes
    Qt's documents location and the command line uses the desktop's; when that folder does
    not exist, the home folder.
    """
    home = os.environ.get(HOME_ENV)
    if home:
        path = Path(home) / "documents"
        path.mkdir(parents=True, exist_ok=True)
        return path
    found = system_location() if system_location is not None else ""
    path = Path(found or platformdirs.user_documents_dir())
    return path if path.is_dir() else Path.home()


def care_plan_file(folder: Path, day: date | None = None) -> Path:
    """Return a new file for a care plan: `care-plan-YYYY-MM-DD.pdf`, numbered if taken.

    The name never carries the person's name: a file list or a recent-files menu seen over
    a shoulder gives nobody away.
    """
    stem = f"care-plan-{(day or date.today()).isoformat()}"
    candidate = Path(folder) / f"{stem}.pdf"
    n = 2
    while candidate.exists():
        candidate = Path(folder) / f"{stem}-{n}.pdf"
        n += 1
    return candidate


def key_file_path(db_path: Path) -> Path:
    """Return the key file beside a caseload: the key slots that open it (``caseload.db.keys``)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".keys")


def backups_dir(db_path: Path) -> Path:
    """Return the folder holding backups of one database file (not created here)."""
    return Path(db_path).resolve().parent / "backups"


def default_db_path() -> Path:
    """Return the default caseload database path."""
    return data_dir() / "caseload.db"


def resolve_db_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """Pick the database: --db first, then $ARRS_DB, then the default in the data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def no_display_screenshot_path() -> Path:
    """Return where the window is drawn when it is started with no display to open on.

    In the data folder, never the working folder: it shows the caseload, so it is personal
    data, and it must not land in whatever folder (a source checkout) the app was started from.
    """
    return data_dir() / f"{APP_NAME}-screenshot.png"


def settings_path() -> Path:
    """Return the per-user settings file."""
    return config_dir() / "settings.json"


def audit_anchors_path() -> Path:
    """Return the file keeping each caseload's newest audit line (to notice a cut log)."""
    return config_dir() / "audit-anchors.json"


def checked_files_path() -> Path:
    """Return the file remembering which caseload files were checked and closed cleanly."""
    return config_dir() / "checked-files.json"


def window_state_path() -> Path:
    """Return where the window's size, place and splitter are remembered (an INI file)."""
    return config_dir() / "window.ini"


def local_rules_path() -> Path:
    """Return where a PCN's own role-match rules file lives."""
    return config_dir() / "rules.toml"


def local_measures_dir() -> Path:
    """Return the folder holding a PCN's own outcome measure definitions (not created here)."""
    return config_dir() / "measures"


def example_measure_path() -> Traversable:
    """Return the shipped example measure definition (placeholder wording only)."""
    return shipped_resource("measures", "example-wellbeing-check.toml")


# --- files shipped inside the package ---------------------------------------------------
# Everything the app reads at run time and does not write lives under
# arrs_desktop/resources/ (the source tree's top-level resources/ is a link to it). It travels
# in the wheel as package data and in the standalone bundle as collected data, and is always
# reached through importlib.resources, never through __file__. To ship a new file: put it
# under arrs_desktop/resources/<kind>/ and add a function here that names it.

RESOURCES_PACKAGE = "arrs_desktop"
RESOURCES_FOLDER = "resources"


def shipped_resource(*parts: str) -> Traversable:
    """Return a file shipped with the app, e.g. shipped_resource("rules", "roles.toml")."""
    return importlib.resources.files(RESOURCES_PACKAGE).joinpath(RESOURCES_FOLDER, *parts)


def shipped_rules_path() -> Traversable:
    """Return the shipped role-match rules file."""
    return shipped_resource("rules", "roles.toml")


APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # pixel sizes of the shipped PNGs


def common_passwords_path() -> Traversable:
    """Return the shipped list of the most used passwords (refused as passphrases)."""
    return shipped_resource("passwords", "common-passwords.txt")


def common_words_path() -> Traversable:
    """Return the shipped list of common English words (for the passphrase strength hint)."""
    return shipped_resource("passwords", "common-words.txt")


def app_icon_png(size: int) -> Traversable:
    """Return the application icon drawn at size x size pixels (one of APP_ICON_SIZES)."""
    if size not in APP_ICON_SIZES:
        raise ValueError(f"no {size} px icon is shipped; sizes: {APP_ICON_SIZES}")
    return shipped_resource("icons", f"{APP_NAME}-{size}.png")


def app_icon_svg() -> Traversable:
    """Return the application icon as drawn (SVG)."""
    return shipped_resource("icons", f"{APP_NAME}.svg")


# --- Linux desktop integration (freedesktop.org XDG base directories) -------------------


def xdg_data_home() -> Path:
    """Return $XDG_DATA_HOME, or ~/.local/share when it is unset or not an absolute path."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def desktop_entry_path() -> Path:
    """Return where the per-user application-menu entry goes."""
    return xdg_data_home() / "applications" / f"{APP_NAME}.desktop"


def installed_icon_paths() -> dict[str, Path]:
    """Return where each icon goes in the user's icon theme: 'scalable' or a pixel size."""
    hicolor = xdg_data_home() / "icons" / "hicolor"
    out = {"scalable": hicolor / "scalable" / "apps" / f"{APP_NAME}.svg"}
    for size in APP_ICON_SIZES:
        out[str(size)] = hicolor / f"{size}x{size}" / "apps" / f"{APP_NAME}.png"
    return out
