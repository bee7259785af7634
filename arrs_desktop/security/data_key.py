"""The data key: the one 256-bit key that encrypts a caseload, its WAL and its backups.

Every key slot in the key file wraps this key; SQLCipher is given it raw (no key derivation
of its own), so opening the database costs nothing beyond the Argon2id derivation that
unwrapped the slot. The key is derived from the caseload's recovery key (see
:mod:`arrs_desktop.security.recovery`), which is why the recovery key alone restores access
when the key file is lost.

Python cannot wipe memory, so the key lives as long as the object and its copies in the
interpreter; the object at least never shows the key in a ``repr``, a log or a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from arrs_desktop.security.recovery import RecoveryKey, data_key_bytes_from_recovery_key

KEY_BYTES = 32
_KEY_ID_LABEL = b"arrs-desktop key id v1"


class DataKey:
    """A caseload's data key; compares in constant time and never prints itself."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        self._key = key

    @classmethod
    def from_recovery_key(cls, recovery_key: RecoveryKey) -> DataKey:
        """Return the data key a recovery key stands for."""
        return cls(data_key_bytes_from_recovery_key(recovery_key))

    @property
    def raw(self) -> bytes:
        """Return the 32 key bytes (for wrapping into a key slot)."""
        return self._key

    def sqlcipher_key(self) -> str:
        """Return the key as SQLCipher's raw-key literal, ``x'<64 hex digits>'``."""
        return f"x'{self._key.hex()}'"

    @property
    def key_id(self) -> str:
        """Return a public fingerprint of the key (16 hex digits), which reveals nothing of it.

        It names which key a database, a backup or a key file belongs to, so a key file and
        a caseload that do not belong together are told apart before anything is tried.
        """
        return hmac.new(self._key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]

    def subkey(self, purpose: str) -> bytes:
        """Return a 256-bit key for one purpose (the key file's seal, PIN verifiers), by HKDF."""
        info = b"arrs-desktop " + purpose.encode("ascii")
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataKey) and hmac.compare_digest(self._key, other._key)

    def __hash__(self) -> int:
        return hash(self.key_id)

    def __repr__(self) -> str:
        return f"DataKey(id={self.key_id})"

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("a data key is not pickled")
