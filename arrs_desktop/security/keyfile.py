"""The key file beside a caseload: its accounts and the key slots that open it.

``caseload.db`` is encrypted by SQLCipher under one random data key
(:class:`~arrs_desktop.security.data_key.DataKey`). ``caseload.db.keys``
(:func:`arrs_desktop.paths.key_file_path`) holds, for every account, a **key slot**: the data
key sealed with AES-256-GCM under a key that Argon2id derives from that account's passphrase
(:mod:`arrs_desktop.security.slots`, :mod:`arrs_desktop.security.kdf`). Adding an account,
removing one, renaming, changing or resetting a passphrase, all rewrite only that account's
entry in this small file: the database is never re-encrypted, and its bytes do not change.
The recovery key printed at setup stands for the data key itself
(:mod:`arrs_desktop.security.recovery`), so it opens the caseload even when this file is gone.

What the file protects, and from whom
-------------------------------------
*A copied caseload* (a lost laptop, a copied folder, a backup drive): the database, its WAL
and its backups are encrypted; the key file beside them gives nothing without a passphrase,
each guess at which costs an attacker an Argon2id derivation (about 0.24 s and 128 MiB here),
and the policy refuses the passphrases guessed first. PINs give nothing either: a PIN entry
holds only a verifier for the lock screen, sealed under the data key, so a copied file
cannot be searched for a 6-digit PIN (see :mod:`arrs_desktop.security.pin_lock`).

*A changed key file*: everything in the file is sealed by an HMAC-SHA256 under a key
derived from the data key, checked on every unlock, so nobody without a passphrase can give
an account the right to manage accounts, swap a role, or slip in a slot of their own; and a
SHA-256 checksum over the whole file, checked on every read, reports accidental damage
(a bad disk, a careless edit: any byte changed) before any passphrase is tried.

What it does not protect against: someone who knows a passphrase (all accounts share the
one data key; the roles and who may manage accounts are the app's rules, not cryptography),
and someone who kept a copy of an old key file together with a passphrase it held: removing
an account stops its passphrase opening *this* file, not copies made earlier. Shutting such
a person out needs a new data key (SQLCipher's rekey; every account then sets its
passphrase again, and a new recovery key is printed).

Writing
-------
Every change is one atomic write (temporary file in the same folder, written, fsynced,
renamed over the old file, folder fsynced), with mode 0600 from the moment it is created,
under an exclusive ``flock`` on the folder where the system has one, so two windows or a
window and the ``arrs`` command changing accounts at once cannot lose each other's change:
each change is made to the file as it is on disk at that moment, after checking its seal.
The key file is never the database, so ordinary file I/O on it is safe while SQLite has the
database open.

Format (version 1): one JSON object, keys sorted, two-space indent, ASCII only::

    {"format": "arrs-desktop-keys", "version": 1, "key_id": "<16 hex>", "revision": 3,
     "created": "...Z",
     "accounts": [{"id": "<16 hex>", "name": "...", "role": "splw",
                   "may_manage_accounts": true, "created": "...Z", "changed": "...Z",
                   "passphrase_slot": {"kdf": {"algorithm": "argon2id", "version": 19,
                        "time_cost": 2, "memory_kib": 131072, "parallelism": 1,
                        "salt": "<b64>"}, "aead": "aes-256-gcm", "nonce": "<b64>",
                        "sealed": "<b64>"},
                   "pin_slot": null}],
     "mac": "<64 hex>", "checksum": "<64 hex>"}

A newer version's file is refused by name (:class:`KeyFileVersionError`), never guessed at.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from arrs_desktop import paths
from arrs_desktop.domain import catalogue
from arrs_desktop.security.data_key import DataKey
from arrs_desktop.security.errors import (
    DuplicateAccountError,
    KeyFileDamagedError,
    KeyFileExistsError,
    KeyFileMissingError,
    KeyFileTamperedError,
    KeyFileVersionError,
    KeyFileWriteError,
    LastManagerError,
    NotAllowedError,
    UnknownAccountError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from arrs_desktop.security.kdf import DEFAULT_KDF, KdfParams, derive_key, new_salt
from arrs_desktop.security.kdf import normalise_secret as _secret_bytes
from arrs_desktop.security.passphrase import require_acceptable_passphrase, require_acceptable_pin
from arrs_desktop.security.recovery import RecoveryKey, parse_recovery_key
from arrs_desktop.security.slots import (
    Slot,
    b64,
    canonical_json,
    open_slot,
    open_with_key,
    seal,
    seal_with_key,
)

FORMAT = "arrs-desktop-keys"
FORMAT_VERSION = 1
MAX_NAME_LENGTH = 80
MAX_FILE_BYTES = 4 * 1024 * 1024  # a key file is a few KB; anything this big is not one
_SEAL_PURPOSE = "key file seal v1"
_PIN_PURPOSE = "pin verifier v1"
_MAX_PARALLEL_DERIVATIONS = 4

_DAMAGED = ("The key file beside the caseload ({name}) is damaged or was changed outside "
            "ARRS Desktop, so it cannot be used. Put back a copy from a backup (each backup "
            "keeps one), or open the caseload with its recovery key to make a new one.")
_TAMPERED = ("The key file beside the caseload ({name}) was changed by someone without a "
             "passphrase: its seal does not match, so it is not trusted. Put back a copy "
             "from a backup, or open the caseload with its recovery key to make a new one.")
_MISSING = ("There is no key file beside the caseload ({name}), and the caseload cannot be "
            "opened without it. If it was left behind when the caseload was copied, copy it "
            "too; each backup also keeps one. Otherwise the recovery key printed when the "
            "caseload was set up opens it and makes a new key file.")


class UnlockMethod(Enum):
    """What opened the caseload."""

    PASSPHRASE = "passphrase"
    RECOVERY_KEY = "recovery_key"


@dataclass(frozen=True)
class Account:
    """One account of a caseload, as its key file holds it."""

    id: str
    name: str
    role: str  # one of catalogue.ROLE_CODES
    may_manage_accounts: bool
    has_pin: bool
    created: str
    changed: str


@dataclass(frozen=True, repr=False)
class Unlocked:
    """Proof that a caseload was opened: its data key and who opened it.

    ``account`` is None when the recovery key opened it; the recovery key may do everything a
    manager may (it is how a caseload whose managers are all gone is put right).
    """

    key: DataKey
    key_file: Path
    account: Account | None
    method: UnlockMethod

    def __repr__(self) -> str:
        who = self.account.name if self.account else "recovery key"
        return f"Unlocked({who!r}, key={self.key!r})"


@dataclass(frozen=True, repr=False)
class PinVerifier:
    """What a PIN is checked against on the lock screen (held in memory only)."""

    account_id: str
    kdf: KdfParams
    salt: bytes
    digest: bytes

    def matches(self, pin: str) -> bool:
        """Return whether ``pin`` is this account's PIN (one Argon2id derivation)."""
        candidate = derive_key(_secret_bytes(pin), self.salt, self.kdf)
        return hmac.compare_digest(candidate, self.digest)

    def __repr__(self) -> str:
        return f"PinVerifier(account_id={self.account_id!r})"


