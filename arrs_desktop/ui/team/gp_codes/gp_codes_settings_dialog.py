"""Let the PCN add and remove its own GP codes (shipped codes are shown, fixed)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.gp_codes import add_gp_code, remove_gp_code
from arrs_desktop.domain.gp_codes import GP_CODE_RULES
from arrs_desktop.domain.models import GpCode
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import StoreWriteError
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.widgets import muted, show_focus


class GpCodesSettingsDialog(QDialog):
    """Let the PCN add and remove its own GP codes (shipped codes are shown, fixed)."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gpCodesSettings")
        self.setWindowTitle(self.tr("GP codes"))
        self._context = context
        self._store = context.store
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
            self._context.run(add_gp_code, GpCode(code=self.code.text(), term=self.term.text(),
                                                  applies_to=self.applies_to.currentData()),
                              initiator=self)
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
            self._context.run(remove_gp_code, item.data(256).id, initiator=self)
        except ValidationError as exc:
            self.error.show_error("; ".join(exc.errors.values()))
            return
        except StoreWriteError as exc:
            self.error.show_error(str(exc))
            return
        self._fill()

    @classmethod
    def ask(cls, parent: QWidget | None, context) -> tuple[None, bool]:
        """Show the dialog until closed."""
        cls(context, parent).exec()
        return None, True
