"""The key file: accounts, key slots, the recovery key; no change ever touches the data key."""

from __future__ import annotations

import functools
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from conftest import BOB, CHEAP, JANE, SAM
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arrs_desktop import paths
from arrs_desktop.security import (
    DataKey,
    DuplicateAccountError,
    KeyFile,
    KeyFileDamagedError,
    KeyFileExistsError,
    KeyFileMissingError,
    KeyFileTamperedError,
    KeyFileVersionError,
    KeyFileWriteError,
    LastManagerError,
    NotAllowedError,
    PassphraseRefusedError,
    RecoveryKey,
    RecoveryKeyFormatError,
    UnknownAccountError,
    UnlockMethod,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from arrs_desktop.security.kdf import DEFAULT_KDF, KdfParams
from arrs_desktop.security.passphrase import check_passphrase
from arrs_desktop.security.slots import canonical_json


def _doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="ascii"))


def _rewrite_with_checksum(path: Path, doc: dict) -> None:
    """Change the file as a careful attacker would: valid JSON, checksum recomputed."""
    import hashlib

    doc = {k: v for k, v in doc.items() if k != "checksum"}
    doc["checksum"] = hashlib.sha256(canonical_json(doc)).hexdigest()
    path.write_text(json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n")


def _account_entry(path: Path, name: str) -> dict:
    return next(a for a in _doc(path)["accounts"] if a["name"] == name)


# --- making one ----------------------------------------------------------------------


def test_a_new_key_file_sits_beside_the_caseload_private_to_the_user(tmp_path, made):
    key_file, jane, recovery = made
    assert key_file.path == tmp_path / "caseload.db.keys"
    assert key_file.path == paths.key_file_path(tmp_path / "caseload.db")
    assert stat.S_IMODE(key_file.path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["caseload.db.keys"]  # no temp file left
    doc = _doc(key_file.path)
    assert doc["format"] == "arrs-desktop-keys" and doc["version"] == 1
    assert doc["revision"] == 1 and doc["key_id"] == jane.key.key_id
    assert jane.account.name == "Jane Smith" and jane.account.may_manage_accounts
    assert jane.method is UnlockMethod.PASSPHRASE
    assert DataKey.from_recovery_key(recovery) == jane.key


def test_the_file_holds_no_secret_in_the_clear(made):
    key_file, jane, recovery = made
    text = key_file.path.read_text()
    assert JANE not in text and recovery.chars not in text
    assert jane.key.raw.hex() not in text
    import base64

    assert base64.b64encode(jane.key.raw).decode() not in text
    assert "DataKey(id=" in repr(jane.key) and jane.key.raw.hex() not in repr(jane)
    assert recovery.chars not in repr(recovery)


def test_slots_store_their_own_argon2id_parameters_and_salt(made):
    key_file, _, _ = made
    kdf = _account_entry(key_file.path, "Jane Smith")["passphrase_slot"]["kdf"]
    assert kdf["algorithm"] == "argon2id" and kdf["version"] == 19
    assert (kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]) == (1, 8, 1)
    assert len(kdf["salt"]) == 24  # 16 bytes
    assert key_file.slot_kdf("Jane Smith") == CHEAP


def test_the_default_parameters_are_the_measured_ones():
    assert KdfParams(time_cost=2, memory_kib=128 * 1024, parallelism=1) == DEFAULT_KDF


def test_an_existing_key_file_is_never_replaced(made, key_path):
    before = key_path.read_bytes()
    with pytest.raises(KeyFileExistsError):
        KeyFile.create(key_path, name="Someone Else", role="cc", passphrase=BOB, kdf=CHEAP)
    assert key_path.read_bytes() == before


def test_the_first_passphrase_must_meet_the_policy(key_path):
    with pytest.raises(PassphraseRefusedError, match="at least 12 characters"):
        KeyFile.create(key_path, name="Jane Smith", role="splw", passphrase="short", kdf=CHEAP)
    with pytest.raises(PassphraseRefusedError, match="name"):
        KeyFile.create(key_path, name="Jane Smith", role="splw", passphrase="janesmith2024",
                       kdf=CHEAP)
    assert not key_path.exists()


@pytest.mark.parametrize(("name", "role", "said"), [
    ("", "splw", "Type a name"),
    ("Jane", "doctor", "role must be one of"),
    ("x" * 81, "cc", "at most 80"),
])
def test_names_and_roles_are_checked(key_path, name, role, said):
    with pytest.raises(NotAllowedError, match=said):
        KeyFile.create(key_path, name=name, role=role, passphrase=JANE, kdf=CHEAP)


# --- unlocking -------------------------------------------------------------------------


def test_the_account_is_the_one_whose_slot_the_passphrase_opens(made):
    key_file, jane, _ = made
    bob = key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    loaded = KeyFile.load(key_file.path)
    assert loaded.unlock(JANE).account.name == "Jane Smith"
    as_bob = loaded.unlock(BOB)
    assert as_bob.account == bob and as_bob.key == jane.key
    assert loaded.unlock(BOB, account="bob jones").account.id == bob.id
    with pytest.raises(WrongPassphraseError, match="for Jane Smith"):
        loaded.unlock(BOB, account="Jane Smith")
    with pytest.raises(UnknownAccountError):
        loaded.unlock(BOB, account="Nobody")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wrong=st.text(max_size=40))
