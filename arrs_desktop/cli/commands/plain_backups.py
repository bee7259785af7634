"""`arrs plain-backups`: the backups of a caseload still plain from before it was encrypted."""

from __future__ import annotations

import sys

from arrs_desktop.cli.caseload_access import add_secret_options
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `plain-backups` subcommand."""
    p = sub.add_parser("plain-backups",
                       help="list, encrypt or delete the backups left plain from before the "
                            "caseload was encrypted")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--encrypt", action="store_true",
                      help="encrypt each under the caseload's key (needs a passphrase)")
    what.add_argument("--delete", action="store_true", help="delete them for good")
    add_secret_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """List, encrypt or delete the plain backups."""
    from arrs_desktop.access.conversion import (
        delete_plain_backups,
        encrypt_plain_backups,
        plain_backups,
    )
    from arrs_desktop.access.session import is_encrypted
    from arrs_desktop.cli.caseload_access import sign_in_for_command

    path = resolve_db_path(args.db)
    plain = plain_backups(path)
    if not plain:
        print(f"No plain backups of {path.name}.")
        return 0
    if not (args.encrypt or args.delete):
        print(f"{len(plain)} backups of {path.name} are plain (readable by anyone who can "
              "open the backups folder):")
        for backup in plain:
            print(f"  {backup}")
        print("Encrypt them with --encrypt, or delete them with --delete.")
        return 0
    if not is_encrypted(path):
        print(f"arrs plain-backups: {path.name} itself is not encrypted yet; encrypt it first "
              f"(`arrs init --db {path} --user NAME --role ROLE`).", file=sys.stderr)
        return 1
    if args.delete:
        gone = delete_plain_backups(path)
        print(f"Deleted {len(gone)} plain backups of {path.name}.")
        return 0
    session = sign_in_for_command(path, args)
    done = encrypt_plain_backups(session)
    print(f"Encrypted {len(done)} backups of {path.name} under its key; each has a copy of "
          "the key file beside it.")
    return 0
