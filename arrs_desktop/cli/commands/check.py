"""`arrs check`: is a caseload file healthy? Integrity, schema version and row counts."""

from __future__ import annotations

import sys

from arrs_desktop.cli.caseload_access import add_secret_options, sign_in_for_command
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `check` subcommand."""
    p = sub.add_parser("check", help="check a caseload file without changing it")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    add_secret_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """Print the check; exit 1 if anything is wrong."""
    from arrs_desktop.store.backup import check_database, list_backups

    path = resolve_db_path(args.db)
    sign_in_for_command(path, args, convert=False)
    report = check_database(path)
    print(f"File:           {path}")
    from arrs_desktop.access.session import is_encrypted, key_file_of

    encrypted = (f"yes (SQLCipher 4; key file {key_file_of(path).name})"
                 if is_encrypted(path) else "no: a plain file")
    print(f"Encrypted:      {encrypted}")
    if report.integrity:
        print(f"Integrity:      {report.integrity}")
    if report.schema_version:
        print(f"Schema version: {report.schema_version}")
    if report.pending_upgrades:
        print(f"Upgrade due:    {', '.join(report.pending_upgrades)} (done on next open, "
              "after a backup)")
    if report.counts:
        print("Rows:")
        width = max(len(name) for name in report.counts)
        for name, count in report.counts.items():
            print(f"  {name:<{width}}  {count}")
    if report.ok:
        backups = list_backups(path)
        latest = backups[0].taken_at.strftime("%d %b %Y %H:%M") if backups else "none"
        print(f"Backups:        {len(backups)} (latest: {latest})")
        print("No problems found.")
        return 0
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1
