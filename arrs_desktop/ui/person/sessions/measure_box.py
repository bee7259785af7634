"""One of the PCN's measures in the session form: its items with their scales, and the
licence note shown where it is recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from arrs_desktop.standards.measures import HIGHER_WORSE, MeasureDefinition
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.score_line_edit import ScoreLineEdit
from arrs_desktop.ui.common.widgets import muted

COLUMNS = 4  # items per row


class MeasureBox(QGroupBox):
    """A checkable box for one measure: ticked, its items show, each with its own scale;
    the licence note and how a total is formed are written under them."""

    def __init__(self, definition: MeasureDefinition, errors: ErrorForm,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definition = definition
        self.setTitle(self.tr("{0} (optional)").format(definition.name))
        self.setObjectName(f"measureBox_{definition.code}")
        self.setCheckable(True)
        self.setChecked(False)
        self.setAccessibleName(self.tr("Record {0}").format(definition.name))
        self.fields = QWidget(self)
        self.fields.setObjectName(f"measureFields_{definition.code}")
        QVBoxLayout(self).addWidget(self.fields)
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.fields.setVisible(False)
        self.toggled.connect(self.fields.setVisible)
        grid = QGridLayout(self.fields)
        grid.setContentsMargins(8, 2, 8, 4)
        grid.setVerticalSpacing(1)
        self.edits: dict[str, ScoreLineEdit] = {}
        for n, item in enumerate(definition.items):
            row, col = divmod(n, COLUMNS)
            scale = item.scale
            digits = max(len(str(scale.max)), len(str(scale.min)), 1)
            edit = ScoreLineEdit(self.fields, low=scale.min, high=scale.max, digits=digits)
            edit.setObjectName(f"measure_{definition.code}_{item.id}")
            edit.setAccessibleName(self.tr("{0}, {1} to {2}").format(item.label, scale.min,
                                                                     scale.max))
            edit.setAccessibleDescription(item.wording)
            edit.setToolTip(item.wording)
            text = item.label
            if item.direction == HIGHER_WORSE:
                text += "\n" + self.tr("(higher is worse)")
            caption = QLabel(text, self.fields)
            caption.setBuddy(edit)
            caption.setToolTip(item.wording)
            caption.setWordWrap(True)
            if item.direction == HIGHER_WORSE:
                caption.setStyleSheet(f"color: {theme.DARK_GREY}; font-style: italic;")
            error = FieldError(self.fields)
            error.setObjectName(f"measure_{definition.code}_{item.id}Error")
            grid.addWidget(caption, row * 3, col, Qt.AlignmentFlag.AlignBottom)
            grid.addWidget(edit, row * 3 + 1, col)
            grid.addWidget(error, row * 3 + 2, col)
            errors.add_field(f"{definition.code}.{item.id}", edit, error)
            self.edits[item.id] = edit
        rows = (len(definition.items) + COLUMNS - 1) // COLUMNS
        how = definition.description or ""
        self.licence = muted(self.tr("Licence: {0}").format(definition.licence), self.fields)
        self.licence.setObjectName(f"measureLicence_{definition.code}")
        self.licence.setWordWrap(True)
        grid.addWidget(self.licence, rows * 3, 0, 1, COLUMNS)
        if how:
            note = muted(how, self.fields)
            note.setWordWrap(True)
            grid.addWidget(note, rows * 3 + 1, 0, 1, COLUMNS)

    def answers(self) -> dict[str, int | None]:
        """Return each item's answer (None when left blank); empty when not ticked."""
        if not self.isChecked():
            return {}
        return {item_id: edit.value() for item_id, edit in self.edits.items()}

    def clear(self) -> None:
        """Untick the box and empty its items."""
        self.setChecked(False)
        for edit in self.edits.values():
            edit.clear()
