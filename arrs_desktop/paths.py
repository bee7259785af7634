"""Own every path the app uses: data folder, settings folder, default database, rules."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import platformdirs

APP_NAME = "arrs-desktop"
DB_ENV = "ARRS_DB"
HOME_ENV = "ARRS_HOME"  # one folder for data and settings; tests point it at tmp_path


def data_dir() -> Path:
    """Return the user's data folder for ARRS Desktop, creating it."""
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Return the user's settings folder for ARRS Desktop, creating it."""
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def backups_dir(db_path: Path) -> Path:
    """Return the folder holding backups of one database file."""
    return Path(db_path).resolve().parent / "backups"


def default_db_path() -> Path:
    """Return the default caseload database path."""
    return data_dir() / "caseload.db"


def resolve_db_path(cli_value: str | os.PathLike | None) -> Path:
    """Pick the database: --db first, then $ARRS_DB, then the default in the data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def settings_path() -> Path:
    """Return the per-user settings file."""
    return config_dir() / "settings.json"


def local_rules_path() -> Path:
    """Return where a PCN's own role-match rules file lives."""
    return config_dir() / "rules.toml"


def resources_dir() -> Path:
    """Return the shipped resources folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"


def shipped_rules_path() -> Path:
    """Return the shipped role-match rules file."""
    return resources_dir() / "rules" / "roles.toml"
