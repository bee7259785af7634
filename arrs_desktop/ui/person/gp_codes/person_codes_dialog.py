"""GP codes: the codes each of a person's episodes calls for (one-click copy), and the PCN's own."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.person.gp_codes.episode_codes_panel import EpisodeCodesPanel


class PersonCodesDialog(QDialog):
    """Show a person's GP codes to copy into the GP system."""

    def __init__(self, store, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        person = store.people.get(person_id)
        self.setWindowTitle(self.tr("GP codes for {0}").format(person.name if person else ""))
        self.panel = EpisodeCodesPanel(store, person_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.panel)
        lay.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, store, person_id: str) -> tuple[None, bool]:
        """Show the dialog until closed."""
        cls(store, person_id, parent).exec()
        return None, True
