"""Tabs whose pages may scroll on their own (`add_scrolling`); a page is named by its"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QTabWidget,
    QWidget,
)

from arrs_desktop.ui.common.page_scroll_area import PageScrollArea


class PageTabs(QTabWidget):
    """Tabs whose pages may scroll on their own (`add_scrolling`); a page is named by its
    own widget, not the scroll area holding it."""

    def add_scrolling(self, widget: QWidget, title: str) -> int:
        """Add a page that scrolls when the tabs are shorter than it can be laid out in."""
        return self.addTab(PageScrollArea(widget, self), title)

    def _page_of(self, widget: QWidget | None) -> QWidget | None:
        for i in range(self.count()):
            page = self.widget(i)
            if isinstance(page, PageScrollArea) and page.widget() is widget:
                return page
        return widget

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        page = super().currentWidget()
        return page.widget() if isinstance(page, PageScrollArea) else page

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802
        super().setCurrentWidget(self._page_of(widget))

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802
        return super().indexOf(self._page_of(widget))
