"""A person tab whose panel is made the first time it has someone to show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QWidget,
)

from arrs_desktop.ui.common.lazy_view_host import LazyViewHost

if TYPE_CHECKING:
    from arrs_desktop.ui.person.person_view import PersonView


class LazyPanel(LazyViewHost):
    """A person tab whose panel is made the first time it has someone to show.

    Until then the window has not paid for its widgets (nor imported its module): the
    person area shows its empty state until someone is opened. Once made, the panel is
    told about people exactly as a panel added with `PersonView.add_panel` is.
    """

    def __init__(self, factory, view: PersonView) -> None:
        super().__init__(factory, view.tabs, on_built=self._built, scroll=False)
        self._person_view = view
        self._wanted: str | None = None  # the person last asked for

    def set_person(self, person_id: str | None) -> None:
        """Show a person (making the panel first if there is someone to show)."""
        self._wanted = person_id
        if self.is_built:
            self.view().set_person(person_id)
        elif person_id is not None:
            self.view()  # made now; `_built` shows the person

    def _built(self, panel: QWidget) -> None:
        if self._wanted is not None:
            panel.set_person(self._wanted)
