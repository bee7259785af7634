"""`arrs restore`: put a caseload file back as it was in one of its backups."""

from __future__ import annotations

import sys

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `restore` subcommand."""
    p = sub.add_parser(
        "restore", help="restore a caseload file from a backup (the file as it is now is "
                        "backed up first; refused while another program has it open)")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.add_argument("--from", dest="source", metavar="BACKUP",
                   help="the backup to restore (default: the newest backup that passes its "
                        "check)")
    p.add_argument("--rejoin-team", action="store_true",
                   help="the caseload is in a team and the backup is not of it there (made "
                        "before it joined, or of another caseload or team): restore anyway, "
                        "keeping the caseload in its team; the next sync re-joins")
    p.set_defaults(func=run)


def run(args) -> int:
    """Restore, and say from which backup and where the file as it was is kept."""
    from pathlib import Path

    from arrs_desktop.store.backup import (
        BackupError,
        RestoreOutsideTeamError,
        check_database,
        list_backups,
        restore_backup,
    )

    path = resolve_db_path(args.db)
    sign_in_for_command(path, args, convert=False)
    if args.source:
        chosen = Path(args.source).expanduser()
        if not chosen.is_file():
            print(f"arrs restore: {chosen} does not exist.", file=sys.stderr)
            return 1
    else:
        chosen = None
        for info in list_backups(path):
            report = check_database(info.path)
            if report.ok:
                chosen = info.path
                break
            print(f"arrs restore: skipped {info.path.name}: {report.problems[0]}",
                  file=sys.stderr)
        if chosen is None:
            print(f"arrs restore: {path.name} has no backup that passes its check, so "
                  "nothing was restored.", file=sys.stderr)
            return 1
    plans = []
    try:
        kept = restore_backup(path, chosen, rejoin=args.rejoin_team, on_team=plans.append)
    except RestoreOutsideTeamError as exc:
        print(f"arrs restore: {exc}", file=sys.stderr)
        if not exc.plan.too_old:
            print("arrs restore: to restore it keeping the caseload in its team, add "
                  "--rejoin-team.", file=sys.stderr)
        return 1
    except (OSError, BackupError) as exc:
        print(f"arrs restore: {exc}", file=sys.stderr)
        return 1
    team = plans[-1].after() if plans else ""
    print(f"Restored {path} from {chosen.name}."
          + (f" The file as it was is kept in {kept}." if kept else "")
          + (f" {team}" if team else ""))
    return 0
