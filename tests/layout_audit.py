"""Find text a user cannot read in a shown window: cut off, elided, squashed or overlapping.

`problems(window)` walks every visible widget and measures it with its own font metrics:
labels, buttons, tick boxes, group-box titles, placeholders, combo boxes, tab bars, table
headers and table cells must be wide (and tall) enough for their text; widgets laid out side
by side in one layout must not overlap, nor be squashed below their minimum size. A widget
that shortens its text on purpose (showing all of it in a tooltip) sets the property
`elideOk`; a table whose column elides on purpose lists it in `elideColumns`.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QTabBar,
    QTableView,
    QWidget,
)


def _name(widget: QWidget) -> str:
    parts = []
    w = widget
    while w is not None and len(parts) < 3:
        parts.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(parts))


def _shown(widget: QWidget) -> bool:
    """Visible, and not scrolled wholly out of its scroll area's view."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    return not widget.visibleRegion().isEmpty()


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _text_width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    return bold


def _elide_ok(widget: QWidget) -> bool:
    return bool(widget.property("elideOk"))


def label_problems(label: QLabel) -> list[str]:
    text = label.text()
    if not text or _elide_ok(label) or label.pixmap() and not label.pixmap().isNull():
        return []
    rect = label.contentsRect()
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + 1:
            return [f"{_name(label)}: wrapped text needs {need}px height, has "
                    f"{label.height()} ({text[:40]!r})"]
        return []
    hint = label.sizeHint()
    margins = label.contentsMargins()
    need_w = hint.width() - margins.left() - margins.right()
    need_h = hint.height() - margins.top() - margins.bottom()
    if need_w > rect.width() + 1:
        return [f"{_name(label)}: text needs {need_w}px, has {rect.width()} ({text[:40]!r})"]
    if need_h > rect.height() + 2:
        return [f"{_name(label)}: text needs {need_h}px height, has {rect.height()} "
                f"({text[:40]!r})"]
    return []


def button_problems(button: QAbstractButton) -> list[str]:
    if not button.text() or _elide_ok(button):
        return []
    metrics = button.fontMetrics()
    if isinstance(button, QPushButton) and button.property("primary"):
        metrics = QFontMetrics(_bold(button.font()))
    text = _text_width(metrics, _plain(button.text()))
    if isinstance(button, (QCheckBox, QRadioButton)):
        need = text + 20  # the tick box or dot and its gap
    else:
        need = text + 12  # at least a little padding either side
    if button.icon() and not button.icon().isNull():
        need += button.iconSize().width() + 4
    if need > button.width():
        return [f"{_name(button)}: text needs {need}px, has {button.width()} "
                f"({button.text()!r})"]
    if button.fontMetrics().height() > button.height():
        return [f"{_name(button)}: squashed to {button.height()}px high ({button.text()!r})"]
    return []


def tab_problems(bar: QTabBar) -> list[str]:
    out = []
    area = bar.rect()
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        rect = bar.tabRect(i)
        if not area.contains(rect):
            out.append(f"{_name(bar)}: tab {bar.tabText(i)!r} is off the bar (scroll arrows)")
        elif rect.width() + 1 < bar.tabSizeHint(i).width():
            out.append(f"{_name(bar)}: tab {bar.tabText(i)!r} is squashed")
    return out


def header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or not _shown(header):
        return []
    out = []
    view = header.parentWidget()
    skip = set(view.property("elideColumns") or []) if view is not None else set()
    for logical in range(header.count()):
        if header.isSectionHidden(logical) or logical in skip:
            continue
        size = header.sectionSize(logical)
        pos = header.sectionViewportPosition(logical)
        if pos + size <= 0 or pos >= header.viewport().width():
            continue  # scrolled out of view, not cut
        need = header.sectionSizeFromContents(logical).width()
        text = model.headerData(logical, header.orientation()) or ""
        # The style sheet draws section titles bold: measure them bold.
        need = max(need, QFontMetrics(_bold(header.font())).horizontalAdvance(str(text)) + 12)
        if header.orientation() == Qt.Orientation.Horizontal and need > size + 1:
            out.append(f"{_name(header)}: column {text!r} needs {need}px, has {size}")
    return out


