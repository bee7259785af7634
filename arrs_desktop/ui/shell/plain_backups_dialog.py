"""After a plain caseload was encrypted: offer to encrypt or delete its plain backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.widgets import heading, muted
from arrs_desktop.ui.shell.account_setup_dialog import fit_primary


class PlainBackupsDialog(QDialog):
    """Say which backups are still plain and what that means; encrypt, delete, or later."""

    ENCRYPT = "encrypt"
    DELETE = "delete"
    LATER = "later"

    def __init__(self, db_path: Path, backups: list[Path], converted_now: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plainBackupsDialog")
        self.setWindowTitle(self.tr("Plain backups of this caseload"))
        self.setMinimumWidth(560)
        self.choice = self.LATER
        first = (self.tr("{0} is now encrypted: without a passphrase or the recovery key its "
                         "file shows nothing. ").format(Path(db_path).name)
                 if converted_now else "")
        text = first + self.tr(
            "But {0} of its backups were made before, and are still plain: until they are "
            "encrypted or deleted, anyone who can open the backups folder ({1}) can read "
            "every name, NHS number and note in them, with any SQLite tool.").format(
                len(backups), Path(backups[0]).parent if backups else "")
        self.message = muted(text)
        self.message.setObjectName("plainBackupsMessage")
        names = QLabel("\n".join(Path(b).name for b in backups[:8])
                       + ("\n…" if len(backups) > 8 else ""), self)
        names.setObjectName("plainBackupsList")
        buttons = QDialogButtonBox(self)
        self.encrypt_button = buttons.addButton(self.tr("&Encrypt them"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.encrypt_button.setObjectName("encryptBackupsButton")
        self.encrypt_button.setProperty("primary", True)
        self.encrypt_button.setDefault(True)
        fit_primary(self.encrypt_button)
        self.delete_button = buttons.addButton(self.tr("&Delete them"),
                                               QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setObjectName("deleteBackupsButton")
        later = buttons.addButton(self.tr("&Later"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("laterButton")
        self.encrypt_button.clicked.connect(lambda: self._choose(self.ENCRYPT))
        self.delete_button.clicked.connect(lambda: self._choose(self.DELETE))
        later.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        layout.addWidget(self.message)
        layout.addWidget(names)
        layout.addWidget(muted(self.tr(
            "Encrypt them to keep them as backups, under the same key as the caseload. "
            "Later: this is asked again each time the caseload is opened.")))
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, db_path: Path, backups: list[Path],
            converted_now: bool = False) -> str:
        """Return encrypt, delete or later."""
        dialog = cls(db_path, backups, converted_now, parent)
        dialog.exec()
        return dialog.choice
