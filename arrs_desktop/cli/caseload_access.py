"""How a command gets into a caseload: signing in, and encrypting a plain one first.

Every command that opens a caseload takes `--passphrase-file FILE` (else `ARRS_PASSPHRASE`,
else a prompt on a terminal) and `--account NAME` (else the account whose key slot the
passphrase opens). `sign_in_for_command(path, args)` is called before the command opens
the store; the store then finds the unlocked key by itself (store/connector.py).

A plain caseload (made by an earlier version) is encrypted on its first open by a command
that works in it, as the window does: backed up, exported into an encrypted file, checked
and swapped in. Its first account is named by `--user` where the command has one, else the
name in the settings, else the login name; the recovery key is printed once, on stderr.
`ARRS_ALLOW_PLAIN=1` keeps plain files plain and lets commands make new plain files: it is
for the test suite and for scripts run over synthetic test files, never for real records.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ALLOW_PLAIN_ENV = "ARRS_ALLOW_PLAIN"

_sessions: list = []


class CommandRefusedError(Exception):
    """The command cannot open the caseload as asked; its message says why and what to do."""


def add_secret_options(parser: argparse.ArgumentParser) -> None:
    """Add --passphrase-file and --account to a command that opens a caseload."""
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help="read the passphrase from the first line of FILE (else "
                             "$ARRS_PASSPHRASE, else it is asked for on the terminal)")
    parser.add_argument("--account", metavar="NAME",
                        help="the account to sign in as (default: the one whose key the "
                             "passphrase opens)")


def plain_allowed() -> bool:
    """Return whether plain files are kept plain (the test suite, synthetic test files)."""
    return os.environ.get(ALLOW_PLAIN_ENV, "") == "1"


def sign_in_for_command(path: Path, args: argparse.Namespace, *, convert: bool = True,
                        user: str | None = None):
    """Sign in to the caseload at `path` for this command; return the session (or None).

    None for a plain file left plain (`convert=False`, or ARRS_ALLOW_PLAIN=1) and for a new
    file the command may make plain (ARRS_ALLOW_PLAIN=1). A new file otherwise is refused
    (`arrs init` makes a caseload); a file whose key file is missing is refused saying how
    the recovery key restores access; a wrong passphrase raises WrongPassphraseError.
    """
    from arrs_desktop.access.secret_source import find_secret
    from arrs_desktop.access.session import missing_key_message, sign_in, state_of

    path = Path(path)
    state = state_of(path)
    if state == "encrypted":
        passphrase = find_secret(getattr(args, "passphrase_file", None))
        session = sign_in(path, passphrase, account=getattr(args, "account", None))
        _sessions.append(session)
        return session
    if state == "missing-key":
        raise CommandRefusedError(missing_key_message(path))
    if state == "new":
        if plain_allowed():
            return None
        raise CommandRefusedError(
            f"there is no caseload at {path}. Make one with `arrs init --db {path} --user "
            "NAME --role ROLE` (or `arrs demo --db NEW` for a synthetic one).")
    if not convert or plain_allowed():
        return None
    return convert_for_command(path, args, user=user)


def convert_for_command(path: Path, args: argparse.Namespace, *, user: str | None = None):
    """Encrypt a plain caseload before a command works in it; say so on stderr."""
    import getpass

    from arrs_desktop.access.conversion import convert_plain_caseload, plain_backups
    from arrs_desktop.access.secret_source import find_secret
    from arrs_desktop.settings import load_settings

    settings = load_settings()
    name = user or settings.user_name or getpass.getuser()
    role = settings.role or "splw"
    from arrs_desktop.access.secret_source import SecretMissingError

    try:
        passphrase = find_secret(getattr(args, "passphrase_file", None),
                                 prompt=f"{path.name} is not encrypted yet. Choose a "
                                        f"passphrase for {name}: ", confirm=True)
    except SecretMissingError as exc:
        raise SecretMissingError(
            f"{path.name} is a plain caseload from an earlier version; it is encrypted "
            f"before first use, and {exc}") from None
    done = convert_plain_caseload(path, name=name, role=role, passphrase=passphrase)
    _sessions.append(done.session)
    plain = plain_backups(path)
    print(f"{path.name} was not encrypted: it has been backed up as it was "
          f"({done.backup.name}) and encrypted. Its first account is {name} ({role}), "
          "signed in with the passphrase given.", file=sys.stderr)
    print(f"Recovery key (shown once: print it or write it down, and keep it somewhere "
          f"safe away from this computer): {done.recovery_key.formatted()}", file=sys.stderr)
    if plain:
        print(f"{len(plain)} backups of {path.name} are still plain and readable by anyone "
              "who can open the backups folder: encrypt them with `arrs plain-backups "
              f"--db {path} --encrypt`, or delete them with --delete.", file=sys.stderr)
    return done.session


def end_sessions() -> None:
    """Stop lending the keys signed in by this command (its work is done)."""
    while _sessions:
        _sessions.pop().end()
