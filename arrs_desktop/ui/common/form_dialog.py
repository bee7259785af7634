"""A dialog of fields with errors shown by each: heading, intro, the fields (scrolling"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.form_scroll_area import FormScrollArea, fit_to_screen
from arrs_desktop.ui.common.widgets import heading


class FormDialog(QDialog):
    """A dialog of fields with errors shown by each: heading, intro, the fields (scrolling
    on a small screen), a line for errors that belong to no field, and Save / Cancel.

    Subclasses build `self.form` (an ErrorForm), call `_finish_layout` and implement
    `save()`.
    """

    saved = None
    on_top = False  # True while saving this form's changes over someone else's
    _fitted = False

    def _finish_layout(self, form: QFormLayout, save_name: str, intro: QWidget | None = None,
                       extra: tuple[QWidget, ...] = ()) -> QDialogButtonBox:
        self.general_error = FieldError(self)
        self.general_error.setObjectName("generalError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons = buttons
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.save_button.setObjectName(save_name)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        content = QWidget(self)
        content.setObjectName("formContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 4, 0)
        if intro is not None:
            body.addWidget(intro)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        body.addLayout(form)
        for widget in extra:
            body.addWidget(widget)
        body.addStretch(1)
        self.form_scroll = FormScrollArea(content, self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        layout.addWidget(self.form_scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        return buttons

    def showEvent(self, event) -> None:  # noqa: N802
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self)
        super().showEvent(event)

    def save(self) -> None:
        """Check and save what was typed."""
        raise NotImplementedError
