"""Exports and care plans: private files, written whole or not at all, failures said plainly."""

import csv
import errno
import hashlib
import os
import shutil
import stat
import subprocess

import pytest

from arrs_desktop.cli import main
from arrs_desktop.reports.export import export_reports
from tests.fixture_caseload import OCTOBER, build_fixture

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")
OCT = ["--from", "2025-10-01", "--to", "2025-10-31"]


@pytest.fixture
def fx(store):
    return build_fixture(store)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _snapshot(folder):
    """Every file under a folder (hidden ones too) with its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _fill_disk(folder):
    """Fill the disk holding `folder` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def _one_plain_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# -- private whatever the umask ----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_private_whatever_the_umask(store, fx, tmp_path, umask, fmt):
    umask(0o022)
    out = tmp_path / "new" / "reports"
    files = export_reports(store, OCTOBER, out, fmt)
    assert files
    assert {_mode(f) for f in files} == {0o600}
    assert _mode(out) == 0o700 and _mode(out.parent) == 0o700
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in files)


def test_care_plan_pdf_is_private_whatever_the_umask(qapp, store, fx, tmp_path, umask):
    from arrs_desktop.reports.care_plan import build_care_plan
    from arrs_desktop.ui.person.care_plan_pdf import write_care_plan_pdf

    umask(0o000)
    path = write_care_plan_pdf(build_care_plan(store, fx.people["ann"]), tmp_path / "p.pdf")
    assert _mode(path) == 0o600
    assert path.read_bytes().startswith(b"%PDF-")


def test_arrs_plan_writes_a_private_pdf(qapp, store, fx, db_path, tmp_path, umask, capsys):
    umask(0o022)
    out = tmp_path / "plan.pdf"
    assert main(["plan", "--db", str(db_path), "--person", fx.people["ann"],
                 "--out", str(out)]) == 0
    assert _mode(out) == 0o600
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed[0] == f"Wrote {out}"
    assert printed[1].startswith("This is a plain file, not encrypted")  # said when made


# -- a full disk -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_arrs_export_on_a_full_disk_changes_no_file(store, fx, db_path, tiny_disk, capsys, fmt):
    out = tiny_disk / "reports"
    assert main(["export", "--db", str(db_path), "--out", str(out), "--format", fmt, *OCT,
                 "--role", "splw"]) == 0
    before = _snapshot(out)
    capsys.readouterr()
    _fill_disk(tiny_disk)
    code = main(["export", "--db", str(db_path), "--out", str(out), "--format", fmt, *OCT])
    captured = capsys.readouterr()
    assert code == 1
    line = _one_plain_line(captured.err)
    assert line.startswith("arrs export: could not write ")
    assert "the disk is full" in line
    assert "Wrote" not in captured.out
    assert _snapshot(out) == before  # every earlier file intact, nothing half-written left


def test_arrs_export_csv_failing_half_way_leaves_no_truncated_file(store, fx, db_path, tmp_path,
                                                                  monkeypatch, capsys):
    out = tmp_path / "reports"
    assert main(["export", "--db", str(db_path), "--out", str(out), *OCT]) == 0
    before = _snapshot(out)
    capsys.readouterr()
    real_writer = csv.writer

    class FullDiskWriter:
        def __init__(self, fh, *args, **kwargs):
            self._w = real_writer(fh, *args, **kwargs)
            self._rows = 0

        def writerow(self, row):
            self._rows += 1
            if self._rows > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self._w.writerow(row)

    monkeypatch.setattr(csv, "writer", FullDiskWriter)
    code = main(["export", "--db", str(db_path), "--out", str(out), *OCT])
    captured = capsys.readouterr()
    assert code == 1
    assert "the disk is full" in _one_plain_line(captured.err)
    assert "Wrote" not in captured.out
    assert _snapshot(out) == before


def test_arrs_export_xlsx_failing_leaves_no_empty_workbook(store, fx, db_path, tmp_path,
                                                          monkeypatch, capsys):
    from openpyxl import Workbook

    out = tmp_path / "reports"
    out.mkdir()

    def broken_save(self, target):
        if isinstance(target, (str, os.PathLike)):
            open(target, "wb").close()  # what a failed save leaves: an empty file
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Workbook, "save", broken_save)
    code = main(["export", "--db", str(db_path), "--out", str(out), "--format", "xlsx", *OCT])
    captured = capsys.readouterr()
    assert code == 1
    assert "input/output error" in _one_plain_line(captured.err)
    assert list(out.iterdir()) == []


@needs_poppler
def test_arrs_plan_on_a_full_disk_keeps_the_old_plan(qapp, store, fx, db_path, tiny_disk,
                                                    capsys):
    out = tiny_disk / "plan.pdf"
    assert main(["plan", "--db", str(db_path), "--person", fx.people["ann"],
                 "--out", str(out)]) == 0
    old = out.read_bytes()
    capsys.readouterr()
    _fill_disk(tiny_disk)
    code = main(["plan", "--db", str(db_path), "--person", fx.people["bob"], "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "the disk is full" in _one_plain_line(captured.err)
    assert "Wrote" not in captured.out
    assert out.read_bytes() == old
    assert "Ann Archer" in subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                          text=True).stdout
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "plan.pdf"]


