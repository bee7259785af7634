"""First start on an empty database: start empty, or load a synthetic demo caseload."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.widgets import heading, muted
from arrs_desktop.ui.shell.demo_loader import DEMO_PEOPLE


class FirstRunDialog(QDialog):
    """Offer a new, empty caseload file a demo caseload."""

    EMPTY = "empty"
    DEMO = "demo"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to ARRS Desktop"))
        self.choice = self.EMPTY
        self.empty_button = QPushButton(self.tr("Start with an empty caseload"), self)
        self.empty_button.setObjectName("startEmptyButton")
        self.empty_button.setProperty("primary", True)
        self.demo_button = QPushButton(self.tr("Load a demo caseload"), self)
        self.demo_button.setObjectName("loadDemoButton")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("This caseload is empty")))
        layout.addWidget(muted(self.tr(
            "Start empty to record your own caseload, or load a demo caseload of {0} "
            "made-up people to try things out. The demo people are invented, with NHS numbers "
            "from the test range: never use a demo file for real work.").format(DEMO_PEOPLE)))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.empty_button)
        layout.addLayout(buttons)
        self.empty_button.clicked.connect(self._choose_empty)
        self.demo_button.clicked.connect(self._choose_demo)
        self.empty_button.setDefault(True)

    def _choose_empty(self) -> None:
        self.choice = self.EMPTY
        self.accept()

    def _choose_demo(self) -> None:
        self.choice = self.DEMO
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[str, bool]:
        """Return ('empty' | 'demo', True), or ('empty', False) if closed."""
        dialog = cls(parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.choice, ok
