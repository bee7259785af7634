"""Helpers for forms: UK date fields, and showing store validation errors by the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QRegularExpression, QSize, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.store import StoreConflictError, StoreWriteError, ValidationError
from arrs_desktop.ui.widgets import FieldError, heading, mark_invalid


def show_message(label: QLabel, text: str | None) -> None:
    """Show text in a message label, or hide the label when there is nothing to say."""
    if isinstance(label, FieldError):
        label.show_error(text)
        return
    label.setText(text or "")
    label.setVisible(bool(text))
    label.setAccessibleName(text or "")


def parse_uk_date(text: str) -> date | str | None:
    """Read DD/MM/YYYY (or YYYY-MM-DD); return a date, None when blank, or the raw text
    (so the store's validation names the problem) when it cannot be read."""
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return "not-a-date"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return "not-a-date"
    return "not-a-date"


def format_uk_date(value: date | None) -> str:
    """Show a date as DD/MM/YYYY."""
    return f"{value:%d/%m/%Y}" if value else ""


class DateLineEdit(QLineEdit):
    """A text field for an optional date typed as DD/MM/YYYY."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY")

    def value(self) -> date | str | None:
        """Return the date typed, None if blank, or text the store will reject."""
        return parse_uk_date(self.text())

    def set_value(self, value: date | None) -> None:
        """Show a date."""
        self.setText(format_uk_date(value))


def cleaner_check(clean, value: Callable[[], object], **options) -> Callable[[], str | None]:
    """Return a field check built from one of the store's cleaners (`validation.clean_*`):
    what the cleaner says is wrong with the field's value, or None when it accepts it."""
    def check() -> str | None:
        try:
            clean(value(), **options)
        except ValueError as exc:
            return str(exc)
        return None

    return check


def date_check(edit: DateLineEdit, *, required: bool = False, not_future: bool = False,
               earliest: Callable[[], tuple[date, str] | None] | None = None
               ) -> Callable[[], str | None]:
    """Return a check for a DD/MM/YYYY field: readable, required, not in the future, and
    not before `earliest()` (a day and how to say it) when given."""
    def check() -> str | None:
        day = edit.value()
        if day is None:
            return "is required" if required else None
        if not isinstance(day, date):
            return "is not a real date (type it as DD/MM/YYYY)"
        if not_future and day > date.today():
            return "cannot be in the future"
        limit = earliest() if earliest is not None else None
        if limit is not None and day < limit[0]:
            return limit[1]
        return None

    return check


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area holding a widget so that the widget is in view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 10, 30)
        parent = parent.parentWidget()


class ErrorForm:
    """Fields that each carry an error message in a layout row of its own under the field.

    Rows added with `add_row` go into a QFormLayout; fields laid out elsewhere join with
    `add_field`. A message names the field, shows until the field is fixed (see
    FieldError) and never covers anything: it takes its own room in the layout.
    """

    def __init__(self, form: QFormLayout | None) -> None:
        self.form = form
        self.fields: dict[str, tuple[QWidget, FieldError]] = {}

    def add_row(self, key: str, label: str, widget: QWidget,
                check: Callable[[], str | None] | None = None,
                below: tuple[QWidget, ...] = ()) -> QWidget:
        """Add a labelled field with room under it for its error (and `below` widgets)."""
        holder = QWidget()
        holder.setObjectName(f"{key}Row")
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        error = FieldError(holder)
        error.setObjectName(f"{key}Error")
        lay.addWidget(error)
        for extra in below:
            lay.addWidget(extra)
        self.form.addRow(label, holder)
        caption = self.form.labelForField(holder)
        if caption is not None:  # the label names the field itself, not its holder
            caption.setBuddy(widget)
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            # As tall as a one-line field, so the caption's words sit level with the field's.
            caption.setMinimumHeight(min(widget.sizeHint().height(), widget.maximumHeight(),
                                         widget.fontMetrics().height() * 2 + 4))
        widget.setObjectName(widget.objectName() or f"{key}Field")
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(" *:"))
        self.add_field(key, widget, error, check)
        return widget

    def add_field(self, key: str, widget: QWidget, error: FieldError,
                  check: Callable[[], str | None] | None = None) -> None:
        """Track a field laid out elsewhere (not a form row) so its errors show by it."""
        if error.field is None:
            error.watch(widget, check)
        elif check is not None:
            error.check = check
        self.fields[key] = (widget, error)

    def clear_errors(self) -> None:
        """Hide every error message."""
        for widget, error in self.fields.values():
            error.show_error(None)
            mark_invalid(widget, False)

    def run(self, write, general: QLabel, labels: dict[str, str] | None = None, refused=None,
            conflicted=None):
        """Run a store write; on a refusal show why by each field (the rest in `general`).

        Return (True, what the write returned) when saved, (False, None) when refused.
        `refused(error)` may handle a ValidationError itself by returning True;
        `conflicted(error)` handles a StoreConflictError (someone else saved first) and
        returns what `run` returns.
        """
        show_message(general, None)
        try:
            result = write()
        except ValidationError as exc:
            if refused is not None and refused(exc):
                return False, None
            leftover = self.show_errors(exc.errors, labels)
            show_message(general, "\n".join(leftover))
            return False, None
        except StoreConflictError as exc:
            if conflicted is not None:
                return conflicted(exc)
            show_message(general, str(exc))
            return False, None
        except StoreWriteError as exc:
            show_message(general, str(exc))
            return False, None
        self.clear_errors()
        return True, result

    def show_errors(self, errors: dict[str, str], labels: dict[str, str] | None = None) -> list[
        str
    ]:
        """Show each error under its field; return messages that match no field."""
        self.clear_errors()
        leftover = []
        first = None
        for key, message in errors.items():
            if key in self.fields:
                widget, error = self.fields[key]
                error.name = (labels[key] if labels and key in labels
                              else widget.accessibleName() or key)
                if isinstance(widget, DateLineEdit) and "YYYY-MM-DD" in message:
                    message = "is not a real date (type it as DD/MM/YYYY)"
                error.show_problem(message)
                first = first or widget
            else:
                leftover.append(f"{key}: {message}")
        if first is not None:
            first.setFocus()
            scroll_to(first)
        return leftover


