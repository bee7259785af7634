"""The care homes view: homes overdue first, one home's details, contact log and residents."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import CARE_HOME_CONTACT_KINDS
from arrs_desktop.domain.models import CareHomeContact
from arrs_desktop.ui import theme
from arrs_desktop.ui.care_home_dialog import CareHomeDialog
from arrs_desktop.ui.care_homes_model import (
    DUE_SOON_DAYS,
    DUE_SOON_TEXT,
    CareHomeContactsModel,
    CareHomesModel,
    due_text,
    short_date,
)
from arrs_desktop.ui.forms import DateLineEdit, ErrorForm, date_check, parse_uk_date
from arrs_desktop.ui.widgets import (
    OpenTableView,
    PageTabs,
    details_grid,
    empty_state,
    fit_columns,
    heading,
    keep_focus_in_tabs,
    muted,
    rows_table,
    select_row,
    show_focus,
)

CONTACT_INTERVAL = timedelta(days=7)
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CareHomeContactForm(QWidget):
    """Log a contact with one care home: date, kind, residents discussed, actions, next due."""

    contact_logged = Signal(object)

    def __init__(self, store, worker: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careHomeContactForm")
        self._store = store
        self._worker = worker
        self._home_id: str | None = None
        self._next_due_edited = False

        self.date = DateLineEdit(self)
        self.date.setObjectName("contactDateField")
        self.kind = QComboBox(self)
        self.kind.setObjectName("contactKindField")
        for code, label in CARE_HOME_CONTACT_KINDS.items():
            self.kind.addItem(self.tr(label), code)
        self.residents = QListWidget(self)
        show_focus(self.residents)
        self.residents.setObjectName("contactResidentsField")
        self.residents.setStyleSheet("QListWidget::item { padding: 2px; }")
        self.residents.setMinimumHeight(64)
        self.residents.setMaximumHeight(110)
        self.no_residents = muted(self.tr("No residents of this home are on the caseload."), self)
        self.actions = QPlainTextEdit(self)
        self.actions.setObjectName("contactActionsField")
        self.actions.setPlaceholderText(self.tr("What was agreed, and who will do it"))
        self.actions.setTabChangesFocus(True)
        self.actions.setFixedHeight(52)
        self.next_due = DateLineEdit(self)
        self.next_due.setObjectName("contactNextDueField")
        self.next_due.setToolTip(self.tr("A week after the contact unless you change it"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        self.form = ErrorForm(form)
        self.form.add_row("date", self.tr("Date *"), self.date,
                          check=date_check(self.date, required=True, not_future=True))
        self.form.add_row("kind", self.tr("Kind"), self.kind)
        residents_box = QWidget(self)
        box = QVBoxLayout(residents_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.residents)
        box.addWidget(self.no_residents)
        self.form.add_row("residents", self.tr("Residents discussed"), residents_box)
        self.residents.setAccessibleName(self.tr("Residents discussed (tick each one)"))
        self.form.fields["residents"] = (self.residents, self.form.fields["residents"][1])
        self.form.add_row("actions", self.tr("Actions"), self.actions)
        self.form.add_row("next_due", self.tr("Next contact due"), self.next_due,
                          check=date_check(self.next_due))

        self.save_button = QPushButton(self.tr("Save contact"), self)
        self.save_button.setObjectName("saveContactButton")
        self.save_button.setProperty("primary", True)
        self.save_button.setAccessibleName(self.tr("Save this care-home contact"))
        self.save_button.setToolTip(self.tr("Save the contact (Ctrl+Enter)"))
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("contactSavedLabel")
        self.saved_label.setWordWrap(True)
        self.saved_label.setStyleSheet(f"color: {theme.DARK_GREEN}; font-weight: 600;")
        self.general_error = QLabel(self)
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.date.textChanged.connect(self._on_date_changed)
        self.next_due.textEdited.connect(self._on_next_due_edited)
        self.save_button.clicked.connect(self.save)
        for field in (self.date, self.kind, self.residents, self.actions, self.next_due,
                      self.save_button):
            field.installEventFilter(self)  # Ctrl+Enter saves from any field
        self.reset()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def focus_start(self) -> bool:
        """Put the cursor in the contact's date, ready to log it."""
        if self._home_id is None:
            return False
        self.date.setFocus(Qt.FocusReason.TabFocusReason)
        self.date.selectAll()
        return True

    def showEvent(self, event) -> None:  # noqa: N802
        # The fields joined this widget after the button was made, which puts them after it
        # in the window's Tab chain: once the form is in the window, put the button last.
        super().showEvent(event)
        QWidget.setTabOrder(self.next_due, self.save_button)

    # -- filling -------------------------------------------------------------------------
    def set_worker(self, worker: str) -> None:
        """Record contacts as made by this worker."""
        self._worker = worker

    def set_home(self, home_id: str | None) -> None:
        """Show the form for a home: its residents are the only ones that can be ticked."""
        if home_id != self._home_id:
            self._home_id = home_id
            self.reset()
            self.saved_label.clear()
        self._fill_residents()

    def reset(self) -> None:
        """Empty the form for the next contact: today, a week on, no residents ticked."""
        self.form.clear_errors()
        self.general_error.hide()
        self._next_due_edited = False
        self.date.set_value(date.today())
        self.kind.setCurrentIndex(0)
        self.actions.clear()
        self._fill_residents(keep_ticks=False)

    def _fill_residents(self, keep_ticks: bool = True) -> None:
        ticked = set(self.ticked_residents()) if keep_ticks else set()
        self.residents.clear()
        people = self._store.care_homes.residents(self._home_id) if self._home_id else []
        for person_id, name in people:
            item = QListWidgetItem(name, self.residents)
            item.setData(PERSON_ID_ROLE, person_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person_id in ticked
                               else Qt.CheckState.Unchecked)
        self.residents.setVisible(bool(people))
        self.no_residents.setVisible(not people)

    def ticked_residents(self) -> list[str]:
        """Return the ids of the residents ticked as discussed."""
        return [self.residents.item(i).data(PERSON_ID_ROLE)
                for i in range(self.residents.count())
                if self.residents.item(i).checkState() == Qt.CheckState.Checked]

    # -- slots ---------------------------------------------------------------------------
    def _on_date_changed(self, text: str) -> None:
        if self._next_due_edited:
            return
        day = parse_uk_date(text)
        if isinstance(day, date):
            self.next_due.set_value(day + CONTACT_INTERVAL)

    def _on_next_due_edited(self, _text: str) -> None:
        self._next_due_edited = True

    def contact(self) -> CareHomeContact:
        """Return the contact as typed (not yet checked)."""
        return CareHomeContact(
            care_home_id=self._home_id or "", date=self.date.value(),
            kind=self.kind.currentData(), actions=self.actions.toPlainText(),
            next_due=self.next_due.value(), worker=self._worker,
            residents=tuple(self.ticked_residents()),
        )

    def _write(self) -> CareHomeContact:
        return self._store.care_homes.log_contact(self.contact())

    def save(self) -> None:
        """Save the contact; on a refusal show why by the field and keep what was typed."""
        self.general_error.hide()
        self.saved_label.clear()
        if not self._home_id:
            return
        ok, saved = self.form.run(self._write, self.general_error)
        if not ok:
            return
        self.reset()
        self.saved_label.setText(self.tr("Contact on {0} saved.").format(
            f"{saved.date:%d %b %Y}"))
        self.contact_logged.emit(saved)


