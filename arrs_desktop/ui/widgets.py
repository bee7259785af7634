"""Small shared widgets: headings, empty states, role badges, field errors, tables, grids."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QWidget,
)

from arrs_desktop.catalogue import ROLES_BY_CODE
from arrs_desktop.ui import theme


def heading(text: str, level: str = "heading", parent: QWidget | None = None) -> QLabel:
    """Return a heading label."""
    label = QLabel(text, parent)
    label.setProperty("role", level)
    label.setAccessibleName(text)
    return label


def muted(text: str, parent: QWidget | None = None) -> QLabel:
    """Return a grey, wrapped label for secondary text."""
    label = QLabel(text, parent)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def empty_state(text: str, parent: QWidget | None = None) -> QLabel:
    """Return a centred message telling the user what to do when there is nothing to show."""
    label = QLabel(text, parent)
    label.setProperty("role", "empty")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAccessibleName(text)
    return label


def role_badge(code: str | None, text: str | None = None, parent: QWidget | None = None) -> QLabel:
    """Return a small coloured badge naming a role (colour plus words, never colour alone)."""
    label = QLabel(parent)
    set_role_badge(label, code, text)
    return label


def set_role_badge(label: QLabel, code: str | None, text: str | None = None) -> None:
    """Make a label the badge of a role (again), touching only what differs.

    A badge shown for one person is reused for the next: setting the same style sheet
    again would restyle the label for nothing.
    """
    role = ROLES_BY_CODE.get(code or "")
    text = text or (role.short_name if role else "No role yet")
    colour = theme.role_colour(code)
    style = (f"QLabel {{ background: {colour}; color: white; border-radius: 8px;"
             " padding: 2px 8px; font-weight: 600; }")
    if label.styleSheet() != style:
        label.setStyleSheet(style)
    if label.text() != text:
        label.setText(text)
    if label.accessibleName() != text:
        label.setAccessibleName(text)


class FieldError(QLabel):
    """A red message in its own layout row right under the field it is about.

    Bound to its field (`watch`), it marks the field red while shown, tells screen readers
    through the field's description, and goes away as soon as the field is fixed: each
    change re-runs the field's `check` (which returns what is still wrong, or None); a
    field with no check clears its message on the first change, and the store checks it
    again on save. Showing a message makes the dialog it is in tall enough to show it.
    """

    def __init__(self, parent: QWidget | None = None, field: QWidget | None = None,
                 check: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field: QWidget | None = None
        self.check = check
        self.name = ""  # how messages name the field ("NHS number must have 10 digits")
        self.hide()
        if field is not None:
            self.watch(field, check)

    def watch(self, field: QWidget, check: Callable[[], str | None] | None = None) -> None:
        """Tie the message to a field: shown by it, cleared once the field is fixed."""
        self.field = field
        if check is not None:
            self.check = check
        signal = change_signal(field)
        if signal is not None:
            signal.connect(self._on_field_changed)

    @property
    def showing(self) -> bool:
        """Return whether a message is up."""
        return bool(self.text()) and not self.isHidden()

    def show_error(self, message: str | None) -> None:
        """Show a message, or hide when None/empty."""
        message = message or ""
        if message == self.text() and bool(message) != self.isHidden():
            return
        self.setText(message)
        self.setVisible(bool(message))
        self.setAccessibleName(message)
        if self.field is not None:
            mark_invalid(self.field, bool(message))
            self.field.setAccessibleDescription(message)
        if message:
            fit_window(self)

    def show_problem(self, problem: str | None) -> None:
        """Show what is wrong with the field, named as the form names it."""
        self.show_error(f"{self.name} {problem}".strip() if problem else None)

    def _on_field_changed(self, *_args) -> None:
        if not self.showing:
            return
        self.show_problem(self.check() if self.check is not None else None)


def change_signal(field: QWidget):
    """Return the signal a field sends when the user changes it (None if it has none)."""
    for name in ("textChanged", "currentIndexChanged", "toggled", "valueChanged",
                 "itemChanged", "dateChanged"):
        signal = getattr(field, name, None)
        if signal is not None and hasattr(signal, "connect"):
            return signal
    return None


def fit_window(widget: QWidget) -> None:
    """Make the dialog holding `widget` tall enough for what it now shows (up to the screen).

    A dialog keeps its size when a message appears in it, so the message would be squeezed
    over the fields around it; the main window's panels scroll instead. The fit is made
    once the event being handled is over, so that whatever else it shows is counted too.
    """
    window = widget.window()
    if not isinstance(window, QDialog) or window.property("fitPending"):
        return
    window.setProperty("fitPending", True)
    QTimer.singleShot(0, window, lambda: _fit_now(window))


def _fit_now(window: QDialog) -> None:
    window.setProperty("fitPending", False)
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    for area in window.findChildren(QScrollArea):
        # A scroll area does not pass a change of its contents' size on to its own layout.
        inner = area.widget().layout() if area.widget() is not None else None
        if inner is not None:
            inner.activate()
        area.updateGeometry()
    layout.invalidate()
    layout.activate()
    width = window.width()
    need = window.sizeHint().height()
    if layout.hasHeightForWidth():
        need = max(need, layout.totalHeightForWidth(width))
    need = max(need, layout.totalMinimumSize().height())
    screen = window.screen().availableGeometry() if window.screen() else None
    if screen is not None:
        frame = window.frameGeometry().height() - window.height()
        need = min(need, screen.height() - max(frame, 0))
    if need > window.height():
        window.resize(width, need)
        if screen is not None and window.frameGeometry().bottom() > screen.bottom():
            window.move(window.x(), max(screen.top(),
                                        screen.bottom() - window.frameGeometry().height()))


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Give a field the red error border (and drop it again)."""
    value = "true" if invalid else "false"
    if widget.property("invalid") == value:
        return
    widget.setProperty("invalid", value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class OpenTableView(QTableView):
    """A table whose Enter key asks to open the selected row."""

    open_requested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


def rows_table(parent: QWidget, name: str, accessible: str,
               model: QAbstractItemModel | None = None, *,
               view_class: type[QTableView] = QTableView, single: bool = True,
               alternate: bool = True, wrap: bool = False) -> QTableView:
    """Return a read-only table that selects whole rows, with no grid and no row numbers."""
    table = view_class(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    if model is not None:
        table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(alternate)
    table.setShowGrid(False)
    table.setWordWrap(wrap)
    # Tab moves on to the next control; the arrow keys move within the table.
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    return table


def select_row(table: QTableView, row: int, scroll: bool = True) -> None:
    """Make a row of a table the current, only selected one (and scroll to it)."""
    index = table.model().index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    if scroll:
        table.scrollTo(index)


def details_grid(parent: QWidget, fields: Sequence[tuple[str, str]],
                 name_prefix: str) -> tuple[QGridLayout, dict[str, QLabel]]:
    """Return a grid of muted "label  value" lines and the value labels by key."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(10)
    grid.setVerticalSpacing(2)
    values: dict[str, QLabel] = {}
    for i, (key, label) in enumerate(fields):
        name = QLabel(label, parent)
        name.setProperty("role", "muted")
        value = QLabel(parent)
        value.setObjectName(f"{name_prefix}{key}")
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        values[key] = value
        grid.addWidget(name, i, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, i, 1, Qt.AlignmentFlag.AlignTop)
    grid.setColumnStretch(1, 1)
    return grid, values


def size_columns(table: QTableView, samples: Mapping[int, str], stretch: int = 0) -> None:
    """Give columns fixed starting widths from sample texts, and stretch one column.

    Widths come from the widest text a column can hold (or its title), not from
    ResizeToContents, which measures every loaded row on each reload of a big list.
    The user can still drag a column wider.
    """
    header = table.horizontalHeader()
    model = table.model()
    metrics = table.fontMetrics()
    header.setMinimumSectionSize(60)
    for col in range(model.columnCount() if model is not None else 0):
        if col == stretch:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        title = model.headerData(col, Qt.Orientation.Horizontal) or ""
        header.resizeSection(col, 28 + max(metrics.horizontalAdvance(title),
                                           metrics.horizontalAdvance(samples.get(col, ""))))
