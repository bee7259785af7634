"""Per-user settings (name, role, practice, preferences) kept as JSON in the settings folder."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from arrs_desktop import paths
from arrs_desktop.private_files import private_dir, write_private_bytes


@dataclass(frozen=True)
class Settings:
    """What the user has told the app about themselves and how they work."""

    user_name: str = ""
    role: str = ""  # splw / cc / hwbc or "" when not chosen
    practice: str = ""
    practice_phone: str = ""  # printed on care plans under "Who to contact"; may be blank
    lock_after_minutes: int = 10
    extra: dict = field(default_factory=dict)

    @property
    def is_configured(self) -> bool:
        """Return True once the user has given a name."""
        return bool(self.user_name.strip())


PHONE_CHARACTERS = frozenset("0123456789 +()-")


def practice_phone_error(phone: str) -> str | None:
    """Return why a practice phone number cannot be used, or None if it can (blank is fine)."""
    phone = phone.strip()
    if not phone:
        return None
    if len(phone) > 40:
        return "is too long (at most 40 characters)"
    if not set(phone) <= PHONE_CHARACTERS:
        return "may only contain digits, spaces and + ( ) -"
    digits = sum(ch.isdigit() for ch in phone)
    if not 6 <= digits <= 15:
        return "needs between 6 and 15 digits, like 0113 496 0000"
    return None


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing or unreadable file gives the defaults."""
    path = path or paths.settings_path()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    try:
        return Settings(**values)
    except TypeError:
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings atomically and privately (0600; see private_files)."""
    path = Path(path or paths.settings_path())
    private_dir(path.parent)
    text = json.dumps(asdict(settings), indent=2)
    write_private_bytes(path, text.encode("utf-8"))


def device_id() -> str:
    """Return this laptop's id (made once, kept in the settings folder)."""
    path = paths.config_dir() / "device_id"
    try:
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    except OSError:
        pass
    import uuid

    value = str(uuid.uuid4())
    write_private_bytes(path, value.encode("utf-8"))
    return value
