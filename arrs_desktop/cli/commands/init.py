"""`arrs init`: make a new encrypted caseload, or encrypt a plain one; print its recovery key."""

from __future__ import annotations

import sys

from arrs_desktop.domain import catalogue
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `init` subcommand."""
    p = sub.add_parser(
        "init", help="make a new encrypted caseload with its first account, or encrypt a "
                     "plain one; prints the recovery key once",
        description="Make a new caseload, encrypted, with its first account (who may manage "
                    "accounts), and print its recovery key once. Given a plain caseload made "
                    "by an earlier version, back it up and encrypt it. The passphrase comes "
                    "from --passphrase-file, else $ARRS_PASSPHRASE, else the terminal.")
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--user", required=True, help="the first account's name")
    p.add_argument("--role", required=True, choices=catalogue.ROLE_CODES,
                   help="the first account's role")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="read the new passphrase from the first line of FILE")
    p.set_defaults(func=run)


def run(args) -> int:
    """Make (or encrypt) the caseload and print the recovery key."""
    from arrs_desktop.access.conversion import convert_plain_caseload, plain_backups
    from arrs_desktop.access.secret_source import find_secret
    from arrs_desktop.access.session import create_caseload, missing_key_message, state_of

    path = resolve_db_path(args.db)
    state = state_of(path)
    if state == "encrypted":
        print(f"arrs init: {path} is already an encrypted caseload; add an account with "
              "`arrs account add`.", file=sys.stderr)
        return 1
    if state == "missing-key":
        print(f"arrs init: {missing_key_message(path)}", file=sys.stderr)
        return 1
    passphrase = find_secret(args.passphrase_file, prompt=f"New passphrase for {args.user}: ",
                             confirm=True)
    if state == "new":
        session, recovery = create_caseload(path, name=args.user, role=args.role,
                                            passphrase=passphrase)
        print(f"Made an encrypted caseload in {path}, with the key file "
              f"{session.key_file.path.name} beside it.")
    else:
        done = convert_plain_caseload(path, name=args.user, role=args.role,
                                      passphrase=passphrase)
        session, recovery = done.session, done.recovery_key
        print(f"Encrypted {path} (every row checked: "
              f"{sum(done.row_counts.values()):,} rows). The file as it was is kept in "
              f"{done.backup}.")
        plain = plain_backups(path)
        if plain:
            print(f"{len(plain)} backups are still plain and readable by anyone who can open "
                  f"the backups folder, until you run `arrs plain-backups --db {path} "
                  "--encrypt` (or --delete).")
    session.end()
    account = session.unlocked.account
    assert account is not None
    print(f"Account: {account.name} ({catalogue.ROLES_BY_CODE[account.role].name}"
          "), may manage accounts.")
    print()
    print("RECOVERY KEY (shown only now):")
    print(f"    {recovery.formatted()}")
    print()
    print("Print it or write it down and keep it somewhere safe, away from this computer. "
          "It opens the caseload if every passphrase is forgotten or the key file is lost "
          "(`arrs unlock-with-recovery-key`). Anyone holding it can read the caseload.")
    return 0
