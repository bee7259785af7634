"""PINs unlock only a running, signed-in window, five wrong tries at most."""

from __future__ import annotations

import base64

import pytest
from conftest import BOB, CHEAP, JANE

from arrs_desktop.security import (
    KeyFile,
    NotAllowedError,
    PinLock,
    PinLockedOutError,
    PinRefusedError,
    WrongPassphraseError,
    WrongPinError,
    WrongSecretError,
)
from arrs_desktop.security.kdf import derive_key, normalise_secret

PIN = "482915"


@pytest.fixture
def with_pins(made):
    """Jane (manager, PIN 482915) and Bob (PIN 730461) in one key file."""
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    key_file.set_pin(jane, PIN, kdf=CHEAP)
    bob = key_file.unlock(BOB)
    key_file.set_pin(bob, "730461", kdf=CHEAP)
    return key_file, jane, bob


def test_the_right_pin_unlocks_the_window_and_resets_the_count(with_pins):
    key_file, jane, _ = with_pins
    lock = PinLock.from_key_file(key_file, jane)
    with pytest.raises(WrongPinError) as wrong:
        lock.check(jane.account.id, "000001")
    assert wrong.value.attempts_left == 4 and "4 more tries" in str(wrong.value)
    lock.check(jane.account.id, PIN)
    assert lock.wrong_pins == 0 and lock.attempts_left == 5


def test_five_wrong_pins_turn_pins_off_until_a_passphrase_is_given(with_pins):
    key_file, jane, bob = with_pins
    lock = PinLock.from_key_file(key_file, jane)
    for attempt in range(4):
        with pytest.raises(WrongPinError):
            lock.check(jane.account.id if attempt % 2 else bob.account.id, "000001")
    with pytest.raises(PinLockedOutError, match="passphrase"):
        lock.check(jane.account.id, "000002")
    assert lock.locked_out
    # even the right PIN, of either account, is refused now
    with pytest.raises(PinLockedOutError):
        lock.check(jane.account.id, PIN)
    with pytest.raises(PinLockedOutError):
        lock.check(bob.account.id, "730461")
    # the passphrase at the lock screen turns PINs back on
    key_file.unlock(JANE)
    lock.passphrase_given()
    lock.check(jane.account.id, PIN)


def test_another_account_unlocks_a_locked_window_with_its_own_pin(with_pins):
    key_file, jane, bob = with_pins
    lock = PinLock.from_key_file(key_file, jane)
    lock.check(bob.account.id, "730461")
    with pytest.raises(WrongPinError):
        lock.check(bob.account.id, PIN)  # Jane's PIN is not Bob's


def test_the_count_lives_in_memory_so_rewriting_the_key_file_resets_nothing(with_pins):
    key_file, jane, _ = with_pins
    lock = PinLock.from_key_file(key_file, jane)
    for _ in range(4):
        with pytest.raises(WrongPinError):
            lock.check(jane.account.id, "000001")
    saved = key_file.path.read_bytes()
    key_file.path.unlink()
    key_file.path.write_bytes(saved)  # deleted and put back: nothing on disk counts tries
    lock.refresh(KeyFile.load(key_file.path), jane)
    assert lock.attempts_left == 1
    with pytest.raises(PinLockedOutError):
        lock.check(jane.account.id, "000003")


def test_a_pin_never_opens_the_caseload_from_its_files(with_pins):
    key_file, _, _ = with_pins
    with pytest.raises(WrongPassphraseError):
        KeyFile.load(key_file.path).unlock(PIN)


def test_a_copied_key_file_holds_nothing_to_test_a_pin_against(with_pins):
    key_file, jane, _ = with_pins
    text = key_file.path.read_text()
    verifier = key_file.pin_verifiers(jane)[jane.account.id]
    digest = derive_key(normalise_secret(PIN), verifier.salt, verifier.kdf)
    assert digest == verifier.digest
    assert digest.hex() not in text and base64.b64encode(digest).decode() not in text
    assert PIN not in text


def test_an_account_without_a_pin_is_told_to_use_its_passphrase(made):
    key_file, jane, _ = made
    lock = PinLock.from_key_file(key_file, jane)
    assert not lock.has_pin(jane.account.id)
    with pytest.raises(WrongSecretError, match="no PIN"):
        lock.check(jane.account.id, PIN)
    assert lock.wrong_pins == 0


def test_pins_follow_the_policy_and_belong_to_their_own_account(with_pins, made):
    key_file, jane, bob = with_pins
    with pytest.raises(PinRefusedError):
        key_file.set_pin(jane, "123456", kdf=CHEAP)
    rescue = key_file.unlock_with_recovery_key(made[2])
    with pytest.raises(NotAllowedError):
        key_file.set_pin(rescue, PIN, kdf=CHEAP)
    with pytest.raises(NotAllowedError):
        key_file.remove_pin(bob, "Jane Smith")
    assert not key_file.remove_pin(jane, "Bob Jones").has_pin  # a manager may
    assert not PinLock.from_key_file(key_file, jane).has_pin(bob.account.id)


def test_a_new_pin_replaces_the_old_one(with_pins):
    key_file, jane, _ = with_pins
    key_file.set_pin(jane, "615283", kdf=CHEAP)
    lock = PinLock.from_key_file(key_file, jane)
    lock.check(jane.account.id, "615283")
    with pytest.raises(WrongPinError):
        lock.check(jane.account.id, PIN)
