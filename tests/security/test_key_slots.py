"""Key slots: a secret sealed under Argon2id + AES-256-GCM opens with its passphrase only."""

from __future__ import annotations

import secrets

import pytest
from conftest import CHEAP
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from arrs_desktop.security.kdf import KdfParams, derive_key, normalise_secret
from arrs_desktop.security.slots import Slot, open_slot, seal

BINDING = {"format": "arrs-desktop-keys", "kind": "passphrase", "account": "0123456789abcdef"}


@settings(max_examples=60, deadline=None)
@given(passphrase=st.text(max_size=300), payload=st.binary(min_size=32, max_size=32))
def test_a_slot_opens_with_its_passphrase_for_any_passphrase(passphrase, payload):
    slot = seal(normalise_secret(passphrase), payload, binding=BINDING, kdf=CHEAP)
    assert open_slot(normalise_secret(passphrase), slot, binding=BINDING) == payload
    assert Slot.from_json(slot.to_json()) == slot


@settings(max_examples=60, deadline=None)
@given(passphrase=st.text(max_size=60), wrong=st.text(max_size=60))
def test_a_slot_refuses_any_other_passphrase(passphrase, wrong):
    assume(normalise_secret(wrong) != normalise_secret(passphrase))
    slot = seal(normalise_secret(passphrase), secrets.token_bytes(32), binding=BINDING, kdf=CHEAP)
    assert open_slot(normalise_secret(wrong), slot, binding=BINDING) is None


def test_the_same_passphrase_typed_two_ways_opens_the_slot():
    composed, decomposed = "caf\u00e9 au lait noir", "cafe\u0301 au lait noir"
    slot = seal(normalise_secret(composed), b"k" * 32, binding=BINDING, kdf=CHEAP)
    assert open_slot(normalise_secret(decomposed), slot, binding=BINDING) == b"k" * 32


def test_a_slot_is_bound_to_its_account_and_kind():
    slot = seal(b"secret", b"k" * 32, binding=BINDING, kdf=CHEAP)
    assert open_slot(b"secret", slot, binding={**BINDING, "account": "f" * 16}) is None
    assert open_slot(b"secret", slot, binding={**BINDING, "kind": "pin"}) is None


def test_each_slot_has_its_own_salt_and_nonce():
    one = seal(b"secret", b"k" * 32, binding=BINDING, kdf=CHEAP)
    two = seal(b"secret", b"k" * 32, binding=BINDING, kdf=CHEAP)
    assert one.salt != two.salt and one.nonce != two.nonce and one.sealed != two.sealed


def test_argon2id_is_what_derives_the_key():
    from argon2.low_level import Type, hash_secret_raw

    salt = b"s" * 16
    expected = hash_secret_raw(b"pw", salt, time_cost=1, memory_cost=8, parallelism=1,
                               hash_len=32, type=Type.ID)
    assert derive_key(b"pw", salt, CHEAP) == expected


@pytest.mark.parametrize("bad", [
    dict(time_cost=0, memory_kib=8, parallelism=1),
    dict(time_cost=1, memory_kib=4, parallelism=1),
    dict(time_cost=1, memory_kib=8 * 1024 * 1024, parallelism=1),
    dict(time_cost=1, memory_kib=64, parallelism=0),
])
def test_parameters_outside_argon2s_bounds_are_refused(bad):
    with pytest.raises(ValueError):
        KdfParams(**bad)
