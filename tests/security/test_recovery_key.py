"""The recovery key: easy to type, typos caught for certain, and it stands for the data key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrs_desktop.security import DataKey, RecoveryKey, RecoveryKeyFormatError, parse_recovery_key
from arrs_desktop.security.recovery import ALPHABET, DATA_CHARS

keys = st.text(alphabet=ALPHABET, min_size=DATA_CHARS, max_size=DATA_CHARS).map(RecoveryKey)


def test_a_recovery_key_is_eight_groups_of_four_from_an_unambiguous_alphabet():
    printed = RecoveryKey.generate().formatted()
    groups = printed.split("-")
    assert [len(g) for g in groups] == [4] * 8
    assert not set("".join(groups)) & set("ILOU")
    assert set("".join(groups)) <= set(ALPHABET)


def test_new_recovery_keys_differ():
    assert len({RecoveryKey.generate().formatted() for _ in range(50)}) == 50


@given(keys)
def test_a_printed_key_reads_back_however_it_is_typed(key):
    printed = key.formatted()
    assert parse_recovery_key(printed) == key
    assert parse_recovery_key(printed.lower()) == key
    assert parse_recovery_key(printed.replace("-", "")) == key
    assert parse_recovery_key(" ".join(printed.split("-"))) == key
    assert parse_recovery_key(printed.replace("0", "O").replace("1", "I")) == key
    assert parse_recovery_key(printed.replace("1", "l")) == key


@settings(max_examples=300)
@given(keys, st.data())
def test_any_mistake_in_up_to_four_characters_is_caught(key, data):
    chars = list(key.formatted().replace("-", ""))
    where = data.draw(st.lists(st.integers(0, len(chars) - 1), min_size=1, max_size=4,
                               unique=True))
    for i in where:
        chars[i] = data.draw(st.sampled_from([c for c in ALPHABET if c != chars[i]]))
    with pytest.raises(RecoveryKeyFormatError, match="typing mistake"):
        parse_recovery_key("".join(chars))


@given(keys, st.integers(0, 30))
def test_two_swapped_neighbours_are_caught(key, i):
    chars = list(key.formatted().replace("-", ""))
    if chars[i] == chars[i + 1]:
        return
    chars[i], chars[i + 1] = chars[i + 1], chars[i]
    with pytest.raises(RecoveryKeyFormatError):
        parse_recovery_key("".join(chars))


@pytest.mark.parametrize(("typed", "said"), [
    ("ABCD-EFGH", "has 32 letters and digits"),
    ("", "has 32 letters and digits"),
    ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-678U", "'U' is not one of them"),
    ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-678#", "'#' is not one of them"),
])
def test_what_is_not_a_recovery_key_is_said_plainly(typed, said):
    with pytest.raises(RecoveryKeyFormatError, match=said):
        parse_recovery_key(typed)


@given(keys, keys)
def test_the_data_key_is_fixed_by_the_recovery_key(one, other):
    assert DataKey.from_recovery_key(one) == DataKey.from_recovery_key(
        RecoveryKey.parse(one.formatted()))
    assert (DataKey.from_recovery_key(one) == DataKey.from_recovery_key(other)) == (one == other)


def test_the_recovery_key_holds_130_random_bits():
    key = RecoveryKey("Z" * DATA_CHARS)
    assert key.secret == (2 ** 130 - 1).to_bytes(17, "big")
    assert RecoveryKey("0" * DATA_CHARS).secret == bytes(17)
    with pytest.raises(ValueError):
        RecoveryKey("I" * DATA_CHARS)
