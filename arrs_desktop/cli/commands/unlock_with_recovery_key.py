"""`arrs unlock-with-recovery-key`: get back into a caseload with its printed recovery key.

Two cases: the key file is lost (copied without it, deleted, damaged beyond use), when a
new key file is made with one account, a manager (`--user`, `--role`); or a passphrase is
forgotten, when the account named by `--name` is given a new one. The recovery key comes
from `--recovery-key-file`, else `$ARRS_RECOVERY_KEY`, else the terminal; the new
passphrase from `--new-passphrase-file`, else `$ARRS_NEW_PASSPHRASE`, else the terminal.
"""

from __future__ import annotations

import sys

from arrs_desktop.domain import catalogue
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `unlock-with-recovery-key` subcommand."""
    p = sub.add_parser("unlock-with-recovery-key",
                       help="use the recovery key: make a new key file, or reset a forgotten "
                            "passphrase",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
    p.add_argument("--recovery-key-file", metavar="FILE",
                   help="read the recovery key from the first line of FILE")
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help="the new passphrase, on the first line of FILE")
    p.add_argument("--name", help="with a key file: the account whose passphrase to reset")
    p.add_argument("--user", help="with no key file: the new key file's first account")
    p.add_argument("--role", choices=catalogue.ROLE_CODES,
                   help="with no key file: that account's role")
    p.set_defaults(func=run)


def run(args) -> int:
    """Check the recovery key against the caseload and act on it."""
    from arrs_desktop.access.secret_source import (
        NEW_PASSPHRASE_ENV,
        RECOVERY_KEY_ENV,
        find_secret,
    )
    from arrs_desktop.access.session import (
        restore_key_file,
        sign_in_with_recovery_key,
        state_of,
    )
    from arrs_desktop.cli.caseload_access import _sessions
    from arrs_desktop.security.recovery import parse_recovery_key

    path = resolve_db_path(args.db)
    state = state_of(path)
    if state in ("new", "plain"):
        print(f"arrs unlock-with-recovery-key: {path} is not an encrypted caseload"
              + (" (there is no file)." if state == "new" else "; it needs no recovery key."),
              file=sys.stderr)
        return 1
    if state == "missing-key" and not (args.user and args.role):
        print("arrs unlock-with-recovery-key: there is no key file beside the caseload: give "
              "--user NAME and --role ROLE for the new key file's first account.",
              file=sys.stderr)
        return 2
    if state == "encrypted" and not args.name:
        print("arrs unlock-with-recovery-key: name the account whose passphrase to reset "
              "with --name (see `arrs account list`).", file=sys.stderr)
        return 2
    typed = find_secret(args.recovery_key_file, env_name=RECOVERY_KEY_ENV,
                        prompt="Recovery key: ", what="recovery key",
                        option="--recovery-key-file")
    recovery = parse_recovery_key(typed)
    if state == "encrypted":
        session = sign_in_with_recovery_key(path, recovery)
        _sessions.append(session)
        target = session.key_file.account(args.name)
    passphrase = find_secret(args.new_passphrase_file, env_name=NEW_PASSPHRASE_ENV,
                             prompt="New passphrase: ", what="new passphrase",
                             option="--new-passphrase-file", confirm=True)
    from arrs_desktop.app.operations.audit import record_event

    if state == "missing-key":
        session = restore_key_file(path, recovery, name=args.user, role=args.role,
                                   passphrase=passphrase)
        _sessions.append(session)
        store = session.open_store(user="recovery key")
        try:
            record_event(store, "key_file_restored", {"account": args.user})
        finally:
            store.close()
        print(f"The recovery key opens {path.name}: made a new key file "
              f"({session.key_file.path.name}) with the account {args.user}, who may manage "
              "accounts. Add the others again with `arrs account add`.")
        return 0
    session.key_file.reset_passphrase(session.unlocked, target.id, passphrase)
    session.sync_backup_key_files()
    store = session.open_store(user="recovery key")
    try:
        record_event(store, "passphrase_reset", {"account": target.name,
                                                 "with": "recovery key"})
    finally:
        store.close()
    print(f"The recovery key opens {path.name}: {target.name} has a new passphrase.")
    return 0
