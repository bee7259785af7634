"""Field validation shared by the store, the importers and the command line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")

MIN_DATE = date(1900, 1, 1)

# Length limits for free text (characters).
NAME_MAX = 120
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000
ID_MAX = 64  # record ids are UUID text (36 characters); allow some room, never more


class ValidationError(ValueError):
    """A write was refused; `errors` maps each field to why."""

    def __init__(self, errors: Mapping[str, str] | str, message: str | None = None):
        if isinstance(errors, str):
            errors = {errors: message or "is not valid"}
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.errors.items()))

    @property
    def field(self) -> str:
        """Return the first field at fault."""
        return next(iter(self.errors))


class DuplicatePersonError(ValidationError):
    """A person looks like someone already on the log."""

    def __init__(self, field_name: str, message: str, matches: Iterable[Any]) -> None:
        self.matches = list(matches)
        super().__init__({field_name: message})


def clean_nhs_number(value: str | None) -> str | None:
    """Return the 10-digit NHS number, or None when blank; raise ValueError if invalid."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = value.strip()
    if not text:
        return None
    digits = re.sub(r"[\s\-]", "", text)
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("may only contain digits, spaces and dashes")
    if len(digits) != 10:
        raise ValueError(f"must have 10 digits (it has {len(digits)})")
    if not nhs_check_digit_ok(digits):
        raise ValueError("is not a valid NHS number (the check digit does not match)")
    return digits


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus-11 check digit for nine digits, or None if no number can end them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_check_digit_ok(digits: str) -> bool:
    """Return True when ten digits carry a correct modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    expected = nhs_check_digit(digits[:9])
    return expected is not None and expected == int(digits[9])


def format_nhs_number(digits: str | None) -> str:
    """Show an NHS number as 3-3-4 (943 476 5919)."""
    if not digits:
        return ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    """Return True if text holds control characters (newlines and tabs allowed on request)."""
    for ch in text:
        if allow_newlines and ch in "\n\t\r":
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            return True
    return False


# Characters that change the order text is shown in without being seen: embeddings,
# overrides and isolates. "Invoice_gpj.exe" can be shown as "Invoice_exe.jpg" with U+202E.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hidden_character_problem(text: str, *, names: bool = True) -> str | None:
    """Return why text holds a character that deceives the reader, or None if it is clean.

    Names and identifiers (`names=True`): no invisible formatting character at all
    (Unicode category Cf: direction controls and marks, zero-width space and joiners,
    word joiner, byte-order mark, soft hyphen, invisible operators, tag characters).
    Notes and other long text: no direction embedding, override or isolate; zero-width
    joiners (emoji sequences, Indic scripts), direction marks in right-to-left text and
    combining marks are fine there.
    """
    for ch in text:
        if ch in BIDI_CONTROLS:  # it reorders what is shown: "hidden", not "invisible"
            return (f"contains a hidden {_char_name(ch)} (U+{ord(ch):04X}); "
                    "type it again without it")
        if names and unicodedata.category(ch) == "Cf":
            return (f"contains an invisible {_char_name(ch)} (U+{ord(ch):04X}); "
                    "type it again without it")
    return None


def _char_name(ch: str) -> str:
    return unicodedata.name(ch, "format character").lower()


def clean_text(
    value: object,
    *,
    required: bool = False,
    max_len: int = SHORT_TEXT_MAX,
    multiline: bool = False,
) -> str:
    """Return trimmed text; raise ValueError for wrong type, control characters or length.

    One-line text (names, titles, workers, phone numbers, codes) may hold no invisible
    formatting character; multi-line text (notes, reasons, addresses) no direction
    override (see hidden_character_problem).
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = value.strip()
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if required and not text:
        raise ValueError("is required")
    if has_control_chars(text, allow_newlines=multiline):
        raise ValueError("contains control characters")
    if len(text) > max_len:
        raise ValueError(f"is too long ({len(text)} characters; at most {max_len})")
    hidden = hidden_character_problem(text, names=not multiline)
    if hidden:
        raise ValueError(hidden)
    return text


