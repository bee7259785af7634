"""Size a table's columns to what they hold, once and when new rows arrive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHeaderView,
    QTableView,
)


class ColumnFitter(QObject):
    """Size a table's columns to what they show, so no name or date is cut.

    Each column is as wide as its widest text (measured on up to `sample_rows` loaded rows,
    and its title); the `stretch` column takes the room left over. Free-text columns
    (`free_text`: notes, what changed) are held to `free_width` and shorten with "…",
    the whole text in their tooltip. When the columns need more room than there is, the
    table scrolls sideways rather than cut them.
    """

    def __init__(self, table: QTableView, stretch: int, free_text: Sequence[int] = (),
                 free_width: int = 320, sample_rows: int = 400,
                 samples: Mapping[int, str] | None = None) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = stretch
        self.free_text = tuple(free_text)
        self.free_width = free_width
        self.sample_rows = sample_rows
        self.samples = dict(samples or {})
        self._need: dict[int, int] = {}
        self._title: dict[int, int] = {}
        table.setProperty("elideColumns", list(self.free_text))
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        for col in range(header.count()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged,
                       model.dataChanged):
            signal.connect(self.measure)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        self.measure()

    def measure(self, *_args) -> None:
        """Measure what each column shows now, then fit the columns to the table."""
        model = self.table.model()
        metrics = self.table.fontMetrics()
        bold = QFont(self.table.font())
        bold.setWeight(QFont.Weight.DemiBold)
        bold_metrics = QFontMetrics(bold)
        header = self.table.horizontalHeader()
        rows = min(model.rowCount(), self.sample_rows)
        self._need = {}
        self._title = {}
        for col in range(model.columnCount()):
            need = max(header.sectionSizeFromContents(col).width(),
                       bold_metrics.horizontalAdvance(
                           str(model.headerData(col, Qt.Orientation.Horizontal) or "")) + 16)
            self._title[col] = need
            if col in self.samples:
                need = max(need, metrics.horizontalAdvance(self.samples[col]) + 16)
            for row in range(rows):
                index = model.index(row, col)
                text = index.data(Qt.ItemDataRole.DisplayRole)
                if text in (None, ""):
                    continue
                font = index.data(Qt.ItemDataRole.FontRole)
                m = bold_metrics if isinstance(font, QFont) and font.bold() else metrics
                width = max(m.horizontalAdvance(line) for line in str(text).split("\n")) + 16
                if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                    width += 20
                need = max(need, width)
            self._need[col] = need
        self.fit()

    def fit(self) -> None:
        """Give each column its width and the stretch column the room left over."""
        room = self.table.viewport().width()
        header = self.table.horizontalHeader()
        widths = {}
        for col, need in self._need.items():
            if self.table.isColumnHidden(col):
                continue
            if col in self.free_text:  # shortened with …, but never narrower than its title
                widths[col] = max(min(need, self.free_width), self._title.get(col, 0))
            else:
                widths[col] = need
        stretch = self.stretch if self.stretch >= 0 else len(self._need) + self.stretch
        if stretch in widths:  # (a negative stretch counts from the last column)
            others = sum(w for c, w in widths.items() if c != stretch)
            if stretch in self.free_text:  # free text fits the room left, shortened with …
                least = max(min(widths[stretch], 120), self._title.get(stretch, 0))
                widths[stretch] = max(least, room - others)
            else:
                widths[stretch] = max(widths[stretch], room - others)
        for col, width in widths.items():
            if header.sectionSize(col) != width:
                header.resizeSection(col, width)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if (watched is self._viewport and event.type() == QEvent.Type.Resize
                and shiboken6.isValid(self.table)):  # not while the table is going
            self.fit()
        return super().eventFilter(watched, event)
