"""One home's contact log, newest first."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from arrs_desktop.domain.catalogue import CARE_HOME_CONTACT_KINDS
from arrs_desktop.domain.models import CareHomeContact
from arrs_desktop.ui.common.rows_table_model import RowsTableModel

CONTACT_COLUMNS = (
    ("when", "Contact"),
    ("discussed", "Residents and actions"),
    ("next_due", "Next due"),
)


class CareHomeContactsModel(RowsTableModel):
    """One home's contact log, newest first."""

    COLUMNS = CONTACT_COLUMNS

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._home_id: str | None = None
        self._names: dict[str, str] = {}

    def set_home(self, home_id: str | None) -> None:
        """Show a home's contacts (None clears the list)."""
        self.beginResetModel()
        self._home_id = home_id
        self._rows = self._store.care_homes.contacts(home_id) if home_id else []
        self._names = dict(self._store.care_homes.residents(home_id)) if home_id else {}
        for contact in self._rows:
            for person_id in contact.residents:
                if person_id not in self._names:
                    person = self._store.people.get(person_id)
                    self._names[person_id] = person.name if person else self.tr("(removed)")
        self.endResetModel()

    def contact(self, row: int) -> CareHomeContact | None:
        """Return the contact on a row."""
        return self.row_object(row)

    def cell(self, contact: CareHomeContact, key: str, role: int):
        """Return what a contact's cell shows for an item role."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            text = self._display(contact, key)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return " · ".join(text.splitlines())
            if role == Qt.ItemDataRole.DisplayRole and key == "discussed":
                # Two lines in the log, each shortened with "…" when long (the tooltip and
                # the accessible text hold it all).
                names, _, actions = text.partition("\n")
                return "\n".join([names, " ".join(actions.split())]).strip()
            if role == Qt.ItemDataRole.ToolTipRole:
                if key == "when" and contact.worker:
                    text += "\n" + self.tr("Logged by {0}").format(contact.worker)
                return text or None
            return text
        return None

    def _display(self, contact: CareHomeContact, key: str) -> str:
        if key == "when":
            return "\n".join([f"{contact.date:%d %b %Y}",
                              self.tr(CARE_HOME_CONTACT_KINDS.get(contact.kind, contact.kind))])
        if key == "discussed":
            names = ", ".join(sorted(self._names.get(p, p) for p in contact.residents))
            lines = [names or self.tr("No residents named")]
            if contact.actions:
                lines.append(contact.actions)
            return "\n".join(lines)
        if key == "next_due":
            return f"{contact.next_due:%d %b %Y}" if contact.next_due else ""
        return ""
