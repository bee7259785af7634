"""What every view is given: the open store, the change bus, the user's settings, the rules.

The main window makes one `AppContext` and passes it to each panel, view and dialog it
composes; nothing reaches for a global. A view reads through `context.store`, writes by
`context.run(operation, ...)` (the operation's `Changes` go on the bus, with the view as
initiator), and reads `context.settings` whenever it needs the user's name or role: a
change of settings is published as `Changes(settings=True)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.app.operations.settings import use_settings
from arrs_desktop.domain.matching import Rules, RulesLoad, load_shipped_rules
from arrs_desktop.settings import Settings
from arrs_desktop.store import Store
from arrs_desktop.ui.common.change_bus import ChangeBus

T = TypeVar("T")


class AppContext:
    """The store, the bus, the settings in use and the role-match rules, for every view."""

    def __init__(self, store: Store, bus: ChangeBus, settings: Settings | None = None,
                 rules_load: RulesLoad | None = None) -> None:
        self.store = store
        self.bus = bus
        self.settings = settings if settings is not None else Settings()
        self.rules_load = rules_load
        self.rules: Rules = rules_load.rules if rules_load is not None else load_shipped_rules()

    def run(self, operation: Callable[..., OpResult[T]], *args: Any,
            initiator: object | None = None, **kwargs: Any) -> T:
        """Run an operation on the store, publish what it changed, return what it made.

        A refusal (ValidationError, StoreConflictError, StoreWriteError) is raised before
        anything is published: nothing was written.
        """
        result = operation(self.store, *args, **kwargs)
        self.bus.publish(result.changes, initiator)
        return result.value

    def publish(self, changes: Changes, initiator: object | None = None) -> None:
        """Publish changes that no operation of this window made (a restore, a demo load)."""
        self.bus.publish(changes, initiator)

    def use_settings(self, settings: Settings, initiator: object | None = None) -> None:
        """Use new settings from now on and tell every view."""
        self.settings = settings
        self.run(use_settings, settings, initiator=initiator)
