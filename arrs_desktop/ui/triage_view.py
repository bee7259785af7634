"""Triage: people with needs and no open episode, strongest role match first, to allocate."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.catalogue import NEEDS_BY_ID, ROLES, ROLES_BY_CODE
from arrs_desktop.matching import match_roles
from arrs_desktop.store.triage import TriageRow
from arrs_desktop.ui import theme
from arrs_desktop.ui.allocate_dialog import AllocateDialog
from arrs_desktop.ui.needs_match_panel import rules_from
from arrs_desktop.ui.table_model import ALIGN_RIGHT, PagedRowsTableModel
from arrs_desktop.ui.widgets import empty_state, heading, muted, rows_table
from arrs_desktop.validation import format_nhs_number

PAGE_SIZE = 200
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = (
    ("name", "Name"),
    ("nhs_number", "NHS number"),
    ("lead_role", "Suggested role"),
    ("score", "Score"),
    ("needs", "Needs"),
    ("supporting", "Also consider"),
)


class TriageModel(PagedRowsTableModel):
    """People waiting for allocation, a page at a time, in the store's ranking."""

    COLUMNS = COLUMNS
    ID_ROLE = PERSON_ID_ROLE

    def __init__(self, store, rules, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rules = rules
        self._role: str | None = None
        self.refresh()

    @property
    def role(self) -> str | None:
        """Return the suggested role filtered on, or None for all."""
        return self._role

    def set_role(self, role: str | None) -> None:
        """Show only people whose suggested lead is a role (None: everyone)."""
        if role != self._role:
            self._role = role
            self.refresh()

    def refresh(self) -> None:
        """Reload the first page."""
        self.load_first_page()

    def count_rows(self) -> int:
        """Return how many people are waiting."""
        return self._store.people_needing_allocation_count(self._rules, self._role)

    def fetch_page(self, offset: int) -> list[TriageRow]:
        """Return the page of people waiting, starting at an offset."""
        return self._store.people_needing_allocation(
            offset, PAGE_SIZE, rules=self._rules, role=self._role)

    def row_data(self, row: int) -> TriageRow | None:
        """Return the person on a row."""
        return self.row_object(row)

    def cell(self, row: TriageRow, key: str, role: int):
        """Return what a person's cell shows for an item role."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if key == "needs":
                return ", ".join(NEEDS_BY_ID[n].label for n in row.needs)
            return self._display(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "lead_role":
            return QBrush(QColor(theme.role_colour(row.lead_role)))
        if role == Qt.ItemDataRole.ToolTipRole and key in ("needs", "supporting"):
            if key == "supporting":
                return self._display(row, key) or None
            return "\n".join(NEEDS_BY_ID[n].label for n in row.needs)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("score", "needs"):
            return ALIGN_RIGHT
        return None

    def _display(self, row: TriageRow, key: str) -> str:
        if key == "name":
            return row.name
        if key == "nhs_number":
            return format_nhs_number(row.nhs_number)
        if key == "lead_role":
            return ROLES_BY_CODE[row.lead_role].short_name
        if key == "score":
            return f"{row.lead_score:g}"
        if key == "needs":
            return str(len(row.needs))
        if key == "supporting":
            return ", ".join(ROLES_BY_CODE[c].short_name for c in row.supporting)
        return ""


class TriageView(QWidget):
    """List people to allocate; allocate the selected one to the suggested role."""

    person_open_requested = Signal(str)
    person_changed = Signal(str)

    def __init__(self, store, rules_load, settings=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triageView")
        self.setAccessibleName(self.tr("Triage"))
        self._store = store
        self._rules = rules_from(rules_load)
        self._settings = settings
        self.model = TriageModel(store, self._rules, self)

        self.role_filter = QComboBox(self)
        self.role_filter.setObjectName("triageRoleFilter")
        self.role_filter.setAccessibleName(self.tr("Filter by suggested role"))
        self.role_filter.addItem(self.tr("All suggested roles"), None)
        for r in ROLES:
            self.role_filter.addItem(self.tr("Suggested: {0}").format(r.short_name), r.code)
        self.table = rows_table(self, "triageTable", self.tr("People waiting for allocation"),
                                self.model)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)

        self.allocate_button = QPushButton(self.tr("Allocate…"), self)
        self.allocate_button.setObjectName("triageAllocateButton")
        self.allocate_button.setProperty("primary", True)
        self.open_button = QPushButton(self.tr("Open person"), self)
        self.open_button.setObjectName("triageOpenButton")
        self.open_button.setAccessibleName(self.tr("Open the selected person"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("triageCount")
        self.count_label.setProperty("role", "muted")
        self.empty = empty_state("", self)
        self.empty.setObjectName("triageEmpty")

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Triage"), parent=self))
        top.addStretch(1)
        top.addWidget(self.role_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.allocate_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addLayout(top)
        lay.addWidget(muted(self.tr(
            "People with needs recorded but no open episode, strongest role match first. "
            "Select someone, then allocate them to the suggested role (or double-click)."),
            self))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty, 1)
        lay.addLayout(actions)

        self.role_filter.currentIndexChanged.connect(self._on_filter)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.allocate_selected)
        self.allocate_button.clicked.connect(self.allocate_selected)
        self.open_button.clicked.connect(self._open_selected)
        self.model.count_changed.connect(self._on_count)
        self.model.modelReset.connect(self._update_buttons)
        self._on_count(self.model.total)
        self._update_buttons()

    # -- what is shown -------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list (keeping the selected person selected if still there)."""
        current = self.selected()
        self.model.refresh()
        if not (current is not None and self.select_person(current.id)) and self.model.total:
            self.table.selectRow(0)
            self.table.setCurrentIndex(self.model.index(0, 0))

    def selected(self) -> TriageRow | None:
        """Return the selected person's row."""
        index = self.table.currentIndex()
        return self.model.row_data(index.row()) if index.isValid() else None

    def select_person(self, person_id: str) -> bool:
        """Select a person's row if loaded."""
        row = self.model.row_of(person_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def showEvent(self, event) -> None:  # noqa: N802
        self.refresh()  # needs and episodes may have changed elsewhere
        super().showEvent(event)

    def _on_filter(self) -> None:
        self.model.set_role(self.role_filter.currentData())

    def _on_count(self, total: int) -> None:
        self.count_label.setText(self.tr("%n people waiting", "", total))
        if total == 0:
            self.empty.setText(self.tr(
                "No one is waiting: everyone with needs recorded has an open episode."
                if self.model.role is None else
                "No one waiting has this suggested role. Choose “All suggested roles”."))
        self.empty.setVisible(total == 0)
        self.table.setVisible(total > 0)

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        self.allocate_button.setEnabled(row is not None)
        self.open_button.setEnabled(row is not None)
        if row is None:
            self.allocate_button.setText(self.tr("Allocate…"))
            self.allocate_button.setAccessibleName(self.tr("Allocate the selected person"))
        else:
            name = ROLES_BY_CODE[row.lead_role].short_name.lower()
            self.allocate_button.setText(self.tr("Allocate to {0}…").format(name))
            self.allocate_button.setAccessibleName(
                self.tr("Allocate {0} to {1}").format(row.name, name))

    # -- actions ---------------------------------------------------------------------------
    def allocate_selected(self, *_args) -> None:
        """Open the allocation dialog for the selected person, set to the suggested role."""
        row = self.selected()
        if row is None:
            return
        result = match_roles(self._store.current_needs(row.id), self._rules)
        worker = getattr(self._settings, "user_name", "") or ""
        episode, ok = AllocateDialog.ask(self, self._store, row.id,
                                         result.lead or row.lead_role, result, worker)
        if ok and episode is not None:
            self.refresh()
            self.person_changed.emit(row.id)

    def _open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.person_open_requested.emit(row.id)
