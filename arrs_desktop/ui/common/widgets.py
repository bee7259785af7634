"""Small shared widgets: headings, empty states, role badges, field errors, tables, grids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTabBar,
    QTableView,
    QTabWidget,
    QWidget,
)

from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.column_fitter import ColumnFitter


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
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # never stretched
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


class _FocusMark(QObject):
    """Mark a list while it has the keyboard (property keyFocus), so the style sheet can
    show its chosen row in full blue then (and pale blue when the keyboard is elsewhere)."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            focused = event.type() == QEvent.Type.FocusIn
            if watched.property("keyFocus") != focused:
                watched.setProperty("keyFocus", focused)
                watched.style().unpolish(watched)
                watched.style().polish(watched)
                watched.viewport().update()
        return False


_FOCUS_MARK: _FocusMark | None = None


def show_focus(view: QAbstractItemView) -> QAbstractItemView:
    """Let a list or table show plainly when the keyboard is on it."""
    global _FOCUS_MARK
    if _FOCUS_MARK is None:
        _FOCUS_MARK = _FocusMark()
    view.installEventFilter(_FOCUS_MARK)
    return view


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
    show_focus(table)
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


def labelled(text: str, widget: QWidget, parent: QWidget | None = None) -> QWidget:
    """Return a caption (its buddy: `widget`) and the widget side by side, as one piece that
    a FlowLayout keeps together."""
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    caption = QLabel(text, holder)
    caption.setBuddy(widget)
    row.addWidget(caption)
    row.addWidget(widget, 1)
    return holder


def fit_columns(table: QTableView, stretch: int, free_text: Sequence[int] = (),
                **options) -> ColumnFitter:
    """Size a table's columns to their contents (see ColumnFitter) and return the fitter."""
    table.column_fitter = ColumnFitter(table, stretch, free_text, **options)
    return table.column_fitter


def focus_start(page: QWidget | None) -> bool:
    """Put the keyboard on a page's starting point: its own `focus_start()` when it has one,
    else the first control in its Tab order that is shown."""
    if page is None or not page.isVisible():
        return False
    inner = getattr(page, "view", None)
    if callable(inner) and getattr(page, "is_built", False):
        page = inner()  # a view made when first shown: its own starting point
    start = getattr(page, "focus_start", None)
    if callable(start) and start():
        return True
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, QTabBar)):
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        widget = widget.nextInFocusChain()
    return False


def keep_focus_in_tabs(tabs: QTabWidget) -> None:
    """When another tab is chosen (by click, Alt+letter or a command), the keyboard goes
    into it, unless it is already there."""
    def moved(index: int) -> None:
        page = tabs.widget(index)  # a view not made yet is not made for this
        focus = QApplication.focusWidget()
        if page is None or (focus is not None and page.isAncestorOf(focus)):
            return
        QTimer.singleShot(0, page, lambda: _focus_if_outside(tabs, page))

    tabs.currentChanged.connect(moved)


def _focus_if_outside(tabs: QTabWidget, page: QWidget) -> None:
    if not shiboken6.isValid(page) or tabs.widget(tabs.currentIndex()) is not page:
        return
    focus = QApplication.focusWidget()
    if focus is not None and page.isAncestorOf(focus):
        return
    focus_start(page)
