"""Compose the data-safety parts into the window: lock, restore from backup, history tab."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from arrs_desktop.ui.shell.window_lock import WindowLock


class SafetyWiring(QObject):
    """Add Lock (Ctrl+L), File → Restore from backup… and the person's History tab."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.restored = False
        settings = window.settings
        self.lock = WindowLock(window, getattr(settings, "lock_after_minutes", 10))
        window.window_lock = self.lock

        window.lock_action = QAction(window.tr("&Lock window"), window)
        window.lock_action.setObjectName("lockAction")
        window.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        window.lock_action.triggered.connect(lambda: self.lock.lock("keyboard"))
        window.addAction(window.lock_action)

        self.restore_action = QAction(window.tr("&Restore from backup…"), window)
        self.restore_action.setObjectName("restoreBackupAction")
        self.restore_action.triggered.connect(self.restore_from_backup)
        window.restore_action = self.restore_action

        self.erase_action = QAction(window.tr("&Erase this person for good…"), window)
        self.erase_action.setObjectName("erasePersonAction")
        self.erase_action.triggered.connect(self.erase_person)
        window.erase_action = self.erase_action

        menu = getattr(window, "file_menu", None)
        if menu is not None:
            before = getattr(window, "quit_action", None)
            menu.insertAction(before, self.erase_action)
            menu.insertSeparator(before)
            menu.insertAction(before, window.lock_action)
            menu.insertAction(before, self.restore_action)
            menu.insertSeparator(before)

        window.add_person_panel("audit_panel", window.tr("&History"), self._make_history)
        window.store.write_listeners.append(self._on_written)

        daily = getattr(window, "daily_work", None)
        if daily is not None and hasattr(daily, "settings_changed"):
            daily.settings_changed.connect(
                lambda s: self.lock.set_idle_minutes(s.lock_after_minutes))
        self._backup_watch = QTimer(self)
        self._backup_watch.setInterval(1000)
        self._backup_watch.timeout.connect(self._check_backup)
        self._backup_watch.start()
        self._check_backup()

    def _make_history(self, parent):
        from arrs_desktop.ui.person.history.audit_history_panel import AuditHistoryPanel

        return AuditHistoryPanel(self.window.store, parent)

    def _check_backup(self) -> None:
        """Once today's backup has finished, say if it failed."""
        thread = getattr(self.window.store, "backup_thread", None)
        if thread is not None and thread.is_alive():
            return
        self._backup_watch.stop()
        problem = getattr(self.window.store, "backup_problem", "")
        if problem:
            self.window.statusBar().showMessage(problem, 0)

    def _on_written(self) -> None:
        panel = self.window.built_view("audit_panel")
        if panel is None:  # not made yet: it reads the audit trail when it is
            return
        if panel.isVisible():
            panel.refresh()
        else:
            panel.set_person(panel._person_id)

    def erase_person(self) -> bool:
        """Erase the open person for good, after a reason and a confirmation."""
        from arrs_desktop.ui.person.erase_person_dialog import ErasePersonDialog

        w = self.window
        person_id = w.person_view.person_id
        if not person_id:
            w.statusBar().showMessage(w.tr("Choose a person first."), 5000)
            return False
        counts, ok = ErasePersonDialog.ask(w, w.store, person_id)
        if not ok:
            return False
        w.person_view.show_person(None)
        w.caseload.refresh()
        w.statusBar().showMessage(w.tr("The person's record was erased ({0} rows).").format(
            sum(v for k, v in counts.items() if k != "audit_lines_redacted")), 8000)
        return True

    def restore_from_backup(self) -> bool:
        """Ask for a backup, then restore it (the current file is backed up first)."""
        w = self.window
        from arrs_desktop.ui.shell.restore_backup_dialog import RestoreBackupDialog

        chosen, ok = RestoreBackupDialog.ask(w, w.store.path)
        if not ok or chosen is None:
            return False
        return self.restore(chosen)

    def restore(self, chosen) -> bool:
        """Replace the open caseload by a backup; the window carries on with the restored file.

        The window lets go of the file first. If another program has it open the restore is
        refused (nothing changed) and the window carries on as before.
        """
        from arrs_desktop.store import StoreOpenError, StoreWriteError, backup

        w = self.window
        report = backup.check_database(chosen)
        if not report.ok:
            QMessageBox.warning(w, w.tr("Restore from backup"), w.tr(
                "That backup cannot be used: {0}\nYour caseload has not been changed.").format(
                    report.problems[0]))
            return False
        self.lock.idle_timer.stop()
        store = w.store
        with contextlib.suppress(StoreWriteError):  # the restore itself is what matters
            store.audit.record_event("restore_backup", {"backup": chosen.name})
        store.close()
        restored, problem, safety_copy = False, "", None
        try:
            safety_copy = backup.restore_backup(store.path, chosen)
            restored = True
        except backup.RestoreRefusedError as exc:
            problem = str(exc)
        except (OSError, backup.BackupError) as exc:
            problem = w.tr("The backup could not be restored: {0}").format(exc)
        try:
            store.reopen()
        except StoreOpenError as exc:
            self.restored = restored
            w.hide()
            if not getattr(w, "quiet", False):
                QMessageBox.critical(w, w.tr("Restore from backup"), w.tr(
                    "{0}\n\nThe caseload file cannot be opened again: {1}").format(
                        problem or w.tr("The backup was restored."), exc))
            w.close()
            return restored
        if restored:
            with contextlib.suppress(StoreWriteError):
                store.audit.record_event("restored_from_backup", {"backup": chosen.name})
            message = w.tr("The caseload was restored from {0}.").format(chosen.name)
            if safety_copy is not None:
                message += "\n" + w.tr("The caseload as it was is kept in {0}.").format(
                    safety_copy.name)
        w.reload_all()
        self.lock.idle_timer.start()
        self.restored = restored
        if not getattr(w, "quiet", False):
            if restored:
                QMessageBox.information(w, w.tr("Restore from backup"), message)
            else:
                QMessageBox.warning(w, w.tr("Restore from backup"), problem)
        w.statusBar().showMessage(message if restored else problem, 15000)
        return restored
