"""A person's safety alerts: those in force and ended, a new one recorded, one ended."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.standards import add_alert, end_alert
from arrs_desktop.reports.standards_records import alert_from_row
from arrs_desktop.standards.referral import ALERT_KINDS, COMMUNICATION_KINDS, SafetyAlert
from arrs_desktop.store import StoreWriteError, ValidationError
from arrs_desktop.ui.common.alert_marks import SIGN
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm, show_message
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog
from arrs_desktop.ui.common.widgets import heading, muted


class SafetyAlertsDialog(StoreFormDialog):
    """List a person's safety alerts, record a new one (Save) or end one that no longer
    applies (it stays on the record). Every member of staff sees those in force in the
    person header, the lists and the documents meant for staff."""

    def __init__(self, context, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyAlertsDialog")
        self._context = context
        self._store = context.store
        self._person_id = person_id
        person = self._store.people.get(person_id)
        self.setWindowTitle(self.tr("Safety alerts: {0}").format(person.name if person else ""))
        self.setMinimumWidth(560)

        self.listing = QListWidget(self)
        self.listing.setObjectName("alertsList")
        self.listing.setAccessibleName(self.tr("Safety alerts recorded"))
        self.listing.setMinimumHeight(90)
        self.listing.setWordWrap(True)
        self.listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.end_button = QPushButton(self.tr("&End the chosen alert (no longer applies)"), self)
        self.end_button.setObjectName("endAlertButton")
        self.end_button.clicked.connect(self.end_chosen)
        self.listing.currentItemChanged.connect(lambda *_: self._enable_end())
        self.empty = muted(self.tr("No safety alerts are recorded for this person."), self)
        self.list_error = muted("", self)
        self.list_error.setProperty("role", "error")
        self.list_error.hide()

        self.kind = QComboBox(self)
        for code, label in ALERT_KINDS.items():
            self.kind.addItem(self.tr(label), code)
        self.detail = QPlainTextEdit(self)
        self.detail.setTabChangesFocus(True)
        self.detail.setFixedHeight(70)
        self.detail.setPlaceholderText(self.tr(
            "What it is and what to do (for example: visit in pairs; which language)"))
        self.raised_on = DateLineEdit(self)
        self.raised_on.set_value(date.today())
        self.on_plan = QCheckBox(self.tr("The person agrees to have it on their own care plan"),
                                 self)
        self.on_plan.setObjectName("alertOnPlan")
        self.kind.currentIndexChanged.connect(self._kind_changed)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("kind", self.tr("Kind *"), self.kind)
        self.form.add_row("detail", self.tr("Detail"), self.detail)
        self.form.add_row("raised_on", self.tr("Recorded on *"), self.raised_on,
                          check=date_check(self.raised_on, required=True, not_future=True))
        self.form.add_row("show_on_plan", self.tr("Care plan"), self.on_plan)

        top = QWidget(self)
        lay = QVBoxLayout(top)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.empty)
        lay.addWidget(self.listing)
        lay.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.list_error)
        lay.addWidget(heading(self.tr("Record a new alert"), "subheading", self))
        self._finish_layout(form, "saveAlertButton", intro=top)
        self.save_button.setText(self.tr("&Record alert"))
        self.buttons.button(self.buttons.StandardButton.Cancel).setText(self.tr("Close"))
        self._kind_changed()
        self.refresh()

    def _kind_changed(self) -> None:
        communication = self.kind.currentData() in COMMUNICATION_KINDS
        self.on_plan.setEnabled(communication)
        if not communication:
            self.on_plan.setChecked(False)

    def refresh(self) -> None:
        """List the alerts as saved: those in force first, then the ended ones."""
        self.listing.clear()
        today = date.today()
        alerts = [alert_from_row(r) for r in self._store.alerts.for_person(self._person_id)]
        alerts.sort(key=lambda a: (not a.active_on(today), a.raised_on or date.min))
        for alert in alerts:
            when = f"{alert.raised_on:%d %b %Y}" if alert.raised_on else ""
            text = f"{SIGN} {alert.text} (recorded {when} by {alert.raised_by or '—'})"
            if alert.show_on_plan:
                text += self.tr("; on their plan")
            if not alert.active_on(today):
                text = self.tr("Ended {0}: {1}").format(f"{alert.ended_on:%d %b %Y}", text)
            item = QListWidgetItem(text, self.listing)
            item.setData(Qt.ItemDataRole.UserRole, alert.id if alert.active_on(today) else None)
        self.empty.setVisible(not alerts)
        self.listing.setVisible(bool(alerts))
        self._enable_end()

    def _enable_end(self) -> None:
        item = self.listing.currentItem()
        self.end_button.setEnabled(item is not None and bool(item.data(Qt.ItemDataRole.UserRole)))

    def end_chosen(self) -> bool:
        """End the alert chosen in the list from today; return whether it was ended."""
        item = self.listing.currentItem()
        alert_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not alert_id:
            return False
        try:
            self._context.run(end_alert, alert_id, date.today(), initiator=self)
        except (ValidationError, StoreWriteError) as exc:
            show_message(self.list_error, str(exc))
            return False
        show_message(self.list_error, None)
        self.refresh()
        return True

    def alert(self) -> SafetyAlert:
        """Return the alert as typed (not yet checked)."""
        raised = self.raised_on.value()
        return SafetyAlert(kind=self.kind.currentData(), detail=self.detail.toPlainText(),
                           raised_on=raised if isinstance(raised, date) else None,
                           show_on_plan=self.on_plan.isChecked())

    def write(self):
        """Record the new alert (the date checked first, with the rest)."""
        problem = self.form.fields["raised_on"][1].check()
        if problem:
            raise ValidationError("raised_on", problem)
        return self._context.run(add_alert, self._person_id, self.alert(), initiator=self)

    def save(self) -> None:
        """Record the alert; stay open showing it, with the form cleared for another."""
        ok, saved = self.form.run(self.write, self.general_error, None)
        if ok:
            self.saved = saved
            self.detail.clear()
            self.on_plan.setChecked(False)
            self.refresh()

    @classmethod
    def ask(cls, parent: QWidget | None, context, person_id: str) -> None:
        """Show the dialog until closed."""
        cls(context, person_id, parent).exec()
