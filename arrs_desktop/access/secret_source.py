"""Where a command finds a secret: `--passphrase-file FILE`, else an environment variable,
else a prompt on a terminal (never echoed), else a plain refusal saying how to give one."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from pathlib import Path

PASSPHRASE_ENV = "ARRS_PASSPHRASE"
NEW_PASSPHRASE_ENV = "ARRS_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "ARRS_RECOVERY_KEY"
MAX_SECRET_FILE_BYTES = 4096


class SecretMissingError(Exception):
    """No secret was given and there is no terminal to ask on."""


def read_secret_file(path: str | os.PathLike[str], what: str = "passphrase") -> str:
    """Return the secret in a file: its first line, without the line ending."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SECRET_FILE_BYTES:
            raise SecretMissingError(f"{path} is too big to be a {what} file.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SecretMissingError(f"there is no {what} file at {path}.") from None
    except (OSError, UnicodeError) as exc:
        raise SecretMissingError(f"the {what} file {path} cannot be read ({exc}).") from None
    line = text.splitlines()[0] if text.splitlines() else ""
    if not line:
        raise SecretMissingError(f"the {what} file {path} is empty.")
    return line


def _has_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def find_secret(file: str | None, *, env_name: str = PASSPHRASE_ENV,
                prompt: str = "Passphrase: ", what: str = "passphrase",
                option: str = "--passphrase-file", confirm: bool = False,
                environ: Mapping[str, str] | None = None) -> str:
    """Return a secret from the file given, else the environment, else a terminal prompt.

    With `confirm`, a prompt asks twice and refuses two different answers.
    """
    environ = os.environ if environ is None else environ
    if file:
        return read_secret_file(file, what)
    value = environ.get(env_name, "")
    if value:
        return value
    if _has_terminal():
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Type it again: ") != first:
            raise SecretMissingError(f"the two {what}s typed differ; nothing was changed.")
        if not first:
            raise SecretMissingError(f"no {what} was typed; nothing was changed.")
        return first
    raise SecretMissingError(
        f"this needs a {what}: give {option} FILE (a file holding it on its first line, "
        f"readable by you only) or set {env_name}; there is no terminal to ask on.")


__all__ = [
    "NEW_PASSPHRASE_ENV",
    "PASSPHRASE_ENV",
    "RECOVERY_KEY_ENV",
    "SecretMissingError",
    "find_secret",
    "read_secret_file",
]
