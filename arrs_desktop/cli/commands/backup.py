"""`arrs backup`: copy a caseload file safely, even while the window has it open."""

from __future__ import annotations

import sys

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `backup` subcommand."""
    p = sub.add_parser("backup", help="back up a caseload file (safe while it is in use)")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.add_argument("--to", metavar="FILE",
                   help="write the backup here (default: the backups folder beside the file)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Make the backup and say where it went."""
    from pathlib import Path

    from arrs_desktop.store.backup import BackupError, copy_database, make_backup
    from arrs_desktop.store.errors import StoreOpenError
    from arrs_desktop.store.files import inspect_file

    path = resolve_db_path(args.db)
    sign_in_for_command(path, args, convert=False)
    try:
        if inspect_file(path) != "arrs":
            print(f"arrs backup: {path} holds no caseload to back up.", file=sys.stderr)
            return 1
    except StoreOpenError as exc:
        print(f"arrs backup: {exc}", file=sys.stderr)
        return 1
    try:
        if args.to:
            dest = Path(args.to).expanduser()
            if dest.resolve() == path.resolve():
                print("arrs backup: --to must be a different file from --db.", file=sys.stderr)
                return 2
            if dest.is_dir():
                dest = dest / f"{path.stem}-backup.db"
            if dest.exists() or dest.is_symlink():
                print(f"arrs backup: --to {dest} already exists; a backup never writes over a "
                      "file, so choose a new name.", file=sys.stderr)
                return 1
            made = copy_database(path, dest)
        else:
            made = make_backup(path, "manual")
    except (OSError, BackupError) as exc:
        print(f"arrs backup: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {path} to {made}")
    return 0
