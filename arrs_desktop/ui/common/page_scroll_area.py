"""Holds a whole view: it fills the window and scrolls up and down only when the window"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QWidget,
)


class PageScrollArea(QScrollArea):
    """Holds a whole view: it fills the window and scrolls up and down only when the window
    is shorter than the view can be laid out in, instead of squashing it."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(False)  # sized here: never below what its layout needs
        self._content = content
        self.setWidget(content)
        content.installEventFilter(self)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QScrollArea#pageScroll { background: transparent; }")

    def needed_height(self, width: int) -> int:
        """Return the least height the view can be laid out in at a width."""
        content = self.widget()
        need = content.minimumSizeHint().height()
        layout = content.layout()
        if layout is not None:
            need = max(need, layout.totalMinimumSize().height())
            if layout.hasHeightForWidth():
                need = max(need, layout.totalMinimumHeightForWidth(width))
        return need

    def _fit(self) -> None:
        content = self.widget()
        if content is None:
            return
        room = self.viewport().size()
        width = room.width()
        bar = self.verticalScrollBar()
        if not bar.isVisible() and self.needed_height(width) > room.height():
            width -= bar.sizeHint().width()  # the scroll bar is about to take its room
        size = QSize(width, max(room.height(), self.needed_height(width)))
        if content.size() != size:
            content.resize(size)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def viewportEvent(self, event) -> bool:  # noqa: N802
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self._fit()  # a scroll bar came or went
        return handled

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self._content and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the view's least width may have changed
            QTimer.singleShot(0, self, self._fit)
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = self.widget().sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        least = self.widget().minimumSizeHint()
        return QSize(least.width() + self.verticalScrollBar().sizeHint().width(),
                     min(least.height(), 120))
