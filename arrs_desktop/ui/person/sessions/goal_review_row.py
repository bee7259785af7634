"""One active goal in the session form: reviewed?, new score, note."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QWidget,
)

from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.score_line_edit import ScoreLineEdit


class GoalReviewRow:
    """One active goal in the session form: reviewed?, new score, note."""

    def __init__(self, goal, parent: QWidget) -> None:
        self.goal = goal
        self.check = QCheckBox(goal.title, parent)
        self.check.setObjectName(f"goalReviewed_{goal.id}")
        self.check.setAccessibleName(parent.tr("Reviewed goal: {0}").format(goal.title))
        self.score = ScoreLineEdit(parent)
        self.score.setObjectName(f"goalScore_{goal.id}")
        self.score.setAccessibleName(parent.tr("New score for {0}, 0 to 10").format(goal.title))
        self.note = QLineEdit(parent)
        self.note.setObjectName(f"goalNote_{goal.id}")
        self.note.setAccessibleName(parent.tr("Note on {0}").format(goal.title))
        self.note.setPlaceholderText(parent.tr("Note (optional)"))
        self.score_error = FieldError(parent)
        self.note_error = FieldError(parent)
        self.score.textEdited.connect(self._tick)

    def _tick(self, text: str) -> None:
        if text:
            self.check.setChecked(True)
