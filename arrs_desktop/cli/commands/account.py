"""`arrs account list|add|passwd|remove`: the accounts of an encrypted caseload.

Each needs the passphrase of the account acting (`--passphrase-file`, `$ARRS_PASSPHRASE`
or the terminal; `--account` names it). A new passphrase comes from
`--new-passphrase-file`, else `$ARRS_NEW_PASSPHRASE`, else the terminal (asked twice).
Only the key file changes: the database's bytes stay as they are.
"""

from __future__ import annotations

import sys

from arrs_desktop.cli.caseload_access import add_secret_options
from arrs_desktop.domain import catalogue
from arrs_desktop.paths import resolve_db_path


def register(sub) -> None:
    """Add the `account` subcommand and its actions."""
    p = sub.add_parser("account", help="list, add, remove accounts or change a passphrase",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str):
        a = actions.add_parser(name, help=help_text)
        a.add_argument("--db", help="database file (default: $ARRS_DB or the user data folder)")
        add_secret_options(a)
        return a

    action("list", "list the accounts (name, role, may manage accounts, PIN set)"
           ).set_defaults(func=run_list)
    add = action("add", "add an account (a manager only)")
    add.add_argument("--name", required=True, help="the new account's name")
    add.add_argument("--role", required=True, choices=catalogue.ROLE_CODES)
    add.add_argument("--manager", action="store_true",
                     help="the new account may manage accounts too")
    add.add_argument("--new-passphrase-file", metavar="FILE",
                     help="the new account's passphrase, on the first line of FILE")
    add.set_defaults(func=run_add)
    passwd = action("passwd", "change your passphrase, or (a manager) reset another's")
    passwd.add_argument("--name", help="whose passphrase to reset (default: your own)")
    passwd.add_argument("--new-passphrase-file", metavar="FILE",
                        help="the new passphrase, on the first line of FILE")
    passwd.set_defaults(func=run_passwd)
    remove = action("remove", "remove an account and its key slot (a manager only)")
    remove.add_argument("--name", required=True, help="the account to remove")
    remove.set_defaults(func=run_remove)


def _sign_in(args):
    from arrs_desktop.access.secret_source import find_secret
    from arrs_desktop.access.session import sign_in, state_of
    from arrs_desktop.cli.caseload_access import CommandRefusedError, _sessions

    path = resolve_db_path(args.db)
    if state_of(path) != "encrypted":
        from arrs_desktop.access.session import missing_key_message

        if state_of(path) == "missing-key":
            raise CommandRefusedError(missing_key_message(path))
        raise CommandRefusedError(
            f"{path} is not an encrypted caseload, so it has no accounts yet: encrypt it "
            f"with `arrs init --db {path} --user NAME --role ROLE`.")
    passphrase = find_secret(args.passphrase_file, prompt="Your passphrase: ")
    session = sign_in(path, passphrase, account=args.account)
    _sessions.append(session)
    return session, passphrase


def _new_passphrase(args, whose: str) -> str:
    from arrs_desktop.access.secret_source import NEW_PASSPHRASE_ENV, find_secret

    return find_secret(args.new_passphrase_file, env_name=NEW_PASSPHRASE_ENV,
                       prompt=f"New passphrase for {whose}: ", what="new passphrase",
                       option="--new-passphrase-file", confirm=True)


def _audit(session, action: str, detail: dict) -> None:
    """Write the account change into the caseload's audit trail; bring the backups' copies
    of the key file up to date (a removed account's slot goes from them too)."""
    from arrs_desktop.app.operations.audit import record_event

    session.sync_backup_key_files()
    store = session.open_store()
    try:
        record_event(store, action, detail)
    finally:
        store.close()


def _role(code: str) -> str:
    role = catalogue.ROLES_BY_CODE.get(code)
    return role.name if role else code


def run_list(args) -> int:
    """Print the accounts."""
    session, _ = _sign_in(args)
    for account in session.key_file.accounts:
        extras = [x for x, on in (("may manage accounts", account.may_manage_accounts),
                                  ("PIN set", account.has_pin)) if on]
        you = " (you)" if account.id == session.account_id else ""
        print(f"{account.name}{you}: {_role(account.role)}"
              + (f"; {', '.join(extras)}" if extras else ""))
    return 0


def run_add(args) -> int:
    """Add an account."""
    session, _ = _sign_in(args)
    passphrase = _new_passphrase(args, args.name)
    account = session.key_file.add_account(session.unlocked, name=args.name, role=args.role,
                                           passphrase=passphrase,
                                           may_manage_accounts=args.manager)
    _audit(session, "account_added", {"account": account.name, "role": account.role,
                                      "may_manage_accounts": account.may_manage_accounts})
    print(f"Added {account.name} ({_role(account.role)})"
          + (", who may manage accounts." if account.may_manage_accounts else "."))
    return 0


def run_passwd(args) -> int:
    """Change one's own passphrase, or reset another's."""
    session, current = _sign_in(args)
    target = session.key_file.account(args.name) if args.name else session.unlocked.account
    if target is None:
        print("arrs account: signed in with the recovery key: name the account with --name.",
              file=sys.stderr)
        return 2
    passphrase = _new_passphrase(args, target.name)
    if target.id == session.account_id:
        session.key_file.change_passphrase(target.id, current, passphrase)
        action = "passphrase_changed"
    else:
        session.key_file.reset_passphrase(session.unlocked, target.id, passphrase)
        action = "passphrase_reset"
    _audit(session, action, {"account": target.name})
    print(f"The passphrase of {target.name} has been changed (only the key file changed).")
    return 0


def run_remove(args) -> int:
    """Remove an account and its key slot."""
    session, _ = _sign_in(args)
    target = session.key_file.account(args.name)
    session.key_file.remove_account(session.unlocked, target.id)
    _audit(session, "account_removed", {"account": target.name})
    print(f"Removed {target.name}: their passphrase no longer opens this caseload or its "
          "backups here. A copy of the key file taken elsewhere before now still opens with "
          "it (see docs/security.md).")
    return 0
