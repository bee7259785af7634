"""GP codes: the codes each of a person's episodes calls for (one-click copy), and the PCN's own."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.gp_codes import GP_CODE_RULES
from arrs_desktop.domain.models import GpCode
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import StoreWriteError
from arrs_desktop.ui.widgets import FieldError, heading, muted, show_focus


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


class GpCodesSettingsDialog(QDialog):
    """Let the PCN add and remove its own GP codes (shipped codes are shown, fixed)."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gpCodesSettings")
        self.setWindowTitle(self.tr("GP codes"))
        self._store = store
        self.setMinimumWidth(640)
        self.codes = QListWidget(self)
        show_focus(self.codes)
        self.codes.setObjectName("gpCodesList")
        self.codes.setWordWrap(True)
        self.codes.setAccessibleName(self.tr("GP codes"))
        self.code = QLineEdit(self)
        self.code.setObjectName("newGpCode")
        self.code.setAccessibleName(self.tr("SNOMED CT code"))
        self.term = QLineEdit(self)
        self.term.setObjectName("newGpTerm")
        self.term.setAccessibleName(self.tr("Term"))
        self.applies_to = QComboBox(self)
        self.applies_to.setObjectName("newGpAppliesTo")
        self.applies_to.setAccessibleName(self.tr("When to record it"))
        for key, text in GP_CODE_RULES.items():
            self.applies_to.addItem(self.tr(text), key)
        self.error = FieldError(self)
        add = QPushButton(self.tr("&Add code"), self)
        add.setObjectName("addGpCodeButton")
        add.clicked.connect(self.add_code)
        self.remove_button = QPushButton(self.tr("&Remove selected"), self)
        self.remove_button.setObjectName("removeGpCodeButton")
        self.remove_button.clicked.connect(self.remove_selected)
        form = QFormLayout()
        form.addRow(self.tr("&Code:"), self.code)
        form.addRow(self.tr("&Term:"), self.term)
        form.addRow(self.tr("&When:"), self.applies_to)
        form.addRow(self.error)
        actions = QHBoxLayout()
        actions.addWidget(add)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(muted(self.tr("Codes ARRS Desktop suggests for each episode. Add your "
                                    "PCN's own codes and say when they apply."), self))
        lay.addWidget(self.codes, 1)
        lay.addLayout(form)
        lay.addLayout(actions)
        lay.addWidget(close)
        self._fill()

    def _fill(self) -> None:
        self.codes.clear()
        for code in self._store.gp_codes.all():
            suffix = self.tr(" (comes with ARRS Desktop)") if code.shipped else ""
            item = QListWidgetItem(f"{code.code} · {code.term} — "
                                   f"{GP_CODE_RULES.get(code.applies_to, code.applies_to)}"
                                   f"{suffix}")
            item.setData(256, code)
            self.codes.addItem(item)

    def add_code(self) -> None:
        """Save the code typed in the form."""
        try:
            self._store.gp_codes.add(GpCode(code=self.code.text(), term=self.term.text(),
                                           applies_to=self.applies_to.currentData()))
        except ValidationError as exc:
            self.error.show_error("; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
            return
        except StoreWriteError as exc:
            self.error.show_error(str(exc))
            return
        self.error.show_error("")
        self.code.clear()
        self.term.clear()
        self._fill()

    def remove_selected(self) -> None:
        """Remove the selected PCN code."""
        item = self.codes.currentItem()
        if item is None:
            return
        try:
            self._store.gp_codes.remove(item.data(256).id)
        except ValidationError as exc:
            self.error.show_error("; ".join(exc.errors.values()))
            return
        except StoreWriteError as exc:
            self.error.show_error(str(exc))
            return
        self._fill()

    @classmethod
    def ask(cls, parent: QWidget | None, store) -> tuple[None, bool]:
        """Show the dialog until closed."""
        cls(store, parent).exec()
        return None, True
