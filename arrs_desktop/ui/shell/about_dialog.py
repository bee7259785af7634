"""What this copy is: version, the open file, where the data and backups live."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop import __version__
from arrs_desktop.ui.common.app_icon import app_icon
from arrs_desktop.ui.common.widgets import heading, muted


class AboutDialog(QDialog):
    """What this copy is: version, the open file, where the data and backups live."""

    def __init__(self, window: QWidget, db_path: str, backups: str) -> None:
        super().__init__(window)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About ARRS Desktop"))
        self.setMinimumWidth(520)
        text = QLabel(self.tr(
            "<p>A caseload log for the personalised-care roles of the Additional Roles "
            "Reimbursement Scheme: social prescribing link workers, care coordinators and "
            "health and wellbeing coaches.</p>"
            "<p>Everything is kept on this computer, in one file. Nothing is sent anywhere."
            "</p>"), self)
        text.setWordWrap(True)
        where = muted(self.tr("Open file: {0}\nBackups: {1}").format(db_path, backups), self)
        where.setObjectName("aboutWhere")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        icon = QLabel(self)
        icon.setObjectName("aboutIcon")
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setFixedSize(64, 64)
        title = heading(self.tr("ARRS Desktop {0}").format(__version__), "subheading", self)
        title.setObjectName("aboutVersion")
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(12)
        top.addWidget(title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(text)
        layout.addWidget(where)
        layout.addWidget(buttons)
