"""The caseload list on the left: search, filters, the table and a New person button."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import EPISODE_STATUSES, ROLES, ROLES_BY_CODE
from arrs_desktop.ui.caseload.caseload_model import CaseloadModel
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.open_table_view import OpenTableView
from arrs_desktop.ui.common.widgets import heading, rows_table, select_row

# The widest text each column after the name shows (NHS number, role, status, follow-up).
COLUMN_SAMPLES = ("100", "999 999 9999", "Care coordinator", "No episode", "⚠ 30 Sep 2026")
# On a narrow caseload, the columns given up first (their values move to the name's tooltip).
DROP_ORDER = (1, 4, 2, 5, 3)  # age, status, NHS number, follow-up, lead role
NAME_PADDING = 14  # room either side of the text in a cell


class CaseloadPanel(QWidget):
    """Search and filter the caseload; pick a person.

    The list is read again when the change bus says who is on the caseload, or what a
    row shows, has changed; "My caseload" follows the settings.
    """

    person_selected = Signal(str)
    person_open_requested = Signal(str)
    new_person_requested = Signal()

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseloadPanel")
        self._context = context
        self._store = context.store
        self._reselecting = False  # putting the selection back after a reload
        self.model = CaseloadModel(self._store, self)

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
        self.status_filter.addItem(self.tr("Open (not closed)"), "open")
        self.status_filter.setItemData(1, self.tr("Referred, active or on hold"),
                                       Qt.ItemDataRole.ToolTipRole)
        for code, label in EPISODE_STATUSES.items():
            self.status_filter.addItem(label, code)
        self.status_filter.addItem(self.tr("Not allocated"), "none")

        self.worker_filter = QComboBox(self)
        self.worker_filter.setObjectName("caseloadWorkerFilter")
        self.worker_filter.setAccessibleName(self.tr("Filter by worker"))
        self.worker_filter.setMinimumContentsLength(10)
        self.worker_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.my_caseload = QCheckBox(self.tr("M&y caseload"), self)
        self.my_caseload.setObjectName("caseloadMine")
        self.my_caseload.setAccessibleName(self.tr(
            "Show only my caseload: people with an open episode of mine, whoever leads, and "
            "referrals to my role with no worker named yet"))
        self._user_name = ""
        self._user_role = ""
        self._pinned: tuple[str, ...] = ()  # just added: shown whatever the filters
        self._fill_workers()

        self.overdue_filter = QCheckBox(self.tr("Follow-up overdue"), self)
        self.overdue_filter.setObjectName("caseloadOverdueFilter")
        self.overdue_filter.setAccessibleName(self.tr("Show only people with an overdue follow-up"))

        self.new_button = QPushButton(self.tr("New person…"), self)
        self.new_button.setObjectName("newPersonButton")
        self.new_button.setProperty("primary", True)
        self.new_button.setAccessibleName(self.tr("Add a new person to the caseload"))
        self.new_button.setToolTip(self.tr("Add a new person (Ctrl+N)"))

        self.table = rows_table(self, "caseloadTable", self.tr("Caseload"), self.model,
                                view_class=OpenTableView)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setStretchLastSection(False)
        # The columns after the name are as wide as the widest text they can hold (or their
        # title); the name is as wide as the longest name loaded, and takes the spare room.
        # Measured from samples and the names of the loaded pages, not ResizeToContents,
        # which measures every cell again on each reload of a big list.
        metrics = self.table.fontMetrics()
        self._fixed_widths: dict[int, int] = {}
        for col, sample in enumerate(COLUMN_SAMPLES, start=1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self._fixed_widths[col] = max(header.sectionSizeFromContents(col).width() + 8,
                                          metrics.horizontalAdvance(sample) + NAME_PADDING)
            header.resizeSection(col, self._fixed_widths[col])
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self._name_width = header.sectionSizeFromContents(0).width() + 8
        self._measured_rows = 0
        self._viewport = self.table.viewport()
        self._viewport.installEventFilter(self)

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
        # The filters and ticks share rows as the width allows (wrapping when narrow).
        filters = FlowLayout(spacing=6)
        for widget in (self.role_filter, self.status_filter, self.worker_filter,
                       self.my_caseload, self.overdue_filter):
            filters.addWidget(widget)
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
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(self)  # Down goes to the results
        self.role_filter.currentIndexChanged.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.overdue_filter.toggled.connect(self._apply_filter)
        self.worker_filter.currentIndexChanged.connect(self._apply_filter)
        self.worker_filter.currentIndexChanged.connect(self._on_role_or_worker_chosen)
        self.role_filter.currentIndexChanged.connect(self._on_role_or_worker_chosen)
        self.my_caseload.toggled.connect(self._on_my_caseload_toggled)
        self.new_button.clicked.connect(self.new_person_requested)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.open_requested.connect(self._open_current)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.count_changed.connect(self._on_count_changed)
        self.model.modelReset.connect(self._measure_names)
        self.model.rowsInserted.connect(self._measure_names)
        self._on_count_changed(self.model.total)
        self._measure_names()
        self.set_user(context.settings.user_name, context.settings.role)
        context.bus.changed.connect(self._on_changed)

    # -- columns -------------------------------------------------------------------------
    def _measure_names(self, *_args) -> None:
        """Widen the name column for the longest name loaded (only new rows are measured)."""
        rows = self.model.rowCount()
        if rows < self._measured_rows:  # a new list: start again
            self._measured_rows = 0
        if self._measured_rows == 0:
            self._name_width = self.table.horizontalHeader().sectionSizeFromContents(
                0).width() + 8
        metrics = self.table.fontMetrics()
        for row in range(self._measured_rows, rows):
            person = self.model.row_object(row)
            if person is not None:
                self._name_width = max(self._name_width,
                                       metrics.horizontalAdvance(person.name) + NAME_PADDING)
        self._measured_rows = rows
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Show whole names: give up the least needed columns when there is no room, and
        give the name column whatever room is left over."""
        room = self.table.viewport().width()
        if room <= 0:
            return
        shown = dict(self._fixed_widths)
        for col in DROP_ORDER:
            if self._name_width + sum(shown.values()) <= room:
                break
            del shown[col]
        header = self.table.horizontalHeader()
        for col in self._fixed_widths:
            if self.table.isColumnHidden(col) == (col in shown):
                self.table.setColumnHidden(col, col not in shown)
        self.model.summary_columns = tuple(c for c in self._fixed_widths if c not in shown)
        name = max(self._name_width, room - sum(shown.values()))
        if header.sectionSize(0) != name:
            header.resizeSection(0, name)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self._apply_filter()
            self.focus_results()
            return True
        return super().eventFilter(watched, event)

    def _search_entered(self) -> None:
        self._apply_filter()
        self.focus_results()

    def focus_results(self) -> bool:
        """Move the cursor from the search box to the list, on the chosen (or first) row."""
        if self.model.rowCount() == 0:
            return False
        row = self.table.currentIndex().row()
        select_row(self.table, row if row >= 0 else 0)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def preferred_width(self) -> int:
        """Return the width that shows every column in full and the longest name loaded."""
        margins = self.layout().contentsMargins()
        return (self._name_width + sum(self._fixed_widths.values())
                + self.table.verticalScrollBar().sizeHint().width()
                + 2 * self.table.frameWidth() + margins.left() + margins.right())

    # -- slots ---------------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self._debounce.stop()
        mine = self.my_caseload.isChecked() and self.my_caseload.isEnabled()
        flt = replace(
            self.model.filter,
            text=self.search.text(),
            role=self.role_filter.currentData(),
            status=self.status_filter.currentData(),
            overdue_only=self.overdue_filter.isChecked(),
            worker=self.worker_filter.currentData(),
            mine_worker=self._user_name or None if mine else None,
            mine_role=self._user_role or None if mine else None,
            pinned=self._pinned if mine else (),
        )
        self.model.set_filter(flt)

    def _on_count_changed(self, total: int) -> None:
        filtered = self.model.filter != replace(
            self.model.filter, text="", role=None, status=None, overdue_only=False, worker=None,
            mine_worker=None, mine_role=None, pinned=())
        if total == 0 and not filtered:
            self.empty_label.setText(self.tr(
                "No one is on the caseload yet.\nChoose “New person…” (Ctrl+N) to add someone."))
        elif total == 0 and self.my_caseload.isChecked():
            self.empty_label.setText(self.tr(
                "No one is on your caseload ({0}) with these filters.\nUntick “My caseload” "
                "to see everyone.").format(self.my_caseload.toolTip().split(": ", 1)[-1]))
        elif total == 0:
            self.empty_label.setText(self.tr(
                "No one matches this search or filter.\nTry fewer letters, or clear the filters."))
        self.empty_label.setVisible(total == 0)
        self.table.setVisible(total > 0)
        self.count_label.setText(self.tr("%n people", "", total))
        self.count_label.setVisible(total > 0)

    def _on_current_changed(self, current, _previous) -> None:
        person_id = self.model.person_id(current.row())
        if person_id and not self._reselecting:
            self.person_selected.emit(person_id)

    def _on_changed(self, changes, _initiator) -> None:
        if changes.settings:
            settings = self._context.settings
            self.set_user(settings.user_name, settings.role)
        elif changes.people or changes.caseload:
            current = self.model.person_id(self.table.currentIndex().row())
            self.refresh(keep_person=current)
        elif changes.alerts:
            self.model.refresh_alerts()

    def _on_double_click(self, index) -> None:
        person_id = self.model.person_id(index.row())
        if person_id:
            self.person_open_requested.emit(person_id)

    def _open_current(self) -> None:
        person_id = self.model.person_id(self.table.currentIndex().row())
        if person_id:
            self.person_open_requested.emit(person_id)

    def _fill_workers(self) -> None:
        current = self.worker_filter.currentData()
        self.worker_filter.blockSignals(True)
        self.worker_filter.clear()
        self.worker_filter.addItem(self.tr("All workers"), None)
        names = set(self._store.caseload.workers())
        if self._user_name:
            names.add(self._user_name)
        for name in sorted(names, key=str.casefold):
            self.worker_filter.addItem(name, name)
        self.worker_filter.setCurrentIndex(max(0, self.worker_filter.findData(current)))
        self.worker_filter.blockSignals(False)

    def _on_my_caseload_toggled(self, on: bool) -> None:
        # My caseload is who I work with, whichever role leads: the lead role and worker
        # filters start from "all" again (they can still narrow it down).
        for combo in (self.role_filter, self.worker_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._apply_filter()

    def _on_role_or_worker_chosen(self) -> None:
        other = self.worker_filter.currentData() not in (None, self._user_name or None)
        if other and self.my_caseload.isChecked():  # someone else's people: not mine
            self.my_caseload.blockSignals(True)
            self.my_caseload.setChecked(False)
            self.my_caseload.blockSignals(False)
            self._apply_filter()

    # -- called by the window --------------------------------------------------------------
    def set_user(self, user_name: str, role: str) -> None:
        """Say who "My caseload" is; switch it on when both a name and a role are known."""
        self._user_name = (user_name or "").strip()
        self._user_role = role or ""
        self._fill_workers()
        usable = bool(self._user_name)
        self.my_caseload.setEnabled(usable)
        self.my_caseload.setToolTip(self.tr("Your role and name: {0}").format(
            ", ".join(p for p in (ROLES_BY_CODE[role].short_name if role in ROLES_BY_CODE
                                  else "", self._user_name) if p)) if usable else self.tr(
            "Give your name and role in Edit → Settings to use this"))
        self.my_caseload.setChecked(usable and bool(self._user_role))
        self._on_my_caseload_toggled(self.my_caseload.isChecked())

    def pin(self, person_id: str) -> None:
        """Keep a person in the list whatever "My caseload" says (someone just added)."""
        if person_id not in self._pinned:
            self._pinned = (*self._pinned, person_id)
            self._apply_filter()

    def refresh(self, keep_person: str | None = None) -> None:
        """Reload the list after a change, keeping the selected person selected (the
        person shown is not shown again: their panels follow the change bus)."""
        self.model.refresh()
        if keep_person:
            self._reselecting = True
            try:
                self.select_person(keep_person)
            finally:
                self._reselecting = False

    def select_person(self, person_id: str) -> bool:
        """Select a person's row if it is loaded; return True when found."""
        row = self.model.row_of(person_id)
        if row < 0:
            return False
        select_row(self.table, row)
        return True

    def select_first(self) -> str | None:
        """Select the first person in the list; return their id."""
        person_id = self.model.person_id(0)
        if person_id:
            self.select_person(person_id)
        return person_id
