"""Own every path the app uses: data folder, settings folder, default database, rules."""

from __future__ import annotations

import os
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


def window_state_path() -> Path:
    """Return where the window's size, place and splitter are remembered (an INI file)."""
    return config_dir() / "window.ini"


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
