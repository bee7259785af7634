"""Who signed in to a caseload, with which key: making, opening and recovering caseloads.

A caseload file is encrypted when a key file sits beside it (`paths.key_file_path`); that
is decided without opening the database. Signing in opens a key slot of the key file with
a passphrase (the account is the one whose slot it opens) or opens the file with the
recovery key, and lends the store an `EncryptedConnector` for that data key
(`store.connector.unlock_connector`) for as long as the session lasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arrs_desktop import paths
from arrs_desktop.access.connector import EncryptedConnector
from arrs_desktop.security import cipher
from arrs_desktop.security.errors import (
    KeyFileMissingError,
    NotEncryptedError,
    WrongKeyError,
    WrongRecoveryKeyError,
)
from arrs_desktop.security.kdf import DEFAULT_KDF, KdfParams
from arrs_desktop.security.keyfile import KeyFile, Unlocked, UnlockMethod
from arrs_desktop.security.pin_lock import PinLock
from arrs_desktop.security.recovery import RecoveryKey, parse_recovery_key
from arrs_desktop.store.connector import forget_connector, unlock_connector

_MISSING = ("There is no key file beside the caseload ({name}), so it cannot be opened: "
            "its contents are encrypted. If the key file was left behind when the caseload "
            "was copied, copy {keys} beside it too (each backup also keeps one). Otherwise "
            "the recovery key printed when the caseload was set up restores access: run "
            "`arrs unlock-with-recovery-key --db {path}` or choose 'Use the recovery key' "
            "in the sign-in window; it makes a new key file.")

_SQLITE_HEADER = b"SQLite format 3\x00"


def key_file_of(db_path: Path) -> Path:
    """Return where a caseload's key file belongs."""
    return paths.key_file_path(Path(db_path))


def is_encrypted(db_path: Path) -> bool:
    """Return whether a caseload is encrypted: a key file sits beside it."""
    return key_file_of(db_path).exists()


def state_of(db_path: Path) -> str:
    """Classify a caseload path before anything opens it.

    'new' (no file), 'encrypted' (a key file beside it), 'plain' (an SQLite file with no
    key file: made by an earlier version, to convert) or 'missing-key' (a file that is not
    plain SQLite, with no key file: an encrypted caseload copied without its key file, or
    something that is not a caseload at all). Only the first 16 bytes of the file are read,
    and only when no key file says what it is; call this before this process opens it.
    """
    db_path = Path(db_path)
    if is_encrypted(db_path):
        return "encrypted"
    if not db_path.exists():
        return "new"
    if db_path.is_dir() or db_path.stat().st_size == 0:
        return "plain"  # the store says what is wrong with it
    with db_path.open("rb") as fh:
        header = fh.read(len(_SQLITE_HEADER))
    return "plain" if header == _SQLITE_HEADER else "missing-key"


def missing_key_message(db_path: Path) -> str:
    """Say that the key file is missing and how the recovery key restores access."""
    db_path = Path(db_path)
    return _MISSING.format(name=db_path.name, keys=key_file_of(db_path).name, path=db_path)


@dataclass
class Session:
    """One sign-in to an encrypted caseload: its key file, the proof of unlock, a connector.

    `pin_lock` checks PINs typed at the lock screen (five wrong ones at most) for every
    account of the caseload; it is built once, at sign-in, and lives in memory only.
    """

    db_path: Path
    key_file: KeyFile
    unlocked: Unlocked
    connector: EncryptedConnector
    pin_lock: PinLock = field(init=False)

    def __post_init__(self) -> None:
        self.pin_lock = PinLock.from_key_file(self.key_file, self.unlocked)
        unlock_connector(self.connector)

    @property
    def account_name(self) -> str:
        """Return who signed in, as audit lines name them."""
        account = self.unlocked.account
        return account.name if account is not None else "recovery key"

    @property
    def account_id(self) -> str:
        """Return the signed-in account's id ("" for the recovery key)."""
        account = self.unlocked.account
        return account.id if account is not None else ""

    @property
    def role(self) -> str:
        """Return the signed-in account's role ("" for the recovery key)."""
        account = self.unlocked.account
        return account.role if account is not None else ""

    @property
    def may_manage_accounts(self) -> bool:
        """Return whether the signed-in account (or the recovery key) may manage accounts."""
        account = self.unlocked.account
        if account is None:
            return True
        self.key_file.reload()
        try:
            return self.key_file.account(account.id).may_manage_accounts
        except Exception:  # noqa: BLE001 - a removed account manages nothing
            return False

    def open_store(self, **options: Any) -> Any:
        """Open the caseload as this account (options as `open_store` takes them)."""
        from arrs_desktop.store import open_store

        options.setdefault("user", self.account_name)
        return open_store(self.db_path, connector=self.connector, **options)

    def switch_to(self, unlocked: Unlocked) -> None:
        """Carry on as another account of the same caseload (switch user at the lock)."""
        self.unlocked = unlocked

    def refresh_pins(self) -> None:
        """Take up PINs set or removed since sign-in (the wrong-PIN count is kept)."""
        self.key_file.reload()
        self.pin_lock.refresh(self.key_file, self.unlocked)

    def sync_backup_key_files(self) -> int:
        """Copy the key file as it is now over the copies beside the caseload's backups.

        So an account removed, or a passphrase changed, is removed or changed in every
        backup's key file too (each backup is encrypted with the same data key). Returns how
        many copies were written. Copies outside the backups folder are not reached.
        """
        from arrs_desktop.store import backup

        self.key_file.reload()
        written = 0
        for info in backup.list_backups(self.db_path):
            copy = paths.key_file_path(info.path)
            if copy.exists() and _key_id_of(copy) == self.key_file.key_id:
                self.key_file.copy_to(copy)
                written += 1
        return written

    def end(self) -> None:
        """Stop lending the connector (the window closed, the command finished)."""
        forget_connector(self.connector)