def table_problems(table: QTableView) -> list[str]:
    model = table.model()
    if model is None or not _shown(table) or _elide_ok(table):
        return []
    out = []
    skip = set(table.property("elideColumns") or [])
    viewport = table.viewport().rect()
    metrics = table.fontMetrics()
    bold_metrics = QFontMetrics(_bold(table.font()))
    first = table.rowAt(0)
    if first < 0:
        return []
    last = table.rowAt(viewport.height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    cut: dict[int, str] = {}
    for row in range(first, last + 1):
        if table.isRowHidden(row):
            continue
        for col in range(model.columnCount()):
            if table.isColumnHidden(col) or col in skip:
                continue
            x = table.columnViewportPosition(col)
            width = table.columnWidth(col)
            if x + width <= 0 or x >= viewport.width():
                continue
            index = model.index(row, col)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or text == "":
                continue
            text = str(text)
            font = index.data(Qt.ItemDataRole.FontRole)
            m = QFontMetrics(font) if isinstance(font, QFont) else metrics
            if isinstance(font, QFont) and font.bold():
                m = bold_metrics if m is metrics else m
            need = _text_width(m, text) + 8
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                need += table.iconSize().width() + 4 if table.iconSize().width() > 0 else 20
            lines = text.count("\n") + 1
            if table.wordWrap():
                if m.lineSpacing() * lines > table.rowHeight(row) + 2:
                    out.append(f"{_name(table)}: row {row} is too low for {lines} lines "
                               f"({text[:30]!r})")
                continue
            if need > width + 1 and col not in cut:
                cut[col] = (f"{_name(table)}: column {col} cuts {text[:30]!r} ({need}px, "
                            f"has {width})")
            if m.lineSpacing() * lines > table.rowHeight(row) + 2:
                out.append(f"{_name(table)}: row {row} is too low ({text[:30]!r})")
    return out + list(cut.values())


def field_problems(widget: QWidget) -> list[str]:
    if _elide_ok(widget):
        return []
    metrics = widget.fontMetrics()
    if isinstance(widget, QLineEdit):
        if widget.text() or not widget.placeholderText():
            return []
        need = metrics.horizontalAdvance(widget.placeholderText()) + 12
        if widget.isClearButtonEnabled():
            need += 20
        if need > widget.width():
            return [f"{_name(widget)}: placeholder needs {need}px, has {widget.width()} "
                    f"({widget.placeholderText()!r})"]
    elif isinstance(widget, QComboBox) and not widget.isEditable():
        # The arrow and padding: what the combo's size hint adds to its widest choice.
        widest = max((metrics.horizontalAdvance(widget.itemText(i))
                      for i in range(widget.count())), default=0)
        chrome = widget.sizeHint().width() - widest
        if widget.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToContents and (
                widget.sizeAdjustPolicy()
                != QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow) or chrome <= 0:
            chrome = 34
        need = metrics.horizontalAdvance(widget.currentText()) + min(chrome, 40)
        if widget.currentText() and need > widget.width():
            return [f"{_name(widget)}: choice needs {need}px, has {widget.width()} "
                    f"({widget.currentText()!r})"]
    elif isinstance(widget, QGroupBox) and widget.title():
        need = QFontMetrics(_bold(widget.font())).horizontalAdvance(_plain(widget.title())) + 24
        if widget.isCheckable():
            need += 20
        if need > widget.width():
            return [f"{_name(widget)}: title needs {need}px, has {widget.width()}"]
    return []


def chart_problems(widget: QWidget) -> list[str]:
    chart = getattr(widget, "chart", None)
    if not callable(chart) or type(widget).__name__ not in ("QChartView", "GoalChartView"):
        return []
    chart = chart()
    plot = chart.plotArea()
    out = []
    for axis in chart.axes():
        title = axis.titleText()
        if not title or not axis.isVisible():
            continue
        need = QFontMetrics(axis.titleFont()).horizontalAdvance(title)
        room = plot.height() if axis.orientation() == Qt.Orientation.Vertical else plot.width()
        if need > room:
            out.append(f"{_name(widget)}: axis title {title!r} needs {need}px, has {room:.0f}")
    return out


def scroll_problems(area: QWidget) -> list[str]:
    """A scroll area that cannot scroll sideways must not be narrower than what it holds."""
    if not isinstance(area, QScrollArea) or area.widget() is None or not _shown(area):
        return []
    if area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
        return []
    inner, room = area.widget().width(), area.viewport().width()
    if inner > room + 1:
        return [f"{_name(area)}: its contents are cut on the right ({inner}px in {room})"]
    return []


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    found = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found.extend(_layout_widgets(item.layout()))
    return found


def overlap_problems(parent: QWidget) -> list[str]:
    layout = parent.layout()
    if layout is None or not _shown(parent):
        return []
    children = [w for w in _layout_widgets(layout) if w.isVisibleTo(parent) and not w.isWindow()]
    out = []
    for i, a in enumerate(children):
        ga = a.geometry()
        if ga.isEmpty():
            continue
        policy = a.sizePolicy()
        minimum = a.minimumSizeHint() if a.minimumSize().isEmpty() else a.minimumSize()
        if (policy.verticalPolicy() != QSizePolicy.Policy.Ignored and minimum.height() > 0
                and ga.height() + 2 < minimum.height() and not isinstance(a, QAbstractScrollArea)):
            out.append(f"{_name(a)}: squashed to {ga.height()}px high "
                       f"(needs {minimum.height()})")
        for b in children[i + 1:]:
            gb = b.geometry()
            if gb.isEmpty():
                continue
            common = ga.intersected(gb)
            if common.width() > 1 and common.height() > 1:
                out.append(f"{_name(a)} overlaps {_name(b)} by {common.width()}x"
                           f"{common.height()}")
        inside = parent.rect().adjusted(-1, -1, 1, 1)
        if not isinstance(parent, QAbstractScrollArea) and not inside.contains(ga):
            out.append(f"{_name(a)} runs out of {_name(parent)} ({_rect(ga)} in "
                       f"{_rect(parent.rect())})")
    return out


def _rect(r: QRect) -> str:
    return f"{r.x()},{r.y()} {r.width()}x{r.height()}"


def problems(root: QWidget) -> list[str]:
    """Return a line for every piece of text in `root` a user could not read in full."""
    out: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget) or widget.window() is not root.window():
            continue
        if isinstance(widget, QLabel):
            out += label_problems(widget)
        elif isinstance(widget, QAbstractButton) and not isinstance(widget, QTabBar):
            if type(widget).__name__ not in ("QToolButton", "QLineEditIconButton"):
                out += button_problems(widget)
        elif isinstance(widget, QTabBar):
            out += tab_problems(widget)
        elif isinstance(widget, QHeaderView):
            out += header_problems(widget)
        elif isinstance(widget, QTableView):
            out += table_problems(widget)
        out += field_problems(widget)
        out += chart_problems(widget)
        out += scroll_problems(widget)
        out += overlap_problems(widget)
    return sorted(set(out))
