"""List the GP codes for each of a person's episodes, each with a Copy button."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from arrs_desktop.domain import catalogue
from arrs_desktop.ui.common.widgets import heading, muted


class EpisodeCodesPanel(QWidget):
    """List the GP codes for each of a person's episodes, each with a Copy button."""

    def __init__(self, store, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gpCodesPanel")
        self.copy_buttons: list[QPushButton] = []
        grid = QGridLayout(self)
        row = 0
        for episode in store.episodes.for_person(person_id):
            role = catalogue.ROLES_BY_CODE[episode.role]
            title = heading(f"{role.name} · {catalogue.EPISODE_STATUSES[episode.status]}",
                            "subheading", self)
            grid.addWidget(title, row, 0, 1, 3)
            row += 1
            codes = store.gp_codes.for_episode(episode.id)
            if not episode.share_with_gp:
                grid.addWidget(muted(self.tr("The person has not agreed to share this with "
                                             "their GP: check before recording."), self),
                               row, 0, 1, 3)
                row += 1
            if not codes:
                grid.addWidget(muted(self.tr("No codes to record yet."), self), row, 0, 1, 3)
                row += 1
            for code in codes:
                when = f" · {code.on:%d %b %Y}" if code.on else ""
                grid.addWidget(QLabel(f"{code.term}{when}", self), row, 0)
                value = QLabel(f"<b>{code.code}</b>", self)
                grid.addWidget(value, row, 1)
                button = QPushButton(self.tr("Copy"), self)
                button.setObjectName(f"copyCode_{code.code}")
                button.setAccessibleName(self.tr("Copy code {0}").format(code.code))
                button.setProperty("code", code.code)
                button.clicked.connect(self._copy)
                self.copy_buttons.append(button)
                grid.addWidget(button, row, 2)
                row += 1
        if row == 0:
            grid.addWidget(muted(self.tr("This person has no episodes yet."), self), 0, 0)
        grid.setColumnStretch(0, 1)

    def _copy(self) -> None:
        code = self.sender().property("code")
        QGuiApplication.clipboard().setText(code)
        self.sender().setText(self.tr("Copied"))
