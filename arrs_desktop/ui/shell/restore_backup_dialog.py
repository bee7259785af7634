"""Choose a backup of the caseload to restore (File → Restore from backup…)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.store import backup
from arrs_desktop.ui.common.widgets import muted, show_focus

_REASONS = {"daily": "daily", "manual": "made by hand", "before-upgrade": "before an upgrade",
            "before-restore": "before a restore", "before-import": "before an import"}


class RestoreBackupDialog(QDialog):
    """List the backups of the open caseload, newest first; pick one to restore."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *,
                 describe: Callable[[Path], str] | None = None) -> None:
        super().__init__(parent)
        self.describe = describe  # what restoring a backup means beyond the file (its team)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle(self.tr("Restore from backup"))
        self.db_path = Path(db_path)
        self.confirm = self._confirm  # replaceable in tests
        intro = QLabel(self.tr(
            "Choose a backup to go back to. Everything saved after it will be replaced, but "
            "the caseload as it is now is backed up first, so nothing is lost."), self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        show_focus(self.list)
        self.list.setObjectName("backupList")
        self.list.setAccessibleName(self.tr("Backups, newest first"))
        self.empty_note = muted(self.tr(
            "There are no backups of this caseload yet. One is made each day when the window "
            "opens, or use “Back up now”."), self)
        self.backup_now = QPushButton(self.tr("&Back up now"), self)
        self.backup_now.setObjectName("backupNowButton")
        self.backup_now.clicked.connect(self._backup_now)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            self.tr("&Restore…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.buttons.accepted.connect(self._on_restore)
        self.buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item: self._on_restore())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.backup_now)
        layout.addWidget(self.buttons)
        self.resize(520, 420)
        self.reload()

    def reload(self) -> None:
        """List the backups again."""
        self.list.clear()
        for info in backup.list_backups(self.db_path):
            size = f"{info.size / 1_048_576:.1f} MB"
            text = self.tr("{0} — {1} ({2})").format(
                info.taken_at.strftime("%a %d %b %Y, %H:%M"),
                self.tr(_REASONS.get(info.reason, info.reason)), size)
            item = QListWidgetItem(text, self.list)
            item.setData(256, str(info.path))
        self.empty_note.setVisible(self.list.count() == 0)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def chosen(self) -> Path | None:
        """Return the backup chosen, or None."""
        item = self.list.currentItem()
        return Path(item.data(256)) if item is not None else None

    def _update_buttons(self, *_args) -> None:
        self.restore_button.setEnabled(self.list.currentItem() is not None)

    def _backup_now(self) -> None:
        try:
            backup.make_backup(self.db_path, "manual")
        except (OSError, backup.BackupError) as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
        self.reload()

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Restore this backup?"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _on_restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        text = self.tr(
            "Go back to the backup of {0}?\n\nChanges saved after it will be replaced. The "
            "caseload as it is now is backed up first. The window closes afterwards; open "
            "ARRS Desktop again to carry on.").format(item.text())
        note = self.describe(Path(item.data(256))) if self.describe is not None else ""
        if note:
            text += "\n\n" + self.tr("This caseload is in a team. {0}").format(note)
        if self.confirm(text):
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, db_path: Path, *,
            describe: Callable[[Path], str] | None = None) -> tuple[Path | None, bool]:
        """Show the dialog; return the backup chosen and confirmed, and whether it was.

        `describe` gives what restoring a backup means for the caseload's team, said in the
        confirmation ("" when nothing).
        """
        dialog = cls(db_path, parent, describe=describe)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.chosen() if ok else None), ok and dialog.chosen() is not None
