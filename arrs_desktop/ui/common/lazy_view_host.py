"""Views built the first time they are shown, so the window opens without loading them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyViewHost(QWidget):
    """A tab page that makes its view (and loads its data) only when first needed."""

    def __init__(self, factory: Callable[[QWidget], QWidget], parent: QWidget | None = None,
                 on_built: Callable[[QWidget], None] | None = None,
                 scroll: bool = True) -> None:
        super().__init__(parent)
        self._factory = factory
        self._on_built = on_built
        self._scroll = scroll  # in a window too short for it, the view scrolls
        self._view: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        """Return whether the view has been made."""
        return self._view is not None

    def view(self) -> QWidget:
        """Return the view, making it now if it has not been made yet."""
        if self._view is None:
            self._view = self._factory(self)
            if self._scroll:
                from arrs_desktop.ui.common.page_scroll_area import PageScrollArea

                area = PageScrollArea(self._view, self)
                self._layout.addWidget(area)
                area.show()
            else:
                self._layout.addWidget(self._view)
            self._view.show()  # at once, not when the event loop next runs
            if self._on_built is not None:
                self._on_built(self._view)
        return self._view

    def showEvent(self, event) -> None:  # noqa: N802
        self.view()
        super().showEvent(event)
