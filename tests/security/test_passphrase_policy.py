"""The passphrase and PIN policy: NCSC-style length over complexity, common ones refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desktop import paths
from arrs_desktop.security.errors import PassphraseRefusedError, PinRefusedError
from arrs_desktop.security.passphrase import (
    MIN_LENGTH,
    Strength,
    check_passphrase,
    normalise,
    pin_problem,
    require_acceptable_passphrase,
    require_acceptable_pin,
    shipped_word_lists,
)


@pytest.mark.parametrize(("passphrase", "said"), [
    ("", "Type a passphrase"),
    ("   ", "Type a passphrase"),
    ("short words", "at least 12 characters; this has 11"),
    ("Password1234", "single common word"),
    ("password1234", "single common word"),
    ("iloveyouiloveyou", "Repeated"),
    ("aaaaaaaaaaaa", "Repeated"),
    ("abcdefghijkl", "Runs like"),
    ("123456789012", "quick to guess"),
    ("qwertyuiopas", "quick to guess"),
    ("surveillance", "single common word"),
    ("Elephant1234!", "quick to guess"),
    ("1qaz2wsx3edc", "most used passwords"),
    ("JaneSmith2024!", "built from a name"),
    ("Jane Smith caseload", "built from a name"),
    ("x" * 201, "at most 200 characters"),
])
def test_a_passphrase_that_would_be_guessed_early_is_refused_saying_why(passphrase, said):
    verdict = check_passphrase(passphrase, context=["Jane Smith"])
    assert not verdict.acceptable
    assert said in " ".join(verdict.problems)
    with pytest.raises(PassphraseRefusedError) as raised:
        require_acceptable_passphrase(passphrase, context=["Jane Smith"])
    assert raised.value.problems == verdict.problems


@pytest.mark.parametrize("passphrase", [
    "kettle orbit lantern",          # three random words, all lower case: no composition rule
    "correcthorsebatterystaple",
    "surgery nurse kettle",
    "the heron waits by the weir",
    "café au lait noir",             # any letters of any language
    "ünïcödé wörds hère",
    "xk7#pQ2!mZ9w",
])
def test_long_passphrases_need_no_capitals_digits_or_symbols(passphrase):
    verdict = check_passphrase(passphrase, context=["Jane Smith"])
    assert verdict.acceptable, verdict.problems
    assert verdict.problems == ()
    assert verdict.strength in (Strength.FAIR, Strength.GOOD, Strength.STRONG)
    require_acceptable_passphrase(passphrase)


def test_the_hint_grows_with_the_words_added():
    one = check_passphrase("surgery nurse")
    three = check_passphrase("surgery nurse kettle orbit")
    assert one.strength == Strength.FAIR and "Another word" in one.hint
    assert three.guesses_log10 > one.guesses_log10
    assert three.strength in (Strength.GOOD, Strength.STRONG)


def test_the_length_is_counted_after_unicode_normalisation():
    decomposed = "cafe\u0301 au lait"  # é as e + combining accent: 13 code points, 12 letters
    assert len(decomposed) == 13
    verdict = check_passphrase(decomposed)
    assert "this has" not in " ".join(verdict.problems)


@given(st.text(max_size=MIN_LENGTH + 4).filter(lambda p: len(normalise(p)) < MIN_LENGTH))
def test_anything_shorter_than_twelve_characters_is_refused(passphrase):
    assert not check_passphrase(passphrase).acceptable


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=220))
def test_any_text_gets_a_verdict_and_a_hint_in_words(passphrase):
    verdict = check_passphrase(passphrase, context=["Jane Smith"])
    assert verdict.hint
    assert verdict.acceptable == (verdict.problems == ())
    assert all(p.endswith((".", "!")) for p in verdict.problems)


def _common_long_passwords() -> list[str]:
    return [w for w in shipped_word_lists().passwords if len(w) >= MIN_LENGTH]


@pytest.mark.parametrize("common", _common_long_passwords()[:40])
def test_every_long_entry_of_the_shipped_list_is_refused(common):
    assert not check_passphrase(common).acceptable


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(sorted(w for w in shipped_word_lists().passwords
                              if w.isalpha() and 5 <= len(w) <= 9)),
       st.text(alphabet="0123456789!?.#", min_size=1, max_size=4),
       st.text(alphabet="0123456789!?.#", max_size=2))
def test_a_common_password_with_digits_or_symbols_added_is_refused(word, suffix, prefix):
    assert not check_passphrase(prefix + word.capitalize() + suffix).acceptable


def test_the_word_lists_are_shipped_inside_the_package_with_their_licences():
    lists = shipped_word_lists()
    assert len(lists.passwords) == 10_000
    assert lists.passwords["password"] == 2
    assert len(lists.words) > 35_000 and "kettle" in lists.words
    readme = paths.shipped_resource("passwords", "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "SCOWL" in readme and "public domain" in readme
    assert paths.common_passwords_path().is_file() and paths.common_words_path().is_file()


@pytest.mark.parametrize(("pin", "said"), [
    ("", "Type a PIN"),
    ("12345", "at least 6 digits"),
    ("1234567890123", "at most 12 digits"),
    ("12a456", "digits only"),
    ("111111", "One digit repeated"),
    ("123456", "run of digits"),
    ("987654", "run of digits"),
    ("890123", "run of digits"),
    ("121212", "repeated pattern"),
    ("123123", "repeated pattern"),
    ("159753", "most used PINs"),
    ("112233", "most used PINs"),
])
def test_a_pin_guessed_early_is_refused(pin, said):
    assert said in (pin_problem(pin) or "")
    with pytest.raises(PinRefusedError):
        require_acceptable_pin(pin)


@pytest.mark.parametrize("pin", ["482915", "70351862", "\uff14\uff18\uff12\uff19\uff11\uff15"])
def test_an_uncommon_pin_of_six_or_more_digits_is_accepted(pin):
    assert pin_problem(pin) is None
    assert require_acceptable_pin(pin) == "482915" or len(pin) == 8
