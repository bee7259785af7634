"""The recovery key: printed once at setup, it opens the caseload when every passphrase is lost
or the key file is gone.

A recovery key looks like ``7KQ3-M9RT-X2HB-...``: 32 characters in 8 groups of four, from
Crockford's base 32 alphabet (digits and capital letters without I, L, O and U, so nothing
reads as two different characters). The first 26 characters are 130 random bits; the last 6
are a check: the BCH code of Bech32m (BIP 350), which is certain to catch any mistake in up
to four characters (a wrong character, two swapped) and lets fewer than one in a billion
larger mistakes through. A mistyped key is refused as a typing mistake when it is typed,
never tried as a key. Typing is forgiving: lower case, spaces or no dashes, and O for 0 or
I/L for 1 are all accepted.

**The data key is derived from the recovery key** (HKDF-SHA256 of its 130 random bits).
That is what lets the recovery key alone restore access when the key file beside the
caseload is lost (copied without it, deleted, damaged):
:meth:`DataKey.from_recovery_key <arrs_desktop.security.data_key.DataKey.from_recovery_key>`
gives the key, which then opens the database and writes a new key file. 130 bits is beyond
the 128-bit level no search can reach, so deriving the 256-bit data key from it loses
nothing that matters; the price is that a recovery key cannot be replaced without
re-encrypting the caseload under a new data key (a new recovery key, and every account sets
its passphrase again), which is what should happen anyway if a printed key was seen by
someone else.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from arrs_desktop.security.errors import RecoveryKeyFormatError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
DATA_CHARS = 26  # 130 random bits
CHECK_CHARS = 6  # the Bech32m check: 30 bits
GROUP = 4
LENGTH = DATA_CHARS + CHECK_CHARS
_LOOKS_LIKE = {"O": "0", "I": "1", "L": "1"}  # what a reader may type for what is printed
_SEPARATORS = " -\u2010\u2011\u2012\u2013\u2014\t\r\n"
_CHECK_PREFIX = "arrs-recovery"  # mixed into the check, as Bech32's human-readable part
_BECH32M_CONST = 0x2BC830A3
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_DATA_KEY_INFO = b"arrs-desktop caseload data key v1"


@dataclass(frozen=True, repr=False)
class RecoveryKey:
    """A recovery key: its 26 random characters (the check is computed, not stored)."""

    chars: str

    def __post_init__(self) -> None:
        if len(self.chars) != DATA_CHARS or any(c not in ALPHABET for c in self.chars):
            raise ValueError("a recovery key holds 26 characters of Crockford base 32")

    @classmethod
    def generate(cls) -> RecoveryKey:
        """Return a new random recovery key."""
        return cls("".join(secrets.choice(ALPHABET) for _ in range(DATA_CHARS)))

    @classmethod
    def parse(cls, typed: str) -> RecoveryKey:
        """Read a recovery key as a person typed it; a typing mistake raises, saying what."""
        return parse_recovery_key(typed)

    @property
    def secret(self) -> bytes:
        """Return the 130 random bits as 17 bytes (the top 6 bits are zero)."""
        value = 0
        for c in self.chars:
            value = value * 32 + ALPHABET.index(c)
        return value.to_bytes(17, "big")

    def formatted(self) -> str:
        """Return the key to print: 8 groups of four, joined by dashes."""
        full = self.chars + _check(self.chars)
        return "-".join(full[i:i + GROUP] for i in range(0, LENGTH, GROUP))

    def __repr__(self) -> str:
        return "RecoveryKey(<hidden>)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecoveryKey) and hmac.compare_digest(self.chars, other.chars)

    def __hash__(self) -> int:
        return hash(("RecoveryKey", self.chars))


def _polymod(values: list[int]) -> int:
    """Return the Bech32 BCH checksum state over 5-bit values (BIP 173)."""
    check = 1
    for value in values:
        top = check >> 25
        check = ((check & 0x1FFFFFF) << 5) ^ value
        for i, generator in enumerate(_GENERATOR):
            if (top >> i) & 1:
                check ^= generator
    return check


def _prefix_values() -> list[int]:
    return [ord(c) >> 5 for c in _CHECK_PREFIX] + [0] + [ord(c) & 31 for c in _CHECK_PREFIX]


def _check(chars: str) -> str:
    """Return the 6 check characters for 26 data characters."""
    values = _prefix_values() + [ALPHABET.index(c) for c in chars]
    state = _polymod(values + [0] * CHECK_CHARS) ^ _BECH32M_CONST
    return "".join(ALPHABET[(state >> 5 * (CHECK_CHARS - 1 - i)) & 31]
                   for i in range(CHECK_CHARS))


def _check_holds(chars: str) -> bool:
    """Return whether 32 characters are 26 data characters followed by their check."""
    return _polymod(_prefix_values() + [ALPHABET.index(c) for c in chars]) == _BECH32M_CONST


def parse_recovery_key(typed: str) -> RecoveryKey:
    """Read a recovery key as typed (any case, dashes or spaces optional, O for 0, I/L for 1)."""
    chars = []
    for c in typed.upper():
        if c in _SEPARATORS:
            continue
        c = _LOOKS_LIKE.get(c, c)
        if c not in ALPHABET:
            shown = "a space" if c.isspace() else f"'{c}'"
            raise RecoveryKeyFormatError(
                f"A recovery key has only the digits 0-9 and the capital letters printed on it; "
                f"{shown} is not one of them. Check it against your printed copy.")
        chars.append(c)
    if len(chars) != LENGTH:
        raise RecoveryKeyFormatError(
            f"A recovery key has {LENGTH} letters and digits, in {LENGTH // GROUP} groups of "
            f"four; this has {len(chars)}. Check it against your printed copy.")
    text = "".join(chars)
    if not _check_holds(text):
        raise RecoveryKeyFormatError(
            "This recovery key has a typing mistake: one of its letters or digits is not as "
            "printed. Check each group of four against your printed copy.")
    return RecoveryKey(text[:DATA_CHARS])


def data_key_bytes_from_recovery_key(recovery_key: RecoveryKey) -> bytes:
    """Return the 256-bit data key this recovery key stands for."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_DATA_KEY_INFO).derive(recovery_key.secret)
