"""The window's data-safety commands: lock (Ctrl+L), restore from a backup, erase a person."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from arrs_desktop.app.operations.files import restore_backup, restore_preview
from arrs_desktop.ui.shell.window_lock import WindowLock


class SafetyCommands(QObject):
    """Lock the window, restore the caseload from a backup, erase a person for good.

    Makes its actions (the window puts them in the File menu) and the window's lock, which
    follows the settings' lock time through the change bus.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.restored = False
        self.quiet = False  # True: say how a restore went in the status bar only
        self.lock = WindowLock(window, self.context.settings.lock_after_minutes)

        self.lock_action = QAction(window.tr("&Lock window"), window)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_now)
        self.restore_action = QAction(window.tr("&Restore from backup…"), window)
        self.restore_action.setObjectName("restoreBackupAction")
        self.restore_action.triggered.connect(self.restore_from_backup)
        self.erase_action = QAction(window.tr("&Erase this person for good…"), window)
        self.erase_action.setObjectName("erasePersonAction")
        self.erase_action.triggered.connect(self.erase_person)
        self.context.bus.changed.connect(self._on_changed)

    def lock_now(self) -> None:
        """Lock the window at once (Ctrl+L)."""
        self.lock.lock("keyboard")

    def _on_changed(self, changes, _initiator) -> None:
        if changes.settings:
            self.lock.set_idle_minutes(self.context.settings.lock_after_minutes)

    def erase_person(self) -> bool:
        """Erase the open person for good, after a reason and a confirmation."""
        from arrs_desktop.ui.person.erase_person_dialog import ErasePersonDialog

        w = self.window
        person_id = w.person_view.person_id
        if not person_id:
            w.statusBar().showMessage(w.tr("Choose a person first."), 5000)
            return False
        counts, ok = ErasePersonDialog.ask(w, self.context, person_id)
        if not ok:
            return False
        w.statusBar().showMessage(w.tr("The person's record was erased ({0} rows).").format(
            sum(v for k, v in counts.items() if k != "audit_lines_redacted")), 8000)
        return True

    def restore_from_backup(self) -> bool:
        """Ask for a backup, then restore it (the current file is backed up first)."""
        from arrs_desktop.ui.shell.restore_backup_dialog import RestoreBackupDialog

        w = self.window
        chosen, ok = RestoreBackupDialog.ask(w, w.store.path, describe=self._team_note)
        if not ok or chosen is None:
            return False
        # the confirmation said so when the backup is from outside the team: re-join
        return self.restore(chosen, rejoin=self._plan(chosen).rejoin)

    def _plan(self, chosen):
        from arrs_desktop.store import backup
        from arrs_desktop.store.team_restore import TeamRestorePlan

        try:
            return restore_preview(self.window.store, chosen)
        except (OSError, backup.BackupError, *self.window.store.connector.database_errors):
            return TeamRestorePlan()  # an unreadable backup: its check says why

    def _team_note(self, chosen) -> str:
        """Say what restoring `chosen` means for the team: the unsent changes it loses."""
        return self._plan(chosen).before()

    def restore(self, chosen, *, rejoin: bool = False) -> bool:
        """Replace the open caseload by a backup; the window carries on with the restored file.

        The window lets go of the file first. If another program has it open the restore is
        refused (nothing changed) and the window carries on as before.
        """
        from arrs_desktop.store import backup

        w = self.window
        report = backup.check_database(chosen)
        if not report.ok:
            QMessageBox.warning(w, w.tr("Restore from backup"), w.tr(
                "That backup cannot be used: {0}\nYour caseload has not been changed.").format(
                    report.problems[0]))
            return False
        self.lock.idle_timer.stop()
        # the window publishes EVERYTHING
        outcome = restore_backup(w.store, chosen, rejoin=rejoin).value
        problem = outcome.refused or (w.tr("The backup could not be restored: {0}").format(
            outcome.error) if outcome.error else "")
        if outcome.reopen_problem:
            self.restored = outcome.restored
            w.hide()
            if not self.quiet:
                QMessageBox.critical(w, w.tr("Restore from backup"), w.tr(
                    "{0}\n\nThe caseload file cannot be opened again: {1}").format(
                        problem or w.tr("The backup was restored."), outcome.reopen_problem))
            w.close()
            return outcome.restored
        message = ""
        if outcome.restored:
            message = w.tr("The caseload was restored from {0}.").format(chosen.name)
            if outcome.safety_copy is not None:
                message += "\n" + w.tr("The caseload as it was is kept in {0}.").format(
                    outcome.safety_copy.name)
            if outcome.team is not None and outcome.team.in_team:
                message += "\n" + outcome.team.after()
        w.reload_all()
        self.lock.idle_timer.start()
        self.restored = outcome.restored
        if not self.quiet:
            if outcome.restored:
                QMessageBox.information(w, w.tr("Restore from backup"), message)
            else:
                QMessageBox.warning(w, w.tr("Restore from backup"), problem)
        w.statusBar().showMessage(message if outcome.restored else problem, 15000)
        return outcome.restored
