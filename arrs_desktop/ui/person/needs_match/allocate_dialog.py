"""Allocate a person to a role: take the referral to the standard's model (PRSB "Referral to
social prescribing services": referrer, reason, urgency, what matters, consent, safety
alerts) and open an episode."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from arrs_desktop.app.operations.episodes import (
    CONSENT_NEEDED,
    Allocation,
    suggested_match,
)
from arrs_desktop.app.operations.standards import refer
from arrs_desktop.domain.catalogue import NEEDS_BY_ID, REFERRAL_SOURCES, ROLES
from arrs_desktop.domain.models import Episode
from arrs_desktop.standards.referral import (
    ALERT_KINDS,
    COMMUNICATION_KINDS,
    URGENCIES,
    Referral,
    Referrer,
    SafetyAlert,
    referral_problems,
)
from arrs_desktop.store import ValidationError
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog
from arrs_desktop.ui.common.widgets import heading, muted

ALERT_SLOTS = 2  # new safety alerts that can be recorded with the referral
# The referral model's field names -> this form's (which keep the episode's names).
FORM_KEYS = {"received_on": "referral_date", "source": "referral_source",
             "reason": "referral_reason", "consent_to_share": "share_with_gp"}


class AllocateDialog(StoreFormDialog):
    """Take the referral in (role, worker, date, source, referrer, reason, urgency, what
    matters, consent, the person's new safety alerts), then open the episode."""

    def __init__(self, context, person_id: str, role: str, default_worker: str = "",
                 parent: QWidget | None = None, worker_role: str | None = None) -> None:
        super().__init__(parent)
        # The user's own name is offered as the worker only for the role they work in.
        self._default_worker = default_worker
        self._worker_role = worker_role
        self._worker_typed = False
        self.setObjectName("allocateDialog")
        self._context = context
        self._store = store = context.store
        self._person_id = person_id
        # The suggestion is the one the needs stored now make (the allocation records it).
        self._match = match_result = suggested_match(store, context.rules, person_id)
        self.saved: Episode | None = None
        person = store.people.get(person_id)
        self.setWindowTitle(self.tr("Allocate {0}").format(person.name if person else ""))
        self.setMinimumWidth(500)

        self.role = QComboBox(self)
        for r in ROLES:
            label = r.name
            if r.code == match_result.lead:
                label = self.tr("{0} (suggested lead)").format(r.name)
            self.role.addItem(label, r.code)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.worker = QLineEdit(self)
        self.worker.setPlaceholderText(self.tr("Who will see them (blank: not named yet)"))
        self.worker.textEdited.connect(self._on_worker_typed)
        self.referral_date = DateLineEdit(self)
        self.referral_date.set_value(date.today())
        self.source = QComboBox(self)
        for code, label in REFERRAL_SOURCES.items():
            self.source.addItem(self.tr(label), code)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        needs = [NEEDS_BY_ID[n].label for n in match_result.needs if n in NEEDS_BY_ID]
        if needs:
            self.reason.setPlainText(self.tr("Needs: {0}").format(", ".join(needs)))
        # Consent is asked, never assumed: nothing is chosen until the worker says.
        self.share = QWidget(self)
        self.share.setObjectName("shareWithGpChoice")
        self.share_yes = QRadioButton(self.tr("&Yes, they agree"), self.share)
        self.share_yes.setObjectName("shareWithGpYes")
        self.share_no = QRadioButton(self.tr("N&o"), self.share)
        self.share_no.setObjectName("shareWithGpNo")
        self.share_unasked = QRadioButton(self.tr("Not as&ked yet"), self.share)
        self.share_unasked.setObjectName("shareWithGpNotAsked")
        self.share_unasked.setToolTip(self.tr(
            "Saved as not shared; ask at the first contact and tick Share with GP then"))
        self.share_group = QButtonGroup(self)
        choices = FlowLayout(self.share, spacing=12)
        for button in (self.share_yes, self.share_no, self.share_unasked):
            self.share_group.addButton(button)
            choices.addWidget(button)
            button.setAccessibleDescription(self.tr(
                "Does the person agree to share this episode with their GP?"))

        self.referrer_name = QLineEdit(self)
        self.referrer_role = QLineEdit(self)
        self.referrer_role.setPlaceholderText(self.tr("GP, practice nurse, housing officer…"))
        self.referrer_organisation = QLineEdit(self)
        self.referrer_phone = QLineEdit(self)
        self.referrer_email = QLineEdit(self)
        self.urgency = QComboBox(self)
        for code, label in URGENCIES.items():
            self.urgency.addItem(self.tr(label), code)
        self.what_matters = QPlainTextEdit(self)
        self.what_matters.setTabChangesFocus(True)
        self.what_matters.setFixedHeight(56)
        self.what_matters.setPlaceholderText(self.tr(
            "In the person's own words, if the referrer wrote them down"))
        self.alert_kinds: list[QComboBox] = []
        self.alert_details: list[QLineEdit] = []
        self.alert_on_plan: list[QCheckBox] = []
        for n in range(1, ALERT_SLOTS + 1):
            kind = QComboBox(self)
            kind.setObjectName(f"alertKind{n}")
            kind.addItem(self.tr("No alert"), "")
            for code, label in ALERT_KINDS.items():
                kind.addItem(self.tr(label), code)
            detail = QLineEdit(self)
            detail.setObjectName(f"alertDetail{n}")
            detail.setPlaceholderText(self.tr("What it is and what to do"))
            on_plan = QCheckBox(self.tr("May go on their own care plan"), self)
            on_plan.setObjectName(f"alertOnPlan{n}")
            kind.currentIndexChanged.connect(
                lambda _i, k=kind, d=detail, c=on_plan: self._alert_kind_changed(k, d, c))
            self._alert_kind_changed(kind, detail, on_plan)
            self.alert_kinds.append(kind)
            self.alert_details.append(detail)
            self.alert_on_plan.append(on_plan)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("role", self.tr("Role *"), self.role)
        self.form.add_row("worker", self.tr("Worker"), self.worker)
        self.form.add_row("referral_date", self.tr("Referral date *"), self.referral_date,
                          check=date_check(self.referral_date, required=True, not_future=True))
        self.form.add_row("referral_source", self.tr("Referred by *"), self.source)
        form.addRow(heading(self.tr("Who referred (for the message back)"), "subheading", self))
        self.form.add_row("referrer.name", self.tr("Referrer's name *"), self.referrer_name)
        self.form.add_row("referrer.role", self.tr("Their role *"), self.referrer_role)
        self.form.add_row("referrer.organisation", self.tr("Organisation *"),
                          self.referrer_organisation)
        self.form.add_row("referrer.phone", self.tr("Phone"), self.referrer_phone)
        self.form.add_row("referrer.email", self.tr("Email"), self.referrer_email)
        form.addRow(heading(self.tr("The referral"), "subheading", self))
        self.form.add_row("referral_reason", self.tr("Reason *"), self.reason)
        self.form.add_row("urgency", self.tr("Urgency *"), self.urgency)
        self.form.add_row("what_matters", self.tr("What matters"), self.what_matters)
        self.form.add_row("share_with_gp", self.tr("Share with GP? *"), self.share)
        form.addRow(heading(self.tr("Safety alerts for staff (new ones)"), "subheading", self))
        for n in range(ALERT_SLOTS):
            self.form.add_row(f"alerts[{n + 1}].kind", self.tr("Alert {0}").format(n + 1),
                              self.alert_kinds[n])
            self.form.add_row(f"alerts[{n + 1}].detail", self.tr("Detail"),
                              self.alert_details[n])
            self.form.add_row(f"alerts[{n + 1}].show_on_plan", "", self.alert_on_plan[n])
        self.share.setAccessibleName(self.tr("Share with GP"))
        share_error = self.form.fields["share_with_gp"][1]
        self.share_group.buttonToggled.connect(lambda *_: share_error.show_error(None))

        self.suggestion_note = muted("", self)
        self.suggestion_note.setObjectName("suggestionNote")
        self._finish_layout(form, "saveAllocationButton", intro=self.suggestion_note)
        self.save_button.setText(self.tr("Allocate"))
        self.save_button.setAccessibleName(self.tr("Save the allocation"))
        self.role.currentIndexChanged.connect(self._describe_choice)
        self.role.currentIndexChanged.connect(self._offer_worker)
        self.source.currentIndexChanged.connect(self._source_changed)
        self._describe_choice()
        self._offer_worker()
        self._source_changed()
        self.save_button.style().unpolish(self.save_button)
        self.save_button.style().polish(self.save_button)
        self.save_button.setFocus()

    def _alert_kind_changed(self, kind: QComboBox, detail: QLineEdit, on_plan: QCheckBox) -> None:
        chosen = kind.currentData()
        detail.setEnabled(bool(chosen))
        on_plan.setEnabled(chosen in COMMUNICATION_KINDS)
        if chosen not in COMMUNICATION_KINDS:
            on_plan.setChecked(False)

    def _source_changed(self) -> None:
        """A self-referral has no referrer to name or write back to."""
        referred_by_someone = self.source.currentData() != "self"
        for field in (self.referrer_name, self.referrer_role, self.referrer_organisation,
                      self.referrer_phone, self.referrer_email):
            field.setEnabled(referred_by_someone)

    def _on_worker_typed(self, _text: str) -> None:
        self._worker_typed = True

    def _offer_worker(self) -> None:
        """Fill in the user's name when the role chosen is theirs (unless a name was typed)."""
        if self._worker_typed:
            return
        # A user in several roles (no one role in their settings) may take any of them.
        own = not self._worker_role or self.role.currentData() == self._worker_role
        self.worker.setText(self._default_worker if own else "")

    def consent(self) -> bool | None:
        """Return whether the person agrees to share with the GP (None: not answered)."""
        if self.share_yes.isChecked():
            return True
        if self.share_no.isChecked() or self.share_unasked.isChecked():
            return False
        return None

    def _describe_choice(self) -> None:
        lead = self._match.lead
        if lead is None:
            text = self.tr("No needs are recorded yet, so there is no suggested role.")
        else:
            lead_name = next(r.name for r in ROLES if r.code == lead)
            text = self.tr("{0} Score {1}.").format(
                self._match.message, f"{self._match.for_role(lead).score:g}")
            if self.role.currentData() != lead:
                text += " " + self.tr(
                    "You have chosen a different role from the suggested lead ({0}); "
                    "that is recorded with the episode.").format(lead_name)
        self.suggestion_note.setText(text)

    def allocation(self) -> Allocation:
        """Return the allocation as filled in (not yet checked)."""
        return Allocation(
            person_id=self._person_id,
            role=self.role.currentData(),
            worker=self.worker.text(),
            referral_date=self.referral_date.value(),
            referral_source=self.source.currentData(),
            referral_reason=self.reason.toPlainText(),
            share_with_gp=self.consent(),
        )

    def referral(self) -> Referral:
        """Return the referral as filled in, to the standard's model (not yet checked)."""
        received = self.referral_date.value()
        alerts = tuple(
            SafetyAlert(kind=kind.currentData(), detail=detail.text(),
                        show_on_plan=on_plan.isChecked())
            for kind, detail, on_plan in zip(self.alert_kinds, self.alert_details,
                                             self.alert_on_plan, strict=True)
            if kind.currentData())
        by_someone = self.source.currentData() != "self"
        referrer = Referrer(
            name=self.referrer_name.text(), role=self.referrer_role.text(),
            organisation=self.referrer_organisation.text(), phone=self.referrer_phone.text(),
            email=self.referrer_email.text()) if by_someone else Referrer()
        return Referral(role=self.role.currentData(),
                        received_on=received,  # type: ignore[arg-type]  # checked
                        source=self.source.currentData(), reason=self.reason.toPlainText(),
                        referrer=referrer, urgency=self.urgency.currentData(),
                        what_matters=self.what_matters.toPlainText(),
                        consent_to_share=self.consent(), alerts=alerts)

    def write(self) -> Episode:
        """Open the episode from the referral, everything wrong named by its field."""
        errors: dict[str, str] = {}
        date_problem = self.form.fields["referral_date"][1].check()
        if date_problem:
            errors["referral_date"] = date_problem
        referral = self.referral()
        found = referral_problems(referral) if not date_problem else referral_problems(
            replace(referral, received_on=date.today()))  # the date's own message is kept
        errors.update({FORM_KEYS.get(k, k): v for k, v in found.items()
                       if not (date_problem and k == "received_on")})
        if self.consent() is None:
            errors["share_with_gp"] = CONSENT_NEEDED
        if errors:
            raise ValidationError(errors)
        try:
            return self._context.run(refer, self._context.rules, self._person_id, referral,
                                     worker=self.worker.text().strip(),
                                     initiator=self.initiator())
        except ValidationError as exc:
            raise ValidationError({FORM_KEYS.get(k, k): v for k, v in exc.errors.items()}
                                  ) from None

    def error_labels(self) -> dict[str, str]:
        """Name the fields in their messages as the form shows them."""
        labels = {"share_with_gp": self.tr("Share with GP"),
                  "referrer.name": self.tr("Referrer's name"),
                  "referrer.role": self.tr("Their role"),
                  "referrer.organisation": self.tr("Organisation"),
                  "referrer.phone": self.tr("Phone"), "referrer.email": self.tr("Email"),
                  "referral_reason": self.tr("Reason"), "what_matters": self.tr("What matters")}
        for n in range(1, ALERT_SLOTS + 1):
            labels[f"alerts[{n}].kind"] = self.tr("Alert {0}").format(n)
            labels[f"alerts[{n}].detail"] = self.tr("Alert {0}'s detail").format(n)
            labels[f"alerts[{n}].show_on_plan"] = self.tr("Alert {0}").format(n)
        return labels

    @classmethod
    def ask(cls, parent: QWidget | None, context, person_id: str, role: str,
            default_worker: str = "", worker_role: str | None = None) -> tuple[
            Episode | None, bool]:
        """Show the dialog; return (episode opened, True) or (None, False) if cancelled.

        `default_worker` (the user) is offered as the worker for `worker_role` only."""
        return cls.exec_for_value(cls(context, person_id, role, default_worker, parent,
                                      worker_role))
