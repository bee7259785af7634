"""Files the app writes: private to the owner (0600), complete or not there at all."""

import errno
import os
import stat

import pytest

from arrs_desktop import private_files
from arrs_desktop.private_files import (
    FileWriteError,
    private_dir,
    stage_private_file,
    write_private_bytes,
    write_private_file,
    write_reason,
)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o002, 0o277])
def test_a_written_file_is_0600_whatever_the_umask(tmp_path, umask, mask):
    umask(mask)
    path = write_private_bytes(tmp_path / "out.csv", b"a,b\n")
    assert _mode(path) == 0o600
    assert path.read_bytes() == b"a,b\n"


def test_overwriting_makes_an_old_world_readable_file_private(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"old")
    path.chmod(0o644)
    write_private_bytes(path, b"new")
    assert path.read_bytes() == b"new"
    assert _mode(path) == 0o600
    assert _names(tmp_path) == ["plan.pdf"]


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(b"the old report\n")

    def write(fh):
        fh.write(b"x" * 10_000)
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(FileWriteError) as caught:
        write_private_file(path, write)
    assert caught.value.errno == errno.ENOSPC
    assert "the disk is full" in str(caught.value)
    assert "report.csv" in str(caught.value)
    assert path.read_bytes() == b"the old report\n"
    assert _names(tmp_path) == ["report.csv"]


def test_a_failed_flush_to_disk_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "report.csv"
    path.write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(private_files.os, "fsync", broken_fsync)
    with pytest.raises(FileWriteError, match="input/output error"):
        write_private_bytes(path, b"new content")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert _names(tmp_path) == ["report.csv"]


def test_a_failed_rename_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "report.csv"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(private_files.os, "replace", broken_replace)
    with pytest.raises(FileWriteError, match="read-only"):
        write_private_bytes(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert _names(tmp_path) == ["report.csv"]


def test_an_exception_while_making_the_content_leaves_nothing(tmp_path):
    def write(fh):
        fh.write(b"partial")
        raise ValueError("the report broke")

    with pytest.raises(ValueError, match="the report broke"):
        write_private_file(tmp_path / "new.csv", write)
    assert _names(tmp_path) == []


def test_staged_files_are_not_in_place_until_committed(tmp_path):
    target = tmp_path / "a.csv"
    target.write_bytes(b"old")
    staged = stage_private_file(target, lambda fh: fh.write(b"new"))
    assert target.read_bytes() == b"old"
    staged.commit()
    assert target.read_bytes() == b"new"
    dropped = stage_private_file(target, lambda fh: fh.write(b"newer"))
    dropped.discard()
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["a.csv"]


def test_a_folder_in_the_way_is_refused_plainly(tmp_path):
    (tmp_path / "plan.pdf").mkdir()
    with pytest.raises(FileWriteError, match="a folder of that name is in the way"):
        write_private_bytes(tmp_path / "plan.pdf", b"x")


def test_a_missing_folder_is_refused_plainly(tmp_path):
    with pytest.raises(FileWriteError, match="the folder does not exist"):
        write_private_bytes(tmp_path / "nowhere" / "plan.pdf", b"x")


def test_private_dir_makes_new_folders_0700_and_leaves_existing_ones(tmp_path, umask):
    umask(0o022)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    made = private_dir(shared / "exports" / "2026")
    assert made.is_dir()
    assert _mode(shared / "exports") == 0o700
    assert _mode(made) == 0o700
    assert _mode(shared) == 0o755


def test_private_dir_refuses_a_file_in_the_way(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(FileWriteError, match="in the way"):
        private_dir(tmp_path / "out")


def test_reasons_read_as_plain_words():
    assert write_reason(OSError(errno.ENOSPC, "No space left on device")) == "the disk is full"
    assert write_reason(OSError(errno.EROFS, "x")) == "the folder is on a read-only disk"
    assert write_reason(OSError(errno.EACCES, "x")) == \
        "you do not have permission to write there"


def test_a_real_full_disk_keeps_the_old_file(tiny_disk):
    path = tiny_disk / "report.csv"
    write_private_bytes(path, b"old report\n")
    with pytest.raises(FileWriteError, match="the disk is full"):
        write_private_bytes(path, os.urandom(8_000_000))
    assert path.read_bytes() == b"old report\n"
    assert _names(tiny_disk) == ["report.csv"]


def test_a_real_read_only_disk_keeps_the_old_file(tiny_disk):
    path = tiny_disk / "report.csv"
    write_private_bytes(path, b"old report\n")
    tiny_disk.remount_read_only()
    with pytest.raises(FileWriteError, match="read-only"):
        write_private_bytes(path, b"new report\n")
    assert path.read_bytes() == b"old report\n"
