"""An opaque cover over the whole window saying who locked it, with an Unlock button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class LockScreen(QWidget):
    """An opaque cover over the whole window saying who locked it, with an Unlock button."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("ARRS Desktop is locked"))
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockScreen { background: #005EB8; }"
                           "#lockScreen QLabel { color: #FFFFFF; }")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self.tr("ARRS Desktop is locked"), self)
        self.title.setObjectName("lockTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        self.who = QLabel(self)
        self.who.setObjectName("lockUser")
        self.hint = QLabel(self.tr("Personal details are hidden. Press Enter or choose Unlock "
                                   "to carry on."), self)
        self.hint.setWordWrap(True)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.setMinimumWidth(160)
        self.unlock_button.clicked.connect(self.unlock_requested)
        for widget in (self.title, self.who, self.hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addSpacing(16)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.hide()

    def set_user(self, name: str) -> None:
        """Show who locked the window."""
        self.who.setText(self.tr("Locked by {0}").format(name) if name
                         else self.tr("Locked"))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.unlock_requested.emit()
            return
        super().keyPressEvent(event)
