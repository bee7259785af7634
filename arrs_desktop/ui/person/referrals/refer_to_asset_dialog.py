"""Pick a community group or service by searching, and refer a person to it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from arrs_desktop.app.operations.community import refer_to_asset
from arrs_desktop.domain.catalogue import ASSET_CATEGORIES
from arrs_desktop.domain.models import AssetReferral
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog
from arrs_desktop.ui.common.widgets import mark_invalid, show_focus
from arrs_desktop.ui.team.community.asset_dialog import ASSET_ID_ROLE


class ReferToAssetDialog(StoreFormDialog):
    """Pick a community group or service by searching, and refer a person to it."""

    def __init__(self, context, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referToAssetDialog")
        self._context = context
        self._store = store = context.store
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
        return self._context.run(refer_to_asset, AssetReferral(
            person_id=self._person_id, asset_id=self.chosen_asset_id(),
            referred_on=self.referred_on.value()), initiator=self.initiator())

    @classmethod
    def ask(cls, parent: QWidget | None, context, person_id: str) -> tuple[
        AssetReferral | None, bool
    ]:
        """Show the dialog; return (saved referral, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(context, person_id, parent))
