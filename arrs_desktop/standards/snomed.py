"""SNOMED CT identifiers (SCTIDs): the Verhoeff check digit and the partition identifier.

An SCTID is 6 to 18 digits with no leading zero. The last digit is a Verhoeff check digit
over all the others. The two digits before it are the partition identifier: the first says
the format (0 short, 1 long: a 7-digit namespace sits before the partition), the second what
the id names (0 a concept, 1 a description, 2 a relationship). So 00 and 10 are concepts,
01 and 11 descriptions, 02 and 12 relationships; no other partition is used for these.

A code recorded in the GP system is a concept id. The two ids ARRS Desktop ships are long
format in the UK namespace 1000000: 871731000000106 and 871711000000103.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_DIGITS = 6
MAX_DIGITS = 18
NAMESPACE_DIGITS = 7
LONG_MIN_DIGITS = 1 + NAMESPACE_DIGITS + 2 + 1  # item, namespace, partition, check digit

CONCEPT = "concept"
DESCRIPTION = "description"
RELATIONSHIP = "relationship"
KINDS: dict[str, str] = {"0": CONCEPT, "1": DESCRIPTION, "2": RELATIONSHIP}
PARTITIONS: dict[str, tuple[str, bool]] = {  # partition -> (what it names, long format)
    f"{fmt}{kind}": (name, fmt == "1") for fmt in "01" for kind, name in KINDS.items()
}

# Verhoeff's tables: the dihedral group D5, its permutation and inverses.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


class SctidError(ValueError):
    """Text that is not a valid SNOMED CT id (of the kind wanted); the message says why."""


@dataclass(frozen=True)
class Sctid:
    """A checked SNOMED CT id and what its partition says about it."""

    value: str
    kind: str  # CONCEPT, DESCRIPTION or RELATIONSHIP
    long_format: bool
    namespace: str | None = None  # the 7-digit namespace of a long-format id

    @property
    def partition(self) -> str:
        """Return the partition identifier: the two digits before the check digit."""
        return self.value[-3:-1]


def _digits_ok(digits: str) -> bool:
    return bool(digits) and digits.isascii() and digits.isdigit()


def verhoeff_check_digit(digits: str) -> int:
    """Return the Verhoeff check digit that completes a string of digits."""
    if not _digits_ok(digits):
        raise ValueError("the Verhoeff check digit is over digits only")
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return _INV[c]


def verhoeff_valid(digits: str) -> bool:
    """Return True when a string of digits ends with its correct Verhoeff check digit."""
    if not _digits_ok(digits) or len(digits) < 2:
        return False
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def _kind_name(kind: str) -> str:
    return {CONCEPT: "a concept id", DESCRIPTION: "a description id",
            RELATIONSHIP: "a relationship id"}[kind]


def parse_sctid(text: str, expect: str | None = CONCEPT) -> Sctid:
    """Return the checked id; raise SctidError saying in plain words what is wrong.

    `expect` is the kind of id wanted (a concept for any code recorded in the GP system);
    None accepts any kind.
    """
    if not isinstance(text, str):
        raise SctidError("must be a SNOMED CT id written in digits")
    value = text.strip()
    if not value:
        raise SctidError("is required (a SNOMED CT id, such as 871731000000106)")
    if not _digits_ok(value):
        bad = next(ch for ch in value if not (ch.isascii() and ch.isdigit()))
        raise SctidError(f"must be a SNOMED CT id, digits only (it has {bad!r})")
    if len(value) < MIN_DIGITS:
        raise SctidError(f"is too short for a SNOMED CT id ({len(value)} digits; "
                         f"at least {MIN_DIGITS})")
    if len(value) > MAX_DIGITS:
        raise SctidError(f"is too long for a SNOMED CT id ({len(value)} digits; "
                         f"at most {MAX_DIGITS})")
    if value[0] == "0":
        raise SctidError("cannot start with 0 (no SNOMED CT id does)")
    if not verhoeff_valid(value):
        raise SctidError("is not a valid SNOMED CT id: the check digit (the last digit) does "
                         "not match, so a digit is mistyped or two are swapped")
    partition = value[-3:-1]
    if partition not in PARTITIONS:
        raise SctidError(f"is not a valid SNOMED CT id: its partition identifier (the two "
                         f"digits before the last) is {partition}, and SNOMED CT uses only "
                         "00, 01 and 02, or 10, 11 and 12 for a long-format id")
    kind, long_format = PARTITIONS[partition]
    if long_format and len(value) < LONG_MIN_DIGITS:
        raise SctidError(f"is too short for a long-format SNOMED CT id (partition "
                         f"{partition}): it needs a {NAMESPACE_DIGITS}-digit namespace, "
                         f"so at least {LONG_MIN_DIGITS} digits")
    if expect is not None and kind != expect:
        raise SctidError(f"is {_kind_name(kind)} (partition {partition}), not "
                         f"{_kind_name(expect)}: use the concept's own id")
    namespace = value[-3 - NAMESPACE_DIGITS:-3] if long_format else None
    return Sctid(value, kind, long_format, namespace)


def sctid_problem(text: str, expect: str | None = CONCEPT) -> str | None:
    """Return why text is not a valid SNOMED CT id of the kind wanted, or None."""
    try:
        parse_sctid(text, expect)
    except SctidError as exc:
        return str(exc)
    return None


def is_concept_id(text: str) -> bool:
    """Return True for a valid SNOMED CT concept id."""
    return sctid_problem(text, CONCEPT) is None


def make_sctid(item: int, kind: str = CONCEPT, namespace: str | None = None) -> str:
    """Return a checked-digit SCTID for an item number (short format, or long in a namespace).

    Used by tests and tools that need well-formed ids; never to invent codes to record.
    """
    if item < 0 or (namespace is None and item < 100):
        raise ValueError("the item number is too small for a SNOMED CT id")
    fmt = "0" if namespace is None else "1"
    if namespace is not None and not (len(namespace) == NAMESPACE_DIGITS
                                      and _digits_ok(namespace)):
        raise ValueError("a namespace is 7 digits")
    kind_digit = {name: digit for digit, name in KINDS.items()}[kind]
    body = f"{item}{namespace or ''}{fmt}{kind_digit}"
    value = body + str(verhoeff_check_digit(body))
    parse_sctid(value, kind)
    return value