def _key_id_of(key_file: Path) -> str | None:
    from arrs_desktop.store.connector import key_file_id

    return key_file_id(key_file.with_name(key_file.name[:-len(".keys")]))


def _session(db_path: Path, key_file: KeyFile, unlocked: Unlocked) -> Session:
    return Session(Path(db_path), key_file, unlocked, EncryptedConnector(unlocked.key))


def load_key_file(db_path: Path) -> KeyFile:
    """Read a caseload's key file; a missing one says how the recovery key restores access."""
    try:
        return KeyFile.for_database(Path(db_path))
    except KeyFileMissingError as exc:
        raise KeyFileMissingError(missing_key_message(Path(db_path))) from exc


def sign_in(db_path: Path, passphrase: str, *, account: str | None = None,
            try_first: str | None = None) -> Session:
    """Open a caseload's key slot with a passphrase (raise WrongPassphraseError if none)."""
    key_file = load_key_file(db_path)
    unlocked = key_file.unlock(passphrase, account=account, try_first=try_first)
    return _session(db_path, key_file, unlocked)


def sign_in_with_recovery_key(db_path: Path, recovery_key: str | RecoveryKey) -> Session:
    """Open a caseload with its recovery key (its key file must be there)."""
    key_file = load_key_file(db_path)
    return _session(db_path, key_file, key_file.unlock_with_recovery_key(recovery_key))


def restore_key_file(db_path: Path, recovery_key: str | RecoveryKey, *, name: str, role: str,
                     passphrase: str) -> Session:
    """Make a new key file for a caseload whose key file is lost, from its recovery key.

    The recovery key is first checked against the database itself (it stands for the data
    key); the new key file has one account, a manager, with the passphrase given.
    """
    db_path = Path(db_path)
    key = parse_recovery_key(recovery_key) if isinstance(recovery_key, str) else recovery_key
    from arrs_desktop.security.data_key import DataKey

    try:
        cipher.verify_key(db_path, DataKey.from_recovery_key(key))
    except WrongKeyError as exc:
        raise WrongRecoveryKeyError(
            f"This recovery key does not open {db_path.name}: check that it is the one "
            "printed for this caseload. Nothing was changed.") from exc
    except NotEncryptedError as exc:
        raise NotEncryptedError(f"{db_path.name} is not encrypted, so it needs no recovery "
                                "key. Nothing was changed.") from exc
    key_file, unlocked, _same = KeyFile.create(key_file_of(db_path), name=name, role=role,
                                               passphrase=passphrase, recovery_key=key)
    return _session(db_path, key_file, unlocked)


def create_caseload(db_path: Path, *, name: str, role: str, passphrase: str,
                    kdf: KdfParams = DEFAULT_KDF) -> tuple[Session, RecoveryKey]:
    """Make a new encrypted caseload with its first account (a manager).

    The key file is written first, then the database, encrypted from its first page and
    upgraded to this version's schema. Returns the session and the recovery key, to be
    shown once. Refuses a path where a file is already there.
    """
    db_path = Path(db_path)
    if db_path.exists():
        raise FileExistsError(f"{db_path} is already there; choose a new file name. It has "
                              "not been changed.")
    key_file, unlocked, recovery = KeyFile.create(key_file_of(db_path), name=name, role=role,
                                                  passphrase=passphrase, kdf=kdf)
    session = _session(db_path, key_file, unlocked)
    try:
        store = session.open_store()
        store.close()
    except BaseException:
        session.end()
        raise
    return session, recovery


__all__ = [
    "Session",
    "UnlockMethod",
    "create_caseload",
    "is_encrypted",
    "key_file_of",
    "load_key_file",
    "missing_key_message",
    "restore_key_file",
    "sign_in",
    "sign_in_with_recovery_key",
    "state_of",
]