def test_arrs_plan_failing_to_flush_says_so_and_writes_nothing(qapp, store, fx, db_path, tmp_path,
                                                              monkeypatch, capsys):
    from arrs_desktop import private_files
    from arrs_desktop.settings import device_id

    device_id()  # made once per laptop, before the disk goes bad

    def broken_fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(private_files.os, "fsync", broken_fsync)
    out = tmp_path / "plan.pdf"
    code = main(["plan", "--db", str(db_path), "--person", fx.people["ann"], "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Wrote" not in captured.out
    assert "input/output error" in _one_plain_line(captured.err)
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".*")) == []


# -- a read-only disk --------------------------------------------------------------------------

def test_arrs_export_to_a_read_only_disk(store, fx, db_path, tiny_disk, capsys):
    (tiny_disk / "reports").mkdir()
    tiny_disk.remount_read_only()
    code = main(["export", "--db", str(db_path), "--out", str(tiny_disk / "reports"), *OCT])
    captured = capsys.readouterr()
    assert code == 1
    assert "read-only" in _one_plain_line(captured.err)
    assert list((tiny_disk / "reports").iterdir()) == []


def test_arrs_export_to_a_new_folder_on_a_read_only_disk(store, fx, db_path, tiny_disk, capsys):
    tiny_disk.remount_read_only()
    code = main(["export", "--db", str(db_path), "--out", str(tiny_disk / "new"), *OCT])
    assert code == 1
    assert "read-only" in _one_plain_line(capsys.readouterr().err)


def test_a_failed_export_takes_away_the_folders_it_made(store, fx, db_path, tiny_disk, capsys):
    _fill_disk(tiny_disk)
    code = main(["export", "--db", str(db_path), "--out", str(tiny_disk / "a" / "b"), *OCT])
    assert code == 1
    assert "the disk is full" in _one_plain_line(capsys.readouterr().err)
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


def test_arrs_plan_to_a_read_only_disk(qapp, store, fx, db_path, tiny_disk, capsys):
    tiny_disk.remount_read_only()
    code = main(["plan", "--db", str(db_path), "--person", fx.people["ann"],
                 "--out", str(tiny_disk / "plan.pdf")])
    captured = capsys.readouterr()
    assert code == 1
    assert "read-only" in _one_plain_line(captured.err)
    assert "Wrote" not in captured.out


# -- settings and screenshots ------------------------------------------------------------------

def test_settings_and_device_id_are_private_whatever_the_umask(umask):
    from arrs_desktop import paths
    from arrs_desktop.settings import Settings, device_id, save_settings

    umask(0o022)
    save_settings(Settings(user_name="Wendy Worker", practice="Elm Practice"))
    device_id()
    assert _mode(paths.settings_path()) == 0o600
    assert _mode(paths.config_dir() / "device_id") == 0o600
    assert sorted(p.name for p in paths.config_dir().iterdir()) == ["device_id",
                                                                    "settings.json"]


def test_a_screenshot_of_the_window_is_private(tmp_path, demo_db, umask):
    import sys

    umask(0o022)
    out = tmp_path / "shots" / "window.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "arrs_desktop.ui.shell.app", "--db", str(demo_db),
                           "--screenshot", str(out)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _mode(out) == 0o600 and _mode(out.parent) == 0o700


# -- never over the caseload -------------------------------------------------------------------

def _hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("target", ["caseload.db", "caseload.db-wal", "backups/old.db"])
def test_arrs_plan_never_writes_over_the_caseload_or_its_backups(qapp, store, fx, db_path,
                                                                 capsys, target):
    person = fx.people["ann"]
    store.close()
    (db_path.parent / "backups").mkdir(exist_ok=True)
    (db_path.parent / "backups" / "old.db").write_bytes(b"SQLite format 3\x00 a backup")
    out = db_path.parent / target
    if not out.exists():
        out.write_bytes(b"")
    before = _snapshot(db_path.parent)
    code = main(["plan", "--db", str(db_path), "--person", person, "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    line = _one_plain_line(captured.err)
    assert "the caseload" in line and "choose another file" in line
    assert _snapshot(db_path.parent) == before


def test_a_backup_is_never_written_over_an_existing_file(demo_db, tmp_path, capsys):
    other = tmp_path / "other.db"
    shutil.copy(demo_db, other)
    before = _hash(other)
    assert main(["backup", "--db", str(demo_db), "--to", str(other)]) == 1
    assert "already exists" in _one_plain_line(capsys.readouterr().err)
    assert _hash(other) == before
