"""Shared fixtures: headless Qt, every data and settings path under tmp_path, real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Most tests work on plain files they make through the store; the window and the commands
# keep such files plain (and commands may make new plain ones) only with this set. The
# tests of signing in and encryption take it away (the `encrypted_entry_points` fixture).
os.environ["ARRS_ALLOW_PLAIN"] = "1"

import gc  # noqa: E402

from arrs_desktop.store import open_store  # noqa: E402

# As in the app (ui/common/main_thread_garbage_collector.py): cycles are collected on the
# main thread only, never by a worker thread that happens to allocate (which would delete
# Qt objects there).
gc.disable()


@pytest.fixture(autouse=True)
def collect_on_the_main_thread():
    """Collect cycles between tests, on the main thread, when Python would have."""
    yield
    from arrs_desktop.ui.common.main_thread_garbage_collector import collect_if_due

    collect_if_due()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch) -> Path:
    """Point the app's data and settings folders at tmp_path; never touch real user data."""
    home = tmp_path / "arrs-home"
    monkeypatch.setenv("ARRS_HOME", str(home))
    monkeypatch.delenv("ARRS_DB", raising=False)
    return home


@pytest.fixture
def encrypted_entry_points(monkeypatch):
    """Let the window and the commands do what they do for a user: encrypt every file."""
    monkeypatch.delenv("ARRS_ALLOW_PLAIN", raising=False)
    monkeypatch.delenv("ARRS_PASSPHRASE", raising=False)
    monkeypatch.delenv("ARRS_NEW_PASSPHRASE", raising=False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    """Return a path for a fresh caseload file."""
    return tmp_path / "caseload.db"


@pytest.fixture
def store(db_path):
    """Open a new, empty caseload store on a real file."""
    s = open_store(db_path, user="Test Worker", device_id="test-device")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    from datetime import date

    from arrs_desktop.tools.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s = open_store(path, user="demo", device_id="demo-device")
    build_demo(s, 60, seed=7, today=date.today())
    s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path


@pytest.fixture
def demo_db(tmp_path, _demo_template) -> Path:
    """Return a private copy of a small demo caseload (60 people)."""
    path = tmp_path / "demo.db"
    shutil.copy(_demo_template, path)
    return path


@pytest.fixture
def demo_store(demo_db):
    """Open the private demo caseload copy."""
    s = open_store(demo_db, user="Test Worker", device_id="test-device")
    yield s
    s.close()


@pytest.fixture
def tiny_disk(tmp_path):
    """Return a folder on a real 4 MiB disk (tmpfs), or skip where mounting is not allowed.

    `tiny_disk.remount_read_only()` turns it into a read-only disk.
    """
    import subprocess

    mount = tmp_path / "tiny-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs",
                           str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small disk here (needs root and mount rights)")

    class Disk(type(mount)):
        def remount_read_only(self) -> None:
            subprocess.run(["mount", "-o", "remount,ro", str(self)], check=True)

    try:
        yield Disk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture
def umask():
    """Set the process umask for one test: `umask(0o022)`; the old one comes back after."""
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)
