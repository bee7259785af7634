"""The caseload file as a whole: restoring it from a backup."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.store import Store, StoreOpenError, StoreWriteError, backup


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did: whether the backup is in place; if not, why (`refused`: another
    program has the file; `error`: the copy failed); where the file as it was is kept; and
    why the file would not open again (`reopen_problem`), if it would not."""

    restored: bool
    refused: str = ""
    error: str = ""
    safety_copy: Path | None = None
    reopen_problem: str = ""


def restore_backup(store: Store, chosen: Path) -> OpResult[RestoreOutcome]:
    """Replace the open caseload by a backup; the same store carries on with the file.

    The store lets go of the file first (a restore is refused, changing nothing, while
    another program has it open), then opens it again; both steps are audited.
    """
    with contextlib.suppress(StoreWriteError):  # the restore itself is what matters
        store.audit.record_event("restore_backup", {"backup": chosen.name})
    store.close()
    restored, refused, error, safety_copy = False, "", "", None
    try:
        safety_copy = backup.restore_backup(store.path, chosen)
        restored = True
    except backup.RestoreRefusedError as exc:
        refused = str(exc)
    except (OSError, backup.BackupError) as exc:
        error = str(exc)
    try:
        store.reopen()
    except StoreOpenError as exc:
        return OpResult(RestoreOutcome(restored, refused, error, safety_copy, str(exc)),
                        Changes.EVERYTHING)
    if restored:
        with contextlib.suppress(StoreWriteError):
            store.audit.record_event("restored_from_backup", {"backup": chosen.name})
    return OpResult(RestoreOutcome(restored, refused, error, safety_copy), Changes.EVERYTHING)
