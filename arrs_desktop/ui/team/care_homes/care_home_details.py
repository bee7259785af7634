"""The chosen home's address, phone, practice, clinical lead, lead and next contact."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.widgets import (
    details_grid,
    heading,
)
from arrs_desktop.ui.team.care_homes.care_homes_model import (
    DUE_SOON_DAYS,
    DUE_SOON_TEXT,
    due_text,
    short_date,
)


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