# --- the document --------------------------------------------------------------------


@dataclass(frozen=True)
class _AccountRecord:
    id: str
    name: str
    role: str
    may_manage_accounts: bool
    created: str
    changed: str
    passphrase_slot: Slot
    pin_slot: Slot | None

    def public(self) -> Account:
        return Account(self.id, self.name, self.role, self.may_manage_accounts,
                       self.pin_slot is not None, self.created, self.changed)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "role": self.role,
                "may_manage_accounts": self.may_manage_accounts, "created": self.created,
                "changed": self.changed, "passphrase_slot": self.passphrase_slot.to_json(),
                "pin_slot": self.pin_slot.to_json() if self.pin_slot else None}


@dataclass(frozen=True)
class _Document:
    key_id: str
    revision: int
    created: str
    accounts: tuple[_AccountRecord, ...]
    mac: str = ""

    def body(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": FORMAT_VERSION, "key_id": self.key_id,
                "revision": self.revision, "created": self.created,
                "accounts": [a.to_json() for a in self.accounts]}

    def sealed_by(self, key: DataKey) -> _Document:
        return replace(self, mac=_mac(key, self.body()))

    def text(self) -> str:
        doc = {**self.body(), "mac": self.mac}
        doc["checksum"] = hashlib.sha256(canonical_json(doc)).hexdigest()
        return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n"

    def find(self, name_or_id: str) -> _AccountRecord:
        for record in self.accounts:
            if record.id == name_or_id:
                return record
        wanted = _name_key(name_or_id)
        for record in self.accounts:
            if _name_key(record.name) == wanted:
                return record
        raise UnknownAccountError(f"There is no account called {name_or_id.strip()!r}.")