def clean_id(value: object, *, required: bool = False) -> str | None:
    """Return a record id (text, no spaces or control characters), or None when blank."""
    if value is None or value == "":
        if required:
            raise ValueError("is required")
        return None
    if not isinstance(value, str):
        raise ValueError("must be a record id (text)")
    if len(value) > ID_MAX or value != value.strip() or has_control_chars(value):
        raise ValueError("is not a record id")
    return value


def require_id(field_name: str, value: object, *, required: bool = True) -> str | None:
    """Return a well-formed record id, or raise ValidationError naming the field."""
    try:
        return clean_id(value, required=required)
    except ValueError as exc:
        raise ValidationError(field_name, str(exc)) from None


def clean_id_list(value: object, *, max_items: int = 200) -> tuple[str, ...]:
    """Return a tuple of record ids from a list/tuple/set of them (not a single text)."""
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise ValueError("must be a list of record ids")
    if len(value) > max_items:
        raise ValueError(f"has too many entries (at most {max_items})")
    return tuple(str(clean_id(v, required=True)) for v in value)


def clean_flag(value: object) -> bool:
    """Return a yes/no value; only True/False (or 1/0) are accepted."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError("must be yes or no")


def parse_date(value: object) -> date | None:
    """Return a date from a date or an ISO text (YYYY-MM-DD); None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date")
    text = value.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError("must be a date written as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real calendar date") from None


def clean_date(
    value: object,
    *,
    required: bool = False,
    not_future: bool = False,
    earliest: date = MIN_DATE,
    latest: date | None = None,
    today: date | None = None,
) -> date | None:
    """Return a checked date; raise ValueError with a plain reason."""
    parsed = parse_date(value)
    if parsed is None:
        if required:
            raise ValueError("is required")
        return None
    today = today or date.today()
    if parsed < earliest:
        raise ValueError(f"cannot be before {earliest.isoformat()}")
    if not_future and parsed > today:
        raise ValueError("cannot be in the future")
    if latest is not None and parsed > latest:
        raise ValueError(f"cannot be after {latest.isoformat()}")
    return parsed


def clean_score(value: object, *, low: int = 0, high: int = 10,
                required: bool = True) -> int | None:
    """Return a whole-number score within [low, high]."""
    if value is None or value == "":
        if required:
            raise ValueError("is required")
        return None
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number from {low} to {high}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"must be a whole number from {low} to {high}")
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(f"must be a whole number from {low} to {high}")
    if not low <= value <= high:
        raise ValueError(f"must be from {low} to {high}")
    return value


def clean_choice(value: object, choices: Mapping[str, str] | Iterable[str], *,
                 required: bool = True) -> str | None:
    """Return value if it is one of the allowed codes."""
    if value is None or value == "":
        if required:
            raise ValueError("is required")
        return None
    allowed = list(choices)
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"must be one of: {', '.join(allowed)}")
    return value


def clean_postcode(value: object) -> str:
    """Return a UK postcode in upper case with one space, or '' when blank."""
    text = clean_text(value, max_len=10)
    if not text:
        return ""
    compact = re.sub(r"\s+", "", text).upper()
    if not re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}", compact):
        raise ValueError("is not a UK postcode (for example LS1 4AP)")
    return f"{compact[:-3]} {compact[-3:]}"


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def clean_email(value: object) -> str:
    """Return an email address as typed (trimmed), or '' when blank."""
    text = clean_text(value, max_len=254)
    if text and not _EMAIL.fullmatch(text):
        raise ValueError("is not an email address (for example name@example.org)")
    return text


def search_key(text: str) -> str:
    """Fold text for searching: lower case, accents removed, spaces squeezed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


class Checker:
    """Collect field errors, then raise them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, field_name: str, func: Callable[..., T], *args: Any,
              **kwargs: Any) -> T | None:
        """Run a cleaner; record its complaint against the field and return None."""
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            self.errors.setdefault(field_name, str(exc))
            return None

    def add(self, field_name: str, message: str) -> None:
        """Record an error for a field."""
        self.errors.setdefault(field_name, message)

    def raise_if_any(self) -> None:
        """Raise a ValidationError naming every faulty field."""
        if self.errors:
            raise ValidationError(self.errors)
