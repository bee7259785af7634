"""Every `arrs` command: a failed write or refused input is one plain line and a non-zero exit."""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import subprocess
import sys

import pytest

from arrs_desktop import cli
from arrs_desktop.cli import main
from tests.db_helpers import sql_rows

ROWS = "nhs_number,name,date_of_birth,postcode,gender\n9434765919,Ann Archer,1950-01-02,LS1 4AP,f\n"


def _arrs(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    env.pop("ARRS_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "arrs_desktop.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def _one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def _people(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM people").fetchone()[0]
    finally:
        conn.close()


def _fill_disk(folder, leave: int = 0):
    """Fill the disk holding `folder`, leaving about `leave` bytes free."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            st = os.statvfs(folder)
            if st.f_bavail * st.f_frsize <= leave:
                break
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_arrs_demo_on_a_full_disk(tiny_disk):
    _fill_disk(tiny_disk, leave=1_500_000)  # room to make the file, not for 400 people
    done = _arrs("demo", "--db", tiny_disk / "demo.db", "--people", 400)
    assert done.returncode == 1
    line = _one_line(done.stderr)
    assert line.startswith("arrs demo: ") and "is full" in line
    assert "Made a demo" not in done.stdout


def test_arrs_demo_on_a_read_only_disk(tiny_disk):
    tiny_disk.remount_read_only()
    done = _arrs("demo", "--db", tiny_disk / "demo.db", "--people", 5)
    assert done.returncode == 1
    assert _one_line(done.stderr).startswith("arrs demo: ")
    assert not (tiny_disk / "demo.db").exists()


def _many_rows(n: int) -> str:
    from arrs_desktop.domain.validation import nhs_check_digit

    lines = ["nhs_number,name,date_of_birth,postcode,gender"]
    i = 400_000_000
    while len(lines) <= n:
        i += 1
        check = nhs_check_digit(str(i))
        if check is not None:
            lines.append(f"{i}{check},Person {len(lines)} Example,1950-01-02,LS1 4AP,f")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("leave", [0, 400_000])
def test_arrs_import_people_on_a_full_disk_imports_nothing(tiny_disk, tmp_path, leave):
    db = tiny_disk / "caseload.db"
    assert _arrs("demo", "--db", db, "--people", 3).returncode == 0
    source = tmp_path / "people.csv"
    source.write_text(_many_rows(5000))
    _fill_disk(tiny_disk, leave)
    done = _arrs("import-people", source, "--db", db)
    assert done.returncode == 1
    assert _one_line(done.stderr).startswith("arrs import-people: ")
    assert "Imported" not in done.stdout
    os.unlink(tiny_disk / "filler")
    assert _people(db) == 3


def test_arrs_import_people_into_a_busy_file(db_path, tmp_path, monkeypatch, capsys):
    from arrs_desktop import store as store_module

    s = store_module.open_store(db_path, user="setup")
    s.close()
    monkeypatch.setattr(store_module, "open_store",
                        functools.partial(store_module.open_store, busy_timeout_ms=100))
    source = tmp_path / "people.csv"
    source.write_text(ROWS)
    holder = sqlite3.connect(db_path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["import-people", str(source), "--db", str(db_path)])
    finally:
        holder.rollback()
        holder.close()
    assert code == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("arrs import-people: ") and "busy" in line
    assert _people(db_path) == 0


@pytest.mark.parametrize(("error", "needle"), [
    (lambda: __import__("arrs_desktop.store", fromlist=["x"]).StoreFullError(
        "The disk is full, so this change was not saved."), "The disk is full"),
    (lambda: __import__("arrs_desktop.store", fromlist=["x"]).StoreReadOnlyError(
        "The caseload file is read-only, so this change was not saved."), "read-only"),
    (lambda: __import__("arrs_desktop.store", fromlist=["x"]).StoreBusyError(
        "The caseload file is busy."), "busy"),
    (lambda: __import__("arrs_desktop.store", fromlist=["x"]).StoreIOError(
        "The disk reported an error."), "reported an error"),
    (lambda: __import__("arrs_desktop.store", fromlist=["x"]).StoreOpenError(
        "x.db is damaged."), "damaged"),
    (lambda: __import__("arrs_desktop.domain.validation", fromlist=["x"]).ValidationError(
        {"name": "is required"}), "refused: name: is required"),
    (lambda: OSError(errno.EROFS, "Read-only file system", "/media/usb/out.csv"),
     "the folder is on a read-only disk (/media/usb/out.csv)"),
    (lambda: sqlite3.OperationalError("database or disk is full"), "the disk is full"),
    (lambda: sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
    (lambda: sqlite3.OperationalError("disk I/O error"), "input/output error"),
    (lambda: sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
])
def test_every_expected_failure_is_one_line_and_exit_1(monkeypatch, capsys, error, needle):
    from arrs_desktop.cli.commands import check

    def failing(args):
        raise error()

    monkeypatch.setattr(check, "run", failing)
    assert main(["check"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("arrs check: ")
    assert needle in line


def test_a_fault_in_the_program_is_one_line_unless_debugging(monkeypatch, capsys):
    from arrs_desktop.cli.commands import check

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check, "run", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert main(["check"]) == cli.EXIT_INTERNAL
    line = _one_line(capsys.readouterr().err)
    assert "unexpected error (ZeroDivisionError: division by zero)" in line
    assert "ARRS_DEBUG=1" in line
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    with pytest.raises(ZeroDivisionError):
        main(["check"])


def test_a_multi_line_message_still_comes_out_as_one_line(monkeypatch, capsys):
    from arrs_desktop.cli.commands import check
    from arrs_desktop.store import StoreOpenError

    def failing(args):
        raise StoreOpenError("first part\nsecond part")

    monkeypatch.setattr(check, "run", failing)
    assert main(["check"]) == 1
    assert _one_line(capsys.readouterr().err) == "arrs check: first part second part"


@pytest.mark.parametrize(("argv", "option"), [
    (["export", "--out", "x", "--worker", "\udcff"], "--worker"),
    (["export", "--out", "x", "--from", "2026-01-0\udcff"], "--from"),
    (["plan", "--person", "ab\udcfe"], "--person"),
    (["import-people", "people.csv", "--user", "\udcff"], "--user"),
    (["match", "--need", "\udcff"], "--need"),
])
def test_an_option_that_is_not_text_is_refused_plainly(tmp_path, capsys, argv, option):
    assert main(argv) == 2
    line = _one_line(capsys.readouterr().err)
    assert line == f"arrs {argv[0]}: {option} holds bytes that are not text; type it again"


def test_a_file_name_that_is_not_utf8_still_works_and_prints(qapp, demo_store, demo_db,
                                                             tmp_path):
    person = sql_rows(demo_store, "SELECT id FROM people LIMIT 1")[0]["id"]
    out = os.fsencode(tmp_path) + b"/plan-\xff.pdf"
    done = subprocess.run([os.fsencode(sys.executable), b"-m", b"arrs_desktop.cli", b"plan",
                           b"--db", os.fsencode(demo_db), b"--person", person.encode(),
                           b"--out", out], capture_output=True,
                          env={**os.environ, "LANG": "en_GB.UTF-8", "LC_ALL": "en_GB.UTF-8"},
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"Wrote ")
    assert os.path.exists(out)
