"""A notice naming a GP code to record, with a Copy button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from arrs_desktop.domain.gp_codes import EpisodeCode
from arrs_desktop.ui.common import theme


class GpCodeBar(QFrame):
    """A notice naming a GP code to record, with a Copy button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gpCodeBar")
        self.setStyleSheet(
            f"QFrame#gpCodeBar {{ background: #E8F1FA; border: 1px solid {theme.BLUE};"
            " border-radius: 4px; }")
        self.code = ""
        self.text = QLabel(self)
        self.text.setObjectName("gpCodeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy code"), self)
        self.copy_button.setObjectName("copyGpCodeButton")
        self.copy_button.clicked.connect(self.copy)
        self.dismiss_button = QPushButton(self.tr("Done"), self)
        self.dismiss_button.setObjectName("dismissGpCodeButton")
        self.dismiss_button.setAccessibleName(self.tr("Hide the GP code notice"))
        self.dismiss_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.copy_button)
        lay.addWidget(self.dismiss_button)
        self.hide()

    def show_code(self, code: EpisodeCode) -> None:
        """Tell the worker which code to enter in the GP system."""
        self.code = code.code
        self.text.setText(self.tr("ℹ Record in the GP system: “{0}” — SNOMED CT {1}").format(
            code.term, code.code))
        self.copy_button.setAccessibleName(self.tr("Copy the code {0}").format(code.code))
        self.setAccessibleName(self.text.text())
        self.show()

    def copy(self) -> None:
        """Put the code on the clipboard."""
        QGuiApplication.clipboard().setText(self.code)
        self.copy_button.setText(self.tr("Copied"))
