"""The window's views; a lazily built view can be named by itself or by its host."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from arrs_desktop.ui.common.lazy_view_host import LazyViewHost


class ViewTabs(QTabWidget):
    """The window's views; a lazily built view can be named by itself or by its host."""

    def add_lazy(self, host: LazyViewHost, title: str) -> int:
        """Add a lazily built view as a tab."""
        return self.addTab(host, title)

    def _page_of(self, widget: QWidget | None) -> QWidget | None:
        for i in range(self.count()):
            page = self.widget(i)
            if isinstance(page, LazyViewHost) and page.is_built and page.view() is widget:
                return page
        return widget

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        page = super().currentWidget()
        return page.view() if isinstance(page, LazyViewHost) else page

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802
        super().setCurrentWidget(self._page_of(widget))

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802
        return super().indexOf(self._page_of(widget))
