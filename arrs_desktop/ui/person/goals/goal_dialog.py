"""Add or edit a goal in the person's own words, with errors shown by each field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from arrs_desktop.app.operations.goals import save_goal
from arrs_desktop.domain.catalogue import GOAL_STATUSES, ROLES
from arrs_desktop.domain.models import Goal
from arrs_desktop.domain.validation import clean_score, clean_text
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm, cleaner_check
from arrs_desktop.ui.common.score_line_edit import ScoreLineEdit
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog
from arrs_desktop.ui.common.widgets import muted


class GoalDialog(StoreFormDialog):
    """Add or edit a goal in the person's own words, with errors shown by each field."""

    def __init__(self, context, person_id: str, goal: Goal | None = None,
                 role: str = "splw", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalDialog")
        self._context = context
        self._store = context.store
        self._person_id = person_id
        self._original = goal
        self.saved: Goal | None = None
        self.setWindowTitle(self.tr("Edit goal") if goal else self.tr("New goal"))
        self.setMinimumWidth(460)

        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("e.g. Walk to the shops without stopping"))
        self.what_matters = QPlainTextEdit(self)
        self.what_matters.setTabChangesFocus(True)
        self.what_matters.setFixedHeight(64)
        self.what_matters.setPlaceholderText(self.tr("Why this matters to them, in their words"))
        self.owner_role = QComboBox(self)
        for r in ROLES:
            self.owner_role.addItem(r.name, r.code)
        self.owner_role.setCurrentIndex(max(0, self.owner_role.findData(role)))
        self.baseline = ScoreLineEdit(self)
        self.set_date = DateLineEdit(self)
        self.set_date.set_value(date.today())
        self.set_date.setToolTip(self.tr("The day the person agreed this goal"))
        self.target_date = DateLineEdit(self)
        self.status = QComboBox(self)
        for code, label in GOAL_STATUSES.items():
            self.status.addItem(label, code)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("title", self.tr("Goal *"), self.title,
                          check=cleaner_check(clean_text, self.title.text, required=True))
        self.form.add_row("what_matters", self.tr("What matters"), self.what_matters)
        self.form.add_row("owner_role", self.tr("Owner role"), self.owner_role)
        self.form.add_row("baseline", self.tr("Baseline score (0–10) *"), self.baseline,
                          check=cleaner_check(clean_score, self.baseline.value))
        self.form.add_row("set_date", self.tr("Agreed on *"), self.set_date,
                          check=date_check(self.set_date, required=True, not_future=True))
        self.form.add_row("target_date", self.tr("Target date"), self.target_date,
                          check=date_check(self.target_date))
        self.form.add_row("status", self.tr("Status"), self.status)
        self._finish_layout(form, "saveGoalButton", intro=muted(self.tr(
            "A goal the person chose for themselves. Score where they are now from 0 (not at "
            "all) to 10 (fully there).")))
        if goal:
            self._fill(goal)
        self.title.setFocus()

    def _fill(self, goal: Goal) -> None:
        self.title.setText(goal.title)
        self.what_matters.setPlainText(goal.what_matters)
        self.owner_role.setCurrentIndex(max(0, self.owner_role.findData(goal.owner_role)))
        self.baseline.set_value(goal.baseline)
        self.set_date.set_value(goal.set_date)
        self.target_date.set_value(goal.target_date)
        self.status.setCurrentIndex(max(0, self.status.findData(goal.status)))

    def reload(self) -> None:
        """Show the goal as saved now, dropping what was typed."""
        if self._original and self._original.id:
            self._original = self._store.goals.get(self._original.id)
            self._fill(self._original)

    def goal(self) -> Goal:
        """Return the goal as typed (not yet checked)."""
        base = self._original or Goal(person_id=self._person_id, title="", owner_role="",
                                      baseline=0)
        return replace(
            base,
            title=self.title.text(),
            what_matters=self.what_matters.toPlainText(),
            owner_role=self.owner_role.currentData(),
            baseline=self.baseline.value(),
            set_date=self.set_date.value(),
            target_date=self.target_date.value(),
            status=self.status.currentData(),
        )

    def write(self) -> Goal:
        """Save the goal through the store."""
        return self._context.run(save_goal, self.goal(), on_top=self.on_top,
                                 initiator=self.initiator())

    def error_labels(self) -> dict[str, str]:
        """Name the baseline and title fields as the form shows them."""
        return {"baseline": self.tr("Baseline score"), "title": self.tr("Goal")}

    @classmethod
    def ask(cls, parent: QWidget | None, context, person_id: str, goal: Goal | None = None,
            role: str = "splw") -> tuple[Goal | None, bool]:
        """Show the dialog; return (saved goal, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(context, person_id, goal, role, parent))
