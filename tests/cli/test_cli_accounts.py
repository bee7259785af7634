"""The commands on an encrypted caseload: init, demo, accounts, the recovery key, refusals."""

from __future__ import annotations

import hashlib
import re

import pytest

from arrs_desktop import paths
from arrs_desktop.cli import main

pytestmark = pytest.mark.usefixtures("encrypted_entry_points")

SAM = "correct horse battery staple"
ALEX = "two part-time workers share"
NEW = "a brand new passphrase here"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def secrets_dir(tmp_path):
    folder = tmp_path / "secrets"
    folder.mkdir()
    for name, text in (("sam", SAM), ("alex", ALEX), ("new", NEW), ("wrong", "not it at all x")):
        (folder / name).write_text(text + "\n")
    return folder


def _init(db, secrets_dir, capsys) -> str:
    assert main(["init", "--db", str(db), "--user", "Sam Jones", "--role", "cc",
                 "--passphrase-file", str(secrets_dir / "sam")]) == 0
    out = capsys.readouterr().out
    key = re.search(r"RECOVERY KEY.*\n\s+([0-9A-Z-]{39})", out)
    assert key, out
    return key.group(1)


def test_init_makes_an_encrypted_caseload_and_prints_its_recovery_key(tmp_path, secrets_dir,
                                                                     capsys):
    db = tmp_path / "new.db"
    _init(db, secrets_dir, capsys)
    assert paths.key_file_path(db).stat().st_mode & 0o777 == 0o600
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    assert main(["check", "--db", str(db), "--passphrase-file", str(secrets_dir / "sam")]) == 0
    assert "No problems found." in capsys.readouterr().out


def test_a_wrong_passphrase_is_one_line_a_failure_and_changes_nothing(tmp_path, secrets_dir,
                                                                     capsys):
    db = tmp_path / "new.db"
    _init(db, secrets_dir, capsys)
    before = (_sha(db), _sha(paths.key_file_path(db)))
    code = main(["export", "--db", str(db), "--out", str(tmp_path / "out"),
                 "--passphrase-file", str(secrets_dir / "wrong")])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "passphrase is not right" in err
    assert (_sha(db), _sha(paths.key_file_path(db))) == before
    assert not (tmp_path / "out").exists()


def test_the_passphrase_comes_from_the_environment_when_no_file_is_given(tmp_path, secrets_dir,
                                                                        capsys, monkeypatch):
    db = tmp_path / "new.db"
    _init(db, secrets_dir, capsys)
    assert main(["check", "--db", str(db)]) == 1
    assert "ARRS_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("ARRS_PASSPHRASE", SAM)
    assert main(["check", "--db", str(db)]) == 0


def test_accounts_added_changed_and_removed_touch_only_the_key_file(tmp_path, secrets_dir,
                                                                    capsys):
    db = tmp_path / "new.db"
    _init(db, secrets_dir, capsys)
    sam = ["--passphrase-file", str(secrets_dir / "sam")]
    assert main(["account", "add", "--db", str(db), *sam, "--name", "Alex Smith",
                 "--role", "hwbc", "--new-passphrase-file", str(secrets_dir / "alex")]) == 0
    capsys.readouterr()
    before = _sha(db)  # the audit line of the change is written; from here the file holds
    assert main(["account", "list", "--db", str(db),
                 "--passphrase-file", str(secrets_dir / "alex")]) == 0
    out = capsys.readouterr().out
    assert "Alex Smith (you): Health and Wellbeing Coach" in out
    assert "Sam Jones: Care Coordinator; may manage accounts" in out
    # Alex may not remove anyone; Sam may
    assert main(["account", "remove", "--db", str(db), "--passphrase-file",
                 str(secrets_dir / "alex"), "--name", "Sam Jones"]) == 1
    assert "manage accounts" in capsys.readouterr().err
    assert main(["account", "passwd", "--db", str(db), "--passphrase-file",
                 str(secrets_dir / "alex"), "--new-passphrase-file",
                 str(secrets_dir / "new")]) == 0
    assert main(["account", "list", "--db", str(db), "--passphrase-file",
                 str(secrets_dir / "alex")]) == 1  # the old passphrase no longer opens it
    assert main(["account", "remove", "--db", str(db), *sam, "--name", "Alex Smith"]) == 0
    assert main(["account", "list", "--db", str(db), "--passphrase-file",
                 str(secrets_dir / "new")]) == 1
    capsys.readouterr()
    assert main(["account", "list", "--db", str(db), *sam]) == 0
    assert "Alex" not in capsys.readouterr().out
    from arrs_desktop.access.session import sign_in

    session = sign_in(db, SAM)
    try:
        store = session.open_store()
        actions = [r[0] for r in store.db.execute(
            "SELECT action FROM audit_log WHERE table_name = 'app' ORDER BY seq")]
        store.close()
    finally:
        session.end()
    assert actions == ["account_added", "passphrase_changed", "account_removed"]
    assert before != _sha(db)


