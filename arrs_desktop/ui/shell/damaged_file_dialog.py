"""The caseload file would not open because it is damaged: offer its backups."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.widgets import muted


class DamagedFileDialog(QDialog):
    """The caseload file would not open because it is damaged: offer its backups."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damagedFileDialog")
        self.setWindowTitle(self.tr("The caseload cannot be opened"))
        text = QLabel(message, self)
        text.setWordWrap(True)
        more = muted(self.tr(
            "You can go back to one of its backups: the damaged file is kept whole beside "
            "them, so nothing is thrown away."), self)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(self.tr("&Restore from a backup…"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreDamagedButton")
        self.restore_button.setProperty("primary", True)
        self.restore_button.setDefault(True)
        quit_button = buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quitDamagedButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(more)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @classmethod
    def ask(cls, parent: QWidget | None, message: str) -> tuple[bool, bool]:
        """Return (True, True) to restore from a backup, (False, False) to quit."""
        ok = cls(message, parent).exec() == QDialog.DialogCode.Accepted
        return ok, ok
