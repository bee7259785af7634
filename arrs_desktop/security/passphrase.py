"""What makes an acceptable passphrase or PIN, and a strength hint in plain words.

The passphrase policy follows the NCSC's password guidance: length over complexity.

- **At least 12 characters** (counted after Unicode normalisation), at most 200.
- **No composition rules**: nobody is made to add a capital, a digit or a symbol; spaces and
  any letters of any language are welcome. Three or four random words make a good one.
- **The most used passwords are refused**: the 10,000 most used (shipped in
  ``resources/passwords/``), and anything this estimate finds would be guessed within about
  10^8 tries (a day of one attacker's computer against Argon2id), such as a common word with
  digits added, a repeated word, a run like ``abcdef`` or ``123456``, or the account's name.
- **A strength hint** for everything else: weak, fair, good or strong, from a simple
  estimate of how many guesses an attacker would need. The estimate splits the passphrase
  into the cheapest pieces a guesser would try (common passwords by rank, common English
  words by tier, the account's name and the app's name, repeats, runs of letters, digits or
  keyboard keys, years, and otherwise any character of its kind) and multiplies their costs,
  in the manner of Dropbox's zxcvbn but far smaller.

PINs: 6 to 12 digits, not one digit repeated, not a repeated pattern (``121212``,
``123123``), not a straight run (``123456``, ``987654``), and not one of the most used (the
digit-only entries of the shipped password list).

Messages speak to a care worker: what is wrong and what to do, without jargon.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from arrs_desktop import paths
from arrs_desktop.security.errors import PassphraseRefusedError, PinRefusedError

MIN_LENGTH = 12
MAX_LENGTH = 200
PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12

REFUSE_BELOW_LOG10 = 8.0  # about a day of one attacker's machine against Argon2id
FAIR_FROM_LOG10 = 8.0
GOOD_FROM_LOG10 = 11.0
STRONG_FROM_LOG10 = 14.0

APP_WORDS = ("arrs", "desktop", "caseload", "nhs")  # words of the app itself, tried early


class Strength(Enum):
    """How hard a passphrase would be to guess, in four steps."""

    WEAK = "weak"
    FAIR = "fair"
    GOOD = "good"
    STRONG = "strong"


@dataclass(frozen=True)
class PassphraseCheck:
    """The verdict on a new passphrase: may it be used, why not, and how strong it is."""

    acceptable: bool
    problems: tuple[str, ...]
    strength: Strength
    hint: str
    guesses_log10: float


@dataclass(frozen=True)
class WordLists:
    """Words a guesser tries first, each with its cost in guesses."""

    passwords: dict[str, int] = field(default_factory=dict)  # word -> rank (1 = most used)
    words: dict[str, int] = field(default_factory=dict)  # word -> guesses up to its tier
    longest: int = 0

    @classmethod
    def from_lines(cls, password_lines: Iterable[str], word_lines: Iterable[str]) -> WordLists:
        """Build the lists from the shipped files' lines."""
        passwords: dict[str, int] = {}
        for line in password_lines:
            word = line.strip()
            if word and not word.startswith("#"):
                passwords.setdefault(word, len(passwords) + 1)
        tiers: list[list[str]] = []
        for line in word_lines:
            word = line.strip()
            if word.startswith("# tier"):
                tiers.append([])
            elif word and not word.startswith("#") and tiers:
                tiers[-1].append(word)
        words: dict[str, int] = {}
        total = 0
        for tier in tiers:
            total += len(tier)
            for word in tier:
                words.setdefault(word, total)
        longest = max((len(w) for w in [*passwords, *words]), default=0)
        return cls(passwords, words, longest)


@functools.cache
def shipped_word_lists() -> WordLists:
    """Return the word lists shipped with the app (read once)."""
    passwords = paths.common_passwords_path().read_text(encoding="utf-8").splitlines()
    words = paths.common_words_path().read_text(encoding="utf-8").splitlines()
    return WordLists.from_lines(passwords, words)


