"""Add or edit a community asset, and refer a person to one; errors shown by each field."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from arrs_desktop.app.operations.community import save_asset
from arrs_desktop.domain.catalogue import ASSET_CATEGORIES
from arrs_desktop.domain.models import CommunityAsset
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog

ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AssetDialog(StoreFormDialog):
    """Collect a community asset's details and save them through the store."""

    def __init__(self, context, asset: CommunityAsset | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assetDialog")
        self._context = context
        self._store = context.store
        self._original = asset
        self.saved: CommunityAsset | None = None
        self.setWindowTitle(self.tr("Edit group or service") if asset
                            else self.tr("New group or service"))
        self.setMinimumWidth(480)
        self.name = QLineEdit(self)
        self.category = QComboBox(self)
        self.category.addItem(self.tr("Choose a category…"), None)
        for code, label in ASSET_CATEGORIES.items():
            self.category.addItem(self.tr(label), code)
        self.contact = QLineEdit(self)
        self.contact.setPlaceholderText(self.tr("Phone, email or a named person"))
        self.address = QPlainTextEdit(self)
        self.address.setFixedHeight(52)
        self.address.setTabChangesFocus(True)
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(70)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("When it meets, who it suits, how to join"))
        self.active = QCheckBox(self.tr("Running now (offer it in searches)"), self)
        self.active.setChecked(True)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("name", self.tr("Name *"), self.name)
        self.form.add_row("category", self.tr("Category *"), self.category)
        self.form.add_row("contact", self.tr("Contact"), self.contact)
        self.form.add_row("address", self.tr("Address"), self.address)
        self.form.add_row("notes", self.tr("Notes"), self.notes)
        self.form.add_row("active", self.tr("Active"), self.active)
        self._finish_layout(form, "saveAssetButton")
        self.save_button.setAutoDefault(False)
        if asset:
            self._fill(asset)
        self.name.setFocus()

    def _fill(self, asset: CommunityAsset) -> None:
        self.name.setText(asset.name)
        self.category.setCurrentIndex(max(0, self.category.findData(asset.category)))
        self.contact.setText(asset.contact)
        self.address.setPlainText(asset.address)
        self.notes.setPlainText(asset.notes)
        self.active.setChecked(asset.active)

    def reload(self) -> None:
        """Show the group as saved now, dropping what was typed."""
        if self._original and self._original.id:
            self._original = self._store.community.get_asset(self._original.id)
            self._fill(self._original)

    def asset(self) -> CommunityAsset:
        """Return the asset as typed (not yet checked)."""
        return replace(self._original or CommunityAsset(name="", category=""),
                       name=self.name.text(), category=self.category.currentData(),
                       contact=self.contact.text(), address=self.address.toPlainText(),
                       notes=self.notes.toPlainText(), active=self.active.isChecked())

    def write(self) -> CommunityAsset:
        """Save the asset through the store."""
        return self._context.run(save_asset, self.asset(), on_top=self.on_top,
                                 initiator=self.initiator())

    @classmethod
    def ask(cls, parent: QWidget | None, context,
            asset: CommunityAsset | None = None) -> tuple[
        CommunityAsset | None, bool
    ]:
        """Show the dialog; return (saved asset, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(context, asset, parent))