def test_any_wrong_passphrase_is_refused(made, wrong):
    key_file, _, _ = made
    assume(wrong != JANE)
    with pytest.raises(WrongPassphraseError):
        key_file.unlock(wrong)


def test_unlocking_never_writes_the_file(made):
    key_file, _, recovery = made
    before = key_file.path.read_bytes(), key_file.path.stat().st_mtime_ns
    key_file.unlock(JANE)
    key_file.unlock_with_recovery_key(recovery.formatted())
    with pytest.raises(WrongPassphraseError):
        key_file.unlock("not the passphrase at all")
    assert (key_file.path.read_bytes(), key_file.path.stat().st_mtime_ns) == before


def test_a_missing_key_file_says_how_the_recovery_key_restores_access(tmp_path):
    with pytest.raises(KeyFileMissingError, match="recovery key"):
        KeyFile.for_database(tmp_path / "caseload.db")


# --- the recovery key ------------------------------------------------------------------


def test_the_recovery_key_opens_the_caseload_however_it_is_typed(made):
    key_file, jane, recovery = made
    typed = recovery.formatted().lower().replace("-", " ").replace("0", "o").replace("1", "l")
    opened = key_file.unlock_with_recovery_key(typed)
    assert opened.key == jane.key and opened.account is None
    assert opened.method is UnlockMethod.RECOVERY_KEY


def test_a_recovery_key_typo_is_caught_as_a_typo(made):
    key_file, _, recovery = made
    typed = recovery.formatted()
    wrong = ("Z" if typed[0] != "Z" else "Y") + typed[1:]
    with pytest.raises(RecoveryKeyFormatError, match="typing mistake"):
        key_file.unlock_with_recovery_key(wrong)


def test_another_caseloads_recovery_key_is_refused(made):
    key_file, _, _ = made
    with pytest.raises(WrongRecoveryKeyError, match="another caseload"):
        key_file.unlock_with_recovery_key(RecoveryKey.generate().formatted())


def test_the_recovery_key_alone_makes_a_new_key_file_for_the_same_data_key(made, key_path):
    key_file, jane, recovery = made
    key_path.unlink()
    remade, opened, same = KeyFile.create(key_path, name="Jane Smith", role="splw",
                                          passphrase="a new passphrase for jane",
                                          recovery_key=RecoveryKey.parse(recovery.formatted()),
                                          kdf=CHEAP)
    assert same == recovery and opened.key == jane.key and remade.key_id == key_file.key_id
    assert KeyFile.load(key_path).unlock("a new passphrase for jane").key == jane.key


