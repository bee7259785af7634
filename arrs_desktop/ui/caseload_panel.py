"""The caseload list on the left: search, filters, the table and a New person button."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.catalogue import EPISODE_STATUSES, ROLES
from arrs_desktop.ui.caseload_model import CaseloadModel
from arrs_desktop.ui.widgets import heading

# The widest text each column after the name shows (NHS number, role, status, follow-up).
COLUMN_SAMPLES = ("999 999 9999", "Care coordinator", "No episode", "⚠ 30 Sep 2026")


class CaseloadTableView(QTableView):
    """The caseload table; Enter opens the selected person."""

    open_requested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class CaseloadPanel(QWidget):
    """Search and filter the caseload; pick a person."""

    person_selected = Signal(str)
    person_open_requested = Signal(str)
    new_person_requested = Signal()

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseloadPanel")
        self.model = CaseloadModel(store, self)

        self.search = QLineEdit(self)
        self.search.setObjectName("caseloadSearch")
        self.search.setPlaceholderText(self.tr("Search name or NHS number"))
        self.search.setAccessibleName(self.tr("Search the caseload by name or NHS number"))
        self.search.setClearButtonEnabled(True)

        self.role_filter = QComboBox(self)
        self.role_filter.setObjectName("caseloadRoleFilter")
        self.role_filter.setAccessibleName(self.tr("Filter by lead role"))
        self.role_filter.addItem(self.tr("All roles"), None)
        for role in ROLES:
            self.role_filter.addItem(role.short_name, role.code)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("caseloadStatusFilter")
        self.status_filter.setAccessibleName(self.tr("Filter by episode status"))
        self.status_filter.addItem(self.tr("Any status"), None)
        self.status_filter.addItem(self.tr("Open (referred, active, on hold)"), "open")
        for code, label in EPISODE_STATUSES.items():
            self.status_filter.addItem(label, code)
        self.status_filter.addItem(self.tr("Not allocated"), "none")

        self.overdue_filter = QCheckBox(self.tr("Follow-up overdue"), self)
        self.overdue_filter.setObjectName("caseloadOverdueFilter")
        self.overdue_filter.setAccessibleName(self.tr("Show only people with an overdue follow-up"))

        self.new_button = QPushButton(self.tr("New person…"), self)
        self.new_button.setObjectName("newPersonButton")
        self.new_button.setProperty("primary", True)
        self.new_button.setAccessibleName(self.tr("Add a new person to the caseload"))
        self.new_button.setToolTip(self.tr("Add a new person (Ctrl+N)"))

        self.table = CaseloadTableView(self)
        self.table.setObjectName("caseloadTable")
        self.table.setAccessibleName(self.tr("Caseload"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        # Widths from the widest text each column can hold, not ResizeToContents: measuring
        # every loaded row on each reload costs more than the query on a big caseload.
        metrics = self.table.fontMetrics()
        for col, sample in enumerate(COLUMN_SAMPLES, start=1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            label = self.model.headerData(col, Qt.Orientation.Horizontal)
            header.resizeSection(col, 28 + max(metrics.horizontalAdvance(label or ""),
                                               metrics.horizontalAdvance(sample)))
        self.table.setShowGrid(False)

        self.count_label = QLabel(self)
        self.count_label.setProperty("role", "muted")
        self.empty_label = QLabel(self)
        self.empty_label.setProperty("role", "empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Caseload")))
        top.addStretch(1)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.role_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.overdue_filter)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._apply_filter)
        self.role_filter.currentIndexChanged.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.overdue_filter.toggled.connect(self._apply_filter)
        self.new_button.clicked.connect(self.new_person_requested)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.open_requested.connect(self._open_current)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.count_changed.connect(self._on_count_changed)
        self._on_count_changed(self.model.total)

    # -- slots ---------------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self._debounce.stop()
        flt = replace(
            self.model.filter,
            text=self.search.text(),
            role=self.role_filter.currentData(),
            status=self.status_filter.currentData(),
            overdue_only=self.overdue_filter.isChecked(),
        )
        self.model.set_filter(flt)

    def _on_count_changed(self, total: int) -> None:
        filtered = self.model.filter != replace(
            self.model.filter, text="", role=None, status=None, overdue_only=False, worker=None)
        if total == 0 and not filtered:
            self.empty_label.setText(self.tr(
                "No one is on the caseload yet.\nChoose “New person…” (Ctrl+N) to add someone."))
        elif total == 0:
            self.empty_label.setText(self.tr(
                "No one matches this search or filter.\nTry fewer letters, or clear the filters."))
        self.empty_label.setVisible(total == 0)
        self.table.setVisible(total > 0)
        self.count_label.setText(self.tr("%n people", "", total))
        self.count_label.setVisible(total > 0)

    def _on_current_changed(self, current, _previous) -> None:
        person_id = self.model.person_id(current.row())
        if person_id:
            self.person_selected.emit(person_id)

    def _on_double_click(self, index) -> None:
        person_id = self.model.person_id(index.row())
        if person_id:
            self.person_open_requested.emit(person_id)

    def _open_current(self) -> None:
        person_id = self.model.person_id(self.table.currentIndex().row())
        if person_id:
            self.person_open_requested.emit(person_id)

    # -- called by the window --------------------------------------------------------------
    def refresh(self, keep_person: str | None = None) -> None:
        """Reload the list after a change, keeping the selected person selected."""
        self.model.refresh()
        if keep_person:
            self.select_person(keep_person)

    def select_person(self, person_id: str) -> bool:
        """Select a person's row if it is loaded; return True when found."""
        row = self.model.row_of(person_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def select_first(self) -> str | None:
        """Select the first person in the list; return their id."""
        person_id = self.model.person_id(0)
        if person_id:
            self.select_person(person_id)
        return person_id
