"""sqlcipher3 bundles its own SQLite: which ways of opening one file in one process are safe.

POSIX locks belong to a process, and closing any descriptor on a file drops all of them.
Each SQLite library defers such closes for its own connections, but knows nothing of the
other library's. These tests hold a write lock with sqlcipher3, do something else in the
same process, then look at /proc/locks and ask another process whether it can write.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from arrs_desktop.security import DataKey, RecoveryKey, cipher

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks")


def _held_locks(path: Path) -> list[str]:
    """Return this process's locks on a file's inode, as /proc/locks lists them.

    Each line's first field (its place in the machine-wide list) is left out: it moves
    whenever any other process takes or drops a lock.
    """
    st = os.stat(path)
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    return sorted(" ".join(line.split()[1:]) for line in
                  Path("/proc/locks").read_text().splitlines()
                  if len(line.split()) > 5 and line.split()[4] == str(os.getpid())
                  and line.split()[5] == wanted)


_OTHER_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from arrs_desktop.security import DataKey, cipher
    conn = cipher.connect(Path(sys.argv[1]), DataKey(bytes.fromhex(sys.argv[2])), timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        print("wrote")
    except cipher.DB_ERRORS as exc:
        print("busy" if cipher.is_busy_error(exc) else repr(exc))
    finally:
        conn.close()
""")


def _another_program_can_write(path: Path, key: DataKey) -> bool:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _OTHER_WRITER, str(path), key.raw.hex()],
                         capture_output=True, text=True, env=env, timeout=60, check=True)
    assert out.stdout.strip() in ("wrote", "busy"), out.stdout + out.stderr
    return out.stdout.strip() == "wrote"


def _encrypted(path: Path, key: DataKey) -> None:
    conn = cipher.connect(path, key, create=True)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _stdlib_touches(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        pass  # an encrypted file is "not a database" to it; it has opened it all the same
    finally:
        conn.close()


def _sqlcipher_touches(path: Path, key: DataKey) -> None:
    cipher.connect(path, key).close()


@pytest.mark.parametrize(("what", "safe"), [
    ("a second sqlcipher3 connection opens and closes the same file", True),
    ("the stdlib sqlite3 module opens and closes a different file", True),
    ("the stdlib sqlite3 module opens and closes the same file", False),
])
def test_which_second_opener_keeps_the_write_lock(tmp_path, what, safe):
    path, other, key = tmp_path / "caseload.db", tmp_path / "other.db", \
        DataKey.from_recovery_key(RecoveryKey.generate())
    _encrypted(path, key)
    sqlite3.connect(other).close()
    holder = cipher.connect(path, key)  # rollback journal: its locks are on the file itself
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO t VALUES (1)")
        assert _held_locks(path)
        assert not _another_program_can_write(path, key)
        if "sqlcipher3" in what:
            _sqlcipher_touches(path, key)
        elif "different" in what:
            _stdlib_touches(other)
        else:
            _stdlib_touches(path)
        assert bool(_held_locks(path)) == safe
        # unsafe: another program now takes the write lock in the middle of our transaction
        assert _another_program_can_write(path, key) == (not safe)
    finally:
        holder.rollback()
        holder.close()


def test_the_two_libraries_one_after_the_other_on_one_file_are_safe(tmp_path):
    path = tmp_path / "plain.db"
    _stdlib_touches(path)  # e.g. the old plain file read and closed before converting
    key = DataKey.from_recovery_key(RecoveryKey.generate())
    encrypted = tmp_path / "caseload.db"
    cipher.export_plain_to_encrypted(path, encrypted, key)
    holder = cipher.connect(encrypted, key)
    try:
        holder.execute("BEGIN IMMEDIATE")
        assert _held_locks(encrypted)
        assert not _another_program_can_write(encrypted, key)
    finally:
        holder.rollback()
        holder.close()


def test_in_wal_mode_the_stdlib_closing_the_file_drops_sqlcipher3s_locks_too(tmp_path):
    path, key = tmp_path / "caseload.db", DataKey.from_recovery_key(RecoveryKey.generate())
    _encrypted(path, key)
    holder = cipher.connect(path, key)
    try:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("SELECT count(*) FROM t").fetchone()
        before = _held_locks(path)
        assert before  # a WAL connection keeps a shared lock on the file
        _sqlcipher_touches(path, key)
        assert _held_locks(path) == before
        _stdlib_touches(path)
        assert _held_locks(path) == []
    finally:
        holder.close()
