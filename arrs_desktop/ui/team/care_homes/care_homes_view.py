"""The care homes view: homes overdue first, one home's details, contact log and residents."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.open_table_view import OpenTableView
from arrs_desktop.ui.common.page_tabs import PageTabs
from arrs_desktop.ui.common.widgets import (
    empty_state,
    fit_columns,
    heading,
    keep_focus_in_tabs,
    muted,
    rows_table,
    select_row,
    show_focus,
)
from arrs_desktop.ui.team.care_homes.care_home_contact_form import CareHomeContactForm
from arrs_desktop.ui.team.care_homes.care_home_contacts_model import CareHomeContactsModel
from arrs_desktop.ui.team.care_homes.care_home_details import CareHomeDetails
from arrs_desktop.ui.team.care_homes.care_home_dialog import CareHomeDialog
from arrs_desktop.ui.team.care_homes.care_homes_model import (
    DUE_SOON_DAYS,
    PERSON_ID_ROLE,
    CareHomesModel,
)


class CareHomesView(QWidget):
    """Work through the care homes: overdue first, then log contacts and see residents."""

    person_open_requested = Signal(str)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careHomesView")
        self.setAccessibleName(self.tr("Care homes"))
        self._context = context
        self._store = store = context.store
        user_name = context.settings.user_name or ""
        self._home_id: str | None = None

        self.model = CareHomesModel(store, user_name, self)
        self.table = rows_table(self, "careHomesTable", self.tr(
            "Care homes, overdue first (Enter logs a contact)"), self.model, wrap=True,
            view_class=OpenTableView)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.setColumnHidden(2, True)  # the lead and residents show under the name
        self.table.setColumnHidden(3, True)

        self.add_button = QPushButton(self.tr("Add care home…"), self)
        self.add_button.setObjectName("addCareHomeButton")
        self.add_button.setAccessibleName(self.tr("Add a care home"))
        self.summary = muted("", self)
        self.summary.setObjectName("careHomesSummary")

        self.details = CareHomeDetails(self)
        self.contact_form = CareHomeContactForm(context, user_name, self)
        self.contacts_model = CareHomeContactsModel(store, self)
        # Every contact takes two lines, drawn plainly (no per-cell style, which drew the
        # current cell as a raised box): the date and kind; who was discussed and what was
        # agreed, shortened with "…" when long (all of it in the tooltip).
        self.contacts = rows_table(self, "careHomeContactsTable",
                                   self.tr("Contact log, newest first"), self.contacts_model,
                                   single=False)
        rows = self.contacts.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(2 * self.contacts.fontMetrics().lineSpacing() + 12)
        fit_columns(self.contacts, stretch=1, free_text=(1,), free_width=420)
        self.residents = QListWidget(self)
        show_focus(self.residents)
        self.residents.setObjectName("careHomeResidentsList")
        self.residents.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.residents.setAccessibleName(self.tr("Residents on the caseload (Enter opens)"))
        self.residents_hint = muted(self.tr(
            "Double-click a resident, or press Enter, to open their record."), self)

        self.tabs = PageTabs(self)
        self.tabs.setObjectName("careHomeTabs")
        self.tabs.setAccessibleName(self.tr("Care home sections"))
        self.tabs.setUsesScrollButtons(False)
        # The form scrolls on its own in a short window, under the home's details.
        self.tabs.add_scrolling(self.contact_form, self.tr("Log contact"))
        self.tabs.addTab(self.contacts, self.tr("Contact log"))
        residents_page = QWidget(self)
        res_layout = QVBoxLayout(residents_page)
        res_layout.setContentsMargins(6, 6, 6, 6)
        res_layout.addWidget(self.residents_hint)
        res_layout.addWidget(self.residents, 1)
        self.tabs.addTab(residents_page, self.tr("Residents"))

        detail_page = QWidget(self)
        detail_layout = QVBoxLayout(detail_page)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.details)
        detail_layout.addWidget(self.tabs, 1)
        self.empty = empty_state(self.tr(
            "Choose a care home on the left to log a contact and see its residents.\n\n"
            "No homes yet? Choose “Add care home…”."), self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(detail_page)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Care homes"), parent=self))
        top.addStretch(1)
        top.addWidget(self.add_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter = splitter
        splitter.setObjectName("careHomesSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 430])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.open_requested.connect(self._log_contact)  # Enter: log a contact
        self.table.doubleClicked.connect(self._log_contact)
        keep_focus_in_tabs(self.tabs)
        self.add_button.clicked.connect(self.add_home)
        self.details.edit_requested.connect(self.edit_home)
        self.contact_form.contact_logged.connect(self._on_contact_logged)
        self.residents.itemActivated.connect(self._on_resident_activated)
        self._user_name = user_name
        self._update_summary()
        context.bus.changed.connect(self._on_changed)

    # -- public --------------------------------------------------------------------------
    @property
    def home_id(self) -> str | None:
        """Return the id of the home shown, or None."""
        return self._home_id

    def set_user_name(self, user_name: str) -> None:
        """Switch user (after a settings change): their homes first, their name on contacts."""
        self._user_name = user_name
        self.contact_form.set_worker(user_name)
        self.model.set_user_name(user_name)
        self.refresh()

    def refresh(self) -> None:
        """Reload the homes, keeping the chosen one chosen."""
        keep = self._home_id
        self.model.refresh()
        self._update_summary()
        if keep and self.model.row_of(keep) >= 0:
            self.show_home(keep)
        else:
            self._show(None)

    def show_home(self, home_id: str) -> bool:
        """Select a home and show its details; return False when there is no such home."""
        row = self.model.row_of(home_id)
        if row < 0:
            self.model.refresh()
            row = self.model.row_of(home_id)
            if row < 0:
                return False
        select_row(self.table, row)
        self._show(home_id)
        return True

    def add_home(self) -> None:
        """Ask for a new care home's details and show it."""
        home, ok = CareHomeDialog.ask(self, self._context, default_lead=self._user_name)
        if ok and home:
            self.refresh()
            self.show_home(home.id)

    def edit_home(self) -> None:
        """Edit the chosen home's details."""
        home = self._store.care_homes.get(self._home_id) if self._home_id else None
        if home is None:
            return
        saved, ok = CareHomeDialog.ask(self, self._context, home)
        if ok and saved:
            self.refresh()

    # -- slots ---------------------------------------------------------------------------
    def focus_start(self) -> bool:
        """Where the keyboard starts: the homes, on the chosen (most overdue) one."""
        if self.model.rowCount() == 0:
            self.add_button.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if self.table.currentIndex().row() < 0:
            select_row(self.table, 0)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _log_contact(self, *_args) -> None:
        """Go to the chosen home's contact form, cursor in its date."""
        if self._home_id is None:
            return
        self.tabs.setCurrentWidget(self.contact_form)
        self.contact_form.focus_start()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # Narrower than the list and the home side by side, they go one above the other.
        least = super().minimumSizeHint()
        parts = [self.splitter.widget(i).minimumSizeHint() for i in range(2)]
        margins = self.layout().contentsMargins()
        least.setWidth(max(p.width() for p in parts) + margins.left() + margins.right())
        return least

    def resizeEvent(self, event) -> None:  # noqa: N802
        parts = [self.splitter.widget(i).minimumSizeHint().width() for i in range(2)]
        wide = event.size().width() >= sum(parts) + self.splitter.handleWidth() + 40
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            # One above the other, the list still shows a few homes; the page scrolls.
            self.table.setMinimumHeight(0 if wide else 150)
            self.splitter.setSizes([330, 430] if wide else [200, 400])
        super().resizeEvent(event)

    def _on_changed(self, changes, initiator) -> None:
        """Follow the user's name; while in view, read the homes again when they, their
        contacts or their residents changed elsewhere (when shown, they are read anyway)."""
        if changes.settings:
            self.set_user_name(self._context.settings.user_name or "")
        elif (initiator is not self and self.isVisible()
              and (changes.care_homes or changes.people or changes.alerts)):
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()
        if self._home_id is None and self.model.rowCount():
            self.show_home(self.model.home(0).id)  # the most overdue home

    def _on_current_changed(self, current, _previous) -> None:
        home = self.model.home(current.row())
        if home and home.id != self._home_id:
            self._show(home.id)

    def _on_contact_logged(self, contact) -> None:
        self.refresh()
        self.show_home(contact.care_home_id)

    def _on_resident_activated(self, item: QListWidgetItem) -> None:
        person_id = item.data(PERSON_ID_ROLE)
        if person_id:
            self.person_open_requested.emit(person_id)

    # -- helpers -------------------------------------------------------------------------
    def _show(self, home_id: str | None) -> None:
        home = self._store.care_homes.get(home_id) if home_id else None
        self._home_id = home.id if home else None
        if home is None:
            self.stack.setCurrentWidget(self.empty)
            self.contact_form.set_home(None)
            self.contacts_model.set_home(None)
            self.residents.clear()
            return
        row = self.model.row_of(home.id)
        self.details.show_home(home, self.model.home(row), self.model.today)
        self.contact_form.set_home(home.id)
        self.contacts_model.set_home(home.id)
        self.tabs.setTabText(1, self.tr("Contact log ({0})").format(
            self.contacts_model.rowCount()))
        self.residents.clear()
        people = self._store.care_homes.residents(home.id)
        for person_id, name in people:
            item = QListWidgetItem(name, self.residents)
            item.setData(PERSON_ID_ROLE, person_id)
        self.tabs.setTabText(2, self.tr("Residents ({0})").format(len(people)))
        self.stack.setCurrentIndex(1)

    def _update_summary(self) -> None:
        homes = [self.model.home(r) for r in range(self.model.rowCount())]
        overdue = sum(1 for h in homes if h.overdue)
        soon = sum(1 for h in homes if h.due_soon(self.model.today, DUE_SOON_DAYS))
        self.summary.setText(self.tr("{0} homes · {1} overdue · {2} due soon").format(
            len(homes), overdue, soon))
