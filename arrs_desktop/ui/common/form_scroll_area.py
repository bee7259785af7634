"""Holds a dialog's fields: as tall as they are, scrolling only on a screen too small."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QWidget,
)


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
