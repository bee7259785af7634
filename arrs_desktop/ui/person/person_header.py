"""Name, NHS number, age and contact details of the open person."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import GENDERS
from arrs_desktop.domain.episodes import died_on, is_open
from arrs_desktop.domain.validation import format_nhs_number
from arrs_desktop.ui.common.alert_marks import SIGN
from arrs_desktop.ui.common.widgets import (
    heading,
    role_badge,
    set_role_badge,
)


def _unbroken(text: str) -> str:
    """Join a phrase's words with no-break spaces, so a line may only wrap between phrases."""
    return text.replace(" ", "\u00a0")


class PersonHeader(QFrame):
    """Name, NHS number, age and contact details of the open person."""

    edit_requested = Signal()
    care_plan_requested = Signal()
    alerts_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("personHeader")
        self.name_label = heading("")
        self.name_label.setObjectName("personName")
        self.details = QLabel(self)
        self.details.setObjectName("personDetails")
        self.details.setProperty("role", "muted")
        self.details.setWordWrap(True)
        self.contact = QLabel(self)
        self.contact.setProperty("role", "muted")
        self.contact.setWordWrap(True)
        # Safety alerts for staff: marked by a sign and words as well as colour.
        self.alerts = QLabel(self)
        self.alerts.setObjectName("personAlerts")
        self.alerts.setProperty("role", "alert")
        self.alerts.setWordWrap(True)
        self.alerts.setTextFormat(Qt.TextFormat.PlainText)
        self.alerts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.alerts.hide()
        self.alerts_button = QPushButton(self.tr("Safety alerts…"), self)
        self.alerts_button.setObjectName("safetyAlertsButton")
        self.alerts_button.setAccessibleName(
            self.tr("Record or end this person's safety alerts"))
        self.alerts_button.clicked.connect(self.alerts_requested)
        self.badges = QHBoxLayout()
        self.badges.setSpacing(6)
        self._badge_labels: list[QLabel] = []
        self.edit_button = QPushButton(self.tr("Edit details…"), self)
        self.edit_button.setObjectName("editPersonButton")
        self.edit_button.setAccessibleName(self.tr("Edit this person's details"))
        self.edit_button.clicked.connect(self.edit_requested)
        self.plan_button = QPushButton(self.tr("Care plan (PDF)…"), self)
        self.plan_button.setObjectName("carePlanButton")
        self.plan_button.setAccessibleName(
            self.tr("Make a printable personalised care and support plan"))
        self.plan_button.setToolTip(self.tr("Personalised care and support plan (Ctrl+P)"))
        self.plan_button.clicked.connect(self.care_plan_requested)
        self.name_label.setWordWrap(True)  # a long name takes two lines, never cut
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.name_label, 0)
        top.addSpacing(8)
        top.addLayout(self.badges)
        top.addStretch(1)
        grid.addLayout(top, 0, 0)
        grid.addWidget(self.details, 1, 0)
        grid.addWidget(self.contact, 2, 0)
        grid.addWidget(self.alerts, 3, 0)
        # The buttons keep their own column on the right: the details wrap beside them
        # instead of squeezing them on a narrow window.
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.alerts_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 0, 1, 4, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)

    def show_person(self, person, episodes, care_home_name: str | None,
                    alerts=()) -> None:
        """Fill the header for a person (`alerts`: their safety alerts in force, for staff)."""
        self.show_alerts(alerts)
        self.name_label.setText(person.name)
        self.name_label.setAccessibleName(person.name)
        parts = []
        if person.nhs_number:
            parts.append(self.tr("NHS number {0}").format(format_nhs_number(person.nhs_number)))
        else:
            parts.append(self.tr("No NHS number recorded"))
        died = died_on(episodes)
        if person.date_of_birth:
            age = person.age_on(died or date.today())
            text = self.tr("Born {0} (age {1})") if died is None else self.tr(
                "Born {0} (aged {1} at death)")
            parts.append(text.format(f"{person.date_of_birth:%d %b %Y}", age))
        if died is not None:
            parts.insert(0, self.tr("Died {0}").format(f"{died:%d %b %Y}"))
        if person.gender:
            parts.append(GENDERS.get(person.gender, person.gender))
        if care_home_name:
            parts.append(self.tr("Lives at {0}").format(care_home_name))
        # Each part keeps its words on one line: a narrow header wraps between the parts.
        self.details.setText("  ·  ".join(_unbroken(p) for p in parts))
        contact = [p for p in (person.address.replace("\n", ", "), person.postcode,
                               person.phone, person.email, person.gp_practice) if p]
        self.contact.setText("  ·  ".join(_unbroken(p) for p in contact))
        self.contact.setVisible(bool(contact))
        open_roles = [e for e in episodes if is_open(e.status)]
        # The badges are reused from person to person; the spare ones are hidden.
        while len(self._badge_labels) < len(open_roles):
            badge = role_badge(None, parent=self)
            self._badge_labels.append(badge)
            self.badges.addWidget(badge)
        for index, badge in enumerate(self._badge_labels):
            if index < len(open_roles):
                set_role_badge(badge, open_roles[index].role)
            if badge.isHidden() == (index < len(open_roles)):
                badge.setVisible(index < len(open_roles))

    def show_alerts(self, alerts) -> None:
        """Show the safety alerts in force (SafetyAlert records), risks first."""
        if not alerts:
            self.alerts.hide()
            self.alerts.setText("")
            self.alerts.setAccessibleName("")
            return
        lines = [f"{SIGN} {a.text}" for a in alerts]
        text = self.tr("Safety alerts: {0}").format("  ·  ".join(lines)) if len(lines) == 1 \
            else self.tr("Safety alerts:") + "\n" + "\n".join(lines)
        self.alerts.setText(text)
        self.alerts.setAccessibleName(self.tr("Safety alerts for staff: {0}").format(
            "; ".join(a.text for a in alerts)))
        self.alerts.show()

    @property
    def alert_text(self) -> str:
        """Return the alerts shown (empty when there are none)."""
        return self.alerts.text() if not self.alerts.isHidden() else ""

    @property
    def badge_labels(self) -> list[QLabel]:
        """Return the role badges shown, in order."""
        return [b for b in self._badge_labels if not b.isHidden()]
