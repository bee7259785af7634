"""Read, check and save a CSV of people on a worker thread with a store of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QWidget

from arrs_desktop.app.changes import Changes
from arrs_desktop.store import Store
from arrs_desktop.tools.importer import ImportResult


class ImportCancelled(Exception):
    """The user cancelled the import while it was saving (the transaction rolls back)."""


class ImportPeopleWorker(QThread):
    """Read, check and save a CSV of people on a worker thread."""

    was_read = Signal(int, str)  # data rows in the file, its encoding
    progressed = Signal(int, int)  # rows done, rows in all
    failed = Signal(str)  # the import stopped: why (nothing was imported)

    def __init__(self, store: Store, source: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = store.path
        self.user = store.user
        self.device_id = store.device_id
        self.connector = store.connector
        self.source = Path(source)
        self.result: ImportResult | None = None
        self.changes: Changes | None = None  # what the import operation says it changed
        self.backup: Path | None = None
        self._cancel = False

    def cancel(self) -> None:
        """Ask the import to stop; nothing it saved so far is kept."""
        self._cancel = True

    def run(self) -> None:
        from arrs_desktop.app.operations.imports import import_people
        from arrs_desktop.store import StoreOpenError, StoreWriteError, backup, open_store
        from arrs_desktop.tools import importer

        try:
            result, rows = importer.read_file(self.source)
        except OSError as exc:
            self.failed.emit(f"{self.source.name} cannot be read: {exc.strerror or exc}")
            return
        self.result = result
        if result.file_error:
            self.failed.emit(result.file_error)
            return
        self.was_read.emit(result.rows, result.encoding)
        if not rows:
            importer.save_rows(None, result, rows)  # sorts the problems
            return
        if self._cancel:
            self.failed.emit("The import was cancelled; nothing was imported.")
            return

        def progress(done: int, total: int) -> None:
            if self._cancel and done < total:  # at the last row the save is committing
                raise ImportCancelled
            self.progressed.emit(done, total)

        try:
            self.backup = backup.make_backup(self.db_path, "before-import")
            store = open_store(self.db_path, user=self.user, device_id=self.device_id,
                               connector=self.connector)
            try:
                self.changes = import_people(store, result, rows, progress=progress).changes
            finally:
                store.close()
        except ImportCancelled:
            result.imported = 0
            self.failed.emit("The import was cancelled; nothing was imported.")
        except (StoreWriteError, StoreOpenError, backup.BackupError, OSError) as exc:
            result.imported = 0
            self.failed.emit(f"Nothing was imported: {exc}")
