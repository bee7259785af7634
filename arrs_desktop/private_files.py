"""Write a file that only its owner can read, all at once or not at all.

Every file the app writes for the user (report exports, care-plan PDFs, settings,
screenshots) goes through `write_private_file`:

- the bytes go to a temporary file in the same folder, created 0600 (owner read and write
  only) whatever the process umask;
- the temporary file is flushed to disk (fsync) and only then renamed over the target, and
  the folder is flushed so the rename itself survives a crash;
- if anything fails (disk full, read-only folder, I/O error, an exception while producing
  the bytes) the temporary file is removed and the previous file at that path, if any, is
  left exactly as it was. The caller gets a `FileWriteError` whose text says why in plain
  words.

`stage_private_file` does the first half only, so a caller writing several files (an export)
can make them all before putting any of them in place. `private_dir` makes a folder the app
creates 0700; folders that already exist are left as the user set them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
DIR_MODE = 0o700

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only disk",
    errno.EACCES: "you do not have permission to write there",
    errno.EPERM: "you do not have permission to write there",
    errno.EIO: "the disk reported an input/output error",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "a folder of that name is in the way",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EMFILE: "too many files are open",
    errno.EFBIG: "the file is too large for the disk",
}


def write_reason(exc: BaseException) -> str:
    """Return why a write failed, in plain words ("the disk is full")."""
    if isinstance(exc, FileWriteError):
        return exc.reason
    if isinstance(exc, OSError):
        reason = _REASONS.get(exc.errno or 0)
        if reason:
            return reason
        if exc.strerror:
            return exc.strerror[:1].lower() + exc.strerror[1:]
    return str(exc) or type(exc).__name__


class FileWriteError(OSError):
    """A file could not be written; nothing was put in its place, the old file is intact."""

    def __init__(self, path: Path, reason: str, err: int | None = None) -> None:
        super().__init__(err or errno.EIO, reason, str(path))
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return (f"could not write {self.path}: {self.reason}. Nothing was written "
                "(any earlier file there is unchanged).")

    @property
    def refused(self) -> bool:
        """Return True when the write was refused on purpose (EEXIST), not a disk failure."""
        return self.errno == errno.EEXIST


CASELOAD_SUFFIXES = ("", "-wal", "-shm", "-journal")


def caseload_clash(target: str | os.PathLike, db_path: str | os.PathLike) -> str | None:
    """Return why `target` must not be written because it is part of the caseload, or None.

    The caseload file, its -wal, -shm and -journal, and anything in its backups folder are
    never written over by an export, a care plan or anything else. This only looks at
    names and file ids (stat), never opens the files: opening the caseload while a
    connection holds it would drop the connection's locks.
    """
    from arrs_desktop.paths import backups_dir

    target, db_path = Path(target), Path(db_path)
    try:
        folder = target.parent.resolve()
        db_folder = db_path.parent.resolve()
    except (OSError, RuntimeError):
        return None
    if folder == db_folder and target.name in {db_path.name + s for s in CASELOAD_SUFFIXES}:
        return "that is the caseload file itself (or one of its working files)"
    if folder == backups_dir(db_path):
        return "that folder holds the caseload's backups"
    try:
        here = os.stat(target)
    except OSError:
        return None
    for suffix in CASELOAD_SUFFIXES:
        try:
            there = os.stat(db_path.with_name(db_path.name + suffix))
        except OSError:
            continue
        if (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino):
            return "that is the caseload file itself (another name for it)"
    return None


def refuse_caseload(target: str | os.PathLike, db_path: str | os.PathLike | None) -> None:
    """Raise FileWriteError if `target` is part of the caseload (see caseload_clash)."""
    if db_path is None:
        return
    clash = caseload_clash(target, db_path)
    if clash:
        raise FileWriteError(Path(target), f"{clash}; choose another file", errno.EEXIST)


def private_dir(path: str | os.PathLike) -> Path:
    """Make a folder (and missing parents) 0700; leave folders that already exist alone."""
    path = Path(path)
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise FileWriteError(folder, write_reason(exc), exc.errno) from exc
        os.chmod(folder, DIR_MODE)  # mkdir's mode is cut by the umask
    if not path.is_dir():
        raise FileWriteError(path, "a file of that name is in the way", errno.ENOTDIR)
    return path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open a folder
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot flush a folder
            os.fsync(fd)
    finally:
        os.close(fd)


class StagedFile:
    """A complete, flushed, private temporary file waiting to be renamed into place."""

    def __init__(self, path: Path, tmp: Path) -> None:
        self.path = path
        self.tmp = tmp
        self._done = False

    def commit(self) -> Path:
        """Rename the temporary file over the target; raise FileWriteError if that fails."""
        if self._done:
            raise RuntimeError("already committed or discarded")
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise FileWriteError(self.path, write_reason(exc), exc.errno) from exc
        self._done = True
        _fsync_dir(self.path.parent)
        return self.path

    def discard(self) -> None:
        """Remove the temporary file (the target is left as it was)."""
        self._done = True
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def stage_private_file(path: str | os.PathLike, write: Callable[[BinaryIO], None]
                       ) -> StagedFile:
    """Write a file's bytes to a private temporary file beside `path`; return it staged.

    `write` gets the open binary file and writes the content. Nothing is at `path` yet:
    call `commit()` to put it there or `discard()` to drop it.
    """
    path = Path(path)
    if path.is_dir():
        raise FileWriteError(path, "a folder of that name is in the way", errno.EISDIR)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                     FILE_MODE)
    except OSError as exc:
        raise FileWriteError(path, write_reason(exc), exc.errno) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), FILE_MODE)  # the umask may have taken bits away
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, FileWriteError):
            raise FileWriteError(path, write_reason(exc), exc.errno) from exc
        raise
    return StagedFile(path, tmp)


def write_private_file(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file atomically, private to its owner (0600); return its path.

    `write` gets the open binary file and writes the content. On any failure the previous
    file at `path` is untouched and no temporary file is left; OS errors come out as
    FileWriteError saying why.
    """
    return stage_private_file(path, write).commit()


def write_private_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes atomically to a private file; see write_private_file."""
    return write_private_file(path, lambda fh: fh.write(data))
