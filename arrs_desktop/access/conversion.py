"""Encrypt a plain caseload made by an earlier version, and then its plain backups.

On first open by this version a plain caseload file (no key file beside it) is:

1. backed up as it is (`backups/<name>.<time>.before-encryption.db`, still plain);
2. folded into one file (its write-ahead log checkpointed; refused while another program
   has it open, since that program would go on writing plain pages);
3. exported into a new encrypted file beside it (`sqlcipher_export`), under the data key of
   a new key file with the first account, and checked: every table's row count equal to
   the plain file's, `integrity_check` and SQLCipher's page check clean;
4. swapped in: the key file is put in place, then the encrypted file renamed over the
   plain one (one atomic rename each).

Until its plain backups are converted too (`encrypt_plain_backups`) or deleted
(`delete_plain_backups`), they stay readable by anyone who can read the backups folder;
the window and `arrs` say so and offer both.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from arrs_desktop import paths
from arrs_desktop.access.session import Session, _session, key_file_of
from arrs_desktop.security import cipher
from arrs_desktop.security.kdf import DEFAULT_KDF, KdfParams
from arrs_desktop.security.keyfile import KeyFile, Unlocked
from arrs_desktop.security.recovery import RecoveryKey


class ConversionRefusedError(Exception):
    """The plain caseload could not be encrypted now; it was left exactly as it was."""


@dataclass(frozen=True)
class Converted:
    """What encrypting a plain caseload did."""

    session: Session
    recovery_key: RecoveryKey
    backup: Path  # the plain copy taken first
    row_counts: dict[str, int]


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fold_in_log(db_path: Path) -> None:
    """Checkpoint the plain file's write-ahead log into it, through the stdlib's SQLite.

    Closing the last connection folds the log in and removes it; a log left behind means
    another program has the file open. The stdlib's SQLite is the one that wrote it, and no
    other connection of this process has the file open now.
    """
    from arrs_desktop.store import open_store

    open_store(db_path, user="encryption").close()  # the last connection folds the log in
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ConversionRefusedError(
            f"{db_path.name} is open in another program, so it cannot be encrypted now. "
            "Close it and open the caseload again. Nothing was changed.")


def convert_plain_caseload(db_path: Path, *, name: str, role: str, passphrase: str,
                           kdf: KdfParams = DEFAULT_KDF) -> Converted:
    """Encrypt a plain caseload in place, after a backup; return the session signed in.

    Raises the store's open errors for a file that is not a sound caseload, and
    ConversionRefusedError while another program has it open; a copy that does not hold
    every row is removed and the plain file left as it was (cipher.ConversionError).
    """
    from arrs_desktop.store import backup

    db_path = Path(db_path)
    keys = key_file_of(db_path)
    if keys.exists():
        raise ConversionRefusedError(f"{db_path.name} is already encrypted.")
    _fold_in_log(db_path)
    plain_backup = backup.make_backup(db_path, "before-encryption")
    token = secrets.token_hex(6)
    new_keys = db_path.with_name(f".{db_path.name}.{token}.keys")
    new_db = db_path.with_name(f".{db_path.name}.{token}.encrypted")
    key_file, unlocked, recovery = KeyFile.create(new_keys, name=name, role=role,
                                                  passphrase=passphrase, kdf=kdf)
    try:
        report = cipher.export_plain_to_encrypted(db_path, new_db, unlocked.key)
        for suffix in ("-wal", "-shm"):
            leftover = db_path.with_name(db_path.name + suffix)
            if leftover.exists() and leftover.stat().st_size > 0 and suffix == "-wal":
                raise ConversionRefusedError(
                    f"{db_path.name} was opened by another program while it was being "
                    "encrypted. Nothing was changed; open the caseload again.")
            leftover.unlink(missing_ok=True)
        os.replace(new_keys, keys)
        os.replace(new_db, db_path)
        _fsync_dir(db_path.parent)
    except BaseException:
        new_keys.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{new_db}{suffix}").unlink(missing_ok=True)
        raise
    from arrs_desktop.store.health import forget

    forget(db_path)  # a new file: checked on its first open
    final = KeyFile.for_database(db_path)
    signed_in = Unlocked(unlocked.key, keys, unlocked.account, unlocked.method)
    return Converted(_session(db_path, final, signed_in), recovery, plain_backup,
                     report.row_counts)


def plain_backups(db_path: Path) -> list[Path]:
    """Return the caseload's backups that are still plain (no key file copy beside them)."""
    from arrs_desktop.store import backup

    return [b.path for b in backup.list_backups(Path(db_path))
            if not paths.key_file_path(b.path).exists()]


def encrypt_plain_backups(session: Session) -> list[Path]:
    """Encrypt each plain backup in place under the caseload's data key; return them.

    Each is exported into a new encrypted file, checked row for row, given a copy of the
    key file and renamed over the plain one.
    """
    done = []
    for plain in plain_backups(session.db_path):
        tmp = plain.with_name(f".{plain.name}.{secrets.token_hex(6)}.encrypted")
        try:
            cipher.export_plain_to_encrypted(plain, tmp, session.unlocked.key)
            session.key_file.copy_to(paths.key_file_path(plain))
            os.replace(tmp, plain)
        except BaseException:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            raise
        done.append(plain)
    if done:
        _fsync_dir(done[0].parent)
    return done


def delete_plain_backups(db_path: Path) -> list[Path]:
    """Delete the caseload's plain backups; return them."""
    gone = []
    for plain in plain_backups(db_path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{plain}{suffix}").unlink(missing_ok=True)
        gone.append(plain)
    return gone


__all__ = [
    "ConversionRefusedError",
    "Converted",
    "convert_plain_caseload",
    "delete_plain_backups",
    "encrypt_plain_backups",
    "plain_backups",
]
