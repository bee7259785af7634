"""A column that scrolls up and down; never narrower than what it holds needs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class ColumnScrollArea(QScrollArea):
    """A column that scrolls up and down; never narrower than what it holds needs."""

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802
        super().setWidget(widget)
        self._content = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is getattr(self, "_content", None) and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # what it holds may need another width now
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        least = super().minimumSizeHint()
        inner = self.widget().minimumSizeHint().width() if self.widget() else 0
        return QSize(max(least.width(), inner + self.verticalScrollBar().sizeHint().width()),
                     least.height())


def scrolling(widget: QWidget, parent: QWidget) -> QScrollArea:
    """Wrap a column in a vertical scroll area with a white background."""
    area = ColumnScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    holder = QWidget()
    holder.setObjectName("scrollHolder")
    lay = QVBoxLayout(holder)
    lay.setContentsMargins(8, 8, 8, 8)
    lay.addWidget(widget)
    lay.addStretch(1)
    area.setWidget(holder)
    area.setStyleSheet("QScrollArea, QWidget#scrollHolder { background: white; }")
    return area
