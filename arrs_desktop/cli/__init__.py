"""The `arrs` command: subcommands for the caseload log without the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from arrs_desktop import __version__

# Each subcommand module exposes `register(subparsers)` which adds its parser and sets
# `func` (a callable taking the parsed args and returning an exit code).
_COMMAND_MODULES = (
    "arrs_desktop.cli.commands.account",
    "arrs_desktop.cli.commands.backup",
    "arrs_desktop.cli.commands.bench",
    "arrs_desktop.cli.commands.check",
    "arrs_desktop.cli.commands.codes",
    "arrs_desktop.cli.commands.demo",
    "arrs_desktop.cli.commands.desktop_entry",
    "arrs_desktop.cli.commands.export",
    "arrs_desktop.cli.commands.gp_message",
    "arrs_desktop.cli.commands.import_people",
    "arrs_desktop.cli.commands.init",
    "arrs_desktop.cli.commands.match",
    "arrs_desktop.cli.commands.plain_backups",
    "arrs_desktop.cli.commands.plan",
    "arrs_desktop.cli.commands.restore",
    "arrs_desktop.cli.commands.team",
    "arrs_desktop.cli.commands.unlock_with_recovery_key",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every available subcommand."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="arrs",
        description="ARRS Desktop: caseload log and role matching, from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"arrs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(sub)
    return parser


DEBUG_ENV = "ARRS_DEBUG"  # set to 1 to see the Python traceback of an unexpected error
EXIT_FAILED = 1  # a write failed or the input was refused; the line on stderr says why
EXIT_INTERNAL = 70  # a fault in the program itself (EX_SOFTWARE)


def failure_message(exc: BaseException) -> str | None:
    """Return the one plain line for an error the app expects, or None for a program fault.

    Expected: the store's write and open errors, refused input, file-system errors, SQLite
    errors (the disk is full, the file is read-only, ...), backup errors, and the refusals
    of signing in (a wrong passphrase, a missing key file, a passphrase the rules refuse).
    """
    from arrs_desktop.access.conversion import ConversionRefusedError
    from arrs_desktop.access.secret_source import SecretMissingError
    from arrs_desktop.cli.caseload_access import CommandRefusedError
    from arrs_desktop.domain.validation import ValidationError
    from arrs_desktop.private_files import FileWriteError, write_reason
    from arrs_desktop.security.errors import SecurityError
    from arrs_desktop.store.errors import StoreOpenError, StoreWriteError

    if isinstance(exc, StoreWriteError | StoreOpenError | FileWriteError | SecurityError
                  | SecretMissingError | CommandRefusedError | ConversionRefusedError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return f"refused: {exc}."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{write_reason(exc)}{where}."
    if type(exc).__module__.split(".")[0] in ("sqlite3", "sqlcipher3"):
        return f"the caseload file could not be used: {_sqlite_reason(exc)}."
    backup = sys.modules.get("arrs_desktop.store.backup")
    if backup is not None and isinstance(exc, backup.BackupError):
        return str(exc)
    return None


def _sqlite_reason(exc: BaseException) -> str:
    text = str(exc).lower()
    for needle, reason in (
        ("full", "the disk is full, so the change in progress was not saved"),
        ("readonly", "it cannot be written (read-only), so the change was not saved"),
        ("read-only", "it cannot be written (read-only), so the change was not saved"),
        ("locked", "it is busy in another window or program; try again in a moment"),
        ("busy", "it is busy in another window or program; try again in a moment"),
        ("disk i/o", "the disk reported an input/output error"),
        ("unable to open", "it could not be opened (is its folder there and writable?)"),
        ("malformed", "it is damaged; run `arrs check` on it"),
        ("not a database", "it is not a caseload database"),
    ):
        if needle in text:
            return reason
    return str(exc) or type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """Run `arrs` and return its exit code.

    Every failure comes out as one line on stderr (`arrs COMMAND: why`) and a non-zero exit
    code; a Python traceback is shown only for a fault in the program with ARRS_DEBUG=1.
    """
    import os

    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 still prints
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    garbled = _not_text(args)
    if garbled:
        _say(args.command, f"{garbled} holds bytes that are not text; type it again")
        return 2
    from arrs_desktop.cli.caseload_access import end_sessions

    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        message = failure_message(exc)
        if message is None and os.environ.get(DEBUG_ENV):
            raise
        _say(args.command, message or (
            f"unexpected error ({type(exc).__name__}: {exc}). This is a fault in ARRS "
            f"Desktop, not in your data; run again with {DEBUG_ENV}=1 for the details."))
        return EXIT_FAILED if message is not None else EXIT_INTERNAL
    finally:
        end_sessions()


PATH_OPTIONS = frozenset({"db", "out", "to", "file", "rules"})  # a file name may be any bytes
_OPTION_NAMES = {"date_from": "--from", "date_to": "--to", "needs": "--need"}


def _not_text(args) -> str | None:
    """Return the option whose value is not text (undecodable bytes), or None.

    A file name may hold any bytes (Python keeps them as surrogates), but a worker's name,
    a person's id or a user cannot: such a value can match nothing and cannot be saved.
    """
    for key, value in vars(args).items():
        if key in PATH_OPTIONS or key in ("func", "command"):
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and any("\ud800" <= ch <= "\udfff" for ch in item):
                return _OPTION_NAMES.get(key, "--" + key.replace("_", "-"))
    return None


def _say(command: str, message: str) -> None:
    text = " ".join(f"arrs {command}: {message}".split())  # one line, whatever the message
    print(text, file=sys.stderr, flush=True)

