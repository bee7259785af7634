"""Show a new caseload's recovery key once, to print or write down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.widgets import heading, muted


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once: Print… it, and say it is kept before going on."""

    def __init__(self, recovery_key: str, caseload: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("Your recovery key"))
        self.setMinimumWidth(560)
        self._key = recovery_key
        self._caseload = caseload
        self.key_label = QLabel(recovery_key, self)
        self.key_label.setObjectName("recoveryKeyText")
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.35)
        font.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setWordWrap(True)
        self.key_label.setStyleSheet("QLabel { border: 2px dashed #005EB8; padding: 12px; "
                                     "background: #FFFFFF; }")
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setObjectName("printRecoveryKeyButton")
        self.copy_button = QPushButton(self.tr("&Copy"), self)
        self.copy_button.setObjectName("copyRecoveryKeyButton")
        self.kept = QCheckBox(self.tr("I have &printed it or written it down, and will keep "
                                      "it somewhere safe"), self)
        self.kept.setObjectName("recoveryKeptBox")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.done_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.done_button.setText(self.tr("&Done"))
        self.done_button.setObjectName("recoveryDoneButton")
        self.done_button.setProperty("primary", True)
        self.done_button.setEnabled(False)
        self.kept.toggled.connect(self.done_button.setEnabled)
        buttons.accepted.connect(self.accept)
        self.print_button.clicked.connect(self.print_key)
        self.copy_button.clicked.connect(self._copy)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        layout.addWidget(muted(self.tr(
            "This key opens the caseload if every passphrase is forgotten or the key file "
            "beside it is lost. It is shown only now: print it or write it down, and keep it "
            "somewhere safe away from this computer (a locked drawer, not a note in the "
            "laptop bag). Anyone who has it and a copy of the caseload can read it.")))
        layout.addWidget(self.key_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        layout.addLayout(row)
        layout.addWidget(self.kept)
        layout.addWidget(buttons)
        self.kept.setFocus()

    def reject(self) -> None:
        """Escape does not close it: the key is shown once, so it must be kept first."""
        if self.kept.isChecked():
            super().reject()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self._key)

    def page_html(self) -> str:
        """Return the printed page: the key, the caseload's name, what it is for."""
        from html import escape

        return (f"<h1>ARRS Desktop recovery key</h1><p>Caseload: {escape(self._caseload)}</p>"
                f"<p style='font-size:20pt; font-family:monospace'><b>{escape(self._key)}</b>"
                "</p><p>This key opens the caseload if every passphrase is forgotten or its "
                "key file is lost (Sign in → Use the recovery key, or `arrs "
                "unlock-with-recovery-key`). Keep this page somewhere safe, away from the "
                "computer. Anyone who has it and a copy of the caseload can read it.</p>")

    def print_key(self) -> None:
        """Print the key (on paper or to a PDF) through the system's print dialog."""
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setHtml(self.page_html())
        doc.print_(printer)

    @classmethod
    def show_once(cls, parent: QWidget | None, recovery_key: str, caseload: str) -> None:
        """Show the key until the user says it is kept."""
        cls(recovery_key, caseload, parent).exec()
