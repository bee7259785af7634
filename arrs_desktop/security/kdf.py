"""Stretch a passphrase, PIN or recovery key into a 256-bit key with Argon2id.

Argon2id (RFC 9106) is memory-hard: each guess at a passphrase costs an attacker the same
memory and time it costs us, so a copied caseload cannot be tried against millions of
passphrases a second on graphics cards, as it could with a fast hash.

The defaults, :data:`DEFAULT_KDF`, are 128 MiB of memory, 2 passes, 1 lane. On the
development machine (2 shared cores, Python 3.11, argon2-cffi 25.1) one derivation takes
**about 0.24 s**: 0.23 s at best, a median of 0.25 s when the cores are free and up to
0.44 s while other work fills both (``python -m arrs_desktop.security.measure``). One lane
(parallelism 1) keeps the time the same on a busy laptop as on an idle one; more lanes would
be faster on a laptop with free cores but cost an attacker nothing extra. RFC 9106's second
recommended option is 64 MiB and 3 passes; 128 MiB and 2 passes costs an attacker more memory
per guess for a similar time here.

The parameters and the salt are stored with every key slot (:class:`KdfParams` is written
into the key file), so a later version can raise the defaults and rewrap a slot the next
time its passphrase is typed, while older slots still open with what they were made with.

Tests pass cheap parameters explicitly (every function here takes ``params``); nothing in
production reads a switch that could make derivation cheap.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2.low_level import ARGON2_VERSION, Type, hash_secret_raw

from arrs_desktop.security.errors import KeyFileDamagedError

KEY_BYTES = 32  # every derived key is 256 bits
SALT_BYTES = 16  # RFC 9106: 128-bit salts

# Argon2's own lower bounds; a key file asking for less is damaged (or edited).
_MIN_TIME_COST = 1
_MIN_PARALLELISM = 1
_MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB: above this a key file is refused, not obeyed
_MAX_TIME_COST = 64
_MAX_PARALLELISM = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int
    version: int = ARGON2_VERSION  # 0x13 = 19, the current Argon2 version

    def __post_init__(self) -> None:
        if not _MIN_TIME_COST <= self.time_cost <= _MAX_TIME_COST:
            raise ValueError(f"Argon2 time cost out of range: {self.time_cost}")
        if not _MIN_PARALLELISM <= self.parallelism <= _MAX_PARALLELISM:
            raise ValueError(f"Argon2 parallelism out of range: {self.parallelism}")
        if not 8 * self.parallelism <= self.memory_kib <= _MAX_MEMORY_KIB:
            raise ValueError(f"Argon2 memory out of range: {self.memory_kib} KiB")
        if self.version != ARGON2_VERSION:
            raise ValueError(f"unsupported Argon2 version: {self.version}")

    def weaker_than(self, other: KdfParams) -> bool:
        """Return whether these parameters cost an attacker less than ``other`` in any way."""
        return (self.memory_kib < other.memory_kib or self.time_cost < other.time_cost)

    def to_json(self) -> dict[str, Any]:
        """Return the parameters as stored in the key file (without the salt)."""
        return {"algorithm": "argon2id", "version": self.version, "time_cost": self.time_cost,
                "memory_kib": self.memory_kib, "parallelism": self.parallelism}

    @classmethod
    def from_json(cls, data: object) -> KdfParams:
        """Read parameters stored by :meth:`to_json`; refuse anything else as damage."""
        if not isinstance(data, dict) or data.get("algorithm") != "argon2id":
            raise KeyFileDamagedError(_DAMAGED)
        try:
            values = [data[k] for k in ("time_cost", "memory_kib", "parallelism", "version")]
            if not all(type(v) is int for v in values):
                raise KeyFileDamagedError(_DAMAGED)
            return cls(time_cost=values[0], memory_kib=values[1], parallelism=values[2],
                       version=values[3])
        except (KeyError, ValueError) as exc:
            raise KeyFileDamagedError(_DAMAGED) from exc


_DAMAGED = "The key file beside the caseload is damaged: its key settings cannot be read."

DEFAULT_KDF = KdfParams(time_cost=2, memory_kib=128 * 1024, parallelism=1)
"""What new key slots are made with (about 0.24 s per derivation here; see above)."""


def new_salt() -> bytes:
    """Return a fresh random salt for one key slot."""
    return secrets.token_bytes(SALT_BYTES)


def normalise_secret(text: str) -> bytes:
    """Return the bytes a typed secret is derived from: Unicode NFKC, then UTF-8.

    The same passphrase typed on another keyboard or input method can arrive as different
    code points (a precomposed "é" or "e" and a combining accent); NFKC makes them one.
    Spaces are kept: they are part of a passphrase.
    """
    return unicodedata.normalize("NFKC", text).encode("utf-8")


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Return the 256-bit key Argon2id derives from ``secret`` and ``salt``."""
    if len(salt) < 8:
        raise ValueError("salt too short")
    return hash_secret_raw(secret=secret, salt=salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID, version=params.version)
