"""The caseload file as a whole: restoring it from a backup."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.store import Store, StoreOpenError, StoreWriteError, backup
from arrs_desktop.store.team_restore import TeamRestorePlan


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did: whether the backup is in place; if not, why (`refused`: another
    program has the file, or the backup is from outside the caseload's team; `error`: the
    copy failed); where the file as it was is kept; why the file would not open again
    (`reopen_problem`), if it would not; and what it meant for the team (`team`: None when
    the restore never got that far)."""

    restored: bool
    refused: str = ""
    error: str = ""
    safety_copy: Path | None = None
    reopen_problem: str = ""
    team: TeamRestorePlan | None = None


def restore_preview(store: Store, chosen: Path) -> TeamRestorePlan:
    """Say what restoring `chosen` would do to the caseload's place in its team: how many
    changes not yet sent would be lost, and whether the backup is from outside the team."""
    return store.team.restore_plan(chosen)


def restore_backup(store: Store, chosen: Path, *, rejoin: bool = False
                   ) -> OpResult[RestoreOutcome]:
    """Replace the open caseload by a backup; the same store carries on with the file.

    The store lets go of the file first (a restore is refused, changing nothing, while
    another program has it open), then opens it again; both steps are audited. When the
    caseload is in a team it stays in it: a backup from outside the team is refused unless
    `rejoin` (then the next sync re-joins), and `RestoreOutcome.team` says how many unsent
    changes were lost.
    """
    with contextlib.suppress(StoreWriteError):  # the restore itself is what matters
        store.audit.record_event("restore_backup", {"backup": chosen.name})
    store.close()
    restored, refused, error, safety_copy = False, "", "", None
    plans: list[TeamRestorePlan] = []
    try:
        safety_copy = backup.restore_backup(store.path, chosen, rejoin=rejoin,
                                            on_team=plans.append)
        restored = True
    except backup.RestoreOutsideTeamError as exc:
        refused = str(exc)
        plans.append(exc.plan)
    except backup.RestoreRefusedError as exc:
        refused = str(exc)
    except (OSError, backup.BackupError) as exc:
        error = str(exc)
    team = plans[-1] if plans else None
    try:
        store.reopen()
    except StoreOpenError as exc:
        return OpResult(RestoreOutcome(restored, refused, error, safety_copy, str(exc), team),
                        Changes.EVERYTHING)
    if restored:
        details: dict[str, object] = {"backup": chosen.name}
        if team is not None and team.in_team:
            details.update(team_changes_lost=team.lost, rejoin=team.rejoin)
        with contextlib.suppress(StoreWriteError):
            store.audit.record_event("restored_from_backup", details)
    return OpResult(RestoreOutcome(restored, refused, error, safety_copy, team=team),
                    Changes.EVERYTHING)