class CareHomeDetails(QFrame):
    """The chosen home's address, phone, practice, clinical lead, lead and next contact."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careHomeDetails")
        self.setProperty("role", "card")
        self.name = heading("", "subheading", self)
        self.name.setObjectName("careHomeName")
        self.edit_button = QPushButton(self.tr("Edit details…"), self)
        self.edit_button.setObjectName("editCareHomeButton")
        self.edit_button.setAccessibleName(self.tr("Edit this care home's details"))
        self.edit_button.clicked.connect(self.edit_requested)
        self.next_due = QLabel(self)
        self.next_due.setObjectName("careHomeNextDue")
        self.next_due.setWordWrap(True)
        fields = (("address", self.tr("Address")), ("phone", self.tr("Phone")),
                  ("practice", self.tr("Practice")), ("clinical_lead", self.tr("Clinical lead")),
                  ("lead_worker", self.tr("Lead worker")))
        grid, self.values = details_grid(self, fields, "careHome_")
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.next_due)
        layout.addLayout(grid)

    def show_home(self, home, overview, today: date) -> None:
        """Fill the card for a home and its place in the overview."""
        self.name.setText(home.name)
        self.name.setAccessibleName(home.name)
        values = {"address": home.address.replace("\n", ", "), "phone": home.phone,
                  "practice": home.practice, "clinical_lead": home.clinical_lead,
                  "lead_worker": home.lead_worker}
        for key, value in values.items():
            self.values[key].setText(value or "—")
            self.values[key].setAccessibleName(value or self.tr("not recorded"))
        if overview is None:
            self.next_due.clear()
            return
        words = due_text(overview, today)
        if overview.last_contact:
            words += self.tr(" · last contact {0}").format(
                short_date(overview.last_contact, today))
        if overview.overdue:
            colour, mark = theme.RED, "⚠ "
        elif overview.due_soon(today, DUE_SOON_DAYS):
            colour, mark = DUE_SOON_TEXT, "● "
        else:
            colour, mark = theme.DARK_GREEN, "✓ "
        self.next_due.setText(mark + words)
        self.next_due.setAccessibleName(self.next_due.text())
        self.next_due.setStyleSheet(f"color: {colour}; font-weight: 600;")


class CareHomesView(QWidget):
    """Work through the care homes: overdue first, then log contacts and see residents."""

    person_open_requested = Signal(str)
    care_home_changed = Signal(str)

    def __init__(self, store, settings=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careHomesView")
        self.setAccessibleName(self.tr("Care homes"))
        self._store = store
        user_name = getattr(settings, "user_name", "") or ""
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
        self.contact_form = CareHomeContactForm(store, user_name, self)
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
        home, ok = CareHomeDialog.ask(self, self._store, default_lead=self._user_name)
        if ok and home:
            self.refresh()
            self.show_home(home.id)
            self.care_home_changed.emit(home.id)

    def edit_home(self) -> None:
        """Edit the chosen home's details."""
        home = self._store.care_homes.get(self._home_id) if self._home_id else None
        if home is None:
            return
        saved, ok = CareHomeDialog.ask(self, self._store, home)
        if ok and saved:
            self.refresh()
            self.care_home_changed.emit(saved.id)

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
        self.care_home_changed.emit(contact.care_home_id)

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