def normalise(text: str) -> str:
    """Return the text as it is measured and derived from (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", text)


# --- the estimate ----------------------------------------------------------------------

_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_UNLEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o",
                         "5": "s", "$": "s", "7": "t", "+": "t"})
_UNLEET_L = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "l", "!": "i", "0": "o",
                           "5": "s", "$": "s", "7": "t", "+": "t"})
_SEPARATORS = " -_.,/"
_MAX_REPEAT_UNIT = 24  # longer repeated pieces are rare and cost as much as new ones
_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    log10: float
    kind: str  # password, word, name, repeat, sequence, keyboard, year, chars


def _char_cardinality(c: str) -> int:
    if c.isdigit():
        return 10
    if c in _SEPARATORS:
        return len(_SEPARATORS)
    if c.isascii() and c.isalpha():
        return 26
    if c.isascii():
        return 33
    return 100


def _same_kind(a: str, b: str) -> bool:
    """Return whether two characters are both ASCII digits or both ASCII lower-case letters."""
    return (a in _DIGITS and b in _DIGITS) or (a in _LOWER and b in _LOWER)


def _case_factor(original: str) -> float:
    """Return log10 of the extra guesses capital letters cost."""
    letters = [c for c in original if c.isalpha()]
    uppers = sum(c.isupper() for c in letters)
    if uppers == 0:
        return 0.0
    if uppers == len(letters) or (uppers == 1 and letters[0].isupper()):
        return math.log10(2)
    lowers = len(letters) - uppers
    return math.log10(sum(math.comb(len(letters), k) for k in range(1, min(uppers, lowers) + 1)))


class _Estimator:
    def __init__(self, lists: WordLists, context: Sequence[str]) -> None:
        self.lists = lists
        self.context = {w for w in (normalise(c).lower() for c in context) if len(w) >= 3}
        self._memo: dict[str, tuple[float, tuple[_Piece, ...]]] = {}

    def _word_cost(self, word: str) -> tuple[float, str] | None:
        if word in self.context:
            return 0.0, "name"
        rank = self.lists.passwords.get(word)
        best: tuple[float, str] | None = None
        if rank is not None:
            best = (math.log10(rank), "password")
        cost = self.lists.words.get(word)
        if cost is not None and (best is None or math.log10(cost) < best[0]):
            best = (math.log10(cost), "word")
        return best

    def _pieces(self, text: str) -> list[_Piece]:
        low = text.lower()
        n = len(text)
        found: list[_Piece] = []
        longest = max(self.lists.longest, max((len(w) for w in self.context), default=0))
        variants = {low, low.translate(_UNLEET), low.translate(_UNLEET_L)}
        for i in range(n):
            # dictionary words, as typed, with look-alike digits, or reversed
            for j in range(i + 3, min(n, i + longest) + 1):
                best: tuple[float, str] | None = None
                for variant in variants:
                    sub = variant[i:j]
                    extra = 0.0 if sub == low[i:j] else math.log10(4)
                    for candidate, more in ((sub, extra), (sub[::-1], extra + math.log10(2))):
                        cost = self._word_cost(candidate)
                        if cost is not None and (best is None or cost[0] + more < best[0]):
                            best = (cost[0] + more, cost[1])
                if best is not None:
                    found.append(_Piece(i, j, best[0] + _case_factor(text[i:j]), best[1]))
            # runs of letters or digits: abcd, 4321
            if i + 2 < n and _same_kind(low[i], low[i + 1]):
                step = ord(low[i + 1]) - ord(low[i])
                j = i + 2
                while (abs(step) == 1 and j < n and _same_kind(low[j - 1], low[j])
                       and ord(low[j]) - ord(low[j - 1]) == step):
                    j += 1
                if abs(step) == 1 and j - i >= 3:
                    start = 4 if low[i] in "az019" else (10 if low[i].isdigit() else 26)
                    found.append(_Piece(i, j, math.log10(start * (j - i) * (2 if step < 0 else 1)),
                                        "sequence"))
            # rows of keys: qwerty, lkjh
            for row in _KEYBOARD_ROWS:
                for r in (row, row[::-1]):
                    k = 0
                    while i + k < n and low[i:i + k + 1] in r:
                        k += 1
                    if k >= 4:
                        found.append(_Piece(i, i + k, math.log10(10 * k * 2), "keyboard"))
            # years
            if i + 4 <= n and low[i:i + 4].isdigit() and low[i:i + 2] in ("19", "20"):
                found.append(_Piece(i, i + 4, math.log10(200), "year"))
            # repeats of a unit, any case
            for unit in range(1, min(_MAX_REPEAT_UNIT, (n - i) // 2) + 1):
                count = 1
                while low[i + count * unit:i + (count + 1) * unit] == low[i:i + unit]:
                    count += 1
                if count >= 2:
                    unit_cost, _ = self.estimate(text[i:i + unit])
                    found.append(_Piece(i, i + unit * count, unit_cost + math.log10(count),
                                        "repeat"))
            found.append(_Piece(i, i + 1, math.log10(_char_cardinality(text[i])), "chars"))
        return found

    def estimate(self, text: str) -> tuple[float, tuple[_Piece, ...]]:
        """Return (log10 of the guesses needed, the pieces the cheapest guess is made of)."""
        if text in self._memo:
            return self._memo[text]
        n = len(text)
        by_end: dict[int, list[_Piece]] = {}
        for piece in self._pieces(text):
            by_end.setdefault(piece.end, []).append(piece)
        # best[j] = (cost of text[:j], structured pieces count, pieces)
        best: list[tuple[float, int, tuple[_Piece, ...]]] = [(0.0, 0, ())] * (n + 1)
        for j in range(1, n + 1):
            options = []
            for piece in by_end.get(j, []):
                cost, count, pieces = best[piece.start]
                structured = piece.kind != "chars"
                total = cost + piece.log10 + (math.log10(count + 1) if structured else 0.0)
                options.append((total, count + structured, (*pieces, piece)))
            best[j] = min(options, key=lambda option: option[0])
        cost, _, pieces = best[n]
        result = (cost, pieces)
        self._memo[text] = result
        return result


def estimate_guesses_log10(passphrase: str, *, context: Sequence[str] = (),
                           lists: WordLists | None = None) -> float:
    """Return log10 of the number of guesses the estimate says an attacker would need."""
    estimator = _Estimator(lists or shipped_word_lists(), [*context, *APP_WORDS])
    return estimator.estimate(normalise(passphrase))[0]


def _strength(log10: float) -> Strength:
    if log10 >= STRONG_FROM_LOG10:
        return Strength.STRONG
    if log10 >= GOOD_FROM_LOG10:
        return Strength.GOOD
    if log10 >= FAIR_FROM_LOG10:
        return Strength.FAIR
    return Strength.WEAK


_HINTS = {
    Strength.WEAK: "Weak: this would be quick to guess.",
    Strength.FAIR: "Fair. Another word or two would make it much harder to guess.",
    Strength.GOOD: "Good: this would be hard to guess.",
    Strength.STRONG: "Strong: this would be very hard to guess.",
}

_WHY = {
    "name": "It is built from a name (yours or the app's), which is tried early.",
    "repeat": "Repeated letters or words add little.",
    "sequence": "Runs like 'abcd' or '1234' are among the first things tried.",
    "keyboard": "Rows of keys like 'qwerty' are among the first things tried.",
    "year": "Years are easy to guess.",
}
_ONE_WORD = "A single common word, even with numbers or symbols added, is tried early."
_FEW_WORDS = "Common words and passwords put together are tried early."
_ADVICE = "Add another word or two that other people would not expect."


MAX_DRESSING = 6  # digits or symbols around one common word that still leave it common


def _one_word_dressed_up(text: str, lists: WordLists) -> bool:
    """Return whether the text is one common word or password with a few digits or symbols."""
    low = text.lower()
    start, end = 0, len(low)
    while start < end and not low[start].isalpha():
        start += 1
    while end > start and not low[end - 1].isalpha():
        end -= 1
    core = low[start:end]
    if not core or len(low) - len(core) > MAX_DRESSING:
        return False
    return any(variant in lists.passwords or variant in lists.words
               for variant in {core, core.translate(_UNLEET), core.translate(_UNLEET_L)})


def _reason(text: str, pieces: Sequence[_Piece]) -> str:
    kinds = [p.kind for p in pieces if p.kind != "chars"]
    for kind, why in _WHY.items():
        if kind in kinds:
            return why
    words = sum(p.kind in ("password", "word") and any(c.isalpha() for c in text[p.start:p.end])
                for p in pieces)
    return _ONE_WORD if words == 1 else _FEW_WORDS if words else ""


def check_passphrase(passphrase: str, *, context: Sequence[str] = (),
                     lists: WordLists | None = None) -> PassphraseCheck:
    """Judge a new passphrase; ``context`` holds words it must not be built from (the name)."""
    lists = lists or shipped_word_lists()
    text = normalise(passphrase)
    words = [part for c in context for part in normalise(c).split()] + list(context)
    estimator = _Estimator(lists, [*words, *APP_WORDS])
    measurable = text and len(text) <= MAX_LENGTH
    log10, pieces = estimator.estimate(text) if measurable else (0.0, ())
    strength = _strength(log10)
    problems: list[str] = []
    if not text.strip():
        problems.append("Type a passphrase.")
    elif len(text) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters; this has {len(text)}. Three or "
                        "four random words you can picture are long and easy to remember.")
    elif len(text) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters; this has {len(text)}.")
    elif text.lower() in lists.passwords or "".join(text.lower().split()) in lists.passwords:
        problems.append("This is one of the most used passwords, so it would be among the "
                        "first tried. Choose something else.")
    elif _one_word_dressed_up(text, lists):
        problems.append(" ".join(["This would be quick to guess.", _ONE_WORD, _ADVICE]))
    elif log10 < REFUSE_BELOW_LOG10:
        problems.append(" ".join(["This would be quick to guess.", _reason(text, pieces), _ADVICE]))
    return PassphraseCheck(acceptable=not problems, problems=tuple(problems),
                           strength=strength, hint=_HINTS[strength],
                           guesses_log10=round(log10, 2))


def require_acceptable_passphrase(passphrase: str, *, context: Sequence[str] = (),
                                  lists: WordLists | None = None) -> None:
    """Raise PassphraseRefusedError unless the policy accepts the passphrase."""
    verdict = check_passphrase(passphrase, context=context, lists=lists)
    if not verdict.acceptable:
        raise PassphraseRefusedError(verdict.problems)


# --- PINs ------------------------------------------------------------------------------


def pin_problem(pin: str, *, lists: WordLists | None = None) -> str | None:
    """Return why a new PIN is refused, in plain words, or None when it may be used."""
    text = normalise(pin)
    if not text:
        return "Type a PIN."
    if not all(c in "0123456789" for c in text):
        return "A PIN is digits only (0 to 9)."
    if len(text) < PIN_MIN_DIGITS:
        return f"Use at least {PIN_MIN_DIGITS} digits; this has {len(text)}."
    if len(text) > PIN_MAX_DIGITS:
        return f"Use at most {PIN_MAX_DIGITS} digits; this has {len(text)}."
    if len(set(text)) == 1:
        return "One digit repeated is among the first PINs tried. Choose another."
    if any(len(text) % unit == 0 and text == text[:unit] * (len(text) // unit)
           for unit in (2, 3, len(text) // 2)):
        return "A repeated pattern like 121212 is among the first PINs tried. Choose another."
    steps = {(int(b) - int(a)) % 10 for a, b in zip(text, text[1:], strict=False)}
    if steps in ({1}, {9}):
        return "A run of digits like 123456 is among the first PINs tried. Choose another."
    if text in (lists or shipped_word_lists()).passwords:
        return "This is one of the most used PINs, so it would be among the first tried. " \
               "Choose another."
    return None


def require_acceptable_pin(pin: str, *, lists: WordLists | None = None) -> str:
    """Return the PIN as it will be checked (normalised), or raise PinRefusedError."""
    problem = pin_problem(pin, lists=lists)
    if problem is not None:
        raise PinRefusedError(problem)
    return normalise(pin)
