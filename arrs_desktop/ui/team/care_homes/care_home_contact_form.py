"""Log a contact with one care home: date, kind, residents discussed, actions, next due."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.care_homes import log_care_home_contact
from arrs_desktop.domain.catalogue import CARE_HOME_CONTACT_KINDS
from arrs_desktop.domain.models import CareHomeContact
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.alert_marks import alert_words, marked_name
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check, parse_uk_date
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.widgets import (
    muted,
    show_focus,
)
from arrs_desktop.ui.team.care_homes.care_homes_model import PERSON_ID_ROLE

CONTACT_INTERVAL = timedelta(days=7)


class CareHomeContactForm(QWidget):
    """Log a contact with one care home: date, kind, residents discussed, actions, next due."""

    contact_logged = Signal(object)

    def __init__(self, context, worker: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careHomeContactForm")
        self._context = context
        self._store = context.store
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
        alerts = self._store.alerts.kinds_in_force([p for p, _ in people], date.today())
        for person_id, name in people:
            item = QListWidgetItem(marked_name(name, alerts.get(person_id, [])),
                                   self.residents)
            if alerts.get(person_id):
                words = alert_words(alerts[person_id])
                item.setToolTip(self.tr("Safety alerts: {0}").format(words))
                item.setData(Qt.ItemDataRole.AccessibleTextRole,
                             self.tr("{0}, safety alerts: {1}").format(name, words))
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
        return self._context.run(log_care_home_contact, self.contact(),
                                 initiator=self.parentWidget() or self)

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