def test_the_recovery_key_may_reset_a_forgotten_passphrase_and_add_a_manager(made):
    key_file, jane, recovery = made
    rescue = key_file.unlock_with_recovery_key(recovery.formatted())
    key_file.reset_passphrase(rescue, "Jane Smith", "remembered this one now", kdf=CHEAP)
    key_file.add_account(rescue, name="Sam Patel", role="hwbc", passphrase=SAM,
                         may_manage_accounts=True, kdf=CHEAP)
    assert key_file.unlock("remembered this one now").key == jane.key
    with pytest.raises(WrongPassphraseError):
        key_file.unlock(JANE)
    assert key_file.account("Sam Patel").may_manage_accounts


# --- accounts --------------------------------------------------------------------------


def test_a_manager_adds_accounts_and_others_may_not(made):
    key_file, jane, _ = made
    bob = key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    assert not bob.may_manage_accounts and bob.role == "cc"
    as_bob = key_file.unlock(BOB)
    with pytest.raises(NotAllowedError, match="manage accounts"):
        key_file.add_account(as_bob, name="Sam Patel", role="hwbc", passphrase=SAM, kdf=CHEAP)
    with pytest.raises(NotAllowedError):
        key_file.remove_account(as_bob, "Jane Smith")
    with pytest.raises(NotAllowedError):
        key_file.update_account(as_bob, "Bob Jones", may_manage_accounts=True)
    with pytest.raises(NotAllowedError):
        key_file.reset_passphrase(as_bob, "Jane Smith", "taking over jane's account")
    assert [a.name for a in KeyFile.load(key_file.path).accounts] == ["Jane Smith", "Bob Jones"]


