"""Say whether the open file is still being checked for damage, and warn when it is damaged."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from arrs_desktop.ui.common import theme


class HealthBanner(QFrame):
    """A red bar over the window when the caseload file is damaged, with Restore."""

    restore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthBanner")
        self.setStyleSheet(
            f"QFrame#healthBanner {{ background: #FBE9E7; border: 2px solid {theme.RED};"
            " border-radius: 4px; }")
        self.label = QLabel(self)
        self.label.setObjectName("healthBannerText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.restore_button = QPushButton(self.tr("Restore from a backup…"), self)
        self.restore_button.setObjectName("healthRestoreButton")
        self.restore_button.setProperty("primary", True)
        self.restore_button.clicked.connect(self.restore_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def text(self) -> str:
        """Return what the banner says."""
        return self.label.text()

    def show_damaged(self, file_name: str, problem: str) -> None:
        """Warn that the file is damaged, so nothing will be saved to it."""
        message = self.tr(
            "⚠ {0} is damaged ({1}). Nothing more will be saved to it, so that it stays as "
            "it is: you can still read it. Restore it from a backup to carry on working."
        ).format(file_name, problem)
        self.label.setText(message)
        self.label.setAccessibleName(message)
        self.show()
