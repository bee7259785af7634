"""The possible duplicates: two records with one NHS number, or one name and birth date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from arrs_desktop.ui.common.rows_table_model import RowsTableModel

REASONS = {"nhs_number": "Same NHS number", "name_and_date_of_birth": "Same name and birth date"}


def _brief(person) -> str:
    born = ""
    if person.date_of_birth:
        born = f", born {date.fromisoformat(person.date_of_birth):%d %b %Y}"
    nhs = f", NHS {person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}" if (
        person.nhs_number and len(person.nhs_number) == 10) else ""
    return (f"{person.name}{born}{nhs}\n{person.episodes} episode(s), {person.sessions}"
            " session(s)")


class DuplicatesModel(RowsTableModel):
    """One row per pair of records that may be one person (a `DuplicateRow`)."""

    COLUMNS = (("first", "First record"), ("second", "Second record"), ("why", "Why listed"))

    def cell(self, obj, key: str, role: int):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if key == "first":
            return _brief(obj.first)
        if key == "second":
            return _brief(obj.second)
        if key == "why":
            return self.tr(REASONS.get(obj.reason, obj.reason))
        return None