def _mac(key: DataKey, body: dict[str, Any]) -> str:
    return hmac.new(key.subkey(_SEAL_PURPOSE), canonical_json(body), hashlib.sha256).hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _is_hex(text: object, length: int) -> bool:
    return isinstance(text, str) and len(text) == length and all(
        c in "0123456789abcdef" for c in text)


def _read_json(data: bytes, name: str) -> dict[str, Any]:
    damaged = KeyFileDamagedError(_DAMAGED.format(name=name))
    try:
        text = data.decode("ascii")
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise damaged from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise damaged
    version = doc.get("version")
    if type(version) is int and version > FORMAT_VERSION:
        raise KeyFileVersionError(
            f"The key file beside the caseload ({name}) was written by a newer version of "
            "ARRS Desktop. Open the caseload with that version, or update this one.")
    if version != FORMAT_VERSION or type(version) is not int:
        raise damaged
    try:
        canonical = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n"
    except ValueError as exc:
        raise damaged from exc
    if canonical != text:
        raise damaged
    checksum = doc.pop("checksum", None)
    if not _is_hex(checksum, 64) or not hmac.compare_digest(
            hashlib.sha256(canonical_json(doc)).hexdigest(), str(checksum)):
        raise damaged
    return doc


def _parse(data: bytes, name: str) -> _Document:
    """Read a key file's bytes; anything not exactly as written raises KeyFileDamagedError."""
    doc = _read_json(data, name)
    damaged = KeyFileDamagedError(_DAMAGED.format(name=name))
    expected = {"format", "version", "key_id", "revision", "created", "accounts", "mac"}
    if set(doc) != expected or not _is_hex(doc["key_id"], 16) or not _is_hex(doc["mac"], 64):
        raise damaged
    if type(doc["revision"]) is not int or doc["revision"] < 1:
        raise damaged
    if not isinstance(doc["created"], str) or not isinstance(doc["accounts"], list):
        raise damaged
    records = []
    account_keys = {"id", "name", "role", "may_manage_accounts", "created", "changed",
                    "passphrase_slot", "pin_slot"}
    try:
        for item in doc["accounts"]:
            if not isinstance(item, dict) or set(item) != account_keys:
                raise damaged
            if not _is_hex(item["id"], 16) or not isinstance(item["name"], str) \
                    or item["role"] not in catalogue.ROLE_CODES \
                    or type(item["may_manage_accounts"]) is not bool \
                    or not isinstance(item["created"], str) \
                    or not isinstance(item["changed"], str):
                raise damaged
            pin = item["pin_slot"]
            records.append(_AccountRecord(
                id=item["id"], name=item["name"], role=item["role"],
                may_manage_accounts=item["may_manage_accounts"], created=item["created"],
                changed=item["changed"], passphrase_slot=Slot.from_json(item["passphrase_slot"]),
                pin_slot=None if pin is None else Slot.from_json(pin)))
    except KeyFileDamagedError as exc:
        raise damaged from exc
    if not records or len({r.id for r in records}) != len(records) \
            or len({_name_key(r.name) for r in records}) != len(records):
        raise damaged
    return _Document(key_id=doc["key_id"], revision=doc["revision"], created=doc["created"],
                     accounts=tuple(records), mac=doc["mac"])


