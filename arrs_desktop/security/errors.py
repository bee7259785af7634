"""The refusals of the security layer, each with a message a care worker can act on.

Every error here carries its message in plain words (``str(error)``), ready to show where
the secret was typed or to print as the one line a command ends with. None of them ever
holds a passphrase, PIN, recovery key or data key.
"""

from __future__ import annotations


class SecurityError(Exception):
    """Base of every refusal raised by arrs_desktop.security."""


# --- secrets that do not open -------------------------------------------------------


class WrongSecretError(SecurityError):
    """A passphrase, PIN or recovery key that does not open what it was given for."""


class WrongPassphraseError(WrongSecretError):
    """No account's key slot opens with this passphrase."""


class WrongPinError(WrongSecretError):
    """This PIN is not the account's PIN; ``attempts_left`` says how many remain."""

    def __init__(self, message: str, attempts_left: int) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


class PinLockedOutError(WrongSecretError):
    """Too many wrong PINs: only a passphrase (or the recovery key) unlocks now."""


class WrongRecoveryKeyError(WrongSecretError):
    """A well-typed recovery key that belongs to another caseload."""


class RecoveryKeyFormatError(SecurityError):
    """What was typed is not a recovery key: a typing mistake, caught by its check."""


# --- secrets refused when they are set ------------------------------------------------


class PassphraseRefusedError(SecurityError):
    """A new passphrase that the policy refuses; ``problems`` lists why, in plain words."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class PinRefusedError(SecurityError):
    """A new PIN that the policy refuses (too short, not digits, too easy to guess)."""


# --- the key file ----------------------------------------------------------------------


class KeyFileError(SecurityError):
    """The key file beside the caseload cannot be used."""


class KeyFileMissingError(KeyFileError):
    """There is no key file beside the caseload."""


class KeyFileExistsError(KeyFileError):
    """A key file is already there; making a new one would lock the old caseload away."""


class KeyFileDamagedError(KeyFileError):
    """The key file is not as ARRS Desktop wrote it: damaged, truncated or edited."""


class KeyFileTamperedError(KeyFileError):
    """The key file was changed by someone holding no key: its seal does not match."""


class KeyFileVersionError(KeyFileError):
    """The key file was written by a newer ARRS Desktop than this one."""


class KeyFileWriteError(KeyFileError):
    """The key file could not be written; the old one is still in place."""


# --- accounts --------------------------------------------------------------------------


class AccountError(SecurityError):
    """A change to the accounts that is refused."""


class UnknownAccountError(AccountError):
    """No account has this id or name."""


class DuplicateAccountError(AccountError):
    """Another account already has this name."""


class LastManagerError(AccountError):
    """The change would leave the caseload with nobody who may manage accounts."""


class NotAllowedError(AccountError):
    """The signed-in account may not make this change."""


# --- the encrypted database -----------------------------------------------------------


class WrongKeyError(SecurityError):
    """The data key does not open this database file (or the file is not a caseload)."""


class NotEncryptedError(SecurityError):
    """The file is a plain, unencrypted SQLite database."""
