"""Accounts, secrets and encryption at rest for a caseload (pure Python, no Qt).

- :mod:`.passphrase` — the NCSC-style passphrase policy, strength hint, PIN policy.
- :mod:`.kdf` — Argon2id key derivation and its stored parameters.
- :mod:`.recovery` — the printed recovery key (typo-checked), which stands for the data key.
- :mod:`.data_key` — the 256-bit data key that encrypts the database, WAL and backups.
- :mod:`.slots` — a secret sealed with AES-256-GCM under an Argon2id-derived key.
- :mod:`.keyfile` — the key file beside the caseload: accounts, key slots, PIN verifiers.
- :mod:`.pin_lock` — the lock screen's PIN check with its five-try limit (in memory only).
- :mod:`.cipher` — SQLCipher 4 connections with a raw key, conversion, backups, errors.

Threat model in brief: a copied caseload (file, WAL, backups, key file) reveals nothing
without a passphrase, whose guesses each cost an Argon2id derivation, or the recovery key; a
PIN only unlocks a running, signed-in window, five tries at most; an unlocked window, and
anyone who can read the running app's memory, are outside what encryption protects.
"""

from arrs_desktop.security.data_key import DataKey
from arrs_desktop.security.errors import (
    AccountError,
    DuplicateAccountError,
    KeyFileDamagedError,
    KeyFileError,
    KeyFileExistsError,
    KeyFileMissingError,
    KeyFileTamperedError,
    KeyFileVersionError,
    KeyFileWriteError,
    LastManagerError,
    NotAllowedError,
    NotEncryptedError,
    PassphraseRefusedError,
    PinLockedOutError,
    PinRefusedError,
    RecoveryKeyFormatError,
    SecurityError,
    UnknownAccountError,
    WrongKeyError,
    WrongPassphraseError,
    WrongPinError,
    WrongRecoveryKeyError,
    WrongSecretError,
)
from arrs_desktop.security.kdf import DEFAULT_KDF, KdfParams
from arrs_desktop.security.keyfile import Account, KeyFile, PinVerifier, Unlocked, UnlockMethod
from arrs_desktop.security.passphrase import (
    PassphraseCheck,
    Strength,
    check_passphrase,
    pin_problem,
)
from arrs_desktop.security.pin_lock import PinLock
from arrs_desktop.security.recovery import RecoveryKey, parse_recovery_key

__all__ = [
    "DEFAULT_KDF",
    "Account",
    "AccountError",
    "DataKey",
    "DuplicateAccountError",
    "KdfParams",
    "KeyFile",
    "KeyFileDamagedError",
    "KeyFileError",
    "KeyFileExistsError",
    "KeyFileMissingError",
    "KeyFileTamperedError",
    "KeyFileVersionError",
    "KeyFileWriteError",
    "LastManagerError",
    "NotAllowedError",
    "NotEncryptedError",
    "PassphraseCheck",
    "PassphraseRefusedError",
    "PinLock",
    "PinLockedOutError",
    "PinRefusedError",
    "PinVerifier",
    "RecoveryKey",
    "RecoveryKeyFormatError",
    "SecurityError",
    "Strength",
    "UnknownAccountError",
    "UnlockMethod",
    "Unlocked",
    "WrongKeyError",
    "WrongPassphraseError",
    "WrongPinError",
    "WrongRecoveryKeyError",
    "WrongSecretError",
    "check_passphrase",
    "parse_recovery_key",
    "pin_problem",
]
