"""A key slot: a secret sealed under a key derived from a passphrase (or PIN) by Argon2id.

The seal is **AES-256-GCM** (``cryptography``'s AESGCM, OpenSSL underneath), an AEAD: it
encrypts and authenticates in one step, so a slot opened with the wrong passphrase, or a
slot whose bytes or settings were changed, is refused rather than giving a wrong key.
AES-256-GCM rather than ChaCha20-Poly1305 or XChaCha20 (PyNaCl): it is the NIST- and
NCSC-approved choice an NHS information governance review expects to see, it runs in AES
hardware on every laptop this app targets, and ``cryptography`` is a dependency any Python
desktop app already trusts (one less native library to ship). GCM's one sharp edge, a
repeated 96-bit nonce under one key, cannot arise here: every slot's key comes from a fresh
random salt and seals exactly one message, so no key ever sees a second nonce.

The slot's settings (its Argon2id parameters and salt) and what it belongs to (the account
id and the slot's kind) are bound into the seal as associated data: moving a slot to another
account, or weakening its parameters in the file, makes it refuse to open.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from arrs_desktop.security.errors import KeyFileDamagedError
from arrs_desktop.security.kdf import KdfParams, derive_key, new_salt

AEAD_NAME = "aes-256-gcm"
NONCE_BYTES = 12
_DAMAGED = "The key file beside the caseload is damaged: a key slot cannot be read."


def b64(data: bytes) -> str:
    """Return bytes as standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, *, length: int | None = None) -> bytes:
    """Return the bytes of base64 text read from the key file; anything else is damage."""
    if not isinstance(text, str):
        raise KeyFileDamagedError(_DAMAGED)
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise KeyFileDamagedError(_DAMAGED) from exc
    if b64(data) != text or (length is not None and len(data) != length):
        raise KeyFileDamagedError(_DAMAGED)
    return data


def canonical_json(value: object) -> bytes:
    """Return the one byte form of a JSON value that seals and checksums are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False).encode("ascii")


@dataclass(frozen=True, repr=False)
class Slot:
    """One sealed secret: how its key is derived, and the sealed bytes."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    sealed: bytes

    def to_json(self) -> dict[str, Any]:
        """Return the slot as stored in the key file."""
        return {"kdf": {**self.kdf.to_json(), "salt": b64(self.salt)}, "aead": AEAD_NAME,
                "nonce": b64(self.nonce), "sealed": b64(self.sealed)}

    @classmethod
    def from_json(cls, data: object) -> Slot:
        """Read a slot stored by :meth:`to_json`; anything else is damage."""
        if not isinstance(data, dict) or data.get("aead") != AEAD_NAME \
                or set(data) != {"kdf", "aead", "nonce", "sealed"}:
            raise KeyFileDamagedError(_DAMAGED)
        kdf = data["kdf"]
        if not isinstance(kdf, dict) or set(kdf) != {"algorithm", "version", "time_cost",
                                                       "memory_kib", "parallelism", "salt"}:
            raise KeyFileDamagedError(_DAMAGED)
        salt = unb64(kdf["salt"])
        if len(salt) < 8:
            raise KeyFileDamagedError(_DAMAGED)
        return cls(kdf=KdfParams.from_json(kdf), salt=salt,
                   nonce=unb64(data["nonce"], length=NONCE_BYTES), sealed=unb64(data["sealed"]))

    def header(self) -> dict[str, Any]:
        """Return the slot's settings, which are bound into its seal."""
        return {**self.kdf.to_json(), "salt": b64(self.salt), "aead": AEAD_NAME}

    def __repr__(self) -> str:
        return f"Slot(kdf={self.kdf!r})"


def _aad(binding: dict[str, Any], kdf: KdfParams, salt: bytes) -> bytes:
    header = {**kdf.to_json(), "salt": b64(salt), "aead": AEAD_NAME}
    return canonical_json({"binding": binding, "slot": header})


def seal(secret: bytes, payload: bytes, *, binding: dict[str, Any], kdf: KdfParams) -> Slot:
    """Seal ``payload`` under a key Argon2id derives from ``secret`` with a fresh salt."""
    salt = new_salt()
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = derive_key(secret, salt, kdf)
    sealed = AESGCM(key).encrypt(nonce, payload, _aad(binding, kdf, salt))
    return Slot(kdf=kdf, salt=salt, nonce=nonce, sealed=sealed)


def open_slot(secret: bytes, slot: Slot, *, binding: dict[str, Any]) -> bytes | None:
    """Return the sealed payload, or None when ``secret`` (or the slot itself) is not right."""
    key = derive_key(secret, slot.salt, slot.kdf)
    try:
        return AESGCM(key).decrypt(slot.nonce, slot.sealed, _aad(binding, slot.kdf, slot.salt))
    except InvalidTag:
        return None


def seal_with_key(key: bytes, payload: bytes, *, binding: dict[str, Any]) -> tuple[bytes, bytes]:
    """Seal ``payload`` under a key already at hand; return (nonce, sealed)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, payload, canonical_json({"binding": binding}))


def open_with_key(key: bytes, nonce: bytes, sealed: bytes, *,
                  binding: dict[str, Any]) -> bytes | None:
    """Return what :func:`seal_with_key` sealed, or None when it does not open."""
    try:
        return AESGCM(key).decrypt(nonce, sealed, canonical_json({"binding": binding}))
    except InvalidTag:
        return None