def test_removing_an_account_removes_its_slot_from_the_backups_key_files(tmp_path, secrets_dir,
                                                                         capsys):
    db = tmp_path / "new.db"
    _init(db, secrets_dir, capsys)
    sam = ["--passphrase-file", str(secrets_dir / "sam")]
    assert main(["account", "add", "--db", str(db), *sam, "--name", "Alex Smith",
                 "--role", "hwbc", "--new-passphrase-file", str(secrets_dir / "alex")]) == 0
    assert main(["backup", "--db", str(db), *sam]) == 0
    backups = list(paths.backups_dir(db).glob("*.db"))
    assert len(backups) == 1
    assert "Alex Smith" in paths.key_file_path(backups[0]).read_text()
    assert main(["account", "remove", "--db", str(db), *sam, "--name", "Alex Smith"]) == 0
    assert "Alex Smith" not in paths.key_file_path(backups[0]).read_text()


def test_a_missing_key_file_says_so_and_the_recovery_key_makes_a_new_one(tmp_path, secrets_dir,
                                                                         capsys):
    db = tmp_path / "new.db"
    key = _init(db, secrets_dir, capsys)
    paths.key_file_path(db).unlink()
    before = _sha(db)
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "o"),
                 "--passphrase-file", str(secrets_dir / "sam")]) == 1
    err = capsys.readouterr().err
    assert "no key file" in err and "recovery key" in err and err.count("\n") == 1
    (secrets_dir / "recovery").write_text(key.replace("-", " ").lower() + "\n")
    wrong = key[:-1] + ("0" if key[-1] != "0" else "1")
    (secrets_dir / "typo").write_text(wrong + "\n")
    assert main(["unlock-with-recovery-key", "--db", str(db), "--recovery-key-file",
                 str(secrets_dir / "typo"), "--new-passphrase-file", str(secrets_dir / "new"),
                 "--user", "Sam Jones", "--role", "cc"]) == 1
    assert "typing mistake" in capsys.readouterr().err
    assert _sha(db) == before and not paths.key_file_path(db).exists()
    assert main(["unlock-with-recovery-key", "--db", str(db), "--recovery-key-file",
                 str(secrets_dir / "recovery"), "--new-passphrase-file",
                 str(secrets_dir / "new"), "--user", "Sam Jones", "--role", "cc"]) == 0
    assert main(["check", "--db", str(db), "--passphrase-file", str(secrets_dir / "new")]) == 0


def test_the_recovery_key_resets_a_forgotten_passphrase(tmp_path, secrets_dir, capsys):
    db = tmp_path / "new.db"
    key = _init(db, secrets_dir, capsys)
    (secrets_dir / "recovery").write_text(key + "\n")
    assert main(["unlock-with-recovery-key", "--db", str(db), "--recovery-key-file",
                 str(secrets_dir / "recovery"), "--new-passphrase-file",
                 str(secrets_dir / "new"), "--name", "Sam Jones"]) == 0
    assert main(["check", "--db", str(db), "--passphrase-file", str(secrets_dir / "new")]) == 0
    assert main(["check", "--db", str(db), "--passphrase-file", str(secrets_dir / "sam")]) == 1