# --- reading and writing the file ----------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise KeyFileMissingError(_MISSING.format(name=path.name)) from exc
    except IsADirectoryError as exc:
        raise KeyFileDamagedError(_DAMAGED.format(name=path.name)) from exc
    except OSError as exc:
        raise KeyFileDamagedError(
            f"The key file beside the caseload ({path.name}) cannot be read: "
            f"{exc.strerror or exc}.") from exc
    if len(data) > MAX_FILE_BYTES:
        raise KeyFileDamagedError(_DAMAGED.format(name=path.name))
    return data


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows has no folder fsync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as one step: temp file (mode 0600), fsync, rename, fsync folder.

    Readers see the old file or the new one, never part of either; a crash at any point leaves
    the old file in place. Raises KeyFileWriteError in plain words when the disk refuses.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_folder(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise KeyFileWriteError(
            f"The key file {path.name} could not be saved ({exc.strerror or exc}); "
            "nothing was changed.") from exc


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive flock on the folder while a change is made (where flock exists)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: one writer at a time is not enforced
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the flock (a BSD lock on the folder, not SQLite's)


def _binding(kind: str, account_id: str) -> dict[str, Any]:
    return {"format": FORMAT, "kind": kind, "account": account_id}


def _pin_binding(account_id: str, kdf: KdfParams, salt: bytes) -> dict[str, Any]:
    return {**_binding("pin", account_id), "kdf": {**kdf.to_json(), "salt": b64(salt)}}


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise NotAllowedError("Type a name for the account.")
    if len(clean) > MAX_NAME_LENGTH:
        raise NotAllowedError(f"Use at most {MAX_NAME_LENGTH} characters for the name.")
    if any(not c.isprintable() for c in clean):
        raise NotAllowedError("A name cannot hold control characters.")
    return clean


def _clean_role(role: str) -> str:
    if role not in catalogue.ROLE_CODES:
        choices = ", ".join(f"{r.code} ({r.name})" for r in catalogue.ROLES)
        raise NotAllowedError(f"The role must be one of: {choices}.")
    return role


# --- the key file ----------------------------------------------------------------------


class KeyFile:
    """The key file of one caseload: read it, unlock with it, change its accounts.

    Reading (:meth:`load`) checks the file is exactly as written; the accounts it lists are
    then as the file says, and :meth:`unlock` confirms them against the seal. Every change
    takes the :class:`Unlocked` proof of who makes it, is checked against the rules (only a
    manager, or the recovery key, adds, removes or resets others; nobody removes or demotes
    the last manager), and is written at once.
    """

    def __init__(self, path: Path, document: _Document) -> None:
        self.path = Path(path)
        self._doc = document

    # reading

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read a key file; raise KeyFileMissingError, KeyFileDamagedError, KeyFileVersionError."""
        path = Path(path)
        return cls(path, _parse(_read_bytes(path), path.name))

    @classmethod
    def for_database(cls, db_path: Path) -> KeyFile:
        """Read the key file beside a caseload database."""
        return cls.load(paths.key_file_path(db_path))

    def reload(self) -> None:
        """Read the file again (another window or command may have changed the accounts)."""
        self._doc = _parse(_read_bytes(self.path), self.path.name)

    @property
    def key_id(self) -> str:
        """Return the public fingerprint of the data key this file opens."""
        return self._doc.key_id

    @property
    def revision(self) -> int:
        """Return how many times the file has been written (1 when it is new)."""
        return self._doc.revision

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Return the accounts, in the order they were added, as the file says.

        Before an unlock nothing confirms them (the sign-in list may show them); every
        unlock checks them against the file's seal.
        """
        return tuple(r.public() for r in self._doc.accounts)

    def account(self, name_or_id: str) -> Account:
        """Return the account with this id or name (names match ignoring case and spacing)."""
        return self._doc.find(name_or_id).public()

    def slot_kdf(self, name_or_id: str) -> KdfParams:
        """Return the Argon2id parameters an account's passphrase slot was made with."""
        return self._doc.find(name_or_id).passphrase_slot.kdf

    def text(self) -> str:
        """Return the file's text as it is written (for copying it beside a backup)."""
        return self._doc.text()

    def copy_to(self, destination: Path) -> None:
        """Write this key file to ``destination`` (beside a backup), atomically, mode 0600."""
        write_private_atomically(Path(destination), self._doc.text().encode("ascii"))

    # making one

    @classmethod
    def create(cls, path: Path, *, name: str, role: str, passphrase: str,
               recovery_key: RecoveryKey | None = None,
               kdf: KdfParams = DEFAULT_KDF) -> tuple[KeyFile, Unlocked, RecoveryKey]:
        """Make the key file of a new caseload with its first account, a manager.

        Returns the file, the proof of unlock (its data key opens the new database) and the
        recovery key, to be shown once. Given ``recovery_key`` (from the person's printed
        copy), the file is made for the data key that recovery key stands for: that is how
        a lost key file is replaced (check first that the key opens the database).
        Refuses to replace an existing key file (KeyFileExistsError).
        """
        path = Path(path)
        if path.exists():
            raise KeyFileExistsError(
                f"A key file is already there ({path.name}); making a new one would lock "
                "away the caseload it opens.")
        clean = _clean_name(name)
        role = _clean_role(role)
        require_acceptable_passphrase(passphrase, context=[clean])
        recovery_key = recovery_key or RecoveryKey.generate()
        key = DataKey.from_recovery_key(recovery_key)
        account_id = secrets.token_hex(8)
        now = _now()
        record = _AccountRecord(
            id=account_id, name=clean, role=role, may_manage_accounts=True, created=now,
            changed=now, pin_slot=None,
            passphrase_slot=seal(_secret_bytes(passphrase), key.raw,
                                 binding=_binding("passphrase", account_id), kdf=kdf))
        doc = _Document(key_id=key.key_id, revision=1, created=now, accounts=(record,))
        doc = doc.sealed_by(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _folder_lock(path.parent):
            if path.exists():
                raise KeyFileExistsError(
                    f"A key file is already there ({path.name}); making a new one would lock "
                    "away the caseload it opens.")
            write_private_atomically(path, doc.text().encode("ascii"))
        key_file = cls(path, doc)
        return key_file, Unlocked(key, path, record.public(), UnlockMethod.PASSPHRASE), \
            recovery_key

    # unlocking

    def _confirm(self, doc: _Document, key: DataKey) -> None:
        """Raise unless ``key`` is this file's data key and the file's seal is intact."""
        if not hmac.compare_digest(key.key_id, doc.key_id) or not hmac.compare_digest(
                _mac(key, doc.body()), doc.mac):
            raise KeyFileTamperedError(_TAMPERED.format(name=self.path.name))

    def unlock(self, passphrase: str, *, account: str | None = None,
               try_first: str | None = None) -> Unlocked:
        """Open the caseload with a passphrase: the account is the one whose slot it opens.

        With ``account`` (a name or id), only that account's slot is tried. Otherwise every
        account's is, one Argon2id derivation each: ``try_first`` (say, the account that
        signed in last on this computer) alone first, then the rest up to four at once. A
        passphrase no slot opens raises WrongPassphraseError; a slot that opens in a file
        whose seal does not match raises KeyFileTamperedError.
        """
        doc = self._doc
        candidates = [doc.find(account)] if account is not None else list(doc.accounts)
        secret = _secret_bytes(passphrase)

        def attempt(record: _AccountRecord) -> tuple[_AccountRecord, bytes] | None:
            raw = open_slot(secret, record.passphrase_slot,
                            binding=_binding("passphrase", record.id))
            return None if raw is None else (record, raw)

        found = None
        first = [r for r in candidates if try_first is not None and r.id == try_first]
        if first and len(candidates) > 1:
            found = attempt(first[0])
            candidates = [r for r in candidates if r.id != first[0].id]
        if found is None:
            found = _first_found(attempt, candidates)
        if found is None:
            who = f" for {candidates[0].name}" if account is not None else ""
            raise WrongPassphraseError(f"That passphrase is not right{who}. Check it and try "
                                       "again (passphrases are case-sensitive).")
        record, raw = found
        key = DataKey(raw)
        self._confirm(doc, key)
        return Unlocked(key, self.path, record.public(), UnlockMethod.PASSPHRASE)

    def unlock_with_recovery_key(self, recovery_key: str | RecoveryKey) -> Unlocked:
        """Open the caseload with its recovery key (as typed, or already read)."""
        if isinstance(recovery_key, str):
            recovery_key = parse_recovery_key(recovery_key)
        key = DataKey.from_recovery_key(recovery_key)
        if not hmac.compare_digest(key.key_id, self._doc.key_id):
            raise WrongRecoveryKeyError(
                "This recovery key is typed correctly but belongs to another caseload. Check "
                "that it is the one printed for this caseload.")
        self._confirm(self._doc, key)
        return Unlocked(key, self.path, None, UnlockMethod.RECOVERY_KEY)

    def pin_verifiers(self, by: Unlocked) -> dict[str, PinVerifier]:
        """Return the accounts' PIN verifiers, unsealed with the data key, by account id."""
        self._check_proof(by)
        subkey = by.key.subkey(_PIN_PURPOSE)
        out: dict[str, PinVerifier] = {}
        for record in self._doc.accounts:
            slot = record.pin_slot
            if slot is None:
                continue
            digest = open_with_key(subkey, slot.nonce, slot.sealed,
                                   binding=_pin_binding(record.id, slot.kdf, slot.salt))
            if digest is None:
                raise KeyFileTamperedError(_TAMPERED.format(name=self.path.name))
            out[record.id] = PinVerifier(record.id, slot.kdf, slot.salt, digest)
        return out

    # changing

    def _check_proof(self, by: Unlocked) -> None:
        if not hmac.compare_digest(by.key.key_id, self._doc.key_id):
            raise NotAllowedError("That sign-in belongs to another caseload.")

    @staticmethod
    def _actor(doc: _Document, by: Unlocked) -> _AccountRecord | None:
        """Return the acting account as the file holds it now (None for the recovery key)."""
        if by.account is None:
            return None
        for record in doc.accounts:
            if record.id == by.account.id:
                return record
        raise NotAllowedError("Your account has been removed, so you cannot change accounts.")

    @classmethod
    def _require_manager(cls, doc: _Document, by: Unlocked) -> None:
        actor = cls._actor(doc, by)
        if actor is not None and not actor.may_manage_accounts:
            raise NotAllowedError("Only an account that may manage accounts can do that.")

    def _change(self, key: DataKey,
                edit: Callable[[_Document], tuple[_Document, _AccountRecord | None]]
                ) -> _AccountRecord | None:
        """Apply ``edit`` to the file as it is on disk now, then seal and write it."""
        with _folder_lock(self.path.parent):
            current = _parse(_read_bytes(self.path), self.path.name)
            self._confirm(current, key)
            changed, record = edit(current)
            changed = replace(changed, revision=current.revision + 1).sealed_by(key)
            write_private_atomically(self.path, changed.text().encode("ascii"))
        self._doc = changed
        return record

    def add_account(self, by: Unlocked, *, name: str, role: str, passphrase: str,
                    may_manage_accounts: bool = False,
                    kdf: KdfParams = DEFAULT_KDF) -> Account:
        """Add an account with its own passphrase (a manager or the recovery key only)."""
        self._check_proof(by)
        clean, role = _clean_name(name), _clean_role(role)
        require_acceptable_passphrase(passphrase, context=[clean])
        account_id = secrets.token_hex(8)
        slot = seal(_secret_bytes(passphrase), by.key.raw,
                    binding=_binding("passphrase", account_id), kdf=kdf)

        def edit(doc: _Document) -> tuple[_Document, _AccountRecord]:
            self._require_manager(doc, by)
            if any(_name_key(r.name) == _name_key(clean) for r in doc.accounts):
                raise DuplicateAccountError(f"There is already an account called {clean!r}.")
            now = _now()
            record = _AccountRecord(account_id, clean, role, may_manage_accounts, now, now,
                                    slot, None)
            return replace(doc, accounts=(*doc.accounts, record)), record

        record = self._change(by.key, edit)
        assert record is not None
        return record.public()

    def remove_account(self, by: Unlocked, account: str) -> None:
        """Remove an account and its key slot (a manager or the recovery key only)."""
        self._check_proof(by)

        def edit(doc: _Document) -> tuple[_Document, None]:
            self._require_manager(doc, by)
            target = doc.find(account)
            rest = tuple(r for r in doc.accounts if r.id != target.id)
            if target.may_manage_accounts and not any(r.may_manage_accounts for r in rest):
                raise LastManagerError(
                    f"{target.name} is the only account that may manage accounts, so it cannot "
                    "be removed. Let another account manage accounts first.")
            return replace(doc, accounts=rest), None

        self._change(by.key, edit)

    def update_account(self, by: Unlocked, account: str, *, name: str | None = None,
                       role: str | None = None,
                       may_manage_accounts: bool | None = None) -> Account:
        """Rename an account (itself or a manager), or change its role or rights (a manager)."""
        self._check_proof(by)
        clean = None if name is None else _clean_name(name)
        new_role = None if role is None else _clean_role(role)

        def edit(doc: _Document) -> tuple[_Document, _AccountRecord]:
            target = doc.find(account)
            actor = self._actor(doc, by)
            is_self = actor is not None and actor.id == target.id
            if (new_role is not None and new_role != target.role) or (
                    may_manage_accounts is not None
                    and may_manage_accounts != target.may_manage_accounts) or not is_self:
                self._require_manager(doc, by)
            if clean is not None and any(_name_key(r.name) == _name_key(clean)
                                         and r.id != target.id for r in doc.accounts):
                raise DuplicateAccountError(f"There is already an account called {clean!r}.")
            manages = target.may_manage_accounts if may_manage_accounts is None \
                else may_manage_accounts
            if target.may_manage_accounts and not manages and not any(
                    r.may_manage_accounts for r in doc.accounts if r.id != target.id):
                raise LastManagerError(
                    f"{target.name} is the only account that may manage accounts; let another "
                    "account manage accounts first.")
            updated = replace(target, name=clean or target.name, role=new_role or target.role,
                              may_manage_accounts=manages, changed=_now())
            return _with(doc, updated), updated

        record = self._change(by.key, edit)
        assert record is not None
        return record.public()

    def change_passphrase(self, account: str, current: str, new: str, *,
                          kdf: KdfParams = DEFAULT_KDF) -> Account:
        """Change an account's own passphrase, proven by the current one; rewraps its slot only.

        Also the way to move a slot to stronger Argon2id parameters (``new`` may equal
        ``current`` then; the policy is not applied to an unchanged passphrase).
        """
        proof = self.unlock(current, account=account)
        target = self._doc.find(account)
        if new != current:
            require_acceptable_passphrase(new, context=[target.name])
        return self._rewrap(proof, target.id, new, kdf)

    def reset_passphrase(self, by: Unlocked, account: str, new: str, *,
                         kdf: KdfParams = DEFAULT_KDF) -> Account:
        """Give an account a new passphrase without its old one (a manager or the recovery key)."""
        self._check_proof(by)
        target = self._doc.find(account)
        require_acceptable_passphrase(new, context=[target.name])
        return self._rewrap(by, target.id, new, kdf, manager_only=True)

    def _rewrap(self, by: Unlocked, account_id: str, new: str, kdf: KdfParams, *,
                manager_only: bool = False) -> Account:
        slot = seal(_secret_bytes(new), by.key.raw, binding=_binding("passphrase", account_id),
                    kdf=kdf)

        def edit(doc: _Document) -> tuple[_Document, _AccountRecord]:
            if manager_only:
                self._require_manager(doc, by)
            target = doc.find(account_id)
            updated = replace(target, passphrase_slot=slot, changed=_now())
            return _with(doc, updated), updated

        record = self._change(by.key, edit)
        assert record is not None
        return record.public()

    def set_pin(self, by: Unlocked, pin: str, *, kdf: KdfParams = DEFAULT_KDF) -> Account:
        """Set (or replace) the signed-in account's own PIN for the lock screen."""
        self._check_proof(by)
        if by.account is None:
            raise NotAllowedError("Sign in to an account to set its PIN.")
        pin = require_acceptable_pin(pin)
        account_id = by.account.id
        salt = new_salt()
        digest = derive_key(_secret_bytes(pin), salt, kdf)
        nonce, sealed = seal_with_key(by.key.subkey(_PIN_PURPOSE), digest,
                                      binding=_pin_binding(account_id, kdf, salt))
        slot = Slot(kdf=kdf, salt=salt, nonce=nonce, sealed=sealed)

        def edit(doc: _Document) -> tuple[_Document, _AccountRecord]:
            target = doc.find(account_id)
            updated = replace(target, pin_slot=slot, changed=_now())
            return _with(doc, updated), updated

        record = self._change(by.key, edit)
        assert record is not None
        return record.public()

    def remove_pin(self, by: Unlocked, account: str) -> Account:
        """Remove an account's PIN (its own, or any account's for a manager)."""
        self._check_proof(by)

        def edit(doc: _Document) -> tuple[_Document, _AccountRecord]:
            target = doc.find(account)
            actor = self._actor(doc, by)
            if actor is None or actor.id != target.id:
                self._require_manager(doc, by)
            updated = replace(target, pin_slot=None, changed=_now())
            return _with(doc, updated), updated

        record = self._change(by.key, edit)
        assert record is not None
        return record.public()


def _with(doc: _Document, updated: _AccountRecord) -> _Document:
    return replace(doc, accounts=tuple(updated if r.id == updated.id else r
                                       for r in doc.accounts))


def _first_found(attempt: Callable[[_AccountRecord], tuple[_AccountRecord, bytes] | None],
                 candidates: list[_AccountRecord]) -> tuple[_AccountRecord, bytes] | None:
    """Try each candidate slot, several at once, and return the first that opens."""
    if len(candidates) == 1:
        return attempt(candidates[0])
    workers = max(1, min(len(candidates), os.cpu_count() or 1, _MAX_PARALLEL_DERIVATIONS))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="arrs-unlock") as pool:
        pending: set[Future[tuple[_AccountRecord, bytes] | None]] = {
            pool.submit(attempt, c) for c in candidates}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                if result is not None:
                    for other in pending:
                        other.cancel()
                    return result
    return None
