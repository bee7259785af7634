"""Small shared widgets: headings, empty states, role badges, field errors, tables, grids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
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
    """A red message shown right under the field it is about."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote what was typed
        self.hide()

    def show_error(self, message: str | None) -> None:
        """Show a message, or hide when None/empty."""
        self.setText(message or "")
        self.setVisible(bool(message))
        self.setAccessibleName(message or "")


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Give a field the red error border (and drop it again)."""
    widget.setProperty("invalid", "true" if invalid else "false")
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
