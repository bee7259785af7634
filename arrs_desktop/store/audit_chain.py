"""The audit log's hash chain: each line's hash covers the line and the hash before it.

A line's values (before and after) are hashed on their own (`values_hash`), and the chain
hash covers who, when, what and that values hash, plus the previous line's chain hash. So
changing, removing or reordering any line after it was written breaks the chain from there
on; the erase of a person may blank the values of that person's earlier lines (it keeps
their values hash), which the check allows only where a later, chained erase line says so.
The newest line's place in the chain is also kept outside the file (the anchor, in the
settings folder), so lines cut from the end, or the whole log emptied, are noticed too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from arrs_desktop.remembered import RememberedFiles

GENESIS = "0" * 64


def values_hash(before_json: str | None, after_json: str | None) -> str:
    """Return the hash of an audit line's values as stored."""
    return hashlib.sha256(json.dumps([before_json, after_json]).encode("utf-8")).hexdigest()


def chain_hash(previous: str, at: str, who: str, device_id: str, action: str,
               table_name: str, row_id: str, person_id: str | None, values: str) -> str:
    """Return an audit line's chain hash."""
    text = json.dumps([previous, at, who, device_id, action, table_name, row_id, person_id,
                       values], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the anchor kept outside the file -----------------------------------------------------
def _anchors_path() -> Path:
    from arrs_desktop.paths import audit_anchors_path

    return audit_anchors_path()


_ANCHORS = RememberedFiles(_anchors_path, limit=200)


def anchor_for(db_path: Path) -> dict[str, Any] | None:
    """Return the newest audit line this app recorded for a file (seq, chain, count)."""
    found = _ANCHORS.get(db_path)
    return found if isinstance(found, dict) else None


def record_anchor(db_path: Path, seq: int, chain: str, count: int) -> None:
    """Remember the file's newest audit line (best effort; called as a store closes)."""
    _ANCHORS.put(db_path, {"seq": seq, "chain": chain, "count": count})


def record_anchor_from(conn: Any, db_path: Path) -> None:
    """Remember the newest audit line as a connection to the file sees it now."""
    try:
        row = conn.execute("SELECT seq, chain_hash, (SELECT count(*) FROM audit_log)"
                           " FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except Exception as exc:  # noqa: BLE001 - either SQLite library's error: no anchor
        if type(exc).__module__.split(".")[0] not in ("sqlite3", "sqlcipher3"):
            raise
        return
    if row is None or not row[1]:
        forget_anchor(db_path)
    else:
        record_anchor(db_path, row[0], row[1], row[2])


def forget_anchor(db_path: Path) -> None:
    """Forget a file's anchor (it was replaced by a restore)."""
    _ANCHORS.forget(db_path)
