"""The File menu's caseload commands: open another caseload file, import people, export,
back up now."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog


class _BackupSignals(QObject):
    finished = Signal(str, str)  # the backup made (or ""), what went wrong (or "")


class FileCommands(QObject):
    """Open caseload… (Ctrl+O), Export… (Ctrl+E) and Back up now: the actions and their work
    (the window puts the actions in its File menu)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._backup: threading.Thread | None = None
        self._signals = _BackupSignals(self)
        self._signals.finished.connect(self._backed_up)

        self.open_action = QAction(window.tr("&Open caseload…"), window)
        self.open_action.setObjectName("openCaseloadAction")
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip(window.tr("Open another caseload file in this window"))
        self.open_action.triggered.connect(self.choose_caseload)
        self.import_action = QAction(window.tr("&Import people…"), window)
        self.import_action.setObjectName("importPeopleAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_action.setStatusTip(window.tr(
            "Bring in people from a GP system search saved as CSV"))
        self.import_action.triggered.connect(self.choose_import)
        self.import_dialog = None
        self.export_action = QAction(window.tr("&Export…"), window)
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setStatusTip(window.tr(
            "Export the reports of the period shown in Reports to files"))
        self.export_action.triggered.connect(self.export)
        self.backup_action = QAction(window.tr("&Back up now"), window)
        self.backup_action.setObjectName("backupNowAction")
        self.backup_action.setStatusTip(window.tr(
            "Make a backup of this caseload now, in its backups folder"))
        self.backup_action.triggered.connect(self.back_up_now)

    # -- open another caseload ------------------------------------------------------------
    def choose_caseload(self) -> bool:
        """Ask for a caseload file and open it in place of this one."""
        w = self.window
        path, _ = QFileDialog.getOpenFileName(
            w, w.tr("Open caseload"), str(Path(w.store.path).parent),
            w.tr("Caseload files (*.db *.sqlite);;All files (*)"))
        return bool(path) and self.open_caseload(Path(path)) is not None

    def open_caseload(self, path: Path):
        """Open another caseload file: a new window takes this one's place (same size and
        place); this one and its file are closed. Return the new window, or None when the
        file cannot be opened (said in a message; this caseload stays open)."""
        from arrs_desktop.store import StoreOpenError, open_store
        from arrs_desktop.ui.shell.main_window import MainWindow

        w = self.window
        path = Path(path)
        if path.resolve() == Path(w.store.path).resolve():
            w.statusBar().showMessage(w.tr("That caseload is the one open."), 5000)
            return None
        if not path.is_file():
            w.show_error(w.tr("Open caseload"), w.tr("{0} does not exist.").format(path))
            return None
        flow = session = None
        settings = w.settings
        if w.session is not None:  # sign in to the other caseload (or encrypt it) first
            from dataclasses import replace

            from arrs_desktop.ui.shell.sign_in_flow import SignInFlow

            flow = SignInFlow(path, settings, parent=w)
            session = flow.run()
            if session is None:
                return None
            flow.remember(session)
            settings = replace(settings, user_name=session.account_name,
                               role=session.role or settings.role)
        try:
            store = open_store(path, user=session.account_name if session else w.store.user,
                               backup_on_open=True, backup_in_background=True)
        except StoreOpenError as exc:
            if session is not None:
                session.end()
            w.show_error(w.tr("Open caseload"), w.tr(
                "{0} cannot be opened: {1}\nThe caseload open now is unchanged.").format(
                    path.name, exc))
            return None
        successor = MainWindow(store, settings, w.rules_load, session=session)
        if flow is not None:
            flow.record(successor.context, session)
        successor.restoreGeometry(w.saveGeometry())
        successor.splitter.restoreState(w.splitter.saveState())
        successor.splitter_restored = True
        successor.remember_geometry = w.remember_geometry
        w.successor = successor
        if w.isMaximized():
            successor.showMaximized()
        else:
            successor.show()
        successor.statusBar().showMessage(successor.tr("Opened {0}").format(path), 8000)
        old = w.store
        w.window_lock.idle_timer.stop()
        w.close()
        old.close()
        if w.session is not None and w.session.connector.key_id != (
                session.connector.key_id if session else ""):
            w.session.end()  # the other caseload's key is no longer lent
        return successor

    # -- import people ----------------------------------------------------------------------
    def choose_import(self) -> bool:
        """Ask for a CSV of people (a GP system search) and import it with a progress bar."""
        w = self.window
        path, _ = QFileDialog.getOpenFileName(
            w, w.tr("Import people"), str(Path.home()),
            w.tr("CSV files (*.csv *.txt);;All files (*)"))
        return bool(path) and self.import_people(Path(path)) is not None

    def import_people(self, source: Path):
        """Import people from `source` on a worker thread, showing the dialog of its progress
        and result (window-modal: the caseload is being written meanwhile). Return it."""
        from arrs_desktop.ui.shell.import_people_dialog import ImportPeopleDialog

        w = self.window
        dialog = ImportPeopleDialog(w.store, Path(source), w)
        dialog.imported.connect(lambda changes: w.context.publish(changes, self))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.import_dialog = dialog
        dialog.show()
        return dialog

    # -- export ---------------------------------------------------------------------------
    def export(self) -> bool:
        """Show Reports and ask where to export the period it shows."""
        w = self.window
        w.views.setCurrentWidget(w.reports)
        return w.reports.ask_export()

    # -- back up now ----------------------------------------------------------------------
    @property
    def backing_up(self) -> bool:
        """Return whether a backup is being made."""
        return self._backup is not None and self._backup.is_alive()

    def back_up_now(self) -> None:
        """Make a backup on a worker thread; say in the status bar when it is done."""
        w = self.window
        if self.backing_up:
            return
        w.statusBar().showMessage(w.tr("Backing up the caseload…"))
        self.backup_action.setEnabled(False)
        path, signals = w.store.path, self._signals

        def work() -> None:
            from arrs_desktop.store import backup

            try:
                made = backup.make_backup(path, "manual")
            except (OSError, backup.BackupError) as exc:
                signals.finished.emit("", str(exc))
            else:
                signals.finished.emit(str(made), "")

        self._backup = threading.Thread(target=work, name="backup-now", daemon=True)
        self._backup.start()

    def wait_for_backup(self, seconds: float = 30.0) -> None:
        """Wait for a backup being made (for tests and closing)."""
        if self._backup is not None:
            self._backup.join(seconds)

    def _backed_up(self, made: str, problem: str) -> None:
        w = self.window
        self.backup_action.setEnabled(True)
        if problem:
            w.show_error(w.tr("Back up now"), w.tr(
                "The backup could not be made: {0}").format(problem))
            w.statusBar().showMessage(w.tr("The backup failed."), 8000)
            return
        w.statusBar().showMessage(w.tr("Backed up to {0}").format(made), 10000)