class ScoreLineEdit(QLineEdit):
    """A short field for a whole-number score (0-10 by default); Up/Down step it, blank = none.

    Out-of-range numbers can be typed so the store's check can name the problem by the field.
    """

    def __init__(self, parent: QWidget | None = None, low: int = 0, high: int = 10,
                 digits: int = 2) -> None:
        super().__init__(parent)
        self.low, self.high = low, high
        self.setMaxLength(digits)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{digits}}}"),
                                                      self))
        self.setPlaceholderText(f"{low}–{high}")
        self.setFixedWidth(40 + 10 * digits)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def value(self) -> int | None:
        """Return the number typed, or None when blank."""
        text = self.text().strip()
        return int(text) if text.isdigit() else None

    def set_value(self, value: int | None) -> None:
        """Show a number (None clears the field)."""
        self.setText("" if value is None else str(value))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(event.key())
        if step is None:
            super().keyPressEvent(event)
            return
        current = self.value()
        start = (self.low if step > 0 else self.high) if current is None else current + step
        self.set_value(max(self.low, min(self.high, start)))
        self.selectAll()


class FormScrollArea(QScrollArea):
    """Holds a dialog's fields: as tall as they are, scrolling only on a screen too small."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formScroll")
        content.setObjectName(content.objectName() or "formContent")
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet(f"QScrollArea#formScroll, QWidget#{content.objectName()} "
                           "{ background: transparent; }")
        self.viewport().setAutoFillBackground(False)

    def sizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        hint = content.sizeHint()
        layout = content.layout()
        if layout is not None and layout.hasHeightForWidth():
            # Wrapped text (an error, say) is as tall as the width it really has makes it.
            width = self.width() if self.isVisible() else hint.width()
            hint.setHeight(max(hint.height(), layout.totalHeightForWidth(width)))
        return QSize(hint.width() + 2 * self.frameWidth(), hint.height() + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # Room for the scroll bar too, which a small screen brings: it takes its width from
        # the fields, never a slice of them.
        least = self.widget().minimumSizeHint()
        return QSize(least.width() + self.verticalScrollBar().sizeHint().width(),
                     min(least.height(), 160))


def fit_to_screen(window: QWidget) -> None:
    """Open a dialog at the size its contents ask for, but never beyond the screen."""
    screen = window.screen() or (window.parentWidget().screen()
                                 if window.parentWidget() is not None else None)
    if screen is None:
        return
    room = screen.availableGeometry()
    frame = max(window.frameGeometry().height() - window.height(), 0)
    hint = window.sizeHint()
    width = min(max(hint.width(), window.width()), room.width())
    height = min(max(hint.height(), window.minimumSizeHint().height()),
                 room.height() - frame)
    window.resize(width, height)
    geometry = window.frameGeometry()
    if not room.contains(geometry):
        x = min(max(geometry.x(), room.left()), room.right() - geometry.width())
        y = min(max(geometry.y(), room.top()), room.bottom() - geometry.height())
        window.move(max(room.left(), x), max(room.top(), y))


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


class StoreFormDialog(FormDialog):
    """A dialog whose Save writes through the store and shows any refusal by the field.

    Subclasses build `self.form` (an ErrorForm) and implement `write()`, which calls the
    store and returns what it saved.
    """

    saved = None

    def write(self):
        """Write what was typed through the store and return what was saved."""
        raise NotImplementedError

    def error_labels(self) -> dict[str, str] | None:
        """Return names to use for fields in error messages, when not the field's own."""
        return None

    def refused(self, error: ValidationError) -> bool:
        """Handle a refusal specially (return True), or let it show by the fields."""
        return False

    def reload(self) -> None:
        """Show the record as it is saved now (after someone else changed it)."""
        raise NotImplementedError

    def conflicted(self, error: StoreConflictError):
        """Someone saved the record first: let the worker choose, keeping what they typed."""
        from arrs_desktop.ui.conflict_dialog import ConflictDialog

        choice, _ok = ConflictDialog.ask(self, error)
        if choice == ConflictDialog.MINE:
            self.on_top = True
            try:
                return self.form.run(self.write, self.general_error, self.error_labels(),
                                     self.refused)
            finally:
                self.on_top = False
        if choice == ConflictDialog.THEIRS:
            self.reload()
            show_message(self.general_error, self.tr(
                "The form now shows what was saved by {0}; your changes were dropped.").format(
                    error.theirs[-1].who if error.theirs else self.tr("someone else")))
            return False, None
        show_message(self.general_error, str(error))
        return False, None

    def save(self) -> None:
        """Save through the store; on a refusal show why by the field and stay open."""
        ok, saved = self.form.run(self.write, self.general_error, self.error_labels(),
                                  self.refused, self.conflicted)
        if ok:
            self.saved = saved
            self.accept()

    @classmethod
    def exec_for_value(cls, dialog: StoreFormDialog):
        """Show a dialog; return (what it saved, True), or (None, False) if cancelled."""
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.saved if ok else None), ok