def test_account_names_are_unique_ignoring_case_and_spacing(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob  Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    assert key_file.account("bob jones").name == "Bob Jones"
    with pytest.raises(DuplicateAccountError):
        key_file.add_account(jane, name="BOB JONES", role="hwbc", passphrase=SAM, kdf=CHEAP)
    with pytest.raises(DuplicateAccountError):
        key_file.update_account(jane, "Jane Smith", name="bob jones")


def test_removing_an_account_removes_its_slot(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    key_file.remove_account(jane, "Bob Jones")
    assert [a["name"] for a in _doc(key_file.path)["accounts"]] == ["Jane Smith"]
    with pytest.raises(WrongPassphraseError):
        KeyFile.load(key_file.path).unlock(BOB)


def test_the_last_manager_can_be_neither_removed_nor_demoted(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    with pytest.raises(LastManagerError):
        key_file.remove_account(jane, "Jane Smith")
    with pytest.raises(LastManagerError):
        key_file.update_account(jane, "Jane Smith", may_manage_accounts=False)
    key_file.update_account(jane, "Bob Jones", may_manage_accounts=True)
    key_file.update_account(jane, "Jane Smith", may_manage_accounts=False)
    as_bob = key_file.unlock(BOB)
    key_file.remove_account(as_bob, "Jane Smith")
    assert [a.name for a in key_file.accounts] == ["Bob Jones"]


def test_an_account_renames_itself_but_only_a_manager_renames_others(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    as_bob = key_file.unlock(BOB)
    assert key_file.update_account(as_bob, "Bob Jones", name="Robert Jones").name == "Robert Jones"
    with pytest.raises(NotAllowedError):
        key_file.update_account(as_bob, "Jane Smith", name="Not Jane")
    with pytest.raises(NotAllowedError):
        key_file.update_account(as_bob, "Robert Jones", role="hwbc")
    assert key_file.update_account(jane, "Robert Jones", role="hwbc").role == "hwbc"
    assert key_file.unlock(BOB).account.name == "Robert Jones"


def test_a_removed_account_can_change_nothing_with_its_old_sign_in(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP,
                         may_manage_accounts=True)
    as_bob = key_file.unlock(BOB)
    key_file.remove_account(jane, "Bob Jones")
    with pytest.raises(NotAllowedError, match="removed"):
        key_file.add_account(as_bob, name="Sam Patel", role="hwbc", passphrase=SAM, kdf=CHEAP)


def test_a_sign_in_of_another_caseload_changes_nothing(made, tmp_path):
    key_file, _, _ = made
    _, stranger, _ = KeyFile.create(tmp_path / "other.db.keys", name="Eve", role="cc",
                                    passphrase=SAM, kdf=CHEAP)
    with pytest.raises(NotAllowedError, match="another caseload"):
        key_file.add_account(stranger, name="Eve", role="cc", passphrase=BOB, kdf=CHEAP)


# --- passphrase changes rewrap one slot ----------------------------------------------


def test_changing_a_passphrase_rewraps_only_that_slot(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    bob_before = _account_entry(key_file.path, "Bob Jones")
    jane_before = _account_entry(key_file.path, "Jane Smith")["passphrase_slot"]
    key_file.change_passphrase("Jane Smith", JANE, "a brand new passphrase", kdf=CHEAP)
    assert _account_entry(key_file.path, "Bob Jones") == bob_before
    assert _account_entry(key_file.path, "Jane Smith")["passphrase_slot"] != jane_before
    loaded = KeyFile.load(key_file.path)
    assert loaded.unlock("a brand new passphrase").key == jane.key
    with pytest.raises(WrongPassphraseError):
        loaded.unlock(JANE)
    assert loaded.unlock(BOB).key == jane.key


def test_changing_a_passphrase_needs_the_current_one_and_a_good_new_one(made):
    key_file, _, _ = made
    with pytest.raises(WrongPassphraseError):
        key_file.change_passphrase("Jane Smith", "not my passphrase", "a brand new passphrase")
    with pytest.raises(PassphraseRefusedError):
        key_file.change_passphrase("Jane Smith", JANE, "password1234", kdf=CHEAP)
    assert key_file.unlock(JANE).account.name == "Jane Smith"


def test_a_slot_moves_to_stronger_parameters_when_its_passphrase_is_typed(made):
    key_file, jane, _ = made
    stronger = KdfParams(time_cost=2, memory_kib=64, parallelism=1)
    assert key_file.slot_kdf("Jane Smith").weaker_than(stronger)
    key_file.change_passphrase("Jane Smith", JANE, JANE, kdf=stronger)
    assert KeyFile.load(key_file.path).slot_kdf("Jane Smith") == stronger
    assert key_file.unlock(JANE).key == jane.key


_OPS = st.lists(st.sampled_from(["add", "rename", "passwd", "reset", "pin", "unpin", "remove",
                                 "promote"]), max_size=6)


@settings(max_examples=25, deadline=None)
@given(ops=_OPS)
def test_no_change_to_the_accounts_ever_changes_the_data_key(ops):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caseload.db.keys"
        key_file, jane, recovery = KeyFile.create(path, name="Jane Smith", role="splw",
                                                  passphrase=JANE, kdf=CHEAP)
        key, key_id = jane.key, key_file.key_id
        passphrases = {"Jane Smith": JANE}
        for n, op in enumerate(ops):
            others = [name for name in passphrases if name != "Jane Smith"]
            if op == "add":
                name, secret = f"Worker {n}", f"worker {n} walks the long road"
                key_file.add_account(jane, name=name, role="cc", passphrase=secret, kdf=CHEAP)
                passphrases[name] = secret
            elif op == "rename" and others:
                new = others[0] + " B"
                key_file.update_account(jane, others[0], name=new)
                passphrases[new] = passphrases.pop(others[0])
            elif op == "passwd":
                new = f"changed {n} times over the hill"
                key_file.change_passphrase("Jane Smith", passphrases["Jane Smith"], new,
                                           kdf=CHEAP)
                passphrases["Jane Smith"] = new
            elif op == "reset" and others:
                key_file.reset_passphrase(jane, others[-1], f"reset {n} by the manager now",
                                          kdf=CHEAP)
                passphrases[others[-1]] = f"reset {n} by the manager now"
            elif op == "pin":
                key_file.set_pin(jane, "482915", kdf=CHEAP)
            elif op == "unpin":
                key_file.remove_pin(jane, "Jane Smith")
            elif op == "remove" and others:
                key_file.remove_account(jane, others[0])
                del passphrases[others[0]]
            elif op == "promote" and others:
                key_file.update_account(jane, others[0], may_manage_accounts=True)
            loaded = KeyFile.load(path)
            assert loaded.key_id == key_id
            assert loaded.unlock_with_recovery_key(recovery).key == key
            for name, secret in passphrases.items():
                assert loaded.unlock(secret, account=name).key == key


def test_every_change_is_one_more_revision(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    key_file.set_pin(jane, "482915", kdf=CHEAP)
    assert KeyFile.load(key_file.path).revision == 3


# --- two writers, a failed write --------------------------------------------------------


def test_two_windows_changing_accounts_lose_neither_change(made):
    key_file, jane, _ = made
    other_window = KeyFile.load(key_file.path)
    other_jane = other_window.unlock(JANE)
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    other_window.add_account(other_jane, name="Sam Patel", role="hwbc", passphrase=SAM,
                             kdf=CHEAP)
    loaded = KeyFile.load(key_file.path)
    assert [a.name for a in loaded.accounts] == ["Jane Smith", "Bob Jones", "Sam Patel"]
    assert loaded.unlock(BOB).account.name == "Bob Jones"
    key_file.reload()
    assert len(key_file.accounts) == 3


def test_a_write_the_disk_refuses_leaves_the_old_file_whole(made, monkeypatch):
    key_file, jane, _ = made
    before = key_file.path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(KeyFileWriteError, match="No space left on device"):
        key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    monkeypatch.undo()
    assert key_file.path.read_bytes() == before
    assert sorted(p.name for p in key_file.path.parent.iterdir()) == ["caseload.db.keys"]


def test_a_copy_beside_a_backup_is_the_same_file_and_private(made, tmp_path):
    key_file, jane, _ = made
    copy = tmp_path / "backups" / "caseload-1.db.keys"
    copy.parent.mkdir()
    key_file.copy_to(copy)
    assert copy.read_bytes() == key_file.path.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert KeyFile.load(copy).unlock(JANE).key == jane.key


# --- damage and tampering -----------------------------------------------------------------


@functools.cache
def _written_key_file() -> bytes:
    """Return the bytes of a key file with two accounts and a PIN, as written."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caseload.db.keys"
        key_file, jane, _ = KeyFile.create(path, name="Jane Smith", role="splw", passphrase=JANE,
                                           kdf=CHEAP)
        key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
        key_file.set_pin(jane, "482915", kdf=CHEAP)
        return path.read_bytes()


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_changed_byte_is_reported_as_damage_before_any_passphrase_is_tried(data):
    original = _written_key_file()
    where = data.draw(st.integers(0, len(original) - 1), label="where")
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[where]), label="byte")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caseload.db.keys"
        path.write_bytes(original[:where] + bytes([byte]) + original[where + 1:])
        with pytest.raises(KeyFileDamagedError, match="damaged or was changed"):
            KeyFile.load(path)


@pytest.mark.parametrize("cut", [0, 1, 100, -2])
def test_a_truncated_file_is_damage(made, cut):
    key_file, _, _ = made
    data = key_file.path.read_bytes()
    key_file.path.write_bytes(data[:cut] if cut >= 0 else data[:cut])
    with pytest.raises(KeyFileDamagedError):
        KeyFile.load(key_file.path)


@pytest.mark.parametrize("edit", [
    lambda doc: doc["accounts"][1].update(may_manage_accounts=True),
    lambda doc: doc["accounts"][1].update(role="hwbc"),
    lambda doc: doc["accounts"][0].update(name="Mallory"),
    lambda doc: doc.update(revision=99),
    lambda doc: doc["accounts"].append(dict(doc["accounts"][1], id="0" * 16, name="Mallory")),
])
def test_a_deliberate_change_with_a_fixed_checksum_is_caught_by_the_seal(made, edit):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    doc = _doc(key_file.path)
    edit(doc)
    _rewrite_with_checksum(key_file.path, doc)
    tampered = KeyFile.load(key_file.path)  # it reads: only the seal can tell
    with pytest.raises(KeyFileTamperedError, match="seal does not match"):
        tampered.unlock(BOB)


def test_a_slot_moved_to_another_account_does_not_open(made):
    key_file, jane, _ = made
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    doc = _doc(key_file.path)
    doc["accounts"][0]["passphrase_slot"] = doc["accounts"][1]["passphrase_slot"]
    _rewrite_with_checksum(key_file.path, doc)
    with pytest.raises(WrongPassphraseError):
        KeyFile.load(key_file.path).unlock(BOB, account="Jane Smith")


def test_weakened_parameters_in_the_file_do_not_open_the_slot(made):
    key_file, _, _ = made
    doc = _doc(key_file.path)
    doc["accounts"][0]["passphrase_slot"]["kdf"]["time_cost"] = 2
    _rewrite_with_checksum(key_file.path, doc)
    with pytest.raises(WrongPassphraseError):
        KeyFile.load(key_file.path).unlock(JANE)


def test_a_file_from_a_newer_version_is_refused_by_name(made):
    key_file, _, _ = made
    doc = _doc(key_file.path)
    doc["version"] = 2
    _rewrite_with_checksum(key_file.path, doc)
    with pytest.raises(KeyFileVersionError, match="newer version"):
        KeyFile.load(key_file.path)


@pytest.mark.parametrize("content", [b"", b"{}", b"not json", b"\xff\xfe", b"[1, 2]",
                                     b'{"format": "arrs-desktop-keys", "version": 1}\n'])
def test_something_that_is_not_a_key_file_is_damage(key_path, content):
    key_path.write_bytes(content)
    with pytest.raises(KeyFileDamagedError):
        KeyFile.load(key_path)


def test_a_folder_in_place_of_the_key_file_is_damage(key_path):
    key_path.mkdir()
    with pytest.raises(KeyFileDamagedError):
        KeyFile.load(key_path)


def test_policy_is_applied_to_every_new_passphrase(made):
    key_file, jane, _ = made
    assert not check_passphrase("password1234").acceptable
    with pytest.raises(PassphraseRefusedError):
        key_file.add_account(jane, name="Bob Jones", role="cc", passphrase="password1234")
    with pytest.raises(PassphraseRefusedError):
        key_file.reset_passphrase(jane, "Jane Smith", "Jane Smith 2024")


def test_the_account_that_signed_in_last_is_tried_first(made, monkeypatch):
    from arrs_desktop.security import keyfile

    key_file, jane, _ = made
    bob = key_file.add_account(jane, name="Bob Jones", role="cc", passphrase=BOB, kdf=CHEAP)
    key_file.add_account(jane, name="Sam Patel", role="hwbc", passphrase=SAM, kdf=CHEAP)
    tried = []
    real = keyfile.open_slot

    def counting(secret, slot, *, binding):
        tried.append(binding["account"])
        return real(secret, slot, binding=binding)

    monkeypatch.setattr(keyfile, "open_slot", counting)
    assert key_file.unlock(BOB, try_first=bob.id).account == bob
    assert tried == [bob.id]  # one derivation, not three
    tried.clear()
    assert key_file.unlock(SAM, try_first=bob.id).account.name == "Sam Patel"
    assert tried[0] == bob.id and len(tried) == 3
    with pytest.raises(WrongPassphraseError):
        key_file.unlock("nobody's passphrase here", try_first=bob.id)