def test_demo_makes_an_encrypted_caseload_and_names_its_account(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--people", "12"]) == 0
    out = capsys.readouterr().out
    assert "Sign in as Amara Osei" in out
    secret = db.with_name("demo.db.passphrase")
    assert str(secret) in out and secret.stat().st_mode & 0o777 == 0o600
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "out"),
                 "--passphrase-file", str(secret)]) == 0
    assert "plain files" in capsys.readouterr().out


def test_demo_takes_the_passphrase_from_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARRS_PASSPHRASE", SAM)
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--people", "3"]) == 0
    assert "ARRS_PASSPHRASE" in capsys.readouterr().out
    assert not db.with_name("demo.db.passphrase").exists()
    assert main(["check", "--db", str(db)]) == 0


def test_a_command_encrypts_a_plain_caseload_first_keeping_every_row(tmp_path, secrets_dir,
                                                                     capsys, monkeypatch):
    from arrs_desktop.access.session import sign_in
    from arrs_desktop.store import open_store
    from arrs_desktop.tools.demo import build_demo

    db = tmp_path / "old.db"
    store = open_store(db, user="Old Version")
    build_demo(store, 25, seed=4)
    before = store.table_counts()
    store.close()
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "out")]) == 1
    assert "plain caseload" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "out"),
                 "--passphrase-file", str(secrets_dir / "sam")]) == 0
    err = capsys.readouterr().err
    assert "Recovery key" in err and "still plain" in err
    session = sign_in(db, SAM)
    try:
        store = session.open_store()
        assert store.table_counts() == before
        store.close()
    finally:
        session.end()
    assert main(["plain-backups", "--db", str(db), "--encrypt",
                 "--passphrase-file", str(secrets_dir / "sam")]) == 0
    for made in paths.backups_dir(db).glob("*.db"):
        assert made.read_bytes()[:16] != b"SQLite format 3\x00"
        assert paths.key_file_path(made).exists()


def test_a_new_file_is_not_made_plain_by_a_command(tmp_path, capsys):
    db = tmp_path / "nothing.db"
    csv = tmp_path / "people.csv"
    csv.write_text("nhs_number,name,date_of_birth,postcode,gender\n"
                   "9434765919,Test Person,1950-01-01,LS1 1AA,female\n")
    assert main(["import-people", str(csv), "--db", str(db), "--user", "Sam"]) == 1
    assert "arrs init" in capsys.readouterr().err
    assert not db.exists()


def test_init_encrypts_a_plain_caseload_and_refuses_an_encrypted_one(tmp_path, secrets_dir,
                                                                     capsys):
    from arrs_desktop.access.session import sign_in
    from arrs_desktop.store import open_store
    from arrs_desktop.tools.demo import build_demo

    db = tmp_path / "old.db"
    store = open_store(db, user="Old Version")
    build_demo(store, 10, seed=6)
    before = store.table_counts()
    store.close()
    assert main(["init", "--db", str(db), "--user", "Sam Jones", "--role", "cc",
                 "--passphrase-file", str(secrets_dir / "sam")]) == 0
    out = capsys.readouterr().out
    assert "Encrypted" in out and "before-encryption" in out and "RECOVERY KEY" in out
    assert "still plain" in out  # the backup taken first is plain until dealt with
    session = sign_in(db, SAM)
    try:
        store = session.open_store()
        assert store.table_counts() == before
        store.close()
    finally:
        session.end()
    assert main(["init", "--db", str(db), "--user", "Sam Jones", "--role", "cc",
                 "--passphrase-file", str(secrets_dir / "sam")]) == 1
    assert "already an encrypted caseload" in capsys.readouterr().err
