"""What this app remembers about caseload files outside them, in the settings folder.

A small JSON map from a file's resolved path to a value (the audit log's anchor, the
fingerprint of a clean close), newest last and cut to a limit. It is written atomically and
private to the user; reading a missing or spoilt map gives an empty one. Remembering is best
effort: a settings folder that cannot be written loses the memory, never the caseload.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from arrs_desktop.private_files import write_private_bytes


class RememberedFiles:
    """A bounded map from caseload files to what is remembered about each."""

    def __init__(self, where: Callable[[], Path], limit: int = 200) -> None:
        self._where = where
        self.limit = limit

    @staticmethod
    def key(db_path: str | Path) -> str:
        """Return the key a file is remembered by (its resolved path)."""
        return str(Path(db_path).resolve())

    def read(self) -> dict[str, Any]:
        """Return everything remembered ({} when nothing is, or the map is unreadable)."""
        try:
            data = json.loads(self._where().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, db_path: str | Path) -> Any:
        """Return what is remembered about a file, or None."""
        return self.read().get(self.key(db_path))

    def put(self, db_path: str | Path, value: Any) -> None:
        """Remember a value for a file (as the newest entry), forgetting the oldest beyond
        the limit."""
        data = self.read()
        key = self.key(db_path)
        data.pop(key, None)
        data[key] = value
        while len(data) > self.limit:
            data.pop(next(iter(data)))
        self._write(data)

    def forget(self, db_path: str | Path) -> None:
        """Forget a file (nothing is written when it was not remembered)."""
        data = self.read()
        if data.pop(self.key(db_path), None) is not None:
            self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            write_private_bytes(self._where(), json.dumps(data).encode("utf-8"))
