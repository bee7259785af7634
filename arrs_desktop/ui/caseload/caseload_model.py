"""The caseload table model: pages of people fetched from the store as the view scrolls."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import EPISODE_STATUSES, ROLES_BY_CODE
from arrs_desktop.domain.episodes import is_open
from arrs_desktop.domain.models import CaseloadFilter, CaseloadRow
from arrs_desktop.domain.validation import format_nhs_number
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.alert_marks import AlertMarks
from arrs_desktop.ui.common.paged_rows_table_model import PagedRowsTableModel

PAGE_SIZE = 200

COLUMNS = (
    ("name", "Name"),
    ("age", "Age"),
    ("nhs_number", "NHS number"),
    ("lead_role", "Lead role"),
    ("status", "Status"),
    ("next_follow_up", "Follow-up"),
)

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# The item roles `data` answers; Qt asks for many more per cell, which return None at once.
_ROLES_SHOWN = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole, PERSON_ID_ROLE,
    Qt.ItemDataRole.TextAlignmentRole,
})


class CaseloadModel(AlertMarks, PagedRowsTableModel):
    """People matching the current filter, loaded a page at a time by store queries."""

    COLUMNS = COLUMNS
    ID_ROLE = PERSON_ID_ROLE
    ROLES_SHOWN = _ROLES_SHOWN

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._filter = CaseloadFilter()
        self._today = date.today()
        # Columns the view has no room for: the name's tooltip says what they would show.
        self.summary_columns: tuple[int, ...] = ()
        self.refresh()

    # -- what is shown -----------------------------------------------------------------
    @property
    def filter(self) -> CaseloadFilter:
        """Return the filter in force."""
        return self._filter

    def set_filter(self, flt: CaseloadFilter) -> None:
        """Show the people matching a new filter."""
        if flt != self._filter:
            self._filter = flt
            self.refresh()

    def refresh(self) -> None:
        """Reload the first page (after a change to the data or the filter)."""
        self._today = date.today()
        self.forget_alerts()
        self.load_first_page()

    def count_rows(self) -> int:
        """Return how many people match the filter."""
        return self._store.caseload.count(replace(self._filter, today=self._today))

    def fetch_page(self, offset: int) -> list[CaseloadRow]:
        """Return the page of people starting at an offset."""
        page = self._store.caseload.page(replace(self._filter, today=self._today), offset,
                                         PAGE_SIZE)
        self.note_alerts(self._store, [r.id for r in page])
        return page

    def refresh_alerts(self) -> None:
        """Read again which of the people loaded have alerts, and redraw their names."""
        self.note_alerts(self._store, [r.id for r in self._rows])
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def person_id(self, row: int) -> str | None:
        """Return the id of the person on a row."""
        person = self.row_object(row)
        return person.id if person else None

    def cell(self, row: CaseloadRow, key: str, role: int):
        """Return what a person's cell shows for an item role."""
        if key == "name":
            marked = self.alert_cell(row.id, row.name, role)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.AccessibleTextRole and key != "age":
            text = self._display(row, key)
            if key == "next_follow_up" and self._overdue(row):
                text = self.tr("Overdue since {0}").format(f"{row.next_follow_up:%d %B %Y}")
            return text
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "lead_role" and row.lead_role:
                return QBrush(QColor(theme.role_colour(row.lead_role)))
            if key == "next_follow_up" and self._overdue(row):
                return QBrush(QColor(theme.RED))
        if role == Qt.ItemDataRole.ToolTipRole and key == "name" and self.summary_columns:
            parts = [f"{self.tr(COLUMNS[c][1])}: {self._display(row, COLUMNS[c][0]) or '–'}"
                     for c in self.summary_columns]
            return "\n".join([row.name, *parts])
        if role == Qt.ItemDataRole.ToolTipRole and key == "next_follow_up" and self._overdue(row):
            return self.tr("The follow-up date has passed")
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "age":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "age" and row.date_of_birth:
            return self.tr("Born {0}").format(f"{row.date_of_birth:%d %b %Y}")
        if role == Qt.ItemDataRole.AccessibleTextRole and key == "age":
            text = self._display(row, key)
            return self.tr("Age {0}").format(text) if text else self.tr("Age not recorded")
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            key, descending = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
            if key == "age":  # youngest first is the latest birth date first
                key, descending = "date_of_birth", not descending
            self.set_filter(replace(self._filter, sort_column=key, descending=descending))

    # -- helpers ---------------------------------------------------------------------------
    def _overdue(self, row: CaseloadRow) -> bool:
        return (row.next_follow_up is not None and row.next_follow_up < self._today
                and is_open(row.status))

    def _display(self, row: CaseloadRow, key: str) -> str:
        if key == "name":
            return row.name
        if key == "nhs_number":
            return format_nhs_number(row.nhs_number)
        if key == "age":
            if row.date_of_birth is None:
                return ""
            born, today = row.date_of_birth, self._today
            return str(today.year - born.year - ((today.month, today.day)
                                                 < (born.month, born.day)))
        if key == "lead_role":
            role = ROLES_BY_CODE.get(row.lead_role or "")
            return role.short_name if role else self.tr("Not allocated")
        if key == "status":
            return EPISODE_STATUSES.get(row.status or "", self.tr("No episode"))
        if key == "next_follow_up":
            if row.next_follow_up is None:
                return ""
            text = f"{row.next_follow_up:%d %b %Y}"
            return f"⚠ {text}" if self._overdue(row) else text
        return ""
