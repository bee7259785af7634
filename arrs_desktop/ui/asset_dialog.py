"""Add or edit a community asset, and refer a person to one; errors shown by each field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from arrs_desktop.domain.catalogue import ASSET_CATEGORIES
from arrs_desktop.domain.models import AssetReferral, CommunityAsset
from arrs_desktop.ui.forms import DateLineEdit, ErrorForm, StoreFormDialog, date_check
from arrs_desktop.ui.widgets import mark_invalid, show_focus

ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AssetDialog(StoreFormDialog):
    """Collect a community asset's details and save them through the store."""

    def __init__(self, store, asset: CommunityAsset | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assetDialog")
        self._store = store
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
        if self._original and self._original.id:
            return self._store.community.update_asset(self.asset(), on_top=self.on_top)
        return self._store.community.add_asset(self.asset())

    @classmethod
    def ask(cls, parent: QWidget | None, store, asset: CommunityAsset | None = None) -> tuple[
        CommunityAsset | None, bool
    ]:
        """Show the dialog; return (saved asset, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(store, asset, parent))


class ReferToAssetDialog(StoreFormDialog):
    """Pick a community group or service by searching, and refer a person to it."""

    def __init__(self, store, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referToAssetDialog")
        self._store = store
        self._person_id = person_id
        self.saved: AssetReferral | None = None
        person = store.people.get(person_id)
        self.setWindowTitle(self.tr("Refer {0} to…").format(person.name if person else ""))
        self.setMinimumWidth(640)
        self.search = QLineEdit(self)
        self.search.setObjectName("referSearchField")
        self.search.setPlaceholderText(self.tr("Type part of a name, place or note"))
        self.search.setClearButtonEnabled(True)
        self.assets = QListWidget(self)
        show_focus(self.assets)
        self.assets.setObjectName("referAssetList")
        self.assets.setMinimumHeight(160)
        self.assets.setWordWrap(True)
        self.referred_on = DateLineEdit(self)
        self.referred_on.set_value(date.today())

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("search", self.tr("Search"), self.search)
        self.form.add_row("asset_id", self.tr("Group or service *"), self.assets)
        self.form.add_row("referred_on", self.tr("Referred on *"), self.referred_on,
                          check=date_check(self.referred_on, required=True, not_future=True))
        self._finish_layout(form, "saveReferralButton")
        self.save_button.setAutoDefault(False)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.update_list)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.update_list)
        self.assets.itemActivated.connect(self._on_item_activated)
        self.update_list()
        self.search.setFocus()

    def update_list(self) -> None:
        """Show the running assets matching the search."""
        self._debounce.stop()
        chosen = self.chosen_asset_id()
        self.assets.clear()
        for asset in self._store.community.search(self.search.text()):
            item = QListWidgetItem(f"{asset.name} — {ASSET_CATEGORIES.get(asset.category, '')}",
                                   self.assets)
            item.setData(ASSET_ID_ROLE, asset.id)
            if asset.id == chosen:
                self.assets.setCurrentItem(item)
        if self.assets.currentItem() is None and self.assets.count():
            self.assets.setCurrentRow(0)

    def chosen_asset_id(self) -> str | None:
        """Return the id of the asset picked in the list."""
        item = self.assets.currentItem()
        return item.data(ASSET_ID_ROLE) if item else None

    def _on_item_activated(self, _item) -> None:
        self.save()

    def save(self) -> None:
        """Save the referral once an asset is picked; otherwise say so by the list."""
        self.form.clear_errors()
        if not self.chosen_asset_id():
            widget, error = self.form.fields["asset_id"]
            error.show_error(self.tr("Choose a group or service from the list "
                                     "(nothing matches the search)."))
            mark_invalid(widget, True)
            self.search.setFocus()
            return
        super().save()

    def write(self) -> AssetReferral:
        """Refer the person to the picked asset through the store."""
        return self._store.community.refer(AssetReferral(
            person_id=self._person_id, asset_id=self.chosen_asset_id(),
            referred_on=self.referred_on.value()))

    @classmethod
    def ask(cls, parent: QWidget | None, store, person_id: str) -> tuple[
        AssetReferral | None, bool
    ]:
        """Show the dialog; return (saved referral, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(store, person_id, parent))
